// Byte-level pcap and pcapng builders for the reader tests, able to write
// deliberately broken files (wrong lengths, bad magic, cut records), and a
// harness that reads a file to its end and copies every frame out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter, ascii, concat, padTo } from '../../fixtures/gen/bytes.js';
import { FRAME_ENTRY_SIZE, FrameIndex } from '../../src/pcap/frame-index.js';
import { MIN_RECORD_ROOM, openCapture, type CaptureReader } from '../../src/pcap/reader.js';

export { concat };

export const MAGIC = { micro: 0xa1b2c3d4, nano: 0xa1b23c4d, modified: 0xa1b2cd34 } as const;

/** Deterministic packet bytes. */
export function payload(length: number, seed = 1): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (i * 31 + seed * 17) & 0xff;
  return b;
}

export interface PcapRecord {
  sec: number;
  /** Microseconds or nanoseconds, as the magic says. */
  frac: number;
  data: Uint8Array;
  origlen?: number;
  /** A captured length to claim instead of data.length. */
  caplen?: number;
}

export interface PcapOptions {
  littleEndian?: boolean;
  magic?: number;
  /** The whole 32-bit link-type field, FCS bits included. */
  linkField?: number;
  snaplen?: number;
  version?: [number, number];
}

export function pcapBytes(records: PcapRecord[], o: PcapOptions = {}): Uint8Array {
  const w = new ByteWriter(o.littleEndian ?? true);
  const magic = o.magic ?? MAGIC.micro;
  const [major, minor] = o.version ?? [2, 4];
  w.u32(magic).u16(major).u16(minor).u32(0).u32(0).u32(o.snaplen ?? 262144).u32(o.linkField ?? 1);
  for (const r of records) {
    w.u32(r.sec).u32(r.frac).u32(r.caplen ?? r.data.length).u32(r.origlen ?? r.data.length);
    if (magic === MAGIC.modified) w.u32(7).u16(0x0800).bytes(Uint8Array.of(0, 0)); // ifindex, protocol, pkt_type, pad
    w.bytes(r.data);
  }
  return w.finish();
}

/** An option; its value is encoded in the block's byte order. */
export type Opt =
  | { code: number; text: string }
  | { code: number; u8: number }
  | { code: number; u32: number }
  | { code: number; u64: bigint }
  | { code: number; i64: bigint }
  | { code: number; raw: Uint8Array; claimedLength?: number };

export interface BlockOverrides { length?: number; trailer?: number }

export class PcapngBytes {
  private readonly parts: Uint8Array[] = [];
  private le: boolean;

  constructor(littleEndian = true) {
    this.le = littleEndian;
  }

  private writer(): ByteWriter {
    return new ByteWriter(this.le);
  }

  private options(opts: Opt[]): Uint8Array {
    if (opts.length === 0) return new Uint8Array(0);
    const w = this.writer();
    for (const o of opts) {
      let value: Uint8Array;
      if ('text' in o) value = ascii(o.text);
      else if ('u8' in o) value = Uint8Array.of(o.u8);
      else if ('u32' in o) value = this.writer().u32(o.u32).finish();
      else if ('u64' in o) value = this.writer().u64(o.u64).finish();
      else if ('i64' in o) value = this.writer().u64(BigInt.asUintN(64, o.i64)).finish();
      else value = o.raw;
      const claimed = 'claimedLength' in o && o.claimedLength !== undefined ? o.claimedLength : value.length;
      w.u16(o.code).u16(claimed).bytes(padTo(value, 4));
    }
    return w.u16(0).u16(0).finish();
  }

  /** Any block: type, lengths (overridable to break them), body padded to 4, options. */
  block(type: number, body: Uint8Array, opts: Opt[] = [], bad: BlockOverrides = {}): this {
    const content = concat(padTo(body, 4), this.options(opts));
    const total = 12 + content.length;
    this.parts.push(this.writer().u32(type).u32(bad.length ?? total).bytes(content).u32(bad.trailer ?? total).finish());
    return this;
  }

