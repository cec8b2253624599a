// Novell IPX, as tshark 4.0 shows it: reached by ethertype 0x8137 (Ethernet II,
// SNAP, GRE, Cisco HDLC), LLC SAP 0xe0 or 0x10, raw 802.3 (a 0xffff checksum
// right after the length) and UDP port 213.  The columns show "network.node" addresses and the
// destination socket's name; the payload goes to the protocol of the lower
// socket (the higher one first when that is NWLink's name query socket), then of
// the packet type, else to data.
import { protocol, uint, ether, str, Base } from '../fields';
import { beginItemLayer, addCalled, unlistNextLayer, addNum, addBytes, setAddresses, setProtocolColumn, markTruncated, markMalformed, reportedLength, AddrKind, wanted, setDatagramEnd } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerEthertype, registerUdpPort } from '../dispatch';
import { infoSet, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putHex } from '../text';
import { putIpxAddress } from '../out-summary';
import { dissectData } from './frame';
import { dissectIpxRip } from './ipxrip';
import { dissectIpxSap } from './ipxsap';
import { dissectNbipx, dissectNmpi } from './nbipx';

const PROTO_IPX = protocol('ipx', 'Internetwork Packet eXchange');
const F_SRC = str('ipx.src', 'Source Address');
const F_DST = str('ipx.dst', 'Destination Address');
const F_ADDR = str('ipx.addr', 'Src/Dst Address');
const F_CHECKSUM = uint('ipx.checksum', 'Checksum', 16, Base.HEX);
const F_LEN = uint('ipx.len', 'Length', 16);
const F_HOPS = uint('ipx.hops', 'Transport Control (Hops)', 8);
const F_PACKET_TYPE = uint('ipx.packet_type', 'Packet Type', 8, Base.HEX);
const F_DST_NET = uint('ipx.dst.net', 'Destination Network', 32, Base.HEX);
const F_NET = uint('ipx.net', 'Source or Destination Network', 32, Base.HEX);
const F_DST_NODE = ether('ipx.dst.node', 'Destination Node');
const F_NODE = ether('ipx.node', 'Source or Destination Node');
const F_DST_SOCKET = uint('ipx.dst.socket', 'Destination Socket', 16, Base.HEX);
const F_SOCKET = uint('ipx.socket', 'Source or Destination Socket', 16, Base.HEX);
const F_SRC_NET = uint('ipx.src.net', 'Source Network', 32, Base.HEX);
const F_SRC_NODE = ether('ipx.src.node', 'Source Node');
const F_SRC_SOCKET = uint('ipx.src.socket', 'Source Socket', 16, Base.HEX);

const HEADER_LEN: u32 = 30;
const ETHERTYPE_IPX: u32 = 0x8137;
const UDP_PORT_IPX: u32 = 213;
const SOCKET_SAP: u32 = 0x0452;
const SOCKET_RIP: u32 = 0x0453;
const SOCKET_NETBIOS: u32 = 0x0455;
const SOCKET_NWLINK_NAME_QUERY: u32 = 0x0551;
const SOCKET_NWLINK_MAILSLOT: u32 = 0x0553;

/** The packet type of the IPX header being dissected (NetBIOS over IPX looks at it). */
export let ipxPacketType: u32 = 0;

function addAddressText(f: u32, p: u32): void {
  const s = scratchBegin();
  putIpxAddress(p);
  addBytes(f, s, scratchEnd(s));
}

