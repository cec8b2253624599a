// Linux "cooked" capture headers, v1 (link type 113, 16 bytes) and v2 (276,
// 20 bytes).  A protocol value above 1536 is an ethertype (or, on GRE
// devices, a GRE protocol type); at or below it is a Linux-internal type.
import { protocol, uint, ether, ipv4, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, setSourceAddress, AddrKind, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerLinktype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { putTableName } from '../text';
import { dissectEthertype, dissectEthernetWithoutFcs } from './eth';
import { dissectGreProtocol } from './gre';
import { dissectIpx } from './ipx';
import { dissectPppHdlcWithDirection } from './ppp';
import { dissectData } from './frame';

const PROTO_SLL = protocol('sll', 'Linux cooked capture');
const F_PKTTYPE = uint('sll.pkttype', 'Packet type', 16);
const F_HATYPE = uint('sll.hatype', 'Link-layer address type', 16);
const F_HALEN = uint('sll.halen', 'Link-layer address length', 16);
const F_SRC_ETH = ether('sll.src.eth', 'Source');
const F_SRC_IPV4 = ipv4('sll.src.ipv4', 'Source');
const F_SRC_OTHER = bytes('sll.src.other', 'Source');
const F_UNUSED = bytes('sll.unused', 'Unused');
const F_LTYPE = uint('sll.ltype', 'Protocol', 16, Base.HEX);
const F_GRETYPE = uint('sll.gretype', 'Protocol', 16, Base.HEX);
const F_ETYPE = uint('sll.etype', 'Protocol', 16, Base.HEX);
const F_IFINDEX = uint('sll.ifindex', 'Interface index');

const SLL_HEADER_LEN: u32 = 16;
const SLL2_HEADER_LEN: u32 = 20;
const ADDRESS_FIELD_LEN: u32 = 8;
const ARPHRD_IPGRE: u32 = 778;
const ARPHRD_NETLINK: u32 = 824;
// Linux-internal protocol values (include/uapi/linux/if_ether.h).
const LINUX_SLL_P_802_3: u32 = 0x0001;
const LINUX_SLL_P_ETHERNET: u32 = 0x0003;
const LINUX_SLL_P_802_2: u32 = 0x0004;
const LINUX_SLL_P_PPPHDLC: u32 = 0x0007;

const PACKET_TYPES: StaticArray<string> = [
  'Unicast to us', 'Broadcast', 'Multicast', 'Unicast to another host', 'Sent by us',
];

function putPacketTypeInfo(pkttype: u32): void {
  infoSet();
  putTableName(PACKET_TYPES, pkttype);
  infoDone();
}

/** The link-layer address: its length at `lenAt` (1 or 2 bytes wide), then 8 bytes of address. */
function addAddress(lenAt: u32, lenWidth: u32, end: u32): bool {
  if (!has(lenAt, end, lenWidth)) { markTruncated(); return false; }
  const halen = lenWidth == 2 ? u16at(lenAt, end) : u8at(lenAt, end);
  addNum(F_HALEN, halen);
  const addr = lenAt + lenWidth;
  const shown = halen > ADDRESS_FIELD_LEN ? ADDRESS_FIELD_LEN : halen;
  if (!has(addr, end, shown)) { markTruncated(); return false; }
  if (halen == 4) {
    addBytes(F_SRC_IPV4, addr, 4);
    setSourceAddress(AddrKind.IPV4, addr);
  } else if (halen == 6) {
    addBytes(F_SRC_ETH, addr, 6);
    setSourceAddress(AddrKind.ETHER, addr);
  } else if (halen != 0) {
    addBytes(F_SRC_OTHER, addr, shown);
  }
  if (halen < ADDRESS_FIELD_LEN) {
    if (!has(addr, end, ADDRESS_FIELD_LEN)) { markTruncated(); return false; }
    addBytes(F_UNUSED, addr + halen, ADDRESS_FIELD_LEN - halen);
  }
  return true;
}

function addProtocolType(protocolType: u32, hatype: u32): void {
  if (protocolType <= 1536) addNum(F_LTYPE, protocolType);
  else if (hatype == ARPHRD_IPGRE) addNum(F_GRETYPE, protocolType);
  else addNum(F_ETYPE, protocolType);
}

/** The packet type as Wireshark's direction: 1 received (to us, broadcast, multicast), 0 sent, else -1. */
function directionOf(pkttype: u32): i32 {
  if (pkttype <= 2) return 1;
  return pkttype == 4 ? 0 : -1;
}

function dissectPayload(protocolType: u32, hatype: u32, pkttype: u32, start: u32, end: u32): void {
  if (protocolType <= 1536) {
    if (protocolType == LINUX_SLL_P_PPPHDLC) { dissectPppHdlcWithDirection(start, end, directionOf(pkttype)); return; }
    if (protocolType == LINUX_SLL_P_ETHERNET) { dissectEthernetWithoutFcs(start, end); return; }
    // Novell's raw 802.3 is IPX; 802.2 LLC, CAN and the rest are left as data.
    if (protocolType == LINUX_SLL_P_802_3) { dissectIpx(start, end); return; }
    if (protocolType == LINUX_SLL_P_802_2) setProtocolColumn('LLC');
    dissectData(start, end);
    return;
  }
  if (hatype == ARPHRD_IPGRE) { dissectGreProtocol(protocolType, start, end); return; }
  dissectEthertype(protocolType, start, end);
}

export function dissectSll(start: u32, end: u32): void {
  if (!has(start, end, 2)) { markTruncated(); return; }
  const pkttype = u16at(start, end);
  if (!has(start, end, 4)) { markTruncated(); return; }
  const hatype = u16at(start + 2, end);
  if (hatype == ARPHRD_NETLINK) { netlinkAsData(start, end); return; }
  setProtocolColumn('SLL');
  putPacketTypeInfo(pkttype);
  beginLayer(PROTO_SLL);
  addNum(F_PKTTYPE, pkttype);
  addNum(F_HATYPE, hatype);
  if (!addAddress(start + 4, 2, end)) return;
  if (!has(start, end, SLL_HEADER_LEN)) { markTruncated(); return; }
  const protocolType = u16at(start + 14, end);
  addProtocolType(protocolType, hatype);
  dissectPayload(protocolType, hatype, pkttype, start + SLL_HEADER_LEN, end);
}

export function dissectSll2(start: u32, end: u32): void {
  if (!has(start, end, 12)) { markTruncated(); return; }
  const pkttype = u8at(start + 10, end);
  // tshark 4.0 reads the packet type here as 16 bits (with the address
  // length) for its info column and the direction; the field shows 8.
  const wideType = u16at(start + 10, end);
  const hatype = u16at(start + 8, end);
  if (hatype == ARPHRD_NETLINK) { netlinkAsData(start, end); return; }
  setProtocolColumn('SLL');
  putPacketTypeInfo(wideType);
  beginLayer(PROTO_SLL);
  const protocolType = u16at(start, end);
  addProtocolType(protocolType, hatype);
  addNum(F_IFINDEX, u32at(start + 4, end));
  addNum(F_HATYPE, hatype);
  addNum(F_PKTTYPE, pkttype);
  if (!addAddress(start + 11, 1, end)) return;
  dissectPayload(protocolType, hatype, wideType, start + SLL2_HEADER_LEN, end);
}

/** Netlink captures carry the whole header to the netlink dissector, which xcap does not have. */
function netlinkAsData(start: u32, end: u32): void {
  setProtocolColumn('Netlink');
  dissectData(start, end);
}

registerLinktype(113, dissectSll);
registerLinktype(276, dissectSll2);
