/**
 * Turns a display filter's syntax tree into the program the Wasm module
 * runs: names resolved against the field registry, literals read for the
 * type of the field they meet, every test checked for types that can be
 * compared, as Wireshark's semantic check does before any packet is read.
 *
 * Relations follow Wireshark 4.0: a test on a field that occurs several
 * times holds when some occurrence satisfies it, except `!=` (no occurrence
 * equal, and at least one present) and `===` (every occurrence equal).
 */
import { FilterSyntaxError, isArithmetic, parseDisplayFilter, type Expr, type Relation, type Value } from './parse.js';
import { Cls, MAX_DEPTH, Op, Rel, Src, type Operand, type Program, type Test } from './program.js';
import { integerLiteral, parseBoolean, parseBytes, parseEther, parseIPv4, parseIPv6, parseSeconds, utf8, type Bytes } from './literals.js';
import { FT } from './field-types.js';
import { parseAbsoluteTime } from './dates.js';
import { hasValueNames, valueNamed } from './value-names.js';
import { arithmeticOperand, governingType, negativeLiteral, type Leaf } from './arithmetic.js';

export interface FieldRef { id: number; name: string; type: number }

const RELATION: Record<Relation, Rel> = {
  eq: Rel.Eq, all_ne: Rel.AllNe, all_eq: Rel.AllEq, any_ne: Rel.AnyNe, gt: Rel.Gt, ge: Rel.Ge, lt: Rel.Lt, le: Rel.Le,
  contains: Rel.Contains, matches: Rel.Matches, bitand: Rel.BitAnd,
};

/** What a value on the left of a relation reads as: its operand and how literals facing it are read. */
interface Typed {
  operand: Operand;
  cls: Cls;
  /** The field type literals are read as; Bytes for a slice or the frame. */
  type: FT;
  name: string;
}

export function compileDisplayFilter(text: string, lookup: (name: string) => FieldRef | undefined): Program {
  return new Compiler(lookup).compile(parseDisplayFilter(text));
}

class Compiler {
  private readonly code: number[] = [];
  private readonly tests: Test[] = [];
  private readonly regexes: RegExp[] = [];
  private readonly fields = new Set<number>();

  constructor(private readonly lookup: (name: string) => FieldRef | undefined) {}

  compile(e: Expr): Program {
    if (this.emit(e) > MAX_DEPTH) throw new FilterSyntaxError('the filter is too deeply nested');
    return { code: this.code, tests: this.tests, regexes: this.regexes, fields: [...this.fields] };
  }

  /** Emits e's code; returns the stack depth it needs. */
  private emit(e: Expr): number {
    switch (e.kind) {
      case 'and': case 'or': {
        const depth = Math.max(this.emit(e.left), 1 + this.emit(e.right));
        this.code.push(e.kind === 'and' ? Op.And : Op.Or, 0);
        return depth;
      }
      case 'not': {
        const depth = this.emit(e.operand);
        this.code.push(Op.Not, 0);
        return depth;
      }
      case 'exists': return this.test({ rel: Rel.Exists, cls: Cls.Num, operands: [this.existing(e.value)] });
      case 'compare': return this.test(this.comparison(e.rel, e.left, e.right));
      case 'in': {
        const left = this.left(e.left, 'in');
        e.set.forEach((m, i) => {
          const low = this.right(left, m.low, Rel.Eq);
          this.test(m.high
            ? { rel: Rel.InRange, cls: left.cls, operands: [left.operand, low, this.right(left, m.high, Rel.Le)] }
            : { rel: Rel.Eq, cls: left.cls, operands: [left.operand, low] });
          if (i > 0) this.code.push(Op.Or, 0);
        });
        return 2;
      }
    }
  }

  private test(t: Test): number {
    this.code.push(Op.Test, this.tests.length);
    this.tests.push(t);
    return 1;
  }

  private field(name: string): FieldRef | undefined {
    const f = this.lookup(name);
    if (f) this.fields.add(f.id);
    return f;
  }

  private unknown(name: string): FilterSyntaxError {
    return new FilterSyntaxError(`"${name}" is neither a field nor a protocol name xcap knows ("xcap fields" lists them)`);
  }

  /** A value tested for presence: a field or protocol, sliced or not, or an arithmetic expression. */
  private existing(v: Value): Operand {
    if (this.isArithmetic(v)) return this.arithmetic(v, 'exists').operand;
    if (v.kind !== 'name') return this.left(v, 'exists').operand;
    const f = this.field(v.text);
    if (!f) throw this.unknown(v.text);
    if (v.slice) return this.left(v, 'exists').operand;
    return { src: Src.Field, field: f.id, layers: v.layers };
  }

  /** Arithmetic, but not a negative literal ("-1", read as a literal for the field it meets). */
  private isArithmetic(v: Value): boolean {
    return isArithmetic(v) && negativeLiteral(v, (name) => this.lookup(name) !== undefined) === undefined;
  }

