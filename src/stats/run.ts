/**
 * Feeds the statistics: one read of the capture per display filter the
 * statistics name (one in all when they name none), the engine printing in
 * Stats mode what they need of each frame, parsed here line by line.
 *
 * As tshark 4.0's taps, the statistics see every frame read, whatever -Y
 * passes: only their own filters (",FILTER" after the -z arguments) select.
 */
import { DissectorEngine, OutputMode } from '../dissect/engine.js';
import { replay, type ReplayResult } from '../read/replay.js';
import { XcapError } from '../errors.js';
import type { FrameRecord, Statistic, StatPass } from './statistic.js';

export interface StatisticsSource {
  path: string;
  /** tcpdump filter (-f): frames it drops are not read at all. */
  filter?: string;
  count?: number;
}

const SEPARATOR = '\t';
const AGGREGATOR = ',';
/** Marks a layer Wireshark's tree holds inside another protocol's item. */
const NESTED = '>';

/** Runs every pass the statistics ask for; the result is that of the first read (its warnings, its counts). */
export async function feedStatistics(statistics: Statistic[], source: StatisticsSource): Promise<ReplayResult | undefined> {
  const groups = new Map<string, StatPass[]>();
  for (const pass of statistics.flatMap((s) => s.passes())) {
    const key = pass.filter?.trim() ?? '';
    groups.set(key, [...(groups.get(key) ?? []), pass]);
  }
  let first: ReplayResult | undefined;
  for (const [filter, passes] of groups) {
    const result = await readOnce(passes, filter || undefined, source);
    first ??= result;
  }
  return first;
}

/** Compiles every filter the statistics name, so that a bad one fails before anything is read or printed. */
export async function checkStatisticFilters(statistics: Statistic[], engine: DissectorEngine): Promise<void> {
  const { compileDisplayFilter } = await import('../display-filter/compile.js');
  for (const pass of statistics.flatMap((s) => s.passes())) {
    if (pass.filter?.trim()) compileDisplayFilter(pass.filter, (name) => engine.field(name));
  }
}

/** How many reads of the capture these statistics take. */
export function readsNeeded(statistics: Statistic[]): number {
  return new Set(statistics.flatMap((s) => s.passes()).map((p) => p.filter?.trim() ?? '')).size;
}

async function readOnce(passes: StatPass[], displayFilter: string | undefined, source: StatisticsSource): Promise<ReplayResult> {
  const engine = new DissectorEngine();
  const names = [...new Set(passes.flatMap((p) => p.fields))];
  const ids = names.map((name) => {
    const id = engine.fieldId(name);
    if (id === undefined) throw new XcapError(`the dissectors have no field ${name}, which the statistics read`, 1);
    return id;
  });
  const column = new Map(names.map((name, i) => [name, i + 1]));
  const feed = (line: string): void => {
    const parts = line.split(SEPARATOR);
    const marked = parts[0] ? parts[0].split(':') : [];
    const record: FrameRecord = {
      layers: marked.map((name) => (name.startsWith(NESTED) ? name.slice(1) : name)),
      topLevel: marked.filter((name) => !name.startsWith(NESTED)),
      values: (name) => {
        const text = parts[column.get(name) ?? -1];
        return text ? text.split(AGGREGATOR) : [];
      },
    };
    for (const p of passes) p.add(record);
  };
  const result = await replay({
    path: source.path,
    mode: OutputMode.Stats,
    fields: { fields: ids, separator: SEPARATOR, aggregator: AGGREGATOR, occurrence: 'a' },
    count: source.count,
    filter: source.filter,
    displayFilter,
    engine,
    sink: lineSplitter(feed),
  });
  return result;
}

/** A sink that hands on whole lines (output regions may end inside one). */
function lineSplitter(onLine: (line: string) => void): (chunk: Uint8Array) => void {
  let carried = '';
  const decoder = new TextDecoder();
  return (chunk) => {
    const text = carried + decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    carried = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  };
}
