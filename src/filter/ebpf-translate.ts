/**
 * Classic BPF (from libpcap) to eBPF, as the body of an entry program that
 * runs at a hook before the capture program:
 *
 *   r6 = A, r7 = X (32-bit values, zero-extended), r8 = wire length,
 *   r9 = ctx, M[0..15] on the stack at fp-64.., an 8-byte load buffer at fp-72.
 *
 * Packet loads go through bpf_xdp_load_bytes / bpf_skb_load_bytes into the
 * stack buffer and are byte-swapped to host order: the verifier accepts any
 * offset that way (including X + k), and a load past the end of the frame
 * fails the helper, which rejects the frame as libpcap does.  Comparisons are
 * 32-bit (JMP32) so a constant like 0xffffffff keeps its meaning.
 *
 * A match either tail-calls slot 0 of the `targets` prog array (the capture
 * program; if the call returns, the frame is passed) or, for BPF_PROG_TEST_RUN,
 * returns MATCH_MARKER.  A rejected frame is counted in the per-CPU array
 * `rejected` and passed on untouched.
 */
import {
  AluOp, Class, JmpOp, MEMWORDS, MiscOp, Mode, RVAL_A, Size, Src, type CbpfProgram, type Insn,
  insnClass, insnMode, insnOp, insnSize, insnSrc, miscOp, retSrc,
} from './cbpf.js';
import { Alu, Assembler, Jmp, Reg, Width, type MapSlot } from './ebpf.js';

export type FilterHook = 'xdp' | 'tc';
export type MatchAction = 'tail-call' | 'return-marker';

export const MAP_TARGETS = 'targets';
export const MAP_REJECTED = 'rejected';
/** What a test-run variant returns on a match (no hook gives it a meaning). */
export const MATCH_MARKER = 0x5a;
export const XDP_PASS = 2;
/** TC_ACT_UNSPEC: under TCX, "go on with the next program", as the capture programs return. */
export const TC_ACT_UNSPEC = -1;

export const HELPERS = { mapLookupElem: 1, tailCall: 12, skbLoadBytes: 26, xdpGetBuffLen: 188, xdpLoadBytes: 189 } as const;
export const HELPER_NAMES: Record<number, string> = {
  1: 'bpf_map_lookup_elem', 12: 'bpf_tail_call', 26: 'bpf_skb_load_bytes', 188: 'bpf_xdp_get_buff_len', 189: 'bpf_xdp_load_bytes',
};

const A = Reg.R6;
const X = Reg.R7;
const WIRELEN = Reg.R8;
const CTX = Reg.R9;
const FP = Reg.R10;
const MEM_BASE = -64;
const LOAD_BUF = -72;
const KEY_SLOT = -76;
/** Offsets at or above this are passed to the load helpers as u32: refuse them rather than let them wrap. */
const MAX_OFFSET = 0x7fffffff;

export interface Translation {
  /** Encoded eBPF instructions. */
  insns: Uint8Array;
  /** LD_IMM64 instructions whose fd the loader fills in (MAP_TARGETS, MAP_REJECTED). */
  mapSlots: MapSlot[];
  hook: FilterHook;
}

const SIZE_BYTES: Record<number, 1 | 2 | 4> = { [Size.B]: 1, [Size.H]: 2, [Size.W]: 4 };
const LOAD_WIDTH: Record<number, Width> = { 1: Width.B, 2: Width.H, 4: Width.W };

const ALU_OPS: Record<number, Alu> = {
  [AluOp.Add]: Alu.Add, [AluOp.Sub]: Alu.Sub, [AluOp.Mul]: Alu.Mul, [AluOp.Or]: Alu.Or, [AluOp.And]: Alu.And, [AluOp.Xor]: Alu.Xor,
};
const JMP_OPS: Record<number, Jmp> = { [JmpOp.Jeq]: Jmp.Jeq, [JmpOp.Jgt]: Jmp.Jgt, [JmpOp.Jge]: Jmp.Jge, [JmpOp.Jset]: Jmp.Jset };
/** The opposite condition, for a jump whose true branch falls through (JSET has none). */
const INVERSE: Partial<Record<Jmp, Jmp>> = { [Jmp.Jeq]: Jmp.Jne, [Jmp.Jgt]: Jmp.Jle, [Jmp.Jge]: Jmp.Jlt };

class Translator {
  readonly asm = new Assembler();
  private spill = 0;

  constructor(private readonly prog: CbpfProgram, private readonly hook: FilterHook) {}

  private unsupported(n: number, x: Insn): never {
    throw new Error(`classic BPF instruction ${n}: unsupported opcode 0x${x.code.toString(16)}`);
  }

  private memOffset(k: number, n: number): number {
    if (k >= MEMWORDS) throw new Error(`classic BPF instruction ${n}: scratch word M[${k}] does not exist`);
    return MEM_BASE + 4 * k;
  }

