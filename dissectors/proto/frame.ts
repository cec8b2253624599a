// The frame pseudo-protocol (what the capture says about each frame) and the
// data dissector that takes whatever no other dissector claims.
import { protocol, uint, timeAbs, timeRel, flag, bytes, str, Base } from '../fields';
import { beginLayer, addCalled, addNum, addBytes, setProtocolColumn, setFrameExtent } from '../packet';
import { dispatchLinktype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { addProtocolsField } from '../frame-protocols';
import { PSEUDO_USER_DLT } from '../pseudo-layers';

export const PROTO_FRAME = protocol('frame', 'Frame');
const F_IFACE = uint('frame.interface_id', 'Interface id');
const F_TIME = timeAbs('frame.time', 'Arrival Time', Base.LOCAL_TIME);
const F_TIME_EPOCH = timeAbs('frame.time_epoch', 'Epoch Time');
const F_TIME_DELTA = timeRel('frame.time_delta', 'Time delta from previous captured frame');
const F_TIME_DELTA_DISPLAYED = timeRel('frame.time_delta_displayed', 'Time delta from previous displayed frame');
const F_TIME_REL = timeRel('frame.time_relative', 'Time since reference or first frame');
const F_NUMBER = uint('frame.number', 'Frame Number');
const F_LEN = uint('frame.len', 'Frame Length');
const F_CAPLEN = uint('frame.cap_len', 'Capture Length');
const F_ENCAP = uint('frame.encap_type', 'Encapsulation type');
const F_OFFSET_SHIFT = timeRel('frame.offset_shift', 'Time shift for this packet');
const F_MARKED = flag('frame.marked', 'Frame is marked');
const F_IGNORED = flag('frame.ignored', 'Frame is ignored');
const F_DIRECTION = uint('frame.packet_flags_direction', 'Direction', 32, Base.HEX);
const F_PROTOCOLS = str('frame.protocols', 'Protocols in frame', Base.FINAL_TEXT);

const PROTO_DATA = protocol('data', 'Data');
const F_DATA = bytes('data.data', 'Data');
const F_DATA_LEN = uint('data.len', 'Length');

const PROTO_WS_MALFORMED = protocol('_ws.malformed', 'Malformed Packet');
export const PROTO_WS_SHORT = protocol('_ws.short', 'Packet size limited during capture');
const PROTO_WS_UNREASSEMBLED = protocol('_ws.unreassembled', 'Unreassembled Packet');
const F_EXPERT_TRUNC = flag('_ws.short.truncated', 'Truncated');

const LINKTYPE_PPP_WITH_DIR: u32 = 204;
// The link types left to users, which tshark hands to its user_dlt dissector.
const LINKTYPE_USER0: u32 = 147;
const LINKTYPE_USER15: u32 = 162;

/**
 * A record length as tshark shows it: without the bytes wiretap takes as a
 * pseudo-header (the dissectors still read them).
 */
export function shownLength(linktype: u32, len: u32): u32 {
  const pseudo: u32 = linktype == LINKTYPE_PPP_WITH_DIR ? 1 : 0;
  return len >= pseudo ? len - pseudo : 0;
}

export function dissectFrame(number: u32, ifaceId: u32, hasTime: bool, epochNs: i64, relNs: i64,
  linktype: u32, flags: u32, start: u32, caplen: u32, origlen: u32): void {
  beginLayer(PROTO_FRAME);
  addNum(F_IFACE, ifaceId);
  frameDeltaNs = sawCaptured ? epochNs - previousCapturedNs : 0;
  frameDeltaDisplayedNs = sawDisplayed ? epochNs - previousDisplayedNs : 0;
  if (hasTime) {
    addNum(F_OFFSET_SHIFT, 0);
    addNum(F_TIME, <u64>epochNs);
    addNum(F_TIME_EPOCH, <u64>epochNs);
    addNum(F_TIME_DELTA, <u64>frameDeltaNs);
    addNum(F_TIME_DELTA_DISPLAYED, <u64>frameDeltaDisplayedNs);
    addNum(F_TIME_REL, <u64>relNs);
  }
  sawCaptured = true;
  previousCapturedNs = epochNs;
  addNum(F_NUMBER, number);
  addNum(F_LEN, shownLength(linktype, origlen));
  addNum(F_CAPLEN, shownLength(linktype, caplen));
  addNum(F_ENCAP, linktype);
  addNum(F_MARKED, 0);
  addNum(F_IGNORED, 0);
  if (flags & 3) addNum(F_DIRECTION, flags & 3);
  setFrameExtent(start + caplen, origlen > caplen ? origlen - caplen : 0, epochNs, number, origlen);
  if (linktype >= LINKTYPE_USER0 && linktype <= LINKTYPE_USER15) addCalled(PSEUDO_USER_DLT);
  if (!dispatchLinktype(linktype, start, start + caplen)) {
    setProtocolColumn('UNKNOWN');
    infoSet(); puts('Unsupported link type '); putDec(linktype); infoDone();
    dissectData(start, start + caplen);
  }
  addProtocolsField(F_PROTOCOLS);
}

/** The frame's time since the previous frame read, and since the previous one shown (the Time column's -t d and dd). */
export let frameDeltaNs: i64 = 0;
export let frameDeltaDisplayedNs: i64 = 0;

// The times of the previous frame read and of the previous one shown, for the time deltas.
let sawCaptured = false;
let previousCapturedNs: i64 = 0;
let sawDisplayed = false;
let previousDisplayedNs: i64 = 0;

/** The frame just dissected passed the display filter (or there is none): the next displayed delta counts from it. */
export function frameDisplayed(): void {
  sawDisplayed = sawCaptured;
  previousDisplayedNs = previousCapturedNs;
}

/** A new capture: no previous frame. */
export function resetFrameTimes(): void {
  sawCaptured = false;
  sawDisplayed = false;
}

export function dissectData(start: u32, end: u32): void {
  if (end <= start) return;
  beginLayer(PROTO_DATA);
  addBytes(F_DATA, start, end - start);
  addNum(F_DATA_LEN, end - start);
}

/** Marks the packet malformed the way Wireshark shows it, as a layer of its own. */
export function addMalformedLayer(): void {
  beginLayer(PROTO_WS_MALFORMED);
}

export function addUnreassembledLayer(): void {
  beginLayer(PROTO_WS_UNREASSEMBLED);
}

export function addShortLayer(): void {
  beginLayer(PROTO_WS_SHORT);
  addNum(F_EXPERT_TRUNC, 1);
}