  /** A field or function inside an arithmetic expression; undefined for a literal. */
  private readonly resolve = (v: Value): Leaf | undefined => {
    if (v.kind === 'name' && !v.slice && !v.layers && this.lookup(v.text) === undefined) return undefined;
    return this.left(v, 'arithmetic');
  };

  /** An arithmetic expression on the left of a relation: it needs a field or function, whose type its constants take. */
  private arithmetic(v: Value, relation: string): Typed {
    const type = governingType(v, this.resolve);
    if (type === undefined) {
      const unknown = names(v).find((n) => /^[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z0-9_.-]+$/.test(n));
      if (unknown) throw this.unknown(unknown);
      throw new FilterSyntaxError(`arithmetic on constants only cannot be the left side of a test (${relation}): it needs a field or a function`);
    }
    return { operand: arithmeticOperand(v, type, this.resolve), cls: Cls.Num, type, name: 'an arithmetic expression' };
  }

  private comparison(relation: Relation, l: Value, r: Value): Test {
    const rel = RELATION[relation];
    const left = this.isArithmetic(l) ? this.arithmetic(l, relation) : this.left(l, relation);
    if (rel === Rel.Matches) {
      if (left.cls !== Cls.Bytes) throw new FilterSyntaxError(`"matches" needs a string or bytes field, and ${left.name} is neither`);
      if (r.kind !== 'string') throw new FilterSyntaxError('"matches" takes a quoted regular expression');
      return { rel, cls: left.cls, operands: [left.operand, { src: Src.Regex, regex: this.regex(r.text) }] };
    }
    if (rel === Rel.Contains && left.cls !== Cls.Bytes) {
      throw new FilterSyntaxError(`"contains" needs a string or bytes field, and ${left.name} is neither`);
    }
    if (rel === Rel.BitAnd && (left.cls !== Cls.Num || left.type === FT.TimeRel || left.type === FT.TimeAbs)) {
      throw new FilterSyntaxError(`"&" needs an integer field, and ${left.name} is not one`);
    }
    return { rel, cls: left.cls, operands: [left.operand, this.right(left, r, rel)] };
  }

  /** The left side of a relation: a field, a slice, or a function of a field. */
  private left(v: Value, relation: string): Typed {
    if (v.kind === 'call') {
      if (v.arg.kind !== 'name' || v.arg.slice) throw new FilterSyntaxError(`${v.fn}() takes a field name`);
      const layers = v.arg.layers;
      const f = this.field(v.arg.text);
      if (!f) throw this.unknown(v.arg.text);
      if (v.fn === 'len' && !hasBytes(f.type) && f.name !== 'frame') {
        throw new FilterSyntaxError(`len() takes frame or a field of bytes, a string or an address, and ${f.name} is none`);
      }
      return { operand: { src: v.fn === 'len' ? Src.Len : Src.Count, field: f.id, layers }, cls: Cls.Num, type: FT.Uint, name: `${v.fn}(${f.name})` };
    }
    if (v.kind !== 'name') {
      throw new FilterSyntaxError(`the left side of "${relation}" must be a field or a function, not a literal`);
    }
    const f = this.field(v.text);
    if (!f) {
      throw /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(v.text) ? this.unknown(v.text)
        : new FilterSyntaxError(`the left side of "${relation}" must be a field or a function, not ${v.text}`);
    }
    const isFrame = f.type === FT.Protocol && f.name === 'frame';
    if (f.type === FT.Protocol && !isFrame) {
      throw new FilterSyntaxError(`${f.name} can be tested for presence only: xcap keeps the bytes of no protocol but frame`);
    }
    if (f.type === FT.None) throw new FilterSyntaxError(`${f.name} has no value: it can be tested for presence only`);
    if (v.slice) {
      if (!isFrame && !hasBytes(f.type)) throw new FilterSyntaxError(`${f.name} is a number and cannot be sliced into bytes`);
      const operand: Operand = isFrame ? { src: Src.Frame, slice: v.slice } : { src: Src.Field, field: f.id, slice: v.slice, layers: v.layers };
      return { operand, cls: Cls.Bytes, type: FT.Bytes, name: `${f.name}[...]` };
    }
    if (isFrame) return { operand: { src: Src.Frame }, cls: Cls.Bytes, type: FT.Bytes, name: f.name };
    return { operand: { src: Src.Field, field: f.id, layers: v.layers }, cls: hasBytes(f.type) ? Cls.Bytes : Cls.Num, type: f.type, name: f.name };
  }

