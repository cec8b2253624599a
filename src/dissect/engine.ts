/**
 * The Wasm dissector host.  One instance dissects batches of frames that the
 * caller placed in its arena and indexed in its frame index, and writes text
 * into its output region, which the engine hands to a sink whenever it fills.
 *
 * The module imports its memory, so that after a trap (a dissector bug) a
 * fresh instance can be started over the same memory: the frames of the
 * batch stay where they are, the trapping frame is reported, and the batch
 * goes on from the next frame.
 */
import { readFileSync } from 'node:fs';
import { FrameIndex } from '../pcap/frame-index.js';
import type { PcapngWriter } from '../pcap/pcapng-writer.js';
import type { XskIndexer } from '../kernel/afxdp-socket.js';
import { encode as encodeDisplayFilter, type Program as DisplayFilter } from '../display-filter/program.js';
import { XcapError } from '../errors.js';
import { localTimeZone, type TimeZone } from './time-zone.js';

export enum OutputMode {
  None = 0,
  Summary = 1,
  Fields = 2,
  Json = 3,
  Ek = 4,
  Tree = 5,
  /** One JSON document per line (the EK document without its index line). */
  JsonLines = 6,
  /**
   * For statistics (read -z): per frame, its top-level layers colon-joined,
   * then the separator and the fields of the FieldsConfig, as -T fields prints them.
   */
  Stats = 7,
}

/** Which reading the dissectors are in (the module's ReadPass): one pass, or the first or second of -2. */
export enum ReadPass {
  Single = 0,
  /** Dissects without output, noting what the second pass will want to know about frames ahead. */
  First = 1,
  /** Prints, reading the first pass's notes. */
  Second = 2,
}

export interface FieldInfo {
  id: number;
  name: string;
  label: string;
  type: number;
  protocol: string;
}

export interface FieldsConfig {
  fields: number[];
  separator: string;
  aggregator: string;
  occurrence: 'a' | 'f' | 'l';
  /** Put around each value that is not empty (-E quote=); '' for none. */
  quote?: string;
}

interface Exports {
  init(maxFrames: number, arenaBytes: number, outBytes: number): void;
  indexPtr(): number;
  heapBase(): number;
  arenaPtr(): number;
  arenaLen(): number;
  outPtr(): number;
  outLen(): number;
  outReset(): void;
  setMode(m: number): void;
  setHexDump(on: number): void;
  wantField(f: number): void;
  resetStream(): void;
  wantAll(): void;
  wantNone(): void;
  fieldsConfigure(sep: number, agg: number, occ: number, quote: number): void;
  fieldsAdd(f: number): void;
  dumpFields(): number;
  dissectBatch(from: number, count: number, firstNumber: number): number;
  progressPtr(): number;
  debugTrapAt(n: number): void;
  setTimeOrigin(sec: number, nsec: number): void;
  setJsonContinued(): void;
  truncatedCount(): number;
  malformedCount(): number;
  encodeEpbs(indexBase: number, from: number, to: number): number;
  epbBlocksPtr(): number;
  epbBlocksLen(): number;
  epbMapPtr(): number;
  epbMapEntries(): number;
  indexXskFrames(n: number, indexBase: number, first: number, umemBase: number, chunkSize: number, ifaceId: number,
    snaplen: number, taiOffsetSec: number, nowSec: number, nowNsec: number): number;
  xskScratchPtr(): number;
  xskScratchDescriptors(): number;
  passedPtr(): number;
  displayFilterPtr(): number;
  displayFilterSize(): number;
  setDisplayFilter(code: number, words: number, tests: number): void;
  clearDisplayFilter(): void;
  tzTransitionsPtr(): number;
  tzTransitionTypesPtr(): number;
  tzOffsetsPtr(): number;
  tzNamesPtr(): number;
  tzCapacity(): number;
  tzSetCounts(transitions: number, types: number): void;
  setTimeColumn(format: number, hms: number): void;
  columnFieldBase(): number;
  setReadPass(pass: number): void;
}

/** tshark's -t: the Time column's formats, numbered as the module's TimeFormat. */
export const TIME_FORMATS = ['r', 'a', 'ad', 'adoy', 'd', 'dd', 'e', 'u', 'ud', 'udoy'] as const;
export type TimeFormat = typeof TIME_FORMATS[number];

