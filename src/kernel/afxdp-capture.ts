/**
 * Live capture through AF_XDP: per interface, bpf/afxdp.bpf.o attached at
 * the XDP hook as a link, redirecting each RX queue's frames to an AF_XDP
 * socket of that queue (all queues, or the one asked for).  Each socket's
 * UMEM is a slice of one region the caller set aside in the dissectors'
 * Wasm memory, so frames are indexed, written and dissected where the kernel
 * put them; release() hands the batch's chunks back to the kernel.
 *
 * AF_XDP sees ingress only, and frames it takes never reach the host's
 * stack (the caller decides whether that is acceptable on an interface).
 */
import { performance } from 'node:perf_hooks';
import koffi from 'koffi';
import type { FrameIndex } from '../pcap/frame-index.js';
import { XcapError } from '../errors.js';
import { BpfObject, cpuCount, objectId } from './bpf-object.js';
import { attachXdp, type Link } from './links.js';
import { FilterEntryProgram } from './filter-program.js';
import type { CompiledFilter } from '../filter/pcap-compile.js';
import { AfXdpSocket, XDP_STATISTICS_FIELDS, type XdpStatistics, type XskIndexer } from './afxdp-socket.js';
import { letBatchFill } from './coalesce.js';
import { AFXDP_COUNTERS_SIZE, AFXDP_MAPS, AFXDP_PROGRAM, AfxdpCountersField, afxdpObjectPath } from './afxdp-layout.js';
import { taiOffsetSeconds } from './kernel-clock.js';
import { KernelError, check } from './errors.js';
import { close as closeFd, epollFor, epollWaitReadable, errno, ifNameToIndex } from './libc.js';
import * as bpf from './libbpf.js';
import type { Attachment, KernelCounters, InterfaceCounters } from './ring-capture.js';

export interface AfXdpInterface {
  name: string;
  ifindex: number;
  /** RX queues the interface has (/sys/class/net/IF/queues/rx-*). */
  rxQueues: number;
  mtu: number;
}

export interface AfXdpPlanOptions {
  interfaces: AfXdpInterface[];
  /** Capture only this RX queue of every interface; all queues when undefined. */
  queue?: number;
  /**
   * The UMEMs together (record -B), shared out among the sockets in powers
   * of two with no bounds but the kernel's; by default UMEM_BUDGET, each
   * socket's share kept within MIN_FRAMES..MAX_FRAMES.
   */
  umemBudget?: number;
}

/** Which sockets a capture opens and how much memory their UMEMs take, decided before the memory is laid out. */
export interface AfXdpPlan {
  interfaces: AfXdpInterface[];
  sockets: { slot: number; queue: number }[];
  framesPerSocket: number;
  frameSize: number;
  rxRingSize: number;
  umemBytes: number;
}

export interface AfXdpCaptureOptions {
  plan: AfXdpPlan;
  snaplen: number;
  zerocopy?: boolean;
  /** All of the Wasm memory, and where in it the plan's umemBytes were set aside (64 KiB aligned). */
  memory: Uint8Array;
  umemBase: number;
  /** The Wasm module's side of reading: descriptors to index entries. */
  indexer: XskIndexer;
  /** A tcpdump filter run before the redirect: frames it rejects are counted and passed on to the host. */
  filter?: CompiledFilter;
}

export type AfXdpStatistics = XdpStatistics & { framesWithoutMeta: bigint };

/**
 * The frames a socket can hold are all the buffer there is between the
 * kernel and a reader that is late (descheduled, writing, collecting
 * garbage): at 100k frames/s, 4096 last 40 ms, which a busy machine
 * exceeds.  So the sockets share a budget, each within these bounds.
 */
