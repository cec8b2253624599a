/**
 * Loads a generated filter entry program (src/filter/ebpf-translate.ts) from
 * raw instructions: its two maps (a one-slot prog array holding the program a
 * match tail-calls, and a per-CPU counter of rejected frames), then
 * bpf_prog_load with a log buffer so a verifier refusal can be explained.
 * Independent of any capture backend: it needs a classic BPF program, a hook
 * type and the fd of the program to run on a match.
 */
import koffi from 'koffi';
import type { CbpfProgram } from '../filter/cbpf.js';
import { EBPF_INSN_SIZE } from '../filter/ebpf.js';
import { MAP_REJECTED, MAP_TARGETS, translateFilter, type FilterHook, type MatchAction, type Translation } from '../filter/ebpf-translate.js';
import { XcapError } from '../errors.js';
import * as bpf from './libbpf.js';
import { objectId } from './bpf-object.js';
import { KernelError, check } from './errors.js';
import { close, errno } from './libc.js';

const enum ProgType { SchedCls = 3, Xdp = 6 }
const enum MapType { ProgArray = 3, PercpuArray = 6 }
const BPF_XDP_ATTACH = 37;
/** A prog array only takes programs whose frags support matches its owner's. */
const BPF_F_XDP_HAS_FRAGS = 1 << 5;
const LOAD_OPTS_SIZE = 104; // struct bpf_prog_load_opts in libbpf 1.1 (LP64)
const TEST_RUN_OPTS_SIZE = 80; // struct bpf_test_run_opts in libbpf 1.1 (LP64)
const LOG_SIZE = 1 << 20;
const COUNTER_SIZE = 8;
/** Large enough for any frame of the fixtures and of a 9000-byte MTU. */
const MAX_TEST_FRAME = 65536;

export interface EntryProgramOptions {
  filter: CbpfProgram;
  hook: FilterHook;
  /** Program fd tail-called on a match (same program type, and for XDP the same frags support). Omit with onMatch 'return-marker'. */
  targetFd?: number;
  /** XDP only: whether the target is an `xdp.frags` program (the ring capture's is; the AF_XDP one is not). Default true. */
  xdpFrags?: boolean;
  onMatch?: MatchAction;
  /** Program name shown by bpftool (at most 15 characters). */
  name?: string;
  /** The expression, for error messages. */
  expression?: string;
}

export class FilterEntryProgram {
  private closed = false;
  private testFrame?: NativeBuffer;

  private constructor(
    readonly fd: number,
    readonly id: number,
    readonly translation: Translation,
    private readonly mapFds: number[],
    private readonly rejectedFd: number,
  ) {}

  static load(o: EntryProgramOptions): FilterEntryProgram {
    const onMatch = o.onMatch ?? 'tail-call';
    if (onMatch === 'tail-call' && o.targetFd === undefined) throw new Error('a tail-calling filter program needs a target program');
    const what = o.expression !== undefined ? `the filter '${o.expression}'` : 'the filter';
    let translation: Translation;
    try {
      translation = translateFilter(o.filter, o.hook, onMatch);
    } catch (err) {
      if (err instanceof RangeError) throw new XcapError(`${what} is too long to translate to eBPF: ${err.message}`);
      throw err;
    }
    const fds: number[] = [];
    try {
      const targets = check(bpf.bpf_map_create(MapType.ProgArray, 'xcap_flt_tgt', 4, 4, 1, null), 'create the filter prog array', errno);
      fds.push(targets);
      const rejected = check(bpf.bpf_map_create(MapType.PercpuArray, 'xcap_flt_rej', 4, COUNTER_SIZE, 1, null), 'create the filter counter', errno);
      fds.push(rejected);
      const insns = withMapFds(translation, { [MAP_TARGETS]: targets, [MAP_REJECTED]: rejected });
      const fd = loadProgram(insns, o.hook, o.xdpFrags ?? true, o.name ?? `xcap_flt_${o.hook}`, what);
      fds.push(fd);
      if (o.targetFd !== undefined) {
        check(bpf.bpf_map_update_elem(targets, new Uint32Array([0]), new Uint32Array([o.targetFd]), 0n),
          `put the capture program behind ${what}`, errno,
          () => 'the capture program must be of the same type (and, for XDP, support frags) as the filter');
      }
      return new FilterEntryProgram(fd, objectId(fd), translation, [targets, rejected], rejected);
    } catch (err) {
      for (const fd of fds.reverse()) close(fd);
      throw err;
    }
  }

