// Neighbour discovery options (RFC 4861 section 4.6 and later additions:
// RFC 8106 DNS, RFC 4191 routes, RFC 8781 PREF64, RFC 8910 captive portal).
// The ICMPv6 protocol is declared here because this is the first of its files
// to load: the fields declared below, and those of icmpv6-mld.ts and
// icmpv6.ts, which import it, belong to it.
import { protocol, uint, flag, ipv6, ether, str, bytes, Base } from '../fields';
import { addNum, addBytes, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putEther, textPos } from '../text';
import { dissectQuotedPacket } from './quoted';
import { addAscii } from './ascii-text';

export const PROTO_ICMPV6 = protocol('icmpv6', 'Internet Control Message Protocol v6');
export const F_ICMPV6_RESERVED = bytes('icmpv6.reserved', 'Reserved');
export const F_ICMPV6_DATA = bytes('icmpv6.data', 'Data');
export const F_ICMPV6_OPT = flag('icmpv6.opt', 'ICMPv6 Option');
const F_OPT = F_ICMPV6_OPT;
const F_OPT_TYPE = uint('icmpv6.opt.type', 'Type', 8);
const F_OPT_LENGTH = uint('icmpv6.opt.length', 'Length', 8);
const F_OPT_RESERVED = flag('icmpv6.opt.reserved', 'Reserved');
const F_OPT_PADDING = flag('icmpv6.opt.padding', 'Padding');
const F_LINKADDR = ether('icmpv6.opt.linkaddr', 'Link-layer address');
const F_SRC_LINKADDR = ether('icmpv6.opt.src_linkaddr', 'Source Link-layer address');
const F_TARGET_LINKADDR = ether('icmpv6.opt.target_linkaddr', 'Target Link-layer address');
const F_PREFIX_LENGTH = uint('icmpv6.opt.prefix.length', 'Prefix Length', 8);
const F_PREFIX_FLAG = uint('icmpv6.opt.prefix.flag', 'Flag', 8, Base.HEX);
const F_PREFIX_FLAG_L = flag('icmpv6.opt.prefix.flag.l', 'On-link flag(L)');
const F_PREFIX_FLAG_A = flag('icmpv6.opt.prefix.flag.a', 'Autonomous address-configuration flag(A)');
const F_PREFIX_FLAG_R = flag('icmpv6.opt.prefix.flag.r', 'Router address flag(R)');
const F_PREFIX_FLAG_RESERVED = uint('icmpv6.opt.prefix.flag.reserved', 'Reserved', 8);
const F_PREFIX_VALID = uint('icmpv6.opt.prefix.valid_lifetime', 'Valid Lifetime');
const F_PREFIX_PREFERRED = uint('icmpv6.opt.prefix.preferred_lifetime', 'Preferred Lifetime');
const F_PREFIX = ipv6('icmpv6.opt.prefix', 'Prefix');
const F_REDIRECTED_PACKET = flag('icmpv6.opt.redirected_packet', 'Redirected Packet');
const F_MTU = uint('icmpv6.opt.mtu', 'MTU');
const F_NBMA_SHORTCUT_LIMIT = uint('icmpv6.opt.nbma.shortcut_limit', 'Shortcut Limit', 8);
const F_ADVERTISEMENT_INTERVAL = uint('icmpv6.opt.advertisement_interval', 'Advertisement Interval');
const F_HOME_AGENT_PREFERENCE = uint('icmpv6.opt.home_agent_preference', 'Home Agent Preference', 16);
const F_HOME_AGENT_LIFETIME = uint('icmpv6.opt.home_agent_lifetime', 'Home Agent Lifetime', 16);
const F_IPV6_ADDRESS = ipv6('icmpv6.opt.ipv6_address', 'IPv6 Address');
const F_NONCE = bytes('icmpv6.opt.nonce', 'Nonce');
const F_ROUTE_INFO_FLAG = uint('icmpv6.opt.route_info.flag', 'Flag', 8, Base.HEX);
const F_ROUTE_PREFERENCE = uint('icmpv6.opt.route_info.flag.route_preference', 'Route Preference', 8);
const F_ROUTE_INFO_RESERVED = uint('icmpv6.opt.route_info.flag.reserved', 'Reserved', 8);
const F_ROUTE_LIFETIME = uint('icmpv6.opt.route_lifetime', 'Route Lifetime');
const F_RDNSS_LIFETIME = uint('icmpv6.opt.rdnss.lifetime', 'Lifetime');
const F_RDNSS = ipv6('icmpv6.opt.rdnss', 'Recursive DNS Servers');
const F_DNSSL_LIFETIME = uint('icmpv6.opt.dnssl.lifetime', 'Lifetime');
const F_DNSSL = str('icmpv6.opt.dnssl', 'Domain Names');
const F_CAPTIVE_PORTAL = str('icmpv6.opt.captive_portal', 'Captive Portal');
const F_PREF64_LIFETIME = uint('icmpv6.opt.pref64.scaled_lifetime', 'Scaled Lifetime', 16);
const F_PREF64_PLC = uint('icmpv6.opt.pref64.plc', 'PLC (Prefix Length Code)', 16, Base.HEX);
const F_PREF64_PREFIX = ipv6('icmpv6.opt.pref64.prefix', 'Prefix');
export const F_ICMPV6_UNKNOWN_DATA = bytes('icmpv6.unknown_data', 'Unknown Data');
const F_UNKNOWN_DATA = F_ICMPV6_UNKNOWN_DATA;

