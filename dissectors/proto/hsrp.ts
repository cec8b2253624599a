// Cisco Hot Standby Router Protocol: version 1 (RFC 2281), a fixed message
// on UDP 1985 to 224.0.0.2, and version 2, TLVs on UDP 1985 to 224.0.0.102
// or UDP 2029 over IPv6.  As Wireshark, a datagram to the HSRP ports that
// goes to neither is left to the generic payload.
import { protocol, uint, str, ipv4, ipv6, ether, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, dstKind, dstPtr, AddrKind } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerUdpPortTry, udpDstPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec, tableName } from '../text';
import { addAscii } from './ascii-text';

const PROTO_HSRP = protocol('hsrp', 'Cisco Hot Standby Router Protocol');
const F_VERSION = uint('hsrp.version', 'Version', 8);
const F_OPCODE = uint('hsrp.opcode', 'Op Code', 8);
const F_STATE = uint('hsrp.state', 'State', 8);
const F_HELLOTIME = uint('hsrp.hellotime', 'Hellotime', 8);
const F_HOLDTIME = uint('hsrp.holdtime', 'Holdtime', 8);
const F_PRIORITY = uint('hsrp.priority', 'Priority', 8);
const F_GROUP = uint('hsrp.group', 'Group', 8);
const F_RESERVED = uint('hsrp.reserved', 'Reserved', 8);
const F_AUTH = str('hsrp.auth_data', 'Authentication Data', Base.FINAL_TEXT);
const F_VIRTUAL_IP = ipv4('hsrp.virt_ip', 'Virtual IP Address');
const F_ADV_TYPE = uint('hsrp.adv.tlvtype', 'Adv type', 16);
const F_ADV_LENGTH = uint('hsrp.adv.tlvlength', 'Adv length', 16);
const F_ADV_STATE = uint('hsrp.adv.state', 'Adv state', 8);
const F_ADV_RESERVED1 = uint('hsrp.adv.reserved1', 'Adv reserved1', 8);
const F_ADV_ACTIVE = uint('hsrp.adv.activegrp', 'Adv active groups', 16);
const F_ADV_PASSIVE = uint('hsrp.adv.passivegrp', 'Adv passive groups', 16);
const F_ADV_RESERVED2 = uint('hsrp.adv.reserved2', 'Adv reserved2', 32);

const F2_VERSION = uint('hsrp2.version', 'Version', 8);
const F2_OPCODE = uint('hsrp2.opcode', 'Op Code', 8);
const F2_STATE = uint('hsrp2.state', 'State', 8);
const F2_IP_VERSION = uint('hsrp2.ipversion', 'IP Ver.', 8);
const F2_GROUP = uint('hsrp2.group', 'Group', 16);
const F2_IDENTIFIER = ether('hsrp2.identifier', 'Identifier');
const F2_PRIORITY = uint('hsrp2.priority', 'Priority', 32);
const F2_HELLOTIME = uint('hsrp2.hellotime', 'Hellotime', 32);
const F2_HOLDTIME = uint('hsrp2.holdtime', 'Holdtime', 32);
const F2_VIRTUAL_IP = ipv4('hsrp2.virt_ip', 'Virtual IP Address');
const F2_VIRTUAL_IP6 = ipv6('hsrp2.virt_ip_v6', 'Virtual IPv6 Address');
const F2_ACTIVE = uint('hsrp2.active_groups', 'Active Groups', 16);
const F2_PASSIVE = uint('hsrp2.passive_groups', 'Passive Groups', 16);
const F2_AUTH = str('hsrp2.auth_data', 'Authentication Data', Base.FINAL_TEXT);

/** Version 1's one-byte fields from offset 2 on, in order (a local array literal would allocate per packet). */
const V1_BYTE_FIELDS: StaticArray<u32> = [F_STATE, F_HELLOTIME, F_HOLDTIME, F_PRIORITY, F_GROUP, F_RESERVED];

const HSRP_PORT: u32 = 1985;
const HSRP2_V6_PORT: u32 = 2029;
const ALL_ROUTERS: u32 = 0xe0000002; // 224.0.0.2
const HSRP2_GROUP: u32 = 0xe0000066; // 224.0.0.102
const ADVERTISE: u32 = 3;
const AUTH_LEN: u32 = 8;

const OPCODES: StaticArray<string> = ['Hello', 'Coup', 'Resign', 'Advertise'];
const ADV_STATES: StaticArray<string> = ['Unknown', 'Dormant', 'Passive', 'Active'];
const V2_OPCODES: StaticArray<string> = ['Hello', 'Coup', 'Resign'];
const V2_STATES: StaticArray<string> = ['Unknown', 'Init', 'Learn', 'Listen', 'Speak', 'Standby', 'Active'];

const enum Tlv { GROUP_STATE = 1, INTERFACE_STATE = 2, TEXT_AUTH = 3, MD5_AUTH = 4 }
const TLV_LENGTHS: StaticArray<u32> = [0, 40, 4, 8, 28];

function putState(state: u32): void {
  switch (state) {
    case 0: puts('Initial'); break;
    case 1: puts('Learn'); break;
    case 2: puts('Listen'); break;
    case 4: puts('Speak'); break;
    case 8: puts('Standby'); break;
    case 16: puts('Active'); break;
    default: puts('Unknown');
  }
}

