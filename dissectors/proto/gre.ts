// Generic Routing Encapsulation (RFC 2784 / 2890, IP protocol 47, and UDP
// 4754 for GRE-in-UDP), including PPTP's enhanced GRE (RFC 2637, version 1:
// payload length and call ID in place of the key, optional acknowledgment).
import { protocol, uint, flag, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerIpProto, registerUdpPort, dispatchEthertype, dispatchCiscoPid, Dissector } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc } from '../text';
import { dissectData } from './frame';
import { dissectEthernetWithoutFcs } from './eth';
import { dissectPppHdlc } from './ppp';
import { dissectCmdInGre } from './cmd';
import { dissectErspanType1, dissectErspan } from './erspan';
import { dissectOsi } from './osi';

const PROTO_GRE = protocol('gre', 'Generic Routing Encapsulation');
const F_FLAGS_AND_VERSION = uint('gre.flags_and_version', 'Flags and Version', 16, Base.HEX);
const F_FLAG_CHECKSUM = flag('gre.flags.checksum', 'Checksum Bit');
const F_FLAG_ROUTING = flag('gre.flags.routing', 'Routing Bit');
const F_FLAG_KEY = flag('gre.flags.key', 'Key Bit');
const F_FLAG_SEQUENCE = flag('gre.flags.sequence_number', 'Sequence Number Bit');
const F_FLAG_STRICT_ROUTE = flag('gre.flags.strict_source_route', 'Strict Source Route Bit');
const F_RECURSION = uint('gre.flags.recursion_control', 'Recursion control', 16);
const F_FLAG_ACK = flag('gre.flags.ack', 'Acknowledgment');
const F_RESERVED = uint('gre.flags.reserved', 'Flags (Reserved)', 16);
const F_VERSION = uint('gre.flags.version', 'Version', 16);
const F_PROTO = uint('gre.proto', 'Protocol Type', 16, Base.HEX);
const F_CHECKSUM = uint('gre.checksum', 'Checksum', 16, Base.HEX);
const F_OFFSET = uint('gre.offset', 'Offset', 16);
const F_KEY = uint('gre.key', 'Key', 32, Base.HEX);
const F_PAYLOAD_LENGTH = uint('gre.key.payload_length', 'Payload Length', 16);
const F_CALL_ID = uint('gre.key.call_id', 'Call ID', 16);
const F_SEQUENCE = uint('gre.sequence_number', 'Sequence Number');
const F_ACK_NUMBER = uint('gre.ack_number', 'Acknowledgment Number');
const F_SRE_FAMILY = uint('gre.routing.address_family', 'Address Family', 16);
const F_SRE_OFFSET = uint('gre.routing.sre_offset', 'SRE Offset', 8);
const F_SRE_LENGTH = uint('gre.routing.src_length', 'SRE Length', 8);

const GRE_CHECKSUM: u32 = 0x8000;
const GRE_ROUTING: u32 = 0x4000;
const GRE_KEY: u32 = 0x2000;
const GRE_SEQUENCE: u32 = 0x1000;
const GRE_STRICT_ROUTE: u32 = 0x0800;
const GRE_ACK: u32 = 0x0080;
const GRE_VERSION: u32 = 0x0007;
const ETHERTYPE_PPP: u32 = 0x880b;
const GRE_WCCP: u32 = 0x883e;
// A protocol type, like the two above (not a flag bit like GRE_KEY, which has the same value).
const GRE_CDP: u32 = 0x2000;
const GRE_OSI: u32 = 0x00fe;

// Protocols registered under a GRE protocol type of their own (Wireshark's "gre.proto" table).
const byGreProto = new Map<u32, Dissector>();
export function registerGreProto(type: u32, d: Dissector): void { byGreProto.set(type, d); }

