/**
 * One AF_XDP socket bound to one RX queue, receiving only: its UMEM (a
 * region of memory the caller owns, here inside the dissectors' Wasm
 * memory) cut into equal chunks, a fill ring through which chunks are lent
 * to the kernel, and an RX ring through which the kernel hands back filled
 * ones.  Both rings are mmap'ed and driven from JS; their producer and
 * consumer indices are u32 read and written with Atomics.
 *
 * Reading a batch describes each frame in the frame index, pointing into
 * the UMEM (no copy), and keeps the chunk; release() gives the batch's
 * chunks back to the fill ring once the caller is done with the bytes.
 */
import { XcapError } from '../errors.js';
import { KernelError } from './errors.js';
import {
  bind, close, getsockopt, kick, mmap, munmap, setsockopt, socket, PROT_READ, PROT_WRITE, type Mapping,
} from './libc.js';

const AF_XDP = 44;
const SOCK_RAW = 3;
const SOL_XDP = 283;
const XDP_MMAP_OFFSETS = 1;
const XDP_RX_RING = 2;
const XDP_UMEM_REG = 4;
const XDP_UMEM_FILL_RING = 5;
const XDP_UMEM_COMPLETION_RING = 6;
const XDP_STATISTICS = 7;
const XDP_OPTIONS = 8;
const XDP_OPTIONS_ZEROCOPY = 1;
const XDP_COPY = 1 << 1;
const XDP_ZEROCOPY = 1 << 2;
const XDP_USE_NEED_WAKEUP = 1 << 3;
const XDP_RING_NEED_WAKEUP = 1;
const PGOFF_RX_RING = 0;
const PGOFF_FILL_RING = 0x100000000;
/** struct xdp_mmap_offsets: four struct xdp_ring_offset {producer, consumer, desc, flags} (u64 each). */
const RING_OFFSETS_SIZE = 32;
const enum RingOffset { Producer = 0, Consumer = 8, Desc = 16, Flags = 24 }
const enum RingSlot { Rx = 0, Tx = 1, Fill = 2, Completion = 3 }
/** struct xdp_desc {u64 addr; u32 len; u32 options}, read as four u32. */
const RX_DESC_WORDS = 4;
const EINVAL = 22;
const EBUSY = 16;
const EOPNOTSUPP = 95;
const ENOMEM = 12;
const EPERM = 1;
const EAFNOSUPPORT = 97;

export interface AfXdpSocketOptions {
  ifname: string;
  ifindex: number;
  queue: number;
  /** The UMEM: its address in this process, and the same place as an address of `memory` (the Wasm address space). */
  umemAddress: bigint;
  umemBase: number;
  frames: number;
  frameSize: number;
  rxRingSize: number;
  zerocopy: boolean;
}

/** Turns RX descriptors into frame index entries inside the Wasm module (DissectorEngine.xskIndexer, dissectors/xsk-index.ts). */
export interface XskIndexer {
  /** Where read() copies descriptors (u32 words, RX_DESC_WORDS each); index() leaves the n chunk offsets at its start. */
  readonly scratch: Uint32Array;
  /** Fills index entries first.. from the n descriptors in the scratch; returns how many frames had no kernel timestamp. */
  index(n: number, first: number, umemBase: number, chunkSize: number, ifaceId: number, snaplen: number,
    taiOffsetSec: number, nowSec: number, nowNsec: number): number;
}

/** getsockopt(XDP_STATISTICS), struct xdp_statistics. */
export interface XdpStatistics {
  rxDropped: bigint;
  rxInvalidDescs: bigint;
  txInvalidDescs: bigint;
  rxRingFull: bigint;
  rxFillRingEmptyDescs: bigint;
  txRingEmptyDescs: bigint;
}

export const XDP_STATISTICS_FIELDS: (keyof XdpStatistics)[] = [
  'rxDropped', 'rxInvalidDescs', 'txInvalidDescs', 'rxRingFull', 'rxFillRingEmptyDescs', 'txRingEmptyDescs',
];

interface Ring {
  map: Mapping;
  producer: Uint32Array;
  consumer: Uint32Array;
  flags: Uint32Array;
  /** The descriptors, as u32 words. */
  words: Uint32Array;
  mask: number;
}

export class AfXdpSocket {
  private readonly rx: Ring;
  private readonly fill: Ring;
  /** Chunk offsets (within the UMEM) of the frames of the current batch, given back by release(). */
  private readonly held: Uint32Array;
  private heldCount = 0;
  private rxConsumer: number;
  private fillProducer: number;
  private closed = false;
  /** Frames without our header (no kernel timestamp): stamped with the time they were read. */
  framesWithoutMeta = 0;
  /** Bound in zero-copy mode (the kernel's word for it, read back after bind). */
  zerocopy = false;

  private constructor(readonly fd: number, readonly o: AfXdpSocketOptions, rx: Ring, fill: Ring) {
    this.rx = rx;
    this.fill = fill;
    this.held = new Uint32Array(o.frames);
    this.rxConsumer = Atomics.load(rx.consumer, 0);
    this.fillProducer = Atomics.load(fill.producer, 0);
  }

