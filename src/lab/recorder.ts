/**
 * `xcap record` run as a child inside a lab namespace, for the demo and the
 * tests: started, awaited until it says it is capturing (it says so only once
 * attached), and stopped by signal.
 */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { spawnIn } from './netns.js';
import { XcapError } from '../errors.js';

const XCAP = fileURLToPath(new URL('../../cli/xcap.js', import.meta.url));
const ATTACH_TIMEOUT_MS = 20_000;

export interface Recorder {
  child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves to the exit code. */
  exited: Promise<number | null>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `xcap record ARGS` in namespace `ns`; resolves once it is capturing, kills it if it never gets there. */
export async function startRecorder(ns: string, args: string[], stdout: 'ignore' | 'pipe' = 'ignore'): Promise<Recorder> {
  const child = spawnIn(ns, [process.execPath, XCAP, 'record', ...args], { stdio: ['ignore', stdout, 'pipe'] });
  let err = '';
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const attached = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('capturing on')) resolve();
    });
    exited.then((code) => reject(new XcapError(`xcap record exited (${code}) before capturing: ${err.trim()}`)));
    setTimeout(() => reject(new XcapError(`xcap record did not start capturing within ${ATTACH_TIMEOUT_MS / 1000} s`)), ATTACH_TIMEOUT_MS).unref();
  });
  try {
    await attached;
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    child,
    stderr: () => err,
    exited,
    stop: async (signal = 'SIGINT') => { child.kill(signal); return exited; },
  };
}
