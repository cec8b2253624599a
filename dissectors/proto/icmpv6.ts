// Internet Control Message Protocol for IPv6 (RFC 4443), with neighbour
// discovery (RFC 4861, options in icmpv6-nd.ts), multicast listener
// discovery (RFC 2710, 3810) and extended echo (RFC 8335).  The packet an
// error quotes is dissected through IPv6, columns left to the error.
import { uint, flag, ipv6, str, none, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, reportedLength, isFragmented,
  inErrorPacket, wanted, nestLayers, unnestLayers } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerIpProto } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putDec, putHex, putIPv6 } from '../text';
import { ipv6PseudoSource, ipv6PseudoDestination, ipv6HopLimit } from './ipv6';
import { dissectQuotedPacket } from './quoted';
import { onesComplementAdd, foldChecksum, ChecksumStatus, pseudoHeaderSum } from './inet-cksum';
import { dissectIcmpExtension } from './icmp-ext';
import { PROTO_ICMPV6, F_ICMPV6_RESERVED as F_RESERVED, F_ICMPV6_DATA as F_DATA, dissectNdOptions } from './icmpv6-nd';
import { dissectMld, dissectMldReport } from './icmpv6-mld';
import { dissectNodeInformation } from './icmpv6-ni';
import { dissectRplControl } from './icmpv6-rpl';
import { dissectRouterRenumbering } from './icmpv6-rr';
import { rememberRequest, matchReply, matchedDelayNs, putMilliseconds, partnerChecksum, addEchoReply } from './echo-match';
import { putIcmpv6TypeName, putIcmpv6CodeName, icmpv6NamesCodes } from './icmpv6-names';

