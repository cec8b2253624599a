// ETSI GeoNetworking (ethertype 0x8947) and the Basic Transport Protocol it
// carries (BTP-A, BTP-B), as tshark 4.0 shows them.  The info column is the
// common header's packet type ("Beacon", "Unknown (29)"); a packet whose
// basic header names no common header leaves it empty.  The source (and for
// unicast and location service packets the destination) column is the GN
// address, "manual.type.country.mid".  Version 0 packets get tshark's
// duplicate detection per source address (timestamp, then sequence number).
import { protocol, uint, sint, ether, bytes, Base } from '../fields';
import { beginLayer, beginItemLayer, addCalled, addNum, addBytes, setProtocolColumn, setSourceAddress, setDestinationAddress, AddrKind,
  reportedLength, frameNumber, streamSerial, setDatagramEnd } from '../packet';
import { registerEthertype, dispatchEthertype } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoAppend, infoDone, infoPrependFencedBegin, infoPrependFencedEnd } from '../columns';
import { puts, putc, putDec } from '../text';
import { lacks, be16, be32, clampEnd } from '../cursor';
import { table } from '../tables';

const PROTO_GEONW = protocol('gnw', 'GeoNetworking');
const F_BH_VERSION = uint('geonw.bh.version', 'Version', 8);
const F_BH_NH = uint('geonw.bh.nh', 'Next Header', 8);
const F_BH_RESERVED = uint('geonw.bh.reserved', 'Reserved', 8, Base.HEX);
const F_BH_LT = uint('geonw.bh.lt', 'Life Time', 8);
const F_BH_LT_MULT = uint('geonw.bh.lt.mult', 'Life Time multiplier', 8);
const F_BH_LT_BASE = uint('geonw.bh.lt.base', 'Life Time base', 8);
const F_BH_RHL = uint('geonw.bh.rhl', 'Remaining Hop Limit', 8);
const F_CH_NH = uint('geonw.ch.nh', 'Next Header', 8);
const F_CH_RESERVED1 = uint('geonw.ch.reserved1', 'Reserved', 8, Base.HEX);
const F_CH_HTYPE = uint('geonw.ch.htype', 'Header type', 8, Base.HEX);
const F_CH_TCLASS = uint('geonw.ch.tclass', 'Traffic class', 8);
const F_CH_TC_BUFFER = uint('geonw.ch.tc.buffer', 'Store Carry Forward', 8);
const F_CH_TC_OFFLOAD = uint('geonw.ch.tc.offload', 'Channel offload', 8);
const F_CH_TC_ID = uint('geonw.ch.tc.id', 'Traffic class ID', 8);
const F_CH_MOB = uint('geonw.ch.flags.mob', 'Mobility flag', 8);
const F_CH_FLAGS_RESERVED = uint('geonw.ch.flags.reserved', 'Reserved', 8);
const F_CH_PLENGTH = uint('geonw.ch.plength', 'Payload length', 16);
const F_CH_MHL = uint('geonw.ch.mhl', 'Maximum Hop Limit', 8);
const F_CH_RESERVED2 = uint('geonw.ch.reserved2', 'Reserved', 8, Base.HEX);
const F_SEQ_NUM = uint('geonw.seq_num', 'Sequence number', 16, Base.HEX);
const F_RESERVED = uint('geonw.reserved', 'Reserved', 16);
const F_SO_PV = bytes('geonw.src_pos', 'Source position');
const F_SO_ADDR = bytes('geonw.src_pos.addr', 'GN_ADDR');
const F_SO_MANUAL = uint('geonw.src_pos.addr.manual', 'Manual', 8);
const F_SO_TYPE = uint('geonw.src_pos.addr.type', 'ITS-S type', 8);
const F_SO_COUNTRY = uint('geonw.src_pos.addr.country', 'ITS-S Country Code', 16);
const F_SO_MID = ether('geonw.src_pos.addr.mid', 'MID');
const F_SO_TST = uint('geonw.src_pos.tst', 'Timestamp');
const F_SO_LAT = sint('geonw.src_pos.lat', 'Latitude');
const F_SO_LONG = sint('geonw.src_pos.long', 'Longitude');
const F_SO_PAI = uint('geonw.src_pos.pai', 'Position accuracy indicator', 8);
const F_SO_SPEED = sint('geonw.src_pos.speed', 'Speed');
const F_SO_HDG = uint('geonw.src_pos.hdg', 'Heading', 16);
const F_DCC_CBR_L0 = uint('geonw.cbr_l0hop', 'Local channel busy ratio', 8);
const F_DCC_CBR_L1 = uint('geonw.cbr_l1hop', 'Max neighbouring CBR', 8);
const F_DCC_POWER = uint('geonw.outpower', 'Output power', 8);
const F_DCC_RESERVED = uint('geonw.dccmco.reserved', 'Reserved', 8);
const F_DE_PV = bytes('geonw.dst_pos', 'Destination position');
const F_DE_ADDR = bytes('geonw.dst_pos.addr', 'GN_ADDR');
const F_DE_MANUAL = uint('geonw.dst_pos.addr.manual', 'Manual', 8);
const F_DE_TYPE = uint('geonw.dst_pos.addr.type', 'ITS-S type', 8);
const F_DE_COUNTRY = uint('geonw.dst_pos.addr.country', 'ITS-S Country Code', 16);
const F_DE_MID = ether('geonw.dst_pos.addr.mid', 'MID');
const F_DE_TST = uint('geonw.dst_pos.tst', 'Timestamp');
const F_DE_LAT = sint('geonw.dst_pos.lat', 'Latitude');
const F_DE_LONG = sint('geonw.dst_pos.long', 'Longitude');
const F_GXC_LAT = sint('geonw.gxc.latitude', 'Latitude');
const F_GXC_LONG = sint('geonw.gxc.longitude', 'Longitude');
const F_GXC_RADIUS = uint('geonw.gxc.radius', 'Radius r', 16);
const F_GXC_DISTANCE_A = uint('geonw.gxc.distancea', 'Distance a', 16);
const F_GXC_DISTANCE_B = uint('geonw.gxc.distanceb', 'Distance b', 16);
const F_GXC_ANGLE = uint('geonw.gxc.angle', 'Angle', 16);
const F_GXC_RESERVED = uint('geonw.gxc.reserved', 'Reserved', 16);
const F_SHB_RESERVED = uint('geonw.shb.reserved', 'Reserved');
const F_LSRQ_ADDR = bytes('geonw.ls_req.addr', 'GN_ADDR');
const F_LSRQ_MANUAL = uint('geonw.ls_req.addr.manual', 'Manual', 8);
const F_LSRQ_TYPE = uint('geonw.ls_req.addr.type', 'ITS-S type', 8);
const F_LSRQ_COUNTRY = uint('geonw.ls_req.addr.country', 'ITS-S Country Code', 16);
const F_LSRQ_MID = ether('geonw.ls_req.addr.mid', 'MID');

