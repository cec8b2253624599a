/**
 * Reads the BPF ring buffer by mmap, from JS, with no FFI call per record.
 *
 * Mapping (kernel/bpf/ringbuf.c): one read-write page at offset 0 holding
 * consumer_pos; from offset PAGE_SIZE, read-only, the producer page
 * (producer_pos) followed by the data area mapped twice in a row, so a
 * record that wraps around the end is still contiguous.  Each record starts
 * with an 8-byte header {u32 len | BUSY bit 31 | DISCARD bit 30, u32 pgoff}
 * and takes (len + 8) rounded up to 8 bytes.
 *
 * The kernel lays each record out as a pcapng Enhanced Packet Block whose
 * first 8 bytes are the ring header (bpf/capture.h).  A batch is copied into
 * the arena with one copy of the whole ring span; in that copy each ring
 * header is overwritten with the block type and length, so the span is
 * ready to be written to a pcapng file as it is (blocks()), and index
 * entries point at each frame's bytes inside it for the dissectors.
 */
import { FRAME_ENTRY_SIZE, FrameField, type FrameIndex } from '../pcap/frame-index.js';
import {
  EPB_BLOCK_TYPE, EPB_FLAGS_OPTION, EPB_TAIL_SIZE, EpbTailField, RECORD_SIZE, RecordField,
} from './capture-layout.js';
import { setEntryTime } from './kernel-clock.js';
import { mmap, munmap, PAGE_SIZE, PROT_READ, PROT_WRITE, type Mapping } from './libc.js';

const BUSY = 0x80000000;
const DISCARD = 0x40000000;
const LEN_MASK = 0x3fffffff;
const RING_HEADER = 8;
const FRAME_OFFSET = RING_HEADER + RECORD_SIZE;
/** Block bytes besides the data of a frame cut to fit the arena (its tail keeps opt_endofopt). */
export const CUT_BLOCK_OVERHEAD = FRAME_OFFSET + EPB_TAIL_SIZE;
const LINKTYPE_ETHERNET = 1;
/**
 * A batch takes at most this much of the arena: write() then copies bytes
 * that are still in the CPU cache from the copy out of the ring.  Batches of
 * the whole 6 MiB arena measured 4x the system time per 1500-byte frame.
 */
const MAX_BATCH_BYTES = 1 << 20;

export class RingReader {
  private readonly consumerMap: Mapping;
  private readonly producerMap: Mapping;
  private readonly consumerPos: BigUint64Array;
  private readonly producerPos: BigUint64Array;
  private readonly words: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly mask: number;
  /** consumer_pos as a number: exact up to 2^53 bytes read. */
  private pos: number;
  private closed = false;
  /** The last batch's blocks: arena[blocksFrom, blocksTo), `batchCount` of them. */
  private batchArena: Uint8Array | undefined;
  private blocksFrom = 0;
  private blocksTo = 0;
  private batchCount = 0;
  /** Records that were not a well-formed block of one of our interfaces (none unless the kernel side is misconfigured). */
  malformed = 0;

  constructor(ringFd: number, readonly ringBytes: number, private readonly interfaceCount: number) {
    // 32-bit masking of positions (`pos & mask`) is exact while the mask fits in 31 bits.
    if (ringBytes & (ringBytes - 1) || ringBytes < PAGE_SIZE || ringBytes > 2 ** 30) throw new RangeError(`bad ring size ${ringBytes}`);
    this.mask = ringBytes - 1;
    this.consumerMap = mmap(ringFd, PAGE_SIZE, PROT_READ | PROT_WRITE, 0, 'the ring buffer consumer page');
    try {
      this.producerMap = mmap(ringFd, PAGE_SIZE + 2 * ringBytes, PROT_READ, PAGE_SIZE, 'the ring buffer data');
    } catch (err) {
      munmap(this.consumerMap);
      throw err;
    }
    this.consumerPos = new BigUint64Array(this.consumerMap.buffer, 0, 1);
    this.producerPos = new BigUint64Array(this.producerMap.buffer, 0, 1);
    this.words = new Uint32Array(this.producerMap.buffer);
    this.bytes = new Uint8Array(this.producerMap.buffer);
    this.pos = Number(Atomics.load(this.consumerPos, 0));
  }

  /** Bytes the producers have written past the reader: committed records, and any still being written. */
  pendingBytes(): number {
    return this.closed ? 0 : Number(Atomics.load(this.producerPos, 0)) - this.pos;
  }

  /** True when at least one committed record waits. */
  hasData(): boolean {
    if (this.closed || Number(Atomics.load(this.producerPos, 0)) <= this.pos) return false;
    return (Atomics.load(this.words, (PAGE_SIZE + (this.pos & this.mask)) >>> 2) & BUSY) === 0;
  }

