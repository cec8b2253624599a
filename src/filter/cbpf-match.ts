/**
 * Offline evaluation of a classic BPF program with libpcap's bpf_filter()
 * semantics: a load past the captured bytes, or a division by zero, rejects
 * the frame (returns 0); BPF_LEN is the length on the wire; A, X and M[] are
 * 32-bit unsigned and start at 0.
 *
 * The program is translated once into the source of a JS function (one case
 * per instruction; jumps only go forward), so evaluating a frame costs a few
 * dozen JIT-compiled operations, not an interpreter loop over decoded objects.
 */
import {
  AluOp, Class, JmpOp, MEMWORDS, MiscOp, Mode, RVAL_A, Size, Src, type CbpfProgram, type Insn,
  insnClass, insnMode, insnOp, insnSize, insnSrc, miscOp, retSrc,
} from './cbpf.js';

/**
 * Returns the program's verdict for one frame: 0 rejects, anything else
 * accepts (libpcap returns the number of bytes to keep).
 * `bytes[offset .. offset + caplen)` are the captured bytes.
 */
export type FrameMatcher = (bytes: Uint8Array, offset: number, caplen: number, wirelen: number) => number;

/** The JS expression reading `size` bytes big-endian at `at` (already bounds-checked). */
function readExpr(size: number, at: string): string {
  switch (size) {
    case Size.B: return `b[o + ${at}]`;
    case Size.H: return `((b[o + ${at}] << 8) | b[o + ${at} + 1])`;
    default: return `(((b[o + ${at}] << 24) | (b[o + ${at} + 1] << 16) | (b[o + ${at} + 2] << 8) | b[o + ${at} + 3]) >>> 0)`;
  }
}

const SIZE_BYTES: Record<number, number> = { [Size.B]: 1, [Size.H]: 2, [Size.W]: 4 };

function memIndex(k: number, n: number): number {
  if (k >= MEMWORDS) throw new Error(`classic BPF instruction ${n}: scratch word M[${k}] does not exist`);
  return k;
}

/** The statements for instruction n (jumps set pc and continue the dispatch loop). */
function statement(x: Insn, n: number, length: number): string {
  const target = (off: number): number => {
    const t = n + 1 + off;
    if (t >= length) throw new Error(`classic BPF instruction ${n} jumps past the end of the program`);
    return t;
  };
  const jump = (cond: string): string => {
    const t = target(x.jt);
    const f = target(x.jf);
    if (t === f) return `pc = ${t}; continue;`;
    return `pc = ${cond} ? ${t} : ${f}; continue;`;
  };
  const src = insnSrc(x.code) === Src.X ? 'X' : String(x.k >>> 0);
  switch (insnClass(x.code)) {
    case Class.Ret:
      if (retSrc(x.code) === Src.K) return `return ${x.k >>> 0};`;
      if (retSrc(x.code) === RVAL_A) return 'return A;';
      break;
    case Class.Ld:
    case Class.Ldx: {
      const reg = insnClass(x.code) === Class.Ld ? 'A' : 'X';
      const mode = insnMode(x.code);
      const size = SIZE_BYTES[insnSize(x.code)];
      if (mode === Mode.Imm && insnSize(x.code) === Size.W) return `${reg} = ${x.k >>> 0};`;
      if (mode === Mode.Len && insnSize(x.code) === Size.W) return `${reg} = wirelen >>> 0;`;
      if (mode === Mode.Mem && insnSize(x.code) === Size.W) return `${reg} = M[${memIndex(x.k, n)}];`;
      if (reg === 'A' && mode === Mode.Abs && size) {
        return `if (${x.k >>> 0} + ${size} > caplen) return 0; A = ${readExpr(insnSize(x.code), String(x.k >>> 0))};`;
      }
      if (reg === 'A' && mode === Mode.Ind && size) {
        return `t = X + ${x.k >>> 0}; if (t + ${size} > caplen) return 0; A = ${readExpr(insnSize(x.code), 't')};`;
      }
      if (reg === 'X' && mode === Mode.Msh && insnSize(x.code) === Size.B) {
        return `if (${x.k >>> 0} >= caplen) return 0; X = (b[o + ${x.k >>> 0}] & 0xf) << 2;`;
      }
      break;
    }
    case Class.St: return `M[${memIndex(x.k, n)}] = A;`;
    case Class.Stx: return `M[${memIndex(x.k, n)}] = X;`;
    case Class.Alu:
      switch (insnOp(x.code)) {
        case AluOp.Add: return `A = (A + ${src}) >>> 0;`;
        case AluOp.Sub: return `A = (A - ${src}) >>> 0;`;
        case AluOp.Mul: return `A = Math.imul(A, ${src}) >>> 0;`;
        case AluOp.Div: return `if (${src} === 0) return 0; A = Math.floor(A / ${src}) >>> 0;`;
        case AluOp.Mod: return `if (${src} === 0) return 0; A = (A % ${src}) >>> 0;`;
        case AluOp.And: return `A = (A & ${src}) >>> 0;`;
        case AluOp.Or: return `A = (A | ${src}) >>> 0;`;
        case AluOp.Xor: return `A = (A ^ ${src}) >>> 0;`;
        // Shifts of 32 or more give 0, as libpcap's bpf_filter() defines them.
        case AluOp.Lsh: return `A = ${src} < 32 ? (A << ${src}) >>> 0 : 0;`;
        case AluOp.Rsh: return `A = ${src} < 32 ? A >>> ${src} : 0;`;
        case AluOp.Neg: return 'A = (-A) >>> 0;';
      }
      break;
    case Class.Jmp:
      switch (insnOp(x.code)) {
        case JmpOp.Ja: return `pc = ${target(x.k)}; continue;`;
        case JmpOp.Jeq: return jump(`A === ${src}`);
        case JmpOp.Jgt: return jump(`A > ${src}`);
        case JmpOp.Jge: return jump(`A >= ${src}`);
        case JmpOp.Jset: return jump(`(A & ${src}) !== 0`);
      }
      break;
    case Class.Misc:
      if (miscOp(x.code) === MiscOp.Tax) return 'X = A;';
      if (miscOp(x.code) === MiscOp.Txa) return 'A = X;';
      break;
  }
  throw new Error(`classic BPF instruction ${n}: unsupported opcode 0x${x.code.toString(16)}`);
}

/** JS source of the matcher's body (exported for tests and debugging). */
export function matcherSource(prog: CbpfProgram): string {
  if (prog.length === 0) throw new Error('empty classic BPF program');
  let body = '';
  let usesMemory = false;
  for (let n = 0; n < prog.length; n++) {
    const x = prog.insn(n);
    const c = insnClass(x.code);
    usesMemory ||= c === Class.St || c === Class.Stx || ((c === Class.Ld || c === Class.Ldx) && insnMode(x.code) === Mode.Mem);
    body += `      case ${n}: ${statement(x, n, prog.length)}\n`;
  }
  // Falling off the last instruction (libpcap's compiler never does) rejects.
  return `
  let A = 0, X = 0, t = 0, pc = 0;
  ${usesMemory ? `const M = new Uint32Array(${MEMWORDS});` : ''}
  for (;;) {
    switch (pc) {
${body}      default: return 0;
    }
  }`;
}

/** Compiles the program once into a matcher function. */
export function compileMatcher(prog: CbpfProgram): FrameMatcher {
  return new Function('b', 'o', 'caplen', 'wirelen', matcherSource(prog)) as FrameMatcher;
}
