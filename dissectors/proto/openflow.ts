// OpenFlow on TCP, as tshark 4.0 shows it without reassembly.  Port 6653 is
// registered; segments to 6633, 6634 or 6653 are taken by the heuristic,
// which also gives the stream to OpenFlow (its other direction follows).
// A segment is a run of messages, each with its length at bytes 2-3
// (Wireshark's tcp_dissect_pdus): a length below the 8-byte header ends the
// segment malformed, a message cut by the segment's end is read as far as
// tshark would read it and tells TCP where the next one starts.  Each
// message clears the info column before writing "Type: NAME" (so the last
// one shows), except after a 1.0 PACKET_IN or PACKET_OUT, which freeze the
// columns for the rest of the frame.  Versions 1.0, 1.3, 1.4 and 1.5 are
// named; others leave the info empty and report only the version.  Bodies
// are not decoded: only how far tshark reads them, which decides whether a
// cut message gets "[BoundErrorUnreassembled Packet]".
import { protocol, uint, Base } from '../fields';
import { beginLayer, beginItemLayer, addCalled, addNum, setProtocolColumn, markTruncated, markMalformed, errors, setErrors,
  truncatedToUnreassembled, hideErrorMark, bytesCutAfter, PacketError, reportedLength, srcKind, srcPtr, dstKind, dstPtr, setAddresses,
  setSourceAddress } from '../packet';
import { registerTcpPort, registerTcpHeuristic, tcpDstPort, tcpSrcPort, setTcpPorts } from '../dispatch';
import { infoSet, infoAppend, infoDone, infoFreeze, infoUnfreeze } from '../columns';
import { dissectEthernetWithoutFcs } from './eth';
import { puts, tableName } from '../text';
import { has, be16, be32 } from '../cursor';
import { findConversation, convSet } from '../conversation';
import { W_TCP_DISSECTOR, ConvDissector, registerConversationDissector } from './tcp-conv';
import { addPduSize, messageContinues, scanSlot, scanDirection, scanSegmentSeq, scanSegmentEnd, restoreScan } from './tcp-pdu';

const PROTO_OPENFLOW = protocol('openflow', 'OpenFlow');
const F_VERSION = uint('openflow.version', 'Version', 8, Base.HEX);
const PROTO_V1 = protocol('openflow_v1', 'OpenFlow 1.0');
const F_V1_TYPE = uint('openflow_1_0.type', 'Type', 8);
const F_LENGTH = uint('openflow.length', 'Length', 16);
const F_XID = uint('openflow.xid', 'Transaction ID', 32);
const F_V1_STATS_TYPE = uint('openflow.stats.type', 'Type', 16);
const PROTO_V4 = protocol('openflow_v4', 'OpenFlow 1.3');
const F_V4_VERSION = uint('openflow_v4.version', 'Version', 8, Base.HEX);
const F_V4_TYPE = uint('openflow_v4.type', 'Type', 8);
const F_V4_LENGTH = uint('openflow_v4.length', 'Length', 16);
const F_V4_XID = uint('openflow_v4.xid', 'Transaction ID', 32);
const F_V4_MP_REQUEST = uint('openflow_v4.multipart_request.type', 'Type', 16);
const F_V4_MP_REPLY = uint('openflow_v4.multipart_reply.type', 'Type', 16);
const PROTO_V5 = protocol('openflow_v5', 'OpenFlow 1.4');
const F_V5_VERSION = uint('openflow_v5.version', 'Version', 8, Base.HEX);
const F_V5_TYPE = uint('openflow_v5.type', 'Type', 8);
const F_V5_LENGTH = uint('openflow_v5.length', 'Length', 16);
const F_V5_XID = uint('openflow_v5.xid', 'Transaction ID', 32);
const F_V5_MP_REQUEST = uint('openflow_v5.multipart_request.type', 'Type', 16);
const F_V5_MP_REPLY = uint('openflow_v5.multipart_reply.type', 'Type', 16);
const PROTO_V6 = protocol('openflow_v6', 'OpenFlow 1.5');
const F_V6_VERSION = uint('openflow_v6.version', 'Version', 8, Base.HEX);
const F_V6_TYPE = uint('openflow_v6.type', 'Type', 8);
const F_V6_LENGTH = uint('openflow_v6.length', 'Length', 16);
const F_V6_XID = uint('openflow_v6.xid', 'Transaction ID', 32);
const F_V6_MP_REQUEST = uint('openflow_v6.multipart_request.type', 'Type', 16);
const F_V6_MP_REPLY = uint('openflow_v6.multipart_reply.type', 'Type', 16);

