// Text in DNS: domain names (RFC 1035 4.1.4), with labels and compression
// pointers expanded the way Wireshark 4.0 expands them, odd cases included, so
// that the text is tshark's; character-strings; and the names of types,
// opcodes and reply codes for the info column.  A domain name is built in a fixed buffer, then
// formatted (control bytes escaped, bad UTF-8 replaced) into scratch space.
import { markTruncated, markMalformed } from '../packet';
import { scratchBegin, scratchEnd, infoAppend, infoDone } from '../columns';
import { has } from '../cursor';
import { putc, puts, putDec, putRaw, tableName } from '../text';
import { putFormatText } from '../format-text';

// Wireshark keeps at most 255 bytes of a name, the terminating NUL included.
const MAX_NAME: i32 = 255;
// Followed pointers before a name is called a loop.
const MAX_POINTERS: i32 = 255;

const raw = memory.data(MAX_NAME + 1);

/** Bytes the name occupies where it starts (a pointer ends it there). */
export let nameUsed: i32 = 0;
/** The formatted name, in scratch space. */
export let nameText: u32 = 0;
export let nameTextLen: u32 = 0;
/** Label bytes and dots, as Wireshark counts them (dns.qry.name.len, labels). */
export let nameRawLen: u32 = 0;

// Steps (labels and pointers) allowed per message: Wireshark's walk is bounded
// but can be made very long by a crafted packet; past this we give up as on an error.
const STEP_BUDGET: i32 = 1 << 28;
let steps: i32 = 0;
export function resetNameBudget(): void { steps = STEP_BUDGET; }

let written: i32 = 0;  // bytes in `raw`
let room: i32 = 0;     // Wireshark's `maxname`
let rawLen: u32 = 0;

function setMarker(s: string): void {
  for (let i = 0; i < s.length; i++) store<u8>(raw + <u32>i, <u8>s.charCodeAt(i));
  written = s.length;
  rawLen = <u32>s.length;
}

/** Appends formatted text as snprintf into the remaining room would: all of it or, if it does not fit, nothing more ever. */
function putSnprintf(p: u32, n: i32): void {
  if (room <= 0) return;
  if (n > room) { room = 0; return; }
  memory.copy(raw + <u32>written, p, <u32>n);
  written += n;
  room -= n;
}

const hexBuf = memory.data(16);

/** "\\[x<hex>/<bits>]"; a byte is read only while there is room, as in Wireshark. */
function putBitstring(p: u32, end: u32, bits: u32, bytes: u32): bool {
  store<u8>(hexBuf, 92); store<u8>(hexBuf, 91, 1); store<u8>(hexBuf, 120, 2);
  putSnprintf(hexBuf, 3);
  for (let i: u32 = 0; i < bytes; i++) {
    if (room <= 0) continue;
    if (p + i >= end) return false;
    const b = <u32>load<u8>(p + i);
    store<u8>(hexBuf, <u8>hexChar(b >> 4)); store<u8>(hexBuf, <u8>hexChar(b & 15), 1);
    putSnprintf(hexBuf, 2);
  }
  store<u8>(hexBuf, 47);
  let n: u32 = 1;
  if (bits >= 100) { store<u8>(hexBuf + n, <u8>(48 + bits / 100)); n++; }
  if (bits >= 10) { store<u8>(hexBuf + n, <u8>(48 + (bits / 10) % 10)); n++; }
  store<u8>(hexBuf + n, <u8>(48 + bits % 10));
  store<u8>(hexBuf + n + 1, 93);
  putSnprintf(hexBuf, <i32>n + 2);
  return true;
}

@inline function hexChar(d: u32): u32 { return d < 10 ? 48 + d : 87 + d; }

/**
 * Expands the name at p of the message [msg, end).  Returns false where
 * Wireshark throws (the name runs past the data, or a label type it refuses),
 * after marking the packet.  On success nameUsed, nameText and nameRawLen are set.
 */
