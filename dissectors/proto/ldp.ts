// LDP, the Label Distribution Protocol (RFC 5036), on UDP and TCP 646, as
// tshark 4.0 shows it without reassembly: each message of a PDU adds its
// name and a space to the info column ('Hello Message ', 'Bad Message
// Length ', 'Vendor-Private Message (0x3E01) '); a PDU whose version is not
// 1 is declined.  Without a tree tshark reads only the PDU length and each
// message's type and length, so that is where a summary's marks fall; the
// header and message fields below are the ones a tree-building tshark adds
// before it walks the message's TLVs (not shown here), which throws where
// the message runs past the captured bytes.  Over TCP a segment is a run
// of PDUs from its first byte; an error in one PDU shows only when no
// other PDU follows it (the next one clears the info column).
import { protocol, uint, flag, ipv4, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markMalformed, markTruncated, bytesCutAfter, errors, setErrors, PacketError, beginSingleCall, endSingleCall } from '../packet';
import { has, be16, be32 } from '../cursor';
import { registerUdpPortTry, registerTcpPortTry } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHexUpper, tableName } from '../text';

const PROTO_LDP = protocol('ldp', 'Label Distribution Protocol');
const F_VERSION = uint('ldp.hdr.version', 'Version', 16);
const F_PDU_LENGTH = uint('ldp.hdr.pdu_len', 'PDU Length', 16);
const F_LSR = ipv4('ldp.hdr.ldpid.lsr', 'LSR ID');
const F_LABEL_SPACE = uint('ldp.hdr.ldpid.lsid', 'Label Space ID', 16);
const F_MSG_UBIT = flag('ldp.msg.ubit', 'U bit');
const F_MSG_TYPE = uint('ldp.msg.type', 'Message Type', 16, Base.HEX);
const F_MSG_LENGTH = uint('ldp.msg.len', 'Message Length', 16);
const F_MSG_ID = uint('ldp.msg.id', 'Message ID', 32, Base.HEX);
const F_MSG_VENDOR_ID = uint('ldp.msg.vendor.id', 'Vendor ID', 32, Base.HEX);
const F_MSG_EXPERIMENT_ID = uint('ldp.msg.experiment.id', 'Experiment ID', 32, Base.HEX);

const LDP_PORT: u32 = 646;
const VENDOR_PRIVATE_FIRST: u32 = 0x3e00;
const EXPERIMENTAL_FIRST: u32 = 0x3f00;
const EXPERIMENTAL_LAST: u32 = 0x3fff;

// The bytes of the PDU being read: captured up to capturedEnd, on the wire up
// to reportedEnd; containedEnd is where its carrier (datagram or segment) ends
// on the wire.
let capturedEnd: u32 = 0;
let reportedEnd: u32 = 0;
let containedEnd: u32 = 0;
// Whether a tshark building a tree would still be adding fields to this PDU.
let treeAlive = true;

/** Bytes left at p as tshark's tvb_reported_length_remaining counts them: none past the captured bytes. */
function reportedRemaining(p: u32): u32 {
  if (p > capturedEnd || p >= reportedEnd) return 0;
  return reportedEnd - p;
}

/** Whether a read of n bytes at p fails, marking the packet as tshark's exception would. */
function readFails(p: u32, n: u32): bool {
  if (p <= capturedEnd && capturedEnd - p >= n) return false;
  const readEnd = p + n;
  if (readEnd <= containedEnd) markTruncated();
  // Within the PDU but past its segment: the rest of the PDU would be in later segments.
  else if (readEnd <= reportedEnd) setErrors(errors | PacketError.UNREASSEMBLED);
  else markMalformed();
  return true;
}

function tryLdpUdp(start: u32, end: u32): bool {
  if (!has(start, end, 2) || be16(start) != 1) return false;
  capturedEnd = end;
  reportedEnd = end + bytesCutAfter(end);
  containedEnd = reportedEnd;
  dissectPdu(start);
  return true;
}

function tryLdpTcp(start: u32, end: u32): bool {
  if (!has(start, end, 2) || be16(start) != 1) return false;
  const call = beginSingleCall(PROTO_LDP);
  dissectPdus(start, end);
  endSingleCall(call);
  return true;
}

function dissectPdus(start: u32, end: u32): void {
  const segmentReportedEnd = end + bytesCutAfter(end);
  let p = start;
  let errorsBeforePdu: u32 = errors;
  // Each PDU moves p on by at least 4 bytes.
  while (p <= end && p < segmentReportedEnd) {
    capturedEnd = end; reportedEnd = segmentReportedEnd; containedEnd = segmentReportedEnd;
    if (readFails(p + 2, 2)) return;
    const pduEnd = p + be16(p + 2) + 4;
    capturedEnd = end < pduEnd ? end : pduEnd;
    reportedEnd = pduEnd;
    // This PDU clears the info column, the mark of an error in the one before with it.
    setErrors(errorsBeforePdu);
    dissectPdu(p);
    p = pduEnd;
  }
}