const PROTO_BTPA = protocol('btpa', 'BTP-A');
const F_BTPA_DSTPORT = uint('btpa.dstport', 'Destination Port', 16);
const F_BTPA_SRCPORT = uint('btpa.srcport', 'Source Port', 16);
const F_BTPA_PORT = uint('btpa.port', 'Port', 16);

const PROTO_BTPB = protocol('btpb', 'BTP-B');
const F_BTPB_DSTPORT = uint('btpb.dstport', 'Destination Port', 16);
const F_BTPB_DSTPORTINF = uint('btpb.dstportinf', 'Destination Port info', 16, Base.HEX);

const BH_COMMON_HEADER: u32 = 1;
const BH_SECURED: u32 = 2;
const CH_BTP_A: u32 = 1;
const CH_BTP_B: u32 = 2;
const CH_IPV6: u32 = 3;

const HT_BEACON: u32 = 0x10;
const HT_GEOUNICAST: u32 = 0x20;
const HT_GEOANYCAST: u32 = 0x30;
const HT_GEOBROADCAST: u32 = 0x40;
const HT_TSB: u32 = 0x50;
const HT_LS: u32 = 0x60;
const HTST_TSB_SINGLE: u32 = 0x50;
const HTST_TSB_MULT: u32 = 0x51;
const HTST_LS_REQUEST: u32 = 0x60;
const HTST_LS_REPLY: u32 = 0x61;

const SN_NONE: u32 = 0x10000; // past the largest sequence number: the packet has none
const TST_HALF: u64 = 0x7fffffff;
const SN_HALF: u32 = 0x7fff;

