// LWAPP, Cisco's Lightweight Access Point Protocol before CAPWAP, as tshark
// 4.0 shows it: on UDP 12222 and 12223 and ethertypes 0x88bb and 0xbbbb a
// six-byte header (version, slot, flags, fragment ID, length, RSSI, SNR),
// preceded by the AP's MAC address when the datagram goes to UDP 12223,
// then either an 802.11 frame without FCS (tshark's default: frame control
// not swapped) or, when the flags' T bit says so, a control message named in
// the info column.  UDP 12220 carries whole Ethernet frames (LWAPP-L3).
import { protocol, uint, flag, ether, Base } from '../fields';
import { beginLayer, beginItemLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { registerUdpPort, registerEthertype, udpDstPort } from '../dispatch';
import { dissectData } from './frame';
import { dissectWlan } from './wlan';
import { dissectEthernetWithoutFcs } from './eth';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHex, tableName } from '../text';
import { lacks, be16 } from '../cursor';

const PROTO_LWAPP = protocol('lwapp', 'LWAPP Encapsulated Packet');
const PROTO_LWAPP_L3 = protocol('lwapp-l3', 'LWAPP Layer 3 Packet');
const PROTO_LWAPP_CONTROL = protocol('lwapp-cntl', 'LWAPP Control Message');
const F_AP_ID = ether('lwapp.apid', 'AP Identity');
const F_VERSION = uint('lwapp.version', 'Version', 8);
const F_SLOT = uint('lwapp.slotId', 'slotId', 24);
const F_FLAGS = uint('lwapp.flags', 'Flags', 8, Base.HEX);
const F_FLAG_TYPE = flag('lwapp.flags.type', 'Type');
const F_FLAG_FRAGMENT = flag('lwapp.flags.fragment', 'Fragment');
const F_FLAG_FRAGMENT_TYPE = flag('lwapp.flags.fragmentType', 'Fragment Type');
const F_FRAGMENT_ID = uint('lwapp.fragmentId', 'Fragment Id', 8, Base.HEX);
const F_LENGTH = uint('lwapp.Length', 'Length', 16);
const F_RSSI = uint('lwapp.rssi', 'RSSI', 8, Base.HEX);
const F_SNR = uint('lwapp.snr', 'SNR', 8, Base.HEX);
const F_CONTROL_TYPE = uint('lwapp.control.type', 'Control Type', 8);
const F_CONTROL_SEQ = uint('lwapp.control.seqno', 'Control Sequence Number', 8);
const F_CONTROL_LENGTH = uint('lwapp.control.length', 'Control Length', 16);

const L3_PORT: u32 = 12220, DATA_PORT: u32 = 12222, CONTROL_PORT: u32 = 12223;
const HEADER: u32 = 6;
const AP_ID: u32 = 6;
const FLAG_T: u32 = 0x04, FLAG_F: u32 = 0x02, FLAG_FT: u32 = 0x01;

function dissectLwappUdp(start: u32, end: u32): void {
  dissectLwapp(start, end, udpDstPort == CONTROL_PORT);
}

function dissectLwappL2(start: u32, end: u32): void {
  dissectLwapp(start, end, false);
}

function dissectLwapp(start: u32, end: u32, withApId: bool): void {
  setProtocolColumn('LWAPP');
  beginLayer(PROTO_LWAPP);
  infoSet(); puts('LWAPP IP or Layer 2'); infoDone();
  let p = start;
  // tshark copies the AP identity and the header whole before showing either.
  if (lacks(p, end, (withApId ? AP_ID : 0) + HEADER)) return;
  if (withApId) { addBytes(F_AP_ID, p, AP_ID); p += AP_ID; }
  const flags = <u32>load<u8>(p);
  addNum(F_VERSION, flags >> 6);
  addNum(F_SLOT, (flags >> 3) & 7);
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_TYPE, (flags & FLAG_T) != 0 ? 1 : 0);
  addNum(F_FLAG_FRAGMENT, (flags & FLAG_F) != 0 ? 1 : 0);
  addNum(F_FLAG_FRAGMENT_TYPE, (flags & FLAG_FT) != 0 ? 1 : 0);
  addNum(F_FRAGMENT_ID, load<u8>(p + 1));
  addNum(F_LENGTH, be16(p + 2));
  addNum(F_RSSI, load<u8>(p + 4));
  addNum(F_SNR, load<u8>(p + 5));
  infoAppend(); puts((flags & FLAG_T) != 0 ? ' Control Packet' : ' 802.11 Packet'); infoDone();
  p += HEADER;
  if ((flags & FLAG_T) == 0) { dissectWlan(p, end); return; }
  dissectControl(p, end);
}

/** A control message: type, sequence number, length, and the rest as data. */
function dissectControl(start: u32, end: u32): void {
  beginItemLayer(PROTO_LWAPP_CONTROL); // LWAPP's own code, not a dissector it calls
  infoSet(); puts('CNTL '); infoDone();
  if (lacks(start, end, 4)) return;
  const type = <u32>load<u8>(start);
  infoSet(); puts('CNTL ');
  const name = type >= 1 ? tableName(CONTROL_NAMES, type - 1, '') : '';
  if (name.length) puts(name); else { puts('Bad Type: '); putHex(type, 2); }
  infoDone();
  addNum(F_CONTROL_TYPE, type);
  addNum(F_CONTROL_SEQ, load<u8>(start + 1));
  addNum(F_CONTROL_LENGTH, be16(start + 2));
  dissectData(start + 4, end);
}

function dissectLwappL3(start: u32, end: u32): void {
  setProtocolColumn('LWAPP-L3');
  infoSet(); puts('802.3 Packets over Layer 3'); infoDone();
  beginLayer(PROTO_LWAPP_L3);
  dissectEthernetWithoutFcs(start, end);
}

const CONTROL_NAMES: StaticArray<string> = [
  'DISCOVERY_REQUEST', 'DISCOVERY_REPLY', 'JOIN_REQUEST', 'JOIN_REPLY', 'HANDOFF_REQUEST', 'HANDOFF_REPLY',
  'HANDOFF_COMMAND', 'HANDOFF_RESPONSE', 'HANDOFF_CONFIRM', 'CONFIGURE_REQUEST', 'CONFIGURE_RESPONSE',
  'CONFIGURE_COMMAND', 'CONFIGURE_COMMAND_RES', 'STATISTICS_INFO', 'STATISTICS_INFO_RES', 'CHANGE_STATE_EVENT',
  'CHANGE_STATE_EVENT_RES', 'RRM_CONTROL_REQ', 'RRM_CONTROL_RES', 'RRM_DATA_REQ', 'RRM_DATA_RES', 'ECHO_REQUEST',
  'ECHO_RESPONSE', 'IMAGE_DATA', 'IMAGE_DATA_RES', 'RESET_REQ', 'RESET_RES', 'I_AM_UP_REQ', 'I_AM_UP_RES',
  'KEY_UPDATE_REQ', 'KEY_UPDATE_RES', 'PRIMARY_DISCOVERY_REQ', 'PRIMARY_DISCOVERY_RES', 'DATA_TRANSFER',
  'DATA_TRANSFER_RES', 'RESET_REQ_CLEAR_CONFIG',
];

registerUdpPort(DATA_PORT, dissectLwappUdp);
registerUdpPort(CONTROL_PORT, dissectLwappUdp);
registerUdpPort(L3_PORT, dissectLwappL3);
registerEthertype(0x88bb, dissectLwappL2);
registerEthertype(0xbbbb, dissectLwappL2);