export function dissectGre(start: u32, end: u32): void {
  if (!has(start, end, 4)) { markTruncated(); return; }
  const flags = u16at(start, end);
  const type = u16at(start + 2, end);
  setProtocolColumn('GRE');
  infoSet(); puts('Encapsulated '); putTypeName(type); infoDone();
  const isPpp = type == ETHERTYPE_PPP && (flags & GRE_VERSION) != 0;
  // WCCPv2 adds 4 bytes of redirect header when the payload does not start like IPv4.
  let isWccp2 = false;
  if (type == GRE_WCCP) {
    if (!has(start, end, 5)) { markTruncated(); return; }
    isWccp2 = (u8at(start + 4, end) & 0xf0) != 0x40;
  }
  beginLayer(PROTO_GRE);
  addNum(F_FLAGS_AND_VERSION, flags);
  addNum(F_FLAG_CHECKSUM, (flags & GRE_CHECKSUM) != 0);
  addNum(F_FLAG_ROUTING, (flags & GRE_ROUTING) != 0);
  addNum(F_FLAG_KEY, (flags & GRE_KEY) != 0);
  addNum(F_FLAG_SEQUENCE, (flags & GRE_SEQUENCE) != 0);
  addNum(F_FLAG_STRICT_ROUTE, (flags & GRE_STRICT_ROUTE) != 0);
  addNum(F_RECURSION, (flags >> 8) & 7);
  if (isPpp) {
    addNum(F_FLAG_ACK, (flags & GRE_ACK) != 0);
    addNum(F_RESERVED, (flags >> 3) & 0x0f);
  } else {
    addNum(F_RESERVED, (flags >> 3) & 0x1f);
  }
  addNum(F_VERSION, flags & GRE_VERSION);
  addNum(F_PROTO, type);
  let p = start + 4;
  if (flags & (GRE_CHECKSUM | GRE_ROUTING)) {
    if (!has(p, end, 2)) { markTruncated(); return; }
    addNum(F_CHECKSUM, u16at(p, end));
    if (!has(p, end, 4)) { markTruncated(); return; }
    addNum(F_OFFSET, u16at(p + 2, end));
    p += 4;
  }
  if (flags & GRE_KEY) {
    if (isPpp) {
      if (!has(p, end, 2)) { markTruncated(); return; }
      addNum(F_PAYLOAD_LENGTH, u16at(p, end));
      if (!has(p, end, 4)) { markTruncated(); return; }
      addNum(F_CALL_ID, u16at(p + 2, end));
    } else {
      if (!has(p, end, 4)) { markTruncated(); return; }
      addNum(F_KEY, u32at(p, end));
    }
    p += 4;
  }
  if (flags & GRE_SEQUENCE) {
    if (!has(p, end, 4)) { markTruncated(); return; }
    addNum(F_SEQUENCE, u32at(p, end));
    p += 4;
  }
  if (isPpp && (flags & GRE_ACK)) {
    if (!has(p, end, 4)) { markTruncated(); return; }
    addNum(F_ACK_NUMBER, u32at(p, end));
    p += 4;
  }
  if (flags & GRE_ROUTING) {
    p = skipSourceRoutes(p, end);
    if (p == 0) return;
  }
  if (isWccp2) {
    if (!has(p, end, 4)) { markTruncated(); return; }
    p += 4;
  }
  // Without the sequence bit, GRE may be a keepalive with nothing after it.
  if (!(flags & GRE_SEQUENCE) && p >= end) return;
  if (p > end) { markTruncated(); return; }
  dissectPayload(type, <i32>flags, p, end);
}

/** Source route entries up to the null one; returns where they end, or 0 past the captured bytes. */
function skipSourceRoutes(p: u32, end: u32): u32 {
  // Each entry is at least 4 bytes, so this ends within the frame.
  while (true) {
    if (!has(p, end, 2)) { markTruncated(); return 0; }
    const family = u16at(p, end);
    addNum(F_SRE_FAMILY, family);
    if (!has(p, end, 3)) { markTruncated(); return 0; }
    addNum(F_SRE_OFFSET, u8at(p + 2, end));
    if (!has(p, end, 4)) { markTruncated(); return 0; }
    const length = u8at(p + 3, end);
    addNum(F_SRE_LENGTH, length);
    p += 4;
    if (family == 0 && length == 0) return p;
    if (!has(p, end, length)) { markTruncated(); return 0; }
    p += length;
  }
  return p;
}