/** The common header plus the extended header a packet type has: -1 for an unknown type. */
function headerLength(ht: u32): i32 {
  const t = ht & 0xf0;
  if (t == HT_BEACON) return 8 + 24;
  if (t == HT_GEOUNICAST) return 8 + 48;
  if (t == HT_GEOANYCAST || t == HT_GEOBROADCAST) return 8 + 44;
  if (t == HT_TSB) return 8 + 28;
  if (t == HT_LS) return ht == HTST_LS_REPLY ? 8 + 48 : 8 + 36;
  return -1;
}

/** The named packet types, indexed by the header type's high nibble - 1, then its low nibble. */
const TYPE_NAMES: StaticArray<string> = [
  'Beacon', '', '',
  'Geo Unicast', '', '',
  'Geo-scoped Anycast Circular area', 'Geo-scoped Anycast Rectangular area', 'Geo-scoped Anycast Ellipsoidal area',
  'Geo-scoped Broadcast Circular area', 'Geo-scoped Broadcast Rectangular area', 'Geo-scoped Broadcast Ellipsoidal area',
  'Topologically-scoped broadcast Single-hop broadcast (SHB)', 'Topologically-scoped broadcast Multi-hop broadcast (TSB)', '',
  'Location Service Request', 'Location Service Reply', '',
];

function putHeaderType(ht: u32): void {
  const t = ht >> 4;
  const sub = ht & 0x0f;
  if (t >= 1 && t <= 6 && sub < 3) {
    const name = unchecked(TYPE_NAMES[(t - 1) * 3 + sub]);
    if (name.length) { puts(name); return; }
  }
  puts('Unknown ('); putDec(ht); putc(41);
}

function addGnAddress(p: u32, fManual: u32, fType: u32, fCountry: u32, fMid: u32): void {
  const b = <u32>load<u8>(p);
  addNum(fManual, b >> 7);
  addNum(fType, (b & 0x7c) >> 2);
  addNum(fCountry, be16(p) & 0x3ff);
  addBytes(fMid, p + 2, 6);
}

