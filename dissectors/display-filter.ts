// -Y: a display filter, compiled by the host (src/display-filter/) into a
// postfix program of tests over the field occurrences of a packet, run after
// the packet is dissected and before anything of it is printed.  The program
// and its constants lie in a region laid out at init(); nothing allocates.
import { FT, fieldType, fieldHexDigits, fieldProto } from './fields';
import { firstEntry, entryNext, entryValue, entryLen, entryLayer, layerProto } from './packet';
import { AOp, Kind, binary, negate, arithResult, arithResultKind } from './display-filter-arith';
import { table } from './tables';

// The program's layout: must match src/display-filter/program.ts.
const enum Op { TEST = 1, NOT = 2, AND = 3, OR = 4 }
const enum Rel { EXISTS = 0, EQ = 1, ALL_NE = 2, ALL_EQ = 3, ANY_NE = 4, GT = 5, GE = 6, LT = 7, LE = 8, CONTAINS = 9, MATCHES = 10, BITAND = 11, IN_RANGE = 12 }
const enum Src { FIELD = 1, LEN = 2, COUNT = 3, NUMBER = 4, BYTES = 5, FRAME = 6, REGEX = 7, ARITH = 8 }
const enum Cls { NUM = 0, BYTES = 1 }
const TEST_WORDS: u32 = 24;
const OPERAND_WORDS: u32 = 7;
const ARITH_NODE_WORDS: u32 = 2 + OPERAND_WORDS;
const MAX_DEPTH: i32 = 256;

// Wireshark's "matches": a Perl-compatible regular expression, which the host runs.
@external('env', 'regexTest')
declare function regexTest(id: i32, ptr: u32, len: u32): i32;

let region: u32 = 0;
let regionSize: u32 = 0;
let codeLen: u32 = 0; // 0: no filter
let codePtr: u32 = 0;
let testsPtr: u32 = 0;
const stack = table<u8>(MAX_DEPTH);

let frameData: u32 = 0;
let frameLen: u32 = 0;

export function layoutDisplayFilter(base: u32, size: u32): void { region = base; regionSize = size; codeLen = 0; }
export function displayFilterPtr(): u32 { return region; }
export function displayFilterSize(): u32 { return regionSize; }

/** The host wrote a program into the region: `code` words of (op, argument) pairs at `code`, test records at `tests` (addresses). */
export function setDisplayFilter(code: u32, words: u32, tests: u32): void {
  codePtr = code; codeLen = words; testsPtr = tests;
}
export function clearDisplayFilter(): void { codeLen = 0; }
export function displayFilterActive(): bool { return codeLen != 0; }

@inline function word(p: u32, i: u32): i32 { return load<i32>(p + (i << 2)); }

/** Whether the packet just dissected, whose captured bytes are [data, data + len), passes the filter. */
export function displayFilterPasses(data: u32, len: u32): bool {
  frameData = data; frameLen = len;
  let sp = 0;
  for (let i: u32 = 0; i < codeLen; i += 2) {
    const op = word(codePtr, i);
    if (op == Op.TEST) {
      if (sp >= MAX_DEPTH) return false;
      unchecked(stack[sp++] = evalTest(testsPtr + <u32>word(codePtr, i + 1) * TEST_WORDS * 4) ? 1 : 0);
    } else if (op == Op.NOT) {
      if (sp < 1) return false;
      unchecked(stack[sp - 1] ^= 1);
    } else {
      if (sp < 2) return false;
      sp--;
      const b = unchecked(stack[sp]);
      if (op == Op.AND) unchecked(stack[sp - 1] &= b); else unchecked(stack[sp - 1] |= b);
    }
  }
  return sp == 1 && unchecked(stack[0]) != 0;
}

