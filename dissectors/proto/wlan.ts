// IEEE 802.11 MAC frames (protocol version 0), under radiotap or on their own
// (link type 105): the frame control, the addresses each type and DS
// direction carry, sequence control, QoS and HT control, then management
// frames' fixed fields and elements (SSID and Mesh ID reach the info column),
// and data frames' payload handed to LLC.  Protected payloads stay data, as
// tshark shows them without keys.
import { protocol, uint, ether, Base } from '../fields';
import { beginLayer, beginItemLayer, addNum, addBytes, setAddresses, setSourceAddress, setDestinationAddress, setProtocolColumn,
  AddrKind, markReadPast, markOverrun, markTruncated, markMalformed, hideErrorMark, showErrorMark, bytesCutAfter, limitUncaptured } from '../packet';
import { has, u16le, clampEnd } from '../cursor';
import { registerLinktype } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putHexBytes } from '../text';
import { putFormatText } from '../format-text';
import { utf8SequenceLength } from '../escape';
import { dissectData } from './frame';
import { dissectLlc } from './llc';
import { dissectIpx } from './ipx';
import { dissectEthernetWithoutFcs } from './eth';

const PROTO_WLAN = protocol('wlan', 'IEEE 802.11 wireless LAN');
const F_TYPE_SUBTYPE = uint('wlan.fc.type_subtype', 'Type/Subtype', 16, Base.HEX);
const F_FLAGS = uint('wlan.flags', 'Flags', 8, Base.HEX);
const F_DURATION = uint('wlan.duration', 'Duration');
const F_RA = ether('wlan.ra', 'Receiver address');
const F_DA = ether('wlan.da', 'Destination address');
const F_TA = ether('wlan.ta', 'Transmitter address');
const F_SA = ether('wlan.sa', 'Source address');
const F_BSSID = ether('wlan.bssid', 'BSS Id');
const F_FRAG = uint('wlan.frag', 'Fragment number');
const F_SEQ = uint('wlan.seq', 'Sequence number');
const F_REASON = uint('wlan.fixed.reason_code', 'Reason code', 16, Base.HEX);
const F_STATUS = uint('wlan.fixed.status_code', 'Status code', 16, Base.HEX);
const PROTO_AGGREGATE = protocol('wlan_aggregate', 'IEEE 802.11 Aggregate MSDU');
const PROTO_MGT = protocol('wlan.mgt', 'IEEE 802.11 Wireless Management');

/** The capture does not say whether the frame ends in an FCS: tshark then assumes it does not. */
export const FCS_UNKNOWN: u32 = 0xffffffff;
const LINKTYPE_IEEE802_11: u32 = 105;

const TYPE_MGT: u32 = 0;
const TYPE_CONTROL: u32 = 1;
const TYPE_DATA: u32 = 2;
const TYPE_EXTENSION: u32 = 3;

// Type/subtype numbers: type in the high nibble.
const MGT_ASSOC_REQ: u32 = 0x00;
const MGT_ASSOC_RESP: u32 = 0x01;
const MGT_REASSOC_REQ: u32 = 0x02;
const MGT_REASSOC_RESP: u32 = 0x03;
const MGT_PROBE_REQ: u32 = 0x04;
const MGT_PROBE_RESP: u32 = 0x05;
const MGT_BEACON: u32 = 0x08;
const MGT_DISASSOC: u32 = 0x0a;
const MGT_AUTHENTICATION: u32 = 0x0b;
const MGT_DEAUTHENTICATION: u32 = 0x0c;
const MGT_ACTION: u32 = 0x0d;
const MGT_ACTION_NO_ACK: u32 = 0x0e;
const CATEGORY_BLOCK_ACK: u32 = 3;
const BA_ADDBA_REQUEST: u32 = 0;
const BA_ADDBA_RESPONSE: u32 = 1;
const BA_DELBA: u32 = 2;
const CTRL_TRIGGER: u32 = 0x12;
const CTRL_TACK: u32 = 0x13;
const CTRL_BEAMFORM_REPORT_POLL: u32 = 0x14;
const CTRL_VHT_NDP_ANNOUNCEMENT: u32 = 0x15;
const CTRL_CONTROL_WRAPPER: u32 = 0x17;
const CTRL_BLOCK_ACK_REQ: u32 = 0x18;
const CTRL_BLOCK_ACK: u32 = 0x19;
const CTRL_PS_POLL: u32 = 0x1a;
const CTRL_RTS: u32 = 0x1b;
const CTRL_CTS: u32 = 0x1c;
const CTRL_ACK: u32 = 0x1d;
const CTRL_CF_END: u32 = 0x1e;
const CTRL_CF_END_ACK: u32 = 0x1f;

