/**
 * Display filters (tshark -Y) as Wireshark 4.0 writes them, parsed into a
 * syntax tree: `or`/`||` below `and`/`&&` below `not`/`!`, comparisons
 * (`==` `!=` `===` `!==` `~=` `>` `>=` `<` `<=` and their word forms,
 * `contains`, `matches`/`~`, `&`), `in {a, b..c}` sets, byte slices
 * `[i:j]`, the functions `len()` and `count()`, quoted strings, raw
 * strings, character constants and unquoted literals (numbers, addresses,
 * byte strings, field names), arithmetic (`+ - * / %`, unary minus, `{...}`
 * for grouping) and the layer operator (`ip.src#2`, `ip.src#[1-2]`).  What
 * it does not take is named in the error.
 */
import { UsageError } from '../errors.js';

export type Relation = 'eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'matches' | 'bitand';

/** A byte range as Wireshark writes it: from `start` (negative: from the end), `length` bytes or (-1) to the end. */
export interface Slice { start: number; length: number }

/** Layers from `first` to `last`, counted from 1 (`last` is Number.MAX_SAFE_INTEGER for "and on"). */
export interface LayerRange { first: number; last: number }
/** The layers `#n`, `#[a-b]` or `#[a,b-c,d:]` selects: one range or several. */
export type Layers = LayerRange[];
/** Layers a list of several ranges can name one by one (the rest only as "from n on"). */
export const LAYER_LIST_REACH = 32;

export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Value =
  | { kind: 'name'; text: string; slice?: Slice; layers?: Layers; at: number } // an unquoted word: a field if one has that name, else a literal
  | { kind: 'string'; text: string; at: number }
  | { kind: 'char'; code: number; at: number }
  | { kind: 'call'; fn: 'len' | 'count'; arg: Value; at: number }
  | { kind: 'negate'; operand: Value; at: number }
  | { kind: 'arith'; op: ArithOp; left: Value; right: Value; at: number };

export interface SetElement { low: Value; high?: Value }

export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'exists'; value: Value }
  | { kind: 'compare'; rel: Relation; left: Value; right: Value }
  | { kind: 'in'; left: Value; set: SetElement[] };

const RELATIONS: Record<string, Relation> = {
  '==': 'eq', eq: 'eq', '!=': 'all_ne', ne: 'all_ne', '===': 'all_eq', all_eq: 'all_eq',
  '!==': 'any_ne', '~=': 'any_ne', any_ne: 'any_ne', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge',
  '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', contains: 'contains', matches: 'matches', '~': 'matches',
  '&': 'bitand', bitwise_and: 'bitand',
};

// Longest first, so that "===" is not read as "==" then "=".
const PUNCTUATION = ['===', '!==', '==', '!=', '~=', '>=', '<=', '&&', '||', '..', '>', '<', '!', '~', '&',
  '(', ')', '{', '}', ',', '+', '*', '%', '-', '/'];
const WORD = /[A-Za-z0-9_.:\-/]/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

type Token =
  | { type: 'punct'; text: string; at: number }
  | { type: 'word'; text: string; at: number }
  | { type: 'string'; text: string; at: number }
  | { type: 'char'; code: number; at: number }
  | { type: 'slice'; text: string; at: number }
  | { type: 'layer'; text: string; at: number }
  | { type: 'end'; at: number };

export class FilterSyntaxError extends UsageError {
  constructor(message: string) {
    super(`display filter: ${message}`);
  }
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || (c === 'r' && src[i + 1] === '"')) {
      const raw = c === 'r';
      const { text, end } = readQuoted(src, raw ? i + 1 : i, '"', raw);
      tokens.push({ type: 'string', text, at: i });
      i = end;
      continue;
    }
    if (c === "'") {
      const { text, end } = readQuoted(src, i, "'", false);
      if ([...text].length !== 1) throw new FilterSyntaxError(`${src.slice(i, end)} is not a single character (column ${i + 1})`);
      tokens.push({ type: 'char', code: text.codePointAt(0)!, at: i });
      i = end;
      continue;
    }
    if (c === '#') {
      // "#2" or "#[1-2]", touching the field name before it.
      const m = /^#([0-9]+|\[[^\]]*\])/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`"#" must be followed by a layer number or a range in [] (column ${i + 1})`);
      tokens.push({ type: 'layer', text: m[1], at: i });
      i += m[0].length;
      continue;
    }
    if (c === '[') {
      const close = src.indexOf(']', i);
      if (close < 0) throw new FilterSyntaxError(`"[" at column ${i + 1} has no "]"`);
      tokens.push({ type: 'slice', text: src.slice(i + 1, close), at: i });
      i = close + 1;
      continue;
    }
    // A word; ".." ends it, so that "1..100" is a range.  A word does not
    // start with "-" or "/" (minus and division), and "/" ends a field name
    // ("frame.len/2") but not an address ("10.0.0.0/8", "fe80::/10").
    if (WORD.test(c) && c !== '-' && c !== '/' && !src.startsWith('..', i)) {
      let j = i;
      while (j < src.length && WORD.test(src[j]) && !src.startsWith('..', j)) {
        if (src[j] === '/' && FIELD_NAME.test(src.slice(i, j))) break;
        j++;
      }
      tokens.push({ type: 'word', text: src.slice(i, j), at: i });
      i = j;
      continue;
    }
    const p = PUNCTUATION.find((t) => src.startsWith(t, i));
    if (!p) throw unsupportedCharacter(c, i);
    tokens.push({ type: 'punct', text: p, at: i });
    i += p.length;
  }
  tokens.push({ type: 'end', at: src.length });
  return tokens;
}