  prologue(): void {
    const a = this.asm;
    a.alu64Reg(Alu.Mov, CTX, Reg.R1);
    a.alu32Imm(Alu.Mov, A, 0);
    a.alu32Imm(Alu.Mov, X, 0);
    if (this.hook === 'xdp') {
      a.call(HELPERS.xdpGetBuffLen);
      a.alu32Reg(Alu.Mov, WIRELEN, Reg.R0);
    } else {
      a.load(Width.W, WIRELEN, CTX, 0); // __sk_buff.len
    }
    // The verifier (and libpcap's semantics) want scratch memory defined before it is read.
    for (const k of this.memoryWordsUsed()) a.storeImm(Width.W, FP, this.memOffset(k, 0), 0);
  }

  private memoryWordsUsed(): Set<number> {
    const used = new Set<number>();
    for (const x of this.prog) {
      const c = insnClass(x.code);
      if (c === Class.St || c === Class.Stx || ((c === Class.Ld || c === Class.Ldx) && insnMode(x.code) === Mode.Mem)) used.add(x.k);
    }
    return used;
  }

  /** dst = `size` bytes of the frame at offset k (or X + k), big-endian; a failed load rejects. */
  private packetLoad(dst: Reg, size: 1 | 2 | 4, k: number, indexed: boolean): void {
    const a = this.asm;
    if (k > MAX_OFFSET - size) {
      a.ja('reject');
      return;
    }
    if (indexed) {
      a.alu64Reg(Alu.Mov, Reg.R2, X);
      a.alu64Imm(Alu.Add, Reg.R2, k);
      a.jmp64Imm(Jmp.Jgt, Reg.R2, MAX_OFFSET - size, 'reject');
    } else {
      a.alu64Imm(Alu.Mov, Reg.R2, k);
    }
    a.alu64Reg(Alu.Mov, Reg.R1, CTX);
    a.alu64Reg(Alu.Mov, Reg.R3, FP);
    a.alu64Imm(Alu.Add, Reg.R3, LOAD_BUF);
    a.alu32Imm(Alu.Mov, Reg.R4, size);
    a.call(this.hook === 'xdp' ? HELPERS.xdpLoadBytes : HELPERS.skbLoadBytes);
    a.jmp64Imm(Jmp.Jne, Reg.R0, 0, 'reject');
    a.load(LOAD_WIDTH[size], dst, FP, LOAD_BUF);
    if (size === 2) a.toBigEndian(dst, 16);
    if (size === 4) a.toBigEndian(dst, 32);
  }

  private conditional(x: Insn, n: number): void {
    const a = this.asm;
    const op = JMP_OPS[insnOp(x.code)];
    const t = `c${n + 1 + x.jt}`;
    const f = `c${n + 1 + x.jf}`;
    const byReg = insnSrc(x.code) === Src.X;
    const jump = (jop: Jmp, label: string): void => (byReg ? a.jmp32Reg(jop, A, X, label) : a.jmp32Imm(jop, A, x.k, label));
    if (x.jt === x.jf) {
      if (x.jt !== 0) a.ja(t);
    } else if (x.jf === 0) {
      jump(op, t);
    } else if (x.jt === 0 && INVERSE[op] !== undefined) {
      jump(INVERSE[op]!, f);
    } else {
      jump(op, t);
      a.ja(f);
    }
  }

  private alu(x: Insn, n: number): void {
    const a = this.asm;
    const op = insnOp(x.code);
    const byReg = insnSrc(x.code) === Src.X;
    const simple = ALU_OPS[op];
    if (simple !== undefined) {
      if (byReg) a.alu32Reg(simple, A, X); else a.alu32Imm(simple, A, x.k);
      return;
    }
    switch (op) {
      case AluOp.Neg:
        a.neg32(A);
        return;
      case AluOp.Div:
      case AluOp.Mod: {
        const eop = op === AluOp.Div ? Alu.Div : Alu.Mod;
        // Division by zero rejects the frame (libpcap); eBPF would give 0 and go on.
        if (byReg) {
          a.jmp32Imm(Jmp.Jeq, X, 0, 'reject');
          a.alu32Reg(eop, A, X);
        } else if ((x.k >>> 0) === 0) {
          a.ja('reject');
        } else {
          a.alu32Imm(eop, A, x.k);
        }
        return;
      }
      case AluOp.Lsh:
      case AluOp.Rsh: {
        const eop = op === AluOp.Lsh ? Alu.Lsh : Alu.Rsh;
        // A shift of 32 or more gives 0 (libpcap); the verifier refuses such a constant shift.
        if (!byReg) {
          if ((x.k >>> 0) >= 32) a.alu32Imm(Alu.Mov, A, 0); else a.alu32Imm(eop, A, x.k);
          return;
        }
        const inRange = `shift${this.spill}`;
        const done = `shifted${this.spill++}`;
        a.jmp32Imm(Jmp.Jlt, X, 32, inRange);
        a.alu32Imm(Alu.Mov, A, 0);
        a.ja(done);
        a.label(inRange);
        a.alu32Reg(eop, A, X);
        a.label(done);
        return;
      }
    }
    this.unsupported(n, x);
  }

