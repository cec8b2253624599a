// xcap read with a filter keeps exactly the frames tcpdump keeps: the same
// count for every expression of the table over every fixture (the tcpdump
// binary) and, when it is there, every file of the tcpdump corpus (libpcap in
// this process, tcpdump's own filtering path: 25 000 tcpdump runs would take
// many minutes); an expression libpcap refuses for a file's link type fails
// in both.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { replay } from '../../src/read/replay.js';
import { DissectorEngine, OutputMode } from '../../src/dissect/engine.js';
import { CORPUS, corpusPresent, hasCommand } from '../helpers/env.js';
import { fixtureFiles, fixturePath } from '../helpers/fixtures.js';
import { EXPRESSIONS } from './expressions.js';
import { libpcapCount } from '../helpers/libpcap-count.js';

const engine = new DissectorEngine();

/** Frames tcpdump keeps (counted in the pcap it writes), or undefined when it refuses. */
function tcpdumpCount(file: string, expr?: string): number | undefined {
  const r = spawnSync('tcpdump', ['-r', file, '-w', '-', ...(expr ? [expr] : [])], { maxBuffer: 1 << 30 });
  if (r.status !== 0 || r.stdout.length < 24) return undefined;
  const out = r.stdout;
  const little = out.readUInt32LE(0) === 0xa1b2c3d4 || out.readUInt32LE(0) === 0xa1b23c4d;
  let count = 0;
  for (let p = 24; p + 16 <= out.length; count++) p += 16 + (little ? out.readUInt32LE(p + 8) : out.readUInt32BE(p + 8));
  return count;
}

async function xcapCount(file: string, filter?: string): Promise<number | string> {
  try {
    const r = await replay({ path: file, mode: OutputMode.None, sink: () => {}, engine, filter });
    return r.warnings.length ? `warnings: ${r.warnings[0]}` : r.frames;
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

type Counter = (file: string, expr?: string) => number | undefined;

async function agree(t: Tap, files: string[], reference: Counter): Promise<void> {
  let compared = 0;
  const skipped: string[] = [];
  const mismatches: string[] = [];
  for (const file of files) {
    // Only files both readers read alike: a difference there is not the filter's.
    const all = reference(file);
    if (all === undefined || (await xcapCount(file)) !== all) { skipped.push(file); continue; }
    for (const expr of EXPRESSIONS) {
      const want = reference(file, expr);
      const got = await xcapCount(file, expr);
      if (want === undefined) {
        if (typeof got === 'number') mismatches.push(`${file} '${expr}': tcpdump refuses, xcap kept ${got}`);
      } else if (got !== want) {
        mismatches.push(`${file} '${expr}': tcpdump ${want}, xcap ${got}`);
      }
      compared++;
    }
  }
  t.same(mismatches.slice(0, 20), [], `${compared} file/expression pairs agree`);
  t.comment(`${files.length - skipped.length} files compared; ${skipped.length} skipped (tcpdump and xcap read them differently without a filter)`);
}
type Tap = typeof t;

t.test('fixtures', { skip: hasCommand('tcpdump') ? false : 'tcpdump is not installed' }, async (t) => {
  await agree(t as Tap, fixtureFiles().map(fixturePath), tcpdumpCount);
});

t.test('tcpdump corpus', {
  skip: corpusPresent ? false : `the tcpdump corpus is not at ${CORPUS}`,
}, async (t) => {
  const files = readdirSync(CORPUS).filter((n) => /\.(pcap|pcapng)$/.test(n)).sort().map((n) => join(CORPUS, n));
  await agree(t as Tap, files, libpcapCount);
});