const F_TYPE = uint('icmpv6.type', 'Type', 8);
const F_CODE = uint('icmpv6.code', 'Code', 8);
const F_CHECKSUM = uint('icmpv6.checksum', 'Checksum', 16, Base.HEX);
const F_CHECKSUM_STATUS = uint('icmpv6.checksum.status', 'Checksum Status', 8);
const F_LENGTH = uint('icmpv6.length', 'Length', 8);
const F_MTU = uint('icmpv6.mtu', 'MTU');
const F_POINTER = uint('icmpv6.pointer', 'Pointer');
const F_ECHO_ID = uint('icmpv6.echo.identifier', 'Identifier', 16, Base.HEX);
const F_ECHO_SEQ = uint('icmpv6.echo.sequence_number', 'Sequence', 16);
const F_RESP_IN = uint('icmpv6.resp_in', 'Response In');
const F_NO_RESP = none('icmpv6.no_resp', 'No response seen');
const F_RESP_TO = uint('icmpv6.resp_to', 'Response In');
const F_RESPTIME = str('icmpv6.resptime', 'Response Time (ms)');
const F_RA_HOP_LIMIT = uint('icmpv6.nd.ra.cur_hop_limit', 'Cur hop limit', 8);
const F_RA_FLAG = uint('icmpv6.nd.ra.flag', 'Flags', 8, Base.HEX);
const F_RA_FLAG_M = flag('icmpv6.nd.ra.flag.m', 'Managed address configuration');
const F_RA_FLAG_O = flag('icmpv6.nd.ra.flag.o', 'Other configuration');
const F_RA_FLAG_H = flag('icmpv6.nd.ra.flag.h', 'Home Agent');
const F_RA_FLAG_PRF = uint('icmpv6.nd.ra.flag.prf', 'Prf (Default Router Preference)', 8);
const F_RA_FLAG_P = flag('icmpv6.nd.ra.flag.p', 'Proxy');
const F_RA_FLAG_RSV = uint('icmpv6.nd.ra.flag.rsv', 'Reserved', 8);
const F_RA_LIFETIME = uint('icmpv6.nd.ra.router_lifetime', 'Router lifetime (s)', 16);
const F_RA_REACHABLE = uint('icmpv6.nd.ra.reachable_time', 'Reachable time (ms)');
const F_RA_RETRANS = uint('icmpv6.nd.ra.retrans_timer', 'Retrans timer (ms)');
const F_NS_TARGET = ipv6('icmpv6.nd.ns.target_address', 'Target Address');
const F_NA_FLAG = uint('icmpv6.nd.na.flag', 'Flags', 32, Base.HEX);
const F_NA_FLAG_R = flag('icmpv6.nd.na.flag.r', 'Router');
const F_NA_FLAG_S = flag('icmpv6.nd.na.flag.s', 'Solicited');
const F_NA_FLAG_O = flag('icmpv6.nd.na.flag.o', 'Override');
const F_NA_FLAG_RSV = uint('icmpv6.nd.na.flag.rsv', 'Reserved');
const F_NA_TARGET = ipv6('icmpv6.nd.na.target_address', 'Target Address');
const F_RD_TARGET = ipv6('icmpv6.nd.rd.target_address', 'Target Address');
const F_RD_DESTINATION = ipv6('icmpv6.rd.na.destination_address', 'Destination Address');
const F_MIP6_IDENTIFIER = uint('icmpv6.mip6.identifier', 'Identifier', 16, Base.DEC_HEX);
const F_MIP6_HOME_AGENT = ipv6('icmpv6.mip6.home_agent_address', 'Home Agent Address');
const F_MIP6_FLAG = uint('icmpv6.mip6.flag', 'Flags', 16, Base.HEX);
const F_MIP6_FLAG_M = flag('icmpv6.mip6.flag.m', 'Managed address configuration');
const F_MIP6_FLAG_O = flag('icmpv6.mip6.flag.o', 'Other configuration');
const F_MIP6_FLAG_RSV = uint('icmpv6.mip6.flag.rsv', 'Reserved', 16);
const F_EXT_ECHO_SEQ = uint('icmpv6.ext.echo.seq', 'Sequence Number', 8, Base.DEC_HEX);
const F_EXT_ECHO_REQ_RES = uint('icmpv6.ext.echo.req.res', 'Reserved', 8, Base.HEX);
const F_EXT_ECHO_REQ_LOCAL = flag('icmpv6.ext.echo.req.local', 'Local bit');
const F_EXT_ECHO_RSP_STATE = uint('icmpv6.ext.echo.rsp.state', 'State', 8);
const F_EXT_ECHO_RSP_RES = uint('icmpv6.ext.echo.rsp.res', 'Reserved', 8, Base.HEX);
const F_EXT_ECHO_RSP_ACTIVE = flag('icmpv6.ext.echo.rsp.active', 'Active bit');
const F_EXT_ECHO_RSP_IPV4 = flag('icmpv6.ext.echo.rsp.ipv4', 'IPv4 bit');
const F_EXT_ECHO_RSP_IPV6 = flag('icmpv6.ext.echo.rsp.ipv6', 'IPv6 bit');

const DST_UNREACH: u32 = 1, PACKET_TOO_BIG: u32 = 2, TIME_EXCEEDED: u32 = 3, PARAM_PROBLEM: u32 = 4;
const ECHO_REQUEST: u32 = 128, ECHO_REPLY: u32 = 129, MLD_QUERY: u32 = 130, MLD_REPORT: u32 = 131, MLD_DONE: u32 = 132;
const ROUTER_SOLICIT: u32 = 133, ROUTER_ADVERT: u32 = 134, NEIGHBOR_SOLICIT: u32 = 135, NEIGHBOR_ADVERT: u32 = 136;
const REDIRECT: u32 = 137, IND_SOLICIT: u32 = 141, IND_ADVERT: u32 = 142, MLDV2_REPORT: u32 = 143;
const DHAAD_REQUEST: u32 = 144, DHAAD_REPLY: u32 = 145, MOBILE_PREFIX_SOLICIT: u32 = 146, MOBILE_PREFIX_ADVERT: u32 = 147;
const EXT_ECHO: u32 = 160, EXT_ECHO_REPLY: u32 = 161, NI_QUERY: u32 = 139, NI_REPLY: u32 = 140;
const RPL_CONTROL: u32 = 155, ROUTER_RENUMBERING: u32 = 138;
// Types Wireshark decodes in ways not done here (SEND, FMIPv6, multicast
// router discovery, ILNP, 6LoWPAN, MPL): their bodies are left out.
function decodedElsewhere(type: u32): bool {
  return type >= 148 && type <= 159 && type != RPL_CONTROL;
}

