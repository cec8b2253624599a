// Link Layer Discovery Protocol (IEEE 802.1AB), ethertype 0x88cc: a list of
// TLVs, each a 7-bit type and a 9-bit length.  The info column is tshark's:
// chassis and port identifiers as "<subtype>/<id>", the time to live, the
// system name and description; a mandatory TLV that is missing or broken
// replaces it with "Invalid ... TLV", a repeated one with "Duplicate ... TLV".
// Organisation-specific TLVs are named by their OUI and not dissected further.
import { protocol, uint, ether, ipv4, ipv6, str, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, markOverrun, setDatagramEnd } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerEthertype } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putEther, putIPv4, putIPv6, putHexBytes } from '../text';
import { addAscii } from './ascii-text';
import { putFormatText } from '../format-text';

const PROTO_LLDP = protocol('lldp', 'Link Layer Discovery Protocol');
const F_TLV_TYPE = uint('lldp.tlv.type', 'TLV Type', 16);
const F_TLV_LEN = uint('lldp.tlv.len', 'TLV Length', 16);
const F_CHASSIS_SUBTYPE = uint('lldp.chassis.subtype', 'Chassis Id Subtype', 8);
const F_CHASSIS_ID = bytes('lldp.chassis.id', 'Chassis Id');
const F_CHASSIS_MAC = ether('lldp.chassis.id.mac', 'Chassis Id');
const F_CHASSIS_IP4 = ipv4('lldp.chassis.id.ip4', 'Chassis Id');
const F_CHASSIS_IP6 = ipv6('lldp.chassis.id.ip6', 'Chassis Id');
const F_PORT_SUBTYPE = uint('lldp.port.subtype', 'Port Id Subtype', 8);
const F_PORT_ID = str('lldp.port.id', 'Port Id', Base.FINAL_TEXT);
const F_PORT_MAC = ether('lldp.port.id.mac', 'Port Id');
const F_PORT_IP4 = ipv4('lldp.port.id.ip4', 'Port Id');
const F_PORT_IP6 = ipv6('lldp.port.id.ip6', 'Port Id');
const F_TTL = uint('lldp.time_to_live', 'Seconds', 16);
const F_PORT_DESC = str('lldp.port.desc', 'Port Description', Base.FINAL_TEXT);
const F_SYSTEM_NAME = str('lldp.tlv.system.name', 'System Name', Base.FINAL_TEXT);
const F_SYSTEM_DESC = str('lldp.tlv.system.desc', 'System Description', Base.FINAL_TEXT);
const F_SYSTEM_CAP = uint('lldp.tlv.system_cap', 'Capabilities', 16, Base.HEX);
const F_ENABLED_CAP = uint('lldp.tlv.enable_system_cap', 'Enabled Capabilities', 16, Base.HEX);
const F_MGMT_LEN = uint('lldp.mgn.address.len', 'Address String Length', 8);
const F_MGMT_SUBTYPE = uint('lldp.mgn.address.subtype', 'Address Subtype', 8);
const F_MGMT_IP4 = ipv4('lldp.mgn.addr.ip4', 'Management Address');
const F_MGMT_IP6 = ipv6('lldp.mgn.addr.ip6', 'Management Address');
const F_MGMT_HEX = bytes('lldp.mgn.addr.hex', 'Management Address');
const F_MGMT_IF_SUBTYPE = uint('lldp.mgn.interface.subtype', 'Interface Subtype', 8);
const F_MGMT_IF_NUMBER = uint('lldp.mgn.interface.number', 'Interface Number', 32);
const F_MGMT_OID_LEN = uint('lldp.mgn.obj.len', 'OID String Length', 8);
const F_ORG_OUI = uint('lldp.orgtlv.oui', 'Organization Unique Code', 24);

const enum Tlv {
  END = 0, CHASSIS_ID = 1, PORT_ID = 2, TTL = 3, PORT_DESC = 4, SYSTEM_NAME = 5,
  SYSTEM_DESC = 6, CAPABILITIES = 7, MANAGEMENT = 8, ORGANIZATION = 127,
}

