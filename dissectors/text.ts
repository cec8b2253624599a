import { table } from './tables';
// Text written straight into linear memory: the output region, the info
// column and the per-packet scratch space for decoded strings all go through
// the same writer, which writes at `tp` and never past `tend`.  Running out of
// room sets `overflow` and drops the rest, so a writer never traps.

let tp: u32 = 0;
let tend: u32 = 0;
let overflowed = false;

export function textPos(): u32 { return tp; }
export function textOverflowed(): bool { return overflowed; }

/** Makes [p, end) the target, forgetting any targets pushTarget saved. */
export function setTarget(p: u32, end: u32): void {
  tp = p;
  tend = end;
  overflowed = false;
  depth = 0;
}

// Targets nest: scratch text (a decoded string) is written while the info
// column is open, which is written while the output region is the target.
const MAX_DEPTH: u32 = 4;
const savedTp = table<u32>(MAX_DEPTH);
const savedEnd = table<u32>(MAX_DEPTH);
const savedOverflow = table<bool>(MAX_DEPTH);
let depth: u32 = 0;

/**
 * Switches to another target, remembering the current one for popTarget.
 * No caller nests deeper than MAX_DEPTH; past it the text goes on into the
 * current target (still bounded by its end) rather than anywhere unchecked.
 */
export function pushTarget(p: u32, end: u32): void {
  if (depth < MAX_DEPTH) {
    unchecked(savedTp[depth] = tp); unchecked(savedEnd[depth] = tend); unchecked(savedOverflow[depth] = overflowed);
    tp = p; tend = end; overflowed = false;
  }
  depth++;
}

export function popTarget(): void {
  if (depth == 0) return;
  depth--;
  if (depth < MAX_DEPTH) { tp = unchecked(savedTp[depth]); tend = unchecked(savedEnd[depth]); overflowed = unchecked(savedOverflow[depth]); }
}

/** Back to the outermost target, should a dissector have left one pushed. */
export function popAllTargets(): void {
  while (depth != 0) popTarget();
}

export function rewindTo(p: u32): void {
  tp = p;
  overflowed = false;
}

@inline export function putc(c: u32): void {
  if (tp < tend) { store<u8>(tp, <u8>c); tp++; } else overflowed = true;
}

/** Entry i of a table of names (a value string), or `missing` past its end or where the entry is ''. */
export function tableName(table: StaticArray<string>, i: u32, missing: string): string {
  if (i >= <u32>table.length) return missing;
  const name = unchecked(table[i]);
  return name.length != 0 ? name : missing;
}

/** Entry i of a table of names, or "Unknown (i)" past its end or where the entry is '' (Wireshark's val_to_str default). */
export function putTableName(table: StaticArray<string>, i: u32): void {
  const name = tableName(table, i, '');
  if (name.length != 0) puts(name);
  else { puts('Unknown ('); putDec(i); putc(41); }
}

/** Writes a string constant as UTF-8. */
export function puts(s: string): void {
  const n = s.length;
  if (tend - tp < <u32>n * 3) { putsChecked(s); return; }
  // Room for the longest encoding: no bound check per byte.
  const chars = changetype<usize>(s);
  let p = tp;
  let i = 0;
  // Four ASCII characters at a time, the usual case: the high byte and bit 7 of each UTF-16 unit clear.
  for (; i + 4 <= n; i += 4) {
    const w = load<u64>(chars + (<usize>i << 1));
    if ((w & 0xff80_ff80_ff80_ff80) != 0) break;
    store<u32>(p, <u32>(w & 0xff) | <u32>((w >> 8) & 0xff00) | <u32>((w >> 16) & 0xff_0000) | <u32>((w >> 24) & 0xff00_0000));
    p += 4;
  }
  for (; i < n; i++) {
    const c = <u32>load<u16>(chars + (<usize>i << 1));
    if (c < 0x80) { store<u8>(p, <u8>c); p++; }
    else if (c < 0x800) { store<u8>(p, <u8>(0xc0 | (c >> 6))); store<u8>(p, <u8>(0x80 | (c & 0x3f)), 1); p += 2; }
    else {
      store<u8>(p, <u8>(0xe0 | (c >> 12))); store<u8>(p, <u8>(0x80 | ((c >> 6) & 0x3f)), 1);
      store<u8>(p, <u8>(0x80 | (c & 0x3f)), 2); p += 3;
    }
  }
  tp = p;
}

