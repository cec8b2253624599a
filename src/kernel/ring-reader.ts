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
 * A batch is copied into the arena with one copy of the whole ring span
 * (headers included); index entries point at each frame's bytes inside it.
 */
import { FRAME_ENTRY_SIZE, FrameField, type FrameIndex } from '../pcap/frame-index.js';
import { RECORD_SIZE, RecordField } from './capture-layout.js';
import { setEntryTime } from './kernel-clock.js';
import { mmap, munmap, PAGE_SIZE, PROT_READ, PROT_WRITE, type Mapping } from './libc.js';

const BUSY = 0x80000000;
const DISCARD = 0x40000000;
const LEN_MASK = 0x3fffffff;
const RING_HEADER = 8;
const FRAME_OFFSET = RING_HEADER + RECORD_SIZE;
const LINKTYPE_ETHERNET = 1;

export class RingReader {
  private readonly consumerMap: Mapping;
  private readonly producerMap: Mapping;
  private readonly consumerPos: BigUint64Array;
  private readonly producerPos: BigUint64Array;
  private readonly words: Uint32Array;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  private readonly mask: number;
  /** consumer_pos as a number: exact up to 2^53 bytes read. */
  private pos: number;
  private closed = false;
  /** Records whose interface slot is not one of ours (none unless the kernel side is misconfigured). */
  foreign = 0;

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
    this.view = new DataView(this.producerMap.buffer);
    this.bytes = new Uint8Array(this.producerMap.buffer);
    this.pos = Number(Atomics.load(this.consumerPos, 0));
  }

  /** True when at least one committed record waits. */
  hasData(): boolean {
    if (this.closed || Number(Atomics.load(this.producerPos, 0)) <= this.pos) return false;
    return (Atomics.load(this.words, (PAGE_SIZE + (this.pos & this.mask)) >>> 2) & BUSY) === 0;
  }

  /**
   * Copies committed records into the arena (byte i at address arenaBase + i)
   * and describes them in the index, up to index.capacity frames or as many as
   * fit in the arena; then releases them to the kernel.  Returns the count.
   */
  read(arena: Uint8Array, arenaBase: number, index: FrameIndex, taiOffsetSec: number): number {
    if (this.closed) return 0;
    const producer = Number(Atomics.load(this.producerPos, 0));
    const start = this.pos;
    const view = this.view;
    const out = index.view;
    const room = arena.length;
    let pos = start;
    let count = 0;
    let entry = index.base;
    let truncateTo = -1;
    while (pos < producer && count < index.capacity) {
      const at = PAGE_SIZE + (pos & this.mask);
      // Atomics.load orders the reads of the record after the kernel's commit of it.
      const header = Atomics.load(this.words, at >>> 2);
      if (header & BUSY) break;
      const len = header & LEN_MASK;
      const span = (len + RING_HEADER + 7) & ~7;
      const arenaOffset = pos - start;
      if (arenaOffset + span > room) {
        if (arenaOffset !== 0) break;
        // A record larger than the whole arena: keep its head rather than stall.
        truncateTo = room;
      }
      pos += span;
      if (header & DISCARD || len < RECORD_SIZE) continue;
      const slot = view.getUint16(at + RING_HEADER + RecordField.IfaceSlot, true);
      if (slot >= this.interfaceCount) {
        this.foreign++;
        continue;
      }
      const origlen = view.getUint32(at + RING_HEADER + RecordField.Origlen, true);
      let caplen = Math.min(view.getUint32(at + RING_HEADER + RecordField.Caplen, true), len - RECORD_SIZE, origlen);
      if (truncateTo >= 0) caplen = Math.max(0, Math.min(caplen, truncateTo - FRAME_OFFSET));
      out.setUint32(entry + FrameField.DataPtr, arenaBase + arenaOffset + FRAME_OFFSET, true);
      out.setUint32(entry + FrameField.Caplen, caplen, true);
      out.setUint32(entry + FrameField.Origlen, origlen, true);
      out.setUint16(entry + FrameField.Linktype, LINKTYPE_ETHERNET, true);
      out.setUint16(entry + FrameField.IfaceId, slot, true);
      setEntryTime(out, entry, view.getUint32(at + RING_HEADER + RecordField.TsNs, true),
        view.getUint32(at + RING_HEADER + RecordField.TsNs + 4, true), taiOffsetSec);
      out.setUint8(entry + FrameField.FcsLen, 0);
      out.setUint16(entry + FrameField.Flags, view.getUint8(at + RING_HEADER + RecordField.Direction) & 3, true);
      entry += FRAME_ENTRY_SIZE;
      count++;
      if (truncateTo >= 0) break;
    }
    if (pos === start) return 0;
    const from = PAGE_SIZE + (start & this.mask);
    const length = Math.min(pos - start, room);
    arena.set(this.bytes.subarray(from, from + length), 0);
    this.pos = pos;
    // Released only now that the bytes are copied out: the kernel may overwrite them next.
    Atomics.store(this.consumerPos, 0, BigInt(pos));
    return count;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    munmap(this.producerMap);
    munmap(this.consumerMap);
  }
}
