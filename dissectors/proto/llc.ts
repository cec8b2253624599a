// IEEE 802.2 Logical Link Control, under an 802.3 length field: the SAPs and
// the control field (I, S and U frames, named as Wireshark does), then, for
// I and UI frames, the Spanning Tree Protocol for BPDUs (SAP 0x42), the OSI
// network layer (SAP 0xfe and others) and IPX, and SNAP: ethertypes under OUI 0, Cisco's protocols
// (PVST+, CDP) under its OUI, other organisations' (Nortel's NDP) through
// registerSnapPid; XID frames in the basic format.  Other SAPs are data.
import { protocol, uint, flag, Base } from '../fields';
import { beginLayer, beginItemLayer, addNum, addNumHexWidth, setProtocolColumn, reportedLength } from '../packet';
import { dispatchCiscoPid, dispatchSnapPid, dispatchEthertype, registerLinktype } from '../dispatch';
import { dissectStp } from './stp';
import { u8at, u16at, u24at, has, lacks } from '../cursor';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec, putHex, putHexUpper } from '../text';
import { controlLength, controlValue, frameType, isInformation, isUnnumbered, pollFinal, putControlInfo, receiveSequence, sendSequence } from './xdlc';
import { dissectData } from './frame';
import { dissectOsi } from './osi';
import { dissectIpx } from './ipx';

const PROTO_LLC = protocol('llc', 'Logical-Link Control');
const F_DSAP = uint('llc.dsap', 'DSAP', 8, Base.HEX);
const F_DSAP_IG = flag('llc.dsap.ig', 'IG Bit');
const F_SSAP = uint('llc.ssap', 'SSAP', 8, Base.HEX);
const F_SSAP_CR = flag('llc.ssap.cr', 'CR Bit');
const F_CONTROL = uint('llc.control', 'Control', 16, Base.HEX);
const F_N_R = uint('llc.control.n_r', 'N(R)', 16);
const F_N_S = uint('llc.control.n_s', 'N(S)', 16);
const F_S_FTYPE = uint('llc.control.s_ftype', 'Supervisory frame type', 16, Base.HEX);
const F_U_CMD = uint('llc.control.u_modifier_cmd', 'Command', 8, Base.HEX);
const F_U_RESP = uint('llc.control.u_modifier_resp', 'Response', 8, Base.HEX);
const F_POLL = flag('llc.control.p', 'Poll');
const F_FINAL = flag('llc.control.f', 'Final');
const F_FTYPE = uint('llc.control.ftype', 'Frame type', 8, Base.HEX);
const F_OUI = uint('llc.oui', 'Organization Code', 24);
const F_TYPE = uint('llc.type', 'Type', 16, Base.HEX);
const F_CISCO_PID = uint('llc.cisco_pid', 'PID', 16, Base.HEX);
const F_NORTEL_PID = uint('llc.nortel_pid', 'PID', 16, Base.HEX);

const PROTO_BASICXID = protocol('basicxid', 'Logical-Link Control Basic Format XID');
const F_XID_FORMAT = uint('basicxid.llc.xid.format', 'XID Format', 8, Base.HEX);
const F_XID_TYPES = uint('basicxid.llc.xid.types', 'LLC Types/Classes', 8, Base.HEX);
const F_XID_WSIZE = uint('basicxid.llc.xid.wsize', 'Receive Window Size', 8);

const SAP_BPDU: u32 = 0x42;
const SAP_SNAP: u32 = 0xaa;
// ISO network layer: an NLPID, then the protocol; 0xfe, and four SAPs of its own OSLANs and unofficial uses.
const SAP_OSI: u32 = 0xfe;
const SAP_OSLAN1: u32 = 0x14, SAP_OSI_UNOFFICIAL: u32 = 0x20, SAP_OSI_UNOFFICIAL2: u32 = 0x34, SAP_OSLAN2: u32 = 0x54;
// NetWare: IPX straight after the control field.
const SAP_NETWARE: u32 = 0xe0;
const SAP_NETWARE_OLD: u32 = 0x10;
const OUI_CISCO: u32 = 0x00000c;
const OUI_NORTEL: u32 = 0x000081;
const XID: u32 = 0xaf;
const POLL_FINAL: u32 = 0x10;
const XID_BASIC_FORMAT: u32 = 0x81;