const TLV_HEADER: u32 = 2;
/** The one-letter-pair abbreviations of the info column, by chassis and by port subtype. */
const CHASSIS_ABBREV: StaticArray<string> = ['Rs', 'CC', 'IA', 'PC', 'MA', 'NA', 'IN', 'LA'];
const PORT_ABBREV: StaticArray<string> = ['Rs', 'IA', 'PC', 'MA', 'NA', 'IN', 'AC', 'LA'];
const CHASSIS_MAC: u32 = 4;
const CHASSIS_NETWORK: u32 = 5;
const CHASSIS_PORT_COMPONENT: u32 = 3;
const PORT_MAC: u32 = 3;
const PORT_NETWORK: u32 = 4;
const PORT_COMPONENT: u32 = 2;
const FAMILY_IPV4: u32 = 1;
const FAMILY_IPV6: u32 = 2;
const MAX_ID_LEN: u32 = 256;
/** As bytes_to_str: at most this many bytes in hex, then an ellipsis. */
const MAX_HEX_BYTES: u32 = 36;

/** What a TLV's handler leaves for the loop: go on after it, or stop. */
const STOP: i32 = -1;
/** An identifier TLV's results other than its end: it ran past the bytes (marked), or tshark finds it invalid. */
const BROKEN: u32 = 0;
const INVALID: u32 = 1;

/** Adds a TLV's type and length; gives the end of its value, or 0 when the header or the value runs past `end`. */
function tlvHeader(p: u32, end: u32): u32 {
  const word = u16at(p, end);
  if (!has(p, end, TLV_HEADER)) return 0;
  // tshark bounds each TLV before it adds any of its fields.
  const valueEnd = p + TLV_HEADER + (word & 0x1ff);
  if (valueEnd > end) { markOverrun(end, valueEnd); return 0; }
  addNum(F_TLV_TYPE, word >> 9);
  addNum(F_TLV_LEN, word & 0x1ff);
  return valueEnd;
}

/** tvb_format_stringzpad: the text up to its first NUL, escaped as format_text does. */
function putPaddedText(p: u32, n: u32): void {
  let len: u32 = 0;
  while (len < n && load<u8>(p + len) != 0) len++;
  putFormatText(p, len);
}

function putHexLimited(p: u32, n: u32): void {
  if (n <= MAX_HEX_BYTES) { putHexBytes(p, n); return; }
  putHexBytes(p, MAX_HEX_BYTES);
  puts('…');
}

/**
 * A network address identifier (family byte, then the address): gives false
 * when an IPv4 or IPv6 address has the wrong length, as tshark rejects it.
 */
function networkId(p: u32, valueEnd: u32, fIp4: u32, fIp6: u32, fRaw: u32): bool {
  const family = u8at(p, valueEnd);
  const n = valueEnd - p - 1;
  if (family == FAMILY_IPV4) {
    if (n != 4) return false;
    addBytes(fIp4, p + 1, 4);
    putIPv4(p + 1);
  } else if (family == FAMILY_IPV6) {
    if (n != 16) return false;
    addBytes(fIp6, p + 1, 16);
    putIPv6(p + 1);
  } else {
    addBytes(fRaw, p + 1, n);
    putHexLimited(p + 1, n);
  }
  return true;
}

/**
 * The chassis or port identifier TLV; `isPort` picks the subtype numbering.
 * Appends "<abbrev>/<id> " to the info column; gives the end of the TLV, BROKEN or INVALID.
 */