const FLAG_TO_DS: u32 = 0x01;
const FLAG_FROM_DS: u32 = 0x02;
const FLAG_MORE_FRAGMENTS: u32 = 0x04;
const FLAG_PROTECTED: u32 = 0x40;
const FLAG_ORDER: u32 = 0x80;

const TAG_SSID: u32 = 0;
const TAG_RSN: u32 = 48;
const TAG_MESH_ID: u32 = 114;

// Indexed by type/subtype (0x00-0x3f); '' where tshark has no name.
const TYPE_SUBTYPE_NAMES: StaticArray<string> = [
  'Association Request', 'Association Response', 'Reassociation Request', 'Reassociation Response',
  'Probe Request', 'Probe Response', 'Measurement Pilot', '',
  'Beacon frame', 'ATIM', 'Disassociate', 'Authentication',
  'Deauthentication', 'Action', 'Action No Ack', 'Aruba Management',
  '', '', 'Trigger', '',
  'Beamforming Report Poll', 'VHT/HE NDP Announcement', '', 'Control Wrapper',
  '802.11 Block Ack Req', '802.11 Block Ack', 'Power-Save poll', 'Request-to-send',
  'Clear-to-send', 'Acknowledgement', 'CF-End (Control-frame)', 'CF-End + CF-Ack (Control-frame)',
  'Data', 'Data + CF-Ack', 'Data + CF-Poll', 'Data + CF-Ack + CF-Poll',
  'Null function (No data)', 'Acknowledgement (No data)', 'CF-Poll (No data)', 'CF-Ack/Poll (No data)',
  'QoS Data', 'QoS Data + CF-Acknowledgment', 'QoS Data + CF-Poll', 'QoS Data + CF-Ack + CF-Poll',
  'QoS Null function (No data)', '', 'QoS CF-Poll (No Data)', 'QoS CF-Ack + CF-Poll (No data)',
  'DMG Beacon', 'S1G Beacon', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
];

// The Flags= string: one letter per frame control flag, high bit first, then C for an FCS.
const FLAG_LETTERS = 'opmPRMFTC';

/** An 802.11 frame of link type 105: whether it ends in an FCS is not known. */
export function dissectWlan(start: u32, end: u32): void {
  dissectWlanFrame(start, end, FCS_UNKNOWN, false);
}

/**
 * An 802.11 frame; `fcs` is 4 when the capture says it ends in an FCS, 0 when
 * it says not, FCS_UNKNOWN otherwise; `datapad` pads the header to 32 bits.
 */