export function readName(msg: u32, end: u32, p: u32): bool {
  const start = p;
  let used: i32 = -1;
  let pointers: i32 = 0;
  written = 0;
  room = MAX_NAME;
  rawLen = 0;
  let marker = false;
  for (;;) {
    if (--steps < 0) { markMalformed(); return false; }
    if (p >= end) { markTruncated(); return false; }
    const c = <u32>load<u8>(p);
    p++;
    if (c == 0) break;
    const kind = c & 0xc0;
    if (kind == 0) {
      if (written != 0) {
        if (room > 0) { store<u8>(raw + <u32>written, 46); written++; rawLen++; room--; }
      } else {
        room--;
      }
      // Label bytes past the room are skipped unread, as Wireshark does.
      const take: u32 = room > 0 ? min(c, <u32>room) : 0;
      if (p + take > end) { markTruncated(); return false; }
      memory.copy(raw + <u32>written, p, take);
      written += <i32>take; rawLen += take; room -= <i32>take;
      p += c;
    } else if (kind == 0x40) {
      if ((c & 0x3f) != 1) {
        // An extended label of unknown length ends the name where it stands.
        setMarker('<Unknown extended label>');
        used = <i32>(p - start);
        if (used < 1) { markMalformed(); return false; }
        marker = true;
        break;
      }
      if (p >= end) { markTruncated(); return false; }
      const bits = <u32>load<u8>(p);
      p++;
      const bytes: u32 = bits == 0 ? 1 : (bits - 1) / 8 + 1;
      if (!putBitstring(p, end, bits, bytes)) { markTruncated(); return false; }
      p += bytes;
    } else if (kind == 0x80) {
      markMalformed();
      return false;
    } else {
      if (p >= end) { markTruncated(); return false; }
      const target = msg + (((c & 0x3f) << 8) | <u32>load<u8>(p));
      p++;
      pointers++;
      if (used < 0) used = <i32>(p - start);
      // Wireshark's self-pointer test looks two bytes past the pointer; kept as is.
      if (target == p + 2 || pointers > MAX_POINTERS) {
        setMarker('<Name contains a pointer that loops>');
        marker = true;
        break;
      }
      p = target;
    }
  }
  if (!marker && room <= 0) setMarker('<Name too long>');
  if (used < 0) used = <i32>(p - start);
  nameUsed = used;
  const empty = !marker && room > 0 && (written == 0 || load<u8>(raw) == 0);
  if (empty && used <= 2) {
    setMarker('<Root>');
  } else if (used < 2 || (used > 2 && rawLen == 0)) {
    markMalformed();
    return false;
  }
  nameRawLen = rawLen;
  const t = scratchBegin();
  putFormatText(raw, rawLen);
  nameTextLen = scratchEnd(t);
  nameText = t;
  return true;
}

/** Wireshark's label count: the dots of the raw name plus one, 0 for a name of one byte or none. */
export function nameLabelCount(): u32 {
  if (rawLen <= 1) return 0;
  let n: u32 = 1;
  for (let i: u32 = 0; i < rawLen; i++) if (load<u8>(raw + i) == 46) n++;
  return n;
}

/** Where the raw (unformatted) name of the last readName() is: nameRawLen bytes, markers included. */
export function nameRawPtr(): u32 { return <u32>raw; }

/** The raw (unformatted) name, which some info column entries show. */
export function putRawName(): void {
  for (let i: u32 = 0; i < rawLen; i++) {
    const c = <u32>load<u8>(raw + i);
    if (c == 0) return; // a C string ends at its first NUL
    putc(c);
  }
}

// Character-strings (a length byte, then the bytes), which TXT, SPF and HINFO hold.

function need(end: u32, p: u32, n: u32): bool {
  if (!has(p, end, n)) { markTruncated(); return false; }
  return true;
}