const UMEM_BUDGET = 128 * 1024 * 1024;
const MIN_FRAMES = 4096;
const MAX_FRAMES = 32768;
/** In copy mode the kernel puts a frame 256 bytes (XDP_PACKET_HEADROOM) into its chunk. */
const KERNEL_HEADROOM = 256;
/** Ethernet header plus two VLAN tags: what a frame adds to the MTU. */
const L2_OVERHEAD = 22;
const FRAME_SIZES = [2048, 4096];
/** What one socket's rings may hold (the kernel's ring sizes are powers of two, and xcap's RX ring holds the whole UMEM). */
const MIN_SOCKET_FRAMES = 64;
const MAX_SOCKET_FRAMES = 65536;
/** Frames read from one socket in one poll, so every queue gets its turn. */
const MAX_PER_SOCKET = 1024;
const WAKE_SLICE_MS = 5;
/**
 * The kernel wakes the reader after every NAPI poll, often for a handful of
 * frames; below this many the reader waits up to COALESCE_MS for more, so
 * the per-batch costs (wakeup, write, release) are shared by hundreds.
 */
const MIN_BATCH = 256;
const COALESCE_MS = 4;
export function planAfXdp(o: AfXdpPlanOptions): AfXdpPlan {
  if (o.interfaces.length === 0) throw new XcapError('AF_XDP capture needs at least one interface');
  const sockets: AfXdpPlan['sockets'] = [];
  let needed = 0;
  o.interfaces.forEach((iface, slot) => {
    if (iface.rxQueues < 1) throw new XcapError(`${iface.name} has no RX queue to bind an AF_XDP socket to`);
    if (o.queue !== undefined && (o.queue >= iface.rxQueues || o.queue < 0)) {
      throw new XcapError(`${iface.name} has no RX queue ${o.queue}: it has ${iface.rxQueues} (${iface.rxQueues === 1 ? 'queue 0' : `queues 0-${iface.rxQueues - 1}`})`);
    }
    for (let q = 0; q < iface.rxQueues; q++) if (o.queue === undefined || o.queue === q) sockets.push({ slot, queue: q });
    needed = Math.max(needed, iface.mtu + L2_OVERHEAD + KERNEL_HEADROOM);
  });
  const frameSize = FRAME_SIZES.find((size) => size >= needed);
  if (frameSize === undefined) {
    const worst = o.interfaces.reduce((a, b) => (a.mtu > b.mtu ? a : b));
    throw new XcapError(`${worst.name} has MTU ${worst.mtu}, more than an AF_XDP chunk holds (at most ${FRAME_SIZES.at(-1)! - KERNEL_HEADROOM - L2_OVERHEAD}): use --backend ringbuf`);
  }
  const share = (budget: number): number => 2 ** Math.floor(Math.log2(budget / sockets.length / frameSize));
  let frames: number;
  if (o.umemBudget === undefined) {
    frames = Math.min(MAX_FRAMES, Math.max(MIN_FRAMES, share(UMEM_BUDGET)));
  } else {
    frames = share(o.umemBudget);
    if (frames < MIN_SOCKET_FRAMES || frames > MAX_SOCKET_FRAMES) {
      const perMiB = (sockets.length * frameSize) / 2 ** 20;
      const lowest = Math.max(1, Math.ceil(MIN_SOCKET_FRAMES * perMiB));
      // The largest whole MiB that still rounds down to MAX_SOCKET_FRAMES a socket.
      const highest = Math.ceil(2 * MAX_SOCKET_FRAMES * perMiB) - 1;
      throw new XcapError(`-B ${o.umemBudget / 2 ** 20} gives each of the ${sockets.length} AF_XDP socket${sockets.length === 1 ? '' : 's'} ${Math.floor(frames)} frames of ${frameSize} bytes, `
        + `outside the ${MIN_SOCKET_FRAMES} to ${MAX_SOCKET_FRAMES} a socket takes: give -B from ${lowest} to ${highest} (MiB)`);
    }
  }
  const umemBytes = sockets.length * frames * frameSize;
  // The RX ring can take every frame, so a late reader finds the whole UMEM filled before anything is lost.
  return { interfaces: o.interfaces, sockets, framesPerSocket: frames, frameSize, rxRingSize: frames, umemBytes };
}

interface InterfaceParts { object: BpfObject; link?: Link; progId: number; countersFd: number; entry?: FilterEntryProgram; }

export class AfXdpCapture {
  private closed = false;
  private next = 0;
  private readonly taiOffsetSec = taiOffsetSeconds();

  private constructor(
    private readonly plan: AfXdpPlan,
    private readonly parts: InterfaceParts[],
    private readonly sockets: AfXdpSocket[],
    private readonly epfd: number,
    private readonly snaplen: number,
    private readonly indexer: XskIndexer,
  ) {}

