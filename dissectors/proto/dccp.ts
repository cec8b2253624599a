// Datagram Congestion Control Protocol (RFC 4340), IP protocol 33, as tshark
// 4.0 shows it: '39420 → 5001 [DataAck] Seq=2 (Ack=0)', sequence and
// acknowledgement numbers relative to the Request's and Response's (kept per
// conversation and direction, with tshark's 24-bit masks), the checksum over
// the coverage CsCov gives, and the option walk with the reads that end it.
import { protocol, uint, flag, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markReadPast, reportedLength, isFragmented, inErrorPacket, srcKind, srcPtr, dstPtr, AddrKind, streamSerial } from '../packet';
import { has, be16, be32, lacks } from '../cursor';
import { registerIpProto } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { conversationWord, findConversation, conversationReversed, convGet, convSet } from '../conversation';
import { ChecksumStatus, onesComplementAdd, foldChecksum, pseudoHeaderSum } from './inet-cksum';

const PROTO_DCCP = protocol('dccp', 'Datagram Congestion Control Protocol');
const F_SRCPORT = uint('dccp.srcport', 'Source Port', 16);
const F_DSTPORT = uint('dccp.dstport', 'Destination Port', 16);
const F_PORT = uint('dccp.port', 'Source or Destination Port', 16);
const F_STREAM = uint('dccp.stream', 'Stream index');
const F_DATA_OFFSET = uint('dccp.data_offset', 'Data Offset', 8);
const F_CCVAL = uint('dccp.ccval', 'CCVal', 8);
const F_CSCOV = uint('dccp.cscov', 'Checksum Coverage', 8);
const F_CHECKSUM = uint('dccp.checksum', 'Checksum', 16, Base.HEX);
const F_CHECKSUM_STATUS = uint('dccp.checksum.status', 'Checksum Status', 8);
const F_RES1 = uint('dccp.res1', 'Reserved', 8, Base.HEX);
const F_TYPE = uint('dccp.type', 'Type', 8);
const F_X = flag('dccp.x', 'Extended Sequence Numbers');
const F_RES2 = uint('dccp.res2', 'Reserved', 8, Base.HEX);
const F_SEQ = uint('dccp.seq', 'Sequence Number', 64);
const F_SEQ_RAW = uint('dccp.seq_raw', 'Sequence Number (raw)', 64);
const F_ACK_RES = uint('dccp.ack_res', 'Reserved', 16, Base.HEX);
const F_ACK = uint('dccp.ack', 'Acknowledgement Number', 64);
const F_ACK_RAW = uint('dccp.ack_raw', 'Acknowledgement Number (raw)', 64);
const F_SERVICE_CODE = uint('dccp.service_code', 'Service Code');
const F_RESET_CODE = uint('dccp.reset_code', 'Reset Code', 8);
const F_DATA1 = uint('dccp.data1', 'Data 1', 8);
const F_DATA2 = uint('dccp.data2', 'Data 2', 8);
const F_DATA3 = uint('dccp.data3', 'Data 3', 8);
const F_OPTION_TYPE = uint('dccp.option_type', 'Option Type', 8);
const F_FEATURE_NUMBER = uint('dccp.feature_number', 'Feature Number', 8);
const F_NDP_COUNT = uint('dccp.ndp_count', 'NDP Count', 64);
const F_TIMESTAMP = uint('dccp.timestamp', 'Timestamp');
const F_TIMESTAMP_ECHO = uint('dccp.timestamp_echo', 'Timestamp Echo');
const F_ELAPSED_TIME = uint('dccp.elapsed_time', 'Elapsed Time');
const F_DATA_CHECKSUM = uint('dccp.checksum_data', 'Data Checksum', 32, Base.HEX);
const F_PADDING = bytes('dccp.padding', 'Padding');
const F_MANDATORY = bytes('dccp.mandatory', 'Mandatory');
const F_SLOW_RECEIVER = bytes('dccp.slow_receiver', 'Slow Receiver');
const F_INIT_COOKIE = bytes('dccp.init_cookie', 'Init Cookie');
const F_ACK_VECTOR_0 = bytes('dccp.ack_vector.nonce_0', 'Ack Vector [Nonce 0]');
const F_ACK_VECTOR_1 = bytes('dccp.ack_vector.nonce_1', 'Ack Vector [Nonce 1]');
const F_DATA_DROPPED = bytes('dccp.data_dropped', 'Data Dropped');
const F_LOSS_EVENT_RATE = uint('dccp.ccid3_loss_event_rate', 'CCID3 Loss Event Rate');
const F_LOSS_INTERVALS = bytes('dccp.ccid3_loss_intervals', 'CCID3 Loss Intervals');
const F_RECEIVE_RATE = uint('dccp.ccid3_receive_rate', 'CCID3 Receive Rate');
const F_OPTION_RESERVED = bytes('dccp.option_reserved', 'Reserved');
const F_CCID_OPTION_DATA = bytes('dccp.ccid_option_data', 'CCID option');

