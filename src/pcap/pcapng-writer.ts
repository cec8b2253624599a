/**
 * The pcapng writer used by file conversion and live capture.  Blocks are
 * built in one scratch buffer and written with one write per flush; a batch
 * of frames is encoded straight from the frame index and its memory, with no
 * object made per frame.  Nanosecond timestamps (if_tsresol=9) throughout.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { cpus, release, type as osType } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureFileError, OutputClosed, XcapError, describeSystemError } from '../errors.js';
import { writeAllSync } from '../output/fd-write.js';
import { FRAME_ENTRY_SIZE, FrameField, type FrameIndex } from './frame-index.js';
import {
  BLOCK_OVERHEAD, BYTE_ORDER_MAGIC, BlockBuffer, BlockType, END_OF_OPTIONS_SIZE, EPB_FIELDS, OptionCode,
  checkCounter, checkTimestamp, commentsSize, optionSize, pad4, stringOptionSize,
} from './pcapng-blocks.js';

export interface WriterOptions {
  hardware?: string;
  os?: string;
  application?: string;
  comment?: string;
  /** Scratch buffer size in bytes; default 1 MiB.  It grows only for a block larger than itself. */
  bufferSize?: number;
}

export interface InterfaceOptions {
  name?: string;
  description?: string;
  linktype: number;
  snaplen: number;
  /** A libpcap filter expression (if_filter type 0). */
  filter?: string;
  os?: string;
  /** Nanosecond resolution is always written; the field only documents it. */
  tsresol?: 9;
}

export interface Timestamp { sec: number; nsec: number }

export interface InterfaceStats {
  ifRecv?: bigint | number;
  ifDrop?: bigint | number;
  /** Frames the capture filter accepted (isb_filteraccept). */
  filterAccept?: bigint | number;
  startTime?: Timestamp;
  endTime?: Timestamp;
  osDrop?: bigint | number;
  usrDeliv?: bigint | number;
  comment?: string;
}

const DEFAULT_BUFFER_SIZE = 1 << 20;
const SECTION_HEADER_FIELDS = 16; // magic, version 1.0, section length
const IDB_FIELDS = 8; // linktype, reserved, snaplen
const ISB_FIELDS = 12; // interface id, timestamp
const TSRESOL_NANOSECONDS = 9;
const FILTER_TYPE_LIBPCAP = 0;

export class PcapngWriter {
  private readonly buf: BlockBuffer;
  private interfaceCount = 0;
  /** Bytes the file already held at open (an fd opened for append), and bytes flushed since. */
  private fileStart = 0;
  private flushed = 0;
  private failure: XcapError | undefined;
  private closed = false;
  private produced = 0;

  private constructor(
    private readonly fd: number,
    private readonly ownsFd: boolean,
    private readonly targetName: string,
    opts: WriterOptions,
  ) {
    this.buf = new BlockBuffer(Math.max(64, opts.bufferSize ?? DEFAULT_BUFFER_SIZE));
    if (!ownsFd) this.fileStart = regularFileSize(fd) ?? 0;
    this.writeSectionHeader(opts);
  }

