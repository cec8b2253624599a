// Point-to-Point Protocol (RFC 1661): link types 9 and 50 (PPP in HDLC-like
// framing, address ff and control 03 when not compressed away) and 204 (the
// same after a one-byte direction).  dissectPpp is the bare protocol-field
// form that PPPoE and PPTP's GRE carry.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, setProtocolColumnHex, markTruncated, setAddresses, srcKind, AddrKind, LinkLabel } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putHex } from '../text';
import { dissectData } from './frame';
import { dissectChdlcWithDirection } from './chdlc';
import { dissectControlProtocolNumber } from './ppp-lcp';
import { dissectPap, dissectChap } from './ppp-auth';

const PROTO_PPP = protocol('ppp', 'Point-to-Point Protocol');
const F_DIRECTION = uint('ppp.direction', 'Direction', 8);
const F_ADDRESS = uint('ppp.address', 'Address', 8, Base.HEX);
const F_CONTROL = uint('ppp.control', 'Control', 8, Base.HEX);
const F_PROTOCOL = uint('ppp.protocol', 'Protocol', 16, Base.HEX);

// Cisco HDLC frames start with 0x0f (unicast) or 0x8f (multicast) where PPP has ff.
const CHDLC_UNICAST: u32 = 0x0f;
const CHDLC_MULTICAST: u32 = 0x8f;

/** PPP with optional HDLC address and control bytes (Wireshark's "ppp_hdlc"). */
export function dissectPppHdlc(start: u32, end: u32): void {
  dissectPppHdlcWithDirection(start, end, -1);
}

/** PPP from its protocol field on, as carried in PPPoE and enhanced GRE. */
export function dissectPpp(start: u32, end: u32): void {
  beginLayer(PROTO_PPP);
  dissectProtocolField(start, end, -1);
}

function dissectPppWithDirection(start: u32, end: u32): void {
  if (!has(start, end, 1)) { beginLayer(PROTO_PPP); markTruncated(); return; }
  // The pseudo-header: 0 received (Wireshark's direction 1), anything else sent (0).
  dissectPppHdlcWithDirection(start + 1, end, u8at(start, end) != 0 ? 0 : 1);
}

/** `direction` is Wireshark's ppp.direction (1 received, 0 sent), or -1 when the capture does not say. */
export function dissectPppHdlcWithDirection(start: u32, end: u32, direction: i32): void {
  beginLayer(PROTO_PPP);
  if (!has(start, end, 1)) { markTruncated(); return; }
  const first = u8at(start, end);
  if (first == CHDLC_UNICAST || first == CHDLC_MULTICAST) {
    dissectChdlcWithDirection(start, end, direction);
    return;
  }
  setProtocolColumn('PPP');
  // A serial link has no addresses: tshark names its ends by direction, N/A
  // when unknown (a network layer inside replaces them; an outer one is kept).
  if (srcKind == AddrKind.NONE) {
    if (direction < 0) setAddresses(AddrKind.LABEL, LinkLabel.NA, LinkLabel.NA);
    else if (direction == 1) setAddresses(AddrKind.LABEL, LinkLabel.DCE, LinkLabel.DTE);
    else setAddresses(AddrKind.LABEL, LinkLabel.DTE, LinkLabel.DCE);
  }
  if (first == 0xff) {
    addNum(F_ADDRESS, first);
    if (!has(start, end, 2)) { markTruncated(); return; }
    addNum(F_CONTROL, u8at(start + 1, end));
    start += 2;
  }
  dissectProtocolField(start, end, direction);
}

function dissectProtocolField(start: u32, end: u32, direction: i32): void {
  if (direction >= 0) addNum(F_DIRECTION, direction);
  if (!has(start, end, 1)) { markTruncated(); return; }
  // Protocol-field compression: an odd first byte is the whole (one-byte) field.
  let proto = u8at(start, end);
  let len: u32 = 1;
  if ((proto & 1) == 0) {
    if (!has(start, end, 2)) { markTruncated(); return; }
    proto = u16at(start, end);
    len = 2;
  }
  addNum(F_PROTOCOL, proto);
  const payload = start + len;
  if (handOff(proto, payload, end)) return;
  setProtocolColumnHex(proto);
  infoSet(); puts('PPP '); puts(protocolName(proto)); puts(' ('); putHex(proto, 4); puts(')'); infoDone();
  dissectData(payload, end);
}

function handOff(proto: u32, start: u32, end: u32): bool {
  switch (proto) {
    case 0x0021: return dispatchEthertype(0x0800, start, end);
    case 0x0057: return dispatchEthertype(0x86dd, start, end);
    case 0x0281: return dispatchEthertype(0x8847, start, end);
    case 0x0283: return dispatchEthertype(0x8848, start, end);
    case 0xc023: dissectPap(start, end); return true;
    case 0xc223: dissectChap(start, end); return true;
    default: return dissectControlProtocolNumber(proto, start, end);
  }
}

/** Names from Wireshark's PPP protocol table for the values xcap does not decode further. */
function protocolName(proto: u32): string {
  switch (proto) {
    case 0x0021: return 'Internet Protocol version 4';
    case 0x0057: return 'Internet Protocol version 6';
    case 0x0023: return 'OSI Network Layer';
    case 0x0029: return 'Appletalk';
    case 0x002b: return 'Novell IPX';
    case 0x002d: return 'Van Jacobson Compressed TCP/IP';
    case 0x002f: return 'Van Jacobson Uncompressed TCP/IP';
    case 0x0031: return 'Bridging PDU';
    case 0x003d: return 'Multi-Link';
    case 0x00fd: return 'Compressed datagram';
    case 0x0281: return 'MPLS Unicast';
    case 0x0283: return 'MPLS Multicast';
    case 0x8021: return 'Internet Protocol Control Protocol';
    case 0x8057: return 'IPv6 Control Protocol';
    case 0x80fd: return 'Compression Control Protocol';
    case 0xc021: return 'Link Control Protocol';
    case 0xc023: return 'Password Authentication Protocol';
    case 0xc025: return 'Link Quality Report';
    case 0xc223: return 'Challenge Handshake Authentication Protocol';
    default: return 'Unknown';
  }
}

registerLinktype(9, dissectPppHdlc);
registerLinktype(50, dissectPppHdlc);
registerLinktype(204, dissectPppWithDirection);