/** The payload of an 802.3 frame (or of an 802.1Q tag with a length), `end` at the length's end. */
export function dissectLlc(start: u32, end: u32): void {
  setProtocolColumn('LLC');
  if (!has(start, end, 3)) { dissectData(start, end); return; }
  const dsap = u8at(start, end);
  const ssap = u8at(start + 1, end);
  // Raw IPX starts with a 0xffff checksum where the SAPs would be.
  if (dsap == 0xff && ssap == 0xff) { dissectData(start, end); return; }
  infoSet(); infoDone();
  beginLayer(PROTO_LLC);
  addNum(F_DSAP, dsap);
  addNum(F_DSAP_IG, dsap & 1);
  addNum(F_SSAP, ssap);
  addNum(F_SSAP_CR, ssap & 1);
  // LLC type 2 numbers its I and S frames in extended operation: two control bytes.
  const length = controlLength(load<u8>(start + 2), true);
  if (lacks(start + 2, end, length)) return;
  const control = controlValue(start + 2, length);
  const response = (ssap & 1) != 0;
  addControlFields(control, response);
  infoSet(); putControlInfo(control, true, response); infoDone();
  const payload = start + 2 + length;
  const information = isInformation(control);
  if (dsap == SAP_SNAP && ssap == SAP_SNAP) {
    dissectSnap(payload, end, information);
    return;
  }
  infoAppend();
  puts('; DSAP '); putSapName(dsap); puts(dsap & 1 ? ' Group' : ' Individual');
  puts(', SSAP '); putSapName(ssap); puts(response ? ' Response' : ' Command');
  infoDone();
  // Nothing follows on the wire (what the capture cut off still goes on).
  if (payload >= end && reportedLength(start, end) <= payload - start) return;
  if (information && dissectBySap(dsap, payload, end)) return;
  if ((control & ~POLL_FINAL) == XID && u8at(payload, end) == XID_BASIC_FORMAT) { dissectBasicXid(payload, end); return; }
  dissectData(payload, end);
}

function addControlFields(control: u32, response: bool): void {
  addNum(F_CONTROL, control);
  const type = frameType(control);
  // I frames only poll; S and U frames poll as commands and answer Final as responses.
  if (pollFinal(control, true)) addNum(type != 0 && response ? F_FINAL : F_POLL, 1);
  if (isUnnumbered(control)) {
    addNum(response ? F_U_RESP : F_U_CMD, (control & 0xec) >> 2);
    addNum(F_FTYPE, type);
  } else {
    // I and S frames: Wireshark's 16-bit fields of extended operation, ftype among them.
    addNum(F_N_R, receiveSequence(control, true));
    if (type == 0) addNum(F_N_S, sendSequence(control, true));
    else addNum(F_S_FTYPE, (control >> 2) & 3);
    addNumHexWidth(F_FTYPE, type, 4);
  }
}

/** The DSAP's own protocol for an I or UI frame; false when none takes it. */
function dissectBySap(dsap: u32, payload: u32, end: u32): bool {
  if (dsap == SAP_BPDU) { dissectStp(payload, end); return true; }
  if ((dsap == SAP_OSI || dsap == SAP_OSLAN1 || dsap == SAP_OSI_UNOFFICIAL || dsap == SAP_OSI_UNOFFICIAL2 || dsap == SAP_OSLAN2)
    && dissectOsi(payload, end)) return true;
  if (dsap == SAP_NETWARE || dsap == SAP_NETWARE_OLD) { dissectIpx(payload, end); return true; }
  return false;
}

/** An XID frame's basic format (ISO 8802-2): the LLC types and classes supported, and the receive window. */
function dissectBasicXid(p: u32, end: u32): void {
  setProtocolColumn('XID');
  beginItemLayer(PROTO_BASICXID); // LLC's own code for XID, not a dissector it calls
  addNum(F_XID_FORMAT, XID_BASIC_FORMAT);
  infoSet(); puts('Basic Format'); infoDone();
  if (lacks(p + 1, end, 1)) return;
  const types = u8at(p + 1, end) & 0x1f;
  addNum(F_XID_TYPES, types);
  infoAppend(); puts('; '); putLlcTypes(types); infoDone();
  if (lacks(p + 2, end, 1)) return;
  const window = u8at(p + 2, end) >> 1;
  addNum(F_XID_WSIZE, window);
  infoAppend(); puts('; Window Size '); putDec(window); infoDone();
}

