// Babel (RFC 6126, RFC 8966) on UDP 6696, as tshark 4.0 shows it: "Babel"
// then the name of every message (TLV) of the body and of the packet
// trailer that follows it, "unknown" for a type it has no name for.
//
// tshark reads a message's contents only while building a protocol tree
// (-V, -T fields): without one only the type and length bytes are read, so
// the summary line (and its error mark) follows that walk, while the fields
// below stop where a tree-building read would have thrown (`treeAlive`).
//
// Quirks copied from tshark: the trailer is the reported length minus the
// body and header, taken modulo 256, and starts right after the body even
// when the last message ran past it; a body length of 0 makes the dissector
// decline after it has written its columns and fields, so UDP goes on to the
// other port (the same one again when both ports are 6696) and to data.
import { protocol, uint, bytes, Base } from '../fields';
import { beginLayer, calledMark, forgetCallsSince, addNum, addBytes, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { has, be16, be32 } from '../cursor';
import { registerUdpPortTry, udpSrcPort, udpDstPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, tableName } from '../text';

const PROTO_BABEL = protocol('babel', 'Babel Routing Protocol');
const F_MAGIC = uint('babel.magic', 'Magic', 8);
const F_VERSION = uint('babel.version', 'Version', 8);
const F_BODYLEN = uint('babel.bodylen', 'Body Length', 16);
const F_MESSAGE = uint('babel.message', 'Message', 8);
const F_TYPE = uint('babel.message.type', 'Message Type', 8);
const F_LENGTH = uint('babel.message.length', 'Message Length', 8);
const F_NONCE = uint('babel.message.nonce', 'Nonce', 16, Base.HEX);
const F_INTERVAL = uint('babel.message.interval', 'Interval', 16);
const F_SEQNO = uint('babel.message.seqno', 'Seqno', 16, Base.HEX);
const F_AE = uint('babel.message.ae', 'Address Encoding', 8);
const F_PREFIX = bytes('babel.message.prefix', 'Raw Prefix');
const F_RXCOST = uint('babel.message.rxcost', 'Rxcost', 16, Base.HEX);
const F_ROUTERID = bytes('babel.message.routerid', 'Router ID');
const F_FLAGS = uint('babel.message.flags', 'Flags', 8, Base.HEX);
const F_PLEN = uint('babel.message.plen', 'Prefix Length', 8);
const F_OMITTED = uint('babel.message.omitted', 'Omitted Bytes', 8);
const F_METRIC = uint('babel.message.metric', 'Metric', 16);
const F_HOPCOUNT = uint('babel.message.hopcount', 'Hop Count', 8);
const F_INDEX = uint('babel.message.index', 'Index', 32);
const F_SUBTLV = uint('babel.subtlv', 'Sub-TLV', 8);
const F_SUBTLV_TYPE = uint('babel.subtlv.type', 'Sub-TLV Type', 8);
const F_SUBTLV_LENGTH = uint('babel.subtlv.length', 'Sub-TLV Length', 8);
const F_CHANNEL = uint('babel.subtlv.diversity.channel', 'Channel', 8);

const PORT: u32 = 6696;
const MAGIC: u32 = 42;
const HEADER: u32 = 4;

const PAD1: u32 = 0;
const ACK_REQ: u32 = 2;
const ACK: u32 = 3;
const HELLO: u32 = 4;
const IHU: u32 = 5;
const ROUTER_ID: u32 = 6;
const NH: u32 = 7;
const UPDATE: u32 = 8;
const REQUEST: u32 = 9;
const MH_REQUEST: u32 = 10;
const PC: u32 = 17;

const SUB_PAD1: u32 = 0;
const SUB_DIVERSITY: u32 = 2;
const SUB_TIMESTAMP: u32 = 3;
const SUB_MANDATORY: u32 = 0x80;

const MESSAGE_NAMES: StaticArray<string> = [
  'pad1', 'padn', 'ack-req', 'ack', 'hello', 'ihu', 'router-id', 'nh', 'update', 'request', 'mh-request',
  'ts/pc (obsolete)', 'hmac', 'source-specific-update', 'source-specific-req', 'source-specific-seqno', 'hmac',
  'pc', 'challenge-request', 'challenge-reply',
];

// The datagram being dissected; offsets below are from `base`, as tshark's are from the start of Babel.
let base: u32 = 0;
let limit: u32 = 0;
// Whether a tshark building a tree would still be dissecting (no read of its has thrown yet).
let treeAlive = true;
// network_prefix's answer when its copy of the address ran out of bytes.
const THREW: i32 = -2;

/** A tree-building read of n bytes at o: -1 asks for at least one byte (the rest of the packet), other negative lengths always throw. */
function treeHas(o: u32, n: i32): bool {
  if (!treeAlive) return false;
  const ok = n == -1 ? has(base + o, limit, 1) : n >= 0 && has(base + o, limit, <u32>n);
  if (!ok) treeAlive = false;
  return ok;
}

function treeU8(f: u32, o: u32): bool {
  if (!treeHas(o, 1)) return false;
  addNum(f, load<u8>(base + o));
  return true;
}

function treeU16(f: u32, o: u32): bool {
  if (!treeHas(o, 2)) return false;
  addNum(f, be16(base + o));
  return true;
}

function treeBytes(f: u32, o: u32, n: i32): bool {
  if (!treeHas(o, n)) return false;
  addBytes(f, base + o, n == -1 ? limit - (base + o) : <u32>n);
  return true;
}

/**
 * The bytes of a prefix tshark copies out of the message at o: -1 when the
 * encoding, lengths or omitted bytes make no prefix, THREW when the copy
 * ran out of packet.  plen -1 asks for a whole address.
 */
function networkPrefix(ae: u32, plen: i32, omitted: u32, o: u32, len: u32, hasPrevious: bool): i32 {
  const pb: u32 = plen >= 0 ? (<u32>plen + 7) / 8 : (ae == 1 ? 4 : 16);
  if (pb > 16) return -1;
  let copy: u32 = 0;
  if (ae == 0) {
    copy = 0;
  } else if (ae == 1 || ae == 2) {
    const most: u32 = ae == 1 ? 4 : 16;
    if (omitted > most || (ae == 1 && pb > 4) || (pb > omitted && len < pb - omitted)) return -1;
    if (omitted != 0 && !hasPrevious) return -1;
    if (pb > omitted) copy = pb - omitted;
  } else if (ae == 3) {
    if (pb > 8 && len < pb - 8) return -1;
    if (pb > 8) copy = pb - 8;
  } else {
    return -1;
  }
  if (copy != 0 && !treeHas(o, <i32>copy)) return THREW;
  return <i32>copy;
}

function subTlvs(type: u32, from: u32, to: u32): void {
  // tshark keeps these offsets in 16 bits.
  let p = from & 0xffff;
  const stop = to & 0xffff;
  while (p < stop) {
    if (!treeHas(p, 1)) return;
    const subtype = <u32>load<u8>(base + p);
    let sublen: u32 = 0;
    if (subtype != SUB_PAD1) {
      if (!treeHas(p + 1, 1)) return;
      sublen = <u32>load<u8>(base + p + 1);
    }
    addNum(F_SUBTLV, subtype);
    addNum(F_SUBTLV_TYPE, subtype);
    if (subtype == SUB_PAD1) { p++; continue; }
    addNum(F_SUBTLV_LENGTH, sublen);
    if ((subtype & SUB_MANDATORY) != 0 && !treeHas(p + 2, <i32>sublen)) return;
    if (subtype == SUB_DIVERSITY) {
      if (!treeHas(p + 2, 0)) return;
      for (let i: u32 = 0; i < sublen; i++) if (!treeU8(F_CHANNEL, p + 2 + i)) return;
    } else if (subtype == SUB_TIMESTAMP) {
      if (type == HELLO) {
        if (!treeHas(p + 2, 4) || !treeHas(p + 2, <i32>sublen)) return;
      } else if (type == IHU) {
        if (!treeHas(p + 2, 8) || !treeHas(p + 2, <i32>sublen) || !treeHas(p + 6, <i32>sublen)) return;
      } else if (!treeHas(p + 2, <i32>sublen)) {
        return;
      }
    }
    const next = (p + sublen + 2) & 0xffff;
    // Past 64 KiB tshark's offset wraps to the packet's start; stop instead.
    if (next <= p) { treeAlive = false; return; }
    p = next;
  }
}

/** What tshark adds under a message of type `type` and length `len` at m while building a tree. */
function messageTree(m: u32, type: u32, len: u32): void {
  const body = <i32>len;
  if (type == ACK_REQ) {
    if (treeU16(F_NONCE, m + 4)) treeU16(F_INTERVAL, m + 6);
  } else if (type == ACK) {
    treeU16(F_NONCE, m + 2);
  } else if (type == HELLO) {
    if (!treeHas(m + 2, 2) || !treeU16(F_SEQNO, m + 4) || !treeU16(F_INTERVAL, m + 6)) return;
    if (len > 6) subTlvs(type, m + 8, m + 2 + len);
  } else if (type == IHU) {
    if (!treeHas(m + 2, 1)) return;
    const rc = networkPrefix(load<u8>(base + m + 2), -1, 0, m + 8, <u32>(body - 6), false);
    if (rc == THREW) return;
    if (!treeU16(F_RXCOST, m + 4) || !treeU16(F_INTERVAL, m + 6) || !treeHas(m + 4, body - 2)) return;
    if (!treeU8(F_AE, m + 2) || !treeBytes(F_PREFIX, m + 4, body - 2)) return;
    if (rc < body - 6) subTlvs(type, <u32>(<i32>m + 8 + rc), m + 2 + len);
  } else if (type == ROUTER_ID) {
    treeBytes(F_ROUTERID, m + 4, 8);
  } else if (type == NH) {
    if (!treeHas(m + 2, 1)) return;
    const rc = networkPrefix(load<u8>(base + m + 2), -1, 0, m + 4, <u32>(body - 2), false);
    if (rc == THREW || !treeHas(m + 4, body - 2)) return;
    if (treeU8(F_AE, m + 2)) treeBytes(F_PREFIX, m + 4, body - 2);
  } else if (type == UPDATE) {
    if (!treeHas(m + 2, 4)) return;
    const ae = <u32>load<u8>(base + m + 2);
    const plen = <i32>load<u8>(base + m + 4);
    const rc = networkPrefix(ae, plen, load<u8>(base + m + 5), m + 12, <u32>(body - 10), true);
    if (rc == THREW) return;
    if (!treeU8(F_FLAGS, m + 3) || !treeU16(F_INTERVAL, m + 6) || !treeU16(F_SEQNO, m + 8)) return;
    if (!treeU16(F_METRIC, m + 10) || !treeHas(m + 12, body - 10)) return;
    if (!treeU8(F_AE, m + 2) || !treeU8(F_PLEN, m + 4) || !treeU8(F_OMITTED, m + 5)) return;
    if (!treeBytes(F_PREFIX, m + 12, body - 10)) return;
    if ((rc & 0xff) < body - 10) subTlvs(type, m + 12 + <u32>rc, m + 2 + len);
  } else if (type == REQUEST || type == MH_REQUEST) {
    if (!treeHas(m + 2, 2)) return;
    const at: u32 = type == REQUEST ? 4 : 16;
    const plen = <i32>load<u8>(base + m + 3);
    const rc = networkPrefix(load<u8>(base + m + 2), plen, 0, m + at, <u32>(body + 2 - <i32>at), false);
    if (rc == THREW) return;
    if (type == MH_REQUEST) {
      if (!treeU16(F_SEQNO, m + 4) || !treeU8(F_HOPCOUNT, m + 6) || !treeBytes(F_ROUTERID, m + 8, 8)) return;
    }
    if (!treeHas(m + at, body + 2 - <i32>at)) return;
    if (treeU8(F_AE, m + 2) && treeU8(F_PLEN, m + 3)) treeBytes(F_PREFIX, m + at, body + 2 - <i32>at);
  } else if (type == PC) {
    if (treeHas(m + 2, 4)) addNum(F_INDEX, be32(base + m + 2));
  }
}

/** The messages of [from, from + count) (offsets after the header); false where a read ran out of packet. */
function walkMessages(from: u32, count: u32): bool {
  let i = from;
  while (i - from < count) {
    const m = HEADER + i;
    if (!has(base + m, limit, 1)) { markReadPast(limit, base + m + 1); return false; }
    const type = <u32>load<u8>(base + m);
    let len: u32 = 0;
    if (type != PAD1) {
      if (!has(base + m + 1, limit, 1)) { markReadPast(limit, base + m + 2); return false; }
      len = <u32>load<u8>(base + m + 1);
    }
    infoAppend(); putc(32); puts(tableName(MESSAGE_NAMES, type, 'unknown')); infoDone();
    if (treeAlive) { addNum(F_MESSAGE, type); addNum(F_TYPE, type); }
    if (type == PAD1) { i++; continue; }
    if (treeAlive) { addNum(F_LENGTH, len); messageTree(m, type, len); }
    i += len + 2;
  }
  return true;
}

/** One pass of tshark's dissector over the datagram; false when it declines (a body length of 0). */
function babelPass(start: u32, end: u32): bool {
  setProtocolColumn('Babel');
  infoSet(); puts('Babel'); infoDone();
  const version = <u32>load<u8>(start + 1);
  if (version != 2) {
    infoSet(); puts('Version '); putDec(version); infoDone();
    return true;
  }
  beginLayer(PROTO_BABEL);
  addNum(F_MAGIC, MAGIC);
  addNum(F_VERSION, version);
  const bodylen = be16(start + 2);
  addNum(F_BODYLEN, bodylen);
  if (!walkMessages(0, bodylen)) return true;
  const trailer = (reportedLength(start, end) - bodylen - HEADER) & 0xff;
  if (trailer != 0) {
    const at = start + HEADER + bodylen;
    if (!has(at, end, trailer)) { markReadPast(end, at > end ? at : at + trailer); return true; }
    walkMessages(bodylen, trailer);
  }
  return bodylen != 0;
}

function dissectBabel(start: u32, end: u32): bool {
  if (!has(start, end, HEADER) || load<u8>(start) != MAGIC) return false;
  base = start;
  limit = end;
  treeAlive = true;
  // A tree-building tshark that threw inside has stopped there, declining nothing.
  // A pass that declines keeps its items but is not listed as a call.
  const mark = calledMark();
  if (babelPass(start, end) || !treeAlive) return true;
  forgetCallsSince(mark);
  // Declined: UDP tries the higher port next, which is this one again when both are.
  if (udpSrcPort == udpDstPort && (babelPass(start, end) || !treeAlive)) return true;
  forgetCallsSince(mark);
  return false;
}

registerUdpPortTry(PORT, dissectBabel);