// The current value of each of a test's three operands (left, right, range
// end), and a fourth: the value of an arithmetic expression being computed.
const ARITH_SIDE: i32 = 3;
const numV = table<u64>(4);
const numNeg = table<u8>(4);
// Wireshark compares with the left value's type: an unsigned one fails against a negative number.
const numUnsigned = table<u8>(4);
const bytesPtr = table<u32>(4);
const bytesLen = table<u32>(4);
const prefixBits = table<i32>(4);
const operands = table<u32>(4);

function evalTest(t: u32): bool {
  const rel = word(t, 0);
  const cls = word(t, 1);
  for (let s: u32 = 0; s < 3; s++) {
    const o = t + (2 + s * OPERAND_WORDS) * 4;
    unchecked(operands[s] = o);
    if (word(o, 0) == Src.ARITH) computeArith(s, o);
  }
  if (rel == Rel.EXISTS) return word(unchecked(operands[0]), 0) == Src.ARITH ? anyNonZero(0) : first(0) >= 0;
  // Wireshark reads both fields first: "!=" fails when either is missing.
  if (rel == Rel.ALL_NE) return present(0) && present(1) && !anyPair(Rel.EQ, cls);
  if (rel == Rel.ALL_EQ) return first(0) >= 0 && first(1) >= 0 && !anyPair(Rel.ANY_NE, cls);
  return anyPair(rel, cls);
}

/** Whether some value of the left operand and some value of the right one stand in relation `rel`. */
function anyPair(rel: i32, cls: i32): bool {
  for (let a = first(0); a >= 0; a = next(0, a)) {
    if (rel == Rel.IN_RANGE) {
      if (first(1) >= 0 && first(2) >= 0 && !(cls == Cls.NUM && (fails(1) || fails(2))) && compare(cls, 1) >= 0 && compare(cls, 2) <= 0) return true;
      continue;
    }
    // Loading a value of one side leaves the others' as they are.
    for (let b = first(1); b >= 0; b = next(1, b)) if (holds(rel, cls)) return true;
  }
  return false;
}

function holds(rel: i32, cls: i32): bool {
  if (cls == Cls.NUM && fails(1)) return false;
  switch (rel) {
    case Rel.EQ: return compare(cls, 1) == 0;
    case Rel.ANY_NE: return compare(cls, 1) != 0;
    case Rel.GT: return compare(cls, 1) > 0;
    case Rel.GE: return compare(cls, 1) >= 0;
    case Rel.LT: return compare(cls, 1) < 0;
    case Rel.LE: return compare(cls, 1) <= 0;
    case Rel.BITAND: return (unchecked(numV[0]) & unchecked(numV[1])) != 0;
    case Rel.CONTAINS: return contains(unchecked(bytesPtr[0]), unchecked(bytesLen[0]), unchecked(bytesPtr[1]), unchecked(bytesLen[1]));
    case Rel.MATCHES: return regexTest(<i32>unchecked(numV[1]), unchecked(bytesPtr[0]), unchecked(bytesLen[0])) != 0;
    default: return false;
  }
}

/** Whether comparing number side 0 with side s has no result: unsigned against negative. */
@inline function fails(s: i32): bool {
  return unchecked(numUnsigned[0]) != 0 && unchecked(numNeg[s]) != 0;
}