export function dissectIpx(start: u32, end: u32): void {
  addCalled(PROTO_IPX); // listed from the call on; the layer opens once the header is read
  setProtocolColumn('IPX');
  infoSet(); infoDone();
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  const dstSocket = u16at(start + 16, end);
  const srcSocket = u16at(start + 28, end);
  const type = u8at(start + 5, end);
  const length = u16at(start + 2, end);
  // The datagram ends where its length says, when that is within the frame.
  let reported = reportedLength(start, end);
  if (length <= reported) {
    reported = length;
    if (end - start > length) { end = start + length; setDatagramEnd(start, end); }
  }
  setAddresses(AddrKind.IPX, start + 18, start + 6);
  infoSet();
  const name = socketName(dstSocket);
  if (name.length) puts(name); else { puts('Unknown ('); putHex(dstSocket, 4); putc(41); }
  infoDone();

  beginItemLayer(PROTO_IPX);
  if (unchecked(wanted[F_SRC]) || unchecked(wanted[F_ADDR])) {
    addAddressText(F_SRC, start + 18);
    addAddressText(F_ADDR, start + 18);
  }
  if (unchecked(wanted[F_DST]) || unchecked(wanted[F_ADDR])) {
    addAddressText(F_DST, start + 6);
    addAddressText(F_ADDR, start + 6);
  }
  addNum(F_CHECKSUM, u16at(start, end));
  addNum(F_LEN, length);
  addNum(F_HOPS, u8at(start + 4, end));
  addNum(F_PACKET_TYPE, type);
  addNum(F_DST_NET, u32at(start + 6, end));
  addNum(F_NET, u32at(start + 6, end));
  addBytes(F_DST_NODE, start + 10, 6);
  addBytes(F_NODE, start + 10, 6);
  addNum(F_DST_SOCKET, dstSocket);
  addNum(F_SOCKET, dstSocket);
  addNum(F_SRC_NET, u32at(start + 18, end));
  addNum(F_NET, u32at(start + 18, end));
  addBytes(F_SRC_NODE, start + 22, 6);
  addBytes(F_NODE, start + 22, 6);
  addNum(F_SRC_SOCKET, srcSocket);
  addNum(F_SOCKET, srcSocket);

  // A length below the header leaves no payload to hand on: tshark's subset throws.
  if (reported < HEADER_LEN) { markMalformed(); return; }
  ipxPacketType = type;
  const payload = start + HEADER_LEN;
  const low = srcSocket > dstSocket ? dstSocket : srcSocket;
  const high = srcSocket > dstSocket ? srcSocket : dstSocket;
  if (high != SOCKET_NWLINK_NAME_QUERY && dispatchSocket(low, payload, end)) return;
  if (dispatchSocket(high, payload, end)) return;
  dissectData(payload, end);
}

function dispatchSocket(socket: u32, start: u32, end: u32): bool {
  unlistNextLayer(true);
  const taken = callSocketDissector(socket, start, end);
  unlistNextLayer(false);
  return taken;
}

function callSocketDissector(socket: u32, start: u32, end: u32): bool {
  if (socket == SOCKET_SAP) { dissectIpxSap(start, end); return true; }
  if (socket == SOCKET_RIP) { dissectIpxRip(start, end); return true; }
  if (socket == SOCKET_NETBIOS) { dissectNbipx(start, end); return true; }
  if (socket == SOCKET_NWLINK_NAME_QUERY || socket == SOCKET_NWLINK_MAILSLOT) { dissectNmpi(start, end); return true; }
  return false;
}

/** tshark's names for IPX sockets, '' for one it does not name. */
export function socketName(socket: u32): string {
  switch (socket) {
    case 0x0002: return 'CISCO PING';
    case 0x0451: return 'NCP';
    case 0x0452: return 'SAP';
    case 0x0453: return 'RIP';
    case 0x0455: return 'NetBIOS';
    case 0x0456: return 'Diagnostic';
    case 0x0457: return 'Serialization';
    case 0x0550: return 'NWLink SMB Server';
    case 0x0551: return 'NWLink SMB Name Query';
    case 0x0552: return 'NWLink SMB Redirector';
    case 0x0553: return 'NWLink SMB Mailslot Datagram';
    case 0x0554: return 'NWLink SMB Messenger';
    case 0x0555: return 'NWLink SMB Browse';
    case 0x055d: return 'Attachmate Gateway';
    case 0x4001: return 'IPX Message';
    case 0x4003: return 'IPX Message';
    case 0x4006: return 'NetWare Directory Server';
    case 0x400c: return 'HP LaserJet/QuickSilver';
    case 0x8104: return 'NetWare 386';
    case 0x8522: return 'ADSM';
    case 0x85be: return 'Cisco EIGRP for IPX';
    case 0x8f83: return 'Powerchute UPS Monitoring';
    case 0x9001: return 'NetWare Link Services Protocol';
    case 0x9004: return 'IPX WAN';
    case 0x900f: return 'SNMP Agent';
    case 0x9010: return 'SNMP Sink';
    case 0x907b: return 'SMS Testing and Development';
    case 0x9086: return 'Novell PING';
    case 0x9091: return 'TCP Tunnel';
    case 0x9092: return 'UDP Tunnel';
    case 0x90b2: return 'NDPS Printer Agent/PSM';
    case 0x90b3: return 'NDPS Broker';
    case 0x90b4: return 'NDPS Service Registry Service';
    case 0x90b5: return 'NDPS Event Notification Service';
    case 0x90b7: return 'NDPS Remote Management Service';
    case 0x90b8: return 'NDPS Notify Listener';
    case 0xe885: return 'NT Server-RPC/GW';
  }
  return '';
}

registerEthertype(ETHERTYPE_IPX, dissectIpx);
registerUdpPort(UDP_PORT_IPX, dissectIpx);