const HEADER: u32 = 8;
const VERSION_1_0: u32 = 1;
const VERSION_1_3: u32 = 4;
const VERSION_1_4: u32 = 5;
const VERSION_1_5: u32 = 6;

const V1_TYPES: StaticArray<string> = ['OFPT_HELLO', 'OFPT_ERROR', 'OFPT_ECHO_REQUEST', 'OFPT_ECHO_REPLY',
  'OFPT_VENDOR', 'OFPT_FEATURES_REQUEST', 'OFPT_FEATURES_REPLY', 'OFPT_GET_CONFIG_REQUEST',
  'OFPT_GET_CONFIG_REPLY', 'OFPT_SET_CONFIG', 'OFPT_PACKET_IN', 'OFPT_FLOW_REMOVED', 'OFPT_PORT_STATUS',
  'OFPT_PACKET_OUT', 'OFPT_FLOW_MOD', 'OFPT_PORT_MOD', 'OFPT_STATS_REQUEST', 'OFPT_STATS_REPLY',
  'OFPT_BARRIER_REQUEST', 'OFPT_BARRIER_REPLY', 'OFPT_QUEUE_GET_CONFIG_REQUEST', 'OFPT_QUEUE_GET_CONFIG_REPLY'];

// 1.3, 1.4 and 1.5 share their numbers; 1.4 dropped the queue configuration
// messages (22, 23) and added 30-34, 1.5 added 35.
const V4_TYPES: StaticArray<string> = ['OFPT_HELLO', 'OFPT_ERROR', 'OFPT_ECHO_REQUEST', 'OFPT_ECHO_REPLY',
  'OFPT_EXPERIMENTER', 'OFPT_FEATURES_REQUEST', 'OFPT_FEATURES_REPLY', 'OFPT_GET_CONFIG_REQUEST',
  'OFPT_GET_CONFIG_REPLY', 'OFPT_SET_CONFIG', 'OFPT_PACKET_IN', 'OFPT_FLOW_REMOVED', 'OFPT_PORT_STATUS',
  'OFPT_PACKET_OUT', 'OFPT_FLOW_MOD', 'OFPT_GROUP_MOD', 'OFPT_PORT_MOD', 'OFPT_TABLE_MOD',
  'OFPT_MULTIPART_REQUEST', 'OFPT_MULTIPART_REPLY', 'OFPT_BARRIER_REQUEST', 'OFPT_BARRIER_REPLY',
  'OFPT_QUEUE_GET_CONFIG_REQUEST', 'OFPT_QUEUE_GET_CONFIG_REPLY', 'OFPT_ROLE_REQUEST', 'OFPT_ROLE_REPLY',
  'OFPT_GET_ASYNC_REQUEST', 'OFPT_GET_ASYNC_REPLY', 'OFPT_SET_ASYNC', 'OFPT_METER_MOD', 'OFPT_ROLE_STATUS',
  'OFPT_TABLE_STATUS', 'OFPT_REQUESTFORWARD', 'OFPT_BUNDLE_CONTROL', 'OFPT_BUNDLE_ADD_MESSAGE',
  'OFPT_CONTROLLER_STATUS'];

const V4_MULTIPART: StaticArray<string> = ['OFPMP_DESC', 'OFPMP_FLOW', 'OFPMP_AGGREGATE', 'OFPMP_TABLE',
  'OFPMP_PORT_STATS', 'OFPMP_QUEUE', 'OFPMP_GROUP', 'OFPMP_GROUP_DESC', 'OFPMP_GROUP_FEATURES', 'OFPMP_METER',
  'OFPMP_METER_CONFIG', 'OFPMP_METER_FEATURES', 'OFPMP_TABLE_FEATURES', 'OFPMP_PORT_DESC'];
const MULTIPART_EXPERIMENTER: u32 = 0xffff;

/**
 * How a read inside a message ended: fine; past the captured bytes the
 * segment has (the snap length: tshark's uncaught "size limited", which ends
 * the frame); or past the message (caught: the next message is read all the
 * same).  Without reassembly the segment's payload is a fragment to tshark,
 * so the latter is "[BoundErrorUnreassembled Packet]" whether the message
 * goes on in the next segment or its own length is too short.
 */
const enum Read { OK = 0, CUT = 1, UNREASSEMBLED = 2 }

// The message being read: its first byte, captured end, and the bytes of
// it the segment holds on the wire.
let msg: u32 = 0;
let msgCapturedEnd: u32 = 0;
let msgInSegment: u32 = 0;
// A 1.0 PACKET_IN or PACKET_OUT made the columns read-only for the rest of the frame.
let columnsFrozen = false;