export function dissectWlanFrame(start: u32, end: u32, fcs: u32, datapad: bool): void {
  beginLayer(PROTO_WLAN);
  setProtocolColumn('802.11');
  infoSet(); infoDone();
  if (!has(start, end, 2)) { markReadPast(end, start + 2); return; }
  const fcf = u16le(start, end);
  const version = fcf & 3;
  if (version != 0) { dissectOtherVersion(start, end, version, fcs); return; }
  const type = (fcf >> 2) & 3;
  const typeSubtype = (type << 4) | ((fcf >> 4) & 0xf);
  const flags = fcf >> 8;
  addNum(F_TYPE_SUBTYPE, typeSubtype);
  infoSet();
  const name = unchecked(TYPE_SUBTYPE_NAMES[typeSubtype]);
  puts(name.length > 0 ? name : 'Unrecognized (Reserved frame)');
  infoDone();

  let headerLength: u32 = 4;
  let qosControl: u32 = 0;
  const isQos = type == TYPE_DATA && (typeSubtype & 0x08) != 0;
  const isNoData = type == TYPE_DATA && (typeSubtype & 0x04) != 0;
  let isAmsdu = false;
  if (type == TYPE_MGT) {
    headerLength = (flags & FLAG_ORDER) != 0 ? 28 : 24;
  } else if (type == TYPE_CONTROL) {
    headerLength = controlHeaderLength(typeSubtype, start, end);
  } else if (type == TYPE_DATA) {
    headerLength = (flags & (FLAG_TO_DS | FLAG_FROM_DS)) == (FLAG_TO_DS | FLAG_FROM_DS) ? 30 : 24;
    if (isQos) {
      if (!has(start + headerLength, end, 2)) { markReadPast(end, start + headerLength + 2); return; }
      qosControl = u16le(start + headerLength, end);
      isAmsdu = !isNoData && (qosControl & 0x80) != 0;
      headerLength += 2;
      if ((flags & FLAG_ORDER) != 0) headerLength += 4;
    }
  } else {
    headerLength = 10;
  }
  if (datapad) headerLength = (headerLength + 3) & ~3;
  if (type == TYPE_DATA) headerLength += meshControlLength(start + headerLength, end, flags, isQos, qosControl);

  addNum(F_FLAGS, flags);
  if (!has(start, end, 4)) { markReadPast(end, start + 4); return; }
  const durationId = u16le(start + 2, end);
  // A PS-Poll carries an association ID there instead.
  const isAid = typeSubtype == CTRL_PS_POLL && (durationId & 0xc000) == 0xc000
    && (durationId & 0x3fff) > 0 && (durationId & 0x3fff) <= 2007;
  if (!isAid) addNum(F_DURATION, durationId & 0x7fff);
  if (!has(start, end, 10)) { markReadPast(end, start + 10); return; }
  addBytes(F_RA, start + 4, 6);

  if (type == TYPE_MGT) {
    if (!has(start, end, 16)) { markReadPast(end, start + 16); return; }
    setAddresses(AddrKind.ETHER, start + 10, start + 4);
    if (!has(start, end, 24)) { markReadPast(end, start + 24); return; }
    addBytes(F_DA, start + 4, 6);
    addBytes(F_TA, start + 10, 6);
    addBytes(F_SA, start + 10, 6);
    addBytes(F_BSSID, start + 16, 6);
    appendSequence(start, end);
  } else if (type == TYPE_CONTROL) {
    if (!controlAddresses(typeSubtype, start, end)) return;
  } else if (type == TYPE_DATA) {
    if (!dataAddresses(flags, start, end, isAmsdu)) return;
  }

  // The FCS, when there is one, is not part of the body; a frame cut short loses it from its reported length.
  const hasFcs = fcs == 4;
  let bodyEnd = end;
  if (hasFcs) {
    const cut = bytesCutAfter(end);
    const reported = end - start + cut;
    if (reported >= headerLength + 4) {
      if (cut == 0) bodyEnd = end - 4;
      else if (cut >= 4) limitUncaptured(end, cut - 4);
      else bodyEnd = end - (4 - cut);
    }
  }
  infoAppend(); puts(', Flags=');
  for (let i: u32 = 0; i < 8; i++) putc((flags & (0x80 >> i)) != 0 ? FLAG_LETTERS.charCodeAt(i) : 46);
  if (hasFcs) putc(67);
  infoDone();

  const body = start + headerLength;
  if (type == TYPE_CONTROL || isNoData || type > TYPE_EXTENSION) return;
  if ((flags & FLAG_PROTECTED) != 0) { dissectProtected(body, bodyEnd); return; }
  // Fragments are not reassembled: each but the last is shown as tshark shows one whose reassembly is
  // not complete.  A last fragment (a fragment number, no more to come) tshark shows whole when it saw
  // none before it, and reassembled otherwise, which xcap does not do: it is shown whole.
  if ((flags & FLAG_MORE_FRAGMENTS) != 0) {
    infoSet(); puts('Fragmented IEEE 802.11 frame'); infoDone();
    dissectData(body, bodyEnd);
    return;
  }
  if (type == TYPE_MGT) dissectManagement(typeSubtype, body, bodyEnd);
  else if (type == TYPE_DATA) {
    if (isAmsdu && bodyEnd - body + bytesCutAfter(bodyEnd) > 4) dissectAmsdu(body, bodyEnd);
    else dissectDataPayload(start, body, bodyEnd);
  } else dissectData(body, bodyEnd);
}

