// BOOTP and DHCP (RFC 951, RFC 2131/2132) on UDP 67 and 68: the fixed
// header, the magic cookie and the options most often looked at (message
// type, addresses, lease time, host name, the parameter request list).
// With a message type option the packet is DHCP, otherwise BOOTP.
import { protocol, uint, flag, ipv4, ether, str, bytes, Base } from '../fields';
import { beginItemLayer, addCalled, addNum, addBytes, setProtocolColumn, markTruncated, reportedLength } from '../packet';
import { u8at, u16at, u32at, has, cutShort } from '../cursor';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec, putHex, putEther } from '../text';
import { addAscii } from './ascii-text';

const PROTO_DHCP = protocol('dhcp', 'Dynamic Host Configuration Protocol');
const F_TYPE = uint('dhcp.type', 'Message type', 8);
const F_HW_TYPE = uint('dhcp.hw.type', 'Hardware type', 8, Base.HEX);
const F_HW_LEN = uint('dhcp.hw.len', 'Hardware address length', 8);
const F_HOPS = uint('dhcp.hops', 'Hops', 8);
const F_ID = uint('dhcp.id', 'Transaction ID', 32, Base.HEX);
const F_SECS = uint('dhcp.secs', 'Seconds elapsed', 16);
const F_FLAGS = uint('dhcp.flags', 'Bootp flags', 16, Base.HEX);
const F_FLAGS_BC = flag('dhcp.flags.bc', 'Broadcast flag');
const F_FLAGS_RESERVED = uint('dhcp.flags.reserved', 'Reserved flags', 16, Base.HEX);
const F_IP_CLIENT = ipv4('dhcp.ip.client', 'Client IP address');
const F_IP_YOUR = ipv4('dhcp.ip.your', 'Your (client) IP address');
const F_IP_SERVER = ipv4('dhcp.ip.server', 'Next server IP address');
const F_IP_RELAY = ipv4('dhcp.ip.relay', 'Relay agent IP address');
const F_HW_MAC = ether('dhcp.hw.mac_addr', 'Client MAC address');
const F_HW_ADDR = bytes('dhcp.hw.addr', 'Client hardware address');
const F_HW_PADDING = bytes('dhcp.hw.addr_padding', 'Client hardware address padding');
const F_SERVER = str('dhcp.server', 'Server host name', Base.FINAL_TEXT);
const F_FILE = str('dhcp.file', 'Boot file name', Base.FINAL_TEXT);
const F_COOKIE = ipv4('dhcp.cookie', 'Magic cookie');
const F_OPTION_TYPE = uint('dhcp.option.type', 'Option', 8);
const F_OPTION_LENGTH = uint('dhcp.option.length', 'Length', 8);
const F_OPTION_DHCP = uint('dhcp.option.dhcp', 'DHCP', 8);
const F_OPTION_SUBNET_MASK = ipv4('dhcp.option.subnet_mask', 'Subnet Mask');
const F_OPTION_ROUTER = ipv4('dhcp.option.router', 'Router');
const F_OPTION_DNS = ipv4('dhcp.option.domain_name_server', 'Domain Name Server');
const F_OPTION_HOSTNAME = str('dhcp.option.hostname', 'Host Name', Base.FINAL_TEXT);
const F_OPTION_REQUESTED_IP = ipv4('dhcp.option.requested_ip_address', 'Requested IP Address');
const F_OPTION_LEASE_TIME = uint('dhcp.option.ip_address_lease_time', 'IP Address Lease Time', 32);
const F_OPTION_SERVER_ID = ipv4('dhcp.option.dhcp_server_id', 'DHCP Server Identifier');
const F_OPTION_REQUEST_ITEM = uint('dhcp.option.request_list_item', 'Parameter Request List Item', 8);
const F_OPTION_END = uint('dhcp.option.end', 'Option End', 8);
const F_OPTION_PADDING = bytes('dhcp.option.padding', 'Padding');

const SERVER_PORT: u32 = 67;
const CLIENT_PORT: u32 = 68;
// op, htype, hlen, hops, xid, secs, flags, four addresses, chaddr, sname, file.
const HEADER_LEN: u32 = 236;
const COOKIE: u32 = 0x63825363;
const BOOTP_VENDOR_LEN: u32 = 64;
const HW_ETHERNET: u32 = 1;

