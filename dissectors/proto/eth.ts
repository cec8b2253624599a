// Ethernet II and IEEE 802.3 (length field) framing.
import { protocol, ether, uint, flag, bytes, Base } from '../fields';
import { beginLayer, addCalled, addNum, addBytes, setAddresses, setDestinationAddress, setProtocolColumn, setProtocolColumnHex, AddrKind, markTruncated, markMalformed, frameFcsBytes,
  beginTrailerWatch, endTrailerWatch, markTrailerCut, bytesCutAfter, reportedLength, frameLengthOnWire } from '../packet';
import { u8at, u16at, has, be32 } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { dissectData } from './frame';
import { isIsl, dissectIsl } from './isl';
import { dissectLlc } from './llc';
import { dissectIpx } from './ipx';
import { infoSet, infoDone } from '../columns';
import { PSEUDO_ETHERTYPE, PSEUDO_F5_TRAILER } from '../pseudo-layers';
import { puts, putDec, putHex } from '../text';

const PROTO_ETH = protocol('eth', 'Ethernet II');
const F_DST = ether('eth.dst', 'Destination');
const F_SRC = ether('eth.src', 'Source');
const F_ADDR = ether('eth.addr', 'Address');
const F_DST_OUI = uint('eth.dst.oui', 'Destination OUI', 24);
const F_SRC_OUI = uint('eth.src.oui', 'Source OUI', 24);
const F_ADDR_OUI = uint('eth.addr.oui', 'Address OUI', 24);
const F_DST_LG = flag('eth.dst.lg', 'LG bit');
const F_SRC_LG = flag('eth.src.lg', 'LG bit');
const F_LG = flag('eth.lg', 'LG bit');
const F_DST_IG = flag('eth.dst.ig', 'IG bit');
const F_SRC_IG = flag('eth.src.ig', 'IG bit');
const F_IG = flag('eth.ig', 'IG bit');
const F_TYPE = uint('eth.type', 'Type', 16, Base.HEX);
const F_LEN = uint('eth.len', 'Length');
const F_INVALID_LENTYPE = uint('eth.invalid_lentype', 'Invalid length/type', 16, Base.HEX_DEC);
const F_FCS = uint('eth.fcs', 'Frame check sequence', 32, Base.HEX);
const F_TRAILER = bytes('eth.trailer', 'Trailer');
const F_PADDING = bytes('eth.padding', 'Padding');
const F_FCS_STATUS = uint('eth.fcs.status', 'FCS Status', 8);
// proto_checksum_vals: the FCS is not checked (tshark's eth.check_fcs is off by default).
const FCS_UNVERIFIED: u32 = 2;

export const LINKTYPE_ETHERNET: u32 = 1;

export function dissectEthernet(start: u32, end: u32): void {
  dissectEthernetFrame(start, end, frameFcsBytes());
}

/** A captured Ethernet frame: whether it ends in an FCS is not known, so tshark guesses from its trailer. */
function dissectEthernetLink(start: u32, end: u32): void {
  dissectEthernetFrame(start, end, frameFcsBytes(), frameFcsBytes() == 0);
}

/** An Ethernet frame inside a tunnel or pseudowire, which carries no FCS of its own. */
export function dissectEthernetWithoutFcs(start: u32, end: u32): void {
  dissectEthernetFrame(start, end, 0);
}

/** An Ethernet frame that ends in a 4-byte FCS (inside Cisco ISL, or raw under Frame Relay). */
export function dissectEthernetWithFcs(start: u32, end: u32): void {
  dissectEthernetFrame(start, end, 4);
}

