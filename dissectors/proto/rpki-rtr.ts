// The RPKI to Router protocol (RFC 6810, version 1 RFC 8210) on TCP 323, as
// tshark 4.0 shows it without reassembly.  A segment is a run of PDUs, each
// with its length at bytes 4-7 (Wireshark's tcp_dissect_pdus); each PDU's
// name is appended to the info column, ", " between them.  Inside a PDU
// tshark walks on past the fields its type has while the PDU's length
// leaves bytes, reading what it finds there as a further PDU (an unknown
// type skips the 32-bit value at bytes 2-5, or ends the PDU when that
// value is larger than the PDU).  A read past the PDU, or past the segment,
// puts "[BoundErrorUnreassembled Packet]" behind the PDU's name (TCP marks
// its payload fragmented, so tshark's malformed errors are shown that
// way) and the next PDU is read all the same; a read past the captured
// bytes of a frame the snap length cut ends the frame "size limited".  A
// length below 8 ends the segment "[Malformed Packet]"; a length of 0, a
// header past the segment or a length past 2^31 end it unreassembled.
// Router Key's public key (BER) is taken to be read as a whole by its
// outer header, not decoded.
import { protocol, uint, flag, ipv4, ipv6, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, markMalformed, reportedLength,
  truncatedToUnreassembled, beginSingleCall, endSingleCall } from '../packet';
import { registerTcpPort } from '../dispatch';
import { infoSet, infoAppend, infoDone, infoLength } from '../columns';
import { puts, putTableName } from '../text';
import { has, be16, be32 } from '../cursor';
import { addPduSize, messageContinues } from './tcp-pdu';

const PROTO_RPKI_RTR = protocol('rpkirtr', 'RPKI-Router Protocol');
const F_VERSION = uint('rpki-rtr.version', 'Version', 8);
const F_PDU_TYPE = uint('rpki-rtr.pdu_type', 'PDU Type', 8);
const F_SESSION_ID = uint('rpki-rtr.session_id', 'Session ID', 16);
const F_LENGTH = uint('rpki-rtr.length', 'Length', 32);
const F_SERIAL = uint('rpki-rtr.serial_number', 'Serial Number', 32);
const F_FLAGS = uint('rpki-rtr.flags', 'Flags', 8, Base.HEX);
const F_FLAG_AW = flag('rpki-rtr.flags.aw', 'Flag AW');
const F_FLAG_RK = flag('rpki-rtr.flags.rk', 'Flag Router Key');
const F_PREFIX_LENGTH = uint('rpki-rtr.prefix_length', 'Prefix Length', 8);
const F_MAX_LENGTH = uint('rpki-rtr.max_length', 'Max length', 8);
const F_IPV4_PREFIX = ipv4('rpki-rtr.ipv4_prefix', 'IPv4 Prefix');
const F_IPV6_PREFIX = ipv6('rpki-rtr.ipv6_prefix', 'IPv6 Prefix');
const F_AS_NUMBER = uint('rpki-rtr.as_number', 'AS Number', 32);
const F_ERROR_CODE = uint('rpki-rtr.error_code', 'Error Code', 16);
const F_LENGTH_PDU = uint('rpki-rtr.length_pdu', 'Length of Encapsulated PDU', 32);
const F_LENGTH_TEXT = uint('rpki-rtr.length_text', 'Length of text', 32);
const F_REFRESH = uint('rpki-rtr.refresh_interval', 'Refresh Interval', 32);
const F_RETRY = uint('rpki-rtr.retry_interval', 'Retry Interval', 32);
const F_EXPIRE = uint('rpki-rtr.expire_interval', 'Expire Interval', 32);

const RPKI_RTR_PORT: u32 = 323;
const HEADER: u32 = 8;

const SERIAL_NOTIFY: u32 = 0;
const SERIAL_QUERY: u32 = 1;
const RESET_QUERY: u32 = 2;
const CACHE_RESPONSE: u32 = 3;
const IPV4_PREFIX: u32 = 4;
const IPV6_PREFIX: u32 = 6;
const END_OF_DATA: u32 = 7;
const CACHE_RESET: u32 = 8;
const ROUTER_KEY: u32 = 9;
const ERROR_REPORT: u32 = 10;

const PDU_TYPES: StaticArray<string> = [
  'Serial Notify', 'Serial Query', 'Reset Query', 'Cache Response', 'IPv4 Prefix', '', 'IPv6 Prefix',
  'End of Data', 'Cache Reset', 'Router Key', 'Error Report',
];