const enum Option {
  Pad = 0, SubnetMask = 1, Router = 3, DomainNameServer = 6, HostName = 12, RequestedIp = 50,
  LeaseTime = 51, MessageType = 53, ServerId = 54, RequestList = 55, ClientId = 61, End = 255,
}

// Message types 1 to 18 (RFC 2132, 3203, 4388, 6926, 7724).
const MESSAGE_TYPES: StaticArray<string> = [
  '', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NAK', 'Release', 'Inform', 'Force Renew',
  'Lease query', 'Lease Unassigned', 'Lease Unknown', 'Lease Active', 'Bulk Lease Query', 'Lease Query Done',
  'Active LeaseQuery', 'Lease Query Status', 'TLS',
];
// ciaddr, yiaddr, siaddr, giaddr (module-level: a local array literal would allocate per packet).
const ADDRESS_FIELDS: StaticArray<u32> = [F_IP_CLIENT, F_IP_YOUR, F_IP_SERVER, F_IP_RELAY];
// tshark pads the message type to eight characters in the info column.
const MESSAGE_TYPE_WIDTH: i32 = 8;

function dissectDhcp(start: u32, end: u32): void {
  addCalled(PROTO_DHCP); // listed from the call on; the layer opens once the message type is known
  setProtocolColumn('BOOTP');
  infoSet(); infoDone();
  if (!has(start, end, 1)) { markTruncated(); return; }
  const op = u8at(start, end);
  const cookie = has(start, end, HEADER_LEN + 4) && u32at(start + HEADER_LEN, end) == COOKIE;
  const messageType = findMessageType(start + HEADER_LEN + (cookie ? 4 : BOOTP_VENDOR_LEN), end, start + reportedLength(start, end));
  putInfo(start, end, op, messageType);
  if (messageType == SCAN_CUT) { markTruncated(); return; }
  beginItemLayer(PROTO_DHCP);
  // Field by field, as tshark adds them: a header cut short keeps what it holds.
  if (cutShort(start, end, 4)) return;
  const hwType = u8at(start + 1, end);
  const hwLen = u8at(start + 2, end);
  addNum(F_TYPE, op);
  addNum(F_HW_TYPE, hwType);
  addNum(F_HW_LEN, hwLen);
  addNum(F_HOPS, u8at(start + 3, end));
  if (cutShort(start, end, 8)) return;
  addNum(F_ID, u32at(start + 4, end));
  if (cutShort(start, end, 10)) return;
  addNum(F_SECS, u16at(start + 8, end));
  if (cutShort(start, end, 12)) return;
  const flags = u16at(start + 10, end);
  addNum(F_FLAGS, flags);
  addNum(F_FLAGS_BC, flags >> 15);
  addNum(F_FLAGS_RESERVED, flags & 0x7fff);
  for (let i: u32 = 0; i < 4; i++) {
    if (cutShort(start, end, 16 + 4 * i)) return;
    addBytes(unchecked(ADDRESS_FIELDS[i]), start + 12 + 4 * i, 4);
  }
  if (cutShort(start, end, 44)) return;
  if (hwType == HW_ETHERNET && hwLen == 6) {
    addBytes(F_HW_MAC, start + 28, 6);
    addBytes(F_HW_PADDING, start + 34, 10);
  } else if (hwLen > 0) {
    addBytes(F_HW_ADDR, start + 28, hwLen < 16 ? hwLen : 16);
  }
  if (cutShort(start, end, 108)) return;
  if (u8at(start + 44, end) != 0) addAscii(F_SERVER, start + 44, 64);
  if (cutShort(start, end, HEADER_LEN)) return;
  if (u8at(start + 108, end) != 0) addAscii(F_FILE, start + 108, 128);
  // Without the cookie, RFC 951's 64 bytes of vendor information follow.
  if (!cookie) { if (!has(start, end, HEADER_LEN + BOOTP_VENDOR_LEN)) markTruncated(); return; }
  addBytes(F_COOKIE, start + HEADER_LEN, 4);
  dissectOptions(start + HEADER_LEN + 4, end);
}

/** findMessageType's answer when the options run past the captured bytes. */
const SCAN_CUT: i32 = -2;

/**
 * tshark's first pass over the options, from `p` to the reported end: the
 * value of option 53, -1 without one, or SCAN_CUT when the pass needs a byte
 * that was not captured (tshark then stops before adding any field).
 */