  /** Opens, registers the UMEM, maps the rings, lends every chunk to the kernel and binds; on failure closes what it made. */
  static open(o: AfXdpSocketOptions): AfXdpSocket {
    const where = `${o.ifname} queue ${o.queue}`;
    let fd: number;
    try {
      fd = socket(AF_XDP, SOCK_RAW, `an AF_XDP socket for ${where}`);
    } catch (err) {
      if (err instanceof KernelError && err.errno === EAFNOSUPPORT) throw new KernelError(`open an AF_XDP socket`, err.errno, 'this kernel has no AF_XDP (CONFIG_XDP_SOCKETS); use --backend ringbuf');
      throw err;
    }
    const maps: Mapping[] = [];
    try {
      registerUmem(fd, o, where);
      setRingSize(fd, XDP_UMEM_FILL_RING, o.frames, 'fill', where);
      // Receive-only, but the kernel wants a completion ring with every UMEM.
      setRingSize(fd, XDP_UMEM_COMPLETION_RING, 64, 'completion', where);
      setRingSize(fd, XDP_RX_RING, o.rxRingSize, 'RX', where);
      const offsets = new Uint8Array(4 * RING_OFFSETS_SIZE);
      const got = getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, offsets);
      if (got < 0) throw new KernelError(`read the AF_XDP ring offsets of ${where}`, -got);
      const rx = mapRing(fd, offsets, RingSlot.Rx, PGOFF_RX_RING, o.rxRingSize, 16, `the RX ring of ${where}`, maps);
      const fill = mapRing(fd, offsets, RingSlot.Fill, PGOFF_FILL_RING, o.frames, 8, `the fill ring of ${where}`, maps);
      const s = new AfXdpSocket(fd, o, rx, fill);
      s.lendAll();
      bindSocket(fd, o, where);
      const options = new Uint8Array(4);
      s.zerocopy = getsockopt(fd, SOL_XDP, XDP_OPTIONS, options) >= 4 && (new Uint32Array(options.buffer)[0] & XDP_OPTIONS_ZEROCOPY) !== 0;
      return s;
    } catch (err) {
      for (const m of maps) munmap(m);
      close(fd);
      throw err;
    }
  }

  /** Puts every chunk of the UMEM on the fill ring (sized to hold them all, so the kernel never waits for us at start). */
  private lendAll(): void {
    for (let i = 0; i < this.o.frames; i++) this.held[i] = i * this.o.frameSize;
    this.heldCount = this.o.frames;
    this.release();
  }

  /** Frames waiting in the RX ring. */
  pending(): number {
    return this.closed ? 0 : (Atomics.load(this.rx.producer, 0) - this.rxConsumer) >>> 0;
  }

  /** True when the kernel has frames waiting in the RX ring. */
  hasData(): boolean {
    return !this.closed && Atomics.load(this.rx.producer, 0) !== this.rxConsumer;
  }

  /**
   * Describes up to `max` received frames in index entries from `first` on,
   * tagged with interface `ifaceId`, caplen cut at `snaplen`; keeps their
   * chunks until release().  The descriptors are copied into the indexer's
   * scratch and turned into entries there, in Wasm: no per-frame work in JS.
   */
  read(indexer: XskIndexer, first: number, max: number, ifaceId: number, snaplen: number, taiOffsetSec: number): number {
    if (this.closed || max <= 0) return 0;
    const rx = this.rx;
    const available = (Atomics.load(rx.producer, 0) - this.rxConsumer) >>> 0;
    const n = Math.min(available, max, this.held.length - this.heldCount, indexer.scratch.length / RX_DESC_WORDS);
    if (n === 0) return 0;
    copyDescriptors(rx.words, rx.mask, this.rxConsumer, n, indexer.scratch);
    const nowMs = Date.now();
    this.framesWithoutMeta += indexer.index(n, first, this.o.umemBase, this.o.frameSize, ifaceId, snaplen, taiOffsetSec,
      Math.floor(nowMs / 1000), (nowMs % 1000) * 1e6);
    this.held.set(indexer.scratch.subarray(0, n), this.heldCount);
    this.heldCount += n;
    // The descriptors are read; the chunks stay ours until release().
    this.rxConsumer = (this.rxConsumer + n) >>> 0;
    Atomics.store(rx.consumer, 0, this.rxConsumer);
    return n;
  }

  /** Gives the chunks of the last batch back to the kernel through the fill ring. */
  release(): void {
    if (this.closed || this.heldCount === 0) return;
    const fill = this.fill;
    const words = fill.words;
    let prod = this.fillProducer;
    for (let i = 0; i < this.heldCount; i++, prod = (prod + 1) >>> 0) {
      const slot = (prod & fill.mask) * 2;
      words[slot] = this.held[i];
      words[slot + 1] = 0;
    }
    this.heldCount = 0;
    this.fillProducer = prod;
    // The store publishes the addresses written above to the kernel.
    Atomics.store(fill.producer, 0, prod);
    if (Atomics.load(fill.flags, 0) & XDP_RING_NEED_WAKEUP) kick(this.fd);
  }

  statistics(): XdpStatistics {
    const raw = new Uint8Array(8 * XDP_STATISTICS_FIELDS.length);
    const zero = Object.fromEntries(XDP_STATISTICS_FIELDS.map((f) => [f, 0n])) as unknown as XdpStatistics;
    if (this.closed) return zero;
    const got = getsockopt(this.fd, SOL_XDP, XDP_STATISTICS, raw);
    if (got < 0) throw new KernelError(`read the AF_XDP statistics of ${this.o.ifname} queue ${this.o.queue}`, -got);
    const values = new BigUint64Array(raw.buffer);
    // Older kernels fill only the first three fields.
    XDP_STATISTICS_FIELDS.forEach((f, i) => { if ((i + 1) * 8 <= got) zero[f] = values[i]; });
    return zero;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    munmap(this.rx.map);
    munmap(this.fill.map);
    close(this.fd);
  }
}

