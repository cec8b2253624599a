// LISP control plane (RFC 6830/9301) on UDP 4342, as tshark 4.0 shows it:
// the message type ("Map-Register", "Map-Notify", ...), " (RTR)" for a
// Map-Register or Map-Notify built for an RTR, and " for EID/len" when such a
// message holds a single mapping record.  Map-Register, Map-Notify and
// Map-Reply are walked as tshark walks them (authentication data, records,
// locators, xTR-ID and Site-ID, MS-RTR authentication) to find where the walk
// passes the datagram, which makes it malformed.  Map-Request shows its flags
// and header; other types their name only.  Not done: LCAF addresses in the
// info column, distinguished-name AFIs, the bodies of Map-Request,
// Map-Referral, Info and ECM.  LISP data on UDP 4341: the 8-byte
// encapsulation header (its fields are not offered) and the IPv4 or IPv6
// packet after it; a datagram to 4342 is control, one below 8 bytes stays UDP's.
import { protocol, uint, ipv4, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { registerUdpPort, registerUdpPortTry, dispatchEthertype, udpDstPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putIPv4, putIPv6, putEther, putTableName } from '../text';
import { has, be16, be32, lacks } from '../cursor';

const PROTO_LISP = protocol('lisp', 'Locator/ID Separation Protocol');
const PROTO_LISP_DATA = protocol('lisp-data', 'Locator/ID Separation Protocol (Data)');
const F_TYPE = uint('lisp.type', 'Type', 4);
const F_RECORDS = uint('lisp.records', 'Record Count', 8);
const F_NONCE = uint('lisp.nonce', 'Nonce', 64, Base.HEX);
const F_KEYID = uint('lisp.keyid', 'Key ID', 16, Base.HEX);
const F_AUTHLEN = uint('lisp.authlen', 'Authentication Data Length', 16);
const F_MAPPING_TTL = uint('lisp.mapping.ttl', 'Record TTL', 32);
const F_MAPPING_EID_IPV4 = ipv4('lisp.mapping.eid.ipv4', 'EID Prefix');

const MAP_REQUEST: u32 = 1;
const MAP_REPLY: u32 = 2;
const MAP_REGISTER: u32 = 3;
const MAP_NOTIFY: u32 = 4;
const AFI_NONE: u32 = 0;
const AFI_IPV4: u32 = 1;
const AFI_IPV6: u32 = 2;
const AFI_802: u32 = 6;
const AFI_EUI48: u32 = 16389;
const AFI_LCAF: u32 = 16387;
const LCAF_HEADER: u32 = 6;
const XTR_ID_AND_SITE_ID: u32 = 24;
// Set by lispAddressLength: no address tshark can decode under that AFI.
const UNKNOWN_AFI: u32 = 0xffffffff;

/** The bytes the address of family `afi` at p takes, as tshark reckons them, or UNKNOWN_AFI; addressReadable is false when tshark's reading of it passes end. */
let addressReadable = true;
function lispAddressLength(p: u32, end: u32, afi: u32): u32 {
  addressReadable = true;
  if (afi == AFI_NONE) return 0;
  if (afi == AFI_IPV4) { addressReadable = has(p, end, 4); return 4; }
  if (afi == AFI_IPV6) { addressReadable = has(p, end, 16); return 16; }
  if (afi == AFI_802 || afi == AFI_EUI48) { addressReadable = has(p, end, 6); return 6; }
  if (afi == AFI_LCAF) {
    if (!has(p, end, LCAF_HEADER)) { addressReadable = false; return LCAF_HEADER; }
    return be16(p + 4) + LCAF_HEADER;
  }
  return UNKNOWN_AFI;
}

function putAddress(p: u32, afi: u32): void {
  if (afi == AFI_NONE) puts('not set');
  else if (afi == AFI_IPV4) putIPv4(p);
  else if (afi == AFI_IPV6) putIPv6(p);
  else putEther(p);
}

/** One mapping record at p with its locators; returns the offset after it, or 0 when a read passed end (already marked). */
function walkMapping(p: u32, end: u32, recordCount: u32): u32 {
  if (lacks(p, end, 12)) return 0;
  const maskLength = <u32>load<u8>(p + 5);
  const afi = be16(p + 10);
  const addressLength = lispAddressLength(p + 12, end, afi);
  if (addressLength == UNKNOWN_AFI) return p;
  if (!addressReadable) { markReadPast(end, p + 12 + addressLength); return 0; }
  if (recordCount == 1 && afi != AFI_LCAF) {
    infoAppend(); puts(' for '); putAddress(p + 12, afi); putc(0x2f); putDec(maskLength); infoDone();
  }
  addNum(F_MAPPING_TTL, be32(p));
  if (afi == AFI_IPV4) addNum(F_MAPPING_EID_IPV4, p + 12);
  const locatorCount = <u32>load<u8>(p + 4);
  p += 12 + (afi == AFI_NONE ? 0 : addressLength);
  for (let i: u32 = 0; i < locatorCount; i++) {
    if (p > end) { markReadPast(end, p); return 0; }
    if (lacks(p, end, 8)) return 0;
    const locatorAfi = be16(p + 6);
    const locatorLength = lispAddressLength(p + 8, end, locatorAfi);
    if (locatorLength == UNKNOWN_AFI) { p += 8; continue; }
    if (!addressReadable) { markReadPast(end, p + 8 + locatorLength); return 0; }
    p += 8 + locatorLength;
  }
  return p;
}

/** Map-Register (xTR-ID flag 0x02, RTR 0x01 in the first byte) and Map-Notify (0x08, 0x04). */
function walkRegisterOrNotify(start: u32, end: u32, notify: bool): void {
  if (lacks(start, end, 2)) return;
  const flags = <u32>load<u8>(start);
  const hasXtrId = (flags & (notify ? 0x08 : 0x02)) != 0;
  const builtForRtr = (flags & (notify ? 0x04 : 0x01)) != 0;
  if (builtForRtr) { infoAppend(); puts(' (RTR)'); infoDone(); }
  if (lacks(start + 3, end, 1)) return;
  const recordCount = <u32>load<u8>(start + 3);
  addNum(F_RECORDS, recordCount);
  if (lacks(start + 4, end, 8)) return;
  addNum(F_NONCE, (<u64>be32(start + 4) << 32) | <u64>be32(start + 8));
  if (lacks(start + 12, end, 2)) return;
  addNum(F_KEYID, be16(start + 12));
  if (lacks(start + 14, end, 2)) return;
  const authLength = be16(start + 14);
  addNum(F_AUTHLEN, authLength);
  let p = start + 16 + authLength;
  if (lacks(start + 16, end, authLength)) return;
  for (let i: u32 = 0; i < recordCount; i++) {
    p = walkMapping(p, end, recordCount);
    if (p == 0) return;
  }
  if (hasXtrId) p += XTR_ID_AND_SITE_ID;
  if (notify && builtForRtr) {
    if (lacks(p + 2, end, 2)) return;
    p += 4 + be16(p + 2);
  }
  if (p > end) markReadPast(end, p);
}

/** The record count and nonce that Map-Request, Map-Reply and Map-Referral start with; false when a read passed end. */
function recordsAndNonce(start: u32, end: u32): bool {
  if (lacks(start + 3, end, 1)) return false;
  addNum(F_RECORDS, <u32>load<u8>(start + 3));
  if (lacks(start + 4, end, 8)) return false;
  addNum(F_NONCE, (<u64>be32(start + 4) << 32) | <u64>be32(start + 8));
  return true;
}

function appendInfo(s: string): void { infoAppend(); puts(s); infoDone(); }

/** Map-Request: its flags in the info column and its header; the body is not walked. */
function mapRequestHeader(start: u32, end: u32): void {
  if (lacks(start, end, 2)) return;
  const flags = (<u32>load<u8>(start) << 8) | <u32>load<u8>(start + 1);
  if ((flags & 0x0080) != 0) appendInfo(' by P-ITR');
  if ((flags & 0x0100) != 0) appendInfo(' (SMR)');
  if ((flags & 0x0200) != 0) appendInfo(' (RLOC-probe)');
  if ((flags & 0x0040) != 0) appendInfo(' (SMR-invoked)');
  recordsAndNonce(start, end);
}

function walkMapReply(start: u32, end: u32): void {
  if ((<u32>load<u8>(start) & 0x08) != 0) appendInfo(' (RLOC-probe reply)');
  if (!recordsAndNonce(start, end)) return;
  const recordCount = <u32>load<u8>(start + 3);
  let p = start + 12;
  for (let i: u32 = 0; i < recordCount; i++) {
    p = walkMapping(p, end, recordCount);
    if (p == 0) return;
  }
  if (p > end) markReadPast(end, p);
}

function dissectLisp(start: u32, end: u32): void {
  // tshark clears the info column before it reads the type.
  if (lacks(start, end, 1)) { infoSet(); infoDone(); return; }
  const type = <u32>load<u8>(start) >> 4;
  setProtocolColumn('LISP');
  infoSet();
  if (type >= 1 && type <= 8 && type != 5) putTableName(TYPES, type);
  else { puts('Unknown LISP Control Packet ('); putDec(type); putc(0x29); }
  infoDone();
  beginLayer(PROTO_LISP);
  if (lacks(start, end, 3)) return;
  addNum(F_TYPE, type);
  if (type == MAP_REGISTER || type == MAP_NOTIFY) walkRegisterOrNotify(start, end, type == MAP_NOTIFY);
  else if (type == MAP_REPLY) walkMapReply(start, end);
  else if (type == MAP_REQUEST) mapRequestHeader(start, end);
}

const TYPES: StaticArray<string> = ['', 'Map-Request', 'Map-Reply', 'Map-Register', 'Map-Notify', '', 'Map-Referral', 'Info', 'Encapsulated Control Message'];

const DATA_HEADER: u32 = 8;

function dissectLispData(start: u32, end: u32): bool {
  if (udpDstPort == 4342) { dissectLisp(start, end); return true; }
  if (reportedLength(start, end) < DATA_HEADER) return false;
  setProtocolColumn('LISP');
  infoSet(); puts('LISP Encapsulation Header'); infoDone();
  beginLayer(PROTO_LISP_DATA);
  if (lacks(start, end, DATA_HEADER)) return true;
  const inner = start + DATA_HEADER;
  if (lacks(inner, end, 1)) return true;
  const version = <u32>load<u8>(inner) >> 4;
  if (version == 4) dispatchEthertype(0x0800, inner, end);
  else if (version == 6) dispatchEthertype(0x86dd, inner, end);
  return true;
}

registerUdpPort(4342, dissectLisp);
registerUdpPortTry(4341, dissectLispData);
