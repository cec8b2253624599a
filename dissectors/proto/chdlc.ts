// Cisco HDLC (link type 104, and PPP link types whose frames start with
// 0x0f / 0x8f): address, control, then a 16-bit protocol that is mostly an
// ethertype.  Wireshark looks it up in its own "chdlc.protocol" table: IP,
// IPv6, MPLS, IPX, DEC DNA and bridged Ethernet, CDP and UDLD, SLARP (0x8035)
// and OSI (0xfefe: CLNP, ES-IS, IS-IS), and names the
// link's ends by direction (N/A when the capture does not say).
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, setProtocolColumnHex, markTruncated, setAddresses, srcKind, AddrKind, LinkLabel } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerLinktype, dispatchEthertype, dispatchCiscoPid } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { dissectData } from './frame';
import { dissectSlarp } from './slarp';
import { dissectOsi } from './osi';

const PROTO_CHDLC = protocol('chdlc', 'Cisco HDLC');
const F_ADDRESS = uint('chdlc.address', 'Address', 8, Base.HEX);
const F_CONTROL = uint('chdlc.control', 'Control', 8, Base.HEX);
const F_PROTOCOL = uint('chdlc.protocol', 'Protocol', 16, Base.HEX);

const F_CLNS_PADDING = uint('chdlc.clns_padding', 'CLNS Padding', 8, Base.HEX);

const HEADER_LEN: u32 = 4;
const SLARP: u32 = 0x8035;
// Cisco's own protocols, numbered as in its SNAP table.
const CISCO_CDP: u32 = 0x2000, CISCO_UDLD: u32 = 0x0111;
const OSI: u32 = 0xfefe;
// NLPIDs that start an OSI packet without the padding byte Cisco HDLC usually puts first.
const NLPID_CLNP: u32 = 0x81, NLPID_ESIS: u32 = 0x82, NLPID_ISIS: u32 = 0x83;

export function dissectChdlc(start: u32, end: u32): void {
  dissectChdlcWithDirection(start, end, -1);
}

/** `direction` as PPP's: 1 received, 0 sent, -1 unknown. */
export function dissectChdlcWithDirection(start: u32, end: u32, direction: i32): void {
  setProtocolColumn('CHDLC');
  infoSet(); infoDone();
  if (srcKind == AddrKind.NONE) {
    if (direction < 0) setAddresses(AddrKind.LABEL, LinkLabel.NA, LinkLabel.NA);
    else if (direction == 1) setAddresses(AddrKind.LABEL, LinkLabel.DCE, LinkLabel.DTE);
    else setAddresses(AddrKind.LABEL, LinkLabel.DTE, LinkLabel.DCE);
  }
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  beginLayer(PROTO_CHDLC);
  addNum(F_ADDRESS, u8at(start, end));
  addNum(F_CONTROL, u8at(start + 1, end));
  const proto = u16at(start + 2, end);
  addNum(F_PROTOCOL, proto);
  dissectChdlcProtocol(proto, start + HEADER_LEN, end);
}

/** Whether Wireshark's "chdlc.protocol" table names `proto` (Frame Relay asks, to tell Cisco's encapsulation from others). */
export function isChdlcProtocol(proto: u32): bool {
  switch (proto) {
    case 0x0600: case 0x0800: case 0x0111: case 0x2000: case 0x4242: case 0x6003: case 0x6558: case 0x8035:
    case 0x8038: case 0x809b: case 0x80f3: case 0x8137: case 0x86dd: case 0x8847: case 0x8848: case OSI:
      return true;
    default:
      return false;
  }
}

/** The payload after a Cisco HDLC protocol type (Wireshark's chdlctype), also under Frame Relay. */
export function dissectChdlcProtocol(proto: u32, payload: u32, end: u32): void {
  // tshark peeks at the first payload byte (for OSI padding) before handing off.
  if (!has(payload, end, 1)) { markTruncated(); return; }
  let claimed = false;
  if (proto == 0x0800 || proto == 0x86dd || proto == 0x8847 || proto == 0x8848 || proto == 0x8137 || proto == 0x6003 || proto == 0x6558) {
    claimed = dispatchEthertype(proto, payload, end);
  } else if (proto == CISCO_CDP || proto == CISCO_UDLD) {
    claimed = dispatchCiscoPid(proto, payload, end);
  } else if (proto == SLARP) {
    dissectSlarp(payload, end);
    return;
  } else if (proto == OSI) {
    const first = u8at(payload, end);
    let osi = payload;
    if (first != NLPID_CLNP && first != NLPID_ESIS && first != NLPID_ISIS) {
      addNum(F_CLNS_PADDING, first);
      osi = payload + 1;
    }
    if (dissectOsi(osi, end)) return;
  }
  if (claimed) return;
  setProtocolColumnHex(proto);
  dissectData(payload, end);
}

registerLinktype(104, dissectChdlc);
