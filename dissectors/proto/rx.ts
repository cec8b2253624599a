// RX, the AFS remote procedure call transport, on UDP 7000-7009 and 7021, as
// tshark 4.0 shows it.  A datagram shorter than the 28-byte header, or of a
// type tshark does not know, is not RX (it stays UDP's).  ACK, ABORT,
// CHALLENGE, RESPONSE, ACKALL and VERSION packets get tshark's info line
// ("ACK Delay  Seq: 0  Call: 290  Source Port: 7001  Destination Port: 7000  ");
// DATA packets go to AFS; BUSY, DEBUG and PARAMS keep an empty info column.
// The body parts are read in tshark's order, so a packet cut inside one is
// size limited or malformed where tshark's read fails.
import { protocol, uint, sint, flag, str, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markReadPast, markMalformed, reportedLength, wanted } from '../packet';
import { registerUdpPortTry, udpSrcPort, udpDstPort } from '../dispatch';
import { infoSet, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putDec } from '../text';
import { has, be16, be32 } from '../cursor';
import { putAbsoluteTime } from './abs-time';
import { dissectAfs } from './afs';

const PROTO_RX = protocol('rx', 'RX Protocol');
const F_EPOCH = str('rx.epoch', 'Epoch', Base.FINAL_TEXT);
const F_CID = uint('rx.cid', 'CID', 32);
const F_CALLNUMBER = uint('rx.callnumber', 'Call Number', 32);
const F_SEQ = uint('rx.seq', 'Sequence Number', 32);
const F_SERIAL = uint('rx.serial', 'Serial', 32);
const F_TYPE = uint('rx.type', 'Type', 8);
const F_FLAGS = uint('rx.flags', 'Flags', 8, Base.HEX);
const F_FLAG_CLIENT_INIT = flag('rx.flags.client_init', 'Client Initiated');
const F_FLAG_REQUEST_ACK = flag('rx.flags.request_ack', 'Request Ack');
const F_FLAG_LAST_PACKET = flag('rx.flags.last_packet', 'Last Packet');
const F_FLAG_MORE_PACKETS = flag('rx.flags.more_packets', 'More Packets');
const F_FLAG_FREE_PACKET = flag('rx.flags.free_packet', 'Free Packet');
const F_USERSTATUS = uint('rx.userstatus', 'User Status', 32);
const F_SECURITYINDEX = uint('rx.securityindex', 'Security Index', 32);
const F_SPARE = uint('rx.spare', 'Spare/Checksum', 16);
const F_SERVICEID = uint('rx.serviceid', 'Service ID', 16);
const F_BUFFERSPACE = uint('rx.bufferspace', 'Bufferspace', 16);
const F_MAXSKEW = uint('rx.maxskew', 'Max Skew', 16);
const F_FIRST = uint('rx.first', 'First Packet', 32);
const F_PREV = uint('rx.prev', 'Prev Packet', 32);
const F_REASON = uint('rx.reason', 'Reason', 8);
const F_NUM_ACKS = uint('rx.num_acks', 'Num ACKs', 8);
const F_ACK_TYPE = uint('rx.ack_type', 'ACK Type', 8);
const F_VERSION = uint('rx.version', 'Version', 32);
const F_NONCE = uint('rx.nonce', 'Nonce', 32, Base.HEX);
const F_INC_NONCE = uint('rx.inc_nonce', 'Inc Nonce', 32, Base.HEX);
const F_MIN_LEVEL = uint('rx.min_level', 'Min Level', 32);
const F_LEVEL = uint('rx.level', 'Level', 32);
const F_KVNO = uint('rx.kvno', 'kvno', 32);
const F_TICKET_LEN = uint('rx.ticket_len', 'Ticket len', 32);
const F_TICKET = bytes('rx.ticket', 'ticket');
const F_IF_MTU = uint('rx.if_mtu', 'Interface MTU', 32);
const F_MAX_MTU = uint('rx.max_mtu', 'Max MTU', 32);
const F_RWIND = uint('rx.rwind', 'rwind', 32);
const F_MAX_PACKETS = uint('rx.max_packets', 'Max Packets', 32);
const F_ABORT_CODE = sint('rx.abort_code', 'Abort Code');

