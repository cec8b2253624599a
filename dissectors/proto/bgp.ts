// BGP-4 (RFC 4271) on TCP 179, as tshark 4.0 shows it without reassembly.
// Its dissector has its own loop, not TCP's PDU tracking: it looks for the
// first marker (16 bytes of 0xff, or a shorter run of them at the very end),
// then reads message after message by their length fields, naming each in
// the info column, ", " between them.  A message whose body the dissector
// would read past the segment or past its own length gets
// "[BoundErrorUnreassembled Packet]" behind its name and the next one is
// read all the same; a header cut short or a length below a header ends the
// segment.  Which bodies are read (and so can fail) is tshark's choice:
// OPEN (its parameters and capabilities) and NOTIFICATION always, UPDATE
// through its withdrawn routes, path attributes and NLRI, KEEPALIVE and
// ROUTE-REFRESH never.  Of the path attributes, those whose reads can run
// past their own length are walked as tshark walks them: AS_PATH and
// AS4_PATH, MP_REACH_NLRI and MP_UNREACH_NLRI (next hop, SNPAs, and the
// NLRI of IPv4 and IPv6 unicast and multicast, labeled unicast, labeled VPN,
// route target constraints and MCAST-VPN route headers), PMSI tunnel, AIGP,
// ATTR_SET and CLUSTER_LIST.
import { protocol, uint, ipv4, ipv6, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, markMalformed, bytesCutAfter, wanted } from '../packet';
import { registerTcpPort } from '../dispatch';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putHex, putRaw, putc } from '../text';
import { has, be16, be32 } from '../cursor';

