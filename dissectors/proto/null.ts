// BSD loopback encapsulation: link type 0 (DLT_NULL, a 4-byte address family
// in the byte order of the capturing host) and 108 (DLT_LOOP, network order).
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u16at, u32at, u32le, has } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { dissectData } from './frame';
import { dissectPppHdlc } from './ppp';

const PROTO_NULL = protocol('null', 'Null/Loopback');
const F_TYPE = uint('null.type', 'Type', 16, Base.HEX);
const F_FAMILY = uint('null.family', 'Family');

const HEADER_LEN: u32 = 4;

/**
 * The address family as tshark reads it on a little-endian host: the header
 * may be in either byte order, or be IRIX's 2-byte family and 2 zero bytes,
 * or an old Linux ethertype; small values are families, big ones ethertypes.
 */
function familyOf(h: u32): u32 {
  if ((h & 0xffff0000) != 0) {
    if ((h & 0xff000000) == 0 && (h & 0x00ff0000) < 0x00060000) return h >> 16;
    return bswap<u32>(h);
  }
  if ((h & 0xff) == 0 && (h & 0xff00) < 0x0600) return <u32>bswap<u16>(<u16>h);
  return h;
}

function setColumns(): void {
  setProtocolColumn('N/A');
  infoSet(); puts('Null/Loopback'); infoDone();
}

export function dissectNull(start: u32, end: u32): void {
  if (!has(start, end, 2)) { markTruncated(); return; }
  // PPP in HDLC framing recorded as DLT_NULL (an old FreeBSD ISDN driver).
  if (u16at(start, end) == 0xff03) { dissectPppHdlc(start, end); return; }
  setColumns();
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  const value = familyOf(u32le(start, end));
  beginLayer(PROTO_NULL);
  if (value > 1500) {
    addNum(F_TYPE, value & 0xffff);
    if (!dispatchEthertype(value & 0xffff, start + HEADER_LEN, end)) dissectData(start + HEADER_LEN, end);
    return;
  }
  addNum(F_FAMILY, value);
  dissectFamily(value, start + HEADER_LEN, end);
}

export function dissectLoop(start: u32, end: u32): void {
  setColumns();
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  const family = u32at(start, end);
  beginLayer(PROTO_NULL);
  addNum(F_FAMILY, family);
  dissectFamily(family, start + HEADER_LEN, end);
}

/** BSD AF_ values: 2 is IPv4; IPv6 is 24 (NetBSD/OpenBSD), 28 (FreeBSD) or 30 (Darwin). */
function dissectFamily(family: u32, start: u32, end: u32): void {
  let claimed = false;
  if (family == 2) claimed = dispatchEthertype(0x0800, start, end);
  else if (family == 24 || family == 28 || family == 30) claimed = dispatchEthertype(0x86dd, start, end);
  if (claimed) return;
  // OSI (7), AppleTalk (16) and IPX (23) have dissectors in tshark, which
  // fail on an empty payload; xcap shows their payload as data.
  if (start >= end && (family == 7 || family == 16 || family == 23)) { markTruncated(); return; }
  dissectData(start, end);
}

registerLinktype(0, dissectNull);
registerLinktype(108, dissectLoop);