/** How a read in a PDU ended: fine, past the captured bytes of a cut frame (uncaught), or past the PDU or segment (caught). */
const enum Read { OK = 0, CUT = 1, FAILED = 2 }

// The PDU being read: its first byte, the bytes of it captured, and the bytes of it the segment has on the wire.
let pdu: u32 = 0;
let pduCaptured: u64 = 0;
let pduInSegment: u64 = 0;

/** Whether the PDU's bytes [0, to) can be read. */
function reach(to: u64): Read {
  if (to <= pduCaptured) return Read.OK;
  return to <= pduInSegment ? Read.CUT : Read.FAILED;
}

/** A failure outside the per-PDU guard that tshark shows as its payload being a fragment. */
function markUnreassembled(): void { markTruncated(); truncatedToUnreassembled(); }

function dissectRpkiRtr(start: u32, end: u32): void {
  const call = beginSingleCall(PROTO_RPKI_RTR);
  dissectPdus(start, end);
  endSingleCall(call);
}

function dissectPdus(start: u32, end: u32): void {
  setProtocolColumn('RPKI-RTR');
  infoSet(); infoDone();
  const reported = reportedLength(start, end);
  const captured = end - start;
  let offset: u32 = 0;
  // tshark's loop stops quietly once the offset passes the captured bytes.
  while (offset < reported && offset <= captured) {
    const p = start + offset;
    const left = reported - offset;
    if (offset == captured) { markTruncated(); return; }
    // The length is read outside tshark's per-PDU guard: a failure ends the frame.
    if (!has(p, end, HEADER)) {
      if (left >= HEADER) markTruncated(); else markUnreassembled();
      return;
    }
    const length = be32(p + 4);
    if (length == 0) { markUnreassembled(); return; }
    if (length < HEADER) { markMalformed(); return; }
    if (length > left) messageContinues(length - left);
    // tshark cannot make a PDU of a length that is negative as an int.
    if (length > 0x7fffffff) { markUnreassembled(); return; }
    addPduSize(length);
    pdu = p;
    pduCaptured = <u64>min(captured - offset, length);
    pduInSegment = <u64>min(left, length);
    const read = dissectPdu(length);
    if (read == Read.CUT) { markTruncated(); return; }
    if (read == Read.FAILED) { infoAppend(); puts('[BoundErrorUnreassembled Packet]'); infoDone(); }
    if (length > left) return;
    offset += length;
  }
}

/** The walk inside one PDU of `length` bytes. */
function dissectPdu(length: u32): Read {
  let o: u64 = 0;
  while (o <= pduCaptured && o < <u64>length) {
    beginLayer(PROTO_RPKI_RTR);
    let r = reach(o + 1);
    if (r != Read.OK) return r;
    const p = pdu + <u32>o;
    const version = <u32>load<u8>(p);
    addNum(F_VERSION, version);
    r = reach(o + 2);
    if (r != Read.OK) return r;
    const type = <u32>load<u8>(p + 1);
    addNum(F_PDU_TYPE, type);
    infoAppend();
    if (infoLength() > 0) puts(', ');
    putTableName(PDU_TYPES, type);
    infoDone();
    r = reach(o + 6);
    if (r != Read.OK) return r;
    const value = be32(p + 2);
    switch (type) {
      case SERIAL_NOTIFY: case SERIAL_QUERY:
        addNum(F_SESSION_ID, be16(p + 2));
        r = reach(o + 8);
        if (r != Read.OK) return r;
        addNum(F_LENGTH, be32(p + 4));
        r = reach(o + 12);
        if (r != Read.OK) return r;
        addNum(F_SERIAL, be32(p + 8));
        o += 12;
        break;
      case RESET_QUERY: case CACHE_RESET: case CACHE_RESPONSE:
        if (type == CACHE_RESPONSE) addNum(F_SESSION_ID, be16(p + 2));
        r = reach(o + 8);
        if (r != Read.OK) return r;
        addNum(F_LENGTH, be32(p + 4));
        o += 8;
        break;
      case IPV4_PREFIX: case IPV6_PREFIX: {
        const v6 = type == IPV6_PREFIX;
        r = readPrefix(p, o, v6);
        if (r != Read.OK) return r;
        o += v6 ? 32 : 20;
        break;
      }
      case END_OF_DATA:
        r = readEndOfData(p, o, version);
        if (r != Read.OK) return r;
        o += version >= 1 ? 24 : 12;
        break;
      case ROUTER_KEY:
        if (version >= 1) {
          r = readRouterKey(p, o);
          if (r != Read.OK) return r;
          o += 32 + berLength(p + 32);
        } else {
          o += 2;
        }
        break;
      case ERROR_REPORT: {
        addNum(F_ERROR_CODE, be16(p + 2));
        r = reach(o + 8);
        if (r != Read.OK) return r;
        addNum(F_LENGTH, be32(p + 4));
        r = reach(o + 12);
        if (r != Read.OK) return r;
        const pduLen = be32(p + 8);
        addNum(F_LENGTH_PDU, pduLen);
        const textAt = o + 12 + <u64>pduLen;
        r = reach(textAt);
        if (r != Read.OK) return r;
        r = reach(textAt + 4);
        if (r != Read.OK) return r;
        const textLen = be32(pdu + <u32>textAt);
        addNum(F_LENGTH_TEXT, textLen);
        r = reach(textAt + 4 + <u64>textLen);
        if (r != Read.OK) return r;
        o = textAt + 4 + <u64>textLen;
        break;
      }
      default:
        // The value at bytes 2-5, taken for a length: larger than the PDU ends it.
        if (value > length) return Read.OK;
        o += 2 + <u64>value;
        break;
    }
  }
  return Read.OK;
}