/** Whether the message's bytes [0, to) can be read. */
function reach(to: u32): Read {
  if (msg + to <= msgCapturedEnd) return Read.OK;
  return to <= msgInSegment ? Read.CUT : Read.UNREASSEMBLED;
}

function dissectOpenflow(start: u32, end: u32): void {
  // One call dissects every message; each version's own dissector is called per message.
  addCalled(PROTO_OPENFLOW);
  columnsFrozen = false;
  const reported = reportedLength(start, end);
  // Each message starts from the segment's addresses (a carried frame's replace them).
  const savedSrcKind = srcKind, savedSrc = srcPtr, savedDstKind = dstKind, savedDst = dstPtr;
  for (let offset: u32 = 0; offset < reported;) {
    const p = start + offset;
    if (offset > 0) {
      setAddresses(savedDstKind, savedSrc, savedDst);
      setSourceAddress(savedSrcKind, savedSrc);
    }
    const left = reported - offset;
    // A message that starts past the captured bytes ends the segment quietly,
    // as in tshark; the length is read outside tshark's per-message guard.
    if (p >= end) return;
    if (!has(p, end, 4)) { markTruncated(); return; }
    const length = be16(p + 2);
    if (length < HEADER) { markMalformed(); return; }
    addPduSize(length);
    if (length > left) messageContinues(length - left);
    msg = p;
    msgInSegment = length < left ? length : left;
    msgCapturedEnd = end - p < length ? end : p + length;
    const before = errors;
    const read = dissectMessage(p);
    if (read == Read.CUT) { markTruncated(); return; }
    if (read != Read.OK) { markTruncated(); truncatedToUnreassembled(); }
    // The next message clears the info column, error text included (unless it is frozen).
    if (length < left && !columnsFrozen) setErrors(before);
    offset += length;
  }
}

function dissectMessage(p: u32): Read {
  const version = <u32>load<u8>(p);
  if (!columnsFrozen) {
    setProtocolColumn('OpenFlow');
    infoSet(); infoDone();
  }
  if (version == VERSION_1_0) return dissectV1(p);
  if (version == VERSION_1_3 || version == VERSION_1_4 || version == VERSION_1_5) return dissectV4Up(p, version);
  beginItemLayer(PROTO_OPENFLOW);
  addNum(F_VERSION, version & 0x7f);
  return Read.OK;
}

function putType(table: StaticArray<string>, type: u32): void {
  if (columnsFrozen) return;
  infoAppend();
  puts('Type: ');
  puts(tableName(table, type, 'Unknown message type'));
  infoDone();
}

const V1_PACKET_IN: u32 = 10;
const V1_PACKET_OUT: u32 = 13;

function dissectV1(p: u32): Read {
  const type = <u32>load<u8>(p + 1);
  putType(V1_TYPES, type);
  if (type == V1_PACKET_IN || type == V1_PACKET_OUT) {
    // So that the Ethernet frame inside does not overwrite them; nothing
    // later in the frame, errors included, reaches the columns.
    columnsFrozen = true;
    hideErrorMark();
  }
  beginLayer(PROTO_V1);
  addNum(F_VERSION, 1);
  addNum(F_V1_TYPE, type);
  const length = be16(p + 2);
  addNum(F_LENGTH, length);
  let r = reach(HEADER);
  if (r != Read.OK) return r;
  addNum(F_XID, be32(p + 4));
  switch (type) {
    case 6: {
      // FEATURES_REPLY: 24 bytes of switch features, then whole 48-byte
      // ports for the length past 32, counted in 16 bits (a short length wraps).
      const ports = ((length - 32) & 0xffff) / 48;
      return reach(32 + 48 * ports);
    }
    case 8: case 9: return reach(12);
    case V1_PACKET_IN:
      r = reach(18);
      return r == Read.OK ? dissectCarriedFrame(p + 18, length, true) : r;
    case V1_PACKET_OUT: {
      // Buffer, port, actions length, one action header, an output action's
      // port and length; a frame follows when no buffer holds it.
      r = reach(20);
      if (r != Read.OK) return r;
      const output = be16(p + 16) == 0;
      if (output) {
        r = reach(24);
        if (r != Read.OK) return r;
      }
      if (be32(p + 8) != 0xffffffff) return Read.OK;
      return dissectCarriedFrame(p + (output ? 24 : 16 + be16(p + 18)), length, true);
    }
    case 14:
      // FLOW_MOD: the 40-byte match, the fixed part, one action header (and an output action's body).
      r = reach(76);
      if (r != Read.OK) return r;
      return be16(p + 72) == 0 ? reach(80) : Read.OK;
    case 16: case 17: {
      r = reach(10);
      if (r != Read.OK) return r;
      const statsType = be16(p + 8);
      addNum(F_V1_STATS_TYPE, statsType);
      r = reach(12);
      // A flow statistics request carries a match, table, pad and out port.
      if (r != Read.OK || type == 17 || statsType != 1) return r;
      return reach(56);
    }
    default: return Read.OK;
  }
}

