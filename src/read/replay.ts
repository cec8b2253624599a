/**
 * Replays a capture file: the reader fills the engine's arena batch by batch,
 * the engine dissects each batch and writes text, and an optional pcapng
 * writer copies the frames out.  Frames are never copied or turned into JS
 * objects one by one.
 */
import { openCapture, type CaptureReader } from '../pcap/reader.js';
import { PcapngWriter } from '../pcap/pcapng-writer.js';
import { DissectorEngine, OutputMode, type FieldsConfig, type Sink } from '../dissect/engine.js';
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
}

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
  // The filter machinery (libpcap through koffi) loads only when there is a filter.
  const filter: BatchFilter | undefined = opts.filter !== undefined
    ? new (await import('../filter/batch-filter.js')).BatchFilter(opts.filter, engine.index.capacity, opts.path === '-' ? undefined : opts.path)
    : undefined;
  const displayed = displayFilter !== undefined ? new Int32Array(engine.index.capacity) : undefined;
  let passed = 0;
  const positionRead = (i: number): number => (filter ? filter.kept[i] : i);
  const commentsOf = (i: number): string[] | undefined => reader.comments(positionRead(displayed ? displayed[i] : i));
  const snaplenOf = (ifaceId: number): number => reader.interfaces[ifaceId]?.snaplen ?? 0;
  try {
    if (filter && reader.interfaces.length > 0) filter.prepare(reader.interfaces[0].linktype);
    writer = opts.writePath ? openWriter(opts.writePath, reader) : undefined;
    const ifaceMap: number[] = [];
    const limit = opts.count ?? Infinity;
    while (frames < limit) {
      let n = await reader.nextBatch();
      if (n === 0) break;
      framesRead += n;
      if (filter) n = filter.apply(engine.index, engine.memoryBytes, n, snaplenOf);
      n = Math.min(n, limit - frames);
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
    // A pcapng file may describe its first interface only once read (and then hold no frame).
    if (filter && reader.interfaces.length > 0) filter.prepare(reader.interfaces[0].linktype);
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
