// Golden output: each fixture's summary lines, and every output format for the
// mixed fixture, as reviewed against tshark.  XCAP_UPDATE_GOLDEN=1 rewrites them.
import t from 'tap';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { xcap, ROOT } from '../helpers/env.js';
import { fixtureFiles, fixturePath, comparedFields } from '../helpers/fixtures.js';

const GOLDEN = join(ROOT, 'test/golden/output');
const update = !!process.env.XCAP_UPDATE_GOLDEN;
// frame.time and the JSON index name are local times: the goldens are UTC's, wherever they run.
process.env.TZ = 'UTC';

function check(t: Tap, name: string, args: string[]): void {
  const r = xcap(args);
  const file = join(GOLDEN, name);
  // Paths in messages are shown relative to the checkout, wherever it is.
  const got = (r.stdout + (r.stderr ? `--- stderr (exit ${r.status})\n${r.stderr}` : '')).replaceAll(`${ROOT}/`, '');
  if (update) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, got);
  }
  if (!existsSync(file)) {
    t.fail(`no golden file ${name}: run with XCAP_UPDATE_GOLDEN=1 and review it`);
    return;
  }
  t.equal(got, readFileSync(file, 'utf8'), name);
}
type Tap = typeof t;

for (const name of fixtureFiles()) {
  t.test(`summary of ${name}`, (t) => {
    check(t as Tap, `${name}.txt`, ['read', '-r', fixturePath(name)]);
    t.end();
  });
}

t.test('mixed.pcap in every format', (t) => {
  const f = fixturePath('mixed.pcap');
  check(t as Tap, 'mixed.fields.txt', ['read', '-r', f, '-T', 'fields', '-E', 'header=y', ...comparedFields().flatMap((x) => ['-e', x])]);
  check(t as Tap, 'mixed.json', ['read', '-r', f, '-T', 'json', '-c', '12']);
  check(t as Tap, 'mixed.ek', ['read', '-r', f, '-T', 'ek', '-c', '12']);
  check(t as Tap, 'mixed.tree.txt', ['read', '-r', f, '-V', '-c', '12']);
  t.end();
});
