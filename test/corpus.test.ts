// Every file of tcpdump's test captures (many deliberately malformed) is read
// to its end in every output mode: a capture error is allowed for files that
// are not readable captures, anything else (a trap, an internal error, a hang
// caught by the test timeout) fails.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, corpusPresent } from './helpers/env.js';
import { replay } from '../src/read/replay.js';
import { DissectorEngine, OutputMode } from '../src/dissect/engine.js';
import { XcapError } from '../src/errors.js';

const skip = corpusPresent ? false : `the capture corpus (${CORPUS}) is absent`;

t.test('the tcpdump corpus reads to its end in every output mode', { skip, timeout: 600_000 }, async (t) => {
  const files = readdirSync(CORPUS).filter((n) => /\.(pcap|pcapng|trace)$/.test(n)).sort();
  const engine = new DissectorEngine();
  let frames = 0;
  let captureErrors = 0;
  const failures: string[] = [];
  const modes = [OutputMode.Summary, OutputMode.Json, OutputMode.Tree, OutputMode.Ek];
  for (const name of files) {
    for (const mode of modes) {
      let bytes = 0;
      try {
        const r = await replay({ path: join(CORPUS, name), mode, engine, sink: (b) => { bytes += b.length; } });
        if (mode === OutputMode.Summary) frames += r.frames;
        if (r.trappedFrames.length) failures.push(`${name}: dissector trapped on frames ${r.trappedFrames.join(',')}`);
        if (r.frames > 0 && bytes === 0) failures.push(`${name}: no output for ${r.frames} frames`);
      } catch (err) {
        if (err instanceof XcapError) { if (mode === OutputMode.Summary) captureErrors++; } else failures.push(`${name}: ${(err as Error).stack}`);
      }
    }
  }
  t.same(failures, [], 'no trap, no internal error');
  t.ok(frames > 10000, `dissected ${frames} frames of ${files.length} files (${captureErrors} not readable as captures)`);
});
