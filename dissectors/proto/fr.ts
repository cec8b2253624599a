// Frame Relay (link type 107): a Q.922 address of 2-4 octets (DLCI), then,
// told apart as tshark does, RFC 2427 encapsulation (a control field and an
// NLPID), Cisco's (a Cisco HDLC protocol type), or bridged Ethernet with its
// FCS.  LAPF on DLCI 0 and XID frames show their control field only; Q.933
// signalling stays data here (CLNP, ES-IS and IS-IS are taken apart).
import { protocol, uint, flag, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated, errors } from '../packet';
import { u8at, u16at, u24at, has, lacks } from '../cursor';
import { registerLinktype, dispatchEthertype, hasEthertypeDissector } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { dissectData } from './frame';
import { dissectEthernetWithoutFcs, dissectEthernetWithFcs } from './eth';
import { dissectPppHdlc } from './ppp';
import { isChdlcProtocol, dissectChdlcProtocol } from './chdlc';
import { dissectOsiIncluded } from './osi';
import { controlLength, controlValue, putControlInfo } from './xdlc';

const PROTO_FR = protocol('fr', 'Frame Relay');
const F_FIRST_OCTET = uint('fr.first_addr_octet', 'First address octet', 8, Base.HEX);
const F_UPPER_DLCI = uint('fr.upper_dlci', 'Upper DLCI', 8, Base.HEX);
const F_CR = flag('fr.cr', 'CR');
const F_EA = flag('fr.ea', 'EA');
const F_SECOND_OCTET = uint('fr.second_addr_octet', 'Second address octet', 8, Base.HEX);
const F_SECOND_DLCI = uint('fr.second_dlci', 'Second DLCI', 8, Base.HEX);
const F_FECN = flag('fr.fecn', 'FECN');
const F_BECN = flag('fr.becn', 'BECN');
const F_DE = flag('fr.de', 'DE');
const F_DLCI = uint('fr.dlci', 'DLCI');
const F_CONTROL = uint('fr.control', 'Control Field', 8, Base.HEX);
const F_NLPID = uint('fr.nlpid', 'NLPID', 8, Base.HEX);
const F_SNAP_OUI = uint('fr.snap.oui', 'Organization Code', 24);
const F_SNAP_PID = uint('fr.snap.pid', 'Protocol ID', 16, Base.HEX);
const F_SNAPTYPE = uint('fr.snaptype', 'Type', 16, Base.HEX);
const F_CHDLCTYPE = uint('fr.chdlctype', 'Type', 16, Base.HEX);

const EA: u32 = 0x01;
const UI: u32 = 0x03;
const XID: u32 = 0xaf;
const NLPID_IPV4: u32 = 0xcc, NLPID_IPV6: u32 = 0x8e, NLPID_SNAP: u32 = 0x80, NLPID_PPP: u32 = 0xcf;
// The rest of the NLPIDs some tshark dissector takes under Frame Relay.
const NLPID_Q933: u32 = 0x08, NLPID_CLNP_NULL: u32 = 0x00, NLPID_CLNP: u32 = 0x81, NLPID_ESIS: u32 = 0x82, NLPID_ISIS: u32 = 0x83;
const NLPID_LMI: u32 = 0x09, NLPID_WCP: u32 = 0xb0;

export function dissectFrameRelay(start: u32, end: u32): void {
  setProtocolColumn('FR');
  infoSet(); infoDone();
  beginLayer(PROTO_FR);
  if (!has(start, end, 1)) { markTruncated(); return; }
  const first = u8at(start, end);
  let p = start + 1;
  let dlci: u32 = 0;
  if ((first & EA) == 0) {
    addNum(F_FIRST_OCTET, first);
    addNum(F_UPPER_DLCI, first >> 2);
    addNum(F_CR, (first & 2) != 0);
    addNum(F_EA, 0);
    if (!has(p, end, 1)) { markTruncated(); return; }
    const second = u8at(p, end);
    dlci = ((first >> 2) << 4) | (second >> 4);
    addNum(F_SECOND_OCTET, second);
    addNum(F_SECOND_DLCI, second >> 4);
    addNum(F_FECN, (second & 8) != 0);
    addNum(F_BECN, (second & 4) != 0);
    addNum(F_DE, (second & 2) != 0);
    addNum(F_EA, second & EA);
    p++;
    if ((second & EA) == 0) {
      const next = skipLongAddress(p, end, dlci);
      if (next == 0) return;
      dlci = longDlci;
      p = next;
    }
  }
  addNum(F_DLCI, dlci);
  infoSet(); puts('DLCI '); putDec(dlci); infoDone();
  if (!has(p, end, 1)) { markTruncated(); return; }
  const control = u8at(p, end);
  const response = (first & EA) == 0 && (first & 2) != 0;
  if (control == UI || (dlci != 0 && control != XID && !isChdlcType(p, end) && nlpidFollows(p, end))) {
    // RFC 2427: a control field (two bytes for I and S frames), then an NLPID.
    const next = controlField(p, end, response);
    if (next != 0) dissectNlpid(next, end);
    return;
  }
  if (dlci == 0 || control == XID) {
    // LAPF signalling on DLCI 0, or an exchange of identification: tshark takes neither apart.
    controlField(p, end, response);
    dissectData(p, end);
    return;
  }
  if (isChdlcType(p, end)) {
    // Cisco's encapsulation: a Cisco HDLC protocol type where RFC 2427 has its control field.
    const type = u16at(p, end);
    addNum(F_CHDLCTYPE, type);
    dissectChdlcProtocol(type, p + 2, end);
    return;
  }
  // Failing both, a frame whose bytes 12-13 are an 802.3 length or a known ethertype is bridged Ethernet.
  if (has(p + 12, end, 2)) {
    const lengthOrType = u16at(p + 12, end);
    if (lengthOrType <= 1500 || hasEthertypeDissector(lengthOrType)) { dissectEthernetWithFcs(p, end); return; }
  }
  dissectData(p, end);
}

