// IS-IS (ISO 10589, RFC 1195) under LLC's OSI SAP: the common header and the
// fixed part of the hellos (LAN and point-to-point), link state PDUs (with
// their Fletcher checksum checked) and sequence number PDUs, each read only
// as far as its header length indicator reaches, as tshark does; then the
// TLVs the PDU length covers are walked for their type and length (their
// values are not taken apart).  tshark's columns: "ISIS HELLO" and
// "L1 HELLO, System-ID: 2222.2222.2222", "L2 LSP, LSP-ID: ...-00,
// Sequence: 0x0000000b, Lifetime:  1199s", "L2 CSNP, Source-ID: ...".
import { protocol, uint, str, Base } from '../fields';
import { beginLayer, addCalledItem, addNum, addBytes, setProtocolColumn, wanted } from '../packet';
import { PSEUDO_ISIS_HELLO, PSEUDO_ISIS_LSP, PSEUDO_ISIS_CSNP, PSEUDO_ISIS_PSNP } from '../pseudo-layers';
import { u8at, u16at, u32at, has, lacks, cutShort } from '../cursor';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putDec, putHex, putHexDigits, textPos, alignRight } from '../text';
import { fletcherValid } from './osi-utils';

const PROTO_ISIS = protocol('isis', 'ISO 10589 ISIS InTRA Domain Routeing Information Exchange Protocol');
const F_IRPD = uint('isis.irpd', 'Intradomain Routing Protocol Discriminator', 8, Base.HEX);
const F_HEADER_LENGTH = uint('isis.len', 'Length Indicator', 8);
const F_VERSION = uint('isis.version', 'Version/Protocol ID Extension', 8);
const F_SYSID_LEN = uint('isis.sysid_len', 'ID Length', 8);
const F_TYPE_RESERVED = uint('isis.type.reserved', 'Reserved', 8, Base.HEX);
const F_TYPE = uint('isis.type', 'PDU Type', 8);
const F_VERSION2 = uint('isis.version2', 'Version', 8);
const F_RESERVED = uint('isis.reserved', 'Reserved', 8);
const F_MAX_AREAS = uint('isis.max_area_adr', 'Maximum Area Addresses', 8);
const F_HELLO_CIRCUIT = uint('isis.hello.circuit_type', 'Circuit type', 8, Base.HEX);
const F_HELLO_SOURCE = str('isis.hello.source_id', 'SystemID {Sender of PDU}');
const F_HELLO_HOLDING = uint('isis.hello.holding_timer', 'Holding timer', 16);
const F_HELLO_LENGTH = uint('isis.hello.pdu_length', 'PDU length', 16);
const F_HELLO_PRIORITY = uint('isis.hello.priority', 'Priority', 8);
const F_HELLO_LAN_ID = str('isis.hello.lan_id', 'SystemID {Designated IS}');
const F_HELLO_CIRCUIT_ID = uint('isis.hello.local_circuit_id', 'Local circuit ID', 8);
const F_LSP_LENGTH = uint('isis.lsp.pdu_length', 'PDU length', 16);
const F_LSP_LIFETIME = uint('isis.lsp.remaining_life', 'Remaining lifetime', 16);
const F_LSP_ID = str('isis.lsp.lsp_id', 'LSP-ID');
const F_LSP_SEQUENCE = uint('isis.lsp.sequence_number', 'Sequence number', 32, Base.HEX);
const F_LSP_CHECKSUM = uint('isis.lsp.checksum', 'Checksum', 16, Base.HEX);
const F_CSNP_LENGTH = uint('isis.csnp.pdu_length', 'PDU length', 16);
const F_CSNP_SOURCE = str('isis.csnp.source_id', 'Source-ID');
const F_CSNP_START = str('isis.csnp.start_lsp_id', 'Start LSP-ID');
const F_CSNP_END = str('isis.csnp.end_lsp_id', 'End LSP-ID');
const F_PSNP_LENGTH = uint('isis.psnp.pdu_length', 'PDU length', 16);
const F_PSNP_SOURCE = str('isis.psnp.source_id', 'Source-ID');
const F_HELLO_CLV_TYPE = uint('isis.hello.clv.type', 'Type', 8);
const F_HELLO_CLV_LENGTH = uint('isis.hello.clv.length', 'Length', 8);
const F_LSP_CLV_TYPE = uint('isis.lsp.clv.type', 'Type', 8);
const F_LSP_CLV_LENGTH = uint('isis.lsp.clv.length', 'Length', 8);
const F_CSNP_CLV_TYPE = uint('isis.csnp.clv.type', 'Type', 8);
const F_CSNP_CLV_LENGTH = uint('isis.csnp.clv.length', 'Length', 8);
const F_PSNP_CLV_TYPE = uint('isis.psnp.clv.type', 'Type', 8);
const F_PSNP_CLV_LENGTH = uint('isis.psnp.clv.length', 'Length', 8);

