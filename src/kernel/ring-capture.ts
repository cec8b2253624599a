/**
 * Live capture through the BPF ring buffer: loads bpf/capture.bpf.o with
 * the settings of this capture, attaches it to every requested hook as
 * links, and reads frames batch by batch into a frame index.
 */
import { performance } from 'node:perf_hooks';
import type { FrameIndex } from '../pcap/frame-index.js';
import { XcapError } from '../errors.js';
import { BpfObject, cpuCount, objectId, type BpfProgram } from './bpf-object.js';
import { attachTcx, attachXdp, type AttachableProgram, type Hook, type Link } from './links.js';
import { FilterEntryProgram } from './filter-program.js';
import type { CompiledFilter } from '../filter/pcap-compile.js';
import { RingReader } from './ring-reader.js';
import { inNetns } from './netns.js';
import { KernelError } from './errors.js';
import { taiOffsetSeconds } from './kernel-clock.js';
import { close as closeFd, epollFor, epollWaitReadable, ifNameToIndex } from './libc.js';
import { letBatchFill } from './coalesce.js';
import * as bpf from './libbpf.js';
import {
  COUNTERS_SIZE, CountersField, MAPS, MAX_IFACES, MAX_SNAPLEN, PROGRAMS, captureObjectPath, encodeSettings,
} from './capture-layout.js';

export { MAX_SNAPLEN } from './capture-layout.js';

export interface CaptureInterface {
  name: string;
  ifindex: number;
  ingress: boolean;
  egress: boolean;
  /**
   * Where ingress frames are taken: 'auto' (default) uses XDP and falls back
   * to TCX ingress when XDP cannot attach (another program holds the XDP
   * hook, or the device refuses); 'xdp' or 'tc' use only that hook.
   */
  ingressHook?: IngressHook;
}

export type IngressHook = 'auto' | 'xdp' | 'tc';

export interface RingCaptureOptions {
  interfaces: CaptureInterface[];
  snaplen: number;
  /** Power of two, default 64 MiB. */
  ringBytes?: number;
  /** Attach inside this named network namespace (/run/netns/NAME); interfaces are looked up there. */
  netns?: string;
  /** Object file to load instead of the bundled bpf/capture.bpf.o. */
  objectPath?: string;
  /**
   * Compiled for LINKTYPE_ETHERNET: each hook then runs a generated entry
   * program that tail-calls the capture program on a match and counts the
   * other frames in the kernel (src/kernel/filter-program.ts).
   */
  filter?: CompiledFilter;
  /** Drop each incoming frame once captured, so the host's stack never sees it (a mirror port's frames are for no one). */
  steal?: boolean;
}

export interface InterfaceCounters { seen: bigint; dropped: bigint; rejected: bigint; }

export interface KernelCounters {
  /** Frames the capture programs saw (with a filter: the frames that matched), on all interfaces. */
  seen: bigint;
  /** Frames the filter rejected in the kernel (never copied); 0 without a filter. */
  rejected: bigint;
  /** Frames seen but not captured (ring full): exactly seen minus captured. */
  dropped: bigint;
  /** Per interface, in the order of opts.interfaces. */
  perInterface: InterfaceCounters[];
}

export interface Attachment { iface: string; ifindex: number; hook: Hook; linkId: number; progId: number; }

/** One attached link, the program at the hook, and the filter program it is when there is a filter. */
interface Attached { link: Link; progId: number; slot: number; entry?: FilterEntryProgram; }

/** As tcpdump and dumpcap get in bench:capture: with 32 MiB, stalls of the output file lost 1500 B frames at 400k/s that 64 MiB kept. */
export const DEFAULT_RING_BYTES = 64 * 1024 * 1024;
const MAX_RING_BYTES = 1024 * 1024 * 1024;
/** The ring holds at least this many records of the largest size. */
const MIN_RECORDS_IN_RING = 4;
const MAX_WAKEUP_BYTES = 256 * 1024;
/** Without forced wakeups the consumer looks at the ring at least this often while it waits. */
const WAKE_SLICE_MS = 5;
/** A batch worth its per-batch costs (about 600 frames of 64 bytes), and the longest the reader lets one gather. */
const MIN_BATCH_BYTES = 64 * 1024;
const COALESCE_MS = 1;

export class RingCapture {
  private closed = false;

  private constructor(
    private readonly object: BpfObject,
    private readonly attached: Attached[],
    private readonly reader: RingReader,
    private readonly epfd: number,
    private readonly countersFd: number,
    private readonly interfaceCount: number,
  ) {}

