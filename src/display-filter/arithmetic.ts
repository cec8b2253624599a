/**
 * Arithmetic in display filters, as Wireshark 4.0 has it: fields, len(),
 * count() and constants with + - * / % and unary minus, compiled into the
 * postfix nodes the module computes (dissectors/display-filter.ts).
 * Integers and relative times take part; relative times only in sums and
 * differences.  A constant is read as the type of the expression's first
 * field, as Wireshark reads a literal for the field it meets.
 */
import { FilterSyntaxError, type ArithOp, type Value } from './parse.js';
import { AOp, Kind, Src, type ArithNode, type Operand } from './program.js';
import { FT } from './field-types.js';
import { integerLiteral as integer, parseSeconds } from './literals.js';

/** A field or function in an expression, as the compiler resolved it. */
export interface Leaf { operand: Operand; type: FT; name: string }

/** Resolves a value that is a field or a function; undefined for a literal. */
export type Resolve = (v: Value) => Leaf | undefined;

const OPERATION: Record<ArithOp, Exclude<AOp, AOp.Leaf>> = { '+': AOp.Add, '-': AOp.Subtract, '*': AOp.Multiply, '/': AOp.Divide, '%': AOp.Modulo };
const MAX_NODES = 64;
const MAX_DEPTH = 32;

/** A "-" before a word that is not a field: a negative literal, read as one ("-1", "-0.5"). */
export function negativeLiteral(v: Value, isField: (name: string) => boolean): string | undefined {
  if (v.kind !== 'negate' || v.operand.kind !== 'name' || v.operand.slice || v.operand.layers) return undefined;
  return isField(v.operand.text) ? undefined : `-${v.operand.text}`;
}

/** The type the constants of expression v are read as: its first field's or function's; undefined when it has none. */
export function governingType(v: Value, resolve: Resolve): FT | undefined {
  switch (v.kind) {
    case 'arith': return governingType(v.left, resolve) ?? governingType(v.right, resolve);
    case 'negate': return governingType(v.operand, resolve);
    case 'name': case 'call': return resolve(v)?.type;
    default: return undefined;
  }
}

/** The operand that computes expression v, whose constants are read as `governing`. */
export function arithmeticOperand(v: Value, governing: FT, resolve: Resolve): Operand {
  const nodes: ArithNode[] = [];
  let depth = 0;
  let maxDepth = 0;
  const push = (n: ArithNode): void => {
    nodes.push(n);
    depth += n.op === AOp.Leaf ? 1 : n.op === AOp.Negate ? 0 : -1;
    maxDepth = Math.max(maxDepth, depth);
  };
  // Emits e's nodes; returns whether its values are times.
  const walk = (e: Value): boolean => {
    switch (e.kind) {
      case 'arith': {
        const time = walk(e.left);
        if (walk(e.right) !== time) throw new FilterSyntaxError(`"${e.op}" at column ${e.at + 1} mixes a time and an integer`);
        if (time && e.op !== '+' && e.op !== '-') {
          throw new FilterSyntaxError(`relative times can only be added and subtracted, not with "${e.op}" (column ${e.at + 1})`);
        }
        push({ op: OPERATION[e.op] });
        return time;
      }
      case 'negate': {
        const time = walk(e.operand);
        push({ op: AOp.Negate });
        return time;
      }
      case 'string': throw new FilterSyntaxError(`the string "${e.text}" cannot take part in arithmetic`);
      case 'char': push({ op: AOp.Leaf, leaf: { src: Src.Number, value: BigInt(e.code) }, kind: constantKind(governing, BigInt(e.code)) }); return false;
      default: break;
    }
    const leaf = resolve(e);
    if (!leaf) {
      const text = e.kind === 'name' ? e.text : '';
      const time = governing === FT.TimeRel;
      const value = time ? parseSeconds(text) : integer(text);
      if (value >= 2n ** 64n) throw new FilterSyntaxError(`"${text}" is too big for arithmetic (64 bits at most)`);
      push({ op: AOp.Leaf, leaf: { src: Src.Number, value }, kind: time ? Kind.Time : constantKind(governing, value) });
      return time;
    }
    if (leaf.type !== FT.Uint && leaf.type !== FT.Int && leaf.type !== FT.TimeRel) {
      throw new FilterSyntaxError(`${leaf.name} cannot take part in arithmetic: only integer and relative-time fields can`);
    }
    push({ op: AOp.Leaf, leaf: leaf.operand, kind: Kind.U32 });
    return leaf.type === FT.TimeRel;
  };
  walk(v);
  if (nodes.length > MAX_NODES || maxDepth > MAX_DEPTH) throw new FilterSyntaxError('the arithmetic expression is too long');
  return { src: Src.Arith, nodes };
}

function constantKind(governing: FT, value: bigint): Kind {
  if (governing === FT.Int) return value < -(2n ** 31n) || value >= 2n ** 31n ? Kind.I64 : Kind.I32;
  return value >= 2n ** 32n ? Kind.U64 : Kind.U32;
}
