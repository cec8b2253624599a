/**
 * A compiled display filter as the Wasm module runs it
 * (dissectors/display-filter.ts): a postfix code of (op, argument) pairs and
 * test records of 24 32-bit words, [relation, class, three operands of 7
 * words], with the constants' bytes and the arithmetic expressions' nodes
 * (ARITH_NODE_WORDS each: operation, kind, an operand) after them, all in
 * the module's display-filter region.
 */
import { LAYER_LIST_REACH, type Layers, type Slice } from './parse.js';

export const enum Op { Test = 1, Not = 2, And = 3, Or = 4 }
export const enum Rel { Exists = 0, Eq = 1, AllNe = 2, AllEq = 3, AnyNe = 4, Gt = 5, Ge = 6, Lt = 7, Le = 8, Contains = 9, Matches = 10, BitAnd = 11, InRange = 12 }
export const enum Src { Field = 1, Len = 2, Count = 3, Number = 4, Bytes = 5, Frame = 6, Regex = 7, Arith = 8 }
export const enum Cls { Num = 0, Bytes = 1 }
/** An arithmetic expression's node, in postfix order: a value (Leaf) or an operation on the values before it. */
export const enum AOp { Leaf = 0, Negate = 1, Add = 2, Subtract = 3, Multiply = 4, Divide = 5, Modulo = 6 }
/** How a constant of an arithmetic expression computes, as Wireshark's field types: 32 or 64 bits, unsigned or signed, or a relative time in ns. */
export const enum Kind { U32 = 0, I32 = 1, U64 = 2, I64 = 3, Time = 4 }

const TEST_WORDS = 24;
const OPERAND_WORDS = 7;
const ARITH_NODE_WORDS = 2 + OPERAND_WORDS;
/** The module's stack of intermediate results. */
export const MAX_DEPTH = 256;

export type Operand =
  | { src: Src.Field | Src.Len | Src.Count; field: number; slice?: Slice; layers?: Layers }
  | { src: Src.Frame; slice?: Slice }
  | { src: Src.Number; value: bigint }
  | { src: Src.Bytes; bytes: Uint8Array; prefixBits?: number }
  | { src: Src.Regex; regex: number }
  | { src: Src.Arith; nodes: ArithNode[] };

export type ArithNode =
  | { op: AOp.Leaf; leaf: Operand; kind: Kind }
  | { op: Exclude<AOp, AOp.Leaf> };

export interface Test { rel: Rel; cls: Cls; operands: Operand[] }

export interface Program {
  /** (op, argument) pairs; the argument of Op.Test is a test's number. */
  code: number[];
  tests: Test[];
  regexes: RegExp[];
  /** The fields whose occurrences the tests read: the dissectors must record them. */
  fields: number[];
}

/** Where encode() put the code and the tests (addresses in the module's memory). */
export interface Placement { code: number; words: number; tests: number }

/**
 * Writes the program into `memory` at [base, base + size); undefined when it
 * does not fit.
 */
export function encode(program: Program, memory: Uint8Array, base: number, size: number): Placement | undefined {
  const constants = program.tests.flatMap((t) => t.operands.flatMap((o) => (o.src === Src.Bytes ? [o.bytes.length]
    : o.src === Src.Arith ? [o.nodes.length * ARITH_NODE_WORDS * 4] : [])));
  const codeBytes = program.code.length * 4;
  const testsBytes = program.tests.length * TEST_WORDS * 4;
  if (codeBytes + testsBytes + constants.reduce((a, b) => a + b, 0) > size) return undefined;
  const view = new DataView(memory.buffer, memory.byteOffset + base, size);
  program.code.forEach((w, i) => view.setInt32(i * 4, w, true));
  const testsAt = codeBytes;
  let constantAt = testsAt + testsBytes;
  program.tests.forEach((t, i) => {
    const at = testsAt + i * TEST_WORDS * 4;
    for (let k = 0; k < TEST_WORDS; k++) view.setInt32(at + k * 4, 0, true);
    view.setInt32(at, t.rel, true);
    view.setInt32(at + 4, t.cls, true);
    t.operands.forEach((o, k) => {
      let address = 0;
      if (o.src === Src.Bytes) {
        address = base + constantAt;
        memory.set(o.bytes, address);
        constantAt += o.bytes.length;
      } else if (o.src === Src.Arith) {
        address = base + constantAt;
        o.nodes.forEach((n, j) => {
          const words = n.op === AOp.Leaf ? [n.op, n.kind, ...operandWords(n.leaf, 0)] : [n.op, 0, 0, 0, 0, 0, 0, 0, 0];
          words.forEach((w, k) => view.setInt32(constantAt + (j * ARITH_NODE_WORDS + k) * 4, w, true));
        });
        constantAt += o.nodes.length * ARITH_NODE_WORDS * 4;
      }
      operandWords(o, address).forEach((w, j) => view.setInt32(at + (2 + k * OPERAND_WORDS + j) * 4, w, true));
    });
  });
  return { code: base, words: program.code.length, tests: base + testsAt };
}

/** An operand's words; `address` is where its bytes were put (Src.Bytes). */
function operandWords(o: Operand, address: number): number[] {
  const slice = (s?: Slice): number[] => (s ? [1, s.start, s.length] : [0, 0, 0]);
  switch (o.src) {
    case Src.Field: case Src.Len: case Src.Count: return [o.src, o.field, ...layerWords(o.layers), ...slice(o.slice)];
    case Src.Frame: return [o.src, 0, 0, 0, ...slice(o.slice)];
    case Src.Number: {
      const v = BigInt.asUintN(64, o.value);
      return [o.src, Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n)), o.value < 0n ? 1 : 0, 0, 0, 0];
    }
    case Src.Bytes: return [o.src, address, o.bytes.length, o.prefixBits ?? -1, 0, 0, 0];
    case Src.Regex: return [o.src, o.regex, 0, 0, 0, 0, 0];
    case Src.Arith: return [o.src, address, o.nodes.length, 0, 0, 0, 0];
  }
}

/**
 * An operand's layers in two words, counted from 1: [0, 0] every layer,
 * [first, last] one range ([-1, -1] none); several ranges as [-2 - from,
 * mask]: layers 1-32 by the bits of mask, and every layer from `from` on
 * when it is not 0.
 */
function layerWords(l?: Layers): [number, number] {
  if (!l) return [0, 0];
  const OPEN = 0x7fffffff;
  const ranges = l.map((r) => ({ first: Math.max(r.first, 1), last: Math.min(r.last, OPEN) })).filter((r) => r.last >= r.first);
  if (ranges.length === 0) return [-1, -1];
  if (ranges.length === 1) return [ranges[0].first, ranges[0].last];
  let mask = 0;
  let from = 0;
  for (const r of ranges) {
    if (r.last === OPEN) from = from === 0 ? r.first : Math.min(from, r.first);
    else for (let n = r.first; n <= Math.min(r.last, LAYER_LIST_REACH); n++) mask |= 1 << (n - 1);
  }
  return [-2 - from, mask];
}