const IRPD_ISIS: u32 = 0x83;
const HEADER_LEN: u32 = 8;
const SYSTEM_ID_LEN: u32 = 6;
const enum Pdu { L1Hello = 15, L2Hello = 16, P2pHello = 17, L1Lsp = 18, L2Lsp = 20, L1Csnp = 24, L2Csnp = 25, L1Psnp = 26, L2Psnp = 27 }
/** Where the checksummed part of an LSP starts: its LSP ID, after the header, length and lifetime. */
const LSP_ID_OFFSET: u32 = 12;

/** The PDU's length indicator: tshark reads no header field it does not cover. */
let headerLength: u32 = 0;

export function dissectIsis(start: u32, end: u32): void {
  setProtocolColumn('ISIS');
  infoSet(); infoDone();
  beginLayer(PROTO_ISIS);
  addNum(F_IRPD, IRPD_ISIS);
  if (cutShort(start, end, HEADER_LEN)) return;
  const type = u8at(start + 4, end) & 0x1f;
  headerLength = u8at(start + 1, end);
  addNum(F_HEADER_LENGTH, headerLength);
  addNum(F_VERSION, u8at(start + 2, end));
  addNum(F_SYSID_LEN, u8at(start + 3, end));
  addNum(F_TYPE_RESERVED, u8at(start + 4, end) >> 5);
  addNum(F_TYPE, type);
  addNum(F_VERSION2, u8at(start + 5, end));
  addNum(F_RESERVED, u8at(start + 6, end));
  addNum(F_MAX_AREAS, u8at(start + 7, end));
  const p = start + HEADER_LEN;
  if (type == Pdu.L1Hello || type == Pdu.L2Hello || type == Pdu.P2pHello) dissectHello(p, end, type);
  else if (type == Pdu.L1Lsp || type == Pdu.L2Lsp) dissectLsp(start, end, type == Pdu.L1Lsp ? 1 : 2);
  else if (type == Pdu.L1Csnp || type == Pdu.L2Csnp) dissectCsnp(p, end, type == Pdu.L1Csnp ? 1 : 2);
  else if (type == Pdu.L1Psnp || type == Pdu.L2Psnp) dissectPsnp(p, end, type == Pdu.L1Psnp ? 1 : 2);
}

/** Whether the first n bytes of the PDU body at p are beyond the length indicator, or (marked) beyond the packet. */
function headerStops(p: u32, end: u32, n: u32): bool {
  if (headerLength < HEADER_LEN + n) return true;
  return lacks(p, end, n);
}

/**
 * The TLVs from p as far as the PDU length reaches past the length
 * indicator, each one's whole extent read as tshark's tree item for it does:
 * a TLV that claims more than the PDU has left ends the walk quietly.
 */
function walkClvs(p: u32, end: u32, pduLength: u32, typeField: u32, lengthField: u32): void {
  if (pduLength < headerLength) return;
  let left = <i32>(pduLength - headerLength);
  while (left > 0) {
    if (lacks(p, end, 1)) return;
    const code = load<u8>(p);
    if (--left == 0) return;
    if (lacks(p + 1, end, 1)) return;
    const length = <u32>load<u8>(p + 1);
    if (--left == 0) return;
    if (<u32>left < length) return;
    if (lacks(p, end, 2 + length)) return;
    addNum(typeField, code);
    addNum(lengthField, length);
    p += 2 + length;
    left -= <i32>length;
  }
}

// tshark names the PDU in the info column first and appends each identifier once it has read it.
function infoStart(name: string): void {
  infoSet();
  puts(name);
  infoDone();
}

function infoSystemId(label: string, p: u32, n: u32): void {
  infoAppend();
  puts(label);
  putSystemId(p, n);
  infoDone();
}

function dissectHello(p: u32, end: u32, type: u32): void {
  addCalledItem(PSEUDO_ISIS_HELLO);
  setProtocolColumn('ISIS HELLO');
  infoStart(type == Pdu.L1Hello ? 'L1 HELLO' : type == Pdu.L2Hello ? 'L2 HELLO' : 'P2P HELLO');
  if (headerStops(p, end, 1)) return;
  addNum(F_HELLO_CIRCUIT, u8at(p, end) & 3);
  if (headerStops(p, end, 7)) return;
  infoSystemId(', System-ID: ', p + 1, SYSTEM_ID_LEN);
  addSystemId(F_HELLO_SOURCE, p + 1, SYSTEM_ID_LEN);
  if (headerStops(p, end, 9)) return;
  addNum(F_HELLO_HOLDING, u16at(p + 7, end));
  if (headerStops(p, end, 11)) return;
  const pduLength = u16at(p + 9, end);
  addNum(F_HELLO_LENGTH, pduLength);
  if (headerStops(p, end, 12)) return;
  let fixedEnd: u32 = 12;
  if (type == Pdu.P2pHello) {
    addNum(F_HELLO_CIRCUIT_ID, u8at(p + 11, end));
  } else {
    addNum(F_HELLO_PRIORITY, u8at(p + 11, end) & 0x7f);
    fixedEnd = 12 + SYSTEM_ID_LEN + 1;
    if (headerStops(p, end, fixedEnd)) return;
    addSystemId(F_HELLO_LAN_ID, p + 12, SYSTEM_ID_LEN + 1);
  }
  walkClvs(p + fixedEnd, end, pduLength, F_HELLO_CLV_TYPE, F_HELLO_CLV_LENGTH);
}

