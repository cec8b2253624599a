// Randomly damaged copies of every fixture's frames never make a dissector
// trap, in any output mode: each dissector's fixture exercises its walks on
// well-formed input, and this test runs the same walks over bytes that lie.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xcap } from '../helpers/env.js';
import { comparedFields, fixtureFiles, fixturePath } from '../helpers/fixtures.js';
import { mutations, pcap, pcapFrames, type Record } from '../helpers/damage.js';

const COPIES_PER_FIXTURE = 400;

const byLinktype = new Map<number, Record[]>();
fixtureFiles().forEach((name, i) => {
  const parsed = pcapFrames(readFileSync(fixturePath(name)));
  if (!parsed || parsed.frames.length === 0) return;
  const records = byLinktype.get(parsed.linktype) ?? [];
  records.push(...mutations(parsed.frames, COPIES_PER_FIXTURE, 1000 + i));
  byLinktype.set(parsed.linktype, records);
});

const dir = mkdtempSync(join(tmpdir(), 'xcap-damaged-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const eArgs = comparedFields().flatMap((f) => ['-e', f]);

t.ok(byLinktype.size > 0, 'the fixtures hold classic pcap files to damage');
for (const [linktype, records] of byLinktype) {
  t.test(`link type ${linktype}: ${records.length} damaged frames`, async (t) => {
    const path = join(dir, `linktype-${linktype}.pcap`);
    writeFileSync(path, pcap(linktype, records));
    for (const mode of [[], ['-V'], ['-T', 'json'], ['-T', 'fields', ...eArgs]]) {
      const label = mode[0] === '-T' ? mode.slice(0, 2).join(' ') : mode[0] ?? 'summary';
      const run = xcap(['read', '-r', path, ...mode]);
      t.equal(run.status, 0, `${label}: exits cleanly`);
      t.notMatch(run.stderr, /dissector failed|trap/i, `${label}: no dissector trapped`);
      if (mode[1] === 'fields') t.equal(run.stdout.split('\n').length - 1, records.length, `${label}: a line for every frame`);
    }
  });
}
