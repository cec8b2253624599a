// PPP over Ethernet (RFC 2516): discovery stage (0x8863, tag list) and
// session stage (0x8864, a PPP frame from its protocol field on).
import { protocol, uint, str, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, markMalformed } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerEthertype } from '../dispatch';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts } from '../text';
import { dissectPpp } from './ppp';
import { putAsciiBytes } from './ascii-text';

// The header fields are Wireshark's pppoe.*, shown inside the pppoed / pppoes layer.
protocol('pppoe', 'PPP-over-Ethernet');
const F_VERSION = uint('pppoe.version', 'Version', 8);
const F_TYPE = uint('pppoe.type', 'Type', 8);
const F_CODE = uint('pppoe.code', 'Code', 8, Base.HEX);
const F_SESSION_ID = uint('pppoe.session_id', 'Session ID', 16, Base.HEX);
const F_PAYLOAD_LENGTH = uint('pppoe.payload_length', 'Payload Length', 16);

const PROTO_PPPOED = protocol('pppoed', 'PPP-over-Ethernet Discovery');
const F_TAG = uint('pppoed.tag', 'Tag', 16, Base.HEX);
const F_TAG_LENGTH = uint('pppoed.tag_length', 'Tag Length', 16);
const F_TAG_UNKNOWN = bytes('pppoed.tag.unknown_data', 'Unknown Data');
const F_SERVICE_NAME = str('pppoed.tags.service_name', 'Service-Name');
const F_AC_NAME = str('pppoed.tags.ac_name', 'AC-Name');
const F_HOST_UNIQ = bytes('pppoed.tags.host_uniq', 'Host-Uniq');
const F_AC_COOKIE = bytes('pppoed.tags.ac_cookie', 'AC-Cookie');
const F_VENDOR_ID = uint('pppoed.tags.vendor_id', 'Vendor id');
const F_VENDOR_UNSPECIFIED = bytes('pppoed.tags.vendor_unspecified', 'Vendor unspecified');
const F_RELAY_SESSION_ID = bytes('pppoed.tags.relay_session_id', 'Relay-Session-Id');
const F_SERVICE_NAME_ERROR = str('pppoed.tags.service_name_error', 'Service-Name-Error');
const F_AC_SYSTEM_ERROR = str('pppoed.tags.ac_system_error', 'AC-System-Error');
const F_GENERIC_ERROR = str('pppoed.tags.generic_error', 'Generic-Error');

const PROTO_PPPOES = protocol('pppoes', 'PPP-over-Ethernet Session');
const F_CREDITS_FCN = uint('pppoes.tags.credits.fcn', 'FCN', 16);
const F_CREDITS_BCN = uint('pppoes.tags.credits.bcn', 'BCN', 16);

const HEADER_LEN: u32 = 6;
const TAG_CREDITS: u32 = 0x0106;

function putCodeName(code: u32): void {
  switch (code) {
    case 0x00: puts('Session Data'); return;
    case 0x07: puts('Active Discovery Offer (PADO)'); return;
    case 0x09: puts('Active Discovery Initiation (PADI)'); return;
    case 0x0a: puts('Active Discovery Session-Grant (PADG)'); return;
    case 0x0b: puts('Active Discovery Session-Credit Resp.(PADC)'); return;
    case 0x0c: puts('Active Discovery Quality (PADQ)'); return;
    case 0x19: puts('Active Discovery Request (PADR)'); return;
    case 0x65: puts('Active Discovery Session-confirmation (PADS)'); return;
    case 0xa7: puts('Active Discovery Terminate (PADT)'); return;
    case 0xd3: puts('Active Discovery Message (PADM)'); return;
    case 0xd4: puts('Active Discovery Network (PADN)'); return;
    default: puts('Unknown');
  }
}

/** The common 6-byte header; returns false if it was cut short. */
function addHeader(start: u32, end: u32): bool {
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return false; }
  const versionType = u8at(start, end);
  addNum(F_VERSION, versionType >> 4);
  addNum(F_TYPE, versionType & 0x0f);
  addNum(F_CODE, u8at(start + 1, end));
  addNum(F_SESSION_ID, u16at(start + 2, end));
  addNum(F_PAYLOAD_LENGTH, u16at(start + 4, end));
  return true;
}

export function dissectPppoeDiscovery(start: u32, end: u32): void {
  setProtocolColumn('PPPoED');
  infoSet(); infoDone();
  if (!has(start, end, 2)) { markTruncated(); return; }
  infoSet(); putCodeName(u8at(start + 1, end)); infoDone();
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  beginLayer(PROTO_PPPOED);
  if (!addHeader(start, end)) return;
  const payloadLength = u16at(start + 4, end);
  if (payloadLength > 0) dissectTags(start + HEADER_LEN, start + HEADER_LEN + payloadLength, end);
}

