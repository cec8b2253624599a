// IPv6 extension headers (RFC 8200 section 4): hop-by-hop and destination
// options, routing, fragment.  Wireshark shows each as a protocol of its
// own.  Each function shows the header at p and returns its length, or -1
// when the header runs past the bytes there are (dissection stops there, as
// tshark's does); ipv6.ts walks the chain.
import { protocol, uint, flag, ipv6, bytes, Base } from '../fields';
import { beginLayer, beginItemLayer, addCalled, addNum, addBytes, nestCurrentLayer } from '../packet';
import { u8at, u16at, u32at, has, lacks } from '../cursor';
import { infoSet, infoAppend, infoDone, infoLength } from '../columns';
import { puts, putDec, putHex } from '../text';

const PROTO_HOPOPTS = protocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option');
const F_HOPOPTS_NXT = uint('ipv6.hopopts.nxt', 'Next Header', 8);
const F_HOPOPTS_LEN = uint('ipv6.hopopts.len', 'Length', 8);
const F_HOPOPTS_LEN_OCT = uint('ipv6.hopopts.len_oct', 'Length', 16);
const PROTO_DSTOPTS = protocol('ipv6.dstopts', 'Destination Options for IPv6');
const F_DSTOPTS_NXT = uint('ipv6.dstopts.nxt', 'Next Header', 8);
const F_DSTOPTS_LEN = uint('ipv6.dstopts.len', 'Length', 8);
const F_DSTOPTS_LEN_OCT = uint('ipv6.dstopts.len_oct', 'Length', 16);
// Options belong to the ipv6 protocol in Wireshark; registering them here
// only sets which layer they are filed under in -V.
const F_OPT = flag('ipv6.opt', 'IPv6 Option');
const F_OPT_TYPE = uint('ipv6.opt.type', 'Type', 8, Base.HEX);
const F_OPT_ACTION = uint('ipv6.opt.type.action', 'Action', 8);
const F_OPT_CHANGE = flag('ipv6.opt.type.change', 'May Change');
const F_OPT_REST = uint('ipv6.opt.type.rest', 'Low-Order Bits', 8, Base.HEX);
const F_OPT_LENGTH = uint('ipv6.opt.length', 'Length', 8);
const F_OPT_PAD1 = flag('ipv6.opt.pad1', 'Pad1');
const F_OPT_PADN = bytes('ipv6.opt.padn', 'PadN', Base.ALLOW_ZERO);
const F_OPT_PMTU_MIN = uint('ipv6.opt.pmtu.min', 'Minimum Reported PMTU', 16);
const F_OPT_PMTU_RTN = uint('ipv6.opt.pmtu.rtn', 'Return Minimum PMTU', 16);
const F_OPT_PMTU_RTN_FLAG = flag('ipv6.opt.pmtu.r_flag', 'Return Flag');
const F_OPT_CALIPSO_DOI = uint('ipv6.opt.calipso.doi', 'CALIPSO Domain of Interpretation');
const F_OPT_CALIPSO_CMPT_LENGTH = uint('ipv6.opt.calipso.cmpt.length', 'Compartment Length', 8);
const F_OPT_CALIPSO_SENS_LEVEL = uint('ipv6.opt.calipso.sens_level', 'Sensitivity Level', 8);
const F_OPT_CALIPSO_CHECKSUM = uint('ipv6.opt.calipso.checksum', 'Checksum', 16, Base.HEX);
const F_OPT_CALIPSO_BITMAP = bytes('ipv6.opt.calipso.cmpt_bitmap', 'Compartment Bitmap');
const F_OPT_TPF = uint('ipv6.opt.tpf_information', 'TPF Information');
const F_OPT_ROUTER_ALERT = uint('ipv6.opt.router_alert', 'Router Alert', 16);
const F_OPT_TEL = uint('ipv6.opt.tel', 'Tunnel Encapsulation Limit', 8);
const F_OPT_JUMBO = uint('ipv6.opt.jumbo', 'Payload Length');
const F_OPT_HOME_ADDRESS = ipv6('ipv6.opt.mipv6.home_address', 'Home Address');
const F_OPT_RPL_FLAG = uint('ipv6.opt.rpl.flag', 'Flag', 8, Base.HEX);
const F_OPT_RPL_O = flag('ipv6.opt.rpl.flag.o', 'Down');
const F_OPT_RPL_R = flag('ipv6.opt.rpl.flag.r', 'Rank Error');
const F_OPT_RPL_F = flag('ipv6.opt.rpl.flag.f', 'Forwarding Error');
const F_OPT_RPL_RSV = uint('ipv6.opt.rpl.flag.rsv', 'Reserved', 8, Base.HEX);
const F_OPT_RPL_INSTANCE = uint('ipv6.opt.rpl.instance_id', 'RPLInstanceID', 8);
const F_OPT_RPL_RANK = uint('ipv6.opt.rpl.sender_rank', 'Sender Rank', 16);
const F_OPT_EXPERIMENTAL = bytes('ipv6.opt.experimental', 'Experimental Option');
const F_OPT_UNKNOWN = bytes('ipv6.opt.unknown', 'Unknown Option Payload');
const F_OPT_UNKNOWN_DATA = bytes('ipv6.opt_unknown_data', 'Unknown Data');