function identifier(p: u32, end: u32, isPort: bool): u32 {
  const type = u16at(p, end) >> 9;
  if (!has(p, end, TLV_HEADER)) return BROKEN;
  if (type != (isPort ? Tlv.PORT_ID : Tlv.CHASSIS_ID)) return INVALID;
  const valueEnd = tlvHeader(p, end);
  if (valueEnd == 0) return BROKEN;
  const v = p + TLV_HEADER;
  const n = valueEnd - v;
  if (n < 2) return INVALID;
  const subtype = u8at(v, valueEnd);
  addNum(isPort ? F_PORT_SUBTYPE : F_CHASSIS_SUBTYPE, subtype);
  const macSubtype = isPort ? PORT_MAC : CHASSIS_MAC;
  const networkSubtype = isPort ? PORT_NETWORK : CHASSIS_NETWORK;
  if ((subtype == macSubtype && n != 7) || (subtype != macSubtype && subtype != networkSubtype && n > MAX_ID_LEN)) return INVALID;
  const id = v + 1;
  const idLen = n - 1;
  infoAppend();
  puts(unchecked((isPort ? PORT_ABBREV : CHASSIS_ABBREV)[subtype < 8 ? subtype : 0]));
  putc(0x2f);
  if (subtype == macSubtype) {
    addBytes(isPort ? F_PORT_MAC : F_CHASSIS_MAC, id, 6);
    putEther(id);
  } else if (subtype == networkSubtype) {
    const ok = isPort
      ? networkId(id, valueEnd, F_PORT_IP4, F_PORT_IP6, F_PORT_ID)
      : networkId(id, valueEnd, F_CHASSIS_IP4, F_CHASSIS_IP6, F_CHASSIS_ID);
    if (!ok) { infoDone(); return INVALID; }
  } else {
    if (isPort) addAscii(F_PORT_ID, id, idLen); else addBytes(F_CHASSIS_ID, id, idLen);
    if (subtype == 0 || subtype >= 8) puts('Reserved');
    else if (subtype == (isPort ? PORT_COMPONENT : CHASSIS_PORT_COMPONENT)) putHexLimited(id, idLen);
    else putPaddedText(id, idLen);
  }
  putc(0x20);
  infoDone();
  return valueEnd;
}

/** The time to live TLV: gives its end, or BROKEN. */
function timeToLive(p: u32, end: u32): u32 {
  const valueEnd = tlvHeader(p, end);
  if (valueEnd == 0) return BROKEN;
  const seconds = u16at(p + TLV_HEADER, valueEnd);
  if (!has(p + TLV_HEADER, valueEnd, 2)) return BROKEN;
  infoAppend(); putDec(seconds); putc(0x20); infoDone();
  addNum(F_TTL, seconds);
  return valueEnd;
}

function systemText(type: u32, v: u32, valueEnd: u32): void {
  const n = valueEnd - v;
  infoAppend();
  puts(type == Tlv.SYSTEM_NAME ? 'SysN=' : 'SysD=');
  putPaddedText(v, n);
  putc(0x20);
  infoDone();
  addAscii(type == Tlv.SYSTEM_NAME ? F_SYSTEM_NAME : F_SYSTEM_DESC, v, n);
}

function capabilities(v: u32, valueEnd: u32): void {
  addNum(F_SYSTEM_CAP, u16at(v, valueEnd));
  addNum(F_ENABLED_CAP, u16at(v + 2, valueEnd));
}

function managementAddress(v: u32, valueEnd: u32): void {
  const addrLen = u8at(v, valueEnd);
  const subtype = u8at(v + 1, valueEnd);
  if (!has(v, valueEnd, 2)) return;
  addNum(F_MGMT_LEN, addrLen);
  addNum(F_MGMT_SUBTYPE, subtype);
  const a = v + 2;
  if (subtype == FAMILY_IPV4) {
    if (!has(a, valueEnd, 4)) { markTruncated(); return; }
    addBytes(F_MGMT_IP4, a, 4);
  } else if (subtype == FAMILY_IPV6) {
    if (!has(a, valueEnd, 16)) { markTruncated(); return; }
    addBytes(F_MGMT_IP6, a, 16);
  } else {
    if (addrLen == 0 || !has(a, valueEnd, addrLen - 1)) { markTruncated(); return; }
    addBytes(F_MGMT_HEX, a, addrLen - 1);
  }
  // The address string length counts the subtype byte.
  const q = a + addrLen - 1;
  const ifSubtype = u8at(q, valueEnd);
  const ifNumber = u32at(q + 1, valueEnd);
  const oidLen = u8at(q + 5, valueEnd);
  if (!has(q, valueEnd, 6)) return;
  addNum(F_MGMT_IF_SUBTYPE, ifSubtype);
  addNum(F_MGMT_IF_NUMBER, ifNumber);
  addNum(F_MGMT_OID_LEN, oidLen);
  if (!has(q + 6, valueEnd, oidLen)) markTruncated();
}