const PROTO_BGP = protocol('bgp', 'Border Gateway Protocol');
const F_MARKER = bytes('bgp.marker', 'Marker');
const F_LENGTH = uint('bgp.length', 'Length', 16);
const F_TYPE = uint('bgp.type', 'Type', 8);
const F_OPEN_VERSION = uint('bgp.open.version', 'Version', 8);
const F_OPEN_MY_AS = uint('bgp.open.myas', 'My AS', 16);
const F_OPEN_HOLD_TIME = uint('bgp.open.holdtime', 'Hold Time', 16);
const F_OPEN_IDENTIFIER = ipv4('bgp.open.identifier', 'BGP Identifier');
const F_OPEN_OPTIONS_LENGTH = uint('bgp.open.opt.len', 'Optional Parameters Length', 8);
const F_PARAMETER_TYPE = uint('bgp.open.opt.param.type', 'Parameter Type', 8);
const F_PARAMETER_LENGTH = uint('bgp.open.opt.param.len', 'Parameter Length', 8);
const F_CAP_TYPE = uint('bgp.cap.type', 'Type', 8);
const F_CAP_LENGTH = uint('bgp.cap.length', 'Length', 8);
const F_CAP_MP_AFI = uint('bgp.cap.mp.afi', 'AFI', 16);
const F_CAP_MP_SAFI = uint('bgp.cap.mp.safi', 'SAFI', 8);
const F_CAP_4AS = uint('bgp.cap.4as', 'AS Number', 32);
const F_WITHDRAWN_LENGTH = uint('bgp.update.withdrawn_routes.length', 'Withdrawn Routes Length', 16);
const F_WITHDRAWN_PREFIX = ipv4('bgp.withdrawn_prefix', 'Withdrawn prefix');
const F_ATTRIBUTES_LENGTH = uint('bgp.update.path_attributes.length', 'Total Path Attribute Length', 16);
const F_ATTR_FLAGS = uint('bgp.update.path_attribute.flags', 'Flags', 8, Base.HEX);
const F_ATTR_TYPE = uint('bgp.update.path_attribute.type_code', 'Type Code', 8);
const F_ATTR_LENGTH = uint('bgp.update.path_attribute.length', 'Length', 16);
const F_ORIGIN = uint('bgp.update.path_attribute.origin', 'Origin', 8);
const F_SEGMENT_TYPE = uint('bgp.update.path_attribute.as_path_segment.type', 'Segment type', 8);
const F_SEGMENT_LENGTH = uint('bgp.update.path_attribute.as_path_segment.length', 'Segment length (number of ASN)', 8);
const F_AS2 = uint('bgp.update.path_attribute.as_path_segment.as2', 'AS2', 16);
const F_AS4 = uint('bgp.update.path_attribute.as_path_segment.as4', 'AS4', 32);
const F_NEXT_HOP = ipv4('bgp.update.path_attribute.next_hop', 'Next hop');
const F_MED = uint('bgp.update.path_attribute.multi_exit_disc', 'Multiple exit discriminator', 32);
const F_LOCAL_PREF = uint('bgp.update.path_attribute.local_pref', 'Local preference', 32);
const F_COMMUNITY_WELL_KNOWN = uint('bgp.update.path_attribute.community_wellknown', 'Community Well-known', 32, Base.HEX);
const F_COMMUNITY_AS = uint('bgp.update.path_attribute.community_as', 'Community AS', 16);
const F_COMMUNITY_VALUE = uint('bgp.update.path_attribute.community_value', 'Community value', 16);
const F_LARGE_GLOBAL = uint('bgp.large_communities.ga', 'Global Administrator', 32);
const F_LARGE_LOCAL_1 = uint('bgp.large_communities.ldp1', 'Local Data Part 1', 32);
const F_LARGE_LOCAL_2 = uint('bgp.large_communities.ldp2', 'Local Data Part 2', 32);
const F_MP_REACH_AFI = uint('bgp.update.path_attribute.mp_reach_nlri.afi', 'Address family identifier (AFI)', 16);
const F_MP_REACH_SAFI = uint('bgp.update.path_attribute.mp_reach_nlri.safi', 'Subsequent address family identifier (SAFI)', 8);
const F_SNPA_COUNT = uint('bgp.update.path_attribute.mp_reach_nlri.nbr_snpa', 'Number of Subnetwork points of attachment (SNPA)', 8);
const F_MP_REACH_IPV4 = ipv4('bgp.mp_reach_nlri_ipv4_prefix', 'MP Reach NLRI IPv4 prefix');
const F_MP_REACH_IPV6 = ipv6('bgp.mp_reach_nlri_ipv6_prefix', 'MP Reach NLRI IPv6 prefix');
const F_MP_UNREACH_AFI = uint('bgp.update.path_attribute.mp_unreach_nlri.afi', 'Address family identifier (AFI)', 16);
const F_MP_UNREACH_SAFI = uint('bgp.update.path_attribute.mp_unreach_nlri.safi', 'Subsequent address family identifier (SAFI)', 8);
const F_MP_UNREACH_IPV4 = ipv4('bgp.mp_unreach_nlri_ipv4_prefix', 'MP Unreach NLRI IPv4 prefix');
const F_MP_UNREACH_IPV6 = ipv6('bgp.mp_unreach_nlri_ipv6_prefix', 'MP Unreach NLRI IPv6 prefix');
const F_ORIGINATING_AS = uint('bgp.originating_as', 'Originating AS', 32);
const F_NLRI_PREFIX = ipv4('bgp.nlri_prefix', 'NLRI prefix');
const F_AIGP_TYPE = uint('bgp.update.attribute.aigp.type', 'Type', 8);
const F_AIGP_METRIC = uint('bgp.update.attribute.aigp.accu_igp_metric', 'Accumulated IGP Metric', 64);

const BGP_PORT: u32 = 179;
const MARKER: u32 = 16;
const HEADER: u32 = 19;
/** tshark reads no body of a message longer than this. */
const MAX_MESSAGE: u32 = 4096;

const OPEN: u32 = 1;
const UPDATE: u32 = 2;
const NOTIFICATION: u32 = 3;
const CAPABILITY: u32 = 6;

const AUTHENTICATION_PARAMETER: u32 = 1;
const CAPABILITY_PARAMETER: u32 = 2;
const CAP_MULTIPROTOCOL: u32 = 1;
const CAP_4_OCTET_AS: u32 = 65;
const CAP_FQDN: u32 = 73;
const CAP_MULTISESSION_CISCO: u32 = 131;

const ORIGIN: u32 = 1;
const AS_PATH: u32 = 2;
const NEXT_HOP: u32 = 3;
const MULTI_EXIT_DISC: u32 = 4;
const LOCAL_PREF: u32 = 5;
const COMMUNITIES: u32 = 8;
const CLUSTER_LIST: u32 = 10;
const MP_REACH_NLRI: u32 = 14;
const MP_UNREACH_NLRI: u32 = 15;
const AS4_PATH: u32 = 17;
const PMSI_TUNNEL: u32 = 22;
const AIGP: u32 = 26;
const LARGE_COMMUNITY: u32 = 32;
const ATTR_SET: u32 = 128;

