// Stream Control Transmission Protocol (RFC 9260), IP protocol 132, as tshark
// 4.0 shows it with its default preferences: the info column lists each
// chunk's name followed by a space, DATA adds '(TSN=n) ' and SACK
// '(Ack=n, Arwnd=w) ', TSNs relative to the first one seen in that direction
// of the association; the checksum is shown, not verified.  A complete DATA
// message goes to its payload protocol identifier's dissector, else to its
// lower then its higher port's (dispatchSctp), else to data.
import { protocol, uint, flag, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markReadPast, reportedLength, inErrorPacket } from '../packet';
import { be16, be32, lacks } from '../cursor';
import { registerIpProto, dispatchSctp } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoAppend, infoDone, infoFenceHere } from '../columns';
import { puts, putDec } from '../text';
import { conversationWord, conversationWords, findConversation, conversationReversed, convGet, convSet } from '../conversation';

const PROTO_SCTP = protocol('sctp', 'Stream Control Transmission Protocol');
const F_SRCPORT = uint('sctp.srcport', 'Source port', 16);
const F_DSTPORT = uint('sctp.dstport', 'Destination port', 16);
const F_PORT = uint('sctp.port', 'Port', 16);
const F_VTAG = uint('sctp.verification_tag', 'Verification tag', 32, Base.HEX);
const F_CHECKSUM = uint('sctp.checksum', 'Checksum', 32, Base.HEX);
const F_CHECKSUM_STATUS = uint('sctp.checksum.status', 'Checksum Status', 8);
const F_CHUNK_TYPE = uint('sctp.chunk_type', 'Chunk type', 8);
const F_CHUNK_BIT_1 = flag('sctp.chunk_bit_1', 'Bit');
const F_CHUNK_BIT_2 = flag('sctp.chunk_bit_2', 'Bit');
const F_CHUNK_FLAGS = uint('sctp.chunk_flags', 'Chunk flags', 8, Base.HEX);
const F_CHUNK_LENGTH = uint('sctp.chunk_length', 'Chunk length', 16);
const F_CHUNK_PADDING = bytes('sctp.chunk_padding', 'Chunk padding');
const F_INIT_TAG = uint('sctp.init_initiate_tag', 'Initiate tag', 32, Base.HEX);
const F_INIT_CREDIT = uint('sctp.init_credit', 'Advertised receiver window credit (a_rwnd)');
const F_INIT_OUT = uint('sctp.init_nr_out_streams', 'Number of outbound streams', 16);
const F_INIT_IN = uint('sctp.init_nr_in_streams', 'Number of inbound streams', 16);
const F_INIT_TSN = uint('sctp.init_initial_tsn', 'Initial TSN');
const F_INITACK_TAG = uint('sctp.initack_initiate_tag', 'Initiate tag', 32, Base.HEX);
const F_INITACK_CREDIT = uint('sctp.initack_credit', 'Advertised receiver window credit (a_rwnd)');
const F_INITACK_OUT = uint('sctp.initack_nr_out_streams', 'Number of outbound streams', 16);
const F_INITACK_IN = uint('sctp.initack_nr_in_streams', 'Number of inbound streams', 16);
const F_INITACK_TSN = uint('sctp.initack_initial_tsn', 'Initial TSN');
const F_DATA_E = flag('sctp.data_e_bit', 'E-Bit');
const F_DATA_B = flag('sctp.data_b_bit', 'B-Bit');
const F_DATA_U = flag('sctp.data_u_bit', 'U-Bit');
const F_DATA_I = flag('sctp.data_i_bit', 'I-Bit');
const F_DATA_TSN = uint('sctp.data_tsn', 'Transmission sequence number (relative)');
const F_DATA_TSN_RAW = uint('sctp.data_tsn_raw', 'Transmission sequence number (absolute)');
const F_DATA_SID = uint('sctp.data_sid', 'Stream identifier', 16, Base.HEX);
const F_DATA_SSN = uint('sctp.data_ssn', 'Stream sequence number', 16);
const F_DATA_PPID = uint('sctp.data_payload_proto_id', 'Payload protocol identifier');
const F_SACK_CUM = uint('sctp.sack_cumulative_tsn_ack', 'Cumulative TSN ACK (relative)');
const F_SACK_CUM_RAW = uint('sctp.sack_cumulative_tsn_ack_raw', 'Cumulative TSN ACK (absolute)');
const F_SACK_RWND = uint('sctp.sack_a_rwnd', 'Advertised receiver window credit (a_rwnd)');
const F_SACK_GAPS = uint('sctp.sack_number_of_gap_blocks', 'Number of gap acknowledgement blocks', 16);
const F_SACK_DUPS = uint('sctp.sack_number_of_duplicated_tsns', 'Number of duplicated TSNs', 16);

const IP_PROTO_SCTP: u32 = 132;
const CHECKSUM_UNVERIFIED: u32 = 2;