const IP_PROTO_DCCP: u32 = 33;

const TYPE_NAMES: StaticArray<string> = [
  'Request', 'Response', 'Data', 'Ack', 'DataAck', 'CloseReq', 'Close', 'Reset', 'Sync', 'SyncAck', 'Listen',
  'Reserved', 'Reserved', 'Reserved', 'Reserved', 'Reserved',
];
const RESET_CODE_NAMES: StaticArray<string> = [
  'Unspecified', 'Closed', 'Aborted', 'No Connection', 'Packet Error', 'Option Error', 'Mandatory Error',
  'Connection Refused', 'Bad Service Code', 'Too Busy', 'Bad Init Cookie', 'Aggression Penalty', 'Reserved',
];

const T_REQUEST: u32 = 0, T_RESPONSE: u32 = 1, T_DATA: u32 = 2, T_ACK: u32 = 3, T_DATAACK: u32 = 4,
  T_CLOSEREQ: u32 = 5, T_CLOSE: u32 = 6, T_RESET: u32 = 7, T_SYNC: u32 = 8, T_SYNCACK: u32 = 9, T_LISTEN: u32 = 10;

// Per conversation, for each direction (0: from the higher endpoint, 1: from
// the lower, as tshark's flow1 and flow2): the base sequence number's low 32
// bits, its high 16 bits (both directions in one word), and a state word of
// the stream index + 1 (0: none yet) with a base-set bit per direction.
const W_BASE_LOW = conversationWord();
conversationWord();
const W_BASE_HIGH = conversationWord();
const W_STATE = conversationWord();
const STREAM_MASK: u32 = 0x3fffffff;
const BASE_SET: u32 = 0x40000000; // shifted left by the direction

let streamCount: u32 = 0;
let streamCountOf: u32 = 0xffffffff;

function serviceName(code: u32): void {
  switch (code) {
    case 0: puts('not specified'); return;
    case 7107696: puts('LTP: Licklider Transmission Protocol'); return;
    case 1145656131: puts('DISC: Discard'); return;
    case 1381253968: puts('RTCP: RTCP connection, separate from the corresponding RTP'); return;
    case 1381257281: puts('RTPA: RTP session conveying audio data (and associated RTCP)'); return;
    case 1381257295: puts('RTPO: RTP session conveying other media (and associated RTCP)'); return;
    case 1381257300: puts('RTPT: RTP session conveying text media (and associated RTCP)'); return;
    case 1381257302: puts('RTPV: RTP session conveying video data (and associated RTCP)'); return;
    case 1398361159: puts('SYLG: Syslog Protocol'); return;
    case 1685351985: puts('Bundle Protocol'); return;
    case 1852861808: puts('NPMP: NetPerfMeter Data'); return;
    case 4294967295: puts('Reserved (Invalid)'); return;
    default: puts('Unknown ('); putDec(code); puts(')');
  }
}

@inline function be48(p: u32): u64 {
  return (<u64>be16(p) << 32) | <u64>be32(p + 2);
}

let slot: i32 = -1;
let fwd: u32 = 0;

function baseSet(dir: u32): bool { return (convGet(slot, W_STATE) & (BASE_SET << dir)) != 0; }

function base(dir: u32): u64 {
  return (<u64>((convGet(slot, W_BASE_HIGH) >> (dir * 16)) & 0xffff) << 32) | <u64>convGet(slot, W_BASE_LOW + dir);
}

function setBase(seq: u64): void {
  if (slot < 0 || baseSet(fwd)) return;
  convSet(slot, W_BASE_LOW + fwd, <u32>seq);
  const high = convGet(slot, W_BASE_HIGH) & ~(<u32>0xffff << (fwd * 16));
  convSet(slot, W_BASE_HIGH, high | (<u32>(seq >> 32) & 0xffff) << (fwd * 16));
  convSet(slot, W_STATE, convGet(slot, W_STATE) | (BASE_SET << fwd));
}

