// xcap read: replay a capture file through the dissectors, like `tshark -r`.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../../src/errors.js';
import { filterExpression, DEFAULT_SNAPLEN } from '../../src/filter/expression.js';
import { OutputMode, DissectorEngine, TIME_FORMATS, type TimeFormat, type FieldsConfig } from '../../src/dissect/engine.js';
import { replay, TWO_PASS_NEEDS_FILE } from '../../src/read/replay.js';
import { fdSink } from '../../src/output/stdout.js';
import { parseFieldOptions } from '../field-options.js';
import { statisticsInPrintOrder } from '../../src/stats/options.js';
import { checkStatisticFilters, feedStatistics, readsNeeded } from '../../src/stats/run.js';

interface ReadArgs {
  r: string;
  w?: string;
  T?: string;
  e?: string[];
  E?: string[];
  c?: number;
  V?: boolean;
  x?: boolean;
  P?: boolean;
  q?: boolean;
  n?: boolean;
  f?: string;
  Y?: string;
  d?: boolean;
  t?: string;
  u?: string;
  z?: string[];
  '2'?: boolean;
  expression?: (string | number)[];
}

const FORMATS: Record<string, OutputMode> = {
  text: OutputMode.Summary,
  fields: OutputMode.Fields,
  json: OutputMode.Json,
  ek: OutputMode.Ek,
};