function dissectIcmpv6(start: u32, end: u32): void {
  setProtocolColumn('ICMPv6');
  infoSet(); infoDone();
  beginLayer(PROTO_ICMPV6);
  if (!has(start, end, 1)) { markTruncated(); return; }
  const type = u8at(start, end);
  addNum(F_TYPE, type);
  infoSet(); putIcmpv6TypeName(type); infoDone();
  if (!has(start, end, 2)) { markTruncated(); return; }
  const code = u8at(start + 1, end);
  addNum(F_CODE, code);
  if (icmpv6NamesCodes(type)) { infoAppend(); puts(' ('); putIcmpv6CodeName(type, code); putc(41); infoDone(); }
  if (!has(start, end, 4)) { markTruncated(); return; }
  const checksum = u16at(start + 2, end);
  addNum(F_CHECKSUM, checksum);
  const reported = reportedLength(start, end);
  if (!isFragmented() && reported == end - start && !inErrorPacket()) {
    addNum(F_CHECKSUM_STATUS, verifyChecksum(start, end - start));
  } else addNum(F_CHECKSUM_STATUS, ChecksumStatus.UNVERIFIED);
  const body = start + 4;
  if (type == ECHO_REQUEST || type == ECHO_REPLY) dissectEcho(body, end, type, checksum);
  else if (type == DST_UNREACH || type == TIME_EXCEEDED) dissectUnreachable(start, body, end, type, code);
  else if (type == PACKET_TOO_BIG || type == PARAM_PROBLEM) {
    if (!has(body, end, 4)) { markTruncated(); return; }
    addNum(type == PACKET_TOO_BIG ? F_MTU : F_POINTER, u32at(body, end));
    quote(body + 4, end, type, code);
  } else if (type == MLD_QUERY || type == MLD_REPORT || type == MLD_DONE) {
    // A query long enough to be one is MLDv2 (RFC 3810 section 8.1).
    dissectMld(body, end, type == MLD_QUERY && end - start >= 28);
  }
  else if (type == MLDV2_REPORT) dissectMldReport(body, end);
  else if (type == ROUTER_SOLICIT || type == IND_SOLICIT || type == IND_ADVERT) {
    if (!reserved(body, 4, end)) return;
    dissectNdOptions(body + 4, end);
  } else if (type == ROUTER_ADVERT) dissectRouterAdvert(body, end);
  else if (type == NEIGHBOR_SOLICIT) {
    if (!reserved(body, 4, end)) return;
    if (!has(body + 4, end, 16)) { markTruncated(); return; }
    addBytes(F_NS_TARGET, body + 4, 16);
    infoAppend(); puts(' for '); putIPv6(body + 4); infoDone();
    dissectNdOptions(body + 20, end);
  } else if (type == NEIGHBOR_ADVERT) dissectNeighborAdvert(body, end);
  else if (type == REDIRECT) {
    if (!reserved(body, 4, end)) return;
    if (!has(body + 4, end, 16)) { markTruncated(); return; }
    addBytes(F_RD_TARGET, body + 4, 16);
    if (!has(body + 20, end, 16)) { markTruncated(); return; }
    addBytes(F_RD_DESTINATION, body + 20, 16);
    dissectNdOptions(body + 36, end);
  } else if (type >= DHAAD_REQUEST && type <= MOBILE_PREFIX_ADVERT) dissectMobileIPv6(body, end, type);
  else if (type == EXT_ECHO || type == EXT_ECHO_REPLY) dissectExtendedEcho(body, end, type);
  else if (type == NI_QUERY || type == NI_REPLY) dissectNodeInformation(body, end, type, code);
  else if (type == RPL_CONTROL) dissectRplControl(body, end, code);
  else if (type == ROUTER_RENUMBERING) dissectRouterRenumbering(body, end, code);
  else if (!decodedElsewhere(type)) {
    if (body < end) addBytes(F_DATA, body, end - body);
  }
}

function verifyChecksum(start: u32, len: u32): u32 {
  // Pseudo-header (RFC 8200 section 8.1): addresses, upper-layer length, next header.
  const sum = onesComplementAdd(start, len, pseudoHeaderSum(ipv6PseudoSource(), ipv6PseudoDestination(), 16, len, 58));
  return foldChecksum(sum) == 0 ? ChecksumStatus.GOOD : ChecksumStatus.BAD;
}