const PROTO_ROUTING = protocol('ipv6.routing', 'Routing Header for IPv6');
const F_ROUTING_NXT = uint('ipv6.routing.nxt', 'Next Header', 8);
const F_ROUTING_LEN = uint('ipv6.routing.len', 'Length', 8);
const F_ROUTING_LEN_OCT = uint('ipv6.routing.len_oct', 'Length', 16);
const F_ROUTING_TYPE = uint('ipv6.routing.type', 'Type', 8);
const F_ROUTING_SEGLEFT = uint('ipv6.routing.segleft', 'Segments Left', 8);
const F_ROUTING_UNKNOWN = bytes('ipv6.routing.unknown_data', 'Type-Specific Data');
const F_SRC_RESERVED = bytes('ipv6.routing.src.reserved', 'Reserved');
const F_SRC_ADDR = ipv6('ipv6.routing.src.addr', 'Address');
const F_MIPV6_RESERVED = bytes('ipv6.routing.mipv6.reserved', 'Reserved');
const F_MIPV6_HOME = ipv6('ipv6.routing.mipv6.home_address', 'Home Address');
const F_SRH_LAST_ENTRY = uint('ipv6.routing.srh.last_entry', 'Last Entry', 8);
const F_SRH_FLAGS = uint('ipv6.routing.srh.flags', 'Flags', 8, Base.HEX);
const F_SRH_TAG = bytes('ipv6.routing.srh.tag', 'Tag');
const F_SRH_ADDR = ipv6('ipv6.routing.srh.addr', 'Address');

const PROTO_FRAGHDR = protocol('ipv6.fraghdr', 'Fragment Header for IPv6');
const F_FRAG_NXT = uint('ipv6.fraghdr.nxt', 'Next header', 8);
const F_FRAG_RESERVED_OCTET = uint('ipv6.fraghdr.reserved_octet', 'Reserved octet', 8, Base.HEX);
const F_FRAG_OFFSET = uint('ipv6.fraghdr.offset', 'Offset', 16);
const F_FRAG_RESERVED_BITS = uint('ipv6.fraghdr.reserved_bits', 'Reserved bits', 16);
const F_FRAG_MORE = flag('ipv6.fraghdr.more', 'More Fragments');
const F_FRAG_IDENT = uint('ipv6.fraghdr.ident', 'Identification', 32, Base.HEX);

const OPT_PAD1: u32 = 0x00, OPT_PADN: u32 = 0x01, OPT_TEL: u32 = 0x04, OPT_ROUTER_ALERT: u32 = 0x05;
const OPT_RPL: u32 = 0x63, OPT_JUMBO: u32 = 0xc2, OPT_HOME_ADDRESS: u32 = 0xc9, OPT_PMTU: u32 = 0x30, OPT_TPF: u32 = 0x41;
const OPT_CALIPSO: u32 = 0x07, OPT_SMF_DPD: u32 = 0x08, OPT_PDM: u32 = 0x0f, OPT_QUICK_START: u32 = 0x26;
const OPT_IOAM: u32 = 0x31, OPT_MPL: u32 = 0x6d, OPT_ILNP_NONCE: u32 = 0x8b, OPT_LIO: u32 = 0x8c, OPT_DFF: u32 = 0xee;

// What the last header read says about what follows it.
let nextHeader: u32 = 0;
let fragmentOffset: u32 = 0;
let moreFragments = false;
let routedDestination: u32 = 0;
export function extNextHeader(): u32 { return nextHeader; }
/** Offset of the last fragment header read, in bytes. */
export function extFragmentOffset(): u32 { return fragmentOffset; }
export function extFragmentMore(): bool { return moreFragments; }
/** The address the last routing header sends the packet to in the end (0: it does not change it). */
export function extRoutedDestination(): u32 { return routedDestination; }