const AFI_IPV4: u32 = 1;
const AFI_IPV6: u32 = 2;
const SAFI_UNICAST: u32 = 1;
const SAFI_UNICAST_MULTICAST: u32 = 3;
const SAFI_LABELED: u32 = 4;
const SAFI_MCAST_VPN: u32 = 5;
const SAFI_VPN_UNICAST: u32 = 128;
const SAFI_VPN_MULTICAST: u32 = 129;
const SAFI_ROUTE_TARGET: u32 = 132;
const ROUTE_DISTINGUISHER: u32 = 8;

// tshark's guess at path identifiers: none, present, or a read failed while guessing.
const PLAIN: u32 = 0;
const ADD_PATH: u32 = 1;
const GUESS_FAILED: u32 = 2;

/** Where a body read stands: fine, failed inside the message (tshark catches it), or cut by the snap length (it does not). */
const enum Read { OK = 0, FAILED = 1, CUT = 2 }

// The segment's captured end and the message being read.
let end: u32 = 0;
let messageEnd: u32 = 0;
/** How the last read that `reads` refused fails. */
let status: Read = Read.OK;

function dissectBgp(start: u32, segmentEnd: u32): void {
  setProtocolColumn('BGP');
  infoSet(); infoDone();
  end = segmentEnd;
  let p = findMarker(start);
  if (p == end) return;
  beginLayer(PROTO_BGP);
  let names: u32 = 0;
  while (p < end) {
    // The header is read outside tshark's per-message guard: a cut one ends the segment.
    if (!has(p, end, MARKER + 2)) { markTruncated(); return; }
    const length = be16(p + MARKER);
    if (length < HEADER) { markMalformed(); return; }
    addBytes(F_MARKER, p, MARKER);
    addNum(F_LENGTH, length);
    messageEnd = p + length;
    // The type is read inside the guard: without it the message gets the error text and no name.
    if (!has(p + HEADER - 1, end, 1)) { infoAppend(); puts('[BoundErrorUnreassembled Packet]'); infoDone(); return; }
    const type = <u32>load<u8>(p + HEADER - 1);
    if (length <= MAX_MESSAGE) addNum(F_TYPE, type);
    infoAppend();
    if (names++ > 0) puts(', ');
    putTypeName(type);
    infoDone();
    const read = length > MAX_MESSAGE ? Read.OK : readBody(type, p, length);
    if (read == Read.CUT) { markTruncated(); return; }
    if (read == Read.FAILED) { infoAppend(); puts('[BoundErrorUnreassembled Packet]'); infoDone(); }
    if (length > end - p) return;
    p += length;
  }
}

/** The first marker at or after p: 16 bytes of 0xff, or fewer of them that end the segment; `end` when there is none. */
function findMarker(p: u32): u32 {
  for (; p < end; p++) {
    const n = end - p < MARKER ? end - p : MARKER;
    let i: u32 = 0;
    while (i < n && load<u8>(p + i) == 0xff) i++;
    if (i == n) return p;
  }
  return end;
}

/** Whether the message's bytes up to `to` can be read; when not, `status` says how the read fails. */
function reads(to: u32): bool {
  if (to <= messageEnd && to <= end) { status = Read.OK; return true; }
  // Past the captured bytes of a frame the snap length cut, but within the message: tshark's uncaught "size limited".
  status = to <= messageEnd && bytesCutAfter(end) > 0 ? Read.CUT : Read.FAILED;
  return false;
}

function readBody(type: u32, p: u32, length: u32): Read {
  status = Read.OK;
  if (type == OPEN) readOpen(p);
  else if (type == UPDATE) readUpdate(p);
  // Error code and subcode always; past them, everything the length claims.
  else if (type == NOTIFICATION) { if (reads(p + 21)) reads(p + length); }
  else if (type == CAPABILITY) reads(p + length);
  return status;
}

