// HTTP header lines, as Wireshark's process_header() reads them: a name of
// token characters, a colon, blanks skipped, the value to the end of the line
// (trailing blanks kept).  Known names become their own fields; the headers
// that decide how the body is read are remembered for the message.
import { addNum, addBytes, wanted } from '../packet';
import { scratchBegin, scratchEnd } from '../columns';
import { addAscii } from './ascii-text';
import { putFormatText } from '../format-text';
import { F_REQUEST_LINE, F_RESPONSE_LINE, F_UNKNOWN_HEADER, F_CONTENT_LENGTH, F_COOKIE_PAIR,
  headerNames, headerFields, headerSpecial, Special } from './http-fields';

export const enum MsgType { OTHERS = 0, REQUEST = 1, RESPONSE = 2, NOTIFICATION = 3 }

// What the headers of the current message said.
export let contentTypeP: u32 = 0;
export let contentTypeN: u32 = 0;
export let hasContentType = false;
export let hasContentLength = false;
export let contentLength: u64 = 0;
export let hasTransferEncoding = false;
export let chunked = false;
export let hostP: u32 = 0;
export let hostN: u32 = 0;
export let hasHost = false;
export let contentEncoded = false;

export function resetHeaders(): void {
  hasContentType = false;
  hasContentLength = false;
  hasTransferEncoding = false;
  chunked = false;
  hasHost = false;
  contentEncoded = false;
}

@inline export function isSpace(c: u32): bool { return c == 32 || (c >= 9 && c <= 13); }

function isTokenChar(c: u32): bool {
  if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) return true;
  // ! # $ % & \ : * + - . ^ _ ` | ~ (Wireshark's list)
  return c == 33 || c == 35 || c == 36 || c == 37 || c == 38 || c == 92 || c == 58 || c == 42 || c == 43
    || c == 45 || c == 46 || c == 94 || c == 95 || c == 96 || c == 124 || c == 126;
}

function findHeader(name: u32, n: u32): i32 {
  for (let i = 0; i < headerNames.length; i++) {
    const known = unchecked(headerNames[i]);
    if (<u32>known.length != n) continue;
    let j: u32 = 0;
    while (j < n) {
      let c = <u32>load<u8>(name + j);
      if (c >= 65 && c <= 90) c += 32;
      if (c != <u32>known.charCodeAt(<i32>j)) break;
      j++;
    }
    if (j == n) return i;
  }
  return -1;
}

/** The line as an unknown header: http.request.line / http.response.line, or format_text of it. */
function addWholeLine(line: u32, fullLen: u32, type: u32): void {
  if (type == MsgType.REQUEST) { addAscii(F_REQUEST_LINE, line, fullLen); return; }
  if (type == MsgType.RESPONSE) { addAscii(F_RESPONSE_LINE, line, fullLen); return; }
  if (!unchecked(wanted[F_UNKNOWN_HEADER])) return;
  const s = scratchBegin();
  putFormatText(line, fullLen);
  addBytes(F_UNKNOWN_HEADER, s, scratchEnd(s));
}

/**
 * One header line: `lineLen` bytes at `line` without the line end,
 * `fullLen` with it, the colon at `colon`; `type` is the message's kind so far.
 */
export function processHeader(line: u32, lineLen: u32, fullLen: u32, colon: u32, type: u32): void {
  const nameLen = colon - line;
  let valid = nameLen != 0;
  for (let i: u32 = 0; valid && i < nameLen; i++) valid = isTokenChar(<u32>load<u8>(line + i));
  if (!valid) { addWholeLine(line, fullLen, type); return; }
  const idx = findHeader(line, nameLen);
  if (idx < 0) { addWholeLine(line, fullLen, type); return; }

  const lineEnd = line + lineLen;
  let value = colon + 1;
  while (value < lineEnd && (load<u8>(value) == 32 || load<u8>(value) == 9)) value++;
  // The value is a C string: a NUL ends it.
  let valueLen: u32 = 0;
  while (value + valueLen < lineEnd && load<u8>(value + valueLen) != 0) valueLen++;

  addAscii(unchecked(headerFields[idx]), value, lineEnd - value);
  if (type == MsgType.REQUEST || type == MsgType.RESPONSE) {
    addAscii(type == MsgType.REQUEST ? F_REQUEST_LINE : F_RESPONSE_LINE, line, fullLen);
  }
  switch (unchecked(headerSpecial[idx])) {
    case Special.CONTENT_TYPE: {
      let n: u32 = 0;
      while (n < valueLen && load<u8>(value + n) != 59 && !isSpace(load<u8>(value + n))) n++;
      contentTypeP = value; contentTypeN = n; hasContentType = true;
      break;
    }
    case Special.CONTENT_LENGTH: readContentLength(value, valueLen); break;
    case Special.TRANSFER_ENCODING: readTransferCoding(value, valueLen); break;
    case Special.HOST: hostP = value; hostN = valueLen; hasHost = true; break;
    case Special.CONTENT_ENCODING: contentEncoded = !sameIgnoringCase(value, valueLen, 'identity'); break;
    case Special.COOKIE: addCookiePairs(value, valueLen); break;
    default: break;
  }
}