/** The conversation's stream index, numbered from 0 in the order conversations first appear. */
function streamIndex(): u32 {
  if (streamCountOf != streamSerial()) { streamCountOf = streamSerial(); streamCount = 0; }
  const state = convGet(slot, W_STATE);
  if ((state & STREAM_MASK) != 0) return (state & STREAM_MASK) - 1;
  const index = streamCount++;
  convSet(slot, W_STATE, (state & ~STREAM_MASK) | ((index + 1) & STREAM_MASK));
  return index;
}

function checksumStatus(start: u32, end: u32, dataOffset: u32, cscov: u32): u32 {
  const reported = reportedLength(start, end);
  let coverage = reported;
  if (cscov != 0) {
    const cov = (dataOffset + cscov - 1) * 4;
    if (cov < reported) coverage = cov;
  }
  if (isFragmented() || end - start < coverage) return ChecksumStatus.UNVERIFIED;
  const pseudo = pseudoHeaderSum(srcPtr, dstPtr, srcKind == AddrKind.IPV6 ? 16 : 4, reported, IP_PROTO_DCCP);
  return foldChecksum(onesComplementAdd(start, coverage, pseudo)) == 0 ? ChecksumStatus.GOOD : ChecksumStatus.BAD;
}

function appendAck(ack: u64): void {
  infoAppend(); puts(' (Ack='); putDec(ack); puts(')'); infoDone();
}

/** A 48-bit acknowledgement number subheader at p (reserved 16 bits, then the number); false when a read threw. */
function longAck(p: u32, end: u32, mask24: bool): bool {
  if (lacks(p, end, 2)) return false;
  addNum(F_ACK_RES, be16(p));
  if (lacks(p + 2, end, 2) || lacks(p + 4, end, 4)) return false;
  const raw = be48(p + 2);
  const rel = baseSet(fwd ^ 1);
  let ack = rel ? raw - base(fwd ^ 1) : raw;
  if (rel && mask24) ack &= 0xffffff;
  if (rel) addNum(F_ACK, ack);
  addNum(F_ACK_RAW, raw);
  appendAck(ack);
  return true;
}

// Whether a tshark building a tree would still be dissecting: a few option
// reads happen only for the tree (an NDP count of no bytes, a CCID option's
// bytes), and the fields stop where such a read would have thrown.
let treeAlive = true;

function treeBytes(f: u32, p: u32, n: u32, end: u32): void {
  if (!treeAlive) return;
  if (!has(p, end, n)) { treeAlive = false; return; }
  addBytes(f, p, n);
}

/** proto_tree_add_item of n bytes at p: the bounds are checked with or without a tree. */
function itemBytes(f: u32, p: u32, n: u32, end: u32): bool {
  if (lacks(p, end, n)) return false;
  if (treeAlive) addBytes(f, p, n);
  return true;
}

function itemNum(f: u32, p: u32, n: u32, end: u32): bool {
  if (lacks(p, end, n)) return false;
  let v: u64 = 0;
  for (let i: u32 = 0; i < n; i++) v = (v << 8) | <u64><u32>load<u8>(p + i);
  if (treeAlive) addNum(f, v);
  return true;
}

/** Byte by byte reads of n bytes at p (p within the packet): the first one past the end throws. */
function lacksBytes(p: u32, end: u32, n: u32): bool {
  if (has(p, end, n)) return false;
  markReadPast(end, end + 1);
  return true;
}

/** A Change or Confirm option's feature number and values at p (len bytes after the type and length); false when a read threw. */
function featureOption(p: u32, len: u32, end: u32): bool {
  // tshark's subtree for the option makes sure its bytes are there first.
  if (lacks(p, end, len) || lacks(p, end, 1)) return false;
  const feature = <u32>load<u8>(p);
  if (treeAlive) addNum(F_FEATURE_NUMBER, feature);
  // tshark's count is a byte: an empty option wraps to 255 values.
  const values = (len - 1) & 0xff;
  switch (feature) {
    case 1: case 2: case 4: case 6: case 7: case 8: case 9: case 192:
      return !lacksBytes(p + 1, end, values);
    case 3: case 5:
      return values == 0 || !lacks(p + 1, end, values > 6 ? 6 : values);
    default:
      return true;
  }
}

