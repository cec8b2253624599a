// ISAKMP / IKE (RFC 2408, RFC 7296) on UDP 500, and on UDP 4500 behind the
// four zero bytes of the non-ESP marker (RFC 3948): the header, named as
// tshark names the exchange, and the chain of payloads as tshark walks it,
// into SAs, their proposals, and the proposals' transforms with their
// attributes.  The walk reads only the generic headers and what tshark
// reads unconditionally inside the SA, proposal and transform, so that a
// payload, proposal or attribute reaching past the message or the capture
// gets tshark's mark; the payloads' contents are not decoded.
import { protocol, uint, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { dissectData } from './frame';
import { has, be16, be32, lacks } from '../cursor';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec, tableName } from '../text';

const PROTO_ISAKMP = protocol('isakmp', 'Internet Security Association and Key Management Protocol');
const F_ISPI = bytes('isakmp.ispi', 'Initiator SPI');
const F_RSPI = bytes('isakmp.rspi', 'Responder SPI');
const F_NEXT_PAYLOAD = uint('isakmp.nextpayload', 'Next payload', 8);
const F_VERSION = uint('isakmp.version', 'Version', 8, Base.HEX);
const F_EXCHANGE = uint('isakmp.exchangetype', 'Exchange type', 8);
const F_FLAGS = uint('isakmp.flags', 'Flags', 8, Base.HEX);
const F_MESSAGE_ID = uint('isakmp.messageid', 'Message ID', 32, Base.HEX);
const F_LENGTH = uint('isakmp.length', 'Length', 32);
const F_PAYLOAD = uint('isakmp.typepayload', 'Payload', 8);
const F_PAYLOAD_LENGTH = uint('isakmp.payloadlength', 'Payload length', 16);
const F_DOI = uint('isakmp.sa.doi', 'Domain of interpretation', 32);
const F_PROPOSAL_NUMBER = uint('isakmp.prop.number', 'Proposal number', 8);
const F_PROPOSAL_TRANSFORMS = uint('isakmp.prop.transforms', 'Proposal transforms', 8);

const HEADER: u32 = 28;
const FLAG_ENCRYPTED: u32 = 0x01;
const FLAG_INITIATOR: u32 = 0x08;
const FLAG_RESPONSE: u32 = 0x20;

const NONE: u32 = 0;
const SA_V1: u32 = 1;
const PROPOSAL: u32 = 2;
const TRANSFORM: u32 = 3;
const SA_KEK: u32 = 15;
const SA_V2: u32 = 33;
const IPSEC_DOI: u32 = 1;
/** Proposals inside SAs inside proposals... tshark recurses without end; past this depth the walk stops quietly. */
const MAX_DEPTH: u32 = 16;

// The message's tvb: where it starts, its captured end, and its version.
let base: u32 = 0;
let end: u32 = 0;
let major: u32 = 0;

/** Dissects an ISAKMP message at [start, end). */
export function dissectIsakmp(start: u32, messageEnd: u32): void {
  setProtocolColumn('ISAKMP');
  infoSet(); infoDone();
  // As tshark: less than a header, or a length below one, is not ISAKMP;
  // the columns it already set stay, the bytes are data.
  if (!has(start, messageEnd, HEADER) || be32(start + 24) < HEADER) { dissectData(start, messageEnd); return; }
  base = start;
  end = messageEnd;
  beginLayer(PROTO_ISAKMP);
  addBytes(F_ISPI, start, 8);
  addBytes(F_RSPI, start + 8, 8);
  const firstPayload = <u32>load<u8>(start + 16);
  addNum(F_NEXT_PAYLOAD, firstPayload);
  const version = <u32>load<u8>(start + 17);
  major = version >> 4;
  addNum(F_VERSION, version);
  const exchange = <u32>load<u8>(start + 18);
  if (major == 1 || major == 2) addNum(F_EXCHANGE, exchange);
  const flags = <u32>load<u8>(start + 19);
  addNum(F_FLAGS, flags);
  const messageId = be32(start + 20);
  addNum(F_MESSAGE_ID, messageId);
  const length = be32(start + 24);
  // tshark names the exchange of versions 1 and 2 only; others leave the column empty.
  if (major == 1 || major == 2) {
    infoSet();
    putExchange(exchange);
    if (major == 2) {
      puts(' MID='); if (messageId < 10) putc(48); putDec(messageId);
      puts(flags & FLAG_INITIATOR ? ' Initiator' : ' Responder');
      puts(flags & FLAG_RESPONSE ? ' Response' : ' Request');
    }
    infoDone();
  }
  // tshark keeps the body's length in a signed int: a length that overflows it is only called bogus.
  // The length field is shown once the body it claims is known to be there.
  const bodyLength = length - HEADER;
  if (<i32>bodyLength < 0) { addNum(F_LENGTH, length); return; }
  if (lacks(start + HEADER, end, bodyLength)) return;
  addNum(F_LENGTH, length);
  if (major == 1 && (flags & FLAG_ENCRYPTED) != 0) return;
  walkPayloads(firstPayload, start + HEADER, <i32>bodyLength, 0);
}

/** tshark's dissect_payloads: the chain from `payload` at p over `length` bytes; false once a read failed. */
function walkPayloads(payload: u32, p: u32, length: i32, depth: u32): bool {
  while (length > 0) {
    if (payload == NONE) return true;
    // A header that does not fit is only an expert note; the walk steps over four bytes.
    if (length < 4) return true;
    const next = <u32>load<u8>(p);
    const payloadLength = be16(p + 2);
    addNum(F_PAYLOAD, payload);
    addNum(F_NEXT_PAYLOAD, next);
    addNum(F_PAYLOAD_LENGTH, payloadLength);
    if (payloadLength >= 4) {
      if (lacks(p + 4, end, payloadLength - 4)) return false;
      if (!walkContents(payload, p + 4, <i32>payloadLength - 4, depth)) return false;
    } else if (<i32>payloadLength > length) {
      return true;
    }
    const step = payloadLength >= 4 ? payloadLength : 4;
    p += step;
    length -= <i32>step;
    payload = next;
  }
  return true;
}

