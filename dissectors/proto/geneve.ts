// Generic Network Virtualization Encapsulation (RFC 8926, UDP 6081): an
// 8-byte header, variable options, then the payload named by an ethertype.
import { protocol, uint, flag, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, u24at, has } from '../cursor';
import { registerUdpPort, registerEthertype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec, putHex } from '../text';
import { dissectData } from './frame';
import { dissectEthernetWithoutFcs } from './eth';

const PROTO_GENEVE = protocol('geneve', 'Generic Network Virtualization Encapsulation');
const F_VERSION = uint('geneve.version', 'Version', 8);
const F_FLAGS = uint('geneve.flags', 'Flags', 8, Base.HEX);
const F_FLAG_OAM = flag('geneve.flags.oam', 'Operations, Administration and Management Frame');
const F_FLAG_CRITICAL = flag('geneve.flags.critical', 'Critical Options Present');
const F_FLAG_RESERVED = flag('geneve.flags.reserved', 'Reserved');
const F_PROTO_TYPE = uint('geneve.proto_type', 'Protocol Type', 16, Base.HEX);
const F_VNI = uint('geneve.vni', 'Virtual Network Identifier (VNI)', 24, Base.HEX_DEC);
const F_RESERVED = uint('geneve.reserved', 'Reserved', 8, Base.HEX);
const F_OPTIONS = bytes('geneve.options', 'Geneve Options');
const F_OPTION = bytes('geneve.option', 'Option');
const F_OPTION_CLASS = uint('geneve.option.class', 'Class', 16, Base.HEX);
const F_OPTION_TYPE = uint('geneve.option.type', 'Type', 8, Base.HEX);
const F_OPTION_CRITICAL = flag('geneve.option.type.critical', 'Critical Option');
const F_OPTION_FLAGS = uint('geneve.option.flags', 'Flags', 8, Base.HEX);
const F_OPTION_FLAGS_RESERVED = flag('geneve.option.flags.reserved', 'Reserved');
const F_OPTION_LENGTH = uint('geneve.option.length', 'Length', 8);
const F_OPTION_DATA = bytes('geneve.option.unknown.data', 'Unknown Option Data');

const HEADER_LEN: u32 = 8;

export function dissectGeneve(start: u32, end: u32): void {
  setProtocolColumn('Geneve');
  infoSet(); infoDone();
  beginLayer(PROTO_GENEVE);
  if (!has(start, end, 1)) { markTruncated(); return; }
  const versionAndLength = u8at(start, end);
  const version = versionAndLength >> 6;
  addNum(F_VERSION, version);
  if (version != 0) { infoSet(); puts('Unknown Geneve version '); putDec(version); infoDone(); }
  const optionsLen = (versionAndLength & 0x3f) * 4;
  addNum(F_OPTION_LENGTH, optionsLen);
  if (!has(start, end, 2)) { markTruncated(); return; }
  const flags = u8at(start + 1, end);
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_OAM, (flags & 0x80) != 0);
  addNum(F_FLAG_CRITICAL, (flags & 0x40) != 0);
  addNum(F_FLAG_RESERVED, (flags & 0x3f) != 0);
  if (!has(start, end, 4)) { markTruncated(); return; }
  const type = u16at(start + 2, end);
  addNum(F_PROTO_TYPE, type);
  infoSet(); puts('Encapsulated '); putEthertypeName(type); infoDone();
  if (!has(start, end, 7)) { markTruncated(); return; }
  addNum(F_VNI, u24at(start + 4, end));
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  addNum(F_RESERVED, u8at(start + 7, end));
  if (optionsLen > 0 && !dissectOptions(start + HEADER_LEN, optionsLen, end)) return;
  const payload = start + HEADER_LEN + optionsLen;
  if (payload > end) { markTruncated(); return; }
  if (!dispatchEthertype(type, payload, end)) dissectData(payload, end);
}

/** Returns false when the options ran past the captured bytes. */
function dissectOptions(p: u32, len: u32, end: u32): bool {
  if (!has(p, end, len)) { markTruncated(); return false; }
  addBytes(F_OPTIONS, p, len);
  // Each option is at least 4 bytes, so the loop ends within `len`.
  while (len > 0) {
    if (!has(p, end, 4)) { markTruncated(); return false; }
    const optionLen: u32 = 4 + (u8at(p + 3, end) & 0x1f) * 4;
    if (optionLen > len) return true;
    addBytes(F_OPTION, p, optionLen);
    addNum(F_OPTION_CLASS, u16at(p, end));
    const type = u8at(p + 2, end);
    addNum(F_OPTION_TYPE, type);
    addNum(F_OPTION_CRITICAL, (type & 0x80) != 0);
    const flags = u8at(p + 3, end);
    addNum(F_OPTION_FLAGS, flags >> 5);
    addNum(F_OPTION_FLAGS_RESERVED, (flags & 0xe0) != 0);
    addNum(F_OPTION_LENGTH, optionLen);
    addBytes(F_OPTION_DATA, p + 4, optionLen - 4);
    p += optionLen;
    len -= optionLen;
  }
  return true;
}

function putEthertypeName(type: u32): void {
  switch (type) {
    case 0x0800: puts('IPv4'); return;
    case 0x86dd: puts('IPv6'); return;
    case 0x0806: puts('ARP'); return;
    case 0x6558: puts('Transparent Ethernet bridging'); return;
    case 0x8100: puts('802.1Q Virtual LAN'); return;
    case 0x8847: puts('MPLS label switched packet'); return;
    case 0x894f: puts('Network Service Header'); return;
    default: putHex(type, 4); puts(' (unknown)');
  }
}

registerUdpPort(6081, dissectGeneve);
// Ethertype 0x6558 (transparent Ethernet bridging) is Wireshark's Ethernet
// dissector without FCS; Geneve is where it appears in practice.
registerEthertype(0x6558, dissectEthernetWithoutFcs);