function dissectEthernetFrame(start: u32, end: u32, fcs: u32, fcsUnknown: bool = false): void {
  beginLayer(PROTO_ETH);
  setProtocolColumn('Ethernet');
  if (!has(start, end, 14)) {
    // tshark has taken the destination for its column before the header runs out.
    if (has(start, end, 6)) setDestinationAddress(AddrKind.ETHER, start);
    markTruncated();
    return;
  }
  const lengthOrType = u16at(start + 12, end);
  if (lengthOrType <= 1500 && isIsl(start, end)) { dissectIsl(start, end, dissectEthernetWithFcs); return; }
  if (fcs > 0 && end - start >= 14 + fcs) end -= fcs;
  addAddress(F_DST, F_DST_OUI, F_DST_LG, F_DST_IG, start);
  addAddress(F_SRC, F_SRC_OUI, F_SRC_LG, F_SRC_IG, start + 6);
  setAddresses(AddrKind.ETHER, start + 6, start);
  const type = u16at(start + 12, end);
  if (fcs == 4) {
    addNum(F_FCS, <u64>bswap<u32>(load<u32>(end)));
    addNum(F_FCS_STATUS, FCS_UNVERIFIED);
  }
  // Type 0 is taken as an (unknown) Ethernet II type, not an 802.3 length, as tshark does.
  if (type > 1500 && type < 1536) {
    // Neither a length nor a type: tshark shows the value and the rest as data.
    addNum(F_INVALID_LENTYPE, type);
    infoSet(); puts('Ethernet Unknown: Invalid length/type: '); putHex(type, 4);
    puts(' ('); putDec(type); puts(')'); infoDone();
    dissectData(start + 14, end);
    return;
  }
  if (type <= 1500 && type != 0) {
    // IEEE 802.3: the field is a length, and LLC follows.
    infoSet(); puts('IEEE 802.3 Ethernet ');
    // Raw 802.3 is IPX with no LLC header: its checksum, always 0xffff, is where the SAPs would be.
    const raw = has(start + 14, end, 2) && u16at(start + 14, end) == 0xffff;
    if (raw) puts('Raw ');
    infoDone();
    addNum(F_LEN, type);
    const payloadEnd = end - (start + 14) > type ? start + 14 + type : end;
    if (raw) dissectIpx(start + 14, payloadEnd); else dissectLlc(start + 14, payloadEnd);
    // In a frame the capture cut, xcap does not model which of tshark's reads of an 802.3 payload and trailer fails first.
    if (fcsUnknown && bytesCutAfter(end) == 0) dissectEthernetTrailer(reportedLength(start, end), payloadEnd, end, F_TRAILER, true);
    else if (payloadEnd < end) addBytes(F_TRAILER, payloadEnd, end - payloadEnd);
    return;
  }
  infoSet(); puts('Ethernet II'); infoDone();
  addNum(F_TYPE, type);
  const outerWatch = beginTrailerWatch(start + 14);
  dissectEthertype(type, start + 14, end);
  const datagramEnd = endTrailerWatch(outerWatch);
  if (datagramEnd == 0) return;
  // tshark's padding rule counts the whole frame on the wire, an outer
  // one's for an encapsulated Ethernet frame, without an FCS cut off above.
  if (fcsUnknown) dissectEthernetTrailer(reportedLength(start, end), datagramEnd, end, F_TRAILER, true);
  else dissectEthernetTrailer(frameLengthOnWire() - fcs, datagramEnd, end, F_TRAILER, false);
}

/**
 * tshark's add_ethernet_trailer for the bytes [trailer, end) an Ethernet or
 * VLAN payload left, in a frame of frameLen bytes on the wire, step by step
 * as it reads them: zero padding up to the 60-byte minimum (each byte read
 * to check it is zero), a guessed FCS when `fcsGuess` (an Ethernet capture
 * that does not say whether frames end in one) and the frame has 64 bytes or
 * more, its trailer heuristics, the rest as `trailerField`, then the FCS.  A
 * read past the captured bytes marks the frame size limited where tshark's
 * throws; the F5 heuristic's read past a short trailer marks it malformed.
 */