function putLlcTypes(types: u32): void {
  switch (types) {
    case 1: puts('Type 1 LLC (Class I LLC)'); return;
    case 2: puts('Type 2 LLC'); return;
    case 3: puts('Type 1 and Type 2 LLCs (Class II LLC)'); return;
    case 4: puts('Type 3 LLC'); return;
    case 5: puts('Type 1 and Type 3 LLCs (Class III LLC)'); return;
    case 6: puts('Type 2 and Type 3 LLCs'); return;
    case 7: puts('Type 1 and Type 2 and Type 3 LLCs (Class IV LLC)'); return;
    default: putHex(types, 2);
  }
}

/** Wireshark's names of the SAPs (the C/R or I/G bit masked off), else the number. */
function putSapName(sap: u32): void {
  const name = sapName(sap & 0xfe);
  if (name.length > 0) { puts(name); return; }
  putHex(sap & 0xfe, 2);
}

function sapName(sap: u32): string {
  switch (sap) {
    case 0x00: return 'NULL LSAP';
    case 0x02: return 'LLC Sub-Layer Management';
    case 0x04: return 'SNA Path Control';
    case 0x06: return 'TCP/IP';
    case 0x08: case 0x0c: return 'SNA';
    case 0x0e: return 'PROWAY (IEC955) Network Management and Initialization';
    case 0x10: return 'NetWare (unofficial?)';
    case 0x14: return 'ISO Network Layer (OSLAN 1)';
    case 0x18: return 'Texas Instruments';
    case 0x20: case 0x34: return 'ISO Network Layer (unofficial?)';
    case 0x42: return 'Spanning Tree BPDU';
    case 0x4e: return 'EIA RS-511 Manufacturing Message Service';
    case 0x54: return 'ISO Network Layer (OSLAN 2)';
    case 0x7e: return 'ISO 8208 (X.25 over 802.2)';
    case 0x80: return 'XNS';
    case 0x82: return 'BACnet';
    case 0x86: return 'Nestar';
    case 0x8e: return 'PROWAY (IEC955) Active Station List Maintenance';
    case 0x98: return 'ARP';
    case 0xaa: return 'SNAP';
    case 0xb4: return 'HP JetDirect Printer';
    case 0xba: case 0xbc: return 'Banyan Vines';
    case 0xe0: return 'NetWare';
    case 0xf0: return 'NetBIOS';
    case 0xf4: return 'IBM Net Management';
    case 0xf8: return 'HP Extended LLC';
    case 0xfa: return 'Ungermann-Bass';
    case 0xfc: return 'Remote Program Load';
    case 0xfe: return 'ISO Network Layer';
    default: return '';
  }
}

/**
 * SNAP: an OUI, then an ethertype (OUI 0) or a protocol that organisation
 * numbers; only I and UI frames hand their payload on.
 */
function dissectSnap(start: u32, end: u32, information: bool): void {
  if (lacks(start, end, 5)) return;
  const oui = u24at(start, end);
  const pid = u16at(start + 3, end);
  addNum(F_OUI, oui);
  // The ethertype is shown only where it is used.
  if (oui == 0) { if (information) addNum(F_TYPE, pid); } else if (oui == OUI_CISCO) addNum(F_CISCO_PID, pid);
  else if (oui == OUI_NORTEL) addNum(F_NORTEL_PID, pid);
  infoAppend();
  puts('; SNAP, OUI 0x'); putHexUpper(oui, 6);
  puts(' ('); puts(ouiName(oui)); puts('), PID 0x'); putHexUpper(pid, 4);
  infoDone();
  const payload = start + 5;
  if (information) {
    if (oui == 0 && dispatchEthertype(pid, payload, end)) return;
    if (oui == OUI_CISCO && dispatchCiscoPid(pid, payload, end)) return;
    if (oui != 0 && oui != OUI_CISCO && dispatchSnapPid(oui, pid, payload, end)) return;
  }
  dissectData(payload, end);
}

/**
 * The organisations whose protocols xcap takes apart; tshark names every OUI
 * from its manufacturer database, which xcap does not carry.
 */
function ouiName(oui: u32): string {
  switch (oui) {
    case 0x000000: return 'Officially Xerox, but 0:0:0:0:0:0 is more common';
    case OUI_CISCO: return 'Cisco Systems, Inc';
    case OUI_NORTEL: return 'Bay Networks';
    case 0x0080c2: return 'IEEE';
    case 0x00e02b: return 'Extreme Networks Headquarters';
    default: return 'Unknown';
  }
}

// RFC 1483 LLC encapsulation over ATM: the frame is an LLC PDU.
registerLinktype(100, dissectLlc);