function ipv4Destination(): u32 {
  return dstKind == AddrKind.IPV4 ? bswap<u32>(load<u32>(dstPtr)) : 0;
}

function dissectHsrp(start: u32, end: u32): bool {
  if (udpDstPort != HSRP_PORT && udpDstPort != HSRP2_V6_PORT) return false;
  const to = ipv4Destination();
  if (to == ALL_ROUTERS) dissectVersion1(start, end);
  else if (to == HSRP2_GROUP || (dstKind == AddrKind.IPV6 && udpDstPort == HSRP2_V6_PORT)) dissectVersion2(start, end);
  else return false;
  return true;
}

function dissectVersion1(start: u32, end: u32): void {
  setProtocolColumn('HSRP');
  if (!has(start, end, 2)) { markTruncated(); return; }
  const opcode = u8at(start + 1, end);
  infoSet();
  puts(tableName(OPCODES, opcode, 'Unknown'));
  infoDone();
  if (opcode <= ADVERTISE) {
    const at: u32 = opcode < ADVERTISE ? 2 : 6;
    if (!has(start, end, at + 1)) { markTruncated(); return; }
    const state = u8at(start + at, end);
    infoAppend();
    puts(' (state ');
    if (opcode < ADVERTISE) putState(state); else puts(tableName(ADV_STATES, state, 'Unknown'));
    puts(')');
    infoDone();
  }
  beginLayer(PROTO_HSRP);
  addNum(F_VERSION, u8at(start, end));
  addNum(F_OPCODE, opcode);
  if (opcode < ADVERTISE) {
    for (let i = 0; i < V1_BYTE_FIELDS.length; i++) {
      if (!has(start, end, 3 + <u32>i)) { markTruncated(); return; }
      addNum(unchecked(V1_BYTE_FIELDS[i]), u8at(start + 2 + <u32>i, end));
    }
    if (!has(start, end, 8 + AUTH_LEN)) { markTruncated(); return; }
    addAscii(F_AUTH, start + 8, AUTH_LEN);
    if (!has(start, end, 20)) { markTruncated(); return; }
    addBytes(F_VIRTUAL_IP, start + 16, 4);
  } else if (opcode == ADVERTISE) {
    if (!has(start, end, 16)) { markTruncated(); return; }
    addNum(F_ADV_TYPE, u16at(start + 2, end));
    addNum(F_ADV_LENGTH, u16at(start + 4, end));
    addNum(F_ADV_STATE, u8at(start + 6, end));
    addNum(F_ADV_RESERVED1, u8at(start + 7, end));
    addNum(F_ADV_ACTIVE, u16at(start + 8, end));
    addNum(F_ADV_PASSIVE, u16at(start + 10, end));
    addNum(F_ADV_RESERVED2, u32at(start + 12, end));
  }
}

/** Version 2: a run of TLVs; each group state TLV (and interface state TLV) sets the info column anew. */
function dissectVersion2(start: u32, end: u32): void {
  setProtocolColumn('HSRPv2');
  beginLayer(PROTO_HSRP);
  let p = start;
  while (p < end) {
    if (!has(p, end, 2)) { markTruncated(); return; }
    const type = u8at(p, end);
    const len = u8at(p + 1, end);
    if (type == 0 || type > <u32>Tlv.MD5_AUTH || len != unchecked(TLV_LENGTHS[type])) return; // an undefined TLV ends the walk
    const v = p + 2;
    if (!has(v, end, len)) { markTruncated(); return; }
    if (type == <u32>Tlv.GROUP_STATE) {
      const opcode = u8at(v + 1, end);
      const state = u8at(v + 2, end);
      infoSet(); puts(tableName(V2_OPCODES, opcode, 'Unknown')); puts(' (state '); puts(tableName(V2_STATES, state, 'Unknown')); puts(')'); infoDone();
      addNum(F2_VERSION, u8at(v, end));
      addNum(F2_OPCODE, opcode);
      addNum(F2_STATE, state);
      const ipVersion = u8at(v + 3, end);
      addNum(F2_IP_VERSION, ipVersion);
      addNum(F2_GROUP, u16at(v + 4, end));
      addBytes(F2_IDENTIFIER, v + 6, 6);
      addNum(F2_PRIORITY, u32at(v + 12, end));
      addNum(F2_HELLOTIME, u32at(v + 16, end));
      addNum(F2_HOLDTIME, u32at(v + 20, end));
      if (ipVersion == 4) addBytes(F2_VIRTUAL_IP, v + 24, 4);
      else if (ipVersion == 6) addBytes(F2_VIRTUAL_IP6, v + 24, 16);
      else return;
    } else if (type == <u32>Tlv.INTERFACE_STATE) {
      const active = u16at(v, end);
      const passive = u16at(v + 2, end);
      infoSet(); puts('Interface State TLV (Act='); putDec(active); puts(' Pass='); putDec(passive); puts(')'); infoDone();
      addNum(F2_ACTIVE, active);
      addNum(F2_PASSIVE, passive);
    } else if (type == <u32>Tlv.TEXT_AUTH) {
      addAscii(F2_AUTH, v, len);
    }
    p = v + len;
  }
}

registerUdpPortTry(HSRP_PORT, dissectHsrp);
registerUdpPortTry(HSRP2_V6_PORT, dissectHsrp);