  /** Opens every socket, fills the socket maps, then attaches; on failure closes everything it made and throws. */
  static open(o: AfXdpCaptureOptions): AfXdpCapture {
    const { plan } = o;
    if (o.umemBase % 65536 !== 0 || o.umemBase + plan.umemBytes > o.memory.byteLength) {
      throw new RangeError(`UMEM region [${o.umemBase}, +${plan.umemBytes}) is not a 64 KiB aligned part of Wasm memory`);
    }
    // Write every page of the UMEM before lending it.  Measured: without
    // this, the reader's first pass over the chunks paid a page fault per
    // page and fell behind, losing 17-25% of a first 1M-frame burst at
    // 3.5 Mpps to an empty fill ring (later bursts lost nothing).
    o.memory.fill(0, o.umemBase, o.umemBase + plan.umemBytes);
    const memoryAddress = koffi.address(o.memory.buffer) as bigint;
    const parts: InterfaceParts[] = [];
    const sockets: AfXdpSocket[] = [];
    let epfd = -1;
    try {
      plan.interfaces.forEach((iface) => {
        if (ifNameToIndex(iface.name) !== iface.ifindex) throw new XcapError(`no such interface: ${iface.name} (or it changed its index)`);
        const object = BpfObject.open(afxdpObjectPath());
        parts.push({ object, progId: 0, countersFd: -1 });
        object.setMaxEntries(AFXDP_MAPS.sockets, iface.rxQueues);
        object.load();
      });
      const umemPerSocket = plan.framesPerSocket * plan.frameSize;
      plan.sockets.forEach(({ slot, queue }, i) => {
        const iface = plan.interfaces[slot];
        const umemBase = o.umemBase + i * umemPerSocket;
        const socket = AfXdpSocket.open({
          ifname: iface.name, ifindex: iface.ifindex, queue,
          umemAddress: memoryAddress + BigInt(o.memory.byteOffset + umemBase), umemBase,
          frames: plan.framesPerSocket, frameSize: plan.frameSize, rxRingSize: plan.rxRingSize, zerocopy: !!o.zerocopy,
        });
        sockets.push(socket);
        const key = new Uint32Array([queue]);
        const value = new Uint32Array([socket.fd]);
        check(bpf.bpf_map_update_elem(parts[slot].object.mapFd(AFXDP_MAPS.sockets), key, value, 0n) as number,
          `put the AF_XDP socket of ${iface.name} queue ${queue} in the socket map`, errno);
      });
      epfd = epollFor(sockets.map((s) => s.fd), 'the AF_XDP sockets');
      plan.interfaces.forEach((iface, slot) => {
        const part = parts[slot];
        const prog = part.object.program(AFXDP_PROGRAM);
        part.progId = objectId(prog.fd);
        part.countersFd = part.object.mapFd(AFXDP_MAPS.counters);
        if (o.filter) {
          part.entry = FilterEntryProgram.load({
            filter: o.filter.program, hook: 'xdp', targetFd: prog.fd, xdpFrags: false, expression: o.filter.expression, name: 'xcap_flt_xsk',
          });
          part.progId = part.entry.id;
        }
        part.link = attachXdp(part.entry ?? prog, iface.name, iface.ifindex);
      });
      return new AfXdpCapture(plan, parts, sockets, epfd, o.snaplen, o.indexer);
    } catch (err) {
      release(parts, sockets, epfd);
      throw err;
    }
  }

  /** True when the sockets were bound in zero-copy mode. */
  get zerocopy(): boolean {
    return this.sockets.length > 0 && this.sockets.every((s) => s.zerocopy);
  }

  private pending(): number {
    let n = 0;
    for (const s of this.sockets) n += s.pending();
    return n;
  }

  private hasData(): boolean {
    for (const s of this.sockets) if (s.hasData()) return true;
    return false;
  }

