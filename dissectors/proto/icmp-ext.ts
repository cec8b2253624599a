// ICMP multi-part extensions (RFC 4884) after the quoted datagram of an
// ICMP or ICMPv6 error, and in extended echo requests (RFC 8335): MPLS label
// stacks (RFC 4950), interface information (RFC 5837) and interface
// identification (RFC 8335) objects.  Wireshark files these fields under
// icmp, so the ICMP protocol is declared here, ahead of them; icmp.ts, which
// imports this file, declares the rest of its fields after.
import { protocol, uint, flag, ipv4, ipv6, str, bytes, Base } from '../fields';
import { addNum, addBytes, markTruncated, reportedLength } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { addAscii } from './ascii-text';
import { onesComplementAdd, foldChecksum, ChecksumStatus } from './inet-cksum';

export const PROTO_ICMP = protocol('icmp', 'Internet Control Message Protocol');
const F_EXT = flag('icmp.ext', 'ICMP Extensions');
const F_EXT_VERSION = uint('icmp.ext.version', 'Version', 8);
const F_EXT_RESERVED = uint('icmp.ext.res', 'Reserved', 16, Base.HEX);
const F_EXT_CHECKSUM = uint('icmp.ext.checksum', 'Checksum', 16, Base.HEX);
const F_EXT_CHECKSUM_STATUS = uint('icmp.ext.checksum.status', 'Checksum Status', 8);
const F_EXT_LENGTH = uint('icmp.ext.length', 'Length', 16);
const F_EXT_CLASS = uint('icmp.ext.class', 'Class', 8);
const F_EXT_CTYPE = uint('icmp.ext.ctype', 'C-Type', 8);
const F_EXT_DATA = bytes('icmp.ext.data', 'Data');
const F_MPLS_LABEL = uint('icmp.mpls.label', 'Label', 24);
const F_MPLS_EXP = uint('icmp.mpls.exp', 'Experimental', 24);
const F_MPLS_S = flag('icmp.mpls.s', 'Stack bit');
const F_MPLS_TTL = uint('icmp.mpls.ttl', 'Time to live', 8);
const F_MPLS_DATA = bytes('icmp.mpls.data', 'Data');
const F_INFO_ROLE = uint('icmp.int_info.role', 'Interface Role', 8);
const F_INFO_RESERVED = uint('icmp.int_info.reserved', 'Reserved', 8);
const F_INFO_IFINDEX = flag('icmp.int_info.ifindex', 'ifIndex');
const F_INFO_IPADDR = flag('icmp.int_info.ipaddr', 'IP Address');
const F_INFO_NAME_PRESENT = flag('icmp.int_info.name_present', 'Interface Name');
const F_INFO_MTU_PRESENT = flag('icmp.int_info.mtu_present', 'MTU');
const F_INFO_INDEX = uint('icmp.int_info.index', 'Interface Index');
const F_INFO_AFI = uint('icmp.int_info.afi', 'Address Family Identifier', 16);
const F_RESERVED = bytes('icmp.reserved', 'Reserved');
const F_INFO_IPV4 = ipv4('icmp.int_info.ipv4', 'Source');
const F_INFO_IPV6 = ipv6('icmp.int_info.ipv6', 'Source');
const F_INFO_NAME_LENGTH = uint('icmp.int_info.name_length', 'Name Length', 8);
const F_INFO_NAME = str('icmp.int_info.name', 'Name');
const F_INFO_MTU = uint('icmp.int_info.mtu', 'Maximum Transmission Unit');
const F_IDENT_NAME = str('icmp.int_ident.name', 'Name');
const F_IDENT_INDEX = uint('icmp.int_ident.index', 'Interface Index');
const F_IDENT_AFI = uint('icmp.int_ident.afi', 'Address Family Identifier', 16);
const F_IDENT_ADDR_LENGTH = uint('icmp.int_ident.addr_length', 'Address Length', 8);
const F_IDENT_RESERVED = bytes('icmp.int_ident.reserved', 'Reserved');
const F_IDENT_IPV4 = ipv4('icmp.int_ident.ipv4', 'Address');
const F_IDENT_IPV6 = ipv6('icmp.int_ident.ipv6', 'Address');
const F_IDENT_ADDRESS = bytes('icmp.int_ident.address', 'Address');