export const readCommand: CommandModule<object, ReadArgs> = {
  command: 'read [expression..]',
  describe: 'Read a pcap or pcapng file (gzip too) and print what the dissectors find',
  builder: (y: Argv) => y
    .option('r', { alias: 'read-file', type: 'string', requiresArg: true, demandOption: 'name the capture file with -r FILE (- for stdin)', describe: 'capture file to read' })
    .option('w', { type: 'string', requiresArg: true, describe: 'write the frames read to a pcapng file (- for stdout)' })
    .option('T', { type: 'string', requiresArg: true, choices: Object.keys(FORMATS), describe: 'output format' })
    .option('e', { type: 'string', array: true, describe: 'field to print with -T fields (repeatable)' })
    .option('E', { type: 'string', array: true, describe: 'fields option: header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=,|/s|C, quote=d|s|n' })
    .option('c', { type: 'number', requiresArg: true, describe: 'stop after this many packets' })
    .option('V', { type: 'boolean', describe: 'print the protocol tree of each packet' })
    .option('x', { type: 'boolean', describe: 'print each packet\'s bytes in hex and ASCII (after its summary line with -P, its tree with -V)' })
    .option('P', { type: 'boolean', describe: 'print packets while writing with -w' })
    .option('q', { type: 'boolean', describe: 'print no packets' })
    .option('n', { type: 'boolean', describe: 'no name resolution (always the case)' })
    .option('f', { alias: 'filter', type: 'string', requiresArg: true, describe: "only frames matching this tcpdump filter expression (also: the words after the options, as tcpdump takes them)" })
    .option('Y', { alias: 'display-filter', type: 'string', requiresArg: true, describe: 'only frames this Wireshark display filter passes are printed and written (as tshark -Y); numbers stay those of the file' })
    .option('t', { type: 'string', requiresArg: true, choices: TIME_FORMATS, describe: 'time column: r since the first frame, d/dd since the previous frame read/shown, e epoch, a/ad/adoy local time (and date, or day of year), u/ud/udoy the same in UTC (as tshark -t)' })
    .option('u', { type: 'string', requiresArg: true, choices: ['s', 'hms'], describe: 'seconds in the time column (r, d, dd): s plain, hms with hours and minutes (as tshark -u)' })
    .option('z', { type: 'string', array: true, requiresArg: true, describe: 'statistics printed after the capture is read, as tshark -z: io,phs, conv,TYPE, endpoints,TYPE (TYPE eth, ip, ipv6, tcp, udp), each with an optional ,FILTER (repeatable)' })
    .option('2', { type: 'boolean', describe: 'two passes, as tshark -2: the first reads the file to learn what later frames answer (a request\'s response_in), the second prints; not with -r -' })
    .option('d', { type: 'boolean', describe: 'print the compiled filter (classic BPF as tcpdump -d, then its eBPF translation) and exit' })
    .positional('expression', { type: 'string', array: true, describe: 'tcpdump filter expression' }) as unknown as Argv<ReadArgs>,
  handler: async (args: ArgumentsCamelCase<ReadArgs>) => {
    if (args.c !== undefined && (!Number.isInteger(args.c) || args.c < 1)) throw new UsageError(`-c wants a positive whole number, not '${args.c}'`);
    const filter = filterExpression(args.f, args.expression, (m) => new UsageError(m));
    if (args.d) {
      process.stdout.write(await describeFileFilter(args.r, filter));
      return;
    }
    if (args['2'] && args.r === '-') throw new UsageError(TWO_PASS_NEEDS_FILE);
    const statistics = statisticsInPrintOrder(args.z ?? []);
    const engine = new DissectorEngine();
    if (args.t !== undefined || args.u !== undefined) engine.setTimeFormat((args.t ?? 'r') as TimeFormat, args.u === 'hms');
    await checkStatisticFilters(statistics, engine);
    let mode = args.V ? OutputMode.Tree : FORMATS[args.T ?? 'text'];
    let fields: FieldsConfig | undefined;
    const out = fdSink(1);
    if (mode === OutputMode.Fields) {
      if (!args.e?.length) throw new UsageError('-T fields needs at least one -e FIELD');
      const parsed = parseFieldOptions(args.E ?? [], args.e, (name) => {
        const found = engine.outputFieldId(name);
        if (found?.unknownColumn) {
          process.stderr.write(`xcap: ${name} is not a column xcap has (${DissectorEngine.columnFields.join(', ')}): printed empty, as tshark does\n`);
        }
        return found?.id;
      });
      fields = parsed.config;
      if (parsed.header) out(Buffer.from(parsed.header));
    } else if (args.e?.length) {
      throw new UsageError('-e goes with -T fields');
    }
    if (args.x && (mode === OutputMode.Fields || mode === OutputMode.Json || mode === OutputMode.Ek)) {
      throw new UsageError('-x prints packet bytes as text: it goes with summary lines or -V, not -T ' + args.T);
    }
    // As tshark: -x alone prints only the bytes, also with -w or -q.
    if ((args.x && !args.V && !args.P) || (args.w && !args.P) || args.q) mode = OutputMode.None;
    // With nothing else to do, the first read for the statistics is the only one.
    const statisticsOnly = statistics.length > 0 && mode === OutputMode.None && !args.x && !args.w;
    if (statistics.length > 0 && args.r === '-' && readsNeeded(statistics) + (statisticsOnly ? 0 : 1) > 1) {
      throw new UsageError('these -z statistics read the capture more than once, which standard input cannot be: give a file with -r');
    }
    const source = { path: args.r, filter, count: args.c };
    let result;
    if (statisticsOnly) {
      result = (await feedStatistics(statistics, source))!;
    } else {
      if (mode === OutputMode.Json) out(Buffer.from('[\n'));
      result = await replay({ path: args.r, mode, fields, count: args.c, writePath: args.w, sink: out, engine, filter, displayFilter: args.Y, hexDump: args.x, twoPass: args['2'] });
      if (mode === OutputMode.Json) out(Buffer.from(result.frames ? '\n]\n' : ']\n'));
      if (statistics.length > 0) await feedStatistics(statistics, source);
    }
    for (const s of statistics) out(Buffer.from(s.render()));
    for (const w of result.warnings) process.stderr.write(`xcap: ${w}\n`);
    if (result.trappedFrames.length) {
      process.stderr.write(`xcap: a dissector failed on frame(s) ${result.trappedFrames.slice(0, 10).join(', ')}; they are marked malformed\n`);
    }
    if (result.warnings.length) process.exitCode = 1;
  },
};

/** `-d`: the filter compiled for the file's first interface, as `tcpdump -r FILE -d EXPR` compiles it. */
async function describeFileFilter(path: string, expression: string | undefined): Promise<string> {
  if (expression === undefined) throw new UsageError('-d prints a compiled filter: give one with -f EXPR or after the options');
  const { openCapture } = await import('../../src/pcap/reader.js');
  const { compileFilter } = await import('../../src/filter/pcap-compile.js');
  const { describeFilter } = await import('../../src/filter/describe.js');
  const engine = new DissectorEngine();
  const reader = await openCapture(path, { arena: engine.arena, arenaBase: engine.arenaBase, index: engine.index });
  try {
    if (reader.interfaces.length === 0) await reader.nextBatch();
    const first = reader.interfaces[0];
    if (!first) throw new UsageError(`${path} describes no interface, so there is no link type to compile the filter for`);
    return describeFilter(compileFilter(expression, { linktype: first.linktype, snaplen: first.snaplen || DEFAULT_SNAPLEN, file: path === '-' ? undefined : path }));
  } finally {
    reader.close();
  }
}