const OPT_SOURCE_LINKADDR: u32 = 1, OPT_TARGET_LINKADDR: u32 = 2, OPT_PREFIX_INFO: u32 = 3;
const OPT_REDIRECTED_HEADER: u32 = 4, OPT_MTU: u32 = 5, OPT_NBMA: u32 = 6, OPT_ADV_INTERVAL: u32 = 7;
const OPT_HOME_AGENT_INFO: u32 = 8, OPT_SOURCE_ADDRLIST: u32 = 9, OPT_TARGET_ADDRLIST: u32 = 10, OPT_NONCE: u32 = 14;
const OPT_ROUTE_INFO: u32 = 24, OPT_RDNSS: u32 = 25, OPT_DNSSL: u32 = 31, OPT_CAPTIVE_PORTAL: u32 = 37;
const OPT_PREF64: u32 = 38;

/** The options from p to the end of the message; each is a multiple of 8 bytes. */
export function dissectNdOptions(p: u32, end: u32): void {
  while (p < end) {
    if (!has(p, end, 2)) { markTruncated(); return; }
    const len = u8at(p + 1, end) * 8;
    // The option's own item is not checked against the bytes there are; its fields are.
    addNum(F_OPT, 1);
    const type = u8at(p, end);
    addNum(F_OPT_TYPE, type);
    addNum(F_OPT_LENGTH, len / 8);
    if (len == 0) return; // a zero length would never end; Wireshark stops there too
    const parsedTo = dissectOption(type, p, p + 2, len, end);
    if (parsedTo < 0) return;
    if (<u32>parsedTo < p + len) {
      if (!need(<u32>parsedTo, p + len - <u32>parsedTo, end)) return;
      addBytes(F_UNKNOWN_DATA, <u32>parsedTo, p + len - <u32>parsedTo);
    }
    p += len;
  }
}

/** Reserved bytes shown as a field without value; false when they are not there. */
function reserved(p: u32, n: u32, end: u32): bool {
  if (!has(p, end, n)) { markTruncated(); return false; }
  addNum(F_OPT_RESERVED, 1);
  return true;
}

function need(p: u32, n: u32, end: u32): bool {
  if (has(p, end, n)) return true;
  markTruncated();
  return false;
}

