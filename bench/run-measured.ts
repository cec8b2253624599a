/** Runs a command to completion and reports its wall time and peak memory (GNU time's %M). */
import { spawnSync } from 'node:child_process';
import { openSync, closeSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  seconds: number;
  peakMiB: number;
  status: number | null;
  stdoutBytes: number;
}

const scratch = mkdtempSync(join(tmpdir(), 'xcap-bench-'));

/** Output goes to a file (so the pipe never limits the rate); its size is reported. */
export function measure(cmd: string[]): Measurement {
  const outPath = join(scratch, 'out');
  const timePath = join(scratch, 'time');
  const out = openSync(outPath, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-o', timePath, '-f', '%M', ...cmd], { stdio: ['ignore', out, 'ignore'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(out);
  const peakKiB = Number(readFileSync(timePath, 'utf8').trim().split('\n').pop());
  const stdoutBytes = spawnSync('stat', ['-c', '%s', outPath], { encoding: 'utf8' }).stdout.trim();
  return { seconds, peakMiB: peakKiB / 1024, status: r.status, stdoutBytes: Number(stdoutBytes) };
}

/** The best (fastest) of n runs: the machine is shared and noisy. */
export function best(cmd: string[], runs: number): Measurement {
  let b: Measurement | undefined;
  for (let i = 0; i < runs; i++) {
    const m = measure(cmd);
    if (!b || m.seconds < b.seconds) b = m;
  }
  return b!;
}
