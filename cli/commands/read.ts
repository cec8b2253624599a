// xcap read: replay a capture file through the dissectors, like `tshark -r`.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError } from '../../src/errors.js';
import { OutputMode, DissectorEngine, type FieldsConfig } from '../../src/dissect/engine.js';
import { replay } from '../../src/read/replay.js';
import { fdSink } from '../../src/output/stdout.js';
import { parseFieldOptions } from '../field-options.js';

interface ReadArgs {
  r: string;
  w?: string;
  T?: string;
  e?: string[];
  E?: string[];
  c?: number;
  V?: boolean;
  P?: boolean;
  q?: boolean;
  n?: boolean;
}

const FORMATS: Record<string, OutputMode> = {
  text: OutputMode.Summary,
  fields: OutputMode.Fields,
  json: OutputMode.Json,
  ek: OutputMode.Ek,
};

export const readCommand: CommandModule<object, ReadArgs> = {
  command: 'read',
  describe: 'Read a pcap or pcapng file (gzip too) and print what the dissectors find',
  builder: (y: Argv) => y
    .option('r', { alias: 'read-file', type: 'string', demandOption: 'name the capture file with -r FILE (- for stdin)', describe: 'capture file to read' })
    .option('w', { type: 'string', describe: 'write the frames read to a pcapng file (- for stdout)' })
    .option('T', { type: 'string', choices: Object.keys(FORMATS), describe: 'output format' })
    .option('e', { type: 'string', array: true, describe: 'field to print with -T fields (repeatable)' })
    .option('E', { type: 'string', array: true, describe: 'fields option: header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=,|/s|C' })
    .option('c', { type: 'number', describe: 'stop after this many packets' })
    .option('V', { type: 'boolean', describe: 'print the protocol tree of each packet' })
    .option('P', { type: 'boolean', describe: 'print packets while writing with -w' })
    .option('q', { type: 'boolean', describe: 'print no packets' })
    .option('n', { type: 'boolean', describe: 'no name resolution (always the case)' }) as unknown as Argv<ReadArgs>,
  handler: async (args: ArgumentsCamelCase<ReadArgs>) => {
    if (args.c !== undefined && (!Number.isInteger(args.c) || args.c < 1)) throw new UsageError(`-c wants a positive whole number, not '${args.c}'`);
    const engine = new DissectorEngine();
    let mode = args.V ? OutputMode.Tree : FORMATS[args.T ?? 'text'];
    let fields: FieldsConfig | undefined;
    const out = fdSink(1);
    if (mode === OutputMode.Fields) {
      if (!args.e?.length) throw new UsageError('-T fields needs at least one -e FIELD');
      const parsed = parseFieldOptions(args.E ?? [], args.e, (name) => engine.fieldId(name));
      fields = parsed.config;
      if (parsed.header) out(Buffer.from(parsed.header));
    } else if (args.e?.length) {
      throw new UsageError('-e goes with -T fields');
    }
    if ((args.w && !args.P) || args.q) mode = OutputMode.None;
    if (mode === OutputMode.Json) out(Buffer.from('[\n'));
    const result = await replay({ path: args.r, mode, fields, count: args.c, writePath: args.w, sink: out, engine });
    if (mode === OutputMode.Json) out(Buffer.from(result.frames ? '\n]\n' : ']\n'));
    for (const w of result.warnings) process.stderr.write(`xcap: ${w}\n`);
    if (result.trappedFrames.length) {
      process.stderr.write(`xcap: a dissector failed on frame(s) ${result.trappedFrames.slice(0, 10).join(', ')}; they are marked malformed\n`);
    }
    if (result.warnings.length) process.exitCode = 1;
  },
};