/** One option's body at d; returns where its parsing ended, or -1 when the bytes ran out. */
function dissectOption(type: u32, opt: u32, d: u32, len: u32, end: u32): i64 {
  if (type == OPT_SOURCE_LINKADDR || type == OPT_TARGET_LINKADDR) {
    // Only an Ethernet address (an 8-byte option) is decoded.
    if (len == 8) {
      if (!need(d, 6, end)) return -1;
      addBytes(F_LINKADDR, d, 6);
      addBytes(type == OPT_SOURCE_LINKADDR ? F_SRC_LINKADDR : F_TARGET_LINKADDR, d, 6);
      infoAppend(); puts(type == OPT_SOURCE_LINKADDR ? ' from ' : ' is at '); putEther(d); infoDone();
    }
    return <i64>d + len;
  }
  if (type == OPT_PREFIX_INFO) {
    if (!need(d, 1, end)) return -1;
    addNum(F_PREFIX_LENGTH, u8at(d, end));
    if (!need(d + 1, 1, end)) return -1;
    const flags = u8at(d + 1, end);
    addNum(F_PREFIX_FLAG, flags);
    addNum(F_PREFIX_FLAG_L, flags >> 7);
    addNum(F_PREFIX_FLAG_A, (flags >> 6) & 1);
    addNum(F_PREFIX_FLAG_R, (flags >> 5) & 1);
    addNum(F_PREFIX_FLAG_RESERVED, flags & 0x1f);
    if (!need(d + 2, 4, end)) return -1;
    addNum(F_PREFIX_VALID, u32at(d + 2, end));
    if (!need(d + 6, 4, end)) return -1;
    addNum(F_PREFIX_PREFERRED, u32at(d + 6, end));
    if (!reserved(d + 10, 4, end) || !need(d + 14, 16, end)) return -1;
    addBytes(F_PREFIX, d + 14, 16);
    return <i64>d + 30;
  }
  if (type == OPT_REDIRECTED_HEADER) {
    if (!reserved(d, 6, end)) return -1;
    if (len > 8) {
      addNum(F_REDIRECTED_PACKET, 1);
      const packet = d + 6;
      if (!need(packet, 1, end)) return -1;
      const packetEnd = end - packet > len - 8 ? packet + len - 8 : end;
      if ((load<u8>(packet) & 0xf0) == 0x60) dissectQuotedPacket(0x86dd, packet, packetEnd);
      return <i64>packetEnd;
    }
    return <i64>d + 6;
  }
  if (type == OPT_MTU || type == OPT_ADV_INTERVAL) {
    if (!reserved(d, 2, end) || !need(d + 2, 4, end)) return -1;
    addNum(type == OPT_MTU ? F_MTU : F_ADVERTISEMENT_INTERVAL, u32at(d + 2, end));
    return <i64>d + 6;
  }
  if (type == OPT_NBMA) {
    if (!need(d, 1, end)) return -1;
    addNum(F_NBMA_SHORTCUT_LIMIT, u8at(d, end));
    if (!reserved(d, 1, end) || !reserved(d + 1, 4, end)) return -1;
    return <i64>d + 5;
  }
  if (type == OPT_HOME_AGENT_INFO) {
    if (!reserved(d, 2, end) || !need(d + 2, 4, end)) return -1;
    addNum(F_HOME_AGENT_PREFERENCE, u16at(d + 2, end));
    addNum(F_HOME_AGENT_LIFETIME, u16at(d + 4, end));
    return <i64>d + 6;
  }
  if (type == OPT_SOURCE_ADDRLIST || type == OPT_TARGET_ADDRLIST) {
    if (!reserved(d, 6, end)) return -1;
    return addressList(F_IPV6_ADDRESS, d + 6, opt + len, end);
  }
  if (type == OPT_NONCE) {
    if (!need(d, len - 2, end)) return -1;
    addBytes(F_NONCE, d, len - 2);
    return <i64>d + len - 2;
  }
  if (type == OPT_ROUTE_INFO) return dissectRouteInfo(d, len, end);
  if (type == OPT_RDNSS) {
    if (!reserved(d, 2, end) || !need(d + 2, 4, end)) return -1;
    addNum(F_RDNSS_LIFETIME, u32at(d + 2, end));
    return addressList(F_RDNSS, d + 6, opt + len, end);
  }
  if (type == OPT_DNSSL) return dissectDnssl(d, opt + len, end);
  if (type == OPT_CAPTIVE_PORTAL) {
    if (!need(d, len - 2, end)) return -1;
    addAscii(F_CAPTIVE_PORTAL, d, len - 2);
    return <i64>d + len - 2;
  }
  if (type == OPT_PREF64) return dissectPref64(d, end);
  if (!need(d, len - 2, end)) return -1;
  addBytes(F_ICMPV6_DATA, d, len - 2);
  return <i64>d + len - 2;
}