const HEADER: u32 = 28;
const enum Type { DATA = 1, ACK = 2, BUSY = 3, ABORT = 4, ACKALL = 5, CHALLENGE = 6, RESPONSE = 7, DEBUG = 8, PARAMS = 9, VERSION = 13 }
const CALLS_IN_RESPONSE: u32 = 4;
const REASONS: StaticArray<string> = ['', 'Ack Requested', 'Duplicate Packet', 'Out Of Sequence', 'Exceeds Window', 'No Space',
  'Ping', 'Ping Response', 'Delay', 'Idle'];

function knownType(t: u32): bool { return (t >= <u32>Type.DATA && t <= <u32>Type.PARAMS) || t == <u32>Type.VERSION; }

function addEpoch(seconds: u32): void {
  if (!unchecked(wanted[F_EPOCH])) return;
  const text = scratchBegin();
  putAbsoluteTime(<i64>seconds, 0);
  addBytes(F_EPOCH, text, scratchEnd(text));
}

/** "Seq: 0  Call: 290  Source Port: 7001  Destination Port: 7000  ", after the packet kind. */
function putCallInfo(seq: u32, call: u32): void {
  puts('  Seq: '); putDec(seq);
  puts('  Call: '); putDec(call);
  puts('  Source Port: '); putDec(udpSrcPort);
  puts('  Destination Port: '); putDec(udpDstPort);
  puts('  ');
}

function setCallInfo(kind: string, seq: u32, call: u32): void {
  infoSet(); puts(kind); putCallInfo(seq, call); infoDone();
}

/** tshark's item spanning the rest of the packet from p needs one byte there. */
function lacksBody(p: u32, end: u32): bool {
  if (p < end) return false;
  markReadPast(end, p + 1);
  return true;
}

/** A 4-byte field at p, or the read that fails there. */
function field32(f: u32, p: u32, end: u32): bool {
  if (!has(p, end, 4)) { markReadPast(end, p + 4); return false; }
  addNum(f, be32(p));
  return true;
}

function dissectAcks(start: u32, end: u32, seq: u32, call: u32): void {
  let p = start + HEADER;
  if (lacksBody(p, end)) return;
  if (!has(p, end, 2)) { markReadPast(end, p + 2); return; }
  addNum(F_BUFFERSPACE, be16(p));
  if (!has(p + 2, end, 2)) { markReadPast(end, p + 4); return; }
  addNum(F_MAXSKEW, be16(p + 2));
  if (!field32(F_FIRST, p + 4, end) || !field32(F_PREV, p + 8, end) || !field32(F_SERIAL, p + 12, end)) return;
  p += 16;
  if (!has(p, end, 2)) { markReadPast(end, p + 2); if (p < end) addNum(F_REASON, <u32>load<u8>(p)); return; }
  const reason = <u32>load<u8>(p);
  const count = <u32>load<u8>(p + 1);
  addNum(F_REASON, reason);
  addNum(F_NUM_ACKS, count);
  p += 2;
  for (let i: u32 = 0; i < count; i++, p++) {
    if (p >= end) { markReadPast(end, p + 1); return; }
    addNum(F_ACK_TYPE, <u32>load<u8>(p));
  }
  // Three bytes of padding, then up to four 32-bit words some implementations add, each read when the packet holds it.
  const wireEnd = start + reportedLength(start, end);
  if (wireEnd > p && wireEnd - p > 3) {
    p += 3;
    if (wireEnd - p >= 4) { if (!field32(F_MAX_MTU, p, end)) return; p += 4; }
    if (wireEnd - p >= 4) { if (!field32(F_IF_MTU, p, end)) return; p += 4; }
    if (wireEnd - p >= 4) { if (!field32(F_RWIND, p, end)) return; p += 4; }
    if (wireEnd - p >= 4) { if (!field32(F_MAX_PACKETS, p, end)) return; }
  }
  infoSet();
  puts('ACK ');
  const name = reason < <u32>REASONS.length ? unchecked(REASONS[reason]) : '';
  if (name.length) puts(name); else putDec(reason);
  putCallInfo(seq, call);
  infoDone();
}

function dissectChallenge(start: u32, end: u32): void {
  const p = start + HEADER;
  if (lacksBody(p, end)) return;
  if (!has(p, end, 4)) { markReadPast(end, p + 4); return; }
  const version = be32(p);
  addNum(F_VERSION, version);
  if (version == 2 && field32(F_NONCE, p + 4, end)) field32(F_MIN_LEVEL, p + 8, end);
}