/** The parts of a payload's body that tshark reads whatever their length says. */
function walkContents(payload: u32, p: u32, length: i32, depth: u32): bool {
  if (depth >= MAX_DEPTH) return true;
  if (payload == SA_V1 || payload == SA_V2) return walkSa(p, length, depth);
  if (payload == PROPOSAL) return walkProposal(p, length);
  if (payload == SA_KEK) return walkSaKek(p);
  return true;
}

function walkSa(p: u32, length: i32, depth: u32): bool {
  if (major == 2) return walkPayloads(PROPOSAL, p, length, depth + 1);
  if (major != 1) return true;
  if (lacks(p, end, 4)) return false;
  const doi = be32(p);
  addNum(F_DOI, doi);
  // The situation (four bytes) follows, then the proposals; other DOIs are one opaque situation.
  if (doi != IPSEC_DOI || length - 4 < 4) return true;
  return walkPayloads(PROPOSAL, p + 8, length - 8, depth + 1);
}

/** A proposal: number, protocol, SPI size and transform count, the SPI, then its transforms. */
function walkProposal(p: u32, length: i32): bool {
  if (lacks(p, end, 1)) return false;
  addNum(F_PROPOSAL_NUMBER, load<u8>(p));
  if (lacks(p + 1, end, 3)) return false;
  const spiSize = <u32>load<u8>(p + 2);
  let transforms = <u32>load<u8>(p + 3);
  addNum(F_PROPOSAL_TRANSFORMS, transforms);
  p += 4;
  length -= 4;
  if (spiSize != 0) {
    if (lacks(p, end, spiSize)) return false;
    p += spiSize;
    length -= <i32>spiSize;
  }
  for (; transforms > 0; transforms--) {
    if (length < 4) return true;
    const next = <u32>load<u8>(p);
    const transformLength = be16(p + 2);
    addNum(F_PAYLOAD, TRANSFORM);
    addNum(F_NEXT_PAYLOAD, next);
    addNum(F_PAYLOAD_LENGTH, transformLength);
    if (length < <i32>transformLength || transformLength < 4) return true;
    if (!walkTransform(p + 4, transformLength - 4)) return false;
    p += transformLength;
    length -= <i32>transformLength;
  }
  return true;
}

/**
 * A GDOI SA KEK (RFC 6407), as tshark reads it: a second generic header
 * inside the body (its length bounds the attributes), protocol, source and
 * destination identities with one-byte lengths, SPI, reserved bytes, then
 * attributes.  A TEK that may follow is not walked.
 */
function walkSaKek(p: u32): bool {
  if (lacks(p, end, 4)) return false;
  const kekEnd = p + be16(p + 2);
  p += 4;
  for (let identity = 0; identity < 2; identity++) {
    if (lacks(p, end, 5)) return false;
    const idLength = <u32>load<u8>(p + 4);
    if (lacks(p + 5, end, idLength)) return false;
    p += 5 + idLength;
  }
  if (lacks(p, end, 20)) return false;
  return walkAttributes(p + 20, kekEnd);
}

/** A transform of version 1 or 2: four bytes of number or type and ID, then attributes up to its end, each read whole. */
function walkTransform(p: u32, length: u32): bool {
  if (major != 1 && major != 2) return true;
  if (lacks(p, end, 4)) return false;
  return walkAttributes(p + 4, p + length);
}

/** Attributes from p up to `attributesEnd`: type, a length unless the type's top bit says two bytes of value, the value. */
function walkAttributes(p: u32, attributesEnd: u32): bool {
  while (p < attributesEnd) {
    if (lacks(p, end, 2)) return false;
    const withLength = (load<u8>(p) & 0x80) == 0;
    if (withLength && lacks(p + 2, end, 2)) return false;
    const headerLength: u32 = withLength ? 4 : 2;
    const valueLength: u32 = withLength ? be16(p + 2) : 2;
    if (lacks(p + headerLength, end, valueLength)) return false;
    p += headerLength + valueLength;
  }
  return true;
}

// tshark's names of the exchange types, by major version: IKEv1's from 0 and
// from 32, IKEv2's from 34; tshark writes others as "Unknown N".
function putExchange(exchange: u32): void {
  const name = major == 2 ? (exchange >= 34 ? tableName(V2_NAMES, exchange - 34, '') : '')
    : exchange >= 32 ? tableName(V1_NAMES_FROM_32, exchange - 32, '') : tableName(V1_NAMES, exchange, '');
  if (name.length) puts(name);
  else { puts('Unknown '); putDec(exchange); }
}

const V1_NAMES: StaticArray<string> = ['NONE', 'Base', 'Identity Protection (Main Mode)', 'Authentication Only', 'Aggressive', 'Informational', 'Transaction (Config Mode)'];
const V1_NAMES_FROM_32: StaticArray<string> = ['Quick Mode', 'New Group Mode'];
const V2_NAMES: StaticArray<string> = ['IKE_SA_INIT', 'IKE_AUTH', 'CREATE_CHILD_SA', 'INFORMATIONAL', 'IKE_SESSION_RESUME'];

registerUdpPort(500, dissectIsakmp);