function dissectGeonw(start: u32, end: u32): void {
  addCalled(PROTO_GEONW); // listed from the call on; the layer opens once its header is read
  setProtocolColumn('GEONW');
  infoSet(); infoDone();
  // tshark reads the basic header's next header and the common header's type before anything else.
  if (lacks(start, end, 6)) return;
  const b0 = <u32>load<u8>(start);
  const bhNext = b0 & 0x0f;
  const typeLen = headerLength(<u32>load<u8>(start + 5));
  const hdrLen: i32 = bhNext == BH_SECURED ? 4 : (typeLen < 0 ? -1 : 4 + typeLen);
  beginItemLayer(PROTO_GEONW);
  const version = b0 >> 4;
  addNum(F_BH_VERSION, version);
  if (version > 1) {
    infoSet(); puts('Bogus GeoNetworking version ('); putDec(version); puts(', must be less than 2)'); infoDone();
    return;
  }
  addNum(F_BH_NH, bhNext);
  addNum(F_BH_RESERVED, load<u8>(start + 1));
  const lt = <u32>load<u8>(start + 2);
  addNum(F_BH_LT, lt);
  addNum(F_BH_LT_MULT, lt >> 2);
  addNum(F_BH_LT_BASE, lt & 3);
  addNum(F_BH_RHL, load<u8>(start + 3));
  // Secured packets (IEEE 1609.2 / ETSI TS 103 097) are not followed.
  if (bhNext != BH_COMMON_HEADER) return;

  // The common header is read field by field: a short one stops at the first field missing.
  const ch = start + 4;
  const chNext = <u32>load<u8>(ch) >> 4;
  addNum(F_CH_NH, chNext);
  addNum(F_CH_RESERVED1, load<u8>(ch) & 0x0f);
  const ht = <u32>load<u8>(ch + 1);
  addNum(F_CH_HTYPE, ht);
  infoSet(); putHeaderType(ht); infoDone();
  if (lacks(ch + 2, end, 1)) return;
  const tc = <u32>load<u8>(ch + 2);
  addNum(F_CH_TCLASS, tc);
  addNum(F_CH_TC_BUFFER, tc >> 7);
  addNum(F_CH_TC_OFFLOAD, (tc >> 6) & 1);
  addNum(F_CH_TC_ID, tc & 0x3f);
  if (lacks(ch + 3, end, 1)) return;
  const flags = <u32>load<u8>(ch + 3);
  addNum(F_CH_MOB, flags >> 7);
  addNum(F_CH_FLAGS_RESERVED, flags & 0x7f);
  if (lacks(ch + 4, end, 2)) return;
  const payloadLen = be16(ch + 4);
  addNum(F_CH_PLENGTH, payloadLen);
  // tshark cuts the packet to its header and payload when the lengths fit what was on the wire.
  if (hdrLen > 0) {
    const whole = end;
    if (payloadLen == 0) end = clampEnd(start, <u32>hdrLen, end);
    else if ((ht & 0xf0) != HT_LS && ht != HT_BEACON && payloadLen + <u32>hdrLen <= reportedLength(start, end)) {
      end = clampEnd(start, payloadLen + <u32>hdrLen, end);
    }
    if (end < whole) setDatagramEnd(start, end);
  }
  if (lacks(ch + 6, end, 1)) return;
  addNum(F_CH_MHL, load<u8>(ch + 6));
  if (lacks(ch + 7, end, 1)) return;
  addNum(F_CH_RESERVED2, load<u8>(ch + 7));
  // Types past 0x6f and below 0x10 end the walk; any other subtype is read as its type's known ones are.
  const type = ht & 0xf0;
  if (type < HT_BEACON || type > HT_LS) return;

  let p = ch + 8;
  let sequence = SN_NONE;
  const isArea = (type == HT_GEOANYCAST || type == HT_GEOBROADCAST) && (ht & 0x0f) < 3;
  if (ht == HT_GEOUNICAST || isArea || ht == HTST_TSB_MULT || ht == HTST_LS_REQUEST || ht == HTST_LS_REPLY) {
    if (lacks(p, end, 2)) return;
    sequence = be16(p);
    addNum(F_SEQ_NUM, sequence);
    if (lacks(p + 2, end, 2)) return;
    addNum(F_RESERVED, be16(p + 2));
    p += 4;
  }
  if (lacks(p, end, 24)) return;
  addBytes(F_SO_PV, p, 24);
  addBytes(F_SO_ADDR, p, 8);
  setSourceAddress(AddrKind.GEONW, p);
  const source = p;
  addGnAddress(p, F_SO_MANUAL, F_SO_TYPE, F_SO_COUNTRY, F_SO_MID);
  const timestamp = be32(p + 8);
  addNum(F_SO_TST, timestamp);
  if (version == 0 && isDuplicate(source, timestamp, sequence)) {
    const at = infoPrependFencedBegin();
    puts('[Duplicate packet] ');
    infoPrependFencedEnd(at);
  }
  addNum(F_SO_LAT, <u64><i64><i32>be32(p + 12));
  addNum(F_SO_LONG, <u64><i64><i32>be32(p + 16));
  const speed = be16(p + 20);
  addNum(F_SO_PAI, speed >> 15);
  addNum(F_SO_SPEED, <u64><i64>((<i32>(speed << 17)) >> 17));
  addNum(F_SO_HDG, be16(p + 22));
  p += 24;

  if (ht == HT_GEOUNICAST || ht == HTST_LS_REPLY) {
    if (lacks(p, end, 20)) return;
    addBytes(F_DE_PV, p, 20);
    addBytes(F_DE_ADDR, p, 8);
    setDestinationAddress(AddrKind.GEONW, p);
    if (ht == HTST_LS_REPLY) lsReply(source, p);
    addGnAddress(p, F_DE_MANUAL, F_DE_TYPE, F_DE_COUNTRY, F_DE_MID);
    addNum(F_DE_TST, be32(p + 8));
    addNum(F_DE_LAT, <u64><i64><i32>be32(p + 12));
    addNum(F_DE_LONG, <u64><i64><i32>be32(p + 16));
    p += 20;
  } else if (ht == HTST_TSB_SINGLE) {
    if (lacks(p, end, 4)) return;
    if (be32(p) != 0) {
      addNum(F_DCC_CBR_L0, load<u8>(p) >> 7);
      addNum(F_DCC_CBR_L1, load<u8>(p + 1) >> 7);
      addNum(F_DCC_POWER, load<u8>(p + 2) >> 3);
      addNum(F_DCC_RESERVED, load<u8>(p + 2) & 7);
      addNum(F_SHB_RESERVED, load<u8>(p + 3));
    } else {
      addNum(F_SHB_RESERVED, 0);
    }
    p += 4;
  } else if (isArea) {
    if (lacks(p, end, 4)) return;
    addNum(F_GXC_LAT, <u64><i64><i32>be32(p));
    if (lacks(p + 4, end, 4)) return;
    addNum(F_GXC_LONG, <u64><i64><i32>be32(p + 4));
    if (lacks(p + 8, end, 2)) return;
    addNum((ht & 0x0f) == 0 ? F_GXC_RADIUS : F_GXC_DISTANCE_A, be16(p + 8));
    if (lacks(p + 10, end, 2)) return;
    addNum(F_GXC_DISTANCE_B, be16(p + 10));
    if (lacks(p + 12, end, 2)) return;
    addNum(F_GXC_ANGLE, be16(p + 12));
    if (lacks(p + 14, end, 2)) return;
    addNum(F_GXC_RESERVED, be16(p + 14));
    p += 16;
  } else if (ht == HTST_LS_REQUEST) {
    if (lacks(p, end, 8)) return;
    addBytes(F_LSRQ_ADDR, p, 8);
    setDestinationAddress(AddrKind.GEONW, p);
    addGnAddress(p, F_LSRQ_MANUAL, F_LSRQ_TYPE, F_LSRQ_COUNTRY, F_LSRQ_MID);
    lsRequest(source, p);
    p += 8;
  }

  if (payloadLen == 0) return;
  const payloadEnd = clampEnd(p, payloadLen, end);
  if (chNext == CH_BTP_A) dissectBtpA(p, payloadEnd);
  else if (chNext == CH_BTP_B) dissectBtpB(p, payloadEnd);
  else if (chNext == CH_IPV6) dispatchEthertype(0x86dd, p, payloadEnd);
  else dissectData(p, payloadEnd);
}

