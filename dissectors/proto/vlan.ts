// IEEE 802.1Q VLAN tags (0x8100, and 0x9100 as tshark's default Q-in-Q
// type) and IEEE 802.1ad service tags (0x88a8), which Wireshark dissects as
// a protocol of its own with fields under ieee8021ad.* / ieee8021ah.etype.
import { protocol, uint, flag, bytes, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated, beginTrailerWatch, endTrailerWatch, frameLengthOnWire } from '../packet';
import { u16at, has } from '../cursor';
import { registerEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { dissectEthertype, dissectEthernetTrailer } from './eth';
import { dissectLlc } from './llc';

const PROTO_VLAN = protocol('vlan', '802.1Q Virtual LAN');
const F_PRIORITY = uint('vlan.priority', 'Priority', 16);
const F_DEI = flag('vlan.dei', 'DEI');
const F_ID = uint('vlan.id', 'ID', 16);
const F_ETYPE = uint('vlan.etype', 'Type', 16, Base.HEX);
const F_LEN = uint('vlan.len', 'Length', 16);
const F_TRAILER = bytes('vlan.trailer', 'Trailer');

const PROTO_8021AD = protocol('ieee8021ad', 'IEEE 802.1ad');
const F_AD_PRIORITY = uint('ieee8021ad.priority', 'Priority', 16);
const F_AD_DEI = uint('ieee8021ad.dei', 'DEI', 16);
const F_AD_ID = uint('ieee8021ad.id', 'ID', 16);
const F_AD_SVID = uint('ieee8021ad.svid', 'ID', 16);
const F_AD_CVID = uint('ieee8021ad.cvid', 'ID', 16);
const PROTO_8021AH = protocol('ieee8021ah', 'IEEE 802.1ah');
const F_AH_ETYPE = uint('ieee8021ah.etype', 'Type', 16, Base.HEX);

const ETHERTYPE_8021AD: u32 = 0x88a8;
// Wireshark stops decoding (with an expert note) past this many nested tags.
const MAX_NESTED_TAGS: u32 = 20;
// Tags nested in the packet being dissected (counted up and down around the hand-off).
let nestedTags: u32 = 0;

/** "PRI: p  DEI: d  ID: i" for 802.1Q; 802.1ad words it "PRI: p  DROP: d ID: i". */
function putTagInfo(tci: u32, serviceTag: bool): void {
  infoSet();
  puts('PRI: '); putDec(tci >> 13);
  puts(serviceTag ? '  DROP: ' : '  DEI: '); putDec((tci >> 12) & 1);
  puts(serviceTag ? ' ID: ' : '  ID: '); putDec(tci & 0xfff);
  infoDone();
}

export function dissectVlan(start: u32, end: u32): void {
  setProtocolColumn('VLAN');
  infoSet(); infoDone();
  if (!has(start, end, 2)) { markTruncated(); return; }
  const tci = u16at(start, end);
  putTagInfo(tci, false);
  // tshark adds the tag's fields before it reads the type, so a tag cut
  // after its first two bytes still shows them.
  beginLayer(PROTO_VLAN);
  if (nestedTags >= MAX_NESTED_TAGS) return;
  addNum(F_PRIORITY, tci >> 13);
  addNum(F_DEI, (tci >> 12) & 1);
  addNum(F_ID, tci & 0xfff);
  if (!has(start, end, 4)) { markTruncated(); return; }
  const type = u16at(start + 2, end);
  if (type <= 1500) {
    dissectLengthPayload(type, start + 4, end);
    return;
  }
  addNum(F_ETYPE, type);
  nestedTags++;
  const outerWatch = beginTrailerWatch(start + 4);
  dissectEthertype(type, start + 4, end);
  const datagramEnd = endTrailerWatch(outerWatch);
  nestedTags--;
  if (datagramEnd != 0) dissectEthernetTrailer(frameLengthOnWire(), datagramEnd, end, F_TRAILER, false);
}

/** An 802.3 length instead of a type: the payload is LLC. */
function dissectLengthPayload(length: u32, start: u32, end: u32): void {
  addNum(F_LEN, length);
  const payloadEnd = end - start > length ? start + length : end;
  dissectLlc(start, payloadEnd);
  dissectEthernetTrailer(frameLengthOnWire(), payloadEnd, end, F_TRAILER, false);
}

export function dissect8021ad(start: u32, end: u32): void {
  setProtocolColumn('802.1ad');
  infoSet(); infoDone();
  if (!has(start, end, 2)) { markTruncated(); return; }
  const tci = u16at(start, end);
  putTagInfo(tci, true);
  // The protocol item is added even when the tag is cut short; its fields are not.
  beginLayer(PROTO_8021AD);
  if (!has(start, end, 4)) { markTruncated(); return; }
  const type = u16at(start + 2, end);
  if (type == ETHERTYPE_8021AD) {
    // Two service tags in a row: Wireshark reads both here as S-VID and C-VID.
    if (!has(start, end, 6)) { markTruncated(); return; }
    const ctci = u16at(start + 4, end);
    addNum(F_AD_PRIORITY, tci >> 13);
    addNum(F_AD_DEI, (tci >> 12) & 1);
    addNum(F_AD_SVID, tci & 0xfff);
    addNum(F_AD_PRIORITY, ctci >> 13);
    addNum(F_AD_DEI, (ctci >> 12) & 1);
    addNum(F_AD_CVID, ctci & 0xfff);
    if (!has(start, end, 8)) { markTruncated(); return; }
    const inner = u16at(start + 6, end);
    addNum(F_AH_ETYPE, inner);
    dissectEthertype(inner, start + 8, end);
    return;
  }
  addNum(F_AD_PRIORITY, tci >> 13);
  addNum(F_AD_DEI, (tci >> 12) & 1);
  addNum(F_AD_ID, tci & 0xfff);
  addNum(F_AH_ETYPE, type);
  dissectEthertype(type, start + 4, end);
}

registerEthertype(0x8100, dissectVlan);
registerEthertype(0x9100, dissectVlan);
registerEthertype(ETHERTYPE_8021AD, dissect8021ad);