export function isExtensionHeaderLayer(proto: u32): bool {
  return proto == PROTO_HOPOPTS || proto == PROTO_DSTOPTS || proto == PROTO_ROUTING || proto == PROTO_FRAGHDR;
}

/** Appends to the info column after " , " when it is not empty, as Wireshark's col_append_sep_str. */
function appendInfo(s: string): void {
  const empty = infoLength() == 0;
  infoAppend();
  if (!empty) puts(' , ');
  puts(s);
  infoDone();
}

export function dissectHopByHop(p: u32, end: u32): i32 {
  appendInfo('IPv6 hop-by-hop options');
  return dissectOptionsHeader(p, end, PROTO_HOPOPTS, F_HOPOPTS_NXT, F_HOPOPTS_LEN, F_HOPOPTS_LEN_OCT);
}

export function dissectDestinationOptions(p: u32, end: u32): i32 {
  appendInfo('IPv6 destination options');
  return dissectOptionsHeader(p, end, PROTO_DSTOPTS, F_DSTOPTS_NXT, F_DSTOPTS_LEN, F_DSTOPTS_LEN_OCT);
}

function dissectOptionsHeader(p: u32, end: u32, proto: u32, fNxt: u32, fLen: u32, fLenOct: u32): i32 {
  // Each header is a dissector of its own: listed from the call on, its layer opened once its length is read.
  addCalled(proto);
  if (lacks(p, end, 2)) return -1;
  nextHeader = u8at(p, end);
  const lenField = u8at(p + 1, end);
  const len = (lenField + 1) * 8;
  beginItemLayer(proto);
  nestCurrentLayer(); // Wireshark's tree holds extension headers inside the IPv6 item
  addNum(fNxt, nextHeader);
  addNum(fLen, lenField);
  addNum(fLenOct, len);
  // An option may run past the header's end; only the bytes there are bound it.
  const headerEnd = p + len;
  let o = p + 2;
  while (o < headerEnd) {
    if (lacks(o, end, 2)) return -1;
    const type = u8at(o, end);
    const optLen = u8at(o + 1, end);
    addNum(F_OPT, 1);
    addNum(F_OPT_TYPE, type);
    if (type == OPT_PAD1) { addNum(F_OPT_PAD1, 1); o += 1; continue; }
    addNum(F_OPT_ACTION, type >> 6);
    addNum(F_OPT_CHANGE, (type >> 5) & 1);
    addNum(F_OPT_REST, type & 0x1f);
    addNum(F_OPT_LENGTH, optLen);
    const data = o + 2;
    if (type == OPT_PADN) {
      if (lacks(data, end, optLen)) return -1;
      addBytes(F_OPT_PADN, data, optLen);
      o = data + optLen;
      continue;
    }
    const used = dissectOption(type, data, optLen, end);
    if (used < 0) return -1;
    if (<u32>used < optLen) {
      if (lacks(data + <u32>used, end, optLen - <u32>used)) return -1;
      addBytes(F_OPT_UNKNOWN_DATA, data + <u32>used, optLen - <u32>used);
    }
    o = data + (<u32>used > optLen ? <u32>used : optLen);
  }
  return <i32>len;
}