  /** A section header; it switches the byte order of what follows. */
  shb(opts: Opt[] = [], o: { littleEndian?: boolean; major?: number; byteOrderMagic?: number } = {}): this {
    this.le = o.littleEndian ?? this.le;
    const body = this.writer().u32(o.byteOrderMagic ?? 0x1a2b3c4d).u16(o.major ?? 1).u16(0).u64(0xffff_ffff_ffff_ffffn).finish();
    return this.block(0x0a0d0d0a, body, opts);
  }

  idb(linktype: number, snaplen: number, opts: Opt[] = []): this {
    return this.block(1, this.writer().u16(linktype).u16(0).u32(snaplen).finish(), opts);
  }

  epb(iface: number, units: bigint, data: Uint8Array, o: { origlen?: number; caplen?: number; opts?: Opt[] } = {}, bad?: BlockOverrides): this {
    const head = this.writer().u32(iface).u32(Number(units >> 32n)).u32(Number(units & 0xffff_ffffn))
      .u32(o.caplen ?? data.length).u32(o.origlen ?? data.length).finish();
    return this.block(6, concat(head, padTo(data, 4)), o.opts, bad);
  }

  /** The obsolete Packet Block: 16-bit interface id and drop count. */
  pb(iface: number, drops: number, units: bigint, data: Uint8Array, origlen: number, opts: Opt[] = []): this {
    const head = this.writer().u16(iface).u16(drops).u32(Number(units >> 32n)).u32(Number(units & 0xffff_ffffn))
      .u32(data.length).u32(origlen).finish();
    return this.block(2, concat(head, padTo(data, 4)), opts);
  }

  spb(data: Uint8Array, origlen: number): this {
    return this.block(3, concat(this.writer().u32(origlen).finish(), data));
  }