/** OPEN: version, AS, hold time, identifier, the parameters' length, then parameter by parameter. */
function readOpen(p: u32): void {
  if (!byteField(F_OPEN_VERSION, p + 19) || !shortField(F_OPEN_MY_AS, p + 20) || !shortField(F_OPEN_HOLD_TIME, p + 22)) return;
  if (!reads(p + 28)) return;
  addBytes(F_OPEN_IDENTIFIER, p + 24, 4);
  if (!byteField(F_OPEN_OPTIONS_LENGTH, p + 28)) return;
  const optionsLength = <u32>load<u8>(p + 28);
  let q = p + 29;
  // The parameters are not checked whole: each one is, as the walk reaches it.
  const optionsEnd = q + optionsLength;
  // tshark 4.0 knows no RFC 9072 extended parameters: type 255 is one more unknown parameter.
  while (q < optionsEnd) {
    if (!byteField(F_PARAMETER_TYPE, q) || !byteField(F_PARAMETER_LENGTH, q + 1)) return;
    const type = <u32>load<u8>(q);
    const length = <u32>load<u8>(q + 1);
    if (!reads(q + 2 + length)) return;
    q += 2;
    // Past an unknown parameter's header tshark reads its value as the next parameter.
    if (type == AUTHENTICATION_PARAMETER) q += length;
    if (type != CAPABILITY_PARAMETER) continue;
    // A capability may run past its parameter: the next one starts where it ends.
    const capabilitiesEnd = q + length;
    while (q < capabilitiesEnd) {
      q = readCapability(q);
      if (q == 0) return;
    }
  }
}

/**
 * The capability at p: where the next one starts, or 0 when a read fails.
 * Its value is read for all its length, except the FQDN capability's, read
 * by its own two lengths, and Cisco's multisession one's: a flags byte, then
 * (when longer) one capability inside it, where the next one starts.
 */
function readCapability(p: u32): u32 {
  if (!byteField(F_CAP_TYPE, p) || !byteField(F_CAP_LENGTH, p + 1)) return 0;
  const code = <u32>load<u8>(p);
  const length = <u32>load<u8>(p + 1);
  const value = p + 2;
  if (code == CAP_FQDN) {
    if (!reads(value + 1)) return 0;
    const domainLength = value + 1 + <u32>load<u8>(value);
    if (!reads(domainLength + 1) || !reads(domainLength + 1 + <u32>load<u8>(domainLength))) return 0;
  } else if (code == CAP_MULTISESSION_CISCO && length > 0) {
    if (!reads(value + 1)) return 0;
    return length > 1 ? readCapability(value + 1) : value + 1;
  } else if (!reads(value + length)) {
    return 0;
  }
  if (code == CAP_MULTIPROTOCOL && length == 4) { addNum(F_CAP_MP_AFI, be16(value)); addNum(F_CAP_MP_SAFI, load<u8>(value + 3)); }
  if (code == CAP_4_OCTET_AS && length == 4) addNum(F_CAP_4AS, be32(value));
  return value + length;
}

/** A one-byte field at p, when it can be read. */
function byteField(field: u32, p: u32): bool {
  if (!reads(p + 1)) return false;
  addNum(field, load<u8>(p));
  return true;
}

/** A two-byte field at p, when it can be read. */
function shortField(field: u32, p: u32): bool {
  if (!reads(p + 2)) return false;
  addNum(field, be16(p));
  return true;
}

/** UPDATE: withdrawn routes, path attributes and, when there are attributes, the NLRI up to the message's end. */
function readUpdate(p: u32): void {
  if (!reads(p + 21)) return;
  const withdrawnLength = be16(p + 19);
  addNum(F_WITHDRAWN_LENGTH, withdrawnLength);
  let q = p + 21;
  // The withdrawn routes are not checked whole: the walk stops at a length tshark finds invalid, and the
  // attributes follow where it ended, which may be past the routes' length.
  if (withdrawnLength > 0) {
    const withdrawnEnd = q + withdrawnLength;
    const addPath = looksAddPath(q, withdrawnEnd, 32);
    if (addPath == GUESS_FAILED) return;
    q = readPrefixes(q, withdrawnEnd, 32, addPath == ADD_PATH, F_WITHDRAWN_PREFIX);
    if (q == 0) return;
  }
  if (!reads(q + 2)) return;
  const attributesLength = be16(q);
  addNum(F_ATTRIBUTES_LENGTH, attributesLength);
  q += 2;
  const attributesEnd = q + attributesLength;
  // Not checked whole either: each attribute is, as the walk reaches it.
  if (!readAttributes(q, attributesEnd) || attributesLength == 0) return;
  // The NLRI: from there to the message's end, all of it first, then prefix by prefix; fewer than 5 bytes are never add-path ones.
  q = attributesEnd;
  if (!reads(messageEnd) || q == messageEnd) return;
  readPrefixes(q, messageEnd, 32, messageEnd - q > 4 && looksAddPath(q, messageEnd, 32) == ADD_PATH, F_NLRI_PREFIX);
}

