/**
 * Classic BPF (the instruction set libpcap compiles to): the instruction
 * fields, the program as a packed array, and a printer whose output is
 * byte-for-byte what `tcpdump -d` prints for the same program.
 */

/** struct bpf_insn: u16 code, u8 jt, u8 jf, u32 k (host order, little-endian here). */
export const INSN_SIZE = 8;

export const enum Class { Ld = 0x00, Ldx = 0x01, St = 0x02, Stx = 0x03, Alu = 0x04, Jmp = 0x05, Ret = 0x06, Misc = 0x07 }
export const enum Size { W = 0x00, H = 0x08, B = 0x10 }
export const enum Mode { Imm = 0x00, Abs = 0x20, Ind = 0x40, Mem = 0x60, Len = 0x80, Msh = 0xa0 }
export const enum AluOp { Add = 0x00, Sub = 0x10, Mul = 0x20, Div = 0x30, Or = 0x40, And = 0x50, Lsh = 0x60, Rsh = 0x70, Neg = 0x80, Mod = 0x90, Xor = 0xa0 }
export const enum JmpOp { Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40 }
/** Operand source of ALU/JMP (K: the constant, X: the index register); for RET, A returns the accumulator. */
export const enum Src { K = 0x00, X = 0x08 }
export const RVAL_A = 0x10;
export const enum MiscOp { Tax = 0x00, Txa = 0x80 }
/** Scratch memory words M[0..15]. */
export const MEMWORDS = 16;

export const insnClass = (code: number): number => code & 0x07;
export const insnSize = (code: number): number => code & 0x18;
export const insnMode = (code: number): number => code & 0xe0;
export const insnOp = (code: number): number => code & 0xf0;
export const insnSrc = (code: number): number => code & 0x08;
export const retSrc = (code: number): number => code & 0x18;
export const miscOp = (code: number): number => code & 0xf8;

/** One instruction, decoded for reading; the program itself stays packed. */
export interface Insn { code: number; jt: number; jf: number; k: number; }

/** A classic BPF program as libpcap lays it out in memory: `length` instructions of INSN_SIZE bytes. */
export class CbpfProgram {
  readonly length: number;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.byteLength % INSN_SIZE !== 0) throw new Error(`classic BPF program of ${bytes.byteLength} bytes is not whole instructions`);
    this.length = bytes.byteLength / INSN_SIZE;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  insn(i: number): Insn {
    const p = i * INSN_SIZE;
    return { code: this.view.getUint16(p, true), jt: this.view.getUint8(p + 2), jf: this.view.getUint8(p + 3), k: this.view.getUint32(p + 4, true) };
  }

  *[Symbol.iterator](): IterableIterator<Insn> {
    for (let i = 0; i < this.length; i++) yield this.insn(i);
  }
}

export function programFromBytes(bytes: Uint8Array): CbpfProgram {
  return new CbpfProgram(bytes);
}

export function programFromInsns(insns: Insn[]): CbpfProgram {
  const bytes = new Uint8Array(insns.length * INSN_SIZE);
  const v = new DataView(bytes.buffer);
  insns.forEach((x, i) => {
    v.setUint16(i * INSN_SIZE, x.code, true);
    v.setUint8(i * INSN_SIZE + 2, x.jt);
    v.setUint8(i * INSN_SIZE + 3, x.jf);
    v.setUint32(i * INSN_SIZE + 4, x.k >>> 0, true);
  });
  return new CbpfProgram(bytes);
}

const ALU_NAMES: Record<number, string> = {
  [AluOp.Add]: 'add', [AluOp.Sub]: 'sub', [AluOp.Mul]: 'mul', [AluOp.Div]: 'div', [AluOp.Mod]: 'mod',
  [AluOp.And]: 'and', [AluOp.Or]: 'or', [AluOp.Xor]: 'xor', [AluOp.Lsh]: 'lsh', [AluOp.Rsh]: 'rsh',
};
/** libpcap prints these ALU constants in hex, the others as signed decimals. */
const HEX_ALU = new Set<number>([AluOp.And, AluOp.Or, AluOp.Xor]);
const JMP_NAMES: Record<number, string> = { [JmpOp.Jeq]: 'jeq', [JmpOp.Jgt]: 'jgt', [JmpOp.Jge]: 'jge', [JmpOp.Jset]: 'jset' };
const LOAD_NAMES: Record<number, string> = { [Size.W]: 'ld', [Size.H]: 'ldh', [Size.B]: 'ldb' };

const hex = (k: number): string => `#0x${(k >>> 0).toString(16)}`;
const signed = (k: number): string => String(k | 0);