/** An A-MSDU: subframes of destination, source, a big-endian length and an LLC payload, each padded to 32 bits. */
function dissectAmsdu(body: u32, end: u32): void {
  beginItemLayer(PROTO_AGGREGATE); // 802.11's own code, not a dissector it calls
  const reportedEnd = end + bytesCutAfter(end);
  let p = body;
  do {
    if (!has(p, end, 14)) { markReadPast(end, p + 14); return; }
    addBytes(F_DA, p, 6);
    addBytes(F_SA, p + 6, 6);
    const length = (<u32>load<u8>(p + 12) << 8) | <u32>load<u8>(p + 13);
    const payload = p + 14;
    if (payload + length > reportedEnd) { markReadPast(end, payload + length); return; }
    dissectLlc(payload, clampEnd(payload, length, end));
    p = body + ((payload + length - body + 3) & ~3);
  } while (p < reportedEnd && reportedEnd - p > 14);
}

/** Protocol versions other than 0: tshark names the version and shows the rest as data. */
function dissectOtherVersion(start: u32, end: u32, version: u32, fcs: u32): void {
  infoSet(); puts('Unknown protocol version: '); putDec(version); infoDone();
  const reported = end - start + bytesCutAfter(end);
  let length = reported - 2;
  if (fcs == 4) length = reported >= 6 ? reported - 6 : 0;
  // The data is given the reported length as its captured one: a cut frame runs out.
  if (!has(start + 2, end, length)) { markTruncated(); dissectData(start + 2, end); return; }
  dissectData(start + 2, start + 2 + length);
  // tshark then shows an FCS after the data whether or not there is one: without one, that read fails.
  if (fcs != 4) markMalformed();
}

function controlHeaderLength(typeSubtype: u32, start: u32, end: u32): u32 {
  let extra: u32 = 0;
  let inner = typeSubtype;
  if (typeSubtype == CTRL_CONTROL_WRAPPER) {
    extra = 6;
    const carried = u16le(start + 10, end);
    inner = (((carried >> 2) & 3) << 4) | ((carried >> 4) & 0xf);
  }
  if (inner == CTRL_TRIGGER) return 16;
  if (inner == CTRL_TACK) return 22;
  if (inner == CTRL_BEAMFORM_REPORT_POLL) return extra + 17;
  if (inner == CTRL_VHT_NDP_ANNOUNCEMENT) return extra + 19;
  if (inner == CTRL_CTS || inner == CTRL_ACK) return extra + 10;
  if (inner == CTRL_RTS || inner == CTRL_PS_POLL || inner == CTRL_CF_END || inner == CTRL_CF_END_ACK
    || inner == CTRL_BLOCK_ACK_REQ || inner == CTRL_BLOCK_ACK) return extra + 16;
  return extra + 4;
}

/** A Mesh Control field after the header of a data frame from the DS (or with four addresses), as tshark guesses it. */
function meshControlLength(p: u32, end: u32, flags: u32, isQos: bool, qosControl: u32): u32 {
  if (!has(p, end, 1)) return 0;
  const ds = flags & (FLAG_TO_DS | FLAG_FROM_DS);
  const meshFlags = <u32>load<u8>(p);
  const length: u32 = 6 + 6 * (meshFlags & 3);
  const plausible = (ds == (FLAG_TO_DS | FLAG_FROM_DS) || ds == FLAG_FROM_DS)
    && (meshFlags & ~3) == 0 && (meshFlags & 3) != 3;
  if (has(p, end, length + 2)) {
    return plausible && u16le(p + length, end) == 0xaaaa ? length : 0;
  }
  if (!isQos) return 0;
  return plausible && (qosControl & 0x100) != 0 ? length : 0;
}