/** The path attributes [p, attributesEnd): false when a read fails. */
function readAttributes(p: u32, attributesEnd: u32): bool {
  while (p < attributesEnd) {
    // Flags, type, a length of one byte or (extended) two, the value: each attribute is checked whole before it is read.
    if (!reads(p + 3)) return false;
    const flags = <u32>load<u8>(p);
    const type = <u32>load<u8>(p + 1);
    const extended = (flags & 0x10) != 0;
    if (extended && !reads(p + 4)) return false;
    const value = p + (extended ? 4 : 3);
    const next = value + (extended ? be16(p + 2) : <u32>load<u8>(p + 2));
    addNum(F_ATTR_FLAGS, flags);
    addNum(F_ATTR_TYPE, type);
    addNum(F_ATTR_LENGTH, next - value);
    if (!reads(next)) return false;
    // One that runs past the attributes' length is only an expert note in tshark: the walk ends (the NLRI is read).
    if (next > attributesEnd) return true;
    if (!readAttribute(type, value, next, extended)) return false;
    p = next;
  }
  return true;
}

/** One path attribute's value [p, valueEnd): false when a read fails. */
function readAttribute(type: u32, p: u32, valueEnd: u32, extended: bool): bool {
  const length = valueEnd - p;
  switch (type) {
    case ORIGIN: if (length == 1) addNum(F_ORIGIN, load<u8>(p)); return true;
    case AS_PATH: return readAsPath(p, valueEnd, false);
    case AS4_PATH: return readAsPath(p, valueEnd, true);
    case NEXT_HOP: if (length == 4) addBytes(F_NEXT_HOP, p, 4); return true;
    case MULTI_EXIT_DISC: if (length == 4) addNum(F_MED, be32(p)); return true;
    case LOCAL_PREF: if (length == 4) addNum(F_LOCAL_PREF, be32(p)); return true;
    case COMMUNITIES: if (length % 4 == 0) addCommunities(p, valueEnd); return true;
    case CLUSTER_LIST:
      // tshark reads each identifier one byte late behind an extended length: the last one a byte past the value.
      if (length % 4 == 0 && extended && length > 0) return reads(valueEnd + 1);
      return true;
    case LARGE_COMMUNITY:
      if (length % 12 == 0) {
        for (let q = p; q < valueEnd; q += 12) {
          addNum(F_LARGE_GLOBAL, be32(q)); addNum(F_LARGE_LOCAL_1, be32(q + 4)); addNum(F_LARGE_LOCAL_2, be32(q + 8));
        }
      }
      return true;
    case MP_REACH_NLRI: return readMpReach(p, valueEnd);
    case MP_UNREACH_NLRI: return readMpUnreach(p, valueEnd);
    case AIGP: return readAigp(p);
    case PMSI_TUNNEL: return readPmsiTunnel(p);
    // RFC 6368: an origin AS, then path attributes of their own.
    case ATTR_SET: return length < 4 || readAttributes(p + 4, valueEnd);
  }
  return true;
}

function addCommunities(p: u32, valueEnd: u32): void {
  for (let q = p; q < valueEnd; q += 4) {
    const community = be32(q);
    const high = community >> 16;
    if (high == 0 || high == 0xffff) { addNum(F_COMMUNITY_WELL_KNOWN, community); continue; }
    addNum(F_COMMUNITY_AS, high);
    addNum(F_COMMUNITY_VALUE, community & 0xffff);
  }
}