export function dissectEthernetTrailer(frameLen: u32, trailer: u32, end: u32, trailerField: u32, fcsGuess: bool): void {
  if (trailer >= end) return;
  const captured = end - trailer;
  const reported = captured + bytesCutAfter(end);
  let padding: u32 = 0;
  if (frameLen >= MIN_FRAME_LEN && frameLen - reported < MIN_FRAME_LEN) {
    const wanted = MIN_FRAME_LEN - (frameLen - reported);
    let zeros: u32 = 0;
    for (; zeros < wanted; zeros++) {
      if (zeros >= captured) { markTrailerCut(); return; }
      if (load<u8>(trailer + zeros) != 0) break;
    }
    if (zeros == wanted) padding = wanted;
  }
  if (padding > 0) addBytes(F_PADDING, trailer, padding);
  let restCaptured = captured - padding;
  let restReported = reported - padding;
  const fcs = fcsGuess && frameLen >= MIN_FRAME_LEN + 4 && restReported >= 4;
  if (fcs) {
    restReported -= 4;
    restCaptured = restCaptured > restReported ? restReported : restCaptured;
  }
  const t = trailer + padding;
  // In a frame the capture cut, F5's reads are not modelled: it is taken to decline.
  const f5 = bytesCutAfter(end) == 0 ? f5Probe(t, end) : F5.DECLINES;
  if (f5 == F5.FAILS) markMalformed();
  if (f5 != F5.DECLINES) { addCalled(PSEUDO_F5_TRAILER); return; }
  if (restCaptured > 0) addBytes(trailerField, t, restCaptured);
  if (!fcs) return;
  if (t + restCaptured + 4 > end) { markTrailerCut(); return; }
  addNum(F_FCS, be32(t + restCaptured));
  addNum(F_FCS_STATUS, FCS_UNVERIFIED);
}

// Ethernet's minimum frame, without its FCS, which tshark takes a shorter frame's trailer to pad up to.
const MIN_FRAME_LEN: u32 = 60;

const F5_MAGIC: u32 = 0xf5deb0f5;
const F5_MIN_TRAILER: u32 = 7;
const F5_HEADER_LEN: u32 = 12;

const enum F5 { DECLINES = 0, TAKES = 1, FAILS = 2 }

/**
 * What tshark's F5 Ethernet trailer heuristic (on by default) does with a
 * wholly captured trailer [t, end) past the zero padding: past any leading zeros it
 * looks for its magic number, and takes the trailer when it finds it; when
 * the leading zeros outnumber what is left, its unsigned length test wraps,
 * so it reads four bytes past a short trailer, an exception that makes the
 * frame malformed (the only trailer heuristic that fails this way).  A
 * trailer it takes as F5's is not dissected here.
 */
function f5Probe(t: u32, end: u32): F5 {
  const length = end - t;
  let offset: u32 = 0;
  while (offset < length && load<u8>(t + offset) == 0) offset++;
  const rest = length - offset;
  if (rest < F5_MIN_TRAILER || rest - offset < F5_HEADER_LEN) return F5.DECLINES;
  if (be32(t + offset) == F5_MAGIC) return F5.TAKES;
  for (let i: u32 = 0; i <= offset && i <= 4; i++) {
    const at = offset + 4 - i;
    if (at + 4 > length) return F5.FAILS;
    if (be32(t + at) == F5_MAGIC) return F5.TAKES;
  }
  return F5.DECLINES;
}

/** Hands a payload to the protocol its ethertype names, or to data with tshark's "Ethernet II" info. */
export function dissectEthertype(type: u32, start: u32, end: u32): void {
  addCalled(PSEUDO_ETHERTYPE);
  if (dispatchEthertype(type, start, end)) return;
  setProtocolColumnHex(type);
  dissectData(start, end);
}

registerLinktype(LINKTYPE_ETHERNET, dissectEthernetLink);

/** An address with what its first three bytes say: the OUI, and the locally-administered and group bits. */
function addAddress(fAddr: u32, fOui: u32, fLg: u32, fIg: u32, p: u32): void {
  addBytes(fAddr, p, 6);
  const first = <u32>load<u8>(p);
  const oui = (first << 16) | (<u32>load<u8>(p + 1) << 8) | <u32>load<u8>(p + 2);
  addNum(fOui, oui);
  addBytes(F_ADDR, p, 6);
  addNum(F_ADDR_OUI, oui);
  addNum(fLg, (first >> 1) & 1);
  addNum(F_LG, (first >> 1) & 1);
  addNum(fIg, first & 1);
  addNum(F_IG, first & 1);
}