/** Tags up to `tagsEnd` (what the header declares), read within the captured `end`. */
function dissectTags(p: u32, tagsEnd: u32, end: u32): void {
  // Each tag is at least 4 bytes, so the loop ends by tagsEnd.  As in
  // tshark, each field is checked against the captured bytes on its own.
  while (tagsEnd >= 2 && p <= tagsEnd - 2) {
    if (!has(p, end, 4)) { markTruncated(); return; }
    const tag = u16at(p, end);
    const len = u16at(p + 2, end);
    const value = p + 4;
    if (tag == 0x0000) return;
    if (!dissectTag(tag, p, value, len, end)) { markTruncated(); return; }
    p = value + len;
  }
}

/** One tag's fields; false when they run past the captured bytes. */
function dissectTag(tag: u32, p: u32, value: u32, len: u32, end: u32): bool {
  switch (tag) {
    case 0x0101: return len == 0 || addAsciiString(F_SERVICE_NAME, value, len, end);
    case 0x0102:
      if (!addAsciiString(F_AC_NAME, value, len, end)) return false;
      infoAppend(); puts(" AC-Name='"); putAsciiBytes(value, len); puts("'"); infoDone();
      return true;
    case 0x0103: return addBytesIn(F_HOST_UNIQ, value, len, end);
    case 0x0104: return addBytesIn(F_AC_COOKIE, value, len, end);
    case 0x0105:
      if (len >= 4) {
        if (!has(value, end, 4)) return false;
        addNum(F_VENDOR_ID, u32at(value, end));
      }
      if (len <= 4) return true;
      // Broadband Forum (DSL Forum, 3561) sub-tags: one byte of type, one of length.
      if (u32at(value, end) == 3561) return skipSubTags(value + 4, value + len, end);
      return addBytesIn(F_VENDOR_UNSPECIFIED, value + 4, len - 4, end);
    case 0x0110: return addBytesIn(F_RELAY_SESSION_ID, value, len, end);
    case 0x0201: return addAsciiString(F_SERVICE_NAME_ERROR, value, len, end);
    case 0x0202: return addAsciiString(F_AC_SYSTEM_ERROR, value, len, end);
    case 0x0203: return addAsciiString(F_GENERIC_ERROR, value, len, end);
    default:
      if (len == 0) return true;
      addNum(F_TAG, tag);
      addNum(F_TAG_LENGTH, len);
      // tshark starts this field 2 bytes early, at the tag length.
      return addBytesIn(F_TAG_UNKNOWN, p + 2, len, end);
  }
}

function skipSubTags(p: u32, subEnd: u32, end: u32): bool {
  // Each sub-tag is at least 2 bytes, so this ends by subEnd.
  while (subEnd >= 2 && p <= subEnd - 2) {
    if (!has(p, end, 2)) return false;
    p += 2 + u8at(p + 1, end);
  }
  return true;
}

function addBytesIn(f: u32, p: u32, len: u32, end: u32): bool {
  if (!has(p, end, len)) return false;
  addBytes(f, p, len);
  return true;
}

/** An ASCII string field: bytes above 0x7f become U+FFFD, as Wireshark's ENC_ASCII does. */
function addAsciiString(f: u32, p: u32, len: u32, end: u32): bool {
  if (!has(p, end, len)) return false;
  const text = scratchBegin();
  putAsciiBytes(p, len);
  addBytes(f, text, scratchEnd(text));
  return true;
}

export function dissectPppoeSession(start: u32, end: u32): void {
  setProtocolColumn('PPPoES');
  infoSet(); infoDone();
  if (!has(start, end, 2)) { markTruncated(); return; }
  infoSet(); putCodeName(u8at(start + 1, end)); infoDone();
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  const payloadLength = u16at(start + 4, end);
  beginLayer(PROTO_PPPOES);
  if (!addHeader(start, end)) return;
  if (!has(start, end, HEADER_LEN + 2)) { markTruncated(); return; }
  let payload = start + HEADER_LEN;
  // The PPP frame is what the payload length covers, within the captured bytes.
  const payloadEnd = end - payload > payloadLength ? payload + payloadLength : end;
  if (u16at(payload, end) == TAG_CREDITS) {
    if (!has(payload, end, 8)) { markTruncated(); return; }
    if (u16at(payload + 2, end) == 4) {
      addNum(F_CREDITS_FCN, u16at(payload + 4, end));
      addNum(F_CREDITS_BCN, u16at(payload + 6, end));
    }
    payload += 8;
    if (payload > payloadEnd) { markMalformed(); return; }
  }
  dissectPpp(payload, payloadEnd);
}

registerEthertype(0x8863, dissectPppoeDiscovery);
registerEthertype(0x8864, dissectPppoeSession);