/**
 * AS_PATH and AS4_PATH.  AS4_PATH's numbers are 4 bytes; AS_PATH's are guessed
 * from its first segment (2 bytes when that segment, so read, ends the
 * attribute or is followed by a segment type and holds no zero number; the
 * byte after it is read in any case), and
 * when the segments then do not end exactly at the attribute's end tshark
 * reads none of them.
 */
function readAsPath(p: u32, valueEnd: u32, fourOctet: bool): bool {
  let asLength: u32 = 4;
  if (!fourOctet) {
    if (p == valueEnd) return true;
    if (!reads(p + 2)) return false;
    const count = <u32>load<u8>(p + 1);
    const afterFirst = p + 2 + 2 * count;
    asLength = 2;
    // The byte after the first segment is read even when the attribute ends there.
    if (!reads(afterFirst + 1)) return false;
    if (afterFirst != valueEnd) {
      const nextType = <u32>load<u8>(afterFirst);
      if (nextType < 1 || nextType > 4) asLength = 4;
      else for (let j: u32 = 0; j < count; j++) if (be16(p + 2 + 2 * j) == 0) { asLength = 4; break; }
    }
  }
  let segments: u32 = 0;
  let q = p;
  while (q < valueEnd) {
    if (!reads(q + 2)) return false;
    q += 2 + <u32>load<u8>(q + 1) * asLength;
    segments++;
  }
  if (!fourOctet && q != valueEnd) return true;
  q = p;
  for (let s: u32 = 0; s < segments; s++) {
    if (!reads(q + 2)) return false;
    const count = <u32>load<u8>(q + 1);
    addNum(F_SEGMENT_TYPE, load<u8>(q));
    addNum(F_SEGMENT_LENGTH, count);
    q += 2;
    for (let j: u32 = 0; j < count; j++) {
      if (!reads(q + asLength)) return false;
      if (asLength == 2) addNum(F_AS2, be16(q)); else addNum(F_AS4, be32(q));
      q += asLength;
    }
  }
  return true;
}

/** MP_REACH_NLRI: AFI, SAFI, the next hop by its length, the SNPAs one by one, then the NLRI to the attribute's end. */
function readMpReach(p: u32, valueEnd: u32): bool {
  if (!shortField(F_MP_REACH_AFI, p) || !byteField(F_MP_REACH_SAFI, p + 2) || !reads(p + 4)) return false;
  const afi = be16(p);
  const safi = <u32>load<u8>(p + 2);
  let q = p + 4 + <u32>load<u8>(p + 3);
  if (!reads(q + 1)) return false;
  const snpas = <u32>load<u8>(q);
  addNum(F_SNPA_COUNT, snpas);
  q++;
  for (let i: u32 = 0; i < snpas; i++) {
    if (!reads(q + 1)) return false;
    q += 1 + <u32>load<u8>(q);
    if (!reads(q)) return false;
  }
  return readMpNlri(afi, safi, q, valueEnd, F_MP_REACH_IPV4, F_MP_REACH_IPV6);
}

function readMpUnreach(p: u32, valueEnd: u32): bool {
  if (!shortField(F_MP_UNREACH_AFI, p) || !byteField(F_MP_UNREACH_SAFI, p + 2)) return false;
  const afi = be16(p);
  const safi = <u32>load<u8>(p + 2);
  return readMpNlri(afi, safi, p + 3, valueEnd, F_MP_UNREACH_IPV4, F_MP_UNREACH_IPV6);
}

/**
 * The NLRI of an MP attribute, [p, to): prefixes of the address families
 * walked here until one tshark finds invalid; other families are not read.
 */