// Both read their header field by field: a short one stops at the first field missing.
function dissectBtpA(start: u32, end: u32): void {
  setProtocolColumn('BTPA');
  infoSet(); infoDone();
  beginLayer(PROTO_BTPA);
  if (lacks(start, end, 2)) return;
  const dst = be16(start);
  addNum(F_BTPA_DSTPORT, dst);
  if (lacks(start + 2, end, 2)) return;
  const src = be16(start + 2);
  addNum(F_BTPA_SRCPORT, src);
  infoAppend(); putDec(src); puts(' → '); putDec(dst); infoDone();
  addNum(F_BTPA_PORT, dst);
  addNum(F_BTPA_PORT, src);
  dissectData(start + 4, end);
}

function dissectBtpB(start: u32, end: u32): void {
  setProtocolColumn('BTPB');
  infoSet(); infoDone();
  beginLayer(PROTO_BTPB);
  if (lacks(start, end, 2)) return;
  const dst = be16(start);
  addNum(F_BTPB_DSTPORT, dst);
  if (lacks(start + 2, end, 2)) return;
  addNum(F_BTPB_DSTPORTINF, be16(start + 2));
  infoAppend(); puts(' → '); putDec(dst); infoDone();
  dissectData(start + 4, end);
}

// The last timestamp and sequence number seen from each GN address (version 0
// packets), tshark's duplicate detection.  A fixed table: an address whose
// probes are all taken is not followed.
const SLOTS: u32 = 4096; // a power of two
const PROBES: u32 = 16;
const slotAddr = table<u64>(SLOTS);
const slotTimestamp = table<u32>(SLOTS);
const slotSequence = table<u32>(SLOTS);
const slotFrame = table<u32>(SLOTS);
const slotStream = table<u32>(SLOTS); // streamSerial + 1; anything else is free

function slotHash(key: u64): u32 {
  let h = <u32>(key ^ (key >> 32)) * 0x9e3779b1;
  return h ^ (h >> 15);
}

/** Whether `a` is later than `b` in a space of `half` * 2 + 1 values that wraps. */
function later(a: u64, b: u64, half: u64): bool {
  return (a > b && a - b <= half) || (b > a && b - a > half);
}