function appendSequence(start: u32, end: u32): void {
  const sequenceControl = u16le(start + 22, end);
  addNum(F_FRAG, sequenceControl & 0xf);
  addNum(F_SEQ, sequenceControl >> 4);
  infoAppend(); puts(', SN='); putDec(sequenceControl >> 4); puts(', FN='); putDec(sequenceControl & 0xf); infoDone();
}

/** Control frames name their addresses' roles in the columns: "(RA)", "(TA)", "(BSSID)". Whether the header was there. */
function controlAddresses(typeSubtype: u32, start: u32, end: u32): bool {
  let second: u32 = 10;
  let inner = typeSubtype;
  if (typeSubtype == CTRL_CONTROL_WRAPPER) {
    const carried = u16le(start + 10, end);
    inner = (((carried >> 2) & 3) << 4) | ((carried >> 4) & 0xf);
  }
  if (inner == CTRL_PS_POLL) {
    addBytes(F_BSSID, start + 4, 6);
    setDestinationAddress(AddrKind.ETHER_BSSID, start + 4);
  } else {
    setDestinationAddress(AddrKind.ETHER_RA, start + 4);
  }
  if (typeSubtype == CTRL_CONTROL_WRAPPER) {
    if (!has(start, end, 16)) { markReadPast(end, start + 16); return false; }
    second = 16;
  }
  if (inner == CTRL_CTS || inner == CTRL_ACK || inner == CTRL_CONTROL_WRAPPER) return true;
  if (inner == CTRL_CF_END || inner == CTRL_PS_POLL || inner == CTRL_CF_END_ACK || inner == CTRL_RTS
    || inner == CTRL_BLOCK_ACK_REQ || inner == CTRL_BLOCK_ACK || inner == CTRL_BEAMFORM_REPORT_POLL
    || inner == CTRL_VHT_NDP_ANNOUNCEMENT || inner == CTRL_TRIGGER || inner == CTRL_TACK) {
    if (!has(start, end, second + 6)) { markReadPast(end, start + second + 6); return false; }
    if (inner == CTRL_CF_END) {
      setSourceAddress(AddrKind.ETHER_BSSID, start + second);
      addBytes(F_BSSID, start + second, 6);
    } else {
      setSourceAddress(AddrKind.ETHER_TA, start + second);
      addBytes(F_TA, start + second, 6);
    }
    if (inner == CTRL_BLOCK_ACK_REQ || inner == CTRL_BLOCK_ACK) {
      const needed = blockAckLength(inner == CTRL_BLOCK_ACK_REQ, start + second + 6, end);
      if (!has(start + second + 6, end, needed)) { markReadPast(end, start + second + 6 + needed); return false; }
    }
  }
  return true;
}

/** The bytes of a Block Ack (Request) body tshark reads for the basic and compressed variants; the control field for the rest. */
function blockAckLength(isRequest: bool, p: u32, end: u32): u32 {
  if (!has(p, end, 2)) return 2;
  const variant = (u16le(p, end) & 0x1e) >> 1;
  if (variant == 0) return isRequest ? 4 : 4 + 128;
  if (variant != 2) return 2;
  if (isRequest) return 4;
  if (!has(p, end, 4)) return 4;
  const fragment = u16le(p + 2, end) & 0xf;
  if ((fragment & 6) == 0) return 4 + 8;
  if (((fragment & 6) >> 1) == 2) return 4 + 32;
  return 4;
}