function unsupportedCharacter(c: string, at: number): FilterSyntaxError {
  const why = c === '$' ? 'field references ("${...}") are not supported'
    : `"${c}" was unexpected`;
  return new FilterSyntaxError(`${why} (column ${at + 1})`);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** A quoted string from `start` (its opening quote): its text with escapes resolved, and where it ends. */
function readQuoted(src: string, start: number, quote: string, raw: boolean): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  while (i < src.length && src[i] !== quote) {
    if (src[i] !== '\\') { text += src[i++]; continue; }
    const e = src[i + 1];
    if (e === undefined) break;
    if (raw) { text += src.slice(i, i + 2); i += 2; continue; }
    if (e === 'x' && /^[0-9a-fA-F]{1,2}/.test(src.slice(i + 2))) {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(src.slice(i + 2))![0];
      text += String.fromCharCode(parseInt(hex, 16));
      i += 2 + hex.length;
    } else if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1))![0];
      text += String.fromCharCode(parseInt(oct, 8));
      i += 1 + oct.length;
    } else if (ESCAPES[e] !== undefined) {
      text += ESCAPES[e];
      i += 2;
    } else {
      throw new FilterSyntaxError(`"\\${e}" is not a valid escape (column ${i + 1})`);
    }
  }
  if (i >= src.length) throw new FilterSyntaxError(`the string at column ${start + 1} is not closed`);
  return { text, end: i + 1 };
}

/** Wireshark's slice forms: i:j (from i, j bytes), i-j (i to j inclusive, j > i as tshark wants), i, :j, i:. */
function parseSlice(text: string, at: number): Slice {
  const s = parseSliceOrUndefined(text);
  if (!s) throw new FilterSyntaxError(`"[${text}]" is not a slice xcap supports (i:j, i-j with j > i, i, :j or i:; column ${at + 1})`);
  return s;
}

