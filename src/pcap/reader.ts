/**
 * Streams a pcap or pcapng file (plain, gzip-compressed, or standard input)
 * into the caller's arena and fills the caller's frame index batch by batch,
 * without allocating per packet.
 *
 * Memory stays bounded: the file is read in chunks into the arena; a record
 * not yet complete at the end of the arena is moved to its start before the
 * next read.  A batch's frame bytes therefore stay valid only until the next
 * call to nextBatch().  Copy what must outlive the batch.
 */
import { CaptureFileError, XcapError } from '../errors.js';
import type { FrameIndex } from './frame-index.js';
import { ArenaScan, MAX_RECORD, PCAP_HEADER_SIZE, indexPcapRecords, isPcapMagic, parsePcapHeader, type PcapHeader } from './pcap-format.js';
import { BlockType } from './pcapng-blocks.js';
import { PcapngScanner, hex } from './pcapng-format.js';
import { SourceError, openSource, type ByteSource } from './source.js';
import type { Timestamp } from './timestamp.js';

export type { Timestamp };

export interface InterfaceInfo {
  linktype: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** if_filter when it is a libpcap filter string. */
  filter?: string;
  os?: string;
  hardware?: string;
  /** The raw if_tsresol byte (6 when absent). */
  tsresol: number;
  /** Bytes of FCS at the end of each frame, when known. */
  fcsLen?: number;
}

export interface SectionInfo {
  byteOrder: 'little' | 'big';
  hardware?: string;
  os?: string;
  application?: string;
  comments: string[];
}

/** The latest Interface Statistics Block of an interface. */
export interface InterfaceStatistics {
  ifaceId: number;
  /** When the statistics were taken (the block's own timestamp). */
  time: Timestamp;
  startTime?: Timestamp;
  endTime?: Timestamp;
  ifRecv?: bigint;
  ifDrop?: bigint;
  filterAccept?: bigint;
  osDrop?: bigint;
  usrDeliv?: bigint;
  comment?: string;
}

export interface ReaderOptions {
  /** Where frame bytes are read to; byte i is at address arenaBase + i. */
  arena: Uint8Array;
  arenaBase: number;
  index: FrameIndex;
  /** Bytes asked for per read (default 1 MiB); tests make it small to split records across reads. */
  chunkSize?: number;
}

export interface CaptureReader {
  readonly format: 'pcap' | 'pcapng';
  readonly compressed: boolean;
  /** Grows as interface blocks are met; a pcap file has exactly one. */
  readonly interfaces: readonly InterfaceInfo[];
  /** One per pcapng section header; a pcap file has one, giving its byte order. */
  readonly sections: readonly SectionInfo[];
  /** The latest statistics block of each interface that had one (its counters are cumulative; keeping one bounds memory). */
  readonly statistics: readonly InterfaceStatistics[];
  /**
   * Indexes up to index.capacity frames from entry 0; resolves to the count,
   * 0 at the end of the file.  The frames' bytes are valid until the next call.
   */
  nextBatch(): Promise<number>;
  /** The comments of frame i of the current batch, if it has any. */
  comments(i: number): string[] | undefined;
  /** Problems met (a record cut short, a damaged block); the caller shows them as warnings. */
  readonly warnings: readonly string[];
  close(): void;
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;
/** The arena must hold a record of this size plus one read chunk. */
export const MIN_RECORD_ROOM = 4 << 20;
const MAGIC_SIZE = 4;

export async function openCapture(path: string, opts: ReaderOptions): Promise<CaptureReader> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new XcapError(`capture reader: bad chunk size ${chunkSize}`);
  const needed = MIN_RECORD_ROOM + chunkSize;
  if (opts.arena.length < needed) throw new XcapError(`capture reader: the arena has ${opts.arena.length} bytes, at least ${needed} are needed`);
  if (opts.index.capacity < 1) throw new XcapError('capture reader: the frame index has no room');
  const name = path === '-' ? 'standard input' : path;
  const reader = new StreamedCaptureReader(name, await openSource(path, name), opts, chunkSize);
  try {
    await reader.open();
  } catch (err) {
    reader.close();
    throw err;
  }
  return reader;
}

class StreamedCaptureReader implements CaptureReader {
  format: 'pcap' | 'pcapng' = 'pcap';
  readonly warnings: string[] = [];
  private readonly scan: ArenaScan;
  private pcapHeader: PcapHeader | undefined;
  private pcapInterfaces: InterfaceInfo[] = [];
  private pcapSections: SectionInfo[] = [];
  private pcapng: PcapngScanner | undefined;
  private opening = true;
  private eof = false;
  private finished = false;
  /** Compressed input that stopped early: the file is cut short even if it stopped between records. */
  private sourceTruncated = false;
  private sourceFailed = false;
  /** File offset of arena[0], for naming where damage is. */
  private arenaFileOffset = 0;

  constructor(
    private readonly name: string,
    private readonly source: ByteSource,
    opts: ReaderOptions,
    private readonly chunkSize: number,
  ) {
    this.scan = new ArenaScan(opts.arena, opts.arenaBase, opts.index, Math.min(opts.arena.length, MAX_RECORD));
  }

