// Internet Protocol version 6 (RFC 8200): the fixed header, the addresses
// that embed other addresses, then the extension header chain and the
// hand-off to the upper layer.  As tshark with defragmentation off: a
// fragment (offset > 0 or more-fragments set) is shown as data unless it is
// the first one.
import { protocol, uint, ipv6, ipv4, ether, str, bytes, Base } from '../fields';
import { beginLayer, calledMark, forgetCallsSince, addNum, addBytes, setAddresses, setSourceAddress, setProtocolColumn, setProtocolColumnHex,
  AddrKind, markTruncated, reportedLength, isFragmented, setFragmented, setNetworkTtl, layerCount, layerProto, limitUncaptured, setDatagramEnd } from '../packet';
import { u8at, u16at, u32at, has, be16, be32 } from '../cursor';
import { registerEthertype, registerLinktype, registerIpProto, dispatchIpProto } from '../dispatch';
import { dissectData } from './frame';
import { addAddressAndHost } from './ip-host';
import { infoSet, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putDec, putc } from '../text';
import { F_VERSION as F_IP_VERSION } from './ipv4';
import { dissectHopByHop, dissectDestinationOptions, dissectRouting, dissectFragmentHeader, findJumboLength,
  extNextHeader, extFragmentOffset, extFragmentMore, extRoutedDestination, isExtensionHeaderLayer } from './ipv6-ext';
import { dissectAhHeader, ahNextHeader } from './ah';
import { putIpProtoName } from './ipproto';
import { dissectEthernet } from './eth';
import './mipv6';

const PROTO_IPV6 = protocol('ipv6', 'Internet Protocol Version 6');
const F_VERSION = uint('ipv6.version', 'Version', 8);
const F_TCLASS = uint('ipv6.tclass', 'Traffic Class', 32, Base.HEX);
const F_DSCP = uint('ipv6.tclass.dscp', 'Differentiated Services Codepoint', 32);
const F_ECN = uint('ipv6.tclass.ecn', 'Explicit Congestion Notification', 32);
const F_FLOW = uint('ipv6.flow', 'Flow Label', 24, Base.HEX);
const F_PLEN = uint('ipv6.plen', 'Payload Length', 16);
const F_NXT = uint('ipv6.nxt', 'Next Header', 8);
const F_HLIM = uint('ipv6.hlim', 'Hop Limit', 8);
const F_SRC = ipv6('ipv6.src', 'Source Address');
const F_ADDR = ipv6('ipv6.addr', 'Source or Destination Address');
const F_SRC_HOST = str('ipv6.src_host', 'Source Host');
const F_HOST = str('ipv6.host', 'Source or Destination Host');
const F_DST = ipv6('ipv6.dst', 'Destination Address');
const F_DST_HOST = str('ipv6.dst_host', 'Destination Host');
// Addresses that carry other addresses, per side and then for either side.
const F_SRC_6TO4_GW = ipv4('ipv6.src_6to4_gw_ipv4', 'Source 6to4 Gateway IPv4');
const F_SRC_6TO4_SLA = uint('ipv6.src_6to4_sla_id', 'Source 6to4 SLA ID', 16);
const F_DST_6TO4_GW = ipv4('ipv6.dst_6to4_gw_ipv4', 'Destination 6to4 Gateway IPv4');
const F_DST_6TO4_SLA = uint('ipv6.dst_6to4_sla_id', 'Destination 6to4 SLA ID', 16);
const F_6TO4_GW = ipv4('ipv6.6to4_gw_ipv4', '6to4 Gateway IPv4');
const F_6TO4_SLA = uint('ipv6.6to4_sla_id', '6to4 SLA ID', 16);
const F_SRC_TEREDO_SERVER = ipv4('ipv6.src_ts_ipv4', 'Source Teredo Server IPv4');
const F_SRC_TEREDO_PORT = uint('ipv6.src_tc_port', 'Source Teredo Port', 16);
const F_SRC_TEREDO_CLIENT = ipv4('ipv6.src_tc_ipv4', 'Source Teredo Client IPv4');
const F_DST_TEREDO_SERVER = ipv4('ipv6.dst_ts_ipv4', 'Destination Teredo Server IPv4');
const F_DST_TEREDO_PORT = uint('ipv6.dst_tc_port', 'Destination Teredo Port', 16);
const F_DST_TEREDO_CLIENT = ipv4('ipv6.dst_tc_ipv4', 'Destination Teredo Client IPv4');
const F_TEREDO_SERVER = ipv4('ipv6.ts_ipv4', 'Teredo Server IPv4');
const F_TEREDO_PORT = uint('ipv6.tc_port', 'Teredo Port', 16);
const F_TEREDO_CLIENT = ipv4('ipv6.tc_ipv4', 'Teredo Client IPv4');
const F_SRC_SLAAC = ether('ipv6.src_slaac_mac', 'Source SLAAC MAC');
const F_DST_SLAAC = ether('ipv6.dst_slaac_mac', 'Destination SLAAC MAC');
const F_SLAAC = ether('ipv6.slaac_mac', 'SLAAC MAC');
const F_SRC_ISATAP = ipv4('ipv6.src_isatap_ipv4', 'Source ISATAP IPv4');
const F_DST_ISATAP = ipv4('ipv6.dst_isatap_ipv4', 'Destination ISATAP IPv4');
const F_ISATAP = ipv4('ipv6.isatap_ipv4', 'ISATAP IPv4');
const F_EMBED_PREFIX = bytes('ipv6.embed_ipv4_prefix', 'Embedded IPv4 Prefix');
const F_SRC_EMBED = ipv4('ipv6.src_embed_ipv4', 'Source Embedded IPv4');
const F_DST_EMBED = ipv4('ipv6.dst_embed_ipv4', 'Destination Embedded IPv4');
const F_EMBED = ipv4('ipv6.embed_ipv4', 'Embedded IPv4');