function readMpNlri(afi: u32, safi: u32, p: u32, to: u32, ipv4Field: u32, ipv6Field: u32): bool {
  if (afi != AFI_IPV4 && afi != AFI_IPV6) return true;
  const maxBits: u32 = afi == AFI_IPV4 ? 32 : 128;
  const field = afi == AFI_IPV4 ? ipv4Field : ipv6Field;
  const plain = safi >= SAFI_UNICAST && safi <= SAFI_UNICAST_MULTICAST;
  while (p < to) {
    // Unlike the UPDATE's own prefixes, each of these gets tshark's add-path guess over the rest of the NLRI.
    if (plain) {
      const addPath = looksAddPath(p, to, maxBits);
      p = addPath == GUESS_FAILED ? 0 : readPrefix(p, maxBits, addPath == ADD_PATH, field);
    } else if (safi == SAFI_LABELED) {
      // The guess here takes any length as valid.
      const addPath = looksAddPath(p, to, 255);
      p = addPath == GUESS_FAILED ? 0 : readLabeledPrefix(p + (addPath == ADD_PATH ? 4 : 0), maxBits, 0, field);
    }
    else if (safi == SAFI_VPN_UNICAST || safi == SAFI_VPN_MULTICAST) p = readLabeledPrefix(p, maxBits, ROUTE_DISTINGUISHER, field);
    else if (safi == SAFI_ROUTE_TARGET && afi == AFI_IPV4) p = readRouteTargetPrefix(p);
    // RFC 6514 routes: type and length; what tshark reads inside them is not modelled.
    else if (safi == SAFI_MCAST_VPN) p = reads(p + 2) ? p + 2 + <u32>load<u8>(p + 1) : 0;
    else return true;
    if (p == 0) return status == Read.OK;
  }
  return true;
}

/**
 * tshark's guess that prefixes [p, to) carry RFC 7911 path identifiers: they
 * read well with a 4-byte identifier before each, and not without (a zero
 * length in a run of more than one byte counts as not).  The guess reads
 * only as far as it needs, and those reads can fail.
 */
function looksAddPath(p: u32, to: u32, maxBits: u32): u32 {
  for (let q = p + 4; q < to; q += 4) {
    if (!reads(q + 1)) return GUESS_FAILED;
    const bits = <u32>load<u8>(q);
    if (bits > maxBits) return PLAIN;
    q += 1 + (bits + 7) / 8;
    if (q > to) return PLAIN;
    const past = bitsPastPrefix(q, bits);
    if (past != PLAIN) return past == ADD_PATH ? PLAIN : GUESS_FAILED;
  }
  for (let q = p; q < to;) {
    if (!reads(q + 1)) return GUESS_FAILED;
    const bits = <u32>load<u8>(q);
    if ((bits == 0 && to - p > 1) || bits > maxBits) return ADD_PATH;
    q += 1 + (bits + 7) / 8;
    if (q > to) return ADD_PATH;
    const past = bitsPastPrefix(q, bits);
    if (past != PLAIN) return past;
  }
  return PLAIN;
}

/** ADD_PATH when the last byte before prefixEnd has bits set past a `bits`-long prefix, PLAIN when not, GUESS_FAILED when it cannot be read. */
function bitsPastPrefix(prefixEnd: u32, bits: u32): u32 {
  if (bits % 8 == 0) return PLAIN;
  if (!reads(prefixEnd)) return GUESS_FAILED;
  return (<u32>load<u8>(prefixEnd - 1) & (0xff >> (bits % 8))) != 0 ? ADD_PATH : PLAIN;
}

/** Prefixes from p on while p < to: where the walk ended (past `to` when the last one ran over it), or 0 when tshark stopped (a failed read leaves `status` set). */
function readPrefixes(p: u32, to: u32, maxBits: u32, addPath: bool, field: u32): u32 {
  while (p < to && p != 0) p = readPrefix(p, maxBits, addPath, field);
  return p;
}

/** One prefix at p, behind a path identifier when addPath: where it ends, or 0 when tshark stops. */
function readPrefix(p: u32, maxBits: u32, addPath: bool, field: u32): u32 {
  if (addPath) p += 4;
  if (!reads(p + 1)) return 0;
  const bits = <u32>load<u8>(p);
  if (bits > maxBits) return 0;
  const length = (bits + 7) / 8;
  if (!reads(p + 1 + length)) return 0;
  addPrefix(field, p + 1, bits, maxBits / 8);
  return p + 1 + length;
}

/**
 * A labeled prefix (RFC 8277), with a route distinguisher between label and
 * address when rdLength is 8 (RFC 4364): labels up to the one with the bottom
 * bit, or a single one when the first is 0 or 0x800000 (withdrawn).
 */