/** The columns -T fields prints as _ws.col.NAME: tshark's defaults, in the module's Column order. */
const COLUMN_FIELDS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];
const COLUMN_PREFIX = '_ws.col.';

export interface EngineOptions {
  maxFrames?: number;
  arenaBytes?: number;
  outBytes?: number;
  /**
   * Bytes of linear memory to set aside at start-up for frames that others
   * write in place (an AF_XDP UMEM): 64 KiB aligned, never moved or grown,
   * at reservedBase.
   */
  reservedBytes?: number;
}

const WASM_PAGE = 65536;
/** An interface the Wasm EPB encoder has no block id for. */
const NO_INTERFACE = 0xffffffff;

export type Sink = (text: Uint8Array) => void;

const WASM_URL = new URL('../../dissectors.wasm', import.meta.url);

let compiled: WebAssembly.Module | undefined;
const utf8 = new TextDecoder();

function wasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(WASM_URL));
  return compiled;
}

export class DissectorEngine {
  private exports!: Exports;
  private bytes!: Uint8Array;
  private readonly memory = new WebAssembly.Memory({ initial: 64 });
  private mode = OutputMode.Summary;
  private hexDump = false;
  private fieldsConfig: FieldsConfig | undefined;
  private trapAt = 0;
  private originSet = false;
  private originSec = 0;
  private originNsec = 0;
  private wroteOutput = false;
  private timeFormat: TimeFormat = 'r';
  private timeHms = false;
  private readPass = ReadPass.Single;
  private fieldList: FieldInfo[] | undefined;
  private fieldsByName: Map<string, FieldInfo> | undefined;
  private displayFilter: DisplayFilter | undefined;
  private passed!: Uint8Array;
  private epbMap!: Uint32Array;
  /** Entries of epbMap the last writeEpbs may have set; the rest hold NO_INTERFACE. */
  private epbMapped = 0;
  /** Frames on which a dissector trapped (the run went on after each). */
  trappedFrames: number[] = [];
  index!: FrameIndex;
  /** Address of the opts.reservedBytes region (0 when none was asked for). */
  reservedBase = 0;

  constructor(private readonly opts: EngineOptions = {}) {
    this.instantiate();
  }

  private instantiate(): void {
    const regexTest = (id: number, ptr: number, len: number): number =>
      (this.displayFilter?.regexes[id].test(utf8.decode(this.bytes.subarray(ptr, ptr + len))) ? 1 : 0);
    const instance = new WebAssembly.Instance(wasmModule(), { env: { memory: this.memory, regexTest } });
    this.exports = instance.exports as unknown as Exports;
    (instance.exports._initialize as () => void)();
    const o = this.opts;
    this.exports.init(o.maxFrames ?? 8192, o.arenaBytes ?? 6 * 1024 * 1024, o.outBytes ?? 4 * 1024 * 1024);
    // The reserved region goes after everything init() laid out.  A fresh
    // instance after a trap lays out the same regions again, below it, and
    // does not grow memory: the region's address and contents stay.
    if (o.reservedBytes && this.reservedBase === 0) {
      this.reservedBase = this.memory.grow(Math.ceil(o.reservedBytes / WASM_PAGE)) * WASM_PAGE;
    }
    // init() and the reservation grow memory: views must be made after them, and never again.
    this.bytes = new Uint8Array(this.memory.buffer);
    this.index = new FrameIndex(new DataView(this.memory.buffer), this.exports.indexPtr(), o.maxFrames ?? 8192);
    this.epbMap = new Uint32Array(this.memory.buffer, this.exports.epbMapPtr(), this.exports.epbMapEntries());
    this.passed = new Uint8Array(this.memory.buffer, this.exports.passedPtr(), this.index.capacity);
    this.loadTimeZone();
    this.exports.outReset();
    this.applyConfig();
  }