const CLASS_MPLS_EXTENDED_PAYLOAD: u32 = 0, CLASS_MPLS_STACK: u32 = 1, CLASS_INTERFACE_INFO: u32 = 2;
const CLASS_INTERFACE_IDENT: u32 = 3;

/** The extension at [p, end); false when it is too short or of a version not understood (nothing past its header shown). */
export function dissectIcmpExtension(p: u32, end: u32): bool {
  const length = reportedLength(p, end);
  addNum(F_EXT, 1);
  if (length < 4) return false;
  if (!has(p, end, 4)) { markTruncated(); return true; }
  const version = u8at(p, end) >> 4;
  addNum(F_EXT_VERSION, version);
  addNum(F_EXT_RESERVED, u16at(p, end) & 0x0fff);
  const checksum = u16at(p + 2, end);
  // Verifying reads the whole extension, so one cut short by the snap length ends here.
  if (checksum != 0 && length > end - p) { markTruncated(); return true; }
  addNum(F_EXT_CHECKSUM, checksum);
  if (checksum == 0) addNum(F_EXT_CHECKSUM_STATUS, ChecksumStatus.NOT_PRESENT);
  else addNum(F_EXT_CHECKSUM_STATUS, foldChecksum(onesComplementAdd(p, length, 0)) == 0 ? ChecksumStatus.GOOD : ChecksumStatus.BAD);
  if (version != 1 && version != 2) return false;
  p += 4;
  // Each object is at least its 4-byte header long, so the walk ends.
  while (has(p, end, 4)) {
    const objLength = u16at(p, end);
    const objEnd = end - p > objLength ? p + objLength : end;
    addNum(F_EXT_LENGTH, objLength);
    const klass = u8at(p + 2, end);
    addNum(F_EXT_CLASS, klass);
    const ctype = u8at(p + 3, end);
    if (objLength < 4) break;
    let known = true;
    if (klass == CLASS_MPLS_STACK) known = dissectMplsStack(p, objEnd, end, ctype);
    else if (klass == CLASS_INTERFACE_INFO) known = dissectInterfaceInfo(p, objEnd, end, ctype);
    else if (klass == CLASS_MPLS_EXTENDED_PAYLOAD) known = dissectExtendedPayload(p, objEnd, ctype);
    else if (klass == CLASS_INTERFACE_IDENT) known = dissectInterfaceIdent(p, objLength, end, ctype);
    else known = false;
    if (!known) {
      addNum(F_EXT_CTYPE, ctype);
      if (objEnd - p > 4) addBytes(F_EXT_DATA, p + 4, objEnd - p - 4);
    }
    p = objEnd;
  }
  return true;
}

function dissectMplsStack(p: u32, objEnd: u32, end: u32, ctype: u32): bool {
  addNum(F_EXT_CTYPE, ctype);
  if (ctype != 1) return false;
  let e = p + 4;
  while (e < objEnd && objEnd - e >= 4 && has(e, end, 4)) {
    const b2 = u8at(e + 2, end);
    addNum(F_MPLS_LABEL, (u16at(e, end) << 4) | (b2 >> 4));
    addNum(F_MPLS_EXP, (b2 & 0x0e) >> 1);
    addNum(F_MPLS_S, b2 & 1);
    addNum(F_MPLS_TTL, u8at(e + 3, end));
    e += 4;
  }
  if (e < objEnd) addBytes(F_MPLS_DATA, e, objEnd - e);
  return true;
}

function dissectExtendedPayload(p: u32, objEnd: u32, ctype: u32): bool {
  addNum(F_EXT_CTYPE, ctype);
  if (ctype != 0) return false;
  if (objEnd - p > 4) addBytes(F_EXT_DATA, p + 4, objEnd - p - 4);
  return true;
}