/** One PDU at p; capturedEnd, reportedEnd and containedEnd are set. */
function dissectPdu(p: u32): void {
  setProtocolColumn('LDP');
  infoSet(); infoDone();
  beginLayer(PROTO_LDP);
  treeAlive = true;
  if (has(p, capturedEnd, 2)) addNum(F_VERSION, be16(p)); else treeAlive = false;
  if (readFails(p + 2, 2)) return;
  const pduLength = be16(p + 2);
  if (treeAlive) addNum(F_PDU_LENGTH, pduLength);
  const length = pduLength + 4;
  if (length < reportedEnd - p) {
    reportedEnd = p + length;
    if (capturedEnd > reportedEnd) capturedEnd = reportedEnd;
    if (containedEnd > reportedEnd) containedEnd = reportedEnd;
  }
  // Read only while building a tree.
  if (has(p + 4, capturedEnd, 4)) addNum(F_LSR, p + 4); else treeAlive = false;
  if (treeAlive && has(p + 8, capturedEnd, 2)) addNum(F_LABEL_SPACE, be16(p + 8)); else treeAlive = false;
  let o = p + 10;
  // Each message moves o on by at least 8 bytes, or to the end.
  for (let rem = reportedRemaining(o); rem > 0; rem = reportedRemaining(o)) {
    if (rem < 8) {
      infoAppend(); puts('Bad Message'); infoDone();
      o += rem;
      continue;
    }
    if (readFails(o, 2)) return;
    const type = be16(o) & 0x7fff;
    const extra: u32 = type >= VENDOR_PRIVATE_FIRST && type <= EXPERIMENTAL_LAST ? 4 : 0;
    if (readFails(o + 2, 2)) return;
    let length = be16(o + 2);
    if (length < 4 + extra) {
      infoAppend(); puts('Bad Message Length '); infoDone();
      o += rem;
      continue;
    }
    if (length > rem - 4) length = rem - 4;
    infoAppend(); putMessageName(type); puts(' '); infoDone();
    if (treeAlive && o + 4 + length > capturedEnd) treeAlive = false;
    if (treeAlive) {
      addNum(F_MSG_UBIT, (load<u8>(o) & 0x80) != 0);
      addNum(F_MSG_TYPE, type);
      addNum(F_MSG_LENGTH, be16(o + 2));
      addNum(F_MSG_ID, be32(o + 4));
      if (extra != 0) addNum(type >= EXPERIMENTAL_FIRST ? F_MSG_EXPERIMENT_ID : F_MSG_VENDOR_ID, be32(o + 8));
    }
    o += length + 4;
  }
}

function putMessageName(type: u32): void {
  if (type >= VENDOR_PRIVATE_FIRST && type <= EXPERIMENTAL_LAST) {
    puts(type >= EXPERIMENTAL_FIRST ? 'Experimental Message (0x' : 'Vendor-Private Message (0x');
    putHexUpper(type, 4); puts(')');
    return;
  }
  const group = type >> 8;
  const index = type & 0xff;
  let name = '';
  if (group == 0) name = index == 1 ? 'Notification Message' : '';
  else if (group == 1) name = index == 0 ? 'Hello Message' : '';
  else if (group == 2) name = tableName(SESSION_MESSAGES, index, '');
  else if (group == 3) name = tableName(ADDRESS_MESSAGES, index, '');
  else if (group == 4) name = tableName(LABEL_MESSAGES, index, '');
  else if (group == 5) name = tableName(CALL_MESSAGES, index, '');
  else if (group == 7) name = tableName(RG_MESSAGES, index, '');
  if (name.length != 0) { puts(name); return; }
  puts('Unknown Message (0x'); putHexUpper(type, 4); puts(')');
}

const SESSION_MESSAGES: StaticArray<string> = ['Initialization Message', 'Keep Alive Message', 'Capability Message'];
const ADDRESS_MESSAGES: StaticArray<string> = ['Address Message', 'Address Withdrawal Message'];
const LABEL_MESSAGES: StaticArray<string> = ['Label Mapping Message', 'Label Request Message',
  'Label Withdrawal Message', 'Label Release Message', 'Label Abort Request Message'];
const CALL_MESSAGES: StaticArray<string> = ['Call Setup Message', 'Call Release Message'];
const RG_MESSAGES: StaticArray<string> = ['RG Connect Message', 'RG Disconnect Message',
  'RG Notification Message', 'RG Application Data Message'];

registerUdpPortTry(LDP_PORT, tryLdpUdp);
registerTcpPortTry(LDP_PORT, tryLdpTcp);