const C_DATA: u32 = 0, C_INIT: u32 = 1, C_INIT_ACK: u32 = 2, C_SACK: u32 = 3;

function putChunkName(type: u32): void {
  switch (type) {
    case 0: puts('DATA'); return;
    case 1: puts('INIT'); return;
    case 2: puts('INIT_ACK'); return;
    case 3: puts('SACK'); return;
    case 4: puts('HEARTBEAT'); return;
    case 5: puts('HEARTBEAT_ACK'); return;
    case 6: puts('ABORT'); return;
    case 7: puts('SHUTDOWN'); return;
    case 8: puts('SHUTDOWN_ACK'); return;
    case 9: puts('ERROR'); return;
    case 10: puts('COOKIE_ECHO'); return;
    case 11: puts('COOKIE_ACK'); return;
    case 12: puts('ECNE'); return;
    case 13: puts('CWR'); return;
    case 14: puts('SHUTDOWN_COMPLETE'); return;
    case 15: puts('AUTH'); return;
    case 16: puts('NR_SACK'); return;
    case 64: puts('I_DATA'); return;
    case 128: puts('ASCONF_ACK'); return;
    case 129: puts('PKTDROP'); return;
    case 130: puts('RE_CONFIG'); return;
    case 132: puts('PAD'); return;
    case 192: puts('FORWARD_TSN'); return;
    case 193: puts('ASCONF'); return;
    case 194: puts('I_FORWARD_TSN'); return;
    case 255: puts('IETF_EXTENSION'); return;
    default: puts('RESERVED');
  }
}

// tshark keeps a half-association per (ports, verification tag) and pairs it
// with the opposite direction's; here each conversation direction keeps the
// tag it last saw, its first TSN and a started bit, and a new tag starts over.
// Per direction at word + dir: the tag, the first TSN; and one state word.
const W_VTAG = conversationWords(2);
const W_FIRST_TSN = conversationWords(2);
const W_STATE = conversationWord();
const STARTED: u32 = 1; // shifted left by the direction
const SEEN: u32 = 4;    // shifted left by the direction

let slot: i32 = -1;
let dir: u32 = 0;
let srcPort: u32 = 0;
let dstPort: u32 = 0;
let halfKnown = false;

function enterHalf(vtag: u32): void {
  halfKnown = false;
  if (slot < 0 || vtag == 0 || inErrorPacket()) return;
  const state = convGet(slot, W_STATE);
  if ((state & (SEEN << dir)) == 0 || convGet(slot, W_VTAG + dir) != vtag) {
    convSet(slot, W_VTAG + dir, vtag);
    convSet(slot, W_STATE, (state & ~(STARTED << dir)) | (SEEN << dir));
  }
  halfKnown = true;
}

function peerKnown(): bool {
  return halfKnown && (convGet(slot, W_STATE) & (SEEN << (dir ^ 1))) != 0;
}

function peerFirstTsn(): u32 {
  return (convGet(slot, W_STATE) & (STARTED << (dir ^ 1))) != 0 ? convGet(slot, W_FIRST_TSN + (dir ^ 1)) : 0;
}

/** Returns false when a read failed (the walk stops there). */
function dataChunk(p: u32, length: u32, chunkEnd: u32, end: u32): bool {
  if (length < 16) return true;
  if (lacks(p + 12, end, 4)) return false;
  const ppid = be32(p + 12);
  const flags = <u32>load<u8>(p + 1);
  if (lacks(p + 4, end, 4)) return false;
  const raw = be32(p + 4);
  let tsn = raw;
  if (halfKnown) {
    const state = convGet(slot, W_STATE);
    if ((state & (STARTED << dir)) == 0) {
      convSet(slot, W_FIRST_TSN + dir, raw);
      convSet(slot, W_STATE, state | (STARTED << dir));
    }
    tsn = raw - convGet(slot, W_FIRST_TSN + dir);
  }
  infoAppend(); puts('(TSN='); putDec(tsn); puts(') '); infoDone();
  addNum(F_DATA_I, (flags >> 3) & 1);
  addNum(F_DATA_U, (flags >> 2) & 1);
  addNum(F_DATA_B, (flags >> 1) & 1);
  addNum(F_DATA_E, flags & 1);
  if (halfKnown) addNum(F_DATA_TSN, tsn);
  addNum(F_DATA_TSN_RAW, raw);
  if (lacks(p + 8, end, 4)) return false;
  addNum(F_DATA_SID, be16(p + 8));
  addNum(F_DATA_SSN, be16(p + 10));
  addNum(F_DATA_PPID, ppid);
  // Only complete messages are handed on; fragments would go to reassembly.
  if ((flags & 3) != 3) return true;
  let payloadEnd = p + length;
  if (payloadEnd > chunkEnd) payloadEnd = chunkEnd;
  if (payloadEnd > end) payloadEnd = end;
  if (p + 16 < payloadEnd && !dispatchSctp(ppid, srcPort, dstPort, p + 16, payloadEnd)) dissectData(p + 16, payloadEnd);
  return true;
}