/** 16-byte addresses until the option's end (the last may run past it, as in Wireshark). */
function addressList(f: u32, p: u32, optEnd: u32, end: u32): i64 {
  for (; p < optEnd; p += 16) {
    if (!need(p, 16, end)) return -1;
    addBytes(f, p, 16);
  }
  return <i64>p;
}

/** A prefix of n bytes (n < 16) as a full address, zeros after it. */
function addPartialPrefix(f: u32, p: u32, n: u32): void {
  const a = scratchBegin();
  for (let i: u32 = 0; i < 16; i++) putc(i < n ? <u32>load<u8>(p + i) : 0);
  scratchEnd(a);
  addBytes(f, a, 16);
}

/** RFC 4191: the prefix is 0, 8 or 16 bytes long, as the option length says. */
function dissectRouteInfo(d: u32, len: u32, end: u32): i64 {
  if (!need(d, 1, end)) return -1;
  addNum(F_PREFIX_LENGTH, u8at(d, end));
  if (!need(d + 1, 1, end)) return -1;
  const flags = u8at(d + 1, end);
  addNum(F_ROUTE_INFO_FLAG, flags);
  addNum(F_ROUTE_PREFERENCE, (flags >> 3) & 3);
  addNum(F_ROUTE_INFO_RESERVED, flags & 0xe7);
  if (!need(d + 2, 4, end)) return -1;
  addNum(F_ROUTE_LIFETIME, u32at(d + 2, end));
  if (len == 16) {
    if (!need(d + 6, 8, end)) return -1;
    addPartialPrefix(F_PREFIX, d + 6, 8);
    return <i64>d + 14;
  }
  if (len == 24) {
    if (!need(d + 6, 16, end)) return -1;
    addBytes(F_PREFIX, d + 6, 16);
    return <i64>d + 22;
  }
  return <i64>d + 6;
}

/** RFC 8106: a lifetime, then names in DNS label form until zero padding. */
function dissectDnssl(d: u32, optEnd: u32, end: u32): i64 {
  if (!reserved(d, 2, end) || !need(d + 2, 4, end)) return -1;
  addNum(F_DNSSL_LIFETIME, u32at(d + 2, end));
  let p = d + 6;
  while (p < optEnd) {
    if (!need(p, 1, end)) return -1;
    if (load<u8>(p) == 0) { addNum(F_OPT_PADDING, 1); return <i64>optEnd; }
    const name = scratchBegin();
    // Each label moves p on by at least one byte.
    while (true) {
      if (!has(p, end, 1)) { scratchEnd(name); markTruncated(); return -1; }
      const labelLen = <u32>load<u8>(p);
      if (labelLen == 0) { p++; break; }
      if (labelLen >= 0xc0) { p += 2; break; }
      if (!has(p + 1, end, labelLen)) { scratchEnd(name); markTruncated(); return -1; }
      if (textPos() > name) putc(46);
      for (let i: u32 = 1; i <= labelLen; i++) putc(load<u8>(p + i));
      p += 1 + labelLen;
    }
    addBytes(F_DNSSL, name, scratchEnd(name));
  }
  return <i64>p;
}

/** RFC 8781: the prefix length code says how many of the 12 prefix bytes count. */
function dissectPref64(d: u32, end: u32): i64 {
  if (!need(d, 2, end)) return -1;
  const word = u16at(d, end);
  addNum(F_PREF64_LIFETIME, word >> 3);
  const plc = word & 7;
  addNum(F_PREF64_PLC, plc);
  if (plc <= 5) {
    const n: u32 = plc == 0 ? 12 : 9 - plc;
    if (!need(d + 2, n, end)) return -1;
    addPartialPrefix(F_PREF64_PREFIX, d + 2, n);
  }
  return <i64>d + 14;
}