function readLabeledPrefix(p: u32, maxBits: u32, rdLength: u32, field: u32): u32 {
  if (!reads(p + 1)) return 0;
  let bits = <u32>load<u8>(p);
  let q = p + 1;
  let label: u32 = 0;
  do {
    if (!reads(q + 3)) return 0;
    label = be16(q) << 8 | <u32>load<u8>(q + 2);
    q += 3;
  } while ((label & 1) == 0 && !(q == p + 4 && (label == 0 || label == 0x800000)));
  const labelBits = (q - p - 1) * 8;
  if (bits <= labelBits || bits - labelBits < rdLength * 8) return 0;
  bits -= labelBits + rdLength * 8;
  if (bits > maxBits) return 0;
  const address = q + rdLength;
  if (!reads(address + (bits + 7) / 8)) return 0;
  addPrefix(field, address, bits, maxBits / 8);
  return address + (bits + 7) / 8;
}

/**
 * A route target constraint (RFC 4684): a length of 0, or of 32 to 96 bits
 * over an origin AS and a route target.  tshark reads the route target's
 * 2-byte type whatever the length, and the whole 8-byte route target when the
 * type is one of the three route targets.
 */
function readRouteTargetPrefix(p: u32): u32 {
  if (!reads(p + 1)) return 0;
  const bits = <u32>load<u8>(p);
  if (bits == 0) return p + 1;
  if (bits < 32 || bits > 96) return 0;
  if (!reads(p + 7)) return 0;
  const type = be16(p + 5);
  if ((type == 0x0002 || type == 0x0102 || type == 0x0202) && !reads(p + 13)) return 0;
  addNum(F_ORIGINATING_AS, be32(p + 1));
  return p + 1 + (bits + 7) / 8;
}

/**
 * PMSI tunnel (RFC 6514): flags, tunnel type, label, then the tunnel
 * identifier as tshark reads it for each type: RSVP-TE P2MP, mLDP (root node
 * length and address, opaque value by its type), PIM and ingress replication.
 */
function readPmsiTunnel(p: u32): bool {
  if (!reads(p + 5)) return false;
  const type = <u32>load<u8>(p + 1);
  if (type == 1) return reads(p + 17);
  if (type == 2 || type == 7) {
    if (!reads(p + 9)) return false;
    const afterRoot = p + 9 + <u32>load<u8>(p + 8);
    // The root node is read as 4 bytes whatever its length says.
    if (!reads(p + 13) || !reads(afterRoot + 3)) return false;
    const opaqueType = <u32>load<u8>(afterRoot + 2);
    if (opaqueType == 1) return reads(afterRoot + 9);
    if (opaqueType != 255 || !reads(afterRoot + 7)) return opaqueType != 255;
    return reads(afterRoot + 7 + be16(afterRoot + 5));
  }
  if (type >= 3 && type <= 5) return reads(p + 13);
  if (type == 6) return reads(p + 9);
  return true;
}

/** AIGP: the first TLV's type and, for the accumulated IGP metric (type 1), its length and 8-byte value. */
function readAigp(p: u32): bool {
  if (!reads(p + 1)) return false;
  const type = <u32>load<u8>(p);
  addNum(F_AIGP_TYPE, type);
  if (type != 1) return true;
  if (!reads(p + 11)) return false;
  addNum(F_AIGP_METRIC, <u64>be32(p + 3) << 32 | <u64>be32(p + 7));
  return true;
}

/** An address field holding the first `bits` of the prefix at p, zero-filled to `size` bytes as tshark masks it. */
function addPrefix(field: u32, p: u32, bits: u32, size: u32): void {
  if (!unchecked(wanted[field])) return;
  const length = (bits + 7) / 8;
  const s = scratchBegin();
  putRaw(p, length);
  for (let i = length; i < size; i++) putc(0);
  scratchEnd(s);
  if (bits % 8 != 0) store<u8>(s + length - 1, <u32>load<u8>(s + length - 1) & (0xff << (8 - bits % 8)));
  addBytes(field, s, size);
}

const NAMES: StaticArray<string> = ['', 'OPEN Message', 'UPDATE Message', 'NOTIFICATION Message', 'KEEPALIVE Message',
  'ROUTE-REFRESH Message', 'CAPABILITY Message'];

function putTypeName(type: u32): void {
  if (type >= 1 && type < <u32>NAMES.length) { puts(unchecked(NAMES[type])); return; }
  if (type == 0x80) { puts('Cisco ROUTE-REFRESH Message'); return; }
  puts('Unknown message type ('); putHex(type, 2); puts(')');
}

registerTcpPort(BGP_PORT, dissectBgp);
