/**
 * A small eBPF assembler: instruction encoding (struct bpf_insn: u8 code,
 * u8 dst:4 src:4, s16 off, s32 imm), labels for forward jumps, and a printer
 * in the kernel's verifier-log syntax for `-d`.
 */

export const EBPF_INSN_SIZE = 8;

// Instruction classes and fields (uapi/linux/bpf.h).
const LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07;
const K = 0x00, X = 0x08;
const MEM = 0x60, IMM = 0x00;
export const enum Width { W = 0x00, H = 0x08, B = 0x10, DW = 0x18 }
export const enum Alu { Add = 0x00, Sub = 0x10, Mul = 0x20, Div = 0x30, Or = 0x40, And = 0x50, Lsh = 0x60, Rsh = 0x70, Neg = 0x80, Mod = 0x90, Xor = 0xa0, Mov = 0xb0, End = 0xd0 }
export const enum Jmp { Ja = 0x00, Jeq = 0x10, Jgt = 0x20, Jge = 0x30, Jset = 0x40, Jne = 0x50, Call = 0x80, Exit = 0x90, Jlt = 0xa0, Jle = 0xb0 }
/** BPF_TO_BE in an END instruction: convert to big-endian (a byte swap on this little-endian host). */
const TO_BE = 0x08;
const PSEUDO_MAP_FD = 1;

export const enum Reg { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 }

export interface EbpfInsn { code: number; dst: number; src: number; off: number; imm: number; }

/** A map referenced by an LD_IMM64 instruction, whose fd is filled in at load time. */
export interface MapSlot { insn: number; name: string; }

export class Assembler {
  readonly insns: EbpfInsn[] = [];
  readonly mapSlots: MapSlot[] = [];
  private readonly labelAt = new Map<string, number>();
  private readonly fixups: { insn: number; label: string }[] = [];

  get length(): number { return this.insns.length; }

  private emit(code: number, dst = 0, src = 0, off = 0, imm = 0): void {
    this.insns.push({ code, dst, src, off, imm: imm | 0 });
  }

  label(name: string): void {
    if (this.labelAt.has(name)) throw new Error(`eBPF label ${name} defined twice`);
    this.labelAt.set(name, this.insns.length);
  }

  // 32-bit ALU: the result is zero-extended into the 64-bit register, which keeps a u32 value exact.
  alu32Imm(op: Alu, dst: Reg, imm: number): void { this.emit(ALU | op | K, dst, 0, 0, imm); }
  alu32Reg(op: Alu, dst: Reg, src: Reg): void { this.emit(ALU | op | X, dst, src); }
  alu64Imm(op: Alu, dst: Reg, imm: number): void { this.emit(ALU64 | op | K, dst, 0, 0, imm); }
  alu64Reg(op: Alu, dst: Reg, src: Reg): void { this.emit(ALU64 | op | X, dst, src); }
  neg32(dst: Reg): void { this.emit(ALU | Alu.Neg | K, dst); }
  /** Big-endian to host order (bits: 16 or 32); the upper bits are cleared. */
  toBigEndian(dst: Reg, bits: 16 | 32): void { this.emit(ALU | Alu.End | TO_BE, dst, 0, 0, bits); }
  load(width: Width, dst: Reg, base: Reg, off: number): void { this.emit(LDX | MEM | width, dst, base, off); }
  store(width: Width, base: Reg, off: number, src: Reg): void { this.emit(STX | MEM | width, base, src, off); }
  storeImm(width: Width, base: Reg, off: number, imm: number): void { this.emit(ST | MEM | width, base, 0, off, imm); }
  /** dst = the map with this name (its fd patched in at load time). */
  loadMap(dst: Reg, name: string): void {
    this.mapSlots.push({ insn: this.insns.length, name });
    this.emit(LD | IMM | Width.DW, dst, PSEUDO_MAP_FD, 0, 0);
    this.emit(0, 0, 0, 0, 0);
  }
  call(helper: number): void { this.emit(JMP | Jmp.Call, 0, 0, 0, helper); }
  exit(): void { this.emit(JMP | Jmp.Exit); }
  ja(label: string): void { this.jumpTo(JMP | Jmp.Ja, 0, 0, 0, label); }
  /** 64-bit compare of a register with a sign-extended constant. */
  jmp64Imm(op: Jmp, dst: Reg, imm: number, label: string): void { this.jumpTo(JMP | op | K, dst, 0, imm, label); }
  /** 32-bit compares: the constant is used as a u32, the register's low half only. */
  jmp32Imm(op: Jmp, dst: Reg, imm: number, label: string): void { this.jumpTo(JMP32 | op | K, dst, 0, imm, label); }
  jmp32Reg(op: Jmp, dst: Reg, src: Reg, label: string): void { this.jumpTo(JMP32 | op | X, dst, src, 0, label); }