function dissectResponse(start: u32, end: u32): void {
  let p = start + HEADER;
  if (lacksBody(p, end)) return;
  if (!has(p, end, 4)) { markReadPast(end, p + 4); return; }
  const version = be32(p);
  addNum(F_VERSION, version);
  if (version != 2) return;
  // The encrypted part, read as if in the clear: epoch, cid, a checksum, the security index, the calls, nonce and level.
  p += 8;
  if (lacksBody(p, end)) return;
  if (!has(p, end, 4)) { markReadPast(end, p + 4); return; }
  addEpoch(be32(p));
  if (!field32(F_CID, p + 4, end)) return;
  p += 12;
  if (p >= end) { markReadPast(end, p + 1); return; }
  addNum(F_SECURITYINDEX, <u32>load<u8>(p));
  p += 4;
  for (let i: u32 = 0; i < CALLS_IN_RESPONSE; i++, p += 4) if (!field32(F_CALLNUMBER, p, end)) return;
  if (!field32(F_INC_NONCE, p, end) || !field32(F_LEVEL, p + 4, end) || !field32(F_KVNO, p + 8, end)) return;
  p += 12;
  if (!has(p, end, 4)) { markReadPast(end, p + 4); return; }
  const ticketLength = be32(p);
  addNum(F_TICKET_LEN, ticketLength);
  p += 4;
  // tshark takes the length as a signed int: -1 means the rest of the packet, other negatives fail.
  if (ticketLength == 0xffffffff) {
    if (lacksBody(p, end)) return;
    addBytes(F_TICKET, p, end - p);
  } else if (ticketLength > 0x7fffffff) {
    markMalformed();
  } else if (!has(p, end, ticketLength)) {
    markReadPast(end, <u32>min<u64>(<u64>p + ticketLength, 0xffffffff));
  } else {
    addBytes(F_TICKET, p, ticketLength);
  }
}

function dissectAbort(start: u32, end: u32): void {
  const p = start + HEADER;
  if (lacksBody(p, end)) return;
  if (!has(p, end, 4)) { markReadPast(end, p + 4); return; }
  addNum(F_ABORT_CODE, <u64><i64><i32>be32(p));
}

function dissectRx(start: u32, end: u32): bool {
  if (!has(start, end, HEADER)) return false;
  const type = <u32>load<u8>(start + 20);
  if (!knownType(type)) return false;
  setProtocolColumn('RX');
  infoSet(); infoDone();
  beginLayer(PROTO_RX);
  const epoch = be32(start), cid = be32(start + 4), call = be32(start + 8), seq = be32(start + 12);
  addEpoch(epoch);
  addNum(F_CID, cid);
  addNum(F_CALLNUMBER, call);
  addNum(F_SEQ, seq);
  addNum(F_SERIAL, be32(start + 16));
  addNum(F_TYPE, type);
  const flags = <u32>load<u8>(start + 21);
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_FREE_PACKET, flags & 0x10);
  addNum(F_FLAG_MORE_PACKETS, flags & 0x08);
  addNum(F_FLAG_LAST_PACKET, flags & 0x04);
  addNum(F_FLAG_REQUEST_ACK, flags & 0x02);
  addNum(F_FLAG_CLIENT_INIT, flags & 0x01);
  addNum(F_USERSTATUS, <u32>load<u8>(start + 22));
  addNum(F_SECURITYINDEX, <u32>load<u8>(start + 23));
  addNum(F_SPARE, be16(start + 24));
  const service = be16(start + 26);
  addNum(F_SERVICEID, service);
  switch (type) {
    case Type.ACK: dissectAcks(start, end, seq, call); break;
    case Type.ACKALL: setCallInfo('ACKALL', seq, call); break;
    case Type.VERSION: setCallInfo(cid == 0 ? 'VERSION NAT ping' : 'VERSION request', seq, call); break;
    case Type.CHALLENGE: setCallInfo('CHALLENGE', seq, call); dissectChallenge(start, end); break;
    case Type.RESPONSE: setCallInfo('RESPONSE', seq, call); dissectResponse(start, end); break;
    case Type.ABORT: setCallInfo('ABORT', seq, call); dissectAbort(start, end); break;
    case Type.DATA: dissectAfs(start + HEADER, end, flags, service, epoch, cid, call); break;
    default: break;
  }
  return true;
}

for (let port: u32 = 7000; port <= 7009; port++) registerUdpPortTry(port, dissectRx);
registerUdpPortTry(7021, dissectRx);