  /** Copies the host's time zone rules in, for frame.time (local time, as tshark prints it). */
  private loadTimeZone(): void {
    const x = this.exports;
    const zone = hostTimeZone();
    if (!zone) { x.tzSetCounts(0, 0); return; }
    const capacity = x.tzCapacity();
    const n = Math.min(zone.transitions.length, capacity >>> 16);
    const types = Math.min(zone.offsets.length, capacity & 0xffff);
    const buffer = this.memory.buffer;
    new BigInt64Array(buffer, x.tzTransitionsPtr(), n).set(zone.transitions.slice(0, n));
    new Uint8Array(buffer, x.tzTransitionTypesPtr(), n).set(zone.transitionTypes.slice(0, n));
    new Int32Array(buffer, x.tzOffsetsPtr(), types).set(zone.offsets.slice(0, types));
    const names = new Uint8Array(buffer, x.tzNamesPtr(), types * 8);
    for (let t = 0; t < types; t++) {
      const name = Buffer.from(zone.names[t], 'latin1').subarray(0, 7);
      names[t * 8] = name.length;
      names.set(name, t * 8 + 1);
    }
    x.tzSetCounts(n, types);
  }

  private applyConfig(): void {
    const x = this.exports;
    x.setMode(this.mode);
    x.setHexDump(this.hexDump ? 1 : 0);
    x.resetStream();
    x.debugTrapAt(this.trapAt);
    x.setTimeColumn(TIME_FORMATS.indexOf(this.timeFormat), this.timeHms ? 1 : 0);
    x.setReadPass(this.readPass);
    if (this.originSet) x.setTimeOrigin(this.originSec, this.originNsec);
    if (this.wroteOutput) x.setJsonContinued();
    this.applyDisplayFilter();
    this.applyWantedFields(this.mode);
  }

  private applyDisplayFilter(): void {
    const x = this.exports;
    if (!this.displayFilter) { x.clearDisplayFilter(); return; }
    const at = encodeDisplayFilter(this.displayFilter, this.bytes, x.displayFilterPtr(), x.displayFilterSize());
    if (!at) throw new XcapError(`the display filter needs more than the ${x.displayFilterSize()} bytes the dissectors set aside for it`, 2);
    x.setDisplayFilter(at.code, at.words, at.tests);
  }

  /**
   * Frames are then dissected and judged by the filter (tshark's -Y):
   * only those it passes print, and passed() says which they were.
   */
  setDisplayFilter(filter: DisplayFilter | undefined): void {
    this.displayFilter = filter;
    this.applyDisplayFilter();
    this.applyWantedFields(this.mode);
  }

  /** After dissect(): 1 at frame i of the batch if the display filter passed it (or there is none). */
  passedFrames(count: number): Uint8Array { return this.passed.subarray(0, count); }

  /**
   * Field occurrences are recorded only for what the output prints: the
   * requested fields for -T fields, every field for JSON, EK and the tree,
   * none for summary lines (their columns are not fields) or no output;
   * and the fields a display filter reads.
   */
  private applyWantedFields(mode: OutputMode): void {
    const x = this.exports;
    if ((mode === OutputMode.Fields || mode === OutputMode.Stats) && this.fieldsConfig) {
      const c = this.fieldsConfig;
      x.wantNone();
      x.fieldsConfigure(c.separator.charCodeAt(0), c.aggregator.charCodeAt(0), c.occurrence.charCodeAt(0), c.quote ? c.quote.charCodeAt(0) : 0);
      // tshark prints a field -e names twice in the last of its columns only, the others empty.
      const empty = x.columnFieldBase() + COLUMN_FIELDS.length;
      c.fields.forEach((f, i) => x.fieldsAdd(mode === OutputMode.Fields && c.fields.indexOf(f, i + 1) >= 0 ? empty : f));
    } else if (mode === OutputMode.None || mode === OutputMode.Summary) {
      x.wantNone();
    } else {
      x.wantAll();
    }
    for (const f of this.displayFilter?.fields ?? []) x.wantField(f);
  }

  /** The frame arena: the reader puts frame bytes here; byte i is at address arenaBase + i. */
  get arena(): Uint8Array {
    return this.bytes.subarray(this.exports.arenaPtr(), this.exports.arenaPtr() + this.exports.arenaLen());
  }
  get arenaBase(): number { return this.exports.arenaPtr(); }
  /** All of linear memory; frame addresses in the index are offsets into it. */
  get memoryBytes(): Uint8Array { return this.bytes; }