function putsChecked(s: string): void {
  if (tp >= tend) { if (s.length) overflowed = true; return; }
  for (let i = 0, n = s.length; i < n; i++) {
    const c = <u32>s.charCodeAt(i);
    if (c < 0x80) putc(c);
    else if (c < 0x800) { putc(0xc0 | (c >> 6)); putc(0x80 | (c & 0x3f)); }
    else { putc(0xe0 | (c >> 12)); putc(0x80 | ((c >> 6) & 0x3f)); putc(0x80 | (c & 0x3f)); }
  }
}

/** Copies n raw bytes from address p. */
export function putRaw(p: u32, n: u32): void {
  if (tend - tp < n) { n = tend - tp; overflowed = true; }
  // memory.copy is a call out of the module; the short copies that are most
  // of the text are cheaper as a loop.
  if (n <= 16) {
    for (let i: u32 = 0; i < n; i++) store<u8>(tp + i, load<u8>(p + i));
  } else {
    memory.copy(tp, p, n);
  }
  tp += n;
}

// Lookup tables, filled once at module start: "00".."99" as two ASCII bytes,
// 0..255 as decimal text (bytes in the low 24 bits, length in the top byte),
// and 0..255 as two lowercase hex digits.
const DEC_PAIRS = table<u16>(100);
const DEC_BYTE = table<u32>(256);
const HEX_PAIRS = table<u16>(256);
for (let i: u32 = 0; i < 100; i++) unchecked(DEC_PAIRS[i] = <u16>((48 + i / 10) | ((48 + i % 10) << 8)));
for (let i: u32 = 0; i < 256; i++) {
  unchecked(DEC_BYTE[i] = i < 10 ? (1 << 24) | (48 + i)
    : i < 100 ? (2 << 24) | <u32>unchecked(DEC_PAIRS[i])
    : (3 << 24) | (48 + i / 100) | (<u32>unchecked(DEC_PAIRS[i % 100]) << 8));
  unchecked(HEX_PAIRS[i] = <u16>(hexDigit(i >> 4) | (hexDigit(i & 15) << 8)));
}

/** Room for n more bytes at the write position. */
@inline function room(n: u32): bool { return tend - tp >= n; }

const digitBuf = table<u8>(24);

/** Decimal digits of v, written right-aligned ending at digitBuf[24]; returns how many. */
function formatDecimal(v: u64): u32 {
  const buf = changetype<usize>(digitBuf);
  let i: u32 = 24;
  while (v >= 0x1_0000_0000) {
    const q = v / 100;
    i -= 2; store<u16>(buf + i, unchecked(DEC_PAIRS[<u32>(v - q * 100)]));
    v = q;
  }
  let w = <u32>v;
  while (w >= 100) {
    const q = w / 100;
    i -= 2; store<u16>(buf + i, unchecked(DEC_PAIRS[w - q * 100]));
    w = q;
  }
  if (w >= 10) { i -= 2; store<u16>(buf + i, unchecked(DEC_PAIRS[w])); }
  else { i--; store<u8>(buf + i, <u8>(48 + w)); }
  return 24 - i;
}

/** No room left (a full region, or the info column when it is not printed): the value would be dropped. */
@inline function full(): bool {
  if (tp < tend) return false;
  overflowed = true;
  return true;
}

export function putDec(v: u64): void {
  // Most numbers are small: 0..255 comes whole from a table (the fourth byte written is past the text, in free room).
  if (v < 256 && room(4)) {
    const d = unchecked(DEC_BYTE[<u32>v]);
    store<u32>(tp, d);
    tp += d >> 24;
    return;
  }
  if (full()) return;
  const n = formatDecimal(v);
  putRaw(changetype<u32>(digitBuf) + 24 - n, n);
}

export function putSigned(v: i64): void {
  if (v < 0) { putc(45); putDec(<u64>(-v)); } else putDec(<u64>v);
}

/** v in lowercase hex, zero-padded to `digits` (no prefix). */
export function putHexDigits(v: u64, digits: u32): void {
  if (full()) return;
  let n: u32 = 1;
  let t = v >> 4;
  while (t != 0) { n++; t >>= 4; }
  if (digits > n) n = digits;
  if (!room(n)) { putHexDigitsChecked(v, n); return; }
  let p = tp + n;
  for (let i: u32 = 0; i < n; i++) {
    p--;
    store<u8>(p, <u8>hexDigit(<u32>v & 15));
    v >>= 4;
  }
  tp += n;
}

function putHexDigitsChecked(v: u64, n: u32): void {
  for (let i: i32 = <i32>n - 1; i >= 0; i--) {
    putc(hexDigit(<u32>(v >> (<u64>i * 4)) & 15));
  }
}

@inline export function hexDigit(d: u32): u32 {
  return d < 10 ? 48 + d : 87 + d;
}

