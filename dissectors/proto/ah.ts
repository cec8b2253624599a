// IP Authentication Header (RFC 4302).  IPv6 walks it as one of its
// extension headers; after IPv4 it hands on what it protects itself.
import { protocol, uint, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u32at, has } from '../cursor';
import { registerIpProto, dispatchIpProto } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoDone } from '../columns';
import { puts, putHex } from '../text';

const PROTO_AH = protocol('ah', 'Authentication Header');
const F_NEXT_HEADER = uint('ah.next_header', 'Next header', 8);
const F_LENGTH = uint('ah.length', 'Length', 8);
const F_RESERVED = bytes('ah.reserved', 'Reserved');
const F_SPI = uint('ah.spi', 'AH SPI', 32, Base.HEX);
const F_SEQUENCE = uint('ah.sequence', 'AH Sequence', 32);
const F_ICV = bytes('ah.icv', 'AH ICV');

let nextHeader: u32 = 0;
/** The next header named by the last header dissectAhHeader() read. */
export function ahNextHeader(): u32 { return nextHeader; }

/** Shows the header at p; returns its length, or -1 when its bytes run out. */
export function dissectAhHeader(p: u32, end: u32): i32 {
  setProtocolColumn('AH');
  infoSet(); infoDone();
  beginLayer(PROTO_AH);
  // Next header and length are read before anything is shown.
  if (!has(p, end, 2)) { markTruncated(); return -1; }
  nextHeader = u8at(p, end);
  addNum(F_NEXT_HEADER, nextHeader);
  const lengthField = u8at(p + 1, end);
  addNum(F_LENGTH, lengthField);
  // The length counts 32-bit words, less two; the ICV is what follows the 12 fixed bytes.
  const headerLen = (lengthField + 2) * 4;
  const icvLen = lengthField > 0 ? (lengthField - 1) * 4 : 0;
  if (!has(p, end, 4)) { markTruncated(); return -1; }
  addBytes(F_RESERVED, p + 2, 2);
  if (!has(p, end, 8)) { markTruncated(); return -1; }
  const spi = u32at(p + 4, end);
  addNum(F_SPI, spi);
  infoSet(); puts('AH (SPI='); putHex(spi, 8); puts(')'); infoDone();
  if (!has(p, end, 12)) { markTruncated(); return -1; }
  addNum(F_SEQUENCE, u32at(p + 8, end));
  if (!has(p + 12, end, icvLen)) { markTruncated(); return -1; }
  addBytes(F_ICV, p + 12, icvLen);
  return <i32>headerLen;
}

function dissectAh(start: u32, end: u32): void {
  const len = dissectAhHeader(start, end);
  if (len < 0) return;
  if (<u32>len > end - start) { markTruncated(); return; }
  const payload = start + <u32>len;
  if (!dispatchIpProto(nextHeader, payload, end)) dissectData(payload, end);
}

registerIpProto(51, dissectAh);