  /** Test hook: the tables the module made at start (tables.ts), up to the regions init() laid out. */
  startTimeTables(): Uint8Array {
    return this.bytes.subarray(this.exports.heapBase(), this.exports.indexPtr());
  }
  get capacity(): number { return this.index.capacity; }

  /** The module's side of AF_XDP capture: RX descriptors to index entries, without JS per frame. */
  xskIndexer(): XskIndexer {
    const scratch = new Uint32Array(this.memory.buffer, this.exports.xskScratchPtr(), this.exports.xskScratchDescriptors() * 4);
    // this.exports, not a copy: an instance renewed after a trap has the same layout.
    return {
      scratch,
      index: (n, first, umemBase, chunkSize, ifaceId, snaplen, taiOffsetSec, nowSec, nowNsec) => this.exports.indexXskFrames(
        n, this.index.base, first, umemBase, chunkSize, ifaceId, snaplen, taiOffsetSec, nowSec, nowNsec),
    };
  }

  /**
   * Writes frames [from, to) of the batch as Enhanced Packet Blocks, the
   * same bytes writer.writeBatch makes: the Wasm module encodes them where
   * they lie and the writer takes the blocks whole.  A frame the module
   * leaves (one with comments, an interface past its map, a length or time
   * out of range) is encoded by the writer, which also names what is wrong.
   */
  writeEpbs(writer: PcapngWriter, from: number, to: number, ifaceMap: ArrayLike<number>,
    commentsOf?: (i: number) => string[] | undefined): void {
    const x = this.exports;
    const map = this.epbMap;
    const mapped = Math.min(ifaceMap.length, map.length);
    for (let k = 0; k < Math.max(mapped, this.epbMapped); k++) map[k] = k < mapped ? ifaceMap[k] ?? NO_INTERFACE : NO_INTERFACE;
    this.epbMapped = mapped;
    const blocks = x.epbBlocksPtr();
    for (let i = from; i < to;) {
      let end = to;
      if (commentsOf) for (end = i; end < to && !commentsOf(end); end++);
      while (i < end) {
        const n = x.encodeEpbs(this.index.base, i, end);
        if (n === 0) break;
        writer.writeBlocks(this.bytes.subarray(blocks, blocks + x.epbBlocksLen()));
        i += n;
      }
      if (i < to) writer.bufferBatch(this.index, this.bytes, 0, i, ++i, ifaceMap, commentsOf);
    }
    writer.flush();
  }

  setMode(mode: OutputMode, fields?: FieldsConfig): void {
    this.mode = mode;
    this.originSet = false;
    this.wroteOutput = false;
    this.fieldsConfig = fields;
    this.applyConfig();
  }

  /** tshark's -t and -u: how the Time column shows a frame's time (summary lines and _ws.col.Time). */
  setTimeFormat(format: TimeFormat, hoursMinutes: boolean): void {
    this.timeFormat = format;
    this.timeHms = hoursMinutes;
    this.exports.setTimeColumn(TIME_FORMATS.indexOf(format), hoursMinutes ? 1 : 0);
  }

  /**
   * Starts a reading pass (-2 reads twice).  The first pass forgets the
   * notes of any earlier one; they survive setMode() and everything else
   * that starts a new stream, for the second pass.
   */
  setReadPass(pass: ReadPass): void {
    this.readPass = pass;
    this.exports.setReadPass(pass);
  }

  /** -x: each frame's bytes, as tshark dumps them, after its summary line or tree (alone in OutputMode.None). */
  setHexDump(on: boolean): void {
    this.hexDump = on;
    this.exports.setHexDump(on ? 1 : 0);
  }

  /** Test hook: makes the dissector trap on frame number n. */
  debugTrapAt(n: number): void {
    this.trapAt = n;
    this.exports.debugTrapAt(n);
  }

  get truncatedPackets(): number { return this.exports.truncatedCount(); }
  get malformedPackets(): number { return this.exports.malformedCount(); }

