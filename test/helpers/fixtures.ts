import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT } from './env.js';

/** Every capture file the fixture generator made. */
export function fixtureFiles(): string[] {
  return readdirSync(FIXTURES).filter((n) => /\.(pcap|pcapng)(\.gz)?$/.test(n)).sort();
}

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

/** The field list the tshark-agreement tests compare. */
export function comparedFields(): string[] {
  return readFileSync(join(ROOT, 'test/golden/fields.txt'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}