function addString(f: u32, p: u32, n: u32, end: u32): bool {
  if (!has(p, end, n)) { markTruncated(); return false; }
  addAscii(f, p, n);
  return true;
}

/** RFC 5837: the C-Type bits say which sub-objects follow. */
function dissectInterfaceInfo(p: u32, objEnd: u32, end: u32, ctype: u32): bool {
  addNum(F_EXT_CTYPE, ctype);
  addNum(F_INFO_ROLE, ctype >> 6);
  addNum(F_INFO_RESERVED, (ctype >> 4) & 3);
  addNum(F_INFO_IFINDEX, (ctype >> 3) & 1);
  addNum(F_INFO_IPADDR, (ctype >> 2) & 1);
  addNum(F_INFO_NAME_PRESENT, (ctype >> 1) & 1);
  addNum(F_INFO_MTU_PRESENT, ctype & 1);
  let o = p + 4;
  if (ctype & 8) {
    if (!has(o, end, 4)) { markTruncated(); return true; }
    addNum(F_INFO_INDEX, u32at(o, end));
    o += 4;
  }
  if ((ctype & 4) && objEnd >= o + 2) {
    if (!has(o, end, 4)) { markTruncated(); return true; }
    const afi = u16at(o, end);
    addNum(F_INFO_AFI, afi);
    addBytes(F_RESERVED, o + 2, 2);
    o += 4;
    if (afi == 1) {
      if (!has(o, end, 4)) { markTruncated(); return true; }
      addBytes(F_INFO_IPV4, o, 4);
      o += 4;
    } else if (afi == 2) {
      if (!has(o, end, 16)) { markTruncated(); return true; }
      addBytes(F_INFO_IPV6, o, 16);
      o += 16;
    } else return true;
  }
  if (ctype & 2) {
    let nameLength: u32 = 0;
    if (objEnd >= o + 1) {
      nameLength = u8at(o, end);
      addNum(F_INFO_NAME_LENGTH, nameLength);
      o += 1;
    }
    // The length byte counts itself.
    if (objEnd >= o + nameLength && nameLength > 0) {
      if (!addString(F_INFO_NAME, o, nameLength - 1, end)) return true;
      o += nameLength - 1;
    }
  }
  if (ctype & 1) {
    if (!has(o, end, 4)) { markTruncated(); return true; }
    addNum(F_INFO_MTU, u32at(o, end));
  }
  return true;
}

/** RFC 8335: the interface an extended echo request asks about, by name, index or address. */
function dissectInterfaceIdent(p: u32, objLength: u32, end: u32, ctype: u32): bool {
  if (end - p < 5) return false;
  addNum(F_EXT_CTYPE, ctype);
  let o = p + 4;
  if (ctype == 1) {
    addString(F_IDENT_NAME, o, objLength - 4, end);
  } else if (ctype == 2) {
    if (!has(o, end, 4)) { markTruncated(); return true; }
    addNum(F_IDENT_INDEX, u32at(o, end));
  } else if (ctype == 3) {
    if (!has(o, end, 4)) { markTruncated(); return true; }
    const afi = u16at(o, end);
    let addrLength = u8at(o + 2, end);
    addNum(F_IDENT_AFI, afi);
    addNum(F_IDENT_ADDR_LENGTH, addrLength);
    addBytes(F_IDENT_RESERVED, o + 3, 1);
    o += 4;
    if (afi == 1) {
      for (; addrLength >= 4 && has(o, end, 4); addrLength -= 4, o += 4) addBytes(F_IDENT_IPV4, o, 4);
    } else if (afi == 2) {
      for (; addrLength >= 16 && has(o, end, 16); addrLength -= 16, o += 16) addBytes(F_IDENT_IPV6, o, 16);
    } else if (o <= end) {
      addBytes(F_IDENT_ADDRESS, o, end - o);
    }
  }
  return true;
}