  body(): void {
    const a = this.asm;
    for (let n = 0; n < this.prog.length; n++) {
      const x = this.prog.insn(n);
      a.label(`c${n}`);
      const mode = insnMode(x.code);
      const size = SIZE_BYTES[insnSize(x.code)];
      switch (insnClass(x.code)) {
        case Class.Ret:
          if (retSrc(x.code) === Src.K) a.ja((x.k >>> 0) === 0 ? 'reject' : 'match');
          else if (retSrc(x.code) === RVAL_A) { a.jmp32Imm(Jmp.Jeq, A, 0, 'reject'); a.ja('match'); }
          else this.unsupported(n, x);
          break;
        case Class.Ld:
          if (mode === Mode.Abs && size) this.packetLoad(A, size, x.k >>> 0, false);
          else if (mode === Mode.Ind && size) this.packetLoad(A, size, x.k >>> 0, true);
          else if (mode === Mode.Imm && size === 4) a.alu32Imm(Alu.Mov, A, x.k);
          else if (mode === Mode.Len && size === 4) a.alu32Reg(Alu.Mov, A, WIRELEN);
          else if (mode === Mode.Mem && size === 4) a.load(Width.W, A, FP, this.memOffset(x.k, n));
          else this.unsupported(n, x);
          break;
        case Class.Ldx:
          if (mode === Mode.Imm && size === 4) a.alu32Imm(Alu.Mov, X, x.k);
          else if (mode === Mode.Len && size === 4) a.alu32Reg(Alu.Mov, X, WIRELEN);
          else if (mode === Mode.Mem && size === 4) a.load(Width.W, X, FP, this.memOffset(x.k, n));
          else if (mode === Mode.Msh && size === 1) {
            this.packetLoad(X, 1, x.k >>> 0, false);
            a.alu32Imm(Alu.And, X, 0xf);
            a.alu32Imm(Alu.Lsh, X, 2);
          } else this.unsupported(n, x);
          break;
        case Class.St: a.store(Width.W, FP, this.memOffset(x.k, n), A); break;
        case Class.Stx: a.store(Width.W, FP, this.memOffset(x.k, n), X); break;
        case Class.Alu: this.alu(x, n); break;
        case Class.Jmp:
          if (insnOp(x.code) === JmpOp.Ja) a.ja(`c${n + 1 + x.k}`);
          else if (JMP_OPS[insnOp(x.code)] !== undefined) this.conditional(x, n);
          else this.unsupported(n, x);
          break;
        case Class.Misc:
          if (miscOp(x.code) === MiscOp.Tax) a.alu32Reg(Alu.Mov, X, A);
          else if (miscOp(x.code) === MiscOp.Txa) a.alu32Reg(Alu.Mov, A, X);
          else this.unsupported(n, x);
          break;
        default:
          this.unsupported(n, x);
      }
    }
    // Falling off the end (libpcap never does) rejects.
    a.label(`c${this.prog.length}`);
    a.ja('reject');
  }

  epilogue(onMatch: MatchAction): void {
    const a = this.asm;
    const pass = this.hook === 'xdp' ? XDP_PASS : TC_ACT_UNSPEC;
    a.label('match');
    if (onMatch === 'tail-call') {
      a.alu64Reg(Alu.Mov, Reg.R1, CTX);
      a.loadMap(Reg.R2, MAP_TARGETS);
      a.alu32Imm(Alu.Mov, Reg.R3, 0);
      a.call(HELPERS.tailCall);
      a.ja('pass'); // only reached when the slot is empty
    } else {
      a.alu64Imm(Alu.Mov, Reg.R0, MATCH_MARKER);
      a.exit();
    }
    a.label('reject');
    a.storeImm(Width.W, FP, KEY_SLOT, 0);
    a.alu64Reg(Alu.Mov, Reg.R2, FP);
    a.alu64Imm(Alu.Add, Reg.R2, KEY_SLOT);
    a.loadMap(Reg.R1, MAP_REJECTED);
    a.call(HELPERS.mapLookupElem);
    a.jmp64Imm(Jmp.Jeq, Reg.R0, 0, 'pass');
    // Per-CPU, and hooks run with bottom halves off: a plain increment is exact.
    a.load(Width.DW, Reg.R1, Reg.R0, 0);
    a.alu64Imm(Alu.Add, Reg.R1, 1);
    a.store(Width.DW, Reg.R0, 0, Reg.R1);
    a.label('pass');
    a.alu64Imm(Alu.Mov, Reg.R0, pass);
    a.exit();
  }
}

/** Translates a libpcap program into an entry program for the hook. */
export function translateFilter(prog: CbpfProgram, hook: FilterHook, onMatch: MatchAction = 'tail-call'): Translation {
  if (prog.length === 0) throw new Error('empty classic BPF program');
  const t = new Translator(prog, hook);
  t.prologue();
  t.body();
  t.epilogue(onMatch);
  return { insns: t.asm.finish(), mapSlots: t.asm.mapSlots, hook };
}