/** Data frames: which address is the source, destination and BSS depends on the DS bits. Whether the header was there. */
// In an A-MSDU the subframes carry the source or destination the header would: 0 for an address not in the header.
function dataAddresses(flags: u32, start: u32, end: u32, isAmsdu: bool): bool {
  const ds = flags & (FLAG_TO_DS | FLAG_FROM_DS);
  let da: u32 = 4;
  let sa: u32 = 10;
  let bssid: u32 = 16;
  let srcColumn: u32 = 10;
  let dstColumn: u32 = 4;
  if (ds == FLAG_FROM_DS) { sa = isAmsdu ? 0 : 16; bssid = 10; srcColumn = sa; }
  else if (ds == FLAG_TO_DS) { da = isAmsdu ? 0 : 16; bssid = 4; dstColumn = da; }
  else if (ds == (FLAG_TO_DS | FLAG_FROM_DS)) {
    if (isAmsdu) { da = 0; sa = 0; } else { da = 16; sa = 24; srcColumn = 24; dstColumn = 16; bssid = 0; }
  }
  if (srcColumn != 0) {
    if (!has(start, end, srcColumn + 6)) { markReadPast(end, start + srcColumn + 6); return false; }
    setSourceAddress(AddrKind.ETHER, start + srcColumn);
  }
  if (dstColumn != 0) {
    if (!has(start, end, dstColumn + 6)) { markReadPast(end, start + dstColumn + 6); return false; }
    setDestinationAddress(AddrKind.ETHER, start + dstColumn);
  }
  if (!has(start, end, 24)) { markReadPast(end, start + 24); return false; }
  addBytes(F_TA, start + 10, 6);
  if (da != 0) addBytes(F_DA, start + da, 6);
  if (sa != 0) addBytes(F_SA, start + sa, 6);
  if (bssid != 0) addBytes(F_BSSID, start + bssid, 6);
  if (ds == (FLAG_TO_DS | FLAG_FROM_DS) && isAmsdu) addBytes(F_BSSID, start + 24, 6);
  appendSequence(start, end);
  return true;
}

/**
 * A protected body without keys: the IV, then data.  TKIP and CCMP (an
 * extended IV) keep their MIC in the data; WEP's ICV is left out of it.
 */
function dissectProtected(body: u32, end: u32): void {
  if (!has(body, end, 4)) { markReadPast(end, body + 4); return; }
  const keyOctet = <u32>load<u8>(body + 3);
  if ((keyOctet & 0x20) != 0 && has(body, end, 8)) { dissectData(body + 8, end); return; }
  const cut = bytesCutAfter(end);
  const reported = end - body + cut - 4;
  let dataEnd = end;
  if (reported >= 4) {
    if (cut == 0) dataEnd = end - 4;
    else if (cut < 4) dataEnd = end - (4 - cut);
  }
  dissectData(body + 4, dataEnd);
}

/** The payload of a data frame: LLC mostly; an Ethernet frame, raw IPX or padding before LLC as tshark recognises them. */
function dissectDataPayload(start: u32, body: u32, end: u32): void {
  if (!has(body, end, 2)) { dissectLlc(body, end); return; }
  const first = <u32>load<u8>(body);
  const second = <u32>load<u8>(body + 1);
  if (first == 0xaa && second == 0xaa) { dissectLlc(body, end); return; }
  // Where the column addresses were read from: the frame's own source and destination.
  const ds = (<u32>load<u8>(start + 1)) & (FLAG_TO_DS | FLAG_FROM_DS);
  const da = ds == FLAG_TO_DS || ds == (FLAG_TO_DS | FLAG_FROM_DS) ? start + 16 : start + 4;
  const sa = ds == FLAG_FROM_DS ? start + 16 : ds == (FLAG_TO_DS | FLAG_FROM_DS) ? start + 24 : start + 10;
  if ((has(body, end, 12) && sameAddress(body + 6, sa)) || (has(body, end, 6) && sameAddress(body, da))) {
    dissectEthernetWithoutFcs(body, end);
    return;
  }
  if (first == 0xff && second == 0xff) { dissectIpx(body, end); return; }
  if (first == 0 && second == 0 && has(body, end, 18) && sameAddress(body + 6, da) && sameAddress(body + 12, sa)) {
    dissectEthernetWithoutFcs(body + 6, end);
    return;
  }
  if ((first == 0 && second == 0) || ((second << 8) | first) == u16le(start + 22, end)) {
    dissectLlc(body + 2, end);
    return;
  }
  dissectLlc(body, end);
}