function reserved(p: u32, n: u32, end: u32): bool {
  if (!has(p, end, n)) { markTruncated(); return false; }
  addBytes(F_RESERVED, p, n);
  return true;
}

/** Remembers a request; shows which request a reply answers and how long after. */
function matchEcho(type: u32, checksum: u32, key1: u32): void {
  if (type == ECHO_REQUEST) { addEchoReply(rememberRequest(58, checksum == 0xffff ? 0 : checksum, key1), F_RESP_IN, F_NO_RESP); return; }
  const request = matchReply(58, partnerChecksum(checksum, 0x0100), key1);
  if (request == 0) return;
  addNum(F_RESP_TO, request);
  if (unchecked(wanted[F_RESPTIME])) {
    const text = scratchBegin();
    putMilliseconds(matchedDelayNs());
    addBytes(F_RESPTIME, text, scratchEnd(text));
  }
  infoAppend(); puts(' (request in '); putDec(request); putc(41); infoDone();
}

function dissectEcho(p: u32, end: u32, type: u32, checksum: u32): void {
  if (!has(p, end, 2)) { markTruncated(); return; }
  const id = u16at(p, end);
  addNum(F_ECHO_ID, id);
  if (!has(p, end, 4)) { markTruncated(); return; }
  const seq = u16at(p + 2, end);
  addNum(F_ECHO_SEQ, seq);
  infoAppend();
  puts(' id='); putHex(id, 4); puts(', seq='); putDec(seq);
  const hopLimit = ipv6HopLimit();
  if (hopLimit >= 0) { puts(', hop limit='); putDec(hopLimit); }
  infoDone();
  if (!inErrorPacket()) matchEcho(type, checksum, (id << 16) | seq);
  // Wireshark's tree holds the echo data inside the ICMPv6 item.
  nestLayers();
  dissectData(p + 4, end);
  unnestLayers();
}

/** Destination unreachable and time exceeded: a length (RFC 4884) or reserved bytes, the quote, extensions. */
function dissectUnreachable(start: u32, p: u32, end: u32, type: u32, code: u32): void {
  if (!has(p, end, 1)) { markTruncated(); return; }
  const originalLength = u8at(p, end);
  if (originalLength > 0) {
    addNum(F_LENGTH, originalLength);
    if (!reserved(p + 1, 3, end)) return;
  } else if (!reserved(p, 4, end)) return;
  quote(p + 4, end, type, code);
  if (originalLength > 0) {
    // The extension starts after the padded original datagram.
    const ext = <u64>p + 4 + <u64>originalLength * 8;
    if (ext > <u64>end) { markTruncated(); return; }
    extension(<u32>ext, end);
  }
}

function quote(p: u32, end: u32, type: u32, code: u32): void {
  if (p > end) { markTruncated(); return; }
  // Wireshark quotes an IPv6 packet only if it looks like one.
  if (has(p, end, 1) && (load<u8>(p) & 0xf0) == 0x60) dissectQuotedPacket(0x86dd, p, end);
  else dissectData(p, end);
  // The quote rewrote the info column; the error's own text is what tshark shows.
  infoSet(); putIcmpv6TypeName(type);
  if (icmpv6NamesCodes(type)) { puts(' ('); putIcmpv6CodeName(type, code); putc(41); }
  infoDone();
}

/** ICMPv6 hands extensions over as a dissector call: what it refuses becomes data. */
function extension(p: u32, end: u32): void {
  if (!dissectIcmpExtension(p, end)) dissectData(p, end);
}