/**
 * The Ethernet frame a PACKET_IN or PACKET_OUT carries, from `from` to the
 * message's end: its fields are added, the columns keep their protocol and
 * info.  Its addresses fill the columns in 1.0; later versions put the
 * message's back.  An error inside it is caught by the Ethernet type
 * dispatch and shows nowhere, with the columns read-only, except running
 * into the snap length, which ends the frame there (CUT, without a mark,
 * the columns left as they are).
 */
function dissectCarriedFrame(from: u32, length: u32, keepAddresses: bool): Read {
  const frameEnd = msg + length < msgCapturedEnd ? msg + length : msgCapturedEnd;
  if (from >= frameEnd) return Read.OK;
  const savedErrors = errors;
  const savedSrcKind = srcKind, savedSrc = srcPtr, savedDstKind = dstKind, savedDst = dstPtr;
  // A TCP segment inside (OpenFlow again, even) must not take over this segment's state.
  const scanned = scanSlot(), scannedDir = scanDirection(), scannedSeq = scanSegmentSeq(), scannedEnd = scanSegmentEnd();
  const frozen = columnsFrozen;
  const srcPort = tcpSrcPort, dstPort = tcpDstPort;
  infoFreeze();
  dissectEthernetWithoutFcs(from, frameEnd);
  infoUnfreeze();
  restoreScan(scanned, scannedDir, scannedSeq, scannedEnd);
  columnsFrozen = frozen;
  setTcpPorts(srcPort, dstPort);
  setProtocolColumn('OpenFlow');
  const cut = (errors & ~savedErrors & PacketError.TRUNCATED) != 0 && bytesCutAfter(frameEnd) > 0;
  setErrors(savedErrors);
  if (cut) {
    columnsFrozen = true;
    hideErrorMark();
    return Read.CUT;
  }
  if (!keepAddresses) {
    setAddresses(savedDstKind, savedSrc, savedDst);
    setSourceAddress(savedSrcKind, savedSrc);
  }
  return Read.OK;
}

/** A match's bytes with the padding to 8 that follows it. */
@inline function padded8(n: u32): u32 { return (n + 7) & ~7; }

/** 1.3-1.5 PACKET_IN: fixed part, a match, 2 bytes of pad, the frame. */
function readPacketIn(p: u32, length: u32): Read {
  let r = reach(28);
  if (r != Read.OK) return r;
  const matchLength = be16(p + 26);
  if (matchLength < 4) return reach(length);
  const dataAt: u32 = 24 + padded8(matchLength) + 2;
  r = reach(dataAt);
  if (r != Read.OK) return r;
  return dataAt < length ? dissectCarriedFrame(p + dataAt, length, false) : Read.OK;
}

/** PACKET_OUT: buffer, port and the actions' length (1.5: and a match), the actions, the frame. */
function readPacketOut(p: u32, length: u32, version: u32): Read {
  let dataAt: u32;
  if (version == VERSION_1_5) {
    let r = reach(20);
    if (r != Read.OK) return r;
    const matchLength = be16(p + 18);
    if (matchLength < 4) return reach(length);
    dataAt = 16 + padded8(matchLength) + be16(p + 12);
  } else {
    let r = reach(24);
    if (r != Read.OK) return r;
    dataAt = 24 + be16(p + 16);
  }
  const r = reach(dataAt);
  if (r != Read.OK) return r;
  return dataAt < length ? dissectCarriedFrame(p + dataAt, length, false) : Read.OK;
}

const MULTIPART_REQUEST: u32 = 18;
const MULTIPART_REPLY: u32 = 19;
const ERROR: u32 = 1;

