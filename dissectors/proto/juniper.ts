// Juniper's capture header (link types 178, Juniper Ethernet, and 137,
// Juniper ATM1): the magic "MGC", a flags byte (direction, layer 2 header
// stripped, extensions present), optional extension TLVs, then the frame.
// As tshark does: without the magic a Juniper Ethernet frame is Ethernet
// from its first byte; with the layer 2 header stripped a little-endian
// protocol number says what follows.  An ATM1 frame has a 4-byte cookie, then
// LLC, an NLPID after a UI byte, or bare IP, told apart by their first bytes;
// OAM cells (cookie 0x80...) stay data here.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { lacks, u8at, u16at, u24at, u32at } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { dissectData } from './frame';
import { dissectEthernetWithoutFcs } from './eth';
import { dissectLlc } from './llc';
import { dissectOsi } from './osi';

const PROTO_JUNIPER = protocol('juniper', 'Juniper');
const F_MAGIC = uint('juniper.magic-number', 'Magic Number', 24, Base.HEX);
const F_EXT_TOTAL_LEN = uint('juniper.ext_total_len', 'Extension(s) Total length', 16);

const F_ATM1_COOKIE = uint('juniper.atm1.cookie', 'Cookie', 32, Base.HEX);

const LINKTYPE_JUNIPER_ATM1: u32 = 137, LINKTYPE_JUNIPER_ETHER: u32 = 178;
const MAGIC: u32 = 0x4d4743;
const FLAG_NO_L2: u32 = 0x02, FLAG_EXT: u32 = 0x80;
const TLV_HEADER: u32 = 2;
// Wireshark's juniper.proto numbers for what follows a stripped layer 2 header.
const PROTO_IP: u32 = 2, PROTO_IP6: u32 = 6, PROTO_ETHER: u32 = 204;
const HDR_NLPID: u32 = 0xfefe03, HDR_SNAP: u32 = 0xaaaa03, HDR_LLC_UI: u32 = 0x03;
const ATM1_COOKIE_LEN: u32 = 4;

function dissectJuniperEther(start: u32, end: u32): void {
  const headerEnd = dissectHeader('Juniper Ethernet', start, end);
  if (headerEnd != 0) dissectEthernetWithoutFcs(headerEnd, end);
}

function dissectJuniperAtm1(start: u32, end: u32): void {
  const headerEnd = dissectHeader('Juniper ATM1', start, end);
  if (headerEnd == 0) return;
  // tshark reads eight bytes of cookie whatever the PIC, and an ATM1 cookie is four.
  if (lacks(headerEnd, end, 8)) return;
  const cookie = u32at(headerEnd, end);
  addNum(F_ATM1_COOKIE, cookie);
  const p = headerEnd + ATM1_COOKIE_LEN;
  if (cookie >> 24 == 0x80) { dissectData(p, end); return; }
  if (lacks(p, end, 3)) return;
  const head = u24at(p, end);
  if (head == HDR_NLPID || head == HDR_SNAP) { dissectLlc(p, end); return; }
  const first = head >> 16;
  if (first == HDR_LLC_UI) { dissectOsiByNlpid(p + 1, end); return; }
  if (first >= 0x45 && first <= 0x4f) { dispatchEthertype(0x0800, p, end); return; }
  if (first >= 0x60 && first <= 0x6f) { dispatchEthertype(0x86dd, p, end); return; }
  dissectData(p, end);
}

/**
 * The common header; returns where the frame proper starts, or 0 when the
 * header ran out or (layer 2 header stripped) its payload is already done.
 * Without the magic, the frame starts at its first byte.
 */
function dissectHeader(name: string, start: u32, end: u32): u32 {
  setProtocolColumn(name);
  infoSet(); infoDone();
  beginLayer(PROTO_JUNIPER);
  if (lacks(start, end, 4)) return 0;
  const magic = u24at(start, end);
  const flags = u8at(start + 3, end);
  addNum(F_MAGIC, magic);
  if (magic != MAGIC) return start;
  const headerEnd = skipExtensions(start, end, flags);
  if (headerEnd == 0 || (flags & FLAG_NO_L2) == 0) return headerEnd;
  if (!lacks(headerEnd, end, 4)) dissectPayload(<u32>load<u32>(headerEnd), headerEnd + 4, end);
  return 0;
}

/** Where the header ends past its extension TLVs (walked for tshark's reads of them); 0 when a read runs out. */
function skipExtensions(start: u32, end: u32, flags: u32): u32 {
  if ((flags & FLAG_EXT) == 0) return start + 4;
  if (lacks(start + 4, end, 2)) return 0;
  let left = u16at(start + 4, end);
  addNum(F_EXT_TOTAL_LEN, left);
  const headerEnd = start + 6 + left;
  let p = start + 6;
  while (left > TLV_HEADER) {
    if (lacks(p, end, TLV_HEADER)) return 0;
    const length = <u32>load<u8>(p + 1);
    if (length == 0 || length > left - TLV_HEADER) break;
    // Values of one to four bytes are read as numbers.
    if (length <= 4 && lacks(p + TLV_HEADER, end, length)) return 0;
    p += TLV_HEADER + length;
    left -= TLV_HEADER + length;
  }
  return headerEnd;
}

function dissectPayload(proto: u32, p: u32, end: u32): void {
  if (proto == PROTO_ETHER) { dissectEthernetWithoutFcs(p, end); return; }
  if (proto == PROTO_IP && dispatchEthertype(0x0800, p, end)) return;
  if (proto == PROTO_IP6 && dispatchEthertype(0x86dd, p, end)) return;
  dissectData(p, end);
}

/** An OSI PDU, its NLPID first, handed to the OSI dispatch as tshark's juniper.proto table does. */
function dissectOsiByNlpid(p: u32, end: u32): void {
  if (!dissectOsi(p, end)) dissectData(p, end);
}

registerLinktype(LINKTYPE_JUNIPER_ETHER, dissectJuniperEther);
registerLinktype(LINKTYPE_JUNIPER_ATM1, dissectJuniperAtm1);