  /** fd (e.g. 1 for stdout, or an opened file) or a path (created/truncated). */
  static open(target: string | number, opts: WriterOptions = {}): PcapngWriter {
    if (typeof target === 'number') return new PcapngWriter(target, false, target === 1 ? 'stdout' : `fd ${target}`, opts);
    let fd: number;
    try {
      fd = openSync(target, 'w');
    } catch (err) {
      throw new CaptureFileError(target, `cannot create: ${describeSystemError(err)}`);
    }
    try {
      return new PcapngWriter(fd, true, target, opts);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Bytes of the blocks written so far, including those still in the buffer (the file size once flushed). */
  get bytesWritten(): number { return this.produced; }

  addInterface(o: InterfaceOptions): number {
    if (!isUint(o.linktype, 0xffff)) throw new XcapError(`pcapng interface: invalid link type ${o.linktype}`);
    if (!isUint(o.snaplen, 0xffffffff)) throw new XcapError(`pcapng interface: invalid snaplen ${o.snaplen}`);
    const options = stringOptionSize(o.name) + stringOptionSize(o.description) + optionSize(1)
      + stringOptionSize(o.filter, 1) + stringOptionSize(o.os) + END_OF_OPTIONS_SIZE;
    const total = BLOCK_OVERHEAD + IDB_FIELDS + options;
    const b = this.room(total);
    b.blockHeader(BlockType.InterfaceDescription, total);
    b.u16(o.linktype);
    b.u16(0);
    b.u32(o.snaplen);
    b.stringOption(OptionCode.IfName, o.name);
    b.stringOption(OptionCode.IfDescription, o.description);
    b.optionHeader(OptionCode.IfTsresol, 1);
    b.bytes[b.pos++] = TSRESOL_NANOSECONDS;
    b.pad();
    b.stringOption(OptionCode.IfFilter, o.filter, FILTER_TYPE_LIBPCAP);
    b.stringOption(OptionCode.IfOs, o.os);
    b.endOfOptions();
    this.endBlock(total);
    return this.interfaceCount++;
  }

  /** One EPB.  data.length === caplen must hold and caplen <= origlen; flags = epb_flags (direction bits 0-1). */
  writePacket(ifaceId: number, tsSec: number, tsNsec: number, data: Uint8Array, origlen: number, flags = 0, comments?: string[]): void {
    this.packet(ifaceId, tsSec, tsNsec, data, 0, data.length, origlen, flags, comments);
  }

  /**
   * EPBs for frames [from, to) of a batch, from each index entry and the
   * bytes at mem[dataPtr - memBase ...]; ifaceMap maps the entry's ifaceId to
   * the id addInterface returned.  The blocks go out with one write (more
   * only if they exceed the buffer), so a live capture's file keeps up.
   */
  writeBatch(index: FrameIndex, mem: Uint8Array, memBase: number, from: number, to: number,
    ifaceMap: ArrayLike<number>, commentsOf?: (i: number) => string[] | undefined): void {
    this.bufferBatch(index, mem, memBase, from, to, ifaceMap, commentsOf);
    this.flush();
  }

  /** writeBatch without the write: the blocks go out with the next flush, writeBlocks or close. */
  bufferBatch(index: FrameIndex, mem: Uint8Array, memBase: number, from: number, to: number,
    ifaceMap: ArrayLike<number>, commentsOf?: (i: number) => string[] | undefined): void {
    if (from < 0 || to > index.capacity) throw new XcapError(`pcapng batch: frames [${from}, ${to}) outside an index of ${index.capacity}`);
    const v = index.view;
    for (let i = from; i < to; i++) {
      const p = index.base + i * FRAME_ENTRY_SIZE;
      const entryIface = v.getUint16(p + FrameField.IfaceId, true);
      const ifaceId = ifaceMap[entryIface];
      if (ifaceId === undefined) throw new XcapError(`pcapng batch: frame ${i} is on interface ${entryIface}, which has no interface block`);
      this.packet(ifaceId, v.getFloat64(p + FrameField.TsSec, true), v.getUint32(p + FrameField.TsNsec, true), mem,
        v.getUint32(p + FrameField.DataPtr, true) - memBase, v.getUint32(p + FrameField.Caplen, true),
        v.getUint32(p + FrameField.Origlen, true), v.getUint16(p + FrameField.Flags, true), commentsOf?.(i));
    }
  }

  /**
   * Enhanced Packet Blocks already encoded (little-endian, as every block
   * this writer makes), e.g. by the capture program in the kernel; written
   * with one write after what is buffered, without being copied.  Each
   * block's lengths and interface are checked first, so a bad span never
   * leaves half a block behind.
   */
  writeBlocks(blocks: Uint8Array): void {
    const view = new DataView(blocks.buffer, blocks.byteOffset, blocks.byteLength);
    for (let at = 0; at < blocks.length;) {
      const total = blocks.length - at >= BLOCK_OVERHEAD + EPB_FIELDS ? view.getUint32(at + 4, true) : 0;
      if (total < BLOCK_OVERHEAD + EPB_FIELDS || total & 3 || at + total > blocks.length || view.getUint32(at, true) !== BlockType.EnhancedPacket || view.getUint32(at + total - 4, true) !== total) {
        throw new XcapError(`pcapng blocks: no whole Enhanced Packet Block at byte ${at} of ${blocks.length}`);
      }
      this.checkInterface(view.getUint32(at + 8, true), 'pcapng blocks');
      at += total;
    }
    this.flush();
    if (blocks.length === 0) return;
    this.writeOut(blocks);
    this.produced += blocks.length;
  }

  /** An ISB for the interface, stamped now unless a time is given. */
  writeStats(ifaceId: number, s: InterfaceStats, tsSec?: number, tsNsec = 0): void {
    this.checkInterface(ifaceId, 'pcapng statistics');
    const now = Date.now();
    const sec = tsSec ?? Math.floor(now / 1000);
    const nsec = tsSec === undefined ? (now % 1000) * 1e6 : tsNsec;
    checkTimestamp(sec, nsec, 'pcapng statistics');
    if (s.startTime) checkTimestamp(s.startTime.sec, s.startTime.nsec, 'pcapng statistics start time');
    if (s.endTime) checkTimestamp(s.endTime.sec, s.endTime.nsec, 'pcapng statistics end time');
    const counters = [s.ifRecv, s.ifDrop, s.filterAccept, s.osDrop, s.usrDeliv];
    let options = stringOptionSize(s.comment);
    for (const c of counters) if (c !== undefined) { checkCounter(c, 'pcapng statistics'); options += optionSize(8); }
    for (const t of [s.startTime, s.endTime]) if (t) options += optionSize(8);
    if (options > 0) options += END_OF_OPTIONS_SIZE;
    const total = BLOCK_OVERHEAD + ISB_FIELDS + options;
    const b = this.room(total);
    b.blockHeader(BlockType.InterfaceStatistics, total);
    b.u32(ifaceId);
    b.timestamp(sec, nsec);
    b.stringOption(OptionCode.Comment, s.comment);
    b.timestampOption(OptionCode.IsbStartTime, s.startTime);
    b.timestampOption(OptionCode.IsbEndTime, s.endTime);
    b.counterOption(OptionCode.IsbIfRecv, s.ifRecv);
    b.counterOption(OptionCode.IsbIfDrop, s.ifDrop);
    b.counterOption(OptionCode.IsbFilterAccept, s.filterAccept);
    b.counterOption(OptionCode.IsbOsDrop, s.osDrop);
    b.counterOption(OptionCode.IsbUsrDeliv, s.usrDeliv);
    if (options > 0) b.endOfOptions();
    this.endBlock(total);
  }

  flush(): void {
    this.checkUsable();
    const b = this.buf;
    if (b.pos === 0) return;
    this.writeOut(b.bytes.subarray(0, b.pos));
    b.pos = 0;
  }

  /** Writes whole blocks; on failure cuts a regular file back to its last whole block. */
  private writeOut(blocks: Uint8Array): void {
    try {
      writeAllSync(this.fd, blocks);
    } catch (err) {
      this.failure = (err as NodeJS.ErrnoException).code === 'EPIPE' ? new OutputClosed()
        : new XcapError(`write to ${this.targetName} failed: ${describeSystemError(err)}`);
      this.keepWholeBlocks(blocks);
      throw this.failure;
    }
    this.flushed += blocks.length;
  }

  /** Flushes and closes the fd if the writer opened it; safe to call twice.  After a failed write only closes. */
  close(): void {
    if (this.closed) return;
    try {
      if (!this.failure) this.flush();
    } finally {
      this.closed = true;
      if (this.ownsFd) closeSync(this.fd);
    }
  }

  private writeSectionHeader(opts: WriterOptions): void {
    const hardware = opts.hardware ?? cpus()[0]?.model;
    const os = opts.os ?? `${osType()} ${release()}`;
    const application = opts.application ?? xcapVersion();
    const options = stringOptionSize(opts.comment) + stringOptionSize(hardware) + stringOptionSize(os)
      + stringOptionSize(application) + END_OF_OPTIONS_SIZE;
    const total = BLOCK_OVERHEAD + SECTION_HEADER_FIELDS + options;
    const b = this.room(total);
    b.blockHeader(BlockType.SectionHeader, total);
    b.u32(BYTE_ORDER_MAGIC);
    b.u16(1);
    b.u16(0);
    b.u32(0xffffffff); // section length unknown: -1 as 64 bits
    b.u32(0xffffffff);
    b.stringOption(OptionCode.Comment, opts.comment);
    b.stringOption(OptionCode.ShbHardware, hardware);
    b.stringOption(OptionCode.ShbOs, os);
    b.stringOption(OptionCode.ShbUserAppl, application);
    b.endOfOptions();
    this.endBlock(total);
  }

  private packet(ifaceId: number, sec: number, nsec: number, src: Uint8Array, start: number, caplen: number,
    origlen: number, flags: number, comments: readonly string[] | undefined): void {
    // Checked before anything is emitted, so a bad frame never leaves half a block behind.
    this.checkInterface(ifaceId, 'pcapng packet');
    if (!isUint(origlen, 0xffffffff)) throw new XcapError(`pcapng packet: invalid original length ${origlen}`);
    if (caplen > origlen) throw new XcapError(`pcapng packet: captured length ${caplen} exceeds original length ${origlen}`);
    if (!(start >= 0) || start + caplen > src.length) throw new XcapError(`pcapng packet: ${caplen} bytes at ${start} lie outside the ${src.length}-byte frame memory`);
    checkTimestamp(sec, nsec, 'pcapng packet');
    if (!isUint(flags, 0xffffffff)) throw new XcapError(`pcapng packet: invalid flags ${flags}`);
    let options = commentsSize(comments);
    if (flags !== 0) options += optionSize(4);
    if (options > 0) options += END_OF_OPTIONS_SIZE;
    const total = BLOCK_OVERHEAD + EPB_FIELDS + pad4(caplen) + options;
    const b = this.room(total);
    b.blockHeader(BlockType.EnhancedPacket, total);
    b.u32(ifaceId);
    b.timestamp(sec, nsec);
    b.u32(caplen);
    b.u32(origlen);
    b.data(src, start, caplen);
    if (flags !== 0) {
      b.optionHeader(OptionCode.EpbFlags, 4);
      b.u32(flags);
    }
    b.comments(comments);
    if (options > 0) b.endOfOptions();
    this.endBlock(total);
  }

  /** The buffer, with room for a block of `size` bytes: flushed first if full, grown if the block alone is too big. */
  private room(size: number): BlockBuffer {
    this.checkUsable();
    if (this.buf.free < size) {
      this.flush();
      if (this.buf.free < size) this.buf.grow(size);
    }
    return this.buf;
  }

  private endBlock(total: number): void {
    this.buf.u32(total);
    this.produced += total;
  }

  private checkInterface(ifaceId: number, what: string): void {
    if (!isUint(ifaceId, this.interfaceCount - 1)) throw new XcapError(`${what}: no interface ${ifaceId} (${this.interfaceCount} added)`);
  }

  private checkUsable(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error(`pcapng writer for ${this.targetName} used after close`);
  }

  /**
   * After a failed write the file may end inside a block.  A regular file is
   * cut back to the last whole block so what is left is a readable capture;
   * a pipe cannot be, and its reader sees the stream end mid-block.
   */
  private keepWholeBlocks(blocks: Uint8Array): void {
    const size = regularFileSize(this.fd);
    if (size === undefined) return;
    const view = new DataView(blocks.buffer, blocks.byteOffset, blocks.byteLength);
    const partial = size - this.fileStart - this.flushed;
    let keep = 0;
    while (keep < blocks.length) {
      const next = keep + view.getUint32(keep + 4, true);
      if (next > partial) break;
      keep = next;
    }
    try {
      ftruncateSync(this.fd, this.fileStart + this.flushed + keep);
    } catch {
      // The write error is the one to report.
    }
  }
}

function isUint(v: number, max: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= max;
}

function regularFileSize(fd: number): number | undefined {
  try {
    const st = fstatSync(fd);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

let application: string | undefined;
/** "xcap <version>" from the nearest package.json named xcap (the compiled file sits deeper than the source). */
function xcapVersion(): string {
  if (application !== undefined) return application;
  application = 'xcap';
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'xcap' && typeof pkg.version === 'string') {
        application = `xcap ${pkg.version}`;
        break;
      }
    } catch {
      // No readable package.json here: look one level up.
    }
  }
  return application;
}