/** The options in [p, optionsEnd); false when a read threw. */
function options(p: u32, optionsEnd: u32, end: u32): bool {
  while (p < optionsEnd) {
    if (lacks(p, end, 1)) return false;
    const type = <u32>load<u8>(p);
    if (treeAlive) addNum(F_OPTION_TYPE, type);
    let len: u32 = 1;
    if (type >= 32) {
      if (lacks(p + 1, end, 1)) return false;
      len = <u32>load<u8>(p + 1);
      if (len < 2) return true;
      p += 2;
      len -= 2;
    }
    switch (type) {
      case 0: if (!itemBytes(F_PADDING, p, len, end)) return false; break;
      case 1: if (!itemBytes(F_MANDATORY, p, len, end)) return false; break;
      case 2: if (!itemBytes(F_SLOW_RECEIVER, p, len, end)) return false; break;
      case 32: case 33: case 34: case 35: if (!featureOption(p, len, end)) return false; break;
      case 36: if (!itemBytes(F_INIT_COOKIE, p, len, end)) return false; break;
      case 37:
        if (len > 6) break;
        if (lacks(p, end, len)) return false;
        // An empty count fails only a tree's read of it.
        if (len == 0) treeAlive = false;
        else if (!itemNum(F_NDP_COUNT, p, len, end)) return false;
        break;
      case 38: if (!itemBytes(F_ACK_VECTOR_0, p, len, end)) return false; break;
      case 39: if (!itemBytes(F_ACK_VECTOR_1, p, len, end)) return false; break;
      case 40: if (!itemBytes(F_DATA_DROPPED, p, len, end)) return false; break;
      case 41: if (len == 4 && !itemNum(F_TIMESTAMP, p, 4, end)) return false; break;
      case 42:
        if (len == 4 || len == 6 || len == 8) {
          if (!itemNum(F_TIMESTAMP_ECHO, p, 4, end)) return false;
          if (len > 4 && !itemNum(F_ELAPSED_TIME, p + 4, len - 4, end)) return false;
        }
        break;
      case 43: if ((len == 2 || len == 4) && !itemNum(F_ELAPSED_TIME, p, len, end)) return false; break;
      case 44: if (len == 4 && !itemNum(F_DATA_CHECKSUM, p, 4, end)) return false; break;
      case 192: if (len == 4 && !itemNum(F_LOSS_EVENT_RATE, p, 4, end)) return false; break;
      case 193: if (!itemBytes(F_LOSS_INTERVALS, p, len, end)) return false; break;
      case 194: if (len == 4 && !itemNum(F_RECEIVE_RATE, p, 4, end)) return false; break;
      default:
        if (type < 128) { if (!itemBytes(F_OPTION_RESERVED, p, len, end)) return false; }
        else treeBytes(F_CCID_OPTION_DATA, p, len, end);
    }
    p += len;
  }
  return true;
}

