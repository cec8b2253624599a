// NetBIOS Session Service (RFC 1002) on TCP 139 and 445, as tshark 4.0
// shows a segment without reassembly: a segment that does not start with a
// plausible header (a type it knows with a length that fits it) is a
// continuation of an earlier message; otherwise the first message's type is
// the info column and each message in the segment is read, a session
// message's payload going to SMB or SMB2.  When the first message is a session
// message holding SMB the lengths take 24 bits; else 17, with a flags byte
// (the port, 139 or 445, does not change this).
import { protocol, uint, bytes, ipv4, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, reportedLength, beginSingleCall, endSingleCall } from '../packet';
import { registerTcpPort, tcpSrcPort, tcpDstPort } from '../dispatch';
import { has, be16 } from '../cursor';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHexDigits } from '../text';
import { readName, nameUsed, resetNameBudget } from './dns-name';
import { putNetbiosName } from './nbns';
import { dissectNetbiosPayload } from './smb';
import { messageContinues } from './tcp-pdu';

const PROTO_NBSS = protocol('nbss', 'NetBIOS Session Service');
const F_TYPE = uint('nbss.type', 'Message Type', 8, Base.HEX);
const F_FLAGS = uint('nbss.flags', 'Flags', 8, Base.HEX);
const F_LENGTH = uint('nbss.length', 'Length', 24);
const F_ERROR_CODE = uint('nbss.error_code', 'Error code', 8, Base.HEX);
const F_RETARGET_IP = ipv4('nbss.retarget_ip_address', 'Retarget IP address');
const F_RETARGET_PORT = uint('nbss.retarget_port', 'Retarget port', 16);
const F_CONTINUATION = bytes('nbss.continuation_data', 'Continuation data');

const SESSION_MESSAGE: u32 = 0x00;
const SESSION_REQUEST: u32 = 0x81;
const POSITIVE_RESPONSE: u32 = 0x82;
const NEGATIVE_RESPONSE: u32 = 0x83;
const RETARGET_RESPONSE: u32 = 0x84;
const KEEP_ALIVE: u32 = 0x85;
const FLAG_EXTEND: u32 = 0x01;

function dissectNbss(start: u32, end: u32): void {
  const call = beginSingleCall(PROTO_NBSS);
  dissectMessages(start, end);
  endSingleCall(call);
}

function dissectMessages(start: u32, end: u32): void {
  setProtocolColumn('NBSS');
  infoSet(); infoDone();
  if (!has(start, end, 4)) { continuation(start, end); return; }
  const type = <u32>load<u8>(start);
  // A session message holding SMB (or SMB2) has a 24-bit length whatever the port.
  const cifs = type == SESSION_MESSAGE && holdsSmb(start, end);
  const flags = cifs ? 0 : <u32>load<u8>(start + 1);
  const length = messageLength(start, cifs);
  if ((flags & ~FLAG_EXTEND) != 0 || !plausible(type, length)) { continuation(start, end); return; }
  infoSet(); puts(typeName(type)); infoDone();
  const ports = tcpSrcPort ^ tcpDstPort;
  const reportedEnd = start + reportedLength(start, end);
  // The first message's length form stands for the messages after it.
  let p = start;
  while (p < reportedEnd) {
    if (!has(p, end, 4)) { markTruncated(); return; }
    const messageEnd64 = <u64>p + 4 + <u64>messageLength(p, cifs);
    const messageEnd = messageEnd64 < <u64>end ? <u32>messageEnd64 : end;
    // An SMB message that goes on in later segments tells TCP where the next message starts.
    if (messageEnd64 > <u64>reportedEnd && holdsSmb(p, end)) messageContinues(<u32>(messageEnd64 - <u64>reportedEnd));
    nbssMessage(p, messageEnd, cifs, ports);
    if (messageEnd64 >= <u64>reportedEnd) return;
    p = <u32>messageEnd64;
  }
}

/** Whether the message at p says 'SMB' after its header's first byte (SMB's or SMB2's magic). */
function holdsSmb(p: u32, end: u32): bool {
  return has(p, end, 8) && load<u8>(p + 5) == 0x53 && load<u8>(p + 6) == 0x4d && load<u8>(p + 7) == 0x42;
}

function messageLength(p: u32, cifs: bool): u32 {
  if (cifs) return (<u32>load<u8>(p + 1) << 16) | be16(p + 2);
  return be16(p + 2) + ((<u32>load<u8>(p + 1) & FLAG_EXTEND) << 16);
}

/** Whether the first header's length suits its type (tshark's test before it takes a segment for a continuation). */
function plausible(type: u32, length: u32): bool {
  switch (type) {
    case SESSION_MESSAGE: return length != 0;
    case SESSION_REQUEST: return length >= 2 && length <= 256;
    case POSITIVE_RESPONSE: return length == 0;
    case NEGATIVE_RESPONSE: return length == 1;
    case RETARGET_RESPONSE: return length == 6;
    case KEEP_ALIVE: return length == 0;
    default: return false;
  }
}

function continuation(start: u32, end: u32): void {
  infoSet(); puts('NBSS Continuation Message'); infoDone();
  beginLayer(PROTO_NBSS);
  addBytes(F_CONTINUATION, start, end - start);
}

/** One message at p (its 4-byte header is there), up to `end`: its header, then what its type carries. */
function nbssMessage(p: u32, end: u32, cifs: bool, ports: u32): void {
  beginLayer(PROTO_NBSS);
  const type = <u32>load<u8>(p);
  addNum(F_TYPE, type);
  if (!cifs) addNum(F_FLAGS, load<u8>(p + 1));
  addNum(F_LENGTH, messageLength(p, cifs));
  const body = p + 4;
  if (type == SESSION_REQUEST) {
    resetNameBudget();
    if (!readName(p, end, body)) return;
    infoAppend(); puts(', to '); putNetbiosName(); puts(' '); infoDone();
    if (!readName(p, end, body + <u32>nameUsed)) return;
    infoAppend(); puts('from '); putNetbiosName(); infoDone();
  } else if (type == NEGATIVE_RESPONSE) {
    if (!has(body, end, 1)) { markTruncated(); return; }
    const code = <u32>load<u8>(body);
    addNum(F_ERROR_CODE, code);
    infoAppend(); puts(', '); putErrorCode(code); infoDone();
  } else if (type == RETARGET_RESPONSE) {
    if (!has(body, end, 6)) { markTruncated(); return; }
    addBytes(F_RETARGET_IP, body, 4);
    addNum(F_RETARGET_PORT, be16(body + 4));
  } else if (type == SESSION_MESSAGE) {
    if (body < end) dissectNetbiosPayload(body, end, true, ports);
  }
}

function typeName(type: u32): string {
  switch (type) {
    case SESSION_MESSAGE: return 'Session message';
    case SESSION_REQUEST: return 'Session request';
    case POSITIVE_RESPONSE: return 'Positive session response';
    case NEGATIVE_RESPONSE: return 'Negative session response';
    case RETARGET_RESPONSE: return 'Retarget session response';
    default: return 'Session keep-alive';
  }
}

function putErrorCode(code: u32): void {
  switch (code) {
    case 0x80: puts('Not listening on called name'); break;
    case 0x81: puts('Not listening for calling name'); break;
    case 0x82: puts('Called name not present'); break;
    case 0x83: puts('Called name present, but insufficient resources'); break;
    case 0x8f: puts('Unspecified error'); break;
    default: puts('Unknown ('); putHexDigits(code, 1); puts(')');
  }
}

registerTcpPort(139, dissectNbss);
registerTcpPort(445, dissectNbss);