  /** Loads and attaches everything; on failure detaches what it attached and throws. */
  static open(opts: RingCaptureOptions): RingCapture {
    const ringBytes = opts.ringBytes ?? DEFAULT_RING_BYTES;
    validate(opts, ringBytes);
    const object = BpfObject.open(opts.objectPath ?? captureObjectPath());
    const attached: Attached[] = [];
    let reader: RingReader | undefined;
    let epfd = -1;
    try {
      const ifindexes = inNetns(opts.netns, () => opts.interfaces.map((i) => resolveIfindex(i, opts.netns)));
      object.setMaxEntries(MAPS.ring, ringBytes);
      object.setMaxEntries(MAPS.scratch, cpuCount());
      object.setRodata(encodeSettings({
        snaplen: opts.snaplen, wakeupBytes: Math.min(MAX_WAKEUP_BYTES, ringBytes / 4), taiOffsetNs: BigInt(taiOffsetSeconds()) * 1_000_000_000n, ifindexes, steal: opts.steal,
      }));
      object.load();
      const xdp = object.program(PROGRAMS.xdp);
      const tcIn = object.program(PROGRAMS.tcIngress);
      const tcOut = object.program(PROGRAMS.tcEgress);
      const at = (slot: number, capture: BpfProgram, hookType: 'xdp' | 'tc', attach: (p: AttachableProgram) => Link): void => {
        if (!opts.filter) {
          attached.push({ link: attach(capture), progId: objectId(capture.fd), slot });
          return;
        }
        const entry = FilterEntryProgram.load({
          filter: opts.filter.program, hook: hookType, targetFd: capture.fd, expression: opts.filter.expression, name: `xcap_flt_${hookType}`,
        });
        try {
          attached.push({ link: attach(entry), progId: entry.id, slot, entry });
        } catch (err) {
          entry.close();
          throw err;
        }
      };
      inNetns(opts.netns, () => {
        opts.interfaces.forEach((iface, i) => {
          if (iface.ingress) attachIngress(iface.ingressHook ?? 'auto', iface.name, ifindexes[i], xdp, tcIn, (capture, hookType, attach) => at(i, capture, hookType, attach));
          if (iface.egress) at(i, tcOut, 'tc', (p) => attachTcx(p, iface.name, ifindexes[i], 'tcx-egress'));
        });
      });
      reader = new RingReader(object.mapFd(MAPS.ring), ringBytes, opts.interfaces.length);
      epfd = epollFor(object.mapFd(MAPS.ring), 'the capture ring buffer');
      return new RingCapture(object, attached, reader, epfd, object.mapFd(MAPS.counters), opts.interfaces.length);
    } catch (err) {
      if (epfd >= 0) closeFd(epfd);
      reader?.close();
      releaseAll(attached);
      object.close();
      throw err;
    }
  }

  /**
   * Waits up to timeoutMs for data, then copies up to index.capacity frames
   * into the arena and describes them in the index.  Returns the count;
   * blocks() then gives their pcapng blocks.
   */
  poll(arena: Uint8Array, arenaBase: number, index: FrameIndex, timeoutMs: number): number {
    if (this.closed) return 0;
    if (timeoutMs > 0 && !this.reader.hasData()) {
      const deadline = performance.now() + timeoutMs;
      for (let left = timeoutMs; left > 0; left = deadline - performance.now()) {
        epollWaitReadable(this.epfd, Math.ceil(Math.min(left, WAKE_SLICE_MS)));
        if (this.reader.hasData()) break;
      }
    }
    // Also when records were already waiting: a reader that keeps up would otherwise read them a handful at a time.
    if (timeoutMs > 0) letBatchFill(() => this.reader.pendingBytes(), MIN_BATCH_BYTES, COALESCE_MS);
    return this.reader.read(arena, arenaBase, index);
  }

  /**
   * The first n frames of the last poll as pcapng Enhanced Packet Blocks
   * (interface id = position in opts.interfaces, nanosecond timestamps,
   * epb_flags with the direction), ready to write: a view into the arena,
   * valid until the next poll.
   */
  blocks(n: number): Uint8Array {
    return this.reader.blocks(n);
  }