/** An optional TLV: gives where the next starts, or STOP after the end TLV, a repeated mandatory one or damage. */
function optionalTlv(p: u32, end: u32): i32 {
  const type = u16at(p, end) >> 9;
  if (!has(p, end, TLV_HEADER)) return STOP;
  if (type == Tlv.CHASSIS_ID || type == Tlv.PORT_ID || type == Tlv.TTL) {
    const r = type == Tlv.TTL ? timeToLive(p, end) : identifier(p, end, type == Tlv.PORT_ID);
    if (r == BROKEN) return STOP;
    infoSet();
    puts(type == Tlv.CHASSIS_ID ? 'Duplicate Chassis ID TLV' : type == Tlv.PORT_ID ? 'Duplicate Port ID TLV' : 'Duplicate Time-To-Live TLV');
    infoDone();
    return STOP;
  }
  const valueEnd = tlvHeader(p, end);
  if (valueEnd == 0 || type == Tlv.END) return STOP;
  const v = p + TLV_HEADER;
  switch (type) {
    case Tlv.PORT_DESC: addAscii(F_PORT_DESC, v, valueEnd - v); break;
    case Tlv.SYSTEM_NAME:
    case Tlv.SYSTEM_DESC: systemText(type, v, valueEnd); break;
    case Tlv.CAPABILITIES: capabilities(v, valueEnd); break;
    case Tlv.MANAGEMENT: managementAddress(v, valueEnd); break;
    case Tlv.ORGANIZATION: {
      const oui = (u16at(v, valueEnd) << 8) | u8at(v + 2, valueEnd);
      if (has(v, valueEnd, 3)) addNum(F_ORG_OUI, oui);
      break;
    }
    default: break;
  }
  return <i32>valueEnd;
}

function invalid(what: string): void {
  infoSet(); puts(what); infoDone();
}

export function dissectLldp(start: u32, end: u32): void {
  setProtocolColumn('LLDP');
  infoSet(); infoDone();
  beginLayer(PROTO_LLDP);
  let p = identifier(start, end, false);
  if (p == BROKEN) return;
  if (p == INVALID) { invalid('Invalid Chassis ID TLV'); return; }
  p = identifier(p, end, true);
  if (p == BROKEN) return;
  if (p == INVALID) { invalid('Invalid Port ID TLV'); return; }
  // As tshark, a TLV that runs past the frame is damage before it is the wrong type.
  const word = u16at(p, end);
  if (!has(p, end, TLV_HEADER)) return;
  const ttlEnd = p + TLV_HEADER + (word & 0x1ff);
  if (ttlEnd > end) { markOverrun(end, ttlEnd); return; }
  if ((word >> 9) != Tlv.TTL) { invalid('Invalid Time-to-Live TLV'); return; }
  p = timeToLive(p, end);
  if (p == BROKEN) return;
  for (;;) {
    // tshark 4.0's LLDP, stopping at its End TLV or a repeated mandatory
    // one, says it ends one byte before that TLV: in an Ethernet frame, the
    // byte and what follows are trailer (or padding).
    const type = has(p, end, TLV_HEADER) ? u16at(p, end) >> 9 : -1;
    if (type == Tlv.END || type == Tlv.CHASSIS_ID || type == Tlv.PORT_ID || type == Tlv.TTL) setDatagramEnd(start, p - 1);
    const next = optionalTlv(p, end);
    if (next == STOP) return;
    p = <u32>next;
  }
}

registerEthertype(0x88cc, dissectLldp);
