/**
 * Replays a capture file: the reader fills the engine's arena batch by batch,
 * the engine dissects each batch and writes text, and an optional pcapng
 * writer copies the frames out.  Frames are never copied or turned into JS
 * objects one by one.
 */
import { openCapture, type CaptureReader } from '../pcap/reader.js';
import { UsageError } from '../errors.js';
import { PcapngWriter } from '../pcap/pcapng-writer.js';
import { DissectorEngine, OutputMode, ReadPass, type FieldsConfig, type Sink } from '../dissect/engine.js';
import type { BatchFilter } from '../filter/batch-filter.js';

export interface ReplayOptions {
  path: string;
  mode: OutputMode;
  fields?: FieldsConfig;
  /** Stop after this many frames. */
  count?: number;
  /** Also write the frames read to this pcapng file ('-' for stdout). */
  writePath?: string;
  sink: Sink;
  engine?: DissectorEngine;
  /** Only frames matching this tcpdump expression are counted, printed and written. */
  filter?: string;
  /**
   * A display filter (tshark -Y): every frame is dissected, keeping its
   * number and feeding the state later frames see, but only those it passes
   * are printed and written.
   */
  displayFilter?: string;
  /** -x: each frame's bytes after its output (alone in OutputMode.None). */
  hexDump?: boolean;
  /**
   * tshark's -2: a first pass dissects every frame without output, so that
   * the second, which prints, knows what later frames answer (a request's
   * response).  The capture is read twice: not from standard input.
   */
  twoPass?: boolean;
}

/** Why -2 cannot read standard input. */
export const TWO_PASS_NEEDS_FILE = '-2 reads the capture twice, which standard input cannot be: give a file with -r';

export interface ReplayResult {
  /** Frames that went through (with a filter: those that matched; with a display filter: those it passed). */
  frames: number;
  /** Frames read from the file, matching or not (as far as reading went). */
  framesRead: number;
  truncatedPackets: number;
  malformedPackets: number;
  trappedFrames: number[];
  warnings: string[];
}

export async function replay(opts: ReplayOptions): Promise<ReplayResult> {
  const engine = opts.engine ?? new DissectorEngine();
  if (opts.twoPass) await firstPass(opts, engine);
  engine.setMode(opts.mode, opts.fields);
  engine.setHexDump(opts.hexDump ?? false);
  const prints = opts.mode !== OutputMode.None || !!opts.hexDump;
  // An empty display filter passes everything, as tshark's does.
  const displayFilter = opts.displayFilter?.trim() ? opts.displayFilter : undefined;
  engine.setDisplayFilter(displayFilter === undefined ? undefined
    : (await import('../display-filter/compile.js')).compileDisplayFilter(displayFilter, (name) => engine.field(name)));
  const reader = await openCapture(opts.path, { arena: engine.arena, arenaBase: engine.arenaBase, index: engine.index });
  let writer: PcapngWriter | undefined;
  let frames = 0;
  let framesRead = 0;
  let filter: BatchFilter | undefined;
  const displayed = displayFilter !== undefined ? new Int32Array(engine.index.capacity) : undefined;
  let passed = 0;
  const positionRead = (i: number): number => (filter ? filter.kept[i] : i);
  const commentsOf = (i: number): string[] | undefined => reader.comments(positionRead(displayed ? displayed[i] : i));
  try {
    filter = await openFilter(opts, engine, reader);
    writer = opts.writePath ? openWriter(opts.writePath, reader) : undefined;
    const ifaceMap: number[] = [];
    for await (const batch of batches(reader, engine, filter, opts.count)) {
      framesRead += batch.read;
      const n = batch.kept;
      if (writer) addNewInterfaces(writer, reader, ifaceMap, opts.filter);
      if (n === 0) continue;
      if (displayed) {
        engine.dissect(n, frames + 1, opts.sink);
        const passedFrames = engine.passedFrames(n);
        const m = engine.index.keepWhere(n, (i) => passedFrames[i] !== 0, displayed);
        if (writer) engine.writeEpbs(writer, 0, m, ifaceMap, commentsOf);
        passed += m;
      } else {
        if (writer) engine.writeEpbs(writer, 0, n, ifaceMap, commentsOf);
        if (prints) engine.dissect(n, frames + 1, opts.sink);
      }
      frames += n;
    }
    if (writer) {
      addNewInterfaces(writer, reader, ifaceMap, opts.filter);
      for (const s of reader.statistics) {
        const id = ifaceMap[s.ifaceId];
        if (id !== undefined) writer.writeStats(id, s);
      }
    }
  } finally {
    writer?.close();
    reader.close();
    engine.setReadPass(ReadPass.Single);
  }
  return {
    frames: displayed ? passed : frames,
    framesRead,
    truncatedPackets: engine.truncatedPackets,
    malformedPackets: engine.malformedPackets,
    trappedFrames: engine.trappedFrames,
    warnings: [...reader.warnings],
  };
}