function readPrefix(p: u32, o: u64, v6: bool): Read {
  let r = reach(o + 8);
  if (r != Read.OK) return r;
  addNum(F_LENGTH, be32(p + 4));
  r = reach(o + 9);
  if (r != Read.OK) return r;
  const flags = <u32>load<u8>(p + 8);
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_AW, (flags & 1) != 0);
  r = reach(o + 10);
  if (r != Read.OK) return r;
  addNum(F_PREFIX_LENGTH, <u32>load<u8>(p + 9));
  r = reach(o + 11);
  if (r != Read.OK) return r;
  addNum(F_MAX_LENGTH, <u32>load<u8>(p + 10));
  const size: u32 = v6 ? 16 : 4;
  r = reach(o + 12 + size);
  if (r != Read.OK) return r;
  addBytes(v6 ? F_IPV6_PREFIX : F_IPV4_PREFIX, p + 12, size);
  r = reach(o + 16 + size);
  if (r != Read.OK) return r;
  addNum(F_AS_NUMBER, be32(p + 12 + size));
  return Read.OK;
}

function readEndOfData(p: u32, o: u64, version: u32): Read {
  addNum(F_SESSION_ID, be16(p + 2));
  let r = reach(o + 8);
  if (r != Read.OK) return r;
  addNum(F_LENGTH, be32(p + 4));
  r = reach(o + 12);
  if (r != Read.OK) return r;
  addNum(F_SERIAL, be32(p + 8));
  if (version < 1) return Read.OK;
  r = reach(o + 16);
  if (r != Read.OK) return r;
  addNum(F_REFRESH, be32(p + 12));
  r = reach(o + 20);
  if (r != Read.OK) return r;
  addNum(F_RETRY, be32(p + 16));
  r = reach(o + 24);
  if (r != Read.OK) return r;
  addNum(F_EXPIRE, be32(p + 20));
  return Read.OK;
}

/** Router Key: flags, reserved, length, a 20-byte key identifier, the AS, then the key's BER header and body. */
function readRouterKey(p: u32, o: u64): Read {
  // The flags byte was read with the header; the reserved field is two bytes from byte 3.
  const flags = <u32>load<u8>(p + 2);
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_RK, (flags & 1) != 0);
  let r = reach(o + 8);
  if (r != Read.OK) return r;
  addNum(F_LENGTH, be32(p + 4));
  r = reach(o + 28);
  if (r != Read.OK) return r;
  r = reach(o + 32);
  if (r != Read.OK) return r;
  addNum(F_AS_NUMBER, be32(p + 28));
  r = reach(o + 34);
  if (r != Read.OK) return r;
  return reach(o + 32 + berLength(p + 32));
}

/** The size of the BER element at p (tag, length, contents) when its short or 1-2 byte long length form is there; its header alone otherwise. */
function berLength(p: u32): u64 {
  const first = <u32>load<u8>(p + 1);
  if (first < 0x80) return 2 + <u64>first;
  if (first == 0x81 && reach(<u64>(p - pdu) + 3) == Read.OK) return 3 + <u64>load<u8>(p + 2);
  if (first == 0x82 && reach(<u64>(p - pdu) + 4) == Read.OK) return 4 + <u64>be16(p + 2);
  return 2;
}

registerTcpPort(RPKI_RTR_PORT, dissectRpkiRtr);