  private jumpTo(code: number, dst: number, src: number, imm: number, label: string): void {
    this.fixups.push({ insn: this.insns.length, label });
    this.emit(code, dst, src, 0, imm);
  }

  /**
   * Resolves jumps and encodes the program.  Instructions no path reaches
   * are dropped first: the verifier refuses a program that has any, and the
   * straightforward translation leaves some (a jump after a return, code
   * after a load that can only fail).  Every jump goes forward, so one pass
   * in order finds what is reachable.
   */
  finish(): Uint8Array {
    const targetOf = new Map<number, number>();
    for (const f of this.fixups) {
      const at = this.labelAt.get(f.label);
      if (at === undefined) throw new Error(`eBPF label ${f.label} is never defined`);
      if (at <= f.insn) throw new Error(`eBPF jump from ${f.insn} to ${f.label} goes backward`);
      targetOf.set(f.insn, at);
    }
    const n = this.insns.length;
    const reachable = new Uint8Array(n + 1);
    reachable[0] = 1;
    for (let i = 0; i < n; i++) {
      if (!reachable[i]) continue;
      const x = this.insns[i];
      const cls = x.code & 0x07;
      if (x.code === (LD | IMM | Width.DW)) { reachable[i + 1] = 1; reachable[i + 2] = 1; i++; continue; }
      const target = targetOf.get(i);
      if (target !== undefined) reachable[target] = 1;
      const isJmp = cls === JMP || cls === JMP32;
      const op = x.code & 0xf0;
      if (isJmp && (op === Jmp.Exit || (cls === JMP && op === Jmp.Ja))) continue;
      reachable[i + 1] = 1;
    }
    const newIndex = new Int32Array(n + 1);
    let kept = 0;
    for (let i = 0; i <= n; i++) {
      newIndex[i] = kept;
      if (i < n && reachable[i]) kept++;
    }
    const insns = this.insns.filter((_, i) => reachable[i]);
    for (const [from, to] of targetOf) {
      if (!reachable[from]) continue;
      const off = newIndex[to] - newIndex[from] - 1;
      if (off > 32767) throw new RangeError(`a jump of ${off} instructions does not fit eBPF's 16-bit offset`);
      insns[newIndex[from]].off = off;
    }
    const slots = this.mapSlots.filter((s) => reachable[s.insn]).map((s) => ({ insn: newIndex[s.insn], name: s.name }));
    this.mapSlots.splice(0, this.mapSlots.length, ...slots);
    return encode(insns);
  }
}

export function encode(insns: EbpfInsn[]): Uint8Array {
  const bytes = new Uint8Array(insns.length * EBPF_INSN_SIZE);
  const v = new DataView(bytes.buffer);
  insns.forEach((x, i) => {
    const p = i * EBPF_INSN_SIZE;
    v.setUint8(p, x.code);
    v.setUint8(p + 1, (x.src << 4) | x.dst);
    v.setInt16(p + 2, x.off, true);
    v.setInt32(p + 4, x.imm, true);
  });
  return bytes;
}

export function decode(bytes: Uint8Array): EbpfInsn[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: EbpfInsn[] = [];
  for (let p = 0; p + EBPF_INSN_SIZE <= bytes.byteLength; p += EBPF_INSN_SIZE) {
    const regs = v.getUint8(p + 1);
    out.push({ code: v.getUint8(p), dst: regs & 0xf, src: regs >> 4, off: v.getInt16(p + 2, true), imm: v.getInt32(p + 4, true) });
  }
  return out;
}