/** One option's data; returns how many bytes it read (options read their fixed size whatever the length says). */
function dissectOption(type: u32, p: u32, len: u32, end: u32): i32 {
  if (type == OPT_JUMBO) {
    if (lacks(p, end, 4)) return -1;
    addNum(F_OPT_JUMBO, u32at(p, end));
    return 4;
  }
  if (type == OPT_ROUTER_ALERT) {
    if (lacks(p, end, 2)) return -1;
    addNum(F_OPT_ROUTER_ALERT, u16at(p, end));
    return 2;
  }
  if (type == OPT_TEL) {
    if (lacks(p, end, 1)) return -1;
    addNum(F_OPT_TEL, u8at(p, end));
    return 1;
  }
  if (type == OPT_HOME_ADDRESS) {
    if (lacks(p, end, 16)) return -1;
    addBytes(F_OPT_HOME_ADDRESS, p, 16);
    return 16;
  }
  if (type == OPT_RPL) {
    if (lacks(p, end, 4)) return -1;
    const flags = u8at(p, end);
    addNum(F_OPT_RPL_FLAG, flags);
    addNum(F_OPT_RPL_O, (flags >> 7) & 1);
    addNum(F_OPT_RPL_R, (flags >> 6) & 1);
    addNum(F_OPT_RPL_F, (flags >> 5) & 1);
    addNum(F_OPT_RPL_RSV, flags & 0x1f);
    addNum(F_OPT_RPL_INSTANCE, u8at(p + 1, end));
    addNum(F_OPT_RPL_RANK, u16at(p + 2, end));
    return 4;
  }
  if (type == OPT_PMTU) {
    if (lacks(p, end, 4)) return -1;
    addNum(F_OPT_PMTU_MIN, u16at(p, end));
    addNum(F_OPT_PMTU_RTN, u16at(p + 2, end));
    addNum(F_OPT_PMTU_RTN_FLAG, u16at(p + 2, end) & 1);
    return 4;
  }
  if (type == OPT_CALIPSO) {
    // RFC 5570: the compartment bitmap is as long as its length byte says, whatever the option length.
    if (lacks(p, end, 4)) return -1;
    addNum(F_OPT_CALIPSO_DOI, u32at(p, end));
    if (lacks(p, end, 5)) return -1;
    const bitmapLen = u8at(p + 4, end) * 4;
    addNum(F_OPT_CALIPSO_CMPT_LENGTH, bitmapLen / 4);
    if (lacks(p, end, 6)) return -1;
    addNum(F_OPT_CALIPSO_SENS_LEVEL, u8at(p + 5, end));
    if (lacks(p, end, 8)) return -1;
    addNum(F_OPT_CALIPSO_CHECKSUM, u16at(p + 6, end));
    if (lacks(p + 8, end, bitmapLen)) return -1;
    addBytes(F_OPT_CALIPSO_BITMAP, p + 8, bitmapLen);
    return <i32>(8 + bitmapLen);
  }
  if (type == OPT_TPF) {
    if (lacks(p, end, 4)) return -1;
    addNum(F_OPT_TPF, u32at(p, end));
    return 4;
  }
  const undecoded = undecodedOptionLength(type, p, len, end);
  if (undecoded >= 0) {
    if (lacks(p, end, <u32>undecoded)) return -1;
    return undecoded;
  }
  if (lacks(p, end, len)) return -1;
  // The experimental values (RFC 4727) end in 0x1e.
  addBytes((type & 0x1f) == 0x1e ? F_OPT_EXPERIMENTAL : F_OPT_UNKNOWN, p, len);
  return <i32>len;
}

/**
 * Options Wireshark decodes but this file does not: their fields are left
 * out, but the bytes Wireshark's decoding takes are, so that what it shows
 * as left over data (ipv6.opt_unknown_data) matches.  -1 for other types.
 */
function undecodedOptionLength(type: u32, p: u32, len: u32, end: u32): i32 {
  if (type == OPT_SMF_DPD || type == OPT_ILNP_NONCE) return <i32>len;
  if (type == OPT_PDM) return 10;
  if (type == OPT_QUICK_START) return 6;
  if (type == OPT_IOAM) return 2;
  if (type == OPT_DFF) return 3;
  if (type == OPT_LIO) return has(p, end, 1) ? 1 + <i32>load<u8>(p) : 1;
  if (type == OPT_MPL) {
    // The seed ID's length is coded in the top two bits of the flags.
    if (!has(p, end, 1)) return 2;
    const s = <u32>load<u8>(p) >> 6;
    return 2 + <i32>(s == 0 ? 0 : s == 1 ? 2 : s == 2 ? 8 : 16);
  }
  return -1;
}

export function dissectRouting(p: u32, end: u32): i32 {
  appendInfo('IPv6 routing');
  beginLayer(PROTO_ROUTING);
  nestCurrentLayer();
  routedDestination = 0;
  if (lacks(p, end, 1)) return -1;
  nextHeader = u8at(p, end);
  addNum(F_ROUTING_NXT, nextHeader);
  if (lacks(p, end, 2)) return -1;
  const lenField = u8at(p + 1, end);
  const len = (lenField + 1) * 8;
  addNum(F_ROUTING_LEN, lenField);
  addNum(F_ROUTING_LEN_OCT, len);
  if (lacks(p, end, 3)) return -1;
  const type = u8at(p + 2, end);
  addNum(F_ROUTING_TYPE, type);
  if (lacks(p, end, 4)) return -1;
  const segmentsLeft = u8at(p + 3, end);
  addNum(F_ROUTING_SEGLEFT, segmentsLeft);
  // The type-specific part is what the length declares, within the bytes there are.
  const dataLen = len - 4;
  const data = p + 4;
  const dataEnd = end - data > dataLen ? data + dataLen : end;
  let ok = true;
  if (type == 0) ok = dissectSourceRoute(data, dataEnd, lenField, segmentsLeft);
  else if (type == 2) ok = dissectType2(data, dataEnd);
  else if (type == 4) ok = dissectSegmentRouting(data, dataEnd, segmentsLeft);
  else if (type != 3) {
    if (lacks(data, end, dataLen)) return -1;
    addBytes(F_ROUTING_UNKNOWN, data, dataLen);
  }
  return ok ? <i32>len : -1;
}

