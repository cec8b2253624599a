// L2TP version 2 (RFC 2661) on UDP port 1701: the info column tells control
// from data messages with the tunnel and session ids, and a control message's
// type from its first AVP; data messages carry PPP in HDLC-like framing.
// The AVP walk and L2TPv3 are not dissected.
import { protocol, uint, flag, Base } from '../fields';
import { beginItemLayer, addCalled, addNum, setProtocolColumn, markMalformed, markTruncated, bytesCutAfter } from '../packet';
import { has, lacks, be16, be32, clampEnd } from '../cursor';
import { registerUdpPortTry } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec, putTableName } from '../text';
import { dissectPppHdlc } from './ppp';

const PROTO_L2TP = protocol('l2tp', 'Layer 2 Tunneling Protocol');
const F_FLAGS = uint('l2tp.flags', 'Flags', 16, Base.HEX);
const F_TYPE = uint('l2tp.type', 'Type', 16);
const F_LENGTH_BIT = flag('l2tp.length_bit', 'Length Bit');
const F_SEQ_BIT = flag('l2tp.seq_bit', 'Sequence Bit');
const F_OFFSET_BIT = flag('l2tp.offset_bit', 'Offset bit');
const F_PRIORITY = flag('l2tp.priority', 'Priority');
const F_VERSION = uint('l2tp.version', 'Version', 16);
const F_LENGTH = uint('l2tp.length', 'Length', 16);
const F_TUNNEL = uint('l2tp.tunnel', 'Tunnel ID', 16);
const F_SESSION = uint('l2tp.session', 'Session ID', 16);
const F_NS = uint('l2tp.Ns', 'Ns', 16);
const F_NR = uint('l2tp.Nr', 'Nr', 16);
const F_OFFSET = uint('l2tp.offset', 'Offset', 16);

const MESSAGE_TYPE_SHORT_NAMES: StaticArray<string> = [
  '', 'SCCRQ', 'SCCRP', 'SCCCN', 'StopCCN', 'Reserved', 'Hello', 'OCRQ', 'OCRP', 'OCCN', 'ICRQ',
  'ICRP', 'ICCN', 'Reserved', 'CDN', 'WEN', 'SLI', 'MDMST', 'SRRQ', 'SRRP', 'ACK', 'FSQ', 'FSR',
  'MSRQ', 'MSRP', 'MSE', 'MSI', 'MSEN', 'CSUN', 'CSURQ',
];
const L2TP_PORT: u32 = 1701;
const CONTROL: u32 = 0x8000;
const LENGTH_PRESENT: u32 = 0x4000;
const SEQUENCE_PRESENT: u32 = 0x0800;
const OFFSET_PRESENT: u32 = 0x0200;
const AVP_MESSAGE_TYPE: u32 = 0;
const AVP_HIDDEN: u32 = 0x4000;
const AVP_PROXY_AUTHEN_TYPE: u32 = 29;
const AVP_EXTENDED_VENDOR_ID: u32 = 58;
const AVP_LOCAL_SESSION_ID: u32 = 63;
const AVP_REMOTE_SESSION_ID: u32 = 64;

function putIds(tunnel: u32, session: u32): void {
  puts('(tunnel id='); putDec(tunnel); puts(', session id='); putDec(session); puts(')');
}

