import { DissectorEngine, OutputMode } from '../../src/dissect/engine.js';
import { replay } from '../../src/read/replay.js';

/** The summary lines xcap prints for `file` under display filter `displayFilter`, read in this process. */
export async function summaryLines(file: string, displayFilter: string, engine: DissectorEngine): Promise<string> {
  const chunks: Buffer[] = [];
  await replay({ path: file, mode: OutputMode.Summary, sink: (b) => chunks.push(Buffer.from(b)), engine, displayFilter });
  return Buffer.concat(chunks).toString('utf8');
}