/** v in uppercase hex, zero-padded to exactly `digits` (as "%02X" prints it). */
export function putHexUpper(v: u64, digits: u32): void {
  for (let i: i32 = <i32>digits - 1; i >= 0; i--) {
    const d = <u32>(v >> (<u64>i * 4)) & 15;
    putc(d < 10 ? 48 + d : 55 + d);
  }
}

/** "0x" and v padded to `digits`, as Wireshark prints BASE_HEX fields. */
export function putHex(v: u64, digits: u32): void {
  putc(48); putc(120);
  putHexDigits(v, digits);
}

/** The last `width` decimal digits of v, zero-padded (for fractions of seconds). */
export function putDecPadded(v: u64, width: u32): void {
  const buf = changetype<usize>(digitBuf);
  if (width > 24) { for (; width > 24; width--) putc(48); }
  for (let i: u32 = 24; i > 24 - width; ) {
    i--;
    const q = v / 10;
    store<u8>(buf + i, <u8>(48 + <u32>(v - q * 10)));
    v = q;
  }
  putRaw(changetype<u32>(digitBuf) + 24 - width, width);
}

export function putIPv4(p: u32): void {
  if (!room(16)) { putIPv4Checked(p); return; }
  let o = tp;
  for (let i: u32 = 0; i < 4; i++) {
    const d = unchecked(DEC_BYTE[load<u8>(p + i)]);
    store<u32>(o, d);
    o += d >> 24;
    store<u8>(o, 46);
    o++;
  }
  tp = o - 1; // no dot after the last byte
}

function putIPv4Checked(p: u32): void {
  for (let i: u32 = 0; i < 4; i++) {
    if (i) putc(46);
    const d = unchecked(DEC_BYTE[load<u8>(p + i)]);
    for (let k: u32 = 0; k < (d >> 24); k++) putc((d >> (k * 8)) & 0xff);
  }
}

/** RFC 5952 text: lowercase, longest run (>= 2) of zero groups as "::", first one on ties. */
export function putIPv6(p: u32): void {
  let bestStart = -1, bestLen = 1, runStart = -1;
  for (let i = 0; i < 8; i++) {
    const g = bswap<u16>(load<u16>(p + <u32>i * 2));
    if (g == 0) {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLen) { bestLen = i - runStart + 1; bestStart = runStart; }
    } else runStart = -1;
  }
  // An IPv4-mapped or -compatible address prints its last 32 bits dotted, as inet_ntop does.
  const embedsV4 = bestStart == 0 && (bestLen == 6 || (bestLen == 5 && bswap<u16>(load<u16>(p + 10)) == 0xffff));
  if (embedsV4) {
    puts(bestLen == 6 ? '::' : '::ffff:');
    putIPv4(p + 12);
    return;
  }
  for (let i = 0; i < 8; i++) {
    if (i == bestStart) {
      putc(58); putc(58);
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && i != bestStart + bestLen) putc(58);
    putHexDigits(bswap<u16>(load<u16>(p + <u32>i * 2)), 1);
  }
}

export function putEther(p: u32): void {
  if (!room(17)) { putHexBytes(p, 6, 58); return; }
  const o = tp;
  for (let i: u32 = 0; i < 6; i++) {
    store<u16>(o + i * 3, unchecked(HEX_PAIRS[load<u8>(p + i)]));
    if (i < 5) store<u8>(o + i * 3, 58, 2);
  }
  tp = o + 17;
}

/** Bytes as contiguous lowercase hex, as -T fields prints FT_BYTES. */
export function putHexBytes(p: u32, n: u32, sep: u32 = 0): void {
  if (sep == 0 && room(n * 2)) {
    const o = tp;
    for (let i: u32 = 0; i < n; i++) store<u16>(o + i * 2, unchecked(HEX_PAIRS[load<u8>(p + i)]));
    tp = o + n * 2;
    return;
  }
  for (let i: u32 = 0; i < n; i++) {
    if (sep && i) putc(sep);
    const b = <u32>load<u8>(p + i);
    putc(hexDigit(b >> 4)); putc(hexDigit(b & 15));
  }
}

/** Right-aligns the text written since p0 in a field of `width` columns. */
export function alignRight(p0: u32, width: u32): void {
  const n = tp - p0;
  if (n >= width) return;
  const pad = width - n;
  if (tend - tp < pad) { overflowed = true; return; }
  memory.copy(p0 + pad, p0, n);
  memory.fill(p0, 32, pad);
  tp += pad;
}

/** Left-aligns (pads with spaces after) the text written since p0. */
export function alignLeft(p0: u32, width: u32): void {
  for (let n = tp - p0; n < width; n++) putc(32);
}