  /**
   * Copies committed records into the arena (byte i at address arenaBase + i)
   * and describes them in the index, up to index.capacity frames or as many as
   * fit in the arena; then releases them to the kernel.  Returns the count;
   * blocks() then gives their pcapng blocks.
   */
  read(arena: Uint8Array, arenaBase: number, index: FrameIndex): number {
    this.batchArena = undefined;
    if (this.closed) return 0;
    const producer = Number(Atomics.load(this.producerPos, 0));
    const words = this.words;
    const out = index.view;
    const room = Math.min(arena.length, MAX_BATCH_BYTES);
    const start = this.pos;
    let pos = start;
    let count = 0;
    let entry = index.base;
    // Records before the first good one are consumed but left out of the blocks.
    let blocksFrom = 0;
    let cutTo = -1;
    while (pos < producer && count < index.capacity) {
      const at = PAGE_SIZE + (pos & this.mask);
      // Atomics.load orders the reads of the record after the kernel's commit of it.
      const header = Atomics.load(words, at >>> 2);
      if (header & BUSY) break;
      const len = header & LEN_MASK;
      const span = (len + RING_HEADER + 7) & ~7;
      const arenaOffset = pos - start;
      if (arenaOffset + span > room) {
        if (arenaOffset !== 0) break;
        // A record larger than the whole arena: keep its head rather than stall.
        cutTo = room;
      }
      const w = (at + RING_HEADER) >>> 2;
      const caplen = words[w + (RecordField.Caplen >>> 2)];
      const origlen = words[w + (RecordField.Origlen >>> 2)];
      const slot = words[w + (RecordField.IfaceId >>> 2)];
      const tail = w + ((RECORD_SIZE + caplen + 3) >>> 2);
      // Anything but a whole block of one of our interfaces is skipped; it can only lead a batch.
      if (header & DISCARD || span !== len + RING_HEADER || len < RECORD_SIZE + EPB_TAIL_SIZE - 4 || slot >= this.interfaceCount
        || caplen > origlen || RECORD_SIZE + caplen + EPB_TAIL_SIZE - 4 > len
        || (words[tail] & 0xffff) !== EPB_FLAGS_OPTION) {
        if (count > 0) break;
        if (!(header & DISCARD)) this.malformed++;
        pos += span;
        blocksFrom = pos - start;
        continue;
      }
      pos += span;
      out.setUint32(entry + FrameField.DataPtr, arenaBase + arenaOffset + FRAME_OFFSET, true);
      out.setUint32(entry + FrameField.Caplen, cutTo >= 0 ? cutCaplen(caplen, cutTo) : caplen, true);
      out.setUint32(entry + FrameField.Origlen, origlen, true);
      out.setUint16(entry + FrameField.Linktype, LINKTYPE_ETHERNET, true);
      out.setUint16(entry + FrameField.IfaceId, slot, true);
      // The kernel has already turned its TAI clock into wall-clock nanoseconds (taiOffsetNs in bpf/capture.h).
      setEntryTime(out, entry, words[w + (RecordField.TsLow >>> 2)], words[w + (RecordField.TsHigh >>> 2)], 0);
      out.setUint8(entry + FrameField.FcsLen, 0);
      out.setUint16(entry + FrameField.Flags, words[tail + (EpbTailField.Flags >>> 2)] & 3, true);
      entry += FRAME_ENTRY_SIZE;
      count++;
      if (cutTo >= 0) break;
    }
    if (pos === start) return 0;
    const from = PAGE_SIZE + (start & this.mask);
    const length = Math.min(pos - start, room);
    arena.set(this.bytes.subarray(from, from + length), 0);
    this.pos = pos;
    // Released only now that the bytes are copied out: the kernel may overwrite them next.
    Atomics.store(this.consumerPos, 0, BigInt(pos));
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    this.blocksFrom = blocksFrom;
    this.blocksTo = cutTo >= 0
      ? cutBlock(view, index.view.getUint32(index.base + FrameField.Caplen, true), index.view.getUint16(index.base + FrameField.Flags, true))
      : length;
    if (cutTo < 0) {
      // The ring header {len, pgoff} becomes {block type, block total length}.
      for (let off = blocksFrom, i = 0; i < count; i++) {
        const total = (view.getUint32(off, true) & LEN_MASK) + RING_HEADER;
        view.setUint32(off, EPB_BLOCK_TYPE, true);
        view.setUint32(off + 4, total, true);
        off += total;
      }
    }
    this.batchArena = arena;
    this.batchCount = count;
    return count;
  }

  /** The pcapng blocks of the first n frames of the last batch, in the arena. */
  blocks(n: number): Uint8Array {
    const arena = this.batchArena;
    if (!arena || n <= 0) return new Uint8Array(0);
    if (n >= this.batchCount) return arena.subarray(this.blocksFrom, this.blocksTo);
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
    let end = this.blocksFrom;
    for (let i = 0; i < n; i++) end += view.getUint32(end + 4, true);
    return arena.subarray(this.blocksFrom, end);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.batchArena = undefined;
    munmap(this.producerMap);
    munmap(this.consumerMap);
  }
}

/** The caplen of a frame whose block is cut to `room` bytes. */
function cutCaplen(caplen: number, room: number): number {
  return Math.max(0, Math.min(caplen, (room - CUT_BLOCK_OVERHEAD) & ~3));
}

/** Rewrites the arena's only record, cut to `caplen` (a multiple of 4) bytes of data, as a whole block; returns its length. */
function cutBlock(view: DataView, caplen: number, flags: number): number {
  const tail = FRAME_OFFSET + caplen;
  const total = tail + EPB_TAIL_SIZE;
  view.setUint32(0, EPB_BLOCK_TYPE, true);
  view.setUint32(4, total, true);
  view.setUint32(RING_HEADER + RecordField.Caplen, caplen, true);
  view.setUint16(tail + EpbTailField.OptionCode, EPB_FLAGS_OPTION, true);
  view.setUint16(tail + EpbTailField.OptionLength, 4, true);
  view.setUint32(tail + EpbTailField.Flags, flags, true);
  view.setUint32(tail + EpbTailField.EndOfOptions, 0, true);
  view.setUint32(tail + EpbTailField.TotalLength, total, true);
  return total;
}