export function dissectDccp(start: u32, end: u32): void {
  beginLayer(PROTO_DCCP);
  treeAlive = true;
  if (lacks(start, end, 4)) return;
  const src = be16(start), dst = be16(start + 2);
  setProtocolColumn('DCCP');
  infoSet(); putDec(src); puts(' → '); putDec(dst); infoDone();
  addNum(F_SRCPORT, src);
  addNum(F_PORT, src);
  addNum(F_DSTPORT, dst);
  addNum(F_PORT, dst);
  slot = findConversation(IP_PROTO_DCCP, src, dst);
  fwd = conversationReversed() ? 0 : 1;
  if (slot >= 0) addNum(F_STREAM, streamIndex());

  if (lacks(start + 4, end, 1)) return;
  const dataOffset = <u32>load<u8>(start + 4);
  const headerLen = dataOffset * 4;
  addNum(F_DATA_OFFSET, dataOffset);
  if (lacks(start + 5, end, 1)) return;
  const cscov = <u32>load<u8>(start + 5) & 0x0f;
  addNum(F_CCVAL, <u32>load<u8>(start + 5) >> 4);
  addNum(F_CSCOV, cscov);
  if (lacks(start + 6, end, 2)) return;
  addNum(F_CHECKSUM, be16(start + 6));
  addNum(F_CHECKSUM_STATUS, checksumStatus(start, end, dataOffset, cscov));

  if (lacks(start + 8, end, 1)) return;
  const typeByte = <u32>load<u8>(start + 8);
  const type = (typeByte >> 1) & 0x0f;
  const x = (typeByte & 1) != 0;
  addNum(F_RES1, typeByte >> 5);
  addNum(F_TYPE, type);
  infoAppend(); puts(' ['); puts(unchecked(TYPE_NAMES[type])); puts(']'); infoDone();
  addNum(F_X, x ? 1 : 0);

  let p = start + 9;
  let seq: u64;
  let rawSeq: u64;
  if (x) {
    if (headerLen < 16) return;
    if (lacks(p, end, 1)) return;
    addNum(F_RES2, <u32>load<u8>(p));
    p++;
    if (lacks(p, end, 6)) return;
    const raw = be48(p);
    rawSeq = raw;
    seq = raw;
    if (baseSet(fwd)) { seq = raw - base(fwd); addNum(F_SEQ, seq); }
    addNum(F_SEQ_RAW, raw);
    p += 6;
  } else {
    if (headerLen < 12) return;
    if (lacks(p, end, 3)) return;
    const raw = <u64>((be16(p) << 8) | <u32>load<u8>(p + 2));
    rawSeq = raw;
    addNum(F_SEQ, raw);
    seq = raw;
    if (baseSet(fwd)) { seq = (raw - base(fwd)) & 0xffffff; addNum(F_SEQ, seq); }
    p += 3;
  }
  infoAppend(); puts(' Seq='); putDec(seq); infoDone();

  const offset = p - start;
  switch (type) {
    case T_REQUEST: case T_LISTEN: {
      if (headerLen < offset + 4) return;
      if (lacks(p, end, 4)) return;
      const code = be32(p);
      addNum(F_SERVICE_CODE, code);
      infoAppend(); puts(' (service='); serviceName(code); puts(')'); infoDone();
      p += 4;
      setBase(rawSeq);
      break;
    }
    case T_RESPONSE: {
      if (headerLen < offset + 12) return;
      if (!longAck(p, end, false)) return;
      p += 8;
      if (lacks(p, end, 4)) return;
      const code = be32(p);
      addNum(F_SERVICE_CODE, code);
      infoAppend(); puts(' (service='); serviceName(code); puts(')'); infoDone();
      p += 4;
      setBase(rawSeq);
      break;
    }
    case T_DATA:
      break;
    case T_ACK: case T_DATAACK:
      if (x) {
        if (headerLen < offset + 8) return;
        if (!longAck(p, end, false)) return;
        p += 8;
      } else {
        if (headerLen < offset + 4) return;
        if (lacks(p, end, 1)) return;
        addNum(F_ACK_RES, <u32>load<u8>(p));
        if (lacks(p + 1, end, 1) || lacks(p + 2, end, 2)) return;
        const raw = <u64>((<u32>load<u8>(p + 1) << 16) | be16(p + 2));
        const rel = baseSet(fwd ^ 1);
        const ack = rel ? (raw - base(fwd ^ 1)) & 0xffffff : raw;
        if (rel) addNum(F_ACK, ack);
        addNum(F_ACK_RAW, raw);
        appendAck(ack);
        p += 4;
      }
      break;
    case T_RESET: {
      if (headerLen < offset + 4) return;
      if (!longAck(p, end, true)) return;
      p += 8;
      if (lacksBytes(p, end, 4)) return;
      const code = <u32>load<u8>(p);
      addNum(F_RESET_CODE, code);
      addNum(F_DATA1, <u32>load<u8>(p + 1));
      addNum(F_DATA2, <u32>load<u8>(p + 2));
      addNum(F_DATA3, <u32>load<u8>(p + 3));
      infoAppend(); puts(' (code='); puts(code < <u32>RESET_CODE_NAMES.length ? unchecked(RESET_CODE_NAMES[code]) : 'Unknown'); puts(')'); infoDone();
      p += 4;
      break;
    }
    case T_CLOSEREQ: case T_CLOSE: case T_SYNC: case T_SYNCACK:
      if (headerLen < offset + 8) return;
      if (!longAck(p, end, true)) return;
      p += 8;
      break;
    default:
      return;
  }

  // The payload starts after the options, or after the fixed header when the
  // data offset says less, even past the packet: handing it on then throws
  // (unless quoted in an ICMP error, where it is not handed on).
  const fixedLen = p - start;
  if (headerLen > fixedLen && !options(p, start + headerLen, end)) return;
  const payloadOffset = headerLen > fixedLen ? headerLen : fixedLen;
  if (inErrorPacket() && reportedLength(start, end) <= payloadOffset) return;
  if (payloadOffset > end - start) { markReadPast(end, start + payloadOffset); return; }
  if (treeAlive) dissectData(start + payloadOffset, end);
}

registerIpProto(IP_PROTO_DCCP, dissectDccp);
