// Redis serialization protocol (RESP) on TCP 6379 as tshark 4.0 shows it
// without reassembly: "Request:" or "Response:" (the side on port 6379
// answers), then what each top-level element says: a request's command and
// arguments (the bulk strings of its array), a response's simple string,
// integer, bulk string or "Array(N)", errors anywhere, " [partial]" for a
// bulk string the segment cuts, " [fragment]" for a line that is none of
// these (the middle of a value whose start was in an earlier segment).
// Lines end at the first CR or LF, and the next one starts two bytes later,
// as tshark counts them.  tshark checks that a simple string's or an
// error's bytes (its line and two more) are there when it adds the string to
// its tree, which it does even when it builds none: one that runs past the
// segment ends the walk there, unreassembled.  Its other elements are items
// without a value, which its tree cuts to the bytes there instead.
import { protocol } from '../fields';
import { beginLayer, setProtocolColumn, markTruncated } from '../packet';
import { registerTcpPort, tcpSrcPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putSigned } from '../text';
import { cStringLength } from '../cursor';
import { putAsciiBytes } from './ascii-text';

const PROTO_RESP = protocol('resp', 'REdis Serialization Protocol');

const RESP_PORT: u32 = 6379;
const CRLF: u32 = 2;
const MAX_ARRAY_DEPTH: i32 = 30;
const MAX_DISPLAY: i32 = 100;

let response = false;
/** An element ran past the segment: nothing more is read. */
let failed = false;

/** tshark's check as it adds a string of `n` bytes at p to its tree; false (and the walk is over) when they are not all there. */
function spans(p: u32, end: u32, n: u32): bool {
  if (end - p >= n) return true;
  markTruncated();
  failed = true;
  return false;
}

/** Bytes from p up to the first CR or LF, or to end. */
function lineLength(p: u32, end: u32): u32 {
  let q = p;
  while (q < end) {
    const c = load<u8>(q);
    if (c == 13 || c == 10) break;
    q++;
  }
  return q - p;
}

/** g_ascii_strtoll over [p, p + n): spaces, a sign, digits; saturating, 0 when there are none. */
function parseInteger(p: u32, n: u32): i64 {
  const end = p + n;
  while (p < end && isSpace(load<u8>(p))) p++;
  let negative = false;
  if (p < end && (load<u8>(p) == 45 || load<u8>(p) == 43)) { negative = load<u8>(p) == 45; p++; }
  let v: u64 = 0;
  let saturated = false;
  while (p < end) {
    const d = <u32>load<u8>(p) - 48;
    if (d > 9) break;
    if (v > (<u64>0x7fff_ffff_ffff_ffff - d) / 10) saturated = true;
    else v = v * 10 + d;
    p++;
  }
  if (saturated) return negative ? i64.MIN_VALUE : i64.MAX_VALUE;
  return negative ? -<i64>v : <i64>v;
}

function isSpace(c: u32): bool { return c == 32 || (c >= 9 && c <= 13); }

/** Whether the C string in [p, p + n) is ASCII (it ends at a NUL). */
function isAscii(p: u32, n: u32): bool {
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0) return true;
    if (c >= 0x80) return false;
  }
  return true;
}

/** One element whose line is `line` bytes long; gives the bytes it takes. */
function element(p: u32, end: u32, line: u32, depth: i32): u32 {
  const text = p + 1;
  const textLen = line > 0 ? line - 1 : 0;
  switch (load<u8>(p)) {
    case 43: // '+' simple string
      if (!spans(p, end, line + CRLF)) return 0;
      if (response && depth == 0) { infoAppend(); putc(32); putAsciiBytes(text, cStringLength(text, textLen)); infoDone(); }
      return line + CRLF;
    case 45: // '-' error
      if (!spans(p, end, line + CRLF)) return 0;
      infoAppend(); puts(' Error: '); putAsciiBytes(text, cStringLength(text, textLen)); infoDone();
      return line + CRLF;
    case 58: // ':' integer
      if (response && depth == 0) { infoAppend(); putc(32); putSigned(parseInteger(text, textLen)); infoDone(); }
      return line + CRLF;
    case 36: // '$' bulk string
      return bulkString(p, end, line, depth);
    case 42: // '*' array
      return array(p, end, line, depth);
    default:
      if (line == 0) return CRLF;
      infoAppend(); puts(' [fragment]'); infoDone();
      return line + CRLF;
  }
}

function bulkString(p: u32, end: u32, line: u32, depth: i32): u32 {
  // tshark keeps the length in a gint.
  const length = <i32>parseInteger(p + 1, line - 1);
  if (length < 0) return line + CRLF;
  const value = p + line + CRLF;
  const remaining: i64 = value < end ? <i64>(end - value) : 0;
  const cut = remaining < <i64>length + CRLF;
  const shown: u32 = cut ? <u32>remaining : <u32>length;
  if (cut) { infoAppend(); puts(' [partial]'); infoDone(); }
  if (isAscii(value, shown)) {
    if (!response && depth == 1) {
      infoAppend();
      if (length < MAX_DISPLAY) { putc(32); putAsciiBytes(value, cStringLength(value, shown)); } else bulkStringLength(length);
      infoDone();
    } else if (response && depth == 0 && length < MAX_DISPLAY) {
      infoAppend(); putc(32); putAsciiBytes(value, cStringLength(value, shown)); infoDone();
    } else if (depth == 0) {
      infoAppend(); bulkStringLength(length); infoDone();
    }
  } else if (depth == 0) {
    infoAppend(); bulkStringLength(length); infoDone();
  }
  return line + CRLF + (cut ? <u32>remaining : <u32>length + CRLF);
}

function bulkStringLength(length: i32): void {
  puts(' BulkString('); putDec(<u64>length); putc(41);
}

function array(p: u32, end: u32, line: u32, depth: i32): u32 {
  const count = parseInteger(p + 1, line - 1);
  if (count <= 0 || depth > MAX_ARRAY_DEPTH) return line + CRLF;
  if (response && depth == 0) { infoAppend(); puts(' Array('); putSigned(count); putc(41); infoDone(); }
  const first = p + line + CRLF;
  return walk(first, end, depth + 1, count) - p;
}

/** Elements from p while bytes remain, `expected` of them at most (-1: all); gives where the walk stopped. */
function walk(p: u32, end: u32, depth: i32, expected: i64): u32 {
  let done: i64 = 0;
  while (p < end) {
    if (expected >= 0 && done == expected) return p;
    const line = lineLength(p, end);
    const taken = element(p, end, line, depth);
    if (failed) return end;
    done++;
    // Past the end as unsigned arithmetic would wrap; the walk is over then.
    if (taken > end - p) return end;
    p += taken;
  }
  return p;
}

function dissectResp(start: u32, end: u32): void {
  setProtocolColumn('RESP');
  response = tcpSrcPort == RESP_PORT;
  failed = false;
  infoSet(); puts(response ? 'Response:' : 'Request:'); infoDone();
  beginLayer(PROTO_RESP);
  walk(start, end, 0, -1);
}

registerTcpPort(RESP_PORT, dissectResp);
