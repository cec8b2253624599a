// The body of an HTTP message within the segment: de-chunked when chunked,
// then handed on by its media type as Wireshark does, as far as the summary
// columns, the data layer and frame.protocols show it: text types add " (type)" to the info
// column, JSON and XML rename the protocol column, and an untyped or
// octet-stream body becomes data.
import { setProtocolColumn, protoColumn, markTruncated, inErrorPacket, addCalledItem } from '../packet';
import { PSEUDO_TEXT_LINES, PSEUDO_JSON, PSEUDO_XML, PSEUDO_URLENCODED_FORM, PSEUDO_MEDIA } from '../pseudo-layers';
import { infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putRaw } from '../text';
import { dissectData } from './frame';
import { contentTypeP, contentTypeN, hasContentType, chunked, teCoding, Coding, isSpace, contentEncoded } from './http-headers';

let dechunkedStart: u32 = 0;
let dechunkedLen: u32 = 0;

function lineEnd(p: u32, end: u32): i32 {
  // As tvb_find_line_end with desegmentation on: -1 without a complete line end.
  for (let q = p; q < end; q++) {
    const c = load<u8>(q);
    if (c == 10) return <i32>(q - p);
    if (c == 13) return q + 1 < end ? <i32>(q - p) : -1;
  }
  return -1;
}

function nextLineStart(p: u32, len: u32, end: u32): u32 {
  const q = p + len;
  if (load<u8>(q) == 13 && q + 1 < end && load<u8>(q + 1) == 10) return q + 2;
  return q + 1;
}

function hexValue(p: u32, n: u32): u64 {
  // strtol(s, NULL, 16) on the text before any ';': blanks, a sign, "0x", digits.
  let q = p;
  const end = p + n;
  while (q < end && isSpace(load<u8>(q))) q++;
  let negative = false;
  if (q < end && (load<u8>(q) == 43 || load<u8>(q) == 45)) { negative = load<u8>(q) == 45; q++; }
  if (end - q >= 2 && load<u8>(q) == 48 && (load<u8>(q + 1) | 32) == 120) q += 2;
  let v: u64 = 0;
  while (q < end) {
    const c = <u32>load<u8>(q) | 32;
    const d: u32 = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : 16;
    if (d > 15) break;
    if (v < 0x8000000000000000) v = v * 16 + d;
    q++;
  }
  return negative ? <u64>(-<i64>v) : v;
}

/** Walks the chunks, copying the de-chunked bytes to scratch space; returns the bytes consumed (0: none), -1 when cut short. */
function walkChunks(p: u32, end: u32): i32 {
  const start = p;
  dechunkedStart = scratchBegin();
  while (p < end) {
    const len = lineEnd(p, end);
    if (len <= 0) break;
    let sizeLen: u32 = 0;
    while (sizeLen < <u32>len && load<u8>(p + sizeLen) != 59) sizeLen++;
    let size = <u32>(hexValue(p, sizeLen) & 0xffffffff);
    const data = nextLineStart(p, <u32>len, end);
    const left = end - p;
    if (size > left) size = left;
    // Wireshark clamps the size from the size line's start but copies from
    // after it, so a chunk cut short by the segment end throws.
    if (end - data < size) { markTruncated(); scratchEnd(dechunkedStart); return -1; }
    putRaw(data, size);
    p = data + size;
    if (size > 0) { p += 2; continue; }
    // The last chunk: skip trailer lines up to the empty line.
    while (p < end) {
      const t = lineEnd(p, end);
      if (t < 0) break;
      p = nextLineStart(p, <u32>t, end);
      if (t == 0) break;
    }
    break;
  }
  dechunkedLen = scratchEnd(dechunkedStart);
  if (p > end) p = end;
  return <i32>(p - start);
}

function typeIs(s: string): bool {
  if (<u32>s.length != contentTypeN) return false;
  for (let i: u32 = 0; i < contentTypeN; i++) {
    let c = <u32>load<u8>(contentTypeP + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c != <u32>s.charCodeAt(<i32>i)) return false;
  }
  return true;
}

