// NetBIOS Name Service (RFC 1002) on UDP 137, as tshark 4.0 shows it: the
// operation (" response", and a response's error), then a request's
// questions and a response's answers, each " TYPE NAME" or " NB address".
// Names are DNS names whose first label holds the NetBIOS name in
// first-level encoding: two letters A-Z per byte, sixteen bytes, the last
// one shown as <xx>; what does not decode is named by tshark's error text.
// Authority and additional records are read (an error in them is marked)
// but not shown.  An NB record's address list is read in six-byte entries
// and tshark does not skip a shorter remainder, so the next record starts
// there, as it does in tshark.
import { protocol, uint, ipv4, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putHexDigits, putIPv4, tableName } from '../text';
import { has, be16, be32, lacks } from '../cursor';
import { readName, nameRawPtr, nameRawLen, nameUsed, resetNameBudget } from './dns-name';
import { table } from '../tables';

const PROTO_NBNS = protocol('nbns', 'NetBIOS Name Service');
const F_ID = uint('nbns.id', 'Transaction ID', 16, Base.HEX);
const F_FLAGS = uint('nbns.flags', 'Flags', 16, Base.HEX);
const F_QUERIES = uint('nbns.count.queries', 'Questions', 16);
const F_ANSWERS = uint('nbns.count.answers', 'Answer RRs', 16);
const F_AUTH = uint('nbns.count.auth_rr', 'Authority RRs', 16);
const F_ADDITIONAL = uint('nbns.count.add_rr', 'Additional RRs', 16);
const F_TYPE = uint('nbns.type', 'Type', 16);
const F_CLASS = uint('nbns.class', 'Class', 16);
const F_TTL = uint('nbns.ttl', 'Time to live', 32);
const F_DATA_LENGTH = uint('nbns.data_length', 'Data length', 16);
const F_ADDR = ipv4('nbns.addr', 'Addr');
const HEADER: u32 = 12;
const COUNT_FIELDS: StaticArray<u32> = [F_QUERIES, F_ANSWERS, F_AUTH, F_ADDITIONAL];

const TYPE_NB: u32 = 32;
const TYPE_NBSTAT: u32 = 33;
const OPCODE_WACK: u32 = 7;
const NETBIOS_NAME: u32 = 16;

// The message: where it starts and its captured end.
let msg: u32 = 0;
let end: u32 = 0;

function dissectNbns(start: u32, captured: u32): void {
  setProtocolColumn('NBNS');
  infoSet(); infoDone();
  beginLayer(PROTO_NBNS);
  msg = start;
  end = captured;
  resetNameBudget();
  if (lacks(start, end, 4)) return;
  const flags = be16(start + 2);
  addNum(F_ID, be16(start));
  addNum(F_FLAGS, flags);
  const response = (flags & 0x8000) != 0;
  const opcode = (flags >> 11) & 15;
  infoSet();
  const name = tableName(OPCODES, opcode, '');
  if (name.length) puts(name); else { puts('Unknown operation ('); putDec(opcode); putc(41); }
  if (response) puts(' response');
  if (response && (flags & 15) != 0) { puts(', '); puts(tableName(RCODES, flags & 15, 'Unknown error')); }
  infoDone();
  // The four counts, each as far as the header goes.
  for (let i: u32 = 0; i < 4; i++) {
    const at = start + 4 + 2 * i;
    if (!need(at, 2)) return;
    addNum(unchecked(COUNT_FIELDS[i]), be16(at));
  }
  const questions = be16(start + 4);
  const records = be16(start + 6) + be16(start + 8) + be16(start + 10);
  const answers = be16(start + 6);
  let p = start + HEADER;
  for (let i: u32 = 0; i < questions; i++) {
    p = readQuestion(p, !response);
    if (p == 0) return;
  }
  for (let i: u32 = 0; i < records; i++) {
    p = readRecord(p, response && i < answers, opcode);
    if (p == 0) return;
  }
}

/** A question at p; its end, or 0 after marking the packet. */
function readQuestion(p: u32, shown: bool): u32 {
  if (!readName(msg, end, p)) return 0;
  const typeAt = p + <u32>nameUsed;
  if (lacks(typeAt, end, 4)) return 0;
  const type = be16(typeAt);
  addNum(F_TYPE, type);
  addNum(F_CLASS, be16(typeAt + 2));
  if (shown) { infoAppend(); putc(32); putTypeName(type); putc(32); putNetbiosName(); infoDone(); }
  return typeAt + 4;
}

/** A resource record at p; where tshark's walk of its data stopped (not always its end), or 0 after marking the packet. */
function readRecord(p: u32, shown: bool, opcode: u32): u32 {
  if (!readName(msg, end, p)) return 0;
  const at = p + <u32>nameUsed;
  if (lacks(at, end, 10)) return 0;
  const type = be16(at);
  const length = be16(at + 8);
  const data = at + 10;
  // With a protocol tree tshark makes the record's subtree, data included, first: one that runs past the packet has no fields.
  recordFields = has(data, end, length);
  if (recordFields) {
    addNum(F_TYPE, type);
    addNum(F_CLASS, be16(at + 2));
    addNum(F_TTL, be32(at + 4));
    addNum(F_DATA_LENGTH, length);
  }
  if (type == TYPE_NB) {
    // The info's address is read at +2 whatever the length says.
    if (shown && opcode != OPCODE_WACK) {
      if (!need(data + 2, 4)) return 0;
      infoAppend(); puts(' NB '); putIPv4(data + 2); infoDone();
    }
    return opcode == OPCODE_WACK ? walkData(data, length, WACK_ENTRY) : walkData(data, length, NB_ENTRY);
  }
  if (shown) { infoAppend(); puts(type == TYPE_NBSTAT ? ' NBSTAT' : ' Unknown'); infoDone(); }
  if (type == TYPE_NBSTAT) return walkStatus(data, length);
  return data + length;
}