/**
 * Copies n RX descriptors from ring position `consumer` on into `to`, in
 * order: the run wraps at the ring's end (ring positions are u32 counters,
 * masked to a slot).
 */
export function copyDescriptors(words: Uint32Array, mask: number, consumer: number, n: number, to: Uint32Array): void {
  const start = consumer & mask;
  const firstRun = Math.min(n, mask + 1 - start);
  to.set(words.subarray(start * RX_DESC_WORDS, (start + firstRun) * RX_DESC_WORDS));
  if (n > firstRun) to.set(words.subarray(0, (n - firstRun) * RX_DESC_WORDS), firstRun * RX_DESC_WORDS);
}

function registerUmem(fd: number, o: AfXdpSocketOptions, where: string): void {
  // struct xdp_umem_reg {u64 addr; u64 len; u32 chunk_size; u32 headroom; u32 flags; u32 tx_metadata_len}
  const reg = new DataView(new ArrayBuffer(32));
  reg.setBigUint64(0, o.umemAddress, true);
  reg.setBigUint64(8, BigInt(o.frames * o.frameSize), true);
  reg.setUint32(16, o.frameSize, true);
  const ret = setsockopt(fd, SOL_XDP, XDP_UMEM_REG, new Uint8Array(reg.buffer));
  if (ret === 0) return;
  const mib = (o.frames * o.frameSize) / 2 ** 20;
  const why = -ret === ENOMEM || -ret === EPERM
    ? 'the kernel would not pin that much memory: raise the locked-memory limit (ulimit -l) or capture fewer queues'
    : -ret === EINVAL ? 'the kernel refused the UMEM layout (address alignment or chunk size)' : undefined;
  throw new KernelError(`register the ${mib} MiB UMEM of ${where}`, -ret, why);
}

function setRingSize(fd: number, option: number, entries: number, name: string, where: string): void {
  const ret = setsockopt(fd, SOL_XDP, option, new Uint32Array([entries]));
  if (ret < 0) throw new KernelError(`size the ${name} ring of ${where} to ${entries} entries`, -ret);
}

function mapRing(fd: number, offsets: Uint8Array, slot: RingSlot, pgoff: number, entries: number, descSize: number, what: string, maps: Mapping[]): Ring {
  const off = new DataView(offsets.buffer, slot * RING_OFFSETS_SIZE, RING_OFFSETS_SIZE);
  const at = (f: RingOffset): number => Number(off.getBigUint64(f, true));
  const map = mmap(fd, at(RingOffset.Desc) + entries * descSize, PROT_READ | PROT_WRITE, pgoff, what);
  maps.push(map);
  return {
    map,
    producer: new Uint32Array(map.buffer, at(RingOffset.Producer), 1),
    consumer: new Uint32Array(map.buffer, at(RingOffset.Consumer), 1),
    flags: new Uint32Array(map.buffer, at(RingOffset.Flags), 1),
    words: new Uint32Array(map.buffer, at(RingOffset.Desc), (entries * descSize) / 4),
    mask: entries - 1,
  };
}

function bindSocket(fd: number, o: AfXdpSocketOptions, where: string): void {
  // struct sockaddr_xdp {u16 family; u16 flags; u32 ifindex; u32 queue_id; u32 shared_umem_fd}
  const addr = new DataView(new ArrayBuffer(16));
  addr.setUint16(0, AF_XDP, true);
  addr.setUint16(2, (o.zerocopy ? XDP_ZEROCOPY : XDP_COPY) | XDP_USE_NEED_WAKEUP, true);
  addr.setUint32(4, o.ifindex, true);
  addr.setUint32(8, o.queue, true);
  const ret = bind(fd, new Uint8Array(addr.buffer));
  if (ret === 0) return;
  const e = -ret;
  if (o.zerocopy && (e === EOPNOTSUPP || e === EINVAL)) {
    throw new XcapError(`${o.ifname} does not support zero-copy AF_XDP (its driver has no XSK zero-copy; veth never has): leave out --zerocopy to capture in copy mode`);
  }
  const why = e === EBUSY ? 'another AF_XDP socket is bound to that queue'
    : e === EINVAL ? 'the queue does not exist or the interface refuses AF_XDP' : undefined;
  throw new KernelError(`bind an AF_XDP socket to ${where}`, e, why);
}