function dissectV4Up(p: u32, version: u32): Read {
  const type = <u32>load<u8>(p + 1);
  putType(V4_TYPES, versionType(version, type));
  beginLayer(version == VERSION_1_3 ? PROTO_V4 : version == VERSION_1_4 ? PROTO_V5 : PROTO_V6);
  let r = addHeader(p, version);
  if (r != Read.OK) return r;
  const length = be16(p + 2);
  if (type == MULTIPART_REQUEST || type == MULTIPART_REPLY) {
    r = reach(10);
    if (r != Read.OK) return r;
    const part = be16(p + 8);
    addNum(multipartField(version, type == MULTIPART_REPLY), part);
    // Only 1.3 names the part in the info column.
    if (version == VERSION_1_3 && !columnsFrozen) {
      infoAppend();
      puts(', ');
      puts(part == MULTIPART_EXPERIMENTER ? 'OFPMP_EXPERIMENTER' : tableName(V4_MULTIPART, part, 'Unknown type'));
      infoDone();
    }
    // Flags, then the body, read to the message's length.
    r = reach(12);
    return r != Read.OK ? r : reach(length);
  }
  if (type == ERROR) return readError(p, version, length);
  if (type == 10) return readPacketIn(p, length);
  if (type == 13) return readPacketOut(p, length, version);
  // Messages without a body (5, 7, 20, 21, 26), and unknown types, whose body tshark only notes.
  if (type == 5 || type == 7 || type == 20 || type == 21 || type == 26) return Read.OK;
  if (versionType(version, type) >= <u32>V4_TYPES.length) return Read.OK;
  return length > HEADER ? reach(length) : Read.OK;
}

/** The type as an index into V4_TYPES: the numbers a version does not define map past its end. */
function versionType(version: u32, type: u32): u32 {
  if (version != VERSION_1_3 && (type == 22 || type == 23)) return 0xff;
  if (version == VERSION_1_3 && type >= 30) return 0xff;
  if (version == VERSION_1_4 && type >= 35) return 0xff;
  return type;
}

function multipartField(version: u32, reply: bool): u32 {
  if (version == VERSION_1_3) return reply ? F_V4_MP_REPLY : F_V4_MP_REQUEST;
  if (version == VERSION_1_4) return reply ? F_V5_MP_REPLY : F_V5_MP_REQUEST;
  return reply ? F_V6_MP_REPLY : F_V6_MP_REQUEST;
}

/** Version, type, length and transaction ID of the header at message offset `at`. */
function addHeaderAt(p: u32, version: u32, at: u32): Read {
  const v4 = version == VERSION_1_3, v5 = version == VERSION_1_4;
  let r = reach(at + 4);
  if (r != Read.OK) return r;
  addNum(v4 ? F_V4_VERSION : v5 ? F_V5_VERSION : F_V6_VERSION, load<u8>(p + at));
  addNum(v4 ? F_V4_TYPE : v5 ? F_V5_TYPE : F_V6_TYPE, load<u8>(p + at + 1));
  addNum(v4 ? F_V4_LENGTH : v5 ? F_V5_LENGTH : F_V6_LENGTH, be16(p + at + 2));
  r = reach(at + HEADER);
  if (r != Read.OK) return r;
  addNum(v4 ? F_V4_XID : v5 ? F_V5_XID : F_V6_XID, be32(p + at + 4));
  return Read.OK;
}

function addHeader(p: u32, version: u32): Read { return addHeaderAt(p, version, 0); }

/**
 * ERROR: type and code; a hello failure's text; for the request errors (1-13)
 * the failed request's header, whose fields join the message's own (its body
 * is not followed here); an experimenter's ID.
 */
function readError(p: u32, version: u32, length: u32): Read {
  let r = reach(12);
  if (r != Read.OK) return r;
  const errorType = be16(p + 8);
  if (errorType == 0) return length > 12 ? reach(length) : Read.OK;
  if (errorType == 0xffff) return reach(16);
  if (errorType > 13) return Read.OK;
  if (length > 20) {
    r = reach(length - 8);
    if (r != Read.OK) return r;
  }
  return addHeaderAt(p, version, 12);
}

function takeStream(): void {
  convSet(findConversation(6, tcpSrcPort, tcpDstPort), W_TCP_DISSECTOR, ConvDissector.OPENFLOW);
}

/** Wireshark's heuristic: anything sent to one of OpenFlow's ports, and the stream from then on. */
function openflowHeuristic(start: u32, end: u32): bool {
  const port = tcpDstPort;
  if (port != 6633 && port != 6634 && port != 6653) return false;
  takeStream();
  dissectOpenflow(start, end);
  return true;
}

function dissectOwnedStream(start: u32, end: u32): bool {
  dissectOpenflow(start, end);
  return true;
}

registerTcpPort(6653, dissectOpenflow);
registerTcpHeuristic(openflowHeuristic);
registerConversationDissector(ConvDissector.OPENFLOW, dissectOwnedStream);
