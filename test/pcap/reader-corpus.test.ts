// Every capture of the tcpdump test corpus (830 files, many deliberately
// malformed) read to its end: nothing but CaptureFileError may escape, and
// where Wireshark reads a file without complaint the frame count must be
// capinfos's.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureFileError } from '../../src/errors.js';
import { CORPUS, corpusPresent, hasCommand } from '../helpers/env.js';
import { harness, readAll } from './capture-bytes.js';

const skip = !corpusPresent ? `corpus ${CORPUS} absent` : !hasCommand('capinfos') ? 'capinfos (Wireshark) not installed' : false;

/** Packet counts capinfos gives for the files it reads with no error or warning, in one run over them all. */
function capinfosCounts(files: string[]): Map<string, number> {
  const r = spawnSync('capinfos', ['-c', '-M', ...files], { cwd: CORPUS, encoding: 'utf8', maxBuffer: 64 << 20 });
  const counts = new Map<string, number>();
  for (const entry of r.stdout.split(/\n\s*\n/)) {
    const name = /^File name:\s+(.+)$/m.exec(entry)?.[1];
    const packets = /^Number of packets:\s+(\d+)$/m.exec(entry)?.[1];
    if (name !== undefined && packets !== undefined) counts.set(name, Number(packets));
  }
  for (const m of r.stderr.matchAll(/"([^"]+)"/g)) counts.delete(m[1]!);
  return counts;
}

t.test('the tcpdump corpus', { skip }, async (t) => {
  const files = readdirSync(CORPUS).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
  const expected = capinfosCounts(files);
  t.ok(expected.size > files.length * 0.9, `capinfos reads ${expected.size} of ${files.length} files cleanly`);
  const reuse = harness(1024, 1 << 20);
  const wrongCounts: string[] = [];
  let rejected = 0;
  let warned = 0;
  for (const file of files) {
    try {
      const r = await readAll(join(CORPUS, file), { reuse });
      if (r.warnings.length) warned++;
      const want = expected.get(file);
      if (want !== undefined && (want !== r.frames.length || r.warnings.length)) {
        wrongCounts.push(`${file}: ${r.frames.length} frames (capinfos ${want}) ${r.warnings.join('; ')}`);
      }
    } catch (err) {
      if (!(err instanceof CaptureFileError)) throw err;
      rejected++;
      if (expected.has(file)) wrongCounts.push(`${file}: rejected (${err.message}), capinfos reads it`);
    }
  }
  t.same(wrongCounts, [], 'the same frame count as capinfos on every file it reads cleanly');
  t.comment(`${files.length} files: ${rejected} rejected as not captures, ${warned} with warnings`);
});

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), state | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

t.test('corpus files with random bytes overwritten and random cuts: warnings or CaptureFileError, never anything else', { skip: corpusPresent ? false : `corpus ${CORPUS} absent` }, async (t) => {
  const files = readdirSync(CORPUS).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
  const next = random(20_240_101);
  const reuse = harness(64, 4096);
  const dir = t.testdir();
  let reads = 0;
  for (let k = 0; k < 1500; k++) {
    const original = readFileSync(join(CORPUS, files[Math.floor(next() * files.length)]!));
    const bytes = Buffer.from(original.subarray(0, Math.max(1, Math.floor(original.length * (0.5 + next())))));
    // Lengths and header words live near the start of records: aim there as often as anywhere.
    for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
      const at = next() < 0.5 ? Math.floor(next() * Math.min(bytes.length, 64)) : Math.floor(next() * bytes.length);
      bytes[at] = Math.floor(next() * 256);
    }
    const path = join(dir, `m${k % 4}`);
    writeFileSync(path, bytes);
    try {
      await readAll(path, { reuse, chunkSize: 4096 });
      reads++;
    } catch (err) {
      if (!(err instanceof CaptureFileError)) throw err;
    }
  }
  t.ok(reads > 500, `${reads} of 1500 mutated files read to their end`);
});