function isChdlcType(p: u32, end: u32): bool {
  return has(p, end, 2) && isChdlcProtocol(u16at(p, end));
}

/**
 * Whether the bytes at p read as an RFC 2427 frame whose control field tshark
 * cannot tell from Cisco's type: past an optional pad byte and a control field
 * (two bytes unless unnumbered), an NLPID some dissector takes.
 */
function nlpidFollows(p: u32, end: u32): bool {
  if (!has(p, end, 2)) return false;
  let q = p;
  if (load<u8>(q) == 0) q++;
  q += controlLength(load<u8>(q), true);
  if (!has(q, end, 1)) return false;
  switch (<u32>load<u8>(q)) {
    case NLPID_Q933: case NLPID_CLNP_NULL: case NLPID_CLNP: case NLPID_ESIS: case NLPID_ISIS: case NLPID_SNAP:
    case NLPID_IPV6: case NLPID_LMI: case NLPID_PPP: case NLPID_IPV4: case NLPID_WCP:
      return true;
    default:
      return false;
  }
}

/** The LAPF control field at p, added to the info column; returns where it ends, 0 past the captured bytes. */
function controlField(p: u32, end: u32, response: bool): u32 {
  const length = controlLength(load<u8>(p), true);
  if (lacks(p, end, length)) return 0;
  const control = controlValue(p, length);
  // An 8-bit field in Wireshark, which keeps the low byte of a two-byte control.
  addNum(F_CONTROL, control & 0xff);
  infoAppend(); puts(', '); putControlInfo(control, true, response); infoDone();
  return p + length;
}

let longDlci: u32 = 0;

/** Third (and bogus further) address octets; returns where the address ends, 0 past the captured bytes. */
function skipLongAddress(p: u32, end: u32, dlci: u32): u32 {
  if (!has(p, end, 1)) { markTruncated(); return 0; }
  let octet = u8at(p, end);
  if ((octet & EA) == 0) {
    dlci = (dlci << 7) | ((octet & 0xfe) >> 1);
    addNum(F_EA, 0);
    p++;
    // Octets without EA past the fourth are bogus; each is one byte further.
    while (true) {
      if (!has(p, end, 1)) { markTruncated(); return 0; }
      octet = u8at(p, end);
      if ((octet & EA) != 0) break;
      p++;
    }
  }
  // The last octet holds the lower DLCI bits unless it is DL-CORE control (D/C set).
  if ((octet & 2) == 0) dlci = (dlci << 6) | ((octet & 0xfc) >> 2);
  addNum(F_EA, 1);
  longDlci = dlci;
  return p + 1;
}

function dissectNlpid(p: u32, end: u32): void {
  if (!has(p, end, 1)) { markTruncated(); return; }
  let nlpid = u8at(p, end);
  if (nlpid == 0) {
    addNum(F_NLPID, 0);
    p++;
    if (!has(p, end, 1)) { markTruncated(); return; }
    nlpid = u8at(p, end);
  }
  // OSI protocols count the NLPID as their own first byte; tshark notes it (hidden) only once one has dissected cleanly.
  const errorsBefore = errors;
  if (dissectOsiIncluded(p, end)) {
    if (errors == errorsBefore) addNum(F_NLPID, nlpid);
    return;
  }
  addNum(F_NLPID, nlpid);
  const payload = p + 1;
  let claimed = false;
  if (nlpid == NLPID_IPV4) claimed = dispatchEthertype(0x0800, payload, end);
  else if (nlpid == NLPID_IPV6) claimed = dispatchEthertype(0x86dd, payload, end);
  else if (nlpid == NLPID_PPP) { dissectPppHdlc(payload, end); return; }
  else if (nlpid == NLPID_SNAP) { dissectSnap(payload, end); return; }
  if (!claimed) dissectData(payload, end);
}

/** RFC 2427 SNAP: OUI 0 carries an ethertype; 00-80-c2 PID 7 a bridged Ethernet frame without FCS. */
function dissectSnap(p: u32, end: u32): void {
  if (!has(p, end, 5)) { markTruncated(); return; }
  const oui = u24at(p, end);
  const pid = u16at(p + 3, end);
  addNum(F_SNAP_OUI, oui);
  if (oui == 0) {
    addNum(F_SNAPTYPE, pid);
    if (!dispatchEthertype(pid, p + 5, end)) dissectData(p + 5, end);
    return;
  }
  addNum(F_SNAP_PID, pid);
  if (oui == 0x0080c2 && pid == 0x0007) { dissectEthernetWithoutFcs(p + 5, end); return; }
  dissectData(p + 5, end);
}

registerLinktype(107, dissectFrameRelay);