function dissectRouterAdvert(p: u32, end: u32): void {
  if (!has(p, end, 1)) { markTruncated(); return; }
  addNum(F_RA_HOP_LIMIT, u8at(p, end));
  if (!has(p, end, 2)) { markTruncated(); return; }
  const flags = u8at(p + 1, end);
  addNum(F_RA_FLAG, flags);
  addNum(F_RA_FLAG_M, flags >> 7);
  addNum(F_RA_FLAG_O, (flags >> 6) & 1);
  addNum(F_RA_FLAG_H, (flags >> 5) & 1);
  addNum(F_RA_FLAG_PRF, (flags >> 3) & 3);
  addNum(F_RA_FLAG_P, (flags >> 2) & 1);
  addNum(F_RA_FLAG_RSV, flags & 3);
  if (!has(p, end, 4)) { markTruncated(); return; }
  addNum(F_RA_LIFETIME, u16at(p + 2, end));
  if (!has(p, end, 8)) { markTruncated(); return; }
  addNum(F_RA_REACHABLE, u32at(p + 4, end));
  if (!has(p, end, 12)) { markTruncated(); return; }
  addNum(F_RA_RETRANS, u32at(p + 8, end));
  dissectNdOptions(p + 12, end);
}

function dissectNeighborAdvert(p: u32, end: u32): void {
  if (!has(p, end, 4)) { markTruncated(); return; }
  const flags = u32at(p, end);
  addNum(F_NA_FLAG, flags);
  addNum(F_NA_FLAG_R, flags >> 31);
  addNum(F_NA_FLAG_S, (flags >> 30) & 1);
  addNum(F_NA_FLAG_O, (flags >> 29) & 1);
  addNum(F_NA_FLAG_RSV, flags & 0x1fffffff);
  if (!has(p + 4, end, 16)) { markTruncated(); return; }
  addBytes(F_NA_TARGET, p + 4, 16);
  infoAppend();
  putc(32); putIPv6(p + 4); puts(' (');
  let first = true;
  if (flags & 0x80000000) { puts('rtr'); first = false; }
  if (flags & 0x40000000) { if (!first) puts(', '); puts('sol'); first = false; }
  if (flags & 0x20000000) { if (!first) puts(', '); puts('ovr'); first = false; }
  if (first) puts('none');
  putc(41);
  infoDone();
  dissectNdOptions(p + 20, end);
}

/** Mobile IPv6 (RFC 6275) home agent discovery and mobile prefix messages. */
function dissectMobileIPv6(p: u32, end: u32, type: u32): void {
  if (!has(p, end, 2)) { markTruncated(); return; }
  addNum(F_MIP6_IDENTIFIER, u16at(p, end));
  if (type == MOBILE_PREFIX_ADVERT) {
    if (!has(p, end, 4)) { markTruncated(); return; }
    const flags = u16at(p + 2, end);
    addNum(F_MIP6_FLAG, flags);
    addNum(F_MIP6_FLAG_M, flags >> 15);
    addNum(F_MIP6_FLAG_O, (flags >> 14) & 1);
    addNum(F_MIP6_FLAG_RSV, flags & 0x3fff);
    dissectNdOptions(p + 4, end);
    return;
  }
  if (!reserved(p + 2, 2, end)) return;
  if (type != DHAAD_REPLY) return;
  for (let a = p + 4; a < end; a += 16) {
    if (!has(a, end, 16)) { markTruncated(); return; }
    addBytes(F_MIP6_HOME_AGENT, a, 16);
  }
}

function dissectExtendedEcho(p: u32, end: u32, type: u32): void {
  if (!has(p, end, 2)) { markTruncated(); return; }
  addNum(F_ECHO_ID, u16at(p, end));
  if (!has(p, end, 3)) { markTruncated(); return; }
  addNum(F_EXT_ECHO_SEQ, u8at(p + 2, end));
  if (!has(p, end, 4)) { markTruncated(); return; }
  const bits = u8at(p + 3, end);
  if (type == EXT_ECHO) {
    addNum(F_EXT_ECHO_REQ_RES, bits >> 1);
    addNum(F_EXT_ECHO_REQ_LOCAL, bits & 1);
    extension(p + 4, end);
  } else {
    addNum(F_EXT_ECHO_RSP_STATE, bits >> 5);
    addNum(F_EXT_ECHO_RSP_RES, (bits >> 3) & 3);
    addNum(F_EXT_ECHO_RSP_ACTIVE, (bits >> 2) & 1);
    addNum(F_EXT_ECHO_RSP_IPV4, (bits >> 1) & 1);
    addNum(F_EXT_ECHO_RSP_IPV6, bits & 1);
  }
}

registerIpProto(58, dissectIcmpv6);
