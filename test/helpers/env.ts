// Where things are, and what the machine has, for tests.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (tests run from dist/test/...). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const XCAP = join(ROOT, 'dist/cli/xcap.js');
export const FIXTURES = join(ROOT, 'fixtures');
export const SHARED = resolve(ROOT, '../shared');
export const CORPUS = join(SHARED, 'corpus/tcpdump');
export const FIELDS_TXT = join(SHARED, 'tools/fields.txt');

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export const corpusPresent = existsSync(CORPUS);

/** Runs the xcap CLI; output as strings. */
export function xcap(args: string[], input?: Buffer): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [XCAP, ...args], { encoding: 'utf8', input, maxBuffer: 512 * 1024 * 1024 });
}

export function tshark(args: string[]): SpawnSyncReturns<string> {
  return spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}

/** The preferences under which xcap's -T fields must equal tshark's: one frame at a time. */
export const TSHARK_PER_FRAME = ['-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE'];