const HEADER_LEN: u32 = 40;
const NO_NEXT_HEADER: u32 = 59;
// Every extension header is at least 8 bytes, so the chain ends by itself;
// this only states the bound.
const MAX_EXTENSION_HEADERS = 4096;

// The innermost IPv6 header seen: its addresses (after any routing header)
// for the ICMPv6 checksum's pseudo-header, its hop limit for echo info.
let pseudoSrc: u32 = 0;
let pseudoDst: u32 = 0;
let hopLimit: i32 = -1;
export function ipv6PseudoSource(): u32 { return pseudoSrc; }
export function ipv6PseudoDestination(): u32 { return pseudoDst; }
export function ipv6HopLimit(): i32 { return hopLimit; }

const enum Via { ETHERTYPE, LINKTYPE, IP }

function dissectIPv6FromEthertype(start: u32, end: u32): void { dissectIPv6(start, end, Via.ETHERTYPE); }
function dissectIPv6FromLinktype(start: u32, end: u32): void { dissectIPv6(start, end, Via.LINKTYPE); }
function dissectIPv6FromIp(start: u32, end: u32): void { dissectIPv6(start, end, Via.IP); }

function dissectIPv6(start: u32, end: u32, via: Via): void {
  const mark = calledMark();
  beginLayer(PROTO_IPV6);
  setProtocolColumn('IPv6');
  infoSet(); infoDone();
  if (!has(start, end, 1)) { markTruncated(); return; }
  const version = <u32>load<u8>(start) >> 4;
  addNum(F_VERSION, version);
  addNum(F_IP_VERSION, version);
  // Another version: IPv6's dissector returns 0, so it is not listed (its item stays).
  if (version != 6) { forgetCallsSince(mark); rejectVersion(version, start, end, via); return; }
  const reported = reportedLength(start, end);
  if (reported < HEADER_LEN) {
    infoSet(); puts('Invalid IPv6 header ('); putDec(reported); puts(' bytes, need exactly 40)'); infoDone();
  }
  // Each field is shown only if its bytes are there, as tshark's exceptions stop it.
  if (!has(start, end, 4)) { markTruncated(); return; }
  const word = u32at(start, end);
  const tclass = (word >> 20) & 0xff;
  addNum(F_TCLASS, tclass);
  addNum(F_DSCP, tclass >> 2);
  addNum(F_ECN, tclass & 3);
  addNum(F_FLOW, word & 0xfffff);
  if (!has(start, end, 6)) { markTruncated(); return; }
  const plen = u16at(start + 4, end);
  addNum(F_PLEN, plen);
  if (!has(start, end, 7)) { markTruncated(); return; }
  const nxt = u8at(start + 6, end);
  addNum(F_NXT, nxt);
  if (!has(start, end, 8)) { markTruncated(); return; }
  hopLimit = <i32>u8at(start + 7, end);
  addNum(F_HLIM, hopLimit);
  if (!has(start, end, 24)) { markTruncated(); return; }
  addAddressAndHost(F_SRC, F_ADDR, F_SRC_HOST, F_HOST, start + 8, true);
  setSourceAddress(AddrKind.IPV6, start + 8);
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  addAddressAndHost(F_DST, F_ADDR, F_DST_HOST, F_HOST, start + 24, true);
  setAddresses(AddrKind.IPV6, start + 8, start + 24);
  addEmbeddedAddresses(start + 8, start + 24);
  pseudoSrc = start + 8;
  pseudoDst = start + 24;
  setNetworkTtl(-1);

  let payloadLen = plen;
  const payload = start + HEADER_LEN;
  if (HEADER_LEN + plen < reportedLength(start, end)) setDatagramEnd(start, payload + plen);
  if (plen == 0 && nxt == 0) {
    payloadLen = findJumboLength(payload, end);
    if (payloadLen == 0) { infoSet(); puts('Invalid IPv6 payload length'); infoDone(); }
  }
  // The datagram ends where its payload length says, or where the capture ends.
  const payloadEnd = end - payload > payloadLen ? payload + payloadLen : end;
  if (payloadEnd == end) limitUncaptured(end, payloadLen - (end - payload));
  const wasFragmented = isFragmented();
  dissectIPv6Payload(nxt, payload, payloadEnd);
  setFragmented(wasFragmented);
}