function dissectL2tpUdp(start: u32, end: u32): bool {
  if (!has(start, end, 2)) return false;
  const control = be16(start);
  const version = control & 0xf;
  if (version != 2 && version != 3) return false;
  // The call is made here; the layer's item only after the header is read.
  addCalled(PROTO_L2TP);
  setProtocolColumn('L2TP');
  infoSet();
  if (version == 3) { infoDone(); setProtocolColumn('L2TPv3'); beginItemLayer(PROTO_L2TP); return true; }
  const lengthPresent = (control & LENGTH_PRESENT) != 0;
  let p = start + 2;
  let length: u32 = 0;
  if (lengthPresent) {
    if (lacks(p, end, 2)) { infoDone(); return true; }
    length = be16(p); p += 2;
  }
  if (lacks(p, end, 4)) { infoDone(); return true; }
  const tunnel = be16(p);
  const session = be16(p + 2);
  if ((control & CONTROL) != 0) {
    if (lengthPresent && length == 12) {
      puts('Control Message - ZLB      '); putIds(tunnel, session);
    } else {
      // The first AVP's type, read where it would be without an offset field.
      const avpType = p + 4 + ((control & SEQUENCE_PRESENT) != 0 ? 4 : 0) + 4;
      if (lacks(avpType, end, 2)) { infoDone(); return true; }
      if (be16(avpType) == AVP_MESSAGE_TYPE) {
        if (lacks(avpType + 2, end, 2)) { infoDone(); return true; }
        puts('Control Message - '); putTableName(MESSAGE_TYPE_SHORT_NAMES, be16(avpType + 2)); puts(' ');
      } else {
        puts('Control Message ');
      }
      putIds(tunnel, session);
    }
  } else {
    puts('Data    Message            '); putIds(tunnel, session);
  }
  infoDone();
  // From here tshark's reads stop at the header's length: past it is malformed, past the capture truncated.
  let reportedEnd = end + bytesCutAfter(end);
  if (lengthPresent) {
    const declaredEnd = start + length < start ? 0xffffffff : start + length;
    if (declaredEnd < reportedEnd) reportedEnd = declaredEnd;
    end = clampEnd(start, length, end);
  }
  beginItemLayer(PROTO_L2TP);
  addNum(F_FLAGS, control);
  addNum(F_TYPE, control >> 15);
  addNum(F_LENGTH_BIT, (control >> 14) & 1);
  addNum(F_SEQ_BIT, (control >> 11) & 1);
  addNum(F_OFFSET_BIT, (control >> 9) & 1);
  addNum(F_PRIORITY, (control >> 8) & 1);
  addNum(F_VERSION, version);
  // Fields tshark adds only to a tree are skipped quietly when cut off, as its summary pass reads nothing there.
  if (lengthPresent && has(start + 2, end, 2)) addNum(F_LENGTH, length);
  if (has(p, end, 4)) { addNum(F_TUNNEL, tunnel); addNum(F_SESSION, session); }
  p += 4;
  if ((control & SEQUENCE_PRESENT) != 0) {
    if (has(p, end, 4)) { addNum(F_NS, be16(p)); addNum(F_NR, be16(p + 2)); }
    p += 4;
  }
  if ((control & OFFSET_PRESENT) != 0) {
    if (readFails(p, 2, end, reportedEnd)) return true;
    const offsetSize = be16(p);
    addNum(F_OFFSET, offsetSize);
    p += 2 + offsetSize;
  }
  if ((control & CONTROL) == 0) {
    if (p < end) dissectPppHdlc(p, end);
    return true;
  }
  if (lengthPresent) walkAvps(p, start + length, end, reportedEnd);
  return true;
}

/** Whether [p, p + n) is missing, marking the packet malformed past `reportedEnd` and truncated past `end`. */
function readFails(p: u32, n: u32, end: u32, reportedEnd: u32): bool {
  if (has(p, end, n)) return false;
  if (p > reportedEnd || reportedEnd - p < n) markMalformed(); else markTruncated();
  return true;
}

/**
 * The AVPs up to the header's length, reading only what tshark reads without
 * a tree: each AVP's header, a message type, a proxy authentication type and
 * the session ids it appends to the info column.
 */
function walkAvps(p: u32, lengthEnd: u32, end: u32, reportedEnd: u32): void {
  while (p < lengthEnd) {
    if (readFails(p, 6, end, reportedEnd)) return;
    const head = be16(p);
    const avpLength = head & 0x3ff;
    const vendor = be16(p + 2);
    const type = be16(p + 4);
    if (avpLength < 6) return;
    if (vendor != 0) {
      // tshark cuts the AVP out as its own buffer, which must lie within the message.
      if (p + avpLength > reportedEnd) { markMalformed(); return; }
      p += avpLength;
      continue;
    }
    if ((head & AVP_HIDDEN) != 0) { p += avpLength; continue; }
    if (type == AVP_EXTENDED_VENDOR_ID) { p += 8; continue; }
    const value = p + 6;
    if (type == AVP_MESSAGE_TYPE || type == AVP_PROXY_AUTHEN_TYPE) {
      if (readFails(value, 2, end, reportedEnd)) return;
    } else if (type == AVP_LOCAL_SESSION_ID || type == AVP_REMOTE_SESSION_ID) {
      if (readFails(value, 4, end, reportedEnd)) return;
      infoAppend(); puts(type == AVP_LOCAL_SESSION_ID ? ', LSID: ' : ', RSID: ');
      const id = be32(value);
      if (id < 10) puts(' ');
      putDec(id); infoDone();
    }
    p += avpLength;
  }
}

registerUdpPortTry(L2TP_PORT, dissectL2tpUdp);