const ALU_SYMBOLS: Record<number, string> = {
  [Alu.Add]: '+=', [Alu.Sub]: '-=', [Alu.Mul]: '*=', [Alu.Div]: '/=', [Alu.Or]: '|=', [Alu.And]: '&=',
  [Alu.Lsh]: '<<=', [Alu.Rsh]: '>>=', [Alu.Mod]: '%=', [Alu.Xor]: '^=', [Alu.Mov]: '=',
};
const JMP_SYMBOLS: Record<number, string> = {
  [Jmp.Jeq]: '==', [Jmp.Jgt]: '>', [Jmp.Jge]: '>=', [Jmp.Jset]: '&', [Jmp.Jne]: '!=', [Jmp.Jlt]: '<', [Jmp.Jle]: '<=',
};
const WIDTH_NAMES: Record<number, string> = { [Width.B]: 'u8', [Width.H]: 'u16', [Width.W]: 'u32', [Width.DW]: 'u64' };

const hexImm = (imm: number): string => (imm < 0 || imm > 9 ? `0x${(imm >>> 0).toString(16)}` : String(imm));
const memRef = (width: number, base: number, off: number): string => `*(${WIDTH_NAMES[width]} *)(r${base} ${off < 0 ? '-' : '+'} ${Math.abs(off)})`;

/**
 * The program in the syntax of the kernel's verifier log ("r6 = 0",
 * "if w6 != 0x800 goto pc+3"), one numbered line per instruction; map
 * loads show the map's name.
 */
export function printEbpf(bytes: Uint8Array, mapSlots: MapSlot[] = [], helperNames: Record<number, string> = {}): string {
  const insns = decode(bytes);
  const mapAt = new Map(mapSlots.map((s) => [s.insn, s.name]));
  let out = '';
  for (let i = 0; i < insns.length; i++) {
    const x = insns[i];
    const cls = x.code & 0x07;
    let text: string;
    if (x.code === (LD | IMM | Width.DW)) {
      text = `r${x.dst} = map[${mapAt.get(i) ?? `fd ${x.imm}`}] ll`;
      out += `${String(i).padStart(4)}: ${text}\n`;
      i++; // the second half of the 16-byte load
      continue;
    }
    if (cls === ALU || cls === ALU64) {
      const r = cls === ALU ? 'w' : 'r';
      const op = x.code & 0xf0;
      if (op === Alu.End) text = `r${x.dst} = be${x.imm} r${x.dst}`;
      else if (op === Alu.Neg) text = `${r}${x.dst} = -${r}${x.dst}`;
      else text = `${r}${x.dst} ${ALU_SYMBOLS[op] ?? '?='} ${x.code & X ? `${r}${x.src}` : hexImm(x.imm)}`;
    } else if (cls === LDX) {
      text = `r${x.dst} = ${memRef(x.code & 0x18, x.src, x.off)}`;
    } else if (cls === STX) {
      text = `${memRef(x.code & 0x18, x.dst, x.off)} = r${x.src}`;
    } else if (cls === ST) {
      text = `${memRef(x.code & 0x18, x.dst, x.off)} = ${hexImm(x.imm)}`;
    } else if (cls === JMP || cls === JMP32) {
      const op = x.code & 0xf0;
      const r = cls === JMP32 ? 'w' : 'r';
      if (op === Jmp.Call) text = `call ${helperNames[x.imm] ?? `helper ${x.imm}`}`;
      else if (op === Jmp.Exit) text = 'exit';
      else if (op === Jmp.Ja) text = `goto pc${x.off >= 0 ? '+' : ''}${x.off}`;
      else text = `if ${r}${x.dst} ${JMP_SYMBOLS[op] ?? '?'} ${x.code & X ? `${r}${x.src}` : hexImm(x.imm)} goto pc${x.off >= 0 ? '+' : ''}${x.off}`;
    } else {
      text = `(unknown opcode 0x${x.code.toString(16)})`;
    }
    out += `${String(i).padStart(4)}: ${text}\n`;
  }
  return out;
}