function dissectLsp(start: u32, end: u32, level: u32): void {
  addCalledItem(PSEUDO_ISIS_LSP);
  setProtocolColumn('ISIS LSP');
  infoStart(level == 1 ? 'L1 LSP' : 'L2 LSP');
  const p = start + HEADER_LEN;
  if (headerStops(p, end, 2)) return;
  const length = u16at(p, end);
  addNum(F_LSP_LENGTH, length);
  if (headerStops(p, end, 4)) return;
  const lifetime = u16at(p + 2, end);
  addNum(F_LSP_LIFETIME, lifetime);
  if (headerStops(p, end, 12)) return;
  infoSystemId(', LSP-ID: ', p + 4, SYSTEM_ID_LEN + 2);
  addSystemId(F_LSP_ID, p + 4, SYSTEM_ID_LEN + 2);
  if (headerStops(p, end, 16)) return;
  const sequence = u32at(p + 12, end);
  infoAppend();
  puts(', Sequence: ');
  putHex(sequence, 8);
  puts(', Lifetime: ');
  const lifetimeAt = textPos();
  putDec(lifetime);
  alignRight(lifetimeAt, 5);
  putc(115);
  infoDone();
  addNum(F_LSP_SEQUENCE, sequence);
  if (headerStops(p, end, 18)) return;
  const checksum = u16at(p + 16, end);
  addNum(F_LSP_CHECKSUM, checksum);
  // A PDU length inside the header leaves the checksum unverified, as in tshark.
  if (checksum != 0 && length >= headerLength && length > LSP_ID_OFFSET && has(start, end, length)
    && !fletcherValid(start + LSP_ID_OFFSET, length - LSP_ID_OFFSET)) {
    infoAppend();
    puts(' [ISIS CHECKSUM INCORRECT]');
    infoDone();
  }
  // The type block (partition repair, attachment, overload, IS type).
  if (headerStops(p, end, 19)) return;
  walkClvs(p + 19, end, length, F_LSP_CLV_TYPE, F_LSP_CLV_LENGTH);
}

function dissectCsnp(p: u32, end: u32, level: u32): void {
  addCalledItem(PSEUDO_ISIS_CSNP);
  setProtocolColumn('ISIS CSNP');
  infoStart(level == 1 ? 'L1 CSNP' : 'L2 CSNP');
  if (headerStops(p, end, 2)) return;
  const pduLength = u16at(p, end);
  addNum(F_CSNP_LENGTH, pduLength);
  if (headerStops(p, end, 9)) return;
  infoSystemId(', Source-ID: ', p + 2, SYSTEM_ID_LEN + 1);
  addSystemId(F_CSNP_SOURCE, p + 2, SYSTEM_ID_LEN);
  if (headerStops(p, end, 17)) return;
  infoSystemId(', Start LSP-ID: ', p + 9, SYSTEM_ID_LEN + 2);
  addSystemId(F_CSNP_START, p + 9, SYSTEM_ID_LEN + 2);
  if (headerStops(p, end, 25)) return;
  infoSystemId(', End LSP-ID: ', p + 17, SYSTEM_ID_LEN + 2);
  addSystemId(F_CSNP_END, p + 17, SYSTEM_ID_LEN + 2);
  walkClvs(p + 25, end, pduLength, F_CSNP_CLV_TYPE, F_CSNP_CLV_LENGTH);
}

function dissectPsnp(p: u32, end: u32, level: u32): void {
  addCalledItem(PSEUDO_ISIS_PSNP);
  setProtocolColumn('ISIS PSNP');
  infoStart(level == 1 ? 'L1 PSNP' : 'L2 PSNP');
  if (headerStops(p, end, 2)) return;
  const pduLength = u16at(p, end);
  addNum(F_PSNP_LENGTH, pduLength);
  if (headerStops(p, end, 9)) return;
  infoSystemId(', Source-ID: ', p + 2, SYSTEM_ID_LEN + 1);
  addSystemId(F_PSNP_SOURCE, p + 2, SYSTEM_ID_LEN);
  walkClvs(p + 9, end, pduLength, F_PSNP_CLV_TYPE, F_PSNP_CLV_LENGTH);
}

/** A system ID as IS-IS writes it: "2222.2222.2222", then ".01" for a pseudonode and "-00" for an LSP number. */
function putSystemId(p: u32, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    if (i == 2 || i == 4 || i == 6) putc(46);
    else if (i == 7) putc(45);
    putHexDigits(load<u8>(p + i), 2);
  }
}

function addSystemId(f: u32, p: u32, n: u32): void {
  if (!unchecked(wanted[f])) return;
  const text = scratchBegin();
  putSystemId(p, n);
  addBytes(f, text, scratchEnd(text));
}

