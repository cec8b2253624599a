// IEEE 802.2 Logical Link Control, under an 802.3 length field: the SAPs and
// the control field, then the Spanning Tree Protocol for BPDUs (SAP 0x42,
// unnumbered information) and IS-IS (SAP 0xfe), and SNAP: ethertypes under
// OUI 0, Cisco's protocols (PVST+, CDP) under its OUI, other organisations'
// (Nortel's NDP) through registerSnapPid.  Other SAPs are shown as data.
import { protocol, uint, flag, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { dispatchCiscoPid, dispatchSnapPid } from '../dispatch';
import { dissectStp } from './stp';
import { u8at, u16at, has } from '../cursor';
import { dissectEthertype } from './eth';
import { dissectData } from './frame';
import { isIsis, dissectIsis } from './isis';
import { dissectIpx } from './ipx';

const PROTO_LLC = protocol('llc', 'Logical-Link Control');
const F_DSAP = uint('llc.dsap', 'DSAP', 8, Base.HEX);
const F_DSAP_IG = flag('llc.dsap.ig', 'IG Bit');
const F_SSAP = uint('llc.ssap', 'SSAP', 8, Base.HEX);
const F_SSAP_CR = flag('llc.ssap.cr', 'CR Bit');
const F_CONTROL = uint('llc.control', 'Control', 16, Base.HEX);
const F_FTYPE = uint('llc.control.ftype', 'Frame type', 8, Base.HEX);
const F_OUI = uint('llc.oui', 'Organization Code', 24);
const F_TYPE = uint('llc.type', 'Type', 16, Base.HEX);
const F_CISCO_PID = uint('llc.cisco_pid', 'PID', 16, Base.HEX);
const F_NORTEL_PID = uint('llc.nortel_pid', 'PID', 16, Base.HEX);

const SAP_BPDU: u32 = 0x42;
const SAP_SNAP: u32 = 0xaa;
// ISO network layer: an NLPID, then the protocol (IS-IS only, here).
const SAP_OSI: u32 = 0xfe;
// NetWare: IPX straight after the control field.
const SAP_NETWARE: u32 = 0xe0;
const SAP_NETWARE_OLD: u32 = 0x10;
const OUI_CISCO: u32 = 0x00000c;
const OUI_NORTEL: u32 = 0x000081;
const UNNUMBERED: u32 = 0x03;
const UI: u32 = 0x03;

/** The payload of an 802.3 frame (or of an 802.1Q tag with a length), `end` at the length's end. */
export function dissectLlc(start: u32, end: u32): void {
  setProtocolColumn('LLC');
  if (!has(start, end, 3)) { dissectData(start, end); return; }
  const dsap = u8at(start, end);
  const ssap = u8at(start + 1, end);
  const control = u8at(start + 2, end);
  // Only unnumbered frames (one control byte) are taken apart; I and S frames keep their bytes as data,
  // and so does raw IPX, which starts with a 0xffff checksum where the SAPs would be.
  if ((control & 3) != UNNUMBERED || (dsap == 0xff && ssap == 0xff)) { dissectData(start, end); return; }
  beginLayer(PROTO_LLC);
  addNum(F_DSAP, dsap);
  addNum(F_DSAP_IG, dsap & 1);
  addNum(F_SSAP, ssap);
  addNum(F_SSAP_CR, ssap & 1);
  addNum(F_CONTROL, control);
  addNum(F_FTYPE, UNNUMBERED);
  const ui = control == UI;
  if (ui && dsap == SAP_BPDU && ssap == SAP_BPDU) {
    dissectStp(start + 3, end);
    return;
  }
  if (ui && dsap == SAP_OSI && ssap == SAP_OSI && isIsis(start + 3, end)) {
    dissectIsis(start + 3, end);
    return;
  }
  if (ui && (dsap == SAP_NETWARE || dsap == SAP_NETWARE_OLD)) {
    dissectIpx(start + 3, end);
    return;
  }
  if (ui && dsap == SAP_SNAP && ssap == SAP_SNAP && has(start, end, 8)) {
    dissectSnap(start + 3, end);
    return;
  }
  dissectData(start + 3, end);
}

/** SNAP: an OUI, then an ethertype (OUI 0) or a protocol that organisation numbers. */
function dissectSnap(start: u32, end: u32): void {
  const oui = (u8at(start, end) << 16) | u16at(start + 1, end);
  const pid = u16at(start + 3, end);
  addNum(F_OUI, oui);
  if (oui == 0) {
    addNum(F_TYPE, pid);
    dissectEthertype(pid, start + 5, end);
    return;
  }
  if (oui == OUI_CISCO) {
    addNum(F_CISCO_PID, pid);
    if (dispatchCiscoPid(pid, start + 5, end)) return;
  } else {
    if (oui == OUI_NORTEL) addNum(F_NORTEL_PID, pid);
    if (dispatchSnapPid(oui, pid, start + 5, end)) return;
  }
  dissectData(start + 5, end);
}