/** HINFO: two character-strings, CPU and OS, shown in the info column. */
export function readHinfo(p: u32, end: u32): bool {
  if (!need(end, p, 1)) return false;
  const cpu = p + 1, cpuLen = <u32>load<u8>(p);
  if (!need(end, cpu, cpuLen + 1)) return false;
  const os = cpu + cpuLen + 1, osLen = <u32>load<u8>(cpu + cpuLen);
  if (!need(end, os, osLen)) return false;
  infoAppend(); putc(32); putRaw(cpu, cpuLen); putc(32); putRaw(os, osLen); infoDone();
  return true;
}

// Character strings until the data length is used up exactly; a string that
// overruns it makes Wireshark read on past the record until the message ends.
export function walkStrings(p: u32, len: u32, end: u32): bool {
  let left = <i32>len;
  while (left != 0) {
    if (!need(end, p, 1)) return false;
    const n = <u32>load<u8>(p);
    if (!need(end, p + 1, n)) return false;
    p += 1 + n;
    left -= 1 + <i32>n;
  }
  return true;
}

// Names of codes for the info column, as Wireshark's value strings ('' where it has none).
const TYPES_0_65: StaticArray<string> = [
  'Unused', 'A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO',
  'MX', 'TXT', 'RP', 'AFSDB', 'X25', 'ISDN', 'RT', 'NSAP', 'NSAP-PTR', 'SIG', 'KEY', 'PX', 'GPOS', 'AAAA',
  'LOC', 'NXT', 'EID', 'NIMLOC', 'SRV', 'ATMA', 'NAPTR', 'KX', 'CERT', 'A6', 'DNAME', 'SINK', 'OPT', 'APL',
  'DS', 'SSHFP', 'IPSECKEY', 'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'TLSA', '', '', 'HIP',
  '', 'RKEY', 'TALINK', 'CDS', 'CDNSKEY', 'OPENPGPKEY', 'CSYNC', 'ZONEMD', 'SVCB', 'HTTPS'
];
const TYPES_99_109: StaticArray<string> = [
  'SPF', 'UINFO', 'UID', 'GID', 'UNSPEC', 'NID', 'L32', 'L64', 'LP', 'EUI48', 'EUI64'
];
// 253 and 254 are swapped in Wireshark 4.0's table; kept so the text matches.
const TYPES_249_257: StaticArray<string> = [
  'TKEY', 'TSIG', 'IXFR', 'AXFR', 'MAILA', 'MAILB', 'ANY', 'URI', 'CAA'
];
const OPCODES: StaticArray<string> = [
  'Standard query', 'Inverse query', 'Server status request', '', 'Zone change notification', 'Dynamic update',
  'DNS Stateful operations (DSO)'
];
const RCODES: StaticArray<string> = [
  'No error', 'Format error', 'Server failure', 'No such name', 'Not implemented', 'Refused', 'Name exists',
  'RRset exists', 'RRset does not exist', 'Not authoritative', 'Name out of zone', 'DSO-Type not implemented'
];

/** Writes entry `index` of a table; false when there is none. */
function putName(table: StaticArray<string>, index: u32): bool {
  const name = tableName(table, index, '');
  puts(name);
  return name.length != 0;
}

export function putTypeName(t: u32): void {
  let known = false;
  if (t <= 65) known = putName(TYPES_0_65, t);
  else if (t >= 99 && t <= 109) known = putName(TYPES_99_109, t - 99);
  else if (t >= 249 && t <= 257) known = putName(TYPES_249_257, t - 249);
  else if (t == 32768) { puts('TA'); known = true; }
  else if (t == 32769) { puts('DLV'); known = true; }
  else if (t == 65281) { puts('WINS'); known = true; }
  else if (t == 65282) { puts('WINS-R'); known = true; }
  else if (t == 65422) { puts('XPF'); known = true; }
  if (!known) { puts('Unknown ('); putDec(t); putc(41); }
}

export function putOpcodeName(op: u32): void {
  if (!putName(OPCODES, op)) { puts('Unknown operation ('); putDec(op); putc(41); }
}

export function putRcodeName(rc: u32): void {
  if (!putName(RCODES, rc)) { puts('Unknown error ('); putDec(rc); putc(41); }
}