@inline function sameAddress(a: u32, b: u32): bool {
  return load<u32>(a) == load<u32>(b) && load<u16>(a, 4) == load<u16>(b, 4);
}

/** Management frames: the fixed fields, then the elements, in an item of their own (not a dissector call). */
function dissectManagement(typeSubtype: u32, body: u32, end: u32): void {
  beginItemLayer(PROTO_MGT);
  let fixed: u32 = 0;
  if (typeSubtype == MGT_ASSOC_REQ) fixed = 4;
  else if (typeSubtype == MGT_ASSOC_RESP || typeSubtype == MGT_REASSOC_RESP) {
    if (!has(body, end, 6)) { markReadPast(end, body + 6); return; }
    addNum(F_STATUS, u16le(body + 2, end));
    fixed = 6;
  } else if (typeSubtype == MGT_REASSOC_REQ) fixed = 10;
  else if (typeSubtype == MGT_PROBE_REQ) fixed = 0;
  else if (typeSubtype == MGT_PROBE_RESP || typeSubtype == MGT_BEACON) {
    if (!has(body, end, 10)) { markReadPast(end, body + 10); return; }
    infoAppend(); puts(', BI='); putDec(u16le(body + 8, end)); infoDone();
    fixed = 12;
  } else if (typeSubtype == MGT_DISASSOC || typeSubtype == MGT_DEAUTHENTICATION) {
    if (!has(body, end, 2)) { markReadPast(end, body + 2); return; }
    addNum(F_REASON, u16le(body, end));
    // Elements only when there are bytes after the reason.
    if (end - body + bytesCutAfter(end) <= 2) return;
    fixed = 2;
  } else if (typeSubtype == MGT_AUTHENTICATION) {
    if (!has(body, end, 6)) { markReadPast(end, body + 6); return; }
    addNum(F_STATUS, u16le(body + 4, end));
    // Open system and shared key: elements may follow; other algorithms' fields (SAE, FILS) are not taken apart.
    if (u16le(body, end) > 1 || end - body + bytesCutAfter(end) <= 6) return;
    fixed = 6;
  } else if (typeSubtype == MGT_ACTION || typeSubtype == MGT_ACTION_NO_ACK) {
    dissectAction(body, end);
    return;
  } else {
    return;
  }
  if (!has(body, end, fixed)) { markReadPast(end, body + fixed); return; }
  // The elements' tree item is added even when there are none: at the end of the frame, tshark's read fails.
  if (!has(body + fixed, end, 1)) { markReadPast(end, body + fixed + 1); return; }
  dissectElements(body + fixed, end);
}

/** Action frames: the Block Ack category's fixed fields (its dialog token reaches the info column); other categories are not taken apart. */
function dissectAction(body: u32, end: u32): void {
  if (!has(body, end, 1)) { markReadPast(end, body + 1); return; }
  if ((<u32>load<u8>(body) & 0x7f) != CATEGORY_BLOCK_ACK) return;
  if (!has(body, end, 2)) { markReadPast(end, body + 2); return; }
  const action = <u32>load<u8>(body + 1);
  let fixed: u32 = 0;
  if (action == BA_ADDBA_REQUEST || action == BA_ADDBA_RESPONSE) {
    if (!has(body, end, 3)) { markReadPast(end, body + 3); return; }
    infoAppend(); puts(', Dialog Token='); putDec(<u32>load<u8>(body + 2)); infoDone();
    fixed = 9;
    if (action == BA_ADDBA_RESPONSE) {
      if (!has(body, end, 5)) { markReadPast(end, body + 5); return; }
      addNum(F_STATUS, u16le(body + 3, end));
    }
  } else if (action == BA_DELBA) {
    if (!has(body, end, 6)) { markReadPast(end, body + 6); return; }
    addNum(F_REASON, u16le(body + 4, end));
    fixed = 6;
  } else {
    return;
  }
  if (end - body + bytesCutAfter(end) <= fixed) return;
  dissectElements(body + fixed, end);
}