function isDuplicate(addr: u32, timestamp: u32, sequence: u32): bool {
  const key = load<u64>(addr);
  const stream = streamSerial() + 1;
  const h = slotHash(key);
  for (let i: u32 = 0; i < PROBES; i++) {
    const s = (h + i) & (SLOTS - 1);
    if (unchecked(slotStream[s]) != stream) {
      unchecked(slotStream[s] = stream);
      unchecked(slotAddr[s] = key);
      unchecked(slotTimestamp[s] = timestamp);
      unchecked(slotSequence[s] = sequence);
      unchecked(slotFrame[s] = frameNumber());
      return false;
    }
    if (unchecked(slotAddr[s]) != key) continue;
    // A frame dissected again is not compared with what it left itself.
    if (frameNumber() <= unchecked(slotFrame[s])) return false;
    unchecked(slotFrame[s] = frameNumber());
    const lastTimestamp = unchecked(slotTimestamp[s]);
    const lastSequence = unchecked(slotSequence[s]);
    if (sequence < SN_NONE && lastSequence >= SN_NONE) {
      unchecked(slotSequence[s] = sequence);
      unchecked(slotTimestamp[s] = timestamp);
      return false;
    }
    if (later(timestamp, lastTimestamp, TST_HALF)) {
      unchecked(slotTimestamp[s] = timestamp);
      if (sequence < SN_NONE) unchecked(slotSequence[s] = sequence);
      return false;
    }
    if (sequence >= SN_NONE) return true;
    if (timestamp != lastTimestamp) return false;
    if (later(sequence, lastSequence, SN_HALF)) {
      unchecked(slotSequence[s] = sequence);
      return false;
    }
    return true;
  }
  return false;
}

/**
 * tshark's address table is the one duplicate detection keeps: printing a GN
 * address in a summary column enters it (timestamp 0, no sequence number)
 * when it is not there yet, which later packets from it are compared with.
 */
export function noteGeonwAddressShown(addr: u32): void {
  const key = load<u64>(addr);
  const stream = streamSerial() + 1;
  const h = slotHash(key);
  for (let i: u32 = 0; i < PROBES; i++) {
    const s = (h + i) & (SLOTS - 1);
    if (unchecked(slotStream[s]) != stream) {
      unchecked(slotStream[s] = stream);
      unchecked(slotAddr[s] = key);
      unchecked(slotTimestamp[s] = 0);
      unchecked(slotSequence[s] = SN_NONE);
      unchecked(slotFrame[s] = frameNumber());
      return;
    }
    if (unchecked(slotAddr[s]) == key) return;
  }
}

// Location service requests waiting for their reply, per pair of GN
// addresses (tshark's conversation of the request's source and the address
// it asks for): the latest request and whether a reply took it.
const LS_SLOTS: u32 = 1024;
const lsAddrA = table<u64>(LS_SLOTS);
const lsAddrB = table<u64>(LS_SLOTS);
const lsRequestFrame = table<u32>(LS_SLOTS);
const lsAnswered = table<u8>(LS_SLOTS);
const lsStream = table<u32>(LS_SLOTS);

function lsFind(a: u64, b: u64, create: bool): i32 {
  const stream = streamSerial() + 1;
  const h = slotHash(a ^ b);
  for (let i: u32 = 0; i < PROBES; i++) {
    const s = (h + i) & (LS_SLOTS - 1);
    if (unchecked(lsStream[s]) != stream) {
      if (!create) return -1;
      unchecked(lsStream[s] = stream);
      unchecked(lsAddrA[s] = a);
      unchecked(lsAddrB[s] = b);
      unchecked(lsRequestFrame[s] = 0);
      unchecked(lsAnswered[s] = 0);
      return <i32>s;
    }
    const x = unchecked(lsAddrA[s]);
    const y = unchecked(lsAddrB[s]);
    if ((x == a && y == b) || (x == b && y == a)) return <i32>s;
  }
  return -1;
}

function lsRequest(src: u32, dst: u32): void {
  const s = lsFind(load<u64>(src), load<u64>(dst), true);
  if (s < 0 || frameNumber() <= unchecked(lsRequestFrame[s])) return;
  unchecked(lsRequestFrame[s] = frameNumber());
  unchecked(lsAnswered[s] = 0);
}

function lsReply(src: u32, dst: u32): void {
  const s = lsFind(load<u64>(src), load<u64>(dst), false);
  if (s < 0 || unchecked(lsRequestFrame[s]) == 0 || unchecked(lsAnswered[s]) != 0) return;
  unchecked(lsAnswered[s] = 1);
  infoAppend(); puts(' (request in '); putDec(unchecked(lsRequestFrame[s])); putc(41); infoDone();
}

registerEthertype(0x8947, dissectGeonw);
