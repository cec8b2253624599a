// Ethernet II and IEEE 802.3 (length field) framing.
import { protocol, ether, uint, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setAddresses, setDestinationAddress, setProtocolColumn, setProtocolColumnHex, AddrKind, markTruncated, frameFcsBytes,
  beginTrailerWatch, endTrailerWatch, markTrailerCut, bytesCutAfter, reportedLength } from '../packet';
import { u8at, u16at, has } from '../cursor';
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

/** An Ethernet frame that ends in a 4-byte FCS (inside Cisco ISL). */
function dissectEthernetWithFcs(start: u32, end: u32): void {
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
  if (fcsUnknown && datagramEnd != 0 && trailerReadFails(start, datagramEnd, end)) markTrailerCut();
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

/** Hands a payload to the protocol its ethertype names, or to data with tshark's "Ethernet II" info. */
export function dissectEthertype(type: u32, start: u32, end: u32): void {
  if (dispatchEthertype(type, start, end)) return;
  setProtocolColumnHex(type);
  dissectData(start, end);
}

registerLinktype(LINKTYPE_ETHERNET, dissectEthernetLink);
