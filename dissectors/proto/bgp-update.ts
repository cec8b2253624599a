// BGP UPDATE: withdrawn routes, path attributes and NLRI, read as tshark
// 4.0 reads them (see bgp.ts for which reads can fail and what it shows).
import { reads, currentMessageEnd, byteField, shortField } from './bgp-read';
import { uint, ipv4, ipv6, bytes, Base } from '../fields';
import { addNum, addBytes } from '../packet';
import { be16, be32 } from '../cursor';
import { readMpNlri, looksAddPath, readPrefixes, ADD_PATH, GUESS_FAILED } from './bgp-nlri';

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
const F_NLRI_PREFIX = ipv4('bgp.nlri_prefix', 'NLRI prefix');
const F_AIGP_TYPE = uint('bgp.update.attribute.aigp.type', 'Type', 8);
const F_AIGP_METRIC = uint('bgp.update.attribute.aigp.accu_igp_metric', 'Accumulated IGP Metric', 64);
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

/** UPDATE: withdrawn routes, path attributes and, when there are attributes, the NLRI up to the message's end. */
export function readUpdate(p: u32): void {
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
  const messageEnd = currentMessageEnd();
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