/** Not version 6: what each parent does with a payload its IPv6 dissector refused. */
function rejectVersion(version: u32, start: u32, end: u32, via: Via): void {
  if (via == Via.LINKTYPE) {
    infoSet(); puts('Bogus IPv6 version ('); putDec(version); puts(', must be 6)'); infoDone();
    return;
  }
  infoSet();
  if (via == Via.ETHERTYPE) { setProtocolColumnHex(0x86dd); puts('IPv6'); }
  else if (carriedByIPv6()) puts('Unknown IP Protocol: IPv6 (41)');
  else puts('IPv6 (41)');
  infoDone();
  dissectData(start, end);
}

/** Whether the layer before this IPv6 one is IPv6 or one of its extension headers (the wording of their refusal differs from IPv4's). */
function carriedByIPv6(): bool {
  if (layerCount < 2) return false;
  const outer = <u32>unchecked(layerProto[layerCount - 2]);
  return outer == PROTO_IPV6 || isExtensionHeaderLayer(outer);
}


function addEmbeddedAddresses(src: u32, dst: u32): void {
  add6to4(src, F_SRC_6TO4_GW, F_SRC_6TO4_SLA);
  add6to4(dst, F_DST_6TO4_GW, F_DST_6TO4_SLA);
  addTeredo(src, F_SRC_TEREDO_SERVER, F_SRC_TEREDO_PORT, F_SRC_TEREDO_CLIENT);
  addTeredo(dst, F_DST_TEREDO_SERVER, F_DST_TEREDO_PORT, F_DST_TEREDO_CLIENT);
  addSlaac(src, F_SRC_SLAAC);
  addSlaac(dst, F_DST_SLAAC);
  addIsatap(src, F_SRC_ISATAP);
  addIsatap(dst, F_DST_ISATAP);
  addEmbeddedIPv4(src, F_SRC_EMBED);
  addEmbeddedIPv4(dst, F_DST_EMBED);
}

// The helpers below read within a 16-byte address already checked present.


/** 2002:GGGG:GGGG:SSSS::/64 (RFC 3056). */
function add6to4(a: u32, fGw: u32, fSla: u32): void {
  if (be16(a) != 0x2002) return;
  addBytes(fGw, a + 2, 4);
  addNum(fSla, be16(a + 6));
  addBytes(F_6TO4_GW, a + 2, 4);
  addNum(F_6TO4_SLA, be16(a + 6));
}

/** 2001:0:SSSS:SSSS:flags:port:client (RFC 4380); port and client are stored inverted. */
function addTeredo(a: u32, fServer: u32, fPort: u32, fClient: u32): void {
  if (be32(a) != 0x20010000) return;
  const port = be16(a + 10) ^ 0xffff;
  const client = scratchBegin();
  for (let i: u32 = 12; i < 16; i++) putc(~<u32>load<u8>(a + i) & 0xff);
  scratchEnd(client);
  addBytes(fServer, a + 4, 4);
  addNum(fPort, port);
  addBytes(fClient, client, 4);
  addBytes(F_TEREDO_SERVER, a + 4, 4);
  addNum(F_TEREDO_PORT, port);
  addBytes(F_TEREDO_CLIENT, client, 4);
}