/** The elements (tag, length, value) to the end of the body; SSID and Mesh ID go to the info column. */
function dissectElements(p: u32, end: u32): void {
  const reportedEnd = end + bytesCutAfter(end);
  while (p < reportedEnd) {
    if (!has(p, end, 2)) { showErrorMark(); markReadPast(end, p + 2); return; }
    const tag = <u32>load<u8>(p);
    const length = <u32>load<u8>(p + 1);
    const value = p + 2;
    if (value + length > reportedEnd) { showErrorMark(); markOverrun(end, value + length); return; }
    if (tag == TAG_SSID) {
      if (!has(value, end, length)) { showErrorMark(); markReadPast(end, value + length); return; }
      infoAppend();
      if (length == 0) puts(', SSID=Wildcard (Broadcast)');
      else { puts(', SSID='); putSsid(value, length); }
      infoDone();
    } else if (tag == TAG_RSN && length >= 2 && has(value, end, length) && rsnOverruns(value, length, true)) {
      // The walk reads past the element and fails there.  When only the reads made for a tree do, the summary
      // shows no mark and goes on (later elements still reach the info column), though the fields stop here.
      markMalformed();
      if (rsnOverruns(value, length, false)) { showErrorMark(); return; }
      hideErrorMark();
    } else if (tag == TAG_MESH_ID && length > 0) {
      if (!has(value, end, length)) { showErrorMark(); markReadPast(end, value + length); return; }
      infoAppend(); puts(', MESHID='); putFormatText(value, length); infoDone();
    }
    p = value + length;
  }
}

/**
 * Whether tshark's walk of an RSN element of n bytes at p reads past its end.
 * The suite and PMKID counts are cut to what fits; the group cipher suites'
 * organisation codes and the counts are read in any case, the suites' whole
 * four bytes and the capabilities only when a protocol tree is built.
 */
function rsnOverruns(p: u32, n: u32, withTree: bool): bool {
  let offset: u32 = 2; // version
  if (offset >= n) return false;
  if (n < 5) return true;
  if (n < 6 && (withTree || isRsnOui(p + 2))) return true;
  offset = 6;
  if (offset >= n) return false;
  for (let list = 0; list < 2; list++) {
    if (offset + 2 > n) return true;
    let count = <u32>load<u16>(p + offset);
    offset += 2;
    if (offset + count * 4 > n) count = (n - offset) / 4;
    offset += count * 4;
    if (list == 0 && offset >= n) return false;
  }
  offset += 2; // capabilities
  if (offset > n) return withTree;
  if (offset == n) return false;
  if (offset + 2 > n) return true;
  let pmkids = <u32>load<u16>(p + offset);
  offset += 2;
  if (offset + pmkids * 16 > n) pmkids = (n - offset) / 16;
  offset += pmkids * 16;
  if (offset >= n) return false;
  if (offset + 3 > n) return true;
  return offset + 4 > n && (withTree || isRsnOui(p + offset));
}

@inline function isRsnOui(p: u32): bool {
  return load<u8>(p) == 0x00 && load<u8>(p, 1) == 0x0f && load<u8>(p, 2) == 0xac;
}

/** An SSID as tshark shows its bytes: in quotes when they are printable UTF-8, else as hex. */
function putSsid(p: u32, n: u32): void {
  if (isPrintableUtf8(p, n)) { putc(34); putRawBytes(p, n); putc(34); return; }
  putHexBytes(p, n);
}

function putRawBytes(p: u32, n: u32): void {
  for (let i: u32 = 0; i < n; i++) putc(<u32>load<u8>(p + i));
}

function isPrintableUtf8(p: u32, n: u32): bool {
  const end = p + n;
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      p++;
      continue;
    }
    const k = utf8SequenceLength(p, end);
    if (k == 0) return false;
    // Two-byte sequences below U+00A0 are C1 controls.
    if (k == 2 && c == 0xc2 && <u32>load<u8>(p + 1) < 0xa0) return false;
    p += k;
  }
  return true;
}

registerLinktype(LINKTYPE_IEEE802_11, dissectWlan);