  fields(): FieldInfo[] {
    if (!this.fieldList) {
      const len = this.exports.dumpFields();
      const text = Buffer.from(this.bytes.buffer, this.exports.outPtr(), len).toString('utf8');
      this.exports.outReset();
      this.fieldList = text.split('\n').filter(Boolean).map((line, id) => {
        const [name, label, type, protocol] = line.split('\t');
        return { id, name, label, type: Number(type), protocol };
      });
    }
    return this.fieldList;
  }

  field(name: string): FieldInfo | undefined {
    this.fieldsByName ??= new Map(this.fields().map((f) => [f.name, f]));
    return this.fieldsByName.get(name);
  }

  fieldId(name: string): number | undefined {
    return this.field(name)?.id;
  }

  /**
   * What -T fields takes for -e: a field, or a column (_ws.col.Info and the
   * like).  Like tshark, a column name it does not have is taken and printed
   * empty; `unknownColumn` says so.
   */
  outputFieldId(name: string): { id: number; unknownColumn: boolean } | undefined {
    if (!name.startsWith(COLUMN_PREFIX)) {
      const id = this.fieldId(name);
      return id === undefined ? undefined : { id, unknownColumn: false };
    }
    const column = COLUMN_FIELDS.indexOf(name);
    return { id: this.exports.columnFieldBase() + (column < 0 ? COLUMN_FIELDS.length : column), unknownColumn: column < 0 };
  }

  /** The column names -e takes, for messages. */
  static get columnFields(): readonly string[] { return COLUMN_FIELDS; }

  /**
   * Dissects frames [0, count) of the current batch, numbered from
   * firstNumber, passing output to `sink` as the region fills and at the end.
   */
  dissect(count: number, firstNumber: number, sink: Sink): void {
    if (!this.originSet && count > 0) {
      this.originSet = true;
      this.originSec = this.index.tsSec(0);
      this.originNsec = this.index.tsNsec(0);
      this.exports.setTimeOrigin(this.originSec, this.originNsec);
    }
    let from = 0;
    while (from < count) {
      try {
        from = this.exports.dissectBatch(from, count, firstNumber + from);
        this.flush(sink);
      } catch (err) {
        if (!(err instanceof WebAssembly.RuntimeError)) throw err;
        from = this.recoverFromTrap(firstNumber, sink);
      }
    }
  }

  /** Dissects the same batch once more in another output mode (not Fields). */
  dissectAs(mode: OutputMode, count: number, firstNumber: number, sink: Sink): void {
    const saved = this.mode;
    this.exports.setMode(mode);
    this.applyWantedFields(mode);
    this.mode = mode;
    try {
      this.dissect(count, firstNumber, sink);
    } finally {
      this.mode = saved;
      this.exports.setMode(saved);
      this.applyWantedFields(saved);
    }
  }

  private flush(sink: Sink): void {
    const len = this.exports.outLen();
    if (len > 0) {
      sink(this.bytes.subarray(this.exports.outPtr(), this.exports.outPtr() + len));
      this.wroteOutput = true;
    }
    this.exports.outReset();
  }

  /** After a trap: keep the output of the frames before it, start a fresh instance, go on after it. */
  private recoverFromTrap(batchFirstNumber: number, sink: Sink): number {
    const progress = new DataView(this.memory.buffer, this.exports.progressPtr(), 8);
    const frame = progress.getUint32(0, true);
    const committed = progress.getUint32(4, true);
    if (committed > 0) {
      sink(this.bytes.subarray(this.exports.outPtr(), this.exports.outPtr() + committed));
      this.wroteOutput = true;
    }
    const number = batchFirstNumber + frame;
    this.trappedFrames.push(number);
    // The module's tables (tables.ts) count on zeroed memory; the frames of the batch above them stay.
    this.bytes.fill(0, this.exports.heapBase(), this.exports.indexPtr());
    this.instantiate();
    const line = this.mode === OutputMode.Summary ? `${String(number).padStart(5)} [Malformed Packet: dissector trapped]\n`
      : this.mode === OutputMode.Fields ? '\n' : '';
    if (line) sink(Buffer.from(line));
    return frame + 1;
  }
}

let cachedZone: TimeZone | undefined | null = null;

/** The host's zone, read once per process. */
function hostTimeZone(): TimeZone | undefined {
  if (cachedZone === null) cachedZone = localTimeZone();
  return cachedZone;
}