/** An interface identifier made from a MAC: universal/local bit set, ff:fe in the middle (RFC 4291). */
function addSlaac(a: u32, f: u32): void {
  if ((load<u8>(a + 8) & 2) == 0 || be16(a + 11) != 0xfffe) return;
  const mac = scratchBegin();
  putc(<u32>load<u8>(a + 8) & 0xfd);
  putc(load<u8>(a + 9)); putc(load<u8>(a + 10));
  putc(load<u8>(a + 13)); putc(load<u8>(a + 14)); putc(load<u8>(a + 15));
  scratchEnd(mac);
  addBytes(f, mac, 6);
  addBytes(F_SLAAC, mac, 6);
}

/** ...:0:5efe:a.b.c.d, with the universal/local and group bits free (RFC 5214). */
function addIsatap(a: u32, f: u32): void {
  if ((be32(a + 8) & 0xfcffffff) != 0x00005efe) return;
  addBytes(f, a + 12, 4);
  addBytes(F_ISATAP, a + 12, 4);
}

/** The well-known NAT64 prefix 64:ff9b::/96 (RFC 6052). */
function addEmbeddedIPv4(a: u32, f: u32): void {
  if (be32(a) != 0x0064ff9b || be32(a + 4) != 0 || be32(a + 8) != 0) return;
  addBytes(F_EMBED_PREFIX, a, 12);
  addBytes(f, a + 12, 4);
  addBytes(F_EMBED, a + 12, 4);
}

/**
 * Walks the extension headers from `p` (nxt names the first) and hands what
 * follows to its protocol.  Exported for the packet quoted in ICMPv6 errors.
 */
export function dissectIPv6Payload(nxt: u32, p: u32, end: u32): void {
  walkExtensionHeaders(nxt, p, end, true);
}

/** `inIPv6`: false when an IPv4 header named the first extension header (then fragments are not held back). */
function walkExtensionHeaders(nxt: u32, p: u32, end: u32, inIPv6: bool): void {
  for (let i = 0; i < MAX_EXTENSION_HEADERS; i++) {
    let len: i32 = 0;
    if (nxt == 0) len = dissectHopByHop(p, end);
    else if (nxt == 60) len = dissectDestinationOptions(p, end);
    else if (nxt == 43) len = dissectRouting(p, end);
    else if (nxt == 44) len = dissectFragmentHeader(p, end);
    else if (nxt == 51) len = dissectAhHeader(p, end);
    else break;
    if (len < 0) return; // ran out of bytes: dissection stops there
    if (<u32>len > end - p) { markTruncated(); return; }
    if (nxt == 43) {
      const routed = extRoutedDestination();
      if (routed != 0) { setAddresses(AddrKind.IPV6, pseudoSrc, routed); pseudoDst = routed; }
    }
    if (nxt == 44 && inIPv6 && (extFragmentOffset() != 0 || extFragmentMore())) {
      setFragmented(true);
      if (extFragmentOffset() != 0) { dissectData(p + <u32>len, end); return; }
    }
    nxt = nxt == 51 ? ahNextHeader() : extNextHeader();
    p += <u32>len;
  }
  handOff(nxt, p, end);
}

function handOff(nxt: u32, p: u32, end: u32): void {
  if (nxt == NO_NEXT_HEADER) {
    infoSet(); puts('IPv6 no next header'); infoDone();
    dissectData(p, end);
    return;
  }
  if (dispatchIpProto(nxt, p, end)) return;
  infoSet(); puts('Unknown IP Protocol: '); putIpProtoName(nxt); puts(' ('); putDec(nxt); putc(41); infoDone();
  dissectData(p, end);
}

registerEthertype(0x86dd, dissectIPv6FromEthertype);
registerLinktype(229, dissectIPv6FromLinktype);
registerIpProto(41, dissectIPv6FromIp);
// Wireshark registers the extension headers as IP protocols, so an IPv4 header may name one.
function dissectHopByHopFromIp(start: u32, end: u32): void { walkExtensionHeaders(0, start, end, false); }
function dissectRoutingFromIp(start: u32, end: u32): void { walkExtensionHeaders(43, start, end, false); }
function dissectFragmentFromIp(start: u32, end: u32): void { walkExtensionHeaders(44, start, end, false); }
function dissectDestinationOptionsFromIp(start: u32, end: u32): void { walkExtensionHeaders(60, start, end, false); }
registerIpProto(0, dissectHopByHopFromIp);
registerIpProto(43, dissectRoutingFromIp);
registerIpProto(44, dissectFragmentFromIp);
registerIpProto(60, dissectDestinationOptionsFromIp);
// Ethernet carried straight over IP (a segment routing header's payload, RFC 8986).
registerIpProto(143, dissectEthernet);