function sackChunk(p: u32, end: u32): bool {
  if (lacks(p + 4, end, 4)) return false;
  const raw = be32(p + 4);
  const relative = peerKnown();
  const ack = relative ? raw - peerFirstTsn() : raw;
  if (relative) addNum(F_SACK_CUM, ack);
  addNum(F_SACK_CUM_RAW, raw);
  if (lacks(p + 8, end, 8)) return false;
  const rwnd = be32(p + 8);
  addNum(F_SACK_RWND, rwnd);
  const gaps = be16(p + 12);
  addNum(F_SACK_GAPS, gaps);
  addNum(F_SACK_DUPS, be16(p + 14));
  let lastEnd: u32 = 0;
  let q = p + 16;
  for (let i: u32 = 0; i < gaps; i++) {
    if (lacks(q, end, 4)) return false;
    lastEnd = be16(q + 2);
    q += 4;
  }
  infoAppend(); puts('(Ack='); putDec(ack);
  if (lastEnd != 0) { puts('+'); putDec(lastEnd); }
  puts(', Arwnd='); putDec(rwnd); puts(') '); infoDone();
  return true;
}

function initChunk(p: u32, end: u32, ack: bool): bool {
  if (lacks(p + 4, end, 16)) return false;
  addNum(ack ? F_INITACK_TAG : F_INIT_TAG, be32(p + 4));
  addNum(ack ? F_INITACK_CREDIT : F_INIT_CREDIT, be32(p + 8));
  addNum(ack ? F_INITACK_OUT : F_INIT_OUT, be16(p + 12));
  addNum(ack ? F_INITACK_IN : F_INIT_IN, be16(p + 14));
  addNum(ack ? F_INITACK_TSN : F_INIT_TSN, be32(p + 16));
  return true;
}

export function dissectSctp(start: u32, end: u32): void {
  beginLayer(PROTO_SCTP);
  if (lacks(start, end, 4)) return;
  const src = be16(start), dst = be16(start + 2);
  srcPort = src; dstPort = dst;
  setProtocolColumn('SCTP');
  infoSet(); infoDone();
  if (lacks(start + 4, end, 8)) return;
  const vtag = be32(start + 4);
  addNum(F_SRCPORT, src);
  addNum(F_DSTPORT, dst);
  addNum(F_PORT, src);
  addNum(F_PORT, dst);
  addNum(F_VTAG, vtag);
  addNum(F_CHECKSUM, be32(start + 8));
  addNum(F_CHECKSUM_STATUS, CHECKSUM_UNVERIFIED);
  slot = findConversation(IP_PROTO_SCTP, src, dst);
  dir = conversationReversed() ? 1 : 0;
  enterHalf(vtag);

  const packetEnd = start + reportedLength(start, end);
  let p = start + 12;
  // Each pass moves on by at least 4 bytes or stops.
  while (p < packetEnd) {
    if (lacks(p + 2, end, 2)) return;
    const length = be16(p + 2);
    let total = (length + 3) & ~(<u32>3);
    const remaining = packetEnd - p;
    if (total > remaining) total = remaining;
    const chunkEnd = p + total;
    if (total == 0) { markReadPast(end, p + 1); return; }
    const type = <u32>load<u8>(p);
    infoAppend(); putChunkName(type); puts(' '); infoDone();
    // tshark's chunk subtree covers the chunk and its padding: past the captured bytes it throws.
    if (lacks(p, end, total)) return;
    addNum(F_CHUNK_TYPE, type);
    addNum(F_CHUNK_BIT_1, (type >> 7) & 1);
    addNum(F_CHUNK_BIT_2, (type >> 6) & 1);
    addNum(F_CHUNK_FLAGS, <u32>load<u8>(p + 1));
    addNum(F_CHUNK_LENGTH, length);
    if (length < 4) { p += total; continue; }
    const limit = chunkEnd < end ? chunkEnd : end;
    let ok = true;
    switch (type) {
      case C_DATA: ok = dataChunk(p, length, chunkEnd, limit); break;
      case C_INIT: if (length >= 20) ok = initChunk(p, limit, false); break;
      case C_INIT_ACK: if (length >= 20) ok = initChunk(p, limit, true); break;
      case C_SACK: ok = sackChunk(p, limit); break;
      default: break;
    }
    if (!ok) return;
    if (total > length) {
      if (lacks(p + length, end, total - length)) return;
      addBytes(F_CHUNK_PADDING, p + length, total - length);
    }
    infoFenceHere();
    p += total;
  }
}

registerIpProto(IP_PROTO_SCTP, dissectSctp);