/** Side 0 against side s: negative, zero or positive. */
function compare(cls: i32, s: i32): i32 {
  if (cls == Cls.NUM) {
    const a = unchecked(numV[0]); const b = unchecked(numV[s]);
    const an = unchecked(numNeg[0]); const bn = unchecked(numNeg[s]);
    // Two's complement keeps the order among negatives as among non-negatives.
    if (an != bn) return an ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const pa = unchecked(bytesPtr[0]); const la = unchecked(bytesLen[0]);
  const pb = unchecked(bytesPtr[s]); const lb = unchecked(bytesLen[s]);
  const bits = unchecked(prefixBits[s]);
  if (bits >= 0) return la == lb && prefixEqual(pa, pb, <u32>bits) ? 0 : memcmp(pa, la, pb, lb);
  return memcmp(pa, la, pb, lb);
}

function prefixEqual(a: u32, b: u32, bits: u32): bool {
  const whole = bits >> 3;
  for (let i: u32 = 0; i < whole; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  const rest = bits & 7;
  if (rest == 0) return true;
  const mask = <u8>(<u32>0xff << (8 - rest));
  return (load<u8>(a + whole) & mask) == (load<u8>(b + whole) & mask);
}

function memcmp(a: u32, la: u32, b: u32, lb: u32): i32 {
  const n = la < lb ? la : lb;
  for (let i: u32 = 0; i < n; i++) {
    const x = <i32>load<u8>(a + i); const y = <i32>load<u8>(b + i);
    if (x != y) return x - y;
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

function contains(h: u32, hl: u32, n: u32, nl: u32): bool {
  if (nl == 0) return true;
  if (nl > hl) return false;
  const first = load<u8>(n);
  for (let i: u32 = 0; i + nl <= hl; i++) {
    if (load<u8>(h + i) != first) continue;
    let j: u32 = 1;
    while (j < nl && load<u8>(h + i + j) == load<u8>(n + j)) j++;
    if (j == nl) return true;
  }
  return false;
}

// Occurrences of an operand: entry numbers for fields, indexes of an
// arithmetic expression's values, 0 for a single value, -1 past the last.
function first(s: i32): i32 {
  const o = unchecked(operands[s]);
  const src = word(o, 0);
  let h: i32 = src == Src.FIELD || src == Src.LEN ? firstEntry(<u32>word(o, 1))
    : src == Src.ARITH ? (unchecked(arithCount[s]) > 0 ? 0 : -1) : 0;
  while (h >= 0 && !loadValue(s, o, src, h)) h = advance(s, src, h);
  return h;
}

function next(s: i32, h: i32): i32 {
  const o = unchecked(operands[s]);
  const src = word(o, 0);
  h = advance(s, src, h);
  while (h >= 0 && !loadValue(s, o, src, h)) h = advance(s, src, h);
  return h;
}

@inline function advance(s: i32, src: i32, h: i32): i32 {
  if (src == Src.FIELD || src == Src.LEN) return unchecked(entryNext[h]);
  return src == Src.ARITH && h + 1 < unchecked(arithCount[s]) ? h + 1 : -1;
}

/** An arithmetic expression alone is a test, as in Wireshark: whether some value of it is not zero. */
function anyNonZero(s: i32): bool {
  for (let h = 0; h < unchecked(arithCount[s]); h++) if (unchecked(arithValues[s * ARITH_VALUES + h]) != 0) return true;
  return false;
}

/**
 * Whether an operand is there to be tested: a field that occurs, or an
 * arithmetic expression whose fields all occur (even if every operation
 * on them failed, as Wireshark's "!=" sees it).
 */
function present(s: i32): bool {
  return word(unchecked(operands[s]), 0) == Src.ARITH ? unchecked(arithPresent[s]) != 0 : first(s) >= 0;
}

// The values of the arithmetic expressions of a test's sides, computed once per test.
const ARITH_VALUES: i32 = 256;
const arithValues = table<u64>(3 * ARITH_VALUES);
const arithKinds = table<u8>(3 * ARITH_VALUES);
const arithCount = table<i32>(3);
const arithPresent = table<u8>(3);
// A stack of lists of values in a pool: an operation takes every value of
// one list with every value of the other, as Wireshark does.
const POOL: i32 = 1024;
const MAX_LISTS: i32 = 32;
const poolValue = table<u64>(POOL);
const poolKind = table<u8>(POOL);
const listStart = table<i32>(MAX_LISTS);
const listLen = table<i32>(MAX_LISTS);

/** Computes the values of the arithmetic expression of operand o into side s's list. */
function computeArith(s: i32, o: u32): void {
  const nodes = <u32>word(o, 1);
  const count = <u32>word(o, 2);
  let top = 0;
  let used = 0;
  let allPresent = true;
  for (let i: u32 = 0; i < count; i++) {
    const n = nodes + i * ARITH_NODE_WORDS * 4;
    const op = word(n, 0);
    if (op == AOp.LEAF) {
      if (top >= MAX_LISTS) break;
      const leaf = n + 8;
      unchecked(operands[ARITH_SIDE] = leaf);
      const kind = <u8>leafKind(leaf, word(n, 1));
      const start = used;
      for (let h = first(ARITH_SIDE); h >= 0 && used < POOL; h = next(ARITH_SIDE, h)) {
        unchecked(poolValue[used] = numV[ARITH_SIDE]);
        unchecked(poolKind[used] = kind);
        used++;
      }
      if (used == start && (word(leaf, 0) == Src.FIELD || word(leaf, 0) == Src.LEN)) allPresent = false;
      unchecked(listStart[top] = start);
      unchecked(listLen[top] = used - start);
      top++;
    } else if (op == AOp.NEGATE) {
      if (top < 1) break;
      const start = unchecked(listStart[top - 1]);
      let k = start;
      for (let j = start; j < used; j++) {
        if (!negate(unchecked(poolValue[j]), unchecked(poolKind[j]))) continue;
        unchecked(poolValue[k] = arithResult);
        unchecked(poolKind[k] = <u8>arithResultKind);
        k++;
      }
      unchecked(listLen[top - 1] = k - start);
      used = k;
    } else {
      if (top < 2) break;
      const a = unchecked(listStart[top - 2]); const aEnd = a + unchecked(listLen[top - 2]);
      const b = unchecked(listStart[top - 1]); const bEnd = b + unchecked(listLen[top - 1]);
      let out = used;
      for (let i = a; i < aEnd; i++) {
        for (let j = b; j < bEnd && out < POOL; j++) {
          if (!binary(op, unchecked(poolValue[i]), unchecked(poolKind[i]), unchecked(poolValue[j]), unchecked(poolKind[j]))) continue;
          unchecked(poolValue[out] = arithResult);
          unchecked(poolKind[out] = <u8>arithResultKind);
          out++;
        }
      }
      // The results replace the two lists.
      const n2 = out - used;
      for (let k = 0; k < n2; k++) {
        unchecked(poolValue[a + k] = poolValue[used + k]);
        unchecked(poolKind[a + k] = poolKind[used + k]);
      }
      top--;
      unchecked(listLen[top - 1] = n2);
      used = a + n2;
    }
  }
  let total = top == 1 ? unchecked(listLen[0]) : 0;
  if (total > ARITH_VALUES) total = ARITH_VALUES;
  for (let k = 0; k < total; k++) {
    unchecked(arithValues[s * ARITH_VALUES + k] = poolValue[k]);
    unchecked(arithKinds[s * ARITH_VALUES + k] = poolKind[k]);
  }
  unchecked(arithCount[s] = total);
  unchecked(arithPresent[s] = allPresent && top == 1 ? 1 : 0);
}

/** How a leaf's values compute: a constant as the compiler says, a field as its type and width. */
function leafKind(leaf: u32, constantKind: i32): i32 {
  const src = word(leaf, 0);
  if (src == Src.NUMBER) return constantKind;
  if (src != Src.FIELD) return Kind.U32;
  const f = <u32>word(leaf, 1);
  const wide = unchecked(fieldHexDigits[f]) > 8;
  switch (<i32>unchecked(fieldType[f])) {
    case FT.UINT: return wide ? Kind.U64 : Kind.U32;
    case FT.INT: return wide ? Kind.I64 : Kind.I32;
    default: return Kind.TIME;
  }
}

/**
 * Whether entry h of field f is in the layers operand o selects, counted
 * from 1 per protocol: words 2 and 3 are 0 and 0 for all, a range from word
 * 2 to word 3, or (word 2 <= -2) the layers of word 3's bits 0-31 and every
 * layer from -2 - word 2 on when that is not 0 (program.ts, layerWords).
 */
function inLayers(o: u32, f: u32, h: i32): bool {
  const low = word(o, 2);
  const high = word(o, 3);
  if (low == 0 && high == 0) return true;
  const proto = unchecked(fieldProto[f]);
  const layer = <i32>unchecked(entryLayer[h]);
  let n = 0;
  for (let l = 0; l <= layer; l++) if (unchecked(layerProto[l]) == proto) n++;
  if (low > -2) return n >= low && n <= high;
  const from = -2 - low;
  if (from > 0 && n >= from) return true;
  return n >= 1 && n <= 32 && ((<u32>high >>> <u32>(n - 1)) & 1) != 0;
}

/** Loads occurrence h of operand o into side s; false when it has no value there (a slice past its end). */
function loadValue(s: i32, o: u32, src: i32, h: i32): bool {
  unchecked(prefixBits[s] = -1);
  switch (src) {
    case Src.NUMBER:
      setNum(s, load<u64>(o + 4), word(o, 3) != 0, false); // words 1 and 2: low and high half
      return true;
    case Src.ARITH: {
      const v = unchecked(arithValues[s * ARITH_VALUES + h]);
      const k = unchecked(arithKinds[s * ARITH_VALUES + h]);
      if (k == Kind.U32 || k == Kind.U64) setNum(s, v, false, true);
      else setNum(s, v, <i64>v < 0, false);
      return true;
    }
    case Src.REGEX:
      unchecked(numV[s] = <u64>word(o, 1));
      return true;
    case Src.BYTES:
      unchecked(prefixBits[s] = word(o, 3));
      return setBytes(s, o, <u32>word(o, 1), <u32>word(o, 2));
    case Src.FRAME:
      return setBytes(s, o, frameData, frameLen);
    case Src.COUNT: {
      let n: u64 = 0;
      for (let e = firstEntry(<u32>word(o, 1)); e >= 0; e = unchecked(entryNext[e])) if (inLayers(o, <u32>word(o, 1), e)) n++;
      setNum(s, n, false, true);
      return true;
    }
    default: break;
  }
  const f = <u32>word(o, 1);
  if (!inLayers(o, f, h)) return false;
  const type = <i32>unchecked(fieldType[f]);
  const v = unchecked(entryValue[h]);
  if (src == Src.LEN) { setNum(s, <u64>byteLength(type, h), false, true); return true; }
  switch (type) {
    case FT.UINT: setNum(s, v, false, true); return true;
    case FT.BOOL: setNum(s, v != 0 ? 1 : 0, false, false); return true;
    case FT.INT:
    case FT.TIME_REL:
    case FT.TIME_ABS: setNum(s, v, <i64>v < 0, false); return true;
    default: return setBytes(s, o, <u32>v, byteLength(type, h));
  }
}

function byteLength(type: i32, e: i32): u32 {
  switch (type) {
    // The compiler lets len() take no protocol but frame.
    case FT.PROTOCOL: return frameLen;
    case FT.IPV4: return 4;
    case FT.IPV6: return 16;
    case FT.ETHER: return 6;
    default: return unchecked(entryLen[e]);
  }
}

@inline function setNum(s: i32, v: u64, neg: bool, unsigned: bool): void {
  unchecked(numV[s] = v);
  unchecked(numNeg[s] = neg ? 1 : 0);
  unchecked(numUnsigned[s] = unsigned ? 1 : 0);
}

/** Bytes [p, p + len), cut to the operand's slice if it has one. */
function setBytes(s: i32, o: u32, p: u32, len: u32): bool {
  if (word(o, 4) != 0) {
    let from = word(o, 5);
    if (from < 0) from += <i32>len;
    const count = word(o, 6);
    const to = count < 0 ? <i32>len : from + count;
    if (from < 0 || to > <i32>len || from >= to) return false;
    p += <u32>from;
    len = <u32>(to - from);
  }
  unchecked(bytesPtr[s] = p);
  unchecked(bytesLen[s] = len);
  return true;
}