  counters(): KernelCounters {
    const perInterface: InterfaceCounters[] = [];
    let seen = 0n;
    let dropped = 0n;
    let rejected = 0n;
    if (this.closed) return { seen, dropped, rejected, perInterface };
    const cpus = cpuCount();
    const values = Buffer.alloc(cpus * COUNTERS_SIZE);
    const key = new Uint32Array(1);
    // Slot MAX_IFACES collects frames from interfaces not in the list.
    for (const slot of [...Array(this.interfaceCount).keys(), MAX_IFACES]) {
      key[0] = slot;
      const ret = bpf.bpf_map_lookup_elem(this.countersFd, key, values) as number;
      if (ret < 0) throw new KernelError('read the capture counters', -ret);
      const c: InterfaceCounters = { seen: 0n, dropped: 0n, rejected: 0n };
      for (let cpu = 0; cpu < cpus; cpu++) {
        c.seen += values.readBigUInt64LE(cpu * COUNTERS_SIZE + CountersField.Seen);
        c.dropped += values.readBigUInt64LE(cpu * COUNTERS_SIZE + CountersField.Dropped);
      }
      for (const a of this.attached) if (a.slot === slot && a.entry) c.rejected += a.entry.rejected();
      seen += c.seen;
      dropped += c.dropped;
      rejected += c.rejected;
      if (slot < this.interfaceCount) perInterface.push(c);
    }
    return { seen, dropped, rejected, perInterface };
  }

  /** Which hook each interface was attached at, with kernel ids (for diagnostics and tests). */
  attachments(): Attachment[] {
    return this.attached.map(({ link: l, progId }) => ({ iface: l.ifname, ifindex: l.ifindex, hook: l.hook, linkId: l.id, progId }));
  }

  /** Detaches everything and releases the ring; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    releaseAll(this.attached);
    this.reader.close();
    closeFd(this.epfd);
    this.object.close();
  }
}

function validate(opts: RingCaptureOptions, ringBytes: number): void {
  const n = opts.interfaces.length;
  if (n === 0 || n > MAX_IFACES) throw new XcapError(`capture needs 1 to ${MAX_IFACES} interfaces, got ${n}`);
  for (const i of opts.interfaces) {
    if (!i.ingress && !i.egress) throw new XcapError(`interface ${i.name}: nothing to capture (neither ingress nor egress)`);
  }
  if (!Number.isInteger(opts.snaplen) || opts.snaplen < 1 || opts.snaplen > MAX_SNAPLEN) {
    throw new XcapError(`snaplen must be 1..${MAX_SNAPLEN}, got ${opts.snaplen}`);
  }
  if (!Number.isInteger(ringBytes) || ringBytes & (ringBytes - 1) || ringBytes < 64 * 1024 || ringBytes > MAX_RING_BYTES) {
    throw new XcapError(`ring size must be a power of two from 64 KiB to 1 GiB, got ${ringBytes}`);
  }
  const needed = MIN_RECORDS_IN_RING * (opts.snaplen + 64);
  if (ringBytes < needed) {
    const mib = (bytes: number): number => Math.max(1, 2 ** Math.ceil(Math.log2(bytes / 2 ** 20)));
    throw new XcapError(`a ${ringBytes / 2 ** 20} MiB ring is too small for snaplen ${opts.snaplen} (it must hold ${MIN_RECORDS_IN_RING} whole frames): give -B ${mib(needed)} or more, or a smaller -s`);
  }
}

function resolveIfindex(iface: CaptureInterface, netns: string | undefined): number {
  const where = netns ? ` in network namespace ${netns}` : '';
  const ifindex = ifNameToIndex(iface.name);
  if (ifindex === 0) throw new XcapError(`no such interface: ${iface.name}${where}`);
  if (iface.ifindex && iface.ifindex !== ifindex) {
    throw new XcapError(`interface ${iface.name} has ifindex ${ifindex}${where}, not ${iface.ifindex}`);
  }
  return ifindex;
}

/** Detaches in reverse order, then closes the filter programs the links held. */
function releaseAll(attached: Attached[]): void {
  for (const a of [...attached].reverse()) {
    a.link.detach();
    a.entry?.close();
  }
}

type AttachAt = (capture: BpfProgram, hookType: 'xdp' | 'tc', attach: (p: AttachableProgram) => Link) => void;

function attachIngress(mode: IngressHook, ifname: string, ifindex: number, xdp: BpfProgram, tc: BpfProgram, at: AttachAt): void {
  const viaTc = (): void => at(tc, 'tc', (p) => attachTcx(p, ifname, ifindex, 'tcx-ingress'));
  if (mode === 'tc') return viaTc();
  try {
    return at(xdp, 'xdp', (p) => attachXdp(p, ifname, ifindex));
  } catch (xdpErr) {
    if (mode === 'xdp' || !(xdpErr instanceof KernelError)) throw xdpErr;
    // TCX sits beside whatever holds the XDP hook and never disturbs it.
    try {
      return viaTc();
    } catch (tcErr) {
      if (!(tcErr instanceof KernelError)) throw tcErr;
      throw new KernelError(`attach an ingress program to ${ifname}`, tcErr.errno, `XDP: ${xdpErr.message}; TCX: ${tcErr.message}`);
    }
  }
}