  /**
   * Waits up to timeoutMs for frames, then describes up to index.capacity
   * of them in the index (taking turns between sockets).  The frames stay
   * valid until release().
   */
  poll(index: FrameIndex, timeoutMs: number): number {
    if (this.closed) return 0;
    if (timeoutMs > 0 && !this.hasData()) {
      const deadline = performance.now() + timeoutMs;
      for (let left = timeoutMs; left > 0; left = deadline - performance.now()) {
        epollWaitReadable(this.epfd, Math.ceil(Math.min(left, WAKE_SLICE_MS)));
        if (this.hasData()) break;
      }
    }
    // Also when frames were already waiting: a reader that keeps up would otherwise read them a handful at a time.
    if (timeoutMs > 0) letBatchFill(() => this.pending(), MIN_BATCH, COALESCE_MS);
    const count = this.sockets.length;
    let n = 0;
    for (let k = 0; k < count && n < index.capacity; k++) {
      const socket = this.sockets[(this.next + k) % count];
      const slot = this.plan.sockets[(this.next + k) % count].slot;
      n += socket.read(this.indexer, n, Math.min(MAX_PER_SOCKET, index.capacity - n), slot, this.snaplen, this.taiOffsetSec);
    }
    this.next = (this.next + 1) % count;
    return n;
  }

  /** Gives every frame of the last poll back to the kernel. */
  release(): void {
    for (const s of this.sockets) s.release();
  }

  counters(): KernelCounters {
    const perInterface: InterfaceCounters[] = this.plan.interfaces.map(() => ({ seen: 0n, dropped: 0n, rejected: 0n }));
    if (this.closed) return { seen: 0n, dropped: 0n, rejected: 0n, perInterface };
    const cpus = cpuCount();
    const values = Buffer.alloc(cpus * AFXDP_COUNTERS_SIZE);
    const key = new Uint32Array(1);
    this.parts.forEach((part, slot) => {
      const ret = bpf.bpf_map_lookup_elem(part.countersFd, key, values) as number;
      if (ret < 0) throw new KernelError('read the AF_XDP capture counters', -ret);
      for (let cpu = 0; cpu < cpus; cpu++) {
        const at = cpu * AFXDP_COUNTERS_SIZE;
        // A frame with no headroom for the timestamp header went on to the stack uncaptured: seen, and lost.
        const noHeadroom = values.readBigUInt64LE(at + AfxdpCountersField.NoMeta);
        perInterface[slot].seen += values.readBigUInt64LE(at + AfxdpCountersField.Redirected) + noHeadroom;
        perInterface[slot].dropped += noHeadroom;
      }
      perInterface[slot].rejected = part.entry?.rejected() ?? 0n;
    });
    this.sockets.forEach((s, i) => {
      const st = s.statistics();
      perInterface[this.plan.sockets[i].slot].dropped += st.rxDropped + st.rxRingFull;
    });
    return {
      seen: perInterface.reduce((a, c) => a + c.seen, 0n),
      dropped: perInterface.reduce((a, c) => a + c.dropped, 0n),
      rejected: perInterface.reduce((a, c) => a + c.rejected, 0n),
      perInterface,
    };
  }

  /** XDP_STATISTICS summed over every socket, and the frames that came without a kernel timestamp. */
  statistics(): AfXdpStatistics {
    const sum = Object.fromEntries([...XDP_STATISTICS_FIELDS, 'framesWithoutMeta'].map((f) => [f, 0n])) as unknown as AfXdpStatistics;
    for (const s of this.sockets) {
      const st = s.statistics();
      for (const f of XDP_STATISTICS_FIELDS) sum[f] += st[f];
      sum.framesWithoutMeta += BigInt(s.framesWithoutMeta);
    }
    return sum;
  }

  attachments(): Attachment[] {
    return this.parts.flatMap((p) => (p.link ? [{ iface: p.link.ifname, ifindex: p.link.ifindex, hook: p.link.hook, linkId: p.link.id, progId: p.progId }] : []));
  }

  /** Detaches, then closes every socket and object; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    release(this.parts, this.sockets, this.epfd);
  }
}

function release(parts: InterfaceParts[], sockets: AfXdpSocket[], epfd: number): void {
  // Detach first, so no frame is redirected to a socket that is going away.
  for (const p of parts) p.link?.detach();
  for (const p of parts) p.entry?.close();
  for (const s of sockets) s.close();
  if (epfd >= 0) closeFd(epfd);
  for (const p of parts) p.object.close();
}
