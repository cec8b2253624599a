// On every fixture, xcap's -T fields output equals tshark's, frame by frame and field by field.
import t from 'tap';
import { hasCommand, tshark, xcap, TSHARK_PER_FRAME } from '../helpers/env.js';
import { fixtureFiles, fixturePath, comparedFields } from '../helpers/fixtures.js';

const fields = comparedFields();
const eArgs = fields.flatMap((f) => ['-e', f]);

const skip = hasCommand('tshark') ? false : 'tshark is not installed: the agreement test needs it as the oracle';

t.test('xcap -T fields equals tshark on every fixture', { skip }, async (t) => {
  for (const name of fixtureFiles()) {
    t.test(name, (t) => {
      const ref = tshark(['-r', fixturePath(name), ...TSHARK_PER_FRAME, '-T', 'fields', ...eArgs]);
      const got = xcap(['read', '-r', fixturePath(name), '-T', 'fields', ...eArgs]);
      const refLines = ref.stdout.split('\n');
      const gotLines = got.stdout.split('\n');
      t.equal(gotLines.length, refLines.length, 'same number of frames');
      const diffs: string[] = [];
      for (let i = 0; i < refLines.length; i++) {
        const r = refLines[i].split('\t');
        const g = (gotLines[i] ?? '').split('\t');
        fields.forEach((f, j) => {
          if ((r[j] ?? '') !== (g[j] ?? '')) diffs.push(`frame ${i + 1} ${f}: tshark '${r[j] ?? ''}' xcap '${g[j] ?? ''}'`);
        });
      }
      t.same(diffs, [], 'no field differs');
      t.end();
    });
  }
});