function typeStartsWith(s: string): bool {
  const n = <u32>s.length;
  if (contentTypeN < n) return false;
  for (let i: u32 = 0; i < n; i++) {
    let c = <u32>load<u8>(contentTypeP + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c != <u32>s.charCodeAt(<i32>i)) return false;
  }
  return true;
}

function putContentType(): void {
  for (let i: u32 = 0; i < contentTypeN; i++) {
    let c = <u32>load<u8>(contentTypeP + i);
    if (c >= 65 && c <= 90) c += 32;
    putc(c);
  }
}

function isJson(): bool {
  return typeIs('application/json') || typeIs('application/x-ndjson') || typeIs('application/json-rpc')
    || typeIs('application/jsonrequest') || typeIs('application/dds-web+json') || typeIs('application/vnd.oma.lwm2m+json');
}

/** The types Wireshark's line-based text dissector (data-text-lines) takes. */
function isTextLines(): bool {
  return typeIs('text/plain') || typeIs('text/richtext') || typeIs('text/enriched') || typeIs('text/parameters')
    || typeIs('text/html') || typeIs('text/xml-external-parsed-entity') || typeIs('text/css')
    || typeIs('application/xml-external-parsed-entity') || typeIs('text/javascript') || typeIs('application/x-javascript')
    || typeIs('application/x-tia-p25-issi') || typeIs('application/x-tia-p25-sndcp') || typeIs('application/x-ns-proxy-autoconfig')
    || typeIs('text/vnd.sun.j2me.app-descriptor') || typeIs('application/vnd.poc.refer-to') || typeIs('application/vnd.drm.message')
    || typeIs('application/x-wms-logplaystats') || typeIs('application/x-rtsp-udp-packetpair');
}

function isXml(): bool {
  return typeIs('text/xml') || typeIs('application/xml') || typeIs('text/vnd.wap.wml') || typeIs('application/soap+xml')
    || typeIs('image/svg+xml') || typeIs('application/atom+xml') || typeIs('application/rss+xml')
    || typeIs('application/xml-dtd') || typeIs('application/mathml+xml') || typeIs('application/rdf+xml')
    || typeIs('application/xslt+xml') || typeIs('application/auth-policy+xml') || typeIs('application/pidf+xml');
}

/**
 * Reads the body of `datalen` bytes at p; `shown` is whether the message has
 * an HTTP layer (without one, Wireshark dissects the body into no tree).
 * Returns the bytes the body takes in the segment, -1 when reading it ran
 * past the segment (the message ends there).
 */
export function dissectBody(p: u32, datalen: u32, shown: bool, ssdp: bool): i32 {
  let bodyStart = p;
  let bodyLen = datalen;
  if (chunked) {
    const used = walkChunks(p, p + datalen);
    if (used < 0) return -1;
    if (used == 0) return <i32>datalen;
    bodyStart = dechunkedStart;
    bodyLen = dechunkedLen;
    datalen = <u32>used;
  }
  if (!shown || bodyLen == 0) return <i32>datalen;
  // Compressed bodies are shown as data: Wireshark inflates them, we cannot.
  if (teCoding == Coding.COMPRESS || teCoding == Coding.DEFLATE || teCoding == Coding.GZIP || contentEncoded || !hasContentType
    || typeIs('application/octet-stream') || typeStartsWith('multipart/')) {
    dissectData(bodyStart, bodyStart + bodyLen);
    return <i32>datalen;
  }
  if (inErrorPacket()) return <i32>datalen;
  if (isXml()) {
    addCalledItem(PSEUDO_XML);
    setProtocolColumn(ssdp ? 'SSDP/XML' : 'HTTP/XML');
    return <i32>datalen;
  }
  addCalledItem(isJson() ? PSEUDO_JSON : typeIs('application/x-www-form-urlencoded') ? PSEUDO_URLENCODED_FORM
    : isTextLines() ? PSEUDO_TEXT_LINES : PSEUDO_MEDIA);
  infoAppend();
  if (isJson()) {
    setProtocolColumn(ssdp ? 'SSDP/JSON' : protoColumn == 'HTTP' ? 'HTTP/JSON' : protoColumn);
    puts(', JavaScript Object Notation');
  }
  puts(' (');
  putContentType();
  putc(41);
  infoDone();
  return <i32>datalen;
}
