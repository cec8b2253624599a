// Ethernet II and IEEE 802.3 (length field) framing.
import { protocol, ether, uint, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setAddresses, setDestinationAddress, setProtocolColumn, setProtocolColumnHex, AddrKind, markTruncated, markMalformed, frameFcsBytes,
  beginTrailerWatch, endTrailerWatch, markTrailerCut, bytesCutAfter, reportedLength } from '../packet';
import { u8at, u16at, has, be32 } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { dissectData } from './frame';
import { isIsl, dissectIsl } from './isl';
import { dissectLlc } from './llc';
import { dissectIpx } from './ipx';
import { infoSet, infoDone } from '../columns';
import { puts, putDec, putHex } from '../text';

const PROTO_ETH = protocol('eth', 'Ethernet II');
const F_DST = ether('eth.dst', 'Destination');
const F_SRC = ether('eth.src', 'Source');
const F_ADDR = ether('eth.addr', 'Address');
const F_TYPE = uint('eth.type', 'Type', 16, Base.HEX);
const F_LEN = uint('eth.len', 'Length');
const F_INVALID_LENTYPE = uint('eth.invalid_lentype', 'Invalid length/type', 16, Base.HEX_DEC);
const F_FCS = uint('eth.fcs', 'Frame check sequence', 32, Base.HEX);
const F_TRAILER = bytes('eth.trailer', 'Trailer');

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
  addBytes(F_DST, start, 6);
  addBytes(F_ADDR, start, 6);
  addBytes(F_SRC, start + 6, 6);
  addBytes(F_ADDR, start + 6, 6);
  setAddresses(AddrKind.ETHER, start + 6, start);
  const type = u16at(start + 12, end);
  if (fcs == 4) addNum(F_FCS, <u64>bswap<u32>(load<u32>(end)));
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
    if (payloadEnd < end) addBytes(F_TRAILER, payloadEnd, end - payloadEnd);
    return;
  }
  infoSet(); puts('Ethernet II'); infoDone();
  addNum(F_TYPE, type);
  const outerWatch = beginTrailerWatch(start + 14);
  dissectEthertype(type, start + 14, end);
  const datagramEnd = endTrailerWatch(outerWatch);
  if (!fcsUnknown || datagramEnd == 0) return;
  if (trailerReadFails(start, datagramEnd, end)) markTrailerCut();
  else if (f5ProbeFails(start, datagramEnd, end)) markMalformed();
}

// Ethernet's minimum frame, without its FCS, which tshark takes a shorter frame's trailer to pad up to.
const MIN_FRAME_LEN: u32 = 60;

/**
 * Whether tshark's look at the trailer (what follows the datagram at
 * `trailer`) of a frame the snap length cut fails a read: the zeros it
 * expects as padding run past the captured bytes, or it takes the trailer's
 * last four bytes for an FCS (a frame of 64 bytes or more) and reads them.
 */
function trailerReadFails(start: u32, trailer: u32, end: u32): bool {
  const cut = bytesCutAfter(end);
  // No trailer byte captured: tshark does not look at it.
  if (cut == 0 || trailer >= end) return false;
  const frameLen = reportedLength(start, end);
  let captured = end - trailer;
  let reported = captured + cut;
  if (frameLen >= MIN_FRAME_LEN && frameLen - reported < MIN_FRAME_LEN) {
    const padding = MIN_FRAME_LEN - (frameLen - reported);
    let zeros: u32 = 0;
    for (; zeros < padding; zeros++) {
      if (zeros >= captured) return true;
      if (u8at(trailer + zeros, end) != 0) break;
    }
    if (zeros == padding) { captured -= padding; reported -= padding; }
  }
  return frameLen >= MIN_FRAME_LEN + 4 && reported >= 4;
}

const F5_MAGIC: u32 = 0xf5deb0f5;
const F5_MIN_TRAILER: u32 = 7;
const F5_HEADER_LEN: u32 = 12;

/**
 * Whether tshark's F5 Ethernet trailer heuristic (on by default, and the
 * only trailer heuristic that fails this way) throws on a wholly captured
 * trailer: past the zero padding and any leading zeros it looks for its
 * magic number, and when the leading zeros outnumber what is left its
 * unsigned length test wraps, so it reads four bytes past a short trailer,
 * an exception that makes the frame malformed.  A trailer it would take as
 * F5's is not dissected here.
 */
function f5ProbeFails(start: u32, trailer: u32, end: u32): bool {
  if (bytesCutAfter(end) != 0 || trailer >= end) return false;
  const frameLen = end - start;
  let t = trailer, length = end - trailer;
  if (frameLen >= MIN_FRAME_LEN && frameLen - length < MIN_FRAME_LEN) {
    const padding = MIN_FRAME_LEN - (frameLen - length);
    let zeros: u32 = 0;
    while (zeros < padding && load<u8>(t + zeros) == 0) zeros++;
    if (zeros == padding) { t += padding; length -= padding; }
  }
  let offset: u32 = 0;
  while (offset < length && load<u8>(t + offset) == 0) offset++;
  const rest = length - offset;
  if (rest < F5_MIN_TRAILER || rest - offset < F5_HEADER_LEN) return false;
  if (be32(t + offset) == F5_MAGIC) return false;
  for (let i: u32 = 0; i <= offset && i <= 4; i++) {
    const at = offset + 4 - i;
    if (at + 4 > length) return true;
    if (be32(t + at) == F5_MAGIC) return false;
  }
  return false;
}

/** Hands a payload to the protocol its ethertype names, or to data with tshark's "Ethernet II" info. */
export function dissectEthertype(type: u32, start: u32, end: u32): void {
  if (dispatchEthertype(type, start, end)) return;
  setProtocolColumnHex(type);
  dissectData(start, end);
}

registerLinktype(LINKTYPE_ETHERNET, dissectEthernetLink);