  isb(iface: number, units: bigint, opts: Opt[] = []): this {
    const head = this.writer().u32(iface).u32(Number(units >> 32n)).u32(Number(units & 0xffff_ffffn)).finish();
    return this.block(5, head, opts);
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  finish(): Uint8Array {
    return concat(...this.parts);
  }
}

/** A 64-bit timestamp option value (high word first), as isb_starttime wants it. */
export function timestampOption(code: number, units: bigint, littleEndian = true): Opt {
  const w = new ByteWriter(littleEndian).u32(Number(units >> 32n)).u32(Number(units & 0xffff_ffffn));
  return { code, raw: w.finish() };
}

export interface Frame {
  data: Uint8Array;
  caplen: number;
  origlen: number;
  linktype: number;
  ifaceId: number;
  sec: number;
  nsec: number;
  digits: number;
  fcsLen: number;
  flags: number;
  comments?: string[];
}

export interface ReadResult {
  frames: Frame[];
  batches: number[];
  reader: CaptureReader;
  warnings: string[];
}

export interface Harness { arena: Uint8Array; arenaBase: number; index: FrameIndex; memory: Uint8Array }

/** One buffer holding the index then the arena, as the Wasm memory does. */
export function harness(capacity: number, chunkSize: number, extraArena = 0): Harness {
  const indexBytes = capacity * FRAME_ENTRY_SIZE;
  const buffer = new ArrayBuffer(indexBytes + MIN_RECORD_ROOM + chunkSize + extraArena);
  const memory = new Uint8Array(buffer);
  return { memory, index: new FrameIndex(new DataView(buffer), 0, capacity), arena: memory.subarray(indexBytes), arenaBase: indexBytes };
}

/** Reads a capture to its end, copying each frame out of its batch; `reuse` saves allocating a new arena. */
export async function readAll(path: string, o: { capacity?: number; chunkSize?: number; reuse?: Harness } = {}): Promise<ReadResult> {
  const chunkSize = o.chunkSize ?? 1 << 20;
  const h = o.reuse ?? harness(o.capacity ?? 256, chunkSize);
  const reader = await openCapture(path, { arena: h.arena, arenaBase: h.arenaBase, index: h.index, chunkSize });
  const frames: Frame[] = [];
  const batches: number[] = [];
  try {
    for (let n = await reader.nextBatch(); n > 0; n = await reader.nextBatch()) {
      batches.push(n);
      for (let i = 0; i < n; i++) frames.push(copyFrame(h, reader, i));
    }
  } finally {
    reader.close();
  }
  return { frames, batches, reader, warnings: [...reader.warnings] };
}

/** Copies frame i out of the arena, first checking the entry stays inside the arena and the capture's interfaces. */
function copyFrame(h: Harness, reader: CaptureReader, i: number): Frame {
  const x = h.index;
  const at = x.dataPtr(i);
  if (at < h.arenaBase || at + x.caplen(i) > h.arenaBase + h.arena.length) throw new Error(`frame ${i} lies outside the arena`);
  if (x.ifaceId(i) >= reader.interfaces.length) throw new Error(`frame ${i} is on an unknown interface ${x.ifaceId(i)}`);
  if (x.tsNsec(i) >= 1e9 || !Number.isInteger(x.tsSec(i))) throw new Error(`frame ${i} has timestamp ${x.tsSec(i)}.${x.tsNsec(i)}`);
  const frame: Frame = {
    data: h.memory.slice(at, at + x.caplen(i)), caplen: x.caplen(i), origlen: x.origlen(i), linktype: x.linktype(i),
    ifaceId: x.ifaceId(i), sec: x.tsSec(i), nsec: x.tsNsec(i), digits: x.tsDigits(i), fcsLen: x.fcsLen(i), flags: x.flags(i),
  };
  const comments = reader.comments(i);
  if (comments) frame.comments = comments;
  return frame;
}

export function writeCapture(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Length of synthetic frame i: varied, 40 to 1599 bytes, or `fixed`. */
export function syntheticLength(i: number, fixed?: number): number {
  return fixed ?? 40 + ((i * 7919) % 1560);
}

/**
 * A large capture built straight into one buffer: frame i starts with i
 * (32-bit little-endian) and is stamped 1.7e9 s + i ms.  `pcapng` writes EPBs
 * with nanosecond resolution instead of pcap records.
 */
export function syntheticCapture(count: number, o: { pcapng?: boolean; fixedLength?: number } = {}): Uint8Array {
  let size = o.pcapng ? 28 + 32 : 24;
  for (let i = 0; i < count; i++) {
    const len = syntheticLength(i, o.fixedLength);
    size += o.pcapng ? 32 + len + (-len & 3) : 16 + len;
  }
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  let p: number;
  if (o.pcapng) {
    out.set(new PcapngBytes().shb().idb(1, 0, [{ code: 9, u8: 9 }]).finish());
    p = 28 + 32;
  } else {
    out.set(pcapBytes([]));
    p = 24;
  }
  for (let i = 0; i < count; i++) {
    const len = syntheticLength(i, o.fixedLength);
    const sec = 1_700_000_000 + Math.floor(i / 1000);
    const ms = i % 1000;
    if (o.pcapng) {
      const total = 32 + len + (-len & 3);
      const ns = BigInt(sec) * 1_000_000_000n + BigInt(ms) * 1_000_000n;
      v.setUint32(p, 6, true); v.setUint32(p + 4, total, true); v.setUint32(p + 8, 0, true);
      v.setUint32(p + 12, Number(ns >> 32n), true); v.setUint32(p + 16, Number(ns & 0xffff_ffffn), true);
      v.setUint32(p + 20, len, true); v.setUint32(p + 24, len, true);
      v.setUint32(p + 28, i, true);
      v.setUint32(p + total - 4, total, true);
      p += total;
    } else {
      v.setUint32(p, sec, true); v.setUint32(p + 4, ms * 1000, true); v.setUint32(p + 8, len, true); v.setUint32(p + 12, len, true);
      v.setUint32(p + 16, i, true);
      p += 16 + len;
    }
  }
  return out;
}