function findMessageType(p: u32, end: u32, reportedEnd: u32): i32 {
  let found: i32 = -1;
  while (p < reportedEnd) {
    if (p >= end) return SCAN_CUT;
    const code = u8at(p, end);
    if (code == Option.End) break;
    if (code == Option.Pad) { p++; continue; }
    if (!has(p, end, 2)) return SCAN_CUT;
    const len = u8at(p + 1, end);
    if (code == Option.MessageType && found < 0) {
      if (!has(p, end, 3)) return SCAN_CUT;
      found = <i32>u8at(p + 2, end);
    }
    p += 2 + len;
  }
  return found;
}

function putInfo(start: u32, end: u32, op: u32, messageType: i32): void {
  infoSet();
  if (messageType >= 0) {
    setProtocolColumn('DHCP');
    puts('DHCP ');
    const name = messageType > 0 && messageType < MESSAGE_TYPES.length ? unchecked(MESSAGE_TYPES[messageType]) : 'Unknown Message Type';
    puts(name);
    for (let n = name.length; n < MESSAGE_TYPE_WIDTH; n++) putc(0x20);
    puts(' - Transaction ID ');
    putHex(has(start, end, 8) ? u32at(start + 4, end) : 0, 1);
  } else if (op == 1 && has(start, end, 34) && u8at(start + 1, end) == HW_ETHERNET && u8at(start + 2, end) == 6) {
    // tshark names the client twice: resolved, then as an address; without name resolution both are the address.
    puts('Boot Request from '); putEther(start + 28); puts(' ('); putEther(start + 28); putc(0x29);
  } else if (op == 2) {
    puts('Boot Reply');
  } else if (op == 1) {
    puts('Boot Request');
  } else {
    puts('Unknown BOOTP message type ('); putDec(op); putc(0x29);
  }
  infoDone();
}

function dissectOptions(p: u32, end: u32): void {
  while (p < end) {
    const code = u8at(p, end);
    if (code == Option.End) {
      // tshark lists End under the option types as 0, with its own End field.
      addNum(F_OPTION_TYPE, 0);
      addNum(F_OPTION_END, code);
      if (p + 1 < end) addBytes(F_OPTION_PADDING, p + 1, end - p - 1);
      return;
    }
    if (code == Option.Pad) {
      let q = p;
      while (q < end && u8at(q, end) == Option.Pad) q++;
      addNum(F_OPTION_TYPE, 0);
      addBytes(F_OPTION_PADDING, p, q - p);
      p = q;
      continue;
    }
    if (!has(p, end, 2)) { markTruncated(); return; }
    const len = u8at(p + 1, end);
    addNum(F_OPTION_TYPE, code);
    addNum(F_OPTION_LENGTH, len);
    const v = p + 2;
    if (!has(v, end, len)) { markTruncated(); return; }
    switch (code) {
      case Option.MessageType: if (len == 1) addNum(F_OPTION_DHCP, u8at(v, end)); break;
      case Option.SubnetMask: if (len == 4) addBytes(F_OPTION_SUBNET_MASK, v, 4); break;
      case Option.Router: addAddresses(F_OPTION_ROUTER, v, len); break;
      case Option.DomainNameServer: addAddresses(F_OPTION_DNS, v, len); break;
      case Option.HostName: addAscii(F_OPTION_HOSTNAME, v, len); break;
      case Option.RequestedIp: if (len == 4) addBytes(F_OPTION_REQUESTED_IP, v, 4); break;
      case Option.LeaseTime: if (len == 4) addNum(F_OPTION_LEASE_TIME, u32at(v, end)); break;
      case Option.ServerId: if (len == 4) addBytes(F_OPTION_SERVER_ID, v, 4); break;
      // An Ethernet client identifier shows as the header's hardware type and address once more.
      case Option.ClientId: if (len == 7 && u8at(v, end) == HW_ETHERNET) { addNum(F_HW_TYPE, HW_ETHERNET); addBytes(F_HW_MAC, v + 1, 6); } break;
      case Option.RequestList: for (let i: u32 = 0; i < len; i++) addNum(F_OPTION_REQUEST_ITEM, u8at(v + i, end)); break;
      default: break;
    }
    p = v + len;
  }
}

function addAddresses(f: u32, p: u32, len: u32): void {
  for (let i: u32 = 0; i + 4 <= len; i += 4) addBytes(f, p + i, 4);
}

registerUdpPort(SERVER_PORT, dissectDhcp);
registerUdpPort(CLIENT_PORT, dissectDhcp);