  /** Frames rejected so far, summed over CPUs. */
  rejected(): bigint {
    if (this.closed) return 0n;
    const cpus = bpf.libbpf_num_possible_cpus() as number;
    const values = Buffer.alloc(cpus * COUNTER_SIZE);
    check(bpf.bpf_map_lookup_elem(this.rejectedFd, new Uint32Array([0]), values) as number, 'read the filter counter', errno);
    let sum = 0n;
    for (let cpu = 0; cpu < cpus; cpu++) sum += values.readBigUInt64LE(cpu * COUNTER_SIZE);
    return sum;
  }

  /** Runs the program once over a frame with BPF_PROG_TEST_RUN; returns its return value (as a u32). */
  testRun(frame: Uint8Array): number {
    if (frame.length > MAX_TEST_FRAME) throw new XcapError(`test-run takes frames up to ${MAX_TEST_FRAME} bytes, not ${frame.length}`);
    this.testFrame ??= new NativeBuffer(MAX_TEST_FRAME);
    this.testFrame.bytes.set(frame);
    const opts = Buffer.alloc(TEST_RUN_OPTS_SIZE);
    opts.writeBigUInt64LE(BigInt(TEST_RUN_OPTS_SIZE), 0);
    opts.writeBigUInt64LE(this.testFrame.address, 8);
    opts.writeUInt32LE(frame.length, 24);
    opts.writeInt32LE(1, 60); // repeat
    check(bpf.bpf_prog_test_run_opts(this.fd, opts), `test-run the filter over a ${frame.length}-byte frame`, errno);
    return opts.readUInt32LE(56);
  }

  /** Closes the program and its maps; a link holding the program keeps it alive until the link goes. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    close(this.fd);
    for (const fd of this.mapFds) close(fd);
    this.testFrame?.free();
  }
}

/** Memory outside the JS heap, whose address can be written into a struct the kernel reads. */
class NativeBuffer {
  readonly ptr: unknown;
  readonly address: bigint;
  readonly bytes: Uint8Array;

  constructor(readonly size: number) {
    this.ptr = koffi.alloc('uint8_t', size);
    this.address = koffi.address(this.ptr) as bigint;
    this.bytes = new Uint8Array(koffi.view(this.ptr, size));
  }

  free(): void {
    koffi.free(this.ptr);
  }
}

function withMapFds(t: Translation, fds: Record<string, number>): Uint8Array {
  const insns = t.insns.slice();
  const v = new DataView(insns.buffer);
  for (const slot of t.mapSlots) v.setInt32(slot.insn * EBPF_INSN_SIZE + 4, fds[slot.name], true);
  return insns;
}

function loadProgram(insns: Uint8Array, hook: FilterHook, xdpFrags: boolean, name: string, what: string): number {
  const opts = Buffer.alloc(LOAD_OPTS_SIZE);
  const log = new NativeBuffer(LOG_SIZE);
  opts.writeBigUInt64LE(BigInt(LOAD_OPTS_SIZE), 0);
  if (hook === 'xdp') {
    opts.writeUInt32LE(BPF_XDP_ATTACH, 12); // expected_attach_type
    if (xdpFrags) opts.writeUInt32LE(BPF_F_XDP_HAS_FRAGS, 20); // prog_flags
  }
  opts.writeUInt32LE(LOG_SIZE, 92);
  opts.writeBigUInt64LE(log.address, 96);
  const count = insns.byteLength / EBPF_INSN_SIZE;
  try {
    const fd = bpf.bpf_prog_load(hook === 'xdp' ? ProgType.Xdp : ProgType.SchedCls, name.slice(0, 15), 'Dual BSD/GPL', insns, count, opts) as number;
    if (fd >= 0) return fd;
    const e = fd === -1 ? errno() || 1 : -fd;
    throw new KernelError(`load ${what} as an eBPF program (${count} instructions) at ${hook === 'xdp' ? 'XDP' : 'TC'}`, e, verifierVerdict(log.bytes));
  } finally {
    log.free();
  }
}

/** The verifier's reason: the last lines of its log, which name the limit it hit. */
function verifierVerdict(log: Uint8Array): string | undefined {
  const end = log.indexOf(0);
  const lines = Buffer.from(log.buffer, log.byteOffset, end < 0 ? log.length : end).toString('utf8').trim().split('\n').filter(Boolean);
  if (lines.length === 0) return undefined;
  return `verifier: ${lines.slice(-3).join(' / ')}`;
}