/** -2's first pass: the frames the second will print, dissected in order without output. */
async function firstPass(opts: ReplayOptions, engine: DissectorEngine): Promise<void> {
  if (opts.path === '-') throw new UsageError(TWO_PASS_NEEDS_FILE);
  engine.setReadPass(ReadPass.First);
  engine.setMode(OutputMode.None);
  engine.setHexDump(false);
  const reader = await openCapture(opts.path, { arena: engine.arena, arenaBase: engine.arenaBase, index: engine.index });
  try {
    const filter = await openFilter(opts, engine, reader);
    let frames = 0;
    for await (const batch of batches(reader, engine, filter, opts.count)) {
      engine.dissect(batch.kept, frames + 1, () => {});
      frames += batch.kept;
    }
  } finally {
    reader.close();
  }
  // The second pass dissects (and reports) them all again.
  engine.trappedFrames = [];
  engine.setReadPass(ReadPass.Second);
}

/**
 * The tcpdump filter (-f) when there is one, compiled for the first
 * interface if the file described it already (as tcpdump, before reading);
 * the filter machinery (libpcap through koffi) loads only then.
 */
async function openFilter(opts: ReplayOptions, engine: DissectorEngine, reader: CaptureReader): Promise<BatchFilter | undefined> {
  if (opts.filter === undefined) return undefined;
  const filter = new (await import('../filter/batch-filter.js')).BatchFilter(opts.filter, engine.index.capacity, opts.path === '-' ? undefined : opts.path);
  if (reader.interfaces.length > 0) filter.prepare(reader.interfaces[0].linktype);
  return filter;
}

/**
 * The capture batch by batch in the engine's index: how many frames each
 * batch read, and how many of them (at the front of the index) the filter
 * kept within the count limit.
 */
async function* batches(reader: CaptureReader, engine: DissectorEngine, filter: BatchFilter | undefined, count?: number):
  AsyncGenerator<{ read: number; kept: number }> {
  const snaplenOf = (ifaceId: number): number => reader.interfaces[ifaceId]?.snaplen ?? 0;
  const limit = count ?? Infinity;
  let frames = 0;
  while (frames < limit) {
    const read = await reader.nextBatch();
    if (read === 0) break;
    const kept = Math.min(filter ? filter.apply(engine.index, engine.memoryBytes, read, snaplenOf) : read, limit - frames);
    frames += kept;
    yield { read, kept };
  }
  // A pcapng file may describe its first interface only once read (and then hold no frame).
  if (filter && reader.interfaces.length > 0) filter.prepare(reader.interfaces[0].linktype);
}

function openWriter(path: string, reader: CaptureReader): PcapngWriter {
  const section = reader.sections[0];
  return PcapngWriter.open(path === '-' ? 1 : path, {
    hardware: section?.hardware,
    os: section?.os,
    comment: section?.comments?.[0],
  });
}

/** The output's interfaces; with a filter, each says it (after the source's own filter, if it had one). */
function addNewInterfaces(writer: PcapngWriter, reader: CaptureReader, ifaceMap: number[], expression: string | undefined): void {
  for (let i = ifaceMap.length; i < reader.interfaces.length; i++) {
    const f = reader.interfaces[i];
    const filter = expression === undefined ? f.filter : f.filter ? `(${f.filter}) and (${expression})` : expression;
    ifaceMap.push(writer.addInterface({
      name: f.name, description: f.description, linktype: f.linktype, snaplen: f.snaplen, filter, os: f.os,
    }));
  }
}