/** Type 0 (RFC 2460, deprecated): reserved bytes then addresses; the last one is where the packet goes. */
function dissectSourceRoute(p: u32, end: u32, lenField: u32, segmentsLeft: u32): bool {
  if (lacks(p, end, 4)) return false;
  addBytes(F_SRC_RESERVED, p, 4);
  const count = lenField / 2;
  for (let i: u32 = 0; i < count; i++) {
    const a = p + 4 + i * 16;
    if (lacks(a, end, 16)) return false;
    addBytes(F_SRC_ADDR, a, 16);
    if (i == count - 1 && segmentsLeft > 0) routedDestination = a;
  }
  return true;
}

/** Type 2 (RFC 6275): the mobile node's home address. */
function dissectType2(p: u32, end: u32): bool {
  if (lacks(p, end, 4)) return false;
  addBytes(F_MIPV6_RESERVED, p, 4);
  if (lacks(p + 4, end, 16)) return false;
  addBytes(F_MIPV6_HOME, p + 4, 16);
  return true;
}

/** Type 4 (RFC 8754): the segment list is stored last segment first; entry 0 is the final destination. */
function dissectSegmentRouting(p: u32, end: u32, segmentsLeft: u32): bool {
  if (lacks(p, end, 1)) return false;
  const lastEntry = u8at(p, end);
  addNum(F_SRH_LAST_ENTRY, lastEntry);
  if (lacks(p, end, 2)) return false;
  addNum(F_SRH_FLAGS, u8at(p + 1, end));
  if (lacks(p, end, 4)) return false;
  addBytes(F_SRH_TAG, p + 2, 2);
  const list = p + 4;
  if (segmentsLeft > 0) {
    if (lacks(list, end, 16)) return false;
    routedDestination = list;
  }
  for (let i: u32 = 0; i <= lastEntry; i++) {
    const a = list + i * 16;
    if (lacks(a, end, 16)) return false;
    addBytes(F_SRH_ADDR, a, 16);
  }
  return true;
}

export function dissectFragmentHeader(p: u32, end: u32): i32 {
  addCalled(PROTO_FRAGHDR);
  if (lacks(p, end, 8)) return -1;
  nextHeader = u8at(p, end);
  const word = u16at(p + 2, end);
  const ident = u32at(p + 4, end);
  fragmentOffset = word & 0xfff8;
  moreFragments = (word & 1) != 0;
  infoSet();
  puts('IPv6 fragment (off='); putDec(fragmentOffset);
  puts(moreFragments ? ' more=y' : ' more=n');
  puts(' ident='); putHex(ident, 8);
  puts(' nxt='); putDec(nextHeader); puts(')');
  infoDone();
  beginItemLayer(PROTO_FRAGHDR);
  nestCurrentLayer();
  addNum(F_FRAG_NXT, nextHeader);
  addNum(F_FRAG_RESERVED_OCTET, u8at(p + 1, end));
  addNum(F_FRAG_OFFSET, word >> 3);
  addNum(F_FRAG_RESERVED_BITS, (word >> 1) & 3);
  addNum(F_FRAG_MORE, word & 1);
  addNum(F_FRAG_IDENT, ident);
  return 8;
}

/**
 * The jumbo payload length from the hop-by-hop header at p, or 0 when there
 * is none (or it is not above 65535), searched as Wireshark searches it.
 */
export function findJumboLength(p: u32, end: u32): u32 {
  if (!has(p, end, 2)) return 0;
  const headerEnd = p + (<u32>load<u8>(p + 1) + 1) * 8;
  let o = p + 2;
  while (o < headerEnd && has(o, end, 6)) {
    const type = <u32>load<u8>(o);
    o++;
    if (type == OPT_PAD1) continue;
    const len = <u32>load<u8>(o);
    o++;
    if (type == OPT_JUMBO && len == 4) {
      const jumbo = u32at(o, end);
      return jumbo > 0xffff ? jumbo : 0;
    }
    o += len;
  }
  return 0;
}