/**
 * Wireshark's "gre.proto" table: its own list, not the ethertype table.
 * `flags` is the GRE header's first word, or -1 when there was no GRE header
 * (a Linux cooked capture on a GRE device).  Returns nothing: unknown types go to data.
 */
function dissectPayload(type: u32, flags: i32, start: u32, end: u32): void {
  switch (type) {
    case GRE_WCCP:
      // WCCP redirects carry IPv4 (after the WCCPv2 header skipped above).
      if (dispatchEthertype(0x0800, start, end)) return;
      break;
    case 0x0800: case 0x86dd: case 0x8847: case 0x8848:
      if (dispatchEthertype(type, start, end)) return;
      break;
    case 0x6558:
      dissectEthernetWithoutFcs(start, end);
      return;
    case ETHERTYPE_PPP:
      dissectPppHdlc(start, end);
      return;
    case 0x8909:
      dissectCmdInGre(start, end);
      return;
    case 0x88be:
      if (flags >= 0 && (flags & GRE_SEQUENCE)) dissectErspan(start, end);
      else dissectErspanType1(start, end);
      return;
    case 0x22eb:
      dissectErspan(start, end);
      return;
    case GRE_OSI:
      // The OSI network layer: the NLPID picks the protocol.
      if (dissectOsi(start, end)) return;
      break;
    case GRE_CDP:
      // Cisco carries CDP in GRE under the number it has in SNAP.
      if (dispatchCiscoPid(GRE_CDP, start, end)) return;
      break;
    default:
      if (byGreProto.has(type)) { byGreProto.get(type)(start, end); return; }
      break;
  }
  dissectData(start, end);
}

/** A GRE protocol type from a Linux cooked capture of a GRE device. */
export function dissectGreProtocol(type: u32, start: u32, end: u32): void {
  dissectPayload(type, -1, start, end);
}

function putTypeName(type: u32): void {
  switch (type) {
    case 0x0000: puts('Possible GRE keepalive packet'); return;
    case 0x880b: puts('PPP'); return;
    case 0x0800: puts('IP'); return;
    case 0x0806: puts('ARP'); return;
    case 0x00fe: puts('OSI'); return;
    case 0x883e: puts('WCCP'); return;
    case 0x2000: puts('CDP (Cisco)'); return;
    case 0x2001: puts('NHRP'); return;
    case 0x88be: puts('ERSPAN'); return;
    case 0x22eb: puts('ERSPAN III'); return;
    case 0x6400: puts('MIKROTIK EoIP'); return;
    case 0xfeae: puts('AIROHIVE AP AP'); return;
    case 0x8137: puts('IPX'); return;
    case 0x6558: puts('Transparent Ethernet bridging'); return;
    case 0x6559: puts('Frame Relay'); return;
    case 0x86dd: puts('IPv6'); return;
    case 0x8847: puts('MPLS label switched packet'); return;
    case 0x894f: puts('Network Service Header'); return;
    case 0x8881: puts('CDMA2000 A10 Unstructured byte stream'); return;
    case 0x88d2: puts('CDMA2000 A10 3GPP2 Packet'); return;
    case 0x8909: puts('CiscoMetaData'); return;
    case 0x0101: puts('Huawei GRE bonding'); return;
    default: break;
  }
  if ((type >= 0x8200 && type <= 0x8370 && (type & 0x0f) == 0) || type == 0x9000) { puts('ARUBA WLAN'); return; }
  puts('0x'); putUpperHex4(type); puts(' (unknown)');
}

/** Four upper-case hex digits, as tshark's "0x%04X". */
function putUpperHex4(v: u32): void {
  for (let shift: i32 = 12; shift >= 0; shift -= 4) {
    const d = (v >> <u32>shift) & 15;
    putc(d < 10 ? 48 + d : 55 + d);
  }
}

registerIpProto(47, dissectGre);
registerUdpPort(4754, dissectGre);