function parseSliceOrUndefined(text: string): Slice | undefined {
  const t = text.trim();
  const int = '(-?\\d+)';
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^${int}?:(\\d+)?$`).exec(t))) {
    return { start: m[1] ? Number(m[1]) : 0, length: m[2] !== undefined ? Number(m[2]) : -1 };
  }
  if ((m = new RegExp(`^${int}-(\\d+)$`).exec(t)) && Number(m[1]) >= 0 && Number(m[2]) > Number(m[1])) {
    return { start: Number(m[1]), length: Number(m[2]) - Number(m[1]) + 1 };
  }
  if ((m = new RegExp(`^${int}$`).exec(t))) return { start: Number(m[1]), length: 1 };
  return undefined;
}

/** The layers of "#n" or "#[...]": slices of layers, counted from 1, comma-separated. */
function parseLayers(text: string, at: number): Layers {
  if (/^[0-9]+$/.test(text)) return [{ first: Number(text), last: Number(text) }];
  const ranges = text.slice(1, -1).split(',').map((item) => {
    const s = /^\s*-/.test(item) ? undefined : parseSliceOrUndefined(item);
    if (!s) throw new FilterSyntaxError(`"#${text}" is not a layer range xcap supports (#n, #[i-j] with j > i, #[i:n], #[i:], or several of them comma-separated; column ${at + 1})`);
    return { first: s.start, last: s.length < 0 ? Number.MAX_SAFE_INTEGER : s.start + s.length - 1 };
  });
  if (ranges.length > 1 && ranges.some((r) => r.last !== Number.MAX_SAFE_INTEGER && r.last > LAYER_LIST_REACH)) {
    throw new FilterSyntaxError(`"#${text}": a list of layer ranges reaches layer ${LAYER_LIST_REACH} at most, but for "n:" (column ${at + 1})`);
  }
  return ranges;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token { return this.tokens[this.pos]; }
  private take(): Token { return this.tokens[this.pos++]; }
  private isPunct(text: string): boolean { const t = this.peek(); return t.type === 'punct' && t.text === text; }
  private isWord(...words: string[]): boolean { const t = this.peek(); return t.type === 'word' && words.includes(t.text); }

  private unexpected(t: Token = this.peek()): FilterSyntaxError {
    if (t.type === 'end') return new FilterSyntaxError('unexpected end of filter expression');
    const shown = t.type === 'string' ? `"${t.text}"` : t.type === 'char' ? 'a character constant'
      : t.type === 'slice' ? `[${t.text}]` : t.type === 'layer' ? `#${t.text}` : t.text;
    return new FilterSyntaxError(`"${shown}" was unexpected in this context (column ${t.at + 1})`);
  }

  parse(): Expr {
    const e = this.or();
    if (this.peek().type !== 'end') throw this.unexpected();
    return e;
  }

  private or(): Expr {
    let left = this.and();
    while (this.isPunct('||') || this.isWord('or')) { this.take(); left = { kind: 'or', left, right: this.and() }; }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isPunct('&&') || this.isWord('and')) { this.take(); left = { kind: 'and', left, right: this.not() }; }
    return left;
  }

  private not(): Expr {
    if (this.isPunct('!') || this.isWord('not')) { this.take(); return { kind: 'not', operand: this.not() }; }
    if (this.isPunct('(')) {
      this.take();
      const e = this.or();
      if (!this.isPunct(')')) throw this.unexpected();
      this.take();
      return e;
    }
    return this.test();
  }

  private test(): Expr {
    const grouped = this.isPunct('{');
    const left = this.sum();
    const t = this.peek();
    const rel = (t.type === 'punct' || t.type === 'word') ? RELATIONS[t.text] : undefined;
    if (rel) {
      if (isArithmetic(left) && (rel === 'contains' || rel === 'matches')) throw this.unexpected();
      this.take();
      return { kind: 'compare', rel, left, right: this.sum() };
    }
    if (this.isWord('in')) {
      if (grouped || isArithmetic(left)) throw this.unexpected();
      this.take();
      return { kind: 'in', left, set: this.set() };
    }
    if (this.isWord('xor')) throw new FilterSyntaxError(`"xor" is not an operator of Wireshark 4.0's filters (column ${t.at + 1})`);
    return { kind: 'exists', value: left };
  }

  private set(): SetElement[] {
    if (!this.isPunct('{')) throw this.unexpected();
    this.take();
    const elements: SetElement[] = [];
    for (;;) {
      const low = this.signed();
      let high: Value | undefined;
      if (this.isPunct('..')) { this.take(); high = this.signed(); }
      elements.push({ low, high });
      if (this.isPunct('}')) { this.take(); return elements; }
      if (!this.isPunct(',')) throw this.unexpected();
      this.take();
    }
  }

  // Arithmetic as Wireshark 4.0 has it: * / % above + -, left to right,
  // one unary minus before a value, {} to group.
  private sum(): Value {
    let left = this.product();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = this.take();
      left = { kind: 'arith', op: op.type === 'punct' ? op.text as ArithOp : '+', left, right: this.product(), at: op.at };
    }
    return left;
  }

  private product(): Value {
    let left = this.grouped();
    while (this.isPunct('*') || this.isPunct('/') || this.isPunct('%')) {
      const op = this.take();
      left = { kind: 'arith', op: op.type === 'punct' ? op.text as ArithOp : '*', left, right: this.grouped(), at: op.at };
    }
    return left;
  }

  private grouped(): Value {
    if (!this.isPunct('{')) return this.signed();
    this.take();
    const e = this.sum();
    if (!this.isPunct('}')) throw this.unexpected();
    this.take();
    return e;
  }

  private signed(): Value {
    if (!this.isPunct('-')) return this.value();
    const at = this.take().at;
    return { kind: 'negate', operand: this.value(), at };
  }

  private value(): Value {
    const t = this.take();
    switch (t.type) {
      case 'string': return { kind: 'string', text: t.text, at: t.at };
      case 'char': return { kind: 'char', code: t.code, at: t.at };
      case 'word': {
        if (this.isPunct('(')) return this.call(t.text, t.at);
        if (RELATIONS[t.text] || ['and', 'or', 'not', 'in'].includes(t.text)) throw this.unexpected(t);
        let end = t.at + t.text.length;
        let layers: Layers | undefined;
        const layer = this.peek();
        if (layer.type === 'layer' && layer.at === end) {
          this.take();
          layers = parseLayers(layer.text, layer.at);
          end = layer.at + 1 + layer.text.length;
        }
        const next = this.peek();
        // A slice belongs to the word it touches: "eth.src[0:3]".
        let slice: Slice | undefined;
        if (next.type === 'slice' && next.at === end) { this.take(); slice = parseSlice(next.text, next.at); }
        return { kind: 'name', text: t.text, ...(slice && { slice }), ...(layers && { layers }), at: t.at };
      }
      default: throw this.unexpected(t);
    }
  }

  private call(fn: string, at: number): Value {
    if (fn !== 'len' && fn !== 'count') {
      throw new FilterSyntaxError(`the function ${fn}() is not supported (len() and count() are; column ${at + 1})`);
    }
    this.take(); // (
    const arg = this.value();
    if (!this.isPunct(')')) throw this.unexpected();
    this.take();
    return { kind: 'call', fn, arg, at };
  }
}

export function isArithmetic(v: Value): v is Extract<Value, { kind: 'arith' | 'negate' }> {
  return v.kind === 'arith' || v.kind === 'negate';
}

export function parseDisplayFilter(src: string): Expr {
  return new Parser(tokenize(src)).parse();
}