/** Mnemonic and operand of instruction n, as libpcap's bpf_image() names them. */
function image(x: Insn, n: number): { op: string; operand: string; jumps?: [number, number] } {
  const unknown = { op: 'unimp', operand: `0x${x.code.toString(16)}` };
  switch (insnClass(x.code)) {
    case Class.Ret:
      if (retSrc(x.code) === Src.K) return { op: 'ret', operand: `#${signed(x.k)}` };
      if (retSrc(x.code) === RVAL_A) return { op: 'ret', operand: '' };
      return unknown;
    case Class.Ld: {
      const name = LOAD_NAMES[insnSize(x.code)];
      switch (insnMode(x.code)) {
        case Mode.Abs: return name ? { op: name, operand: `[${signed(x.k)}]` } : unknown;
        case Mode.Ind: return name ? { op: name, operand: `[x + ${signed(x.k)}]` } : unknown;
        case Mode.Imm: return insnSize(x.code) === Size.W ? { op: 'ld', operand: hex(x.k) } : unknown;
        case Mode.Len: return insnSize(x.code) === Size.W ? { op: 'ld', operand: '#pktlen' } : unknown;
        case Mode.Mem: return insnSize(x.code) === Size.W ? { op: 'ld', operand: `M[${signed(x.k)}]` } : unknown;
        default: return unknown;
      }
    }
    case Class.Ldx:
      if (x.code === (Class.Ldx | Size.W | Mode.Imm)) return { op: 'ldx', operand: hex(x.k) };
      if (x.code === (Class.Ldx | Size.W | Mode.Len)) return { op: 'ldx', operand: '#pktlen' };
      if (x.code === (Class.Ldx | Size.W | Mode.Mem)) return { op: 'ldx', operand: `M[${signed(x.k)}]` };
      if (x.code === (Class.Ldx | Size.B | Mode.Msh)) return { op: 'ldxb', operand: `4*([${signed(x.k)}]&0xf)` };
      return unknown;
    case Class.St: return x.code === Class.St ? { op: 'st', operand: `M[${signed(x.k)}]` } : unknown;
    case Class.Stx: return x.code === Class.Stx ? { op: 'stx', operand: `M[${signed(x.k)}]` } : unknown;
    case Class.Alu: {
      const op = insnOp(x.code);
      if (op === AluOp.Neg) return { op: 'neg', operand: '' };
      const name = ALU_NAMES[op];
      if (!name) return unknown;
      if (insnSrc(x.code) === Src.X) return { op: name, operand: 'x' };
      return { op: name, operand: HEX_ALU.has(op) ? hex(x.k) : `#${signed(x.k)}` };
    }
    case Class.Jmp: {
      const op = insnOp(x.code);
      if (op === JmpOp.Ja) return { op: 'ja', operand: String(n + 1 + x.k) };
      const name = JMP_NAMES[op];
      if (!name) return unknown;
      return { op: name, operand: insnSrc(x.code) === Src.X ? 'x' : hex(x.k), jumps: [n + 1 + x.jt, n + 1 + x.jf] };
    }
    case Class.Misc:
      if (miscOp(x.code) === MiscOp.Tax) return { op: 'tax', operand: '' };
      if (miscOp(x.code) === MiscOp.Txa) return { op: 'txa', operand: '' };
      return unknown;
    default:
      return unknown;
  }
}

/** The program as `tcpdump -d` prints it, one line per instruction, newline-terminated. */
export function printCbpf(prog: CbpfProgram): string {
  let out = '';
  for (let n = 0; n < prog.length; n++) {
    const { op, operand, jumps } = image(prog.insn(n), n);
    const num = String(n).padStart(3, '0');
    out += jumps
      ? `(${num}) ${op.padEnd(8)} ${operand.padEnd(16)} jt ${jumps[0]}\tjf ${jumps[1]}\n`
      : `(${num}) ${op.padEnd(8)} ${operand}\n`;
  }
  return out;
}

/** 802.1Q, 802.1ad and the old QinQ ethertype: what libpcap's `vlan` compares the ethertype with. */
const VLAN_ETHERTYPES = new Set([0x8100, 0x88a8, 0x9100]);

/** Whether the program tests for a VLAN tag (a jeq against a VLAN ethertype). */
export function testsVlanTag(prog: CbpfProgram): boolean {
  for (const x of prog) {
    if (insnClass(x.code) === Class.Jmp && insnOp(x.code) === JmpOp.Jeq && insnSrc(x.code) === Src.K && VLAN_ETHERTYPES.has(x.k)) return true;
  }
  return false;
}
