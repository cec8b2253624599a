// MPLS label stack (RFC 3032), ethertypes 0x8847 / 0x8848, PPP 0x0281,
// GRE, and IP protocol 137.  What follows the bottom label has no type
// field: like tshark, guess from its first nibble (4 IPv4, 6 IPv6, 0 or
// anything unlikely to be IP: an Ethernet pseudowire).
import { protocol, uint, Base } from '../fields';
import { beginLayer, beginSingleCall, endSingleCall, addNum, setProtocolColumn, markTruncated, bytesCutAfter } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerEthertype, registerIpProto, registerUdpPort, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { dissectData } from './frame';
import { dissectEthernetWithoutFcs } from './eth';

const PROTO_MPLS = protocol('mpls', 'MultiProtocol Label Switching Header');
const F_LABEL = uint('mpls.label', 'MPLS Label', 32, Base.DEC_HEX);
const F_EXP = uint('mpls.exp', 'MPLS Experimental Bits', 32);
const F_BOTTOM = uint('mpls.bottom', 'MPLS Bottom Of Label Stack', 32);
const F_TTL = uint('mpls.ttl', 'MPLS TTL', 32);
const PROTO_PWETHCW = protocol('pwethcw', 'PW Ethernet Control Word');
const F_PWETH_CW_SEQ = uint('pweth.cw.sequence_number', 'PW sequence number (ethernet)', 16);
const PROTO_PWACH = protocol('pwach', 'PW Associated Channel Header');
const F_PWACH_VER = uint('pwach.ver', 'Channel Version', 8);
const F_PWACH_RES = uint('pwach.res', 'Reserved', 8, Base.HEX);
const F_PWACH_CHANNEL = uint('pwach.channel_type', 'Channel Type', 16, Base.HEX);

const LABEL_STACK_ENTRY: u32 = 4;
// Generic Associated Channel label (RFC 5586): an ACH, not a packet, follows.
const LABEL_GACH: u32 = 13;

/** The label stack: one call, a layer per label. */
function dissectMpls(start: u32, end: u32): void {
  const call = beginSingleCall(PROTO_MPLS);
  dissectLabels(start, end);
  endSingleCall(call);
}

function dissectLabels(start: u32, end: u32): void {
  setProtocolColumn('MPLS');
  infoSet(); puts('MPLS Label Switched Packet'); infoDone();
  let p = start;
  // One entry per iteration, each 4 bytes further: bounded by the frame.
  while (p < end) {
    beginLayer(PROTO_MPLS);
    if (!has(p, end, LABEL_STACK_ENTRY)) { markTruncated(); return; }
    const entry = u32at(p, end);
    const label = entry >> 12;
    const bottom = (entry >> 8) & 1;
    addNum(F_LABEL, label);
    addNum(F_EXP, (entry >> 9) & 7);
    addNum(F_BOTTOM, bottom);
    addNum(F_TTL, entry & 0xff);
    p += LABEL_STACK_ENTRY;
    if (label == LABEL_GACH && bottom) { dissectPwAch(p, end); return; }
    if (bottom) break;
  }
  if (!has(p, end, 1)) { markTruncated(); return; }
  dissectPayload(p, end);
}

/** The payload after the bottom label, guessed from its first nibble as tshark 4.0 does. */
function dissectPayload(p: u32, end: u32): void {
  const nibble = u8at(p, end) >> 4;
  if (nibble == 4) {
    dispatchEthertype(0x0800, p, end);
  } else if (nibble == 6) {
    if (!dispatchEthertype(0x86dd, p, end)) dissectData(p, end);
  } else if (nibble == 1) {
    dissectPwAch(p, end);
  } else if (nibble == 0) {
    dissectEthernetPseudowire(p, end);
  } else {
    dissectData(p, end);
  }
}

/**
 * tshark takes the payload for Ethernet without a control word only when
 * both MAC addresses have a known OUI in its manufacturer database.  Lacking
 * that database, a payload starting with two zero bytes (a control word
 * with no flags) is taken as having a control word.
 */
function dissectEthernetPseudowire(p: u32, end: u32): void {
  // Lengths here are tshark's reported ones: what the frame had on the wire.
  const onWire = end - p + bytesCutAfter(end);
  let controlWord = true;
  if (onWire >= 14) {
    // tshark reads both OUIs (bytes 0-2 and 6-8) to decide.
    if (!has(p, end, 9)) { markTruncated(); return; }
    controlWord = u16at(p, end) == 0;
  }
  if (!controlWord) { dissectEthernetWithoutFcs(p, end); return; }
  // The control-word dissector declines fewer than 4 bytes; tshark shows them as data.
  if (onWire < 4) { dissectData(p, end); return; }
  if (!has(p, end, 4)) { markTruncated(); return; }
  beginLayer(PROTO_PWETHCW);
  addNum(F_PWETH_CW_SEQ, u16at(p + 2, end));
  dissectEthernetWithoutFcs(p + 4, end);
}

function dissectPwAch(p: u32, end: u32): void {
  beginLayer(PROTO_PWACH);
  if (!has(p, end, 4)) { markTruncated(); return; }
  addNum(F_PWACH_VER, u8at(p, end) & 0x0f);
  addNum(F_PWACH_RES, u8at(p + 1, end));
  addNum(F_PWACH_CHANNEL, u16at(p + 2, end));
  dissectData(p + 4, end);
}

registerEthertype(0x8847, dissectMpls);
registerEthertype(0x8848, dissectMpls);
registerIpProto(137, dissectMpls);
registerUdpPort(6635, dissectMpls);