/** Whether n bytes are there at p, marking the packet when not. */
function need(p: u32, n: u32): bool { return !lacks(p, end, n); }

// tshark walks a record's data part by part, each checked against what is
// left of the data length; a part that does not fit is an "incomplete entry"
// over the rest, which must still be in the packet, and the walk ends where
// it stands: the next record is read from there.
let cursor: u32 = 0;
let recordFields = false;
let left: u32 = 0;
let walkFailed = false;

/** Takes the next n bytes of the data; false (the walk is over) when fewer are left. */
function take(n: u32): bool {
  if (left < n) {
    if (!need(cursor, left)) walkFailed = true;
    return false;
  }
  if (!need(cursor, n)) { walkFailed = true; return false; }
  cursor += n;
  left -= n;
  return true;
}

/** NB data: entries of flags and an address (a WACK's of flags alone). */
function walkData(data: u32, length: u32, entry: StaticArray<u32>): u32 {
  cursor = data; left = length; walkFailed = false;
  let going = true;
  while (going && left > 0) {
    for (let i = 0; i < entry.length; i++) {
      const at = cursor;
      if (!take(unchecked(entry[i]))) { going = false; break; }
      if (!recordFields) continue;
      if (unchecked(entry[i]) == 4) addNum(F_ADDR, at);
      // A WACK's entries are the flags of the request it answers.
      else if (entry.length == 1) addNum(F_FLAGS, be16(at));
    }
  }
  return walkFailed ? 0 : cursor;
}

/** NBSTAT data: the number of names, each name and its flags, then the statistics. */
function walkStatus(data: u32, length: u32): u32 {
  cursor = data; left = length; walkFailed = false;
  if (left < 1) { take(1); return walkFailed ? 0 : cursor; }
  if (!need(cursor, 1)) return 0;
  let names = <u32>load<u8>(cursor);
  // tshark moves past the count without taking it off the data length.
  cursor++;
  let complete = true;
  while (names-- > 0) {
    if (!take(NETBIOS_NAME) || !take(2)) { complete = false; break; }
  }
  if (complete) for (let i = 0; i < STATISTICS.length && take(unchecked(STATISTICS[i])); i++) {}
  return walkFailed ? 0 : cursor;
}

const NB_ENTRY: StaticArray<u32> = [2, 4];
const WACK_ENTRY: StaticArray<u32> = [2];
/** Unit ID, jumpers, test result, version, period, and the counters, as tshark reads them. */
const STATISTICS: StaticArray<u32> = [6, 1, 1, 2, 2, 2, 2, 2, 2, 4, 4, 2, 2, 2, 2, 2, 2, 2];

function putTypeName(type: u32): void {
  puts(type == TYPE_NB ? 'NB' : type == TYPE_NBSTAT ? 'NBSTAT' : 'Unknown');
}

/** The last name read, as tshark shows a NetBIOS name: "HOST<20>", its scope after it, or the reason it does not decode. */
export function putNetbiosName(): void {
  const raw = nameRawPtr();
  const rawLen = nameRawLen;
  let label: u32 = 0;
  while (label < rawLen && load<u8>(raw + label) != 46 && load<u8>(raw + label) != 0) label++;
  const decoded = changetype<usize>(nameBytes);
  let count: u32 = 0;
  for (let i: u32 = 0; i < label; i += 2) {
    const c1 = <u32>load<u8>(raw + i);
    if (c1 < 65 || c1 > 90) { puts('Illegal NetBIOS name (1st character not between A and Z in first-level encoding)'); return; }
    if (i + 1 >= label) { puts('Illegal NetBIOS name (odd number of bytes)'); return; }
    const c2 = <u32>load<u8>(raw + i + 1);
    if (c2 < 65 || c2 > 90) { puts('Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)'); return; }
    // Past sixteen bytes the pairs are only checked.
    if (count < NETBIOS_NAME) store<u8>(decoded + count, <u8>(((c1 - 65) << 4) | (c2 - 65)));
    count++;
  }
  if (count < NETBIOS_NAME) { puts('Illegal NetBIOS name ('); putDec(count); puts(' bytes long)'); return; }
  // The first fifteen bytes without trailing spaces (all fifteen when every one is a space), then the sixteenth as <xx>.
  let shown: u32 = 15;
  while (shown > 0 && load<u8>(decoded + shown - 1) == 32) shown--;
  if (shown == 0) shown = 15;
  for (let i: u32 = 0; i < shown; i++) {
    const b = <u32>load<u8>(decoded + i);
    if (b >= 0x20 && b < 0x7f) putc(b); else { putc(60); putHexDigits(b, 2); putc(62); }
  }
  putc(60); putHexDigits(load<u8>(decoded + 15), 2); putc(62);
  // The scope goes in raw, up to a NUL.
  for (let i = label; i < rawLen; i++) {
    const b = <u32>load<u8>(raw + i);
    if (b == 0) break;
    putc(b);
  }
}

const nameBytes = table<u8>(NETBIOS_NAME);

const OPCODES: StaticArray<string> = ['Name query', '', '', '', '', 'Registration', 'Release', 'Wait for acknowledgment', 'Refresh',
  'Refresh (alternate opcode)', '', '', '', '', '', 'Multi-homed registration'];
const RCODES: StaticArray<string> = ['', 'Request was invalidly formatted', 'Server failure', 'Requested name does not exist',
  'Request is not implemented', 'Request was refused', 'Name is owned by another node', 'Name is in conflict'];

registerUdpPort(137, dissectNbns);