  /** The right side: another field (of a type that compares with the left one) or a literal read for the left one's type. */
  private right(left: Typed, v: Value, rel: Rel): Operand {
    const negative = negativeLiteral(v, (name) => this.lookup(name) !== undefined);
    if (negative !== undefined) return this.literal(left, negative, rel);
    if (isArithmetic(v)) {
      if (left.cls !== Cls.Num || left.type === FT.Bool || left.type === FT.TimeAbs) {
        throw new FilterSyntaxError(`${left.name} cannot be compared with an arithmetic expression`);
      }
      return arithmeticOperand(v, left.type, this.resolve);
    }
    if (v.kind === 'name' && !v.slice && !v.layers && this.lookup(v.text) === undefined) return this.literal(left, v.text, rel);
    if (v.kind === 'name' || v.kind === 'call') {
      const other = this.left(v, 'compare');
      if (other.cls !== left.cls || (left.cls === Cls.Bytes && !comparable(left.type, other.type))) {
        throw new FilterSyntaxError(`${left.name} and ${other.name} are of types that cannot be compared`);
      }
      return other.operand;
    }
    if (v.kind === 'char') {
      if (left.cls === Cls.Num) return { src: Src.Number, value: BigInt(v.code) };
      if (v.code > 0xff) throw new FilterSyntaxError('a character constant for bytes must be a single byte');
      return { src: Src.Bytes, bytes: Uint8Array.of(v.code) };
    }
    if (left.type === FT.TimeAbs) return { src: Src.Number, value: parseAbsoluteTime(v.text) };
    if (left.cls === Cls.Num && hasValueNames(left.name)) return { src: Src.Number, value: this.named(left, v.text) };
    if (left.cls === Cls.Num || left.type === FT.IPv4 || left.type === FT.IPv6 || left.type === FT.Ether) {
      throw new FilterSyntaxError(`${left.name} cannot be compared with the string "${v.text}"`);
    }
    return { src: Src.Bytes, ...utf8(v.text) };
  }

  private literal(left: Typed, text: string, rel: Rel): Operand {
    if (left.cls === Cls.Num) {
      if (hasValueNames(left.name) && /^[A-Za-z]/.test(text) && !/^(True|TRUE|False|FALSE)$/.test(text)) {
        return { src: Src.Number, value: this.named(left, text) };
      }
      const value = left.type === FT.Bool ? parseBoolean(text)
        : left.type === FT.TimeRel ? parseSeconds(text)
        // xcap's absolute times take seconds since the epoch too (frame.time_epoch is one).
        : left.type === FT.TimeAbs ? (/^-?[0-9]/.test(text) && !/^\d+-/.test(text) ? parseSeconds(text) : parseAbsoluteTime(text))
        : integerLiteral(text);
      return { src: Src.Number, value };
    }
    let b: Bytes;
    // A part of an address is bytes: "eth.src contains 5e:10".
    const type = rel === Rel.Contains ? FT.Bytes : left.type;
    switch (type) {
      case FT.IPv4: b = parseIPv4(text); break;
      case FT.IPv6: b = parseIPv6(text); break;
      case FT.Ether: b = parseEther(text); break;
      case FT.String: b = utf8(text); break;
      default: b = parseBytes(text); break;
    }
    if (b.prefixBits !== undefined && ![Rel.Eq, Rel.AllNe, Rel.AllEq, Rel.AnyNe].includes(rel)) {
      throw new FilterSyntaxError(`a network prefix ("${text}") can only be tested for equality`);
    }
    return { src: Src.Bytes, ...b };
  }

  /** The value a field's value name stands for ("UDP" for ip.proto). */
  private named(left: Typed, name: string): bigint {
    const value = valueNamed(left.name, name);
    if (value === undefined) throw new FilterSyntaxError(`"${name}" is not a name of a value of ${left.name}`);
    return value;
  }

  private regex(source: string): number {
    // Wireshark 4.0's "matches" ignores case unless the pattern starts with (?-i).
    let flags = 'i';
    let pattern = source;
    const inline = /^\(\?(-?)i\)/.exec(source);
    if (inline) { flags = inline[1] ? '' : 'i'; pattern = source.slice(inline[0].length); }
    try {
      this.regexes.push(new RegExp(pattern, flags));
    } catch (err) {
      throw new FilterSyntaxError(`"${source}" is not a regular expression xcap can run: ${(err as Error).message}`);
    }
    return this.regexes.length - 1;
  }
}

/** The unquoted words of an arithmetic expression. */
function names(v: Value): string[] {
  switch (v.kind) {
    case 'arith': return [...names(v.left), ...names(v.right)];
    case 'negate': return names(v.operand);
    case 'name': return [v.text];
    default: return [];
  }
}

function hasBytes(type: number): boolean {
  return type === FT.IPv4 || type === FT.IPv6 || type === FT.Ether || type === FT.String || type === FT.Bytes;
}

/** Byte-valued types that compare with each other: the same type, or any mix of strings and bytes (a slice is bytes). */
function comparable(a: number, b: number): boolean {
  const loose = (t: number): boolean => t === FT.String || t === FT.Bytes;
  return a === b || (loose(a) && loose(b));
}