  get compressed(): boolean { return this.source.compressed; }
  get interfaces(): readonly InterfaceInfo[] { return this.pcapng?.interfaces ?? this.pcapInterfaces; }
  get sections(): readonly SectionInfo[] { return this.pcapng?.sections ?? this.pcapSections; }
  get statistics(): readonly InterfaceStatistics[] { return this.pcapng?.statistics ?? []; }

  comments(i: number): string[] | undefined {
    return this.pcapng?.comments.get(i);
  }

  async open(): Promise<void> {
    const s = this.scan;
    await this.fill(MAGIC_SIZE);
    const have = s.end - s.pos;
    if (have === 0) throw this.notCapture('it is empty');
    if (have < MAGIC_SIZE) throw this.notCapture(`it has only ${have} bytes`);
    const magic = s.view.getUint32(0, true);
    if (magic === BlockType.SectionHeader) await this.openPcapng();
    else if (isPcapMagic(magic)) await this.openPcap();
    else throw this.notCapture(`unknown magic 0x${hex(s.view.getUint32(0, false))}`);
    this.opening = false;
  }

  async nextBatch(): Promise<number> {
    const s = this.scan;
    s.slot = 0;
    this.pcapng?.comments.clear();
    while (!this.finished) {
      if (this.pcapHeader) indexPcapRecords(s, this.pcapHeader);
      else this.pcapng!.indexRecords();
      if (s.damage !== undefined) {
        this.finish(`appears to be damaged or corrupt (${s.damage}, at byte ${this.arenaFileOffset + s.pos})`);
      } else if (s.indexFull) {
        break;
      } else if (this.eof) {
        const cutShort = (s.pos < s.end || this.pcapng?.midBlock || this.sourceTruncated) && !this.sourceFailed;
        this.finish(cutShort ? 'appears to have been cut short in the middle of a packet' : undefined);
      } else if (s.arena.length - s.end < this.chunkSize && s.slot > 0) {
        break; // the frames indexed so far must stay where they are until the next batch
      } else {
        if (s.arena.length - s.end < this.chunkSize) this.compact();
        await this.readMore();
      }
    }
    return s.slot;
  }

  close(): void {
    this.finished = true;
    this.source.close();
  }

  private async openPcap(): Promise<void> {
    const s = this.scan;
    await this.fill(PCAP_HEADER_SIZE);
    if (s.end < PCAP_HEADER_SIZE) throw new CaptureFileError(this.name, `the pcap file header is cut short (${s.end} of ${PCAP_HEADER_SIZE} bytes)`);
    const header = parsePcapHeader(s.view, 0);
    if (typeof header === 'string') throw new CaptureFileError(this.name, header);
    this.pcapHeader = header;
    this.pcapInterfaces = [{
      linktype: header.linktype, snaplen: header.snaplen, tsresol: header.nanosecond ? 9 : 6,
      ...(header.fcsLen === undefined ? {} : { fcsLen: header.fcsLen }),
    }];
    this.pcapSections = [{ byteOrder: header.littleEndian ? 'little' : 'big', comments: [] }];
    s.pos = PCAP_HEADER_SIZE;
  }

  private async openPcapng(): Promise<void> {
    const s = this.scan;
    this.format = 'pcapng';
    this.pcapng = new PcapngScanner(s);
    while (!this.pcapng.readFirstSection()) {
      if (s.damage !== undefined) throw new CaptureFileError(this.name, s.damage);
      if (this.eof) throw new CaptureFileError(this.name, 'the pcapng section header is cut short');
      await this.readMore();
    }
  }

  private async fill(bytes: number): Promise<void> {
    while (this.scan.end - this.scan.pos < bytes && !this.eof) await this.readMore();
  }

  private async readMore(): Promise<void> {
    const s = this.scan;
    const room = Math.min(this.chunkSize, s.arena.length - s.end);
    // Unreachable while scanners reject records longer than the arena; a 0-byte read would look like the end.
    if (room === 0) throw new Error('capture reader: no room left in the arena');
    let n = 0;
    try {
      n = await this.source.read(s.arena, s.end, room);
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      if (this.opening) throw new CaptureFileError(this.name, err.message);
      if (err.truncated) this.sourceTruncated = true;
      else {
        this.sourceFailed = true;
        this.warn(err.message);
      }
    }
    if (n === 0) this.eof = true;
    s.end += n;
  }

  /** Moves the bytes not yet used to the start of the arena. */
  private compact(): void {
    const s = this.scan;
    if (s.pos === 0) return;
    s.arena.copyWithin(0, s.pos, s.end);
    this.arenaFileOffset += s.pos;
    s.end -= s.pos;
    s.pos = 0;
  }

  private finish(problem: string | undefined): void {
    if (problem !== undefined) this.warn(problem);
    this.finished = true;
  }

  private warn(problem: string): void {
    this.warnings.push(`${this.name}: ${problem}`);
  }

  private notCapture(why: string): CaptureFileError {
    return new CaptureFileError(this.name, `not a pcap or pcapng file (${why})`);
  }
}