// g_ascii_strtoll(value, &end, 10) accepted only when it consumed digits,
// is not negative, did not overflow and stopped at the end or a blank.
function readContentLength(p: u32, n: u32): void {
  const end = p + n;
  while (p < end && isSpace(load<u8>(p))) p++;
  let negative = false;
  if (p < end && (load<u8>(p) == 43 || load<u8>(p) == 45)) { negative = load<u8>(p) == 45; p++; }
  const digits = p;
  let v: u64 = 0;
  let overflow = false;
  while (p < end && load<u8>(p) >= 48 && load<u8>(p) <= 57) {
    const d = <u64>(load<u8>(p) - 48);
    if (v > (<u64>0x7fffffffffffffff - d) / 10) overflow = true; else v = v * 10 + d;
    p++;
  }
  hasContentLength = p != digits && !overflow && !(negative && v != 0) && (p == end || isSpace(load<u8>(p)));
  if (!hasContentLength) return;
  contentLength = v;
  addNum(F_CONTENT_LENGTH, v);
}

function sameIgnoringCase(p: u32, n: u32, s: string): bool {
  if (<u32>s.length != n) return false;
  for (let i: u32 = 0; i < n; i++) if ((<u32>load<u8>(p + i) | 32) != <u32>s.charCodeAt(<i32>i)) return false;
  return true;
}

function hasPrefix(p: u32, end: u32, s: string): bool {
  const n = <u32>s.length;
  if (end - p < n) return false;
  for (let i: u32 = 0; i < n; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(<i32>i)) return false;
  return true;
}

// Wireshark's http_parse_transfer_coding: "chunked" anywhere, and at most one
// other coding; a second one ends the parse.  Any Transfer-Encoding header at
// all means Content-Length no longer bounds the body.
export const enum Coding { UNKNOWN = 0, COMPRESS = 1, DEFLATE = 2, GZIP = 3, IDENTITY = 4 }
export let teCoding: u32 = Coding.UNKNOWN;

function readTransferCoding(p: u32, n: u32): void {
  hasTransferEncoding = true;
  teCoding = Coding.UNKNOWN;
  const end = p + n;
  while (p < end) {
    const c = load<u8>(p);
    if (c == 32 || c == 9 || c == 44) { p++; continue; }
    if (hasPrefix(p, end, 'chunked')) { chunked = true; p += 7; continue; }
    if (teCoding != Coding.UNKNOWN) return;
    if (hasPrefix(p, end, 'compress')) { teCoding = Coding.COMPRESS; p += 8; }
    else if (hasPrefix(p, end, 'deflate')) { teCoding = Coding.DEFLATE; p += 7; }
    else if (hasPrefix(p, end, 'gzip')) { teCoding = Coding.GZIP; p += 4; }
    else if (hasPrefix(p, end, 'identity')) { teCoding = Coding.IDENTITY; p += 8; }
    else if (hasPrefix(p, end, 'x-compress')) { teCoding = Coding.COMPRESS; p += 10; }
    else if (hasPrefix(p, end, 'x-gzip')) { teCoding = Coding.GZIP; p += 6; }
    else {
      while (p < end && load<u8>(p) != 44) p++;
      if (p >= end) return;
    }
  }
}

function addCookiePairs(value: u32, n: u32): void {
  let i: u32 = 0;
  while (i < n) {
    while (i < n && (load<u8>(value + i) == 59 || isSpace(load<u8>(value + i)))) i++;
    if (i >= n) break;
    let part: u32 = 0;
    while (i + part < n && load<u8>(value + i + part) != 59) part++;
    addAscii(F_COOKIE_PAIR, value + i, part);
    i += part;
  }
}
