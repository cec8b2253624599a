// xcap read -r IN -w OUT.pcapng: every fixture converts to pcapng whose frames
// (bytes, lengths, timestamps, interfaces) equal the input's, and which
// capinfos and tshark read without a warning.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { xcap, hasCommand } from '../helpers/env.js';
import { fixtureFiles, fixturePath } from '../helpers/fixtures.js';
import { readBack } from '../capture/record-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'xcap-convert-'));
const broken = new Set(['truncated.pcap']);

for (const name of fixtureFiles()) {
  t.test(name, async (t) => {
    const out = join(dir, `${name}.pcapng`);
    const r = xcap(['read', '-r', fixturePath(name), '-w', out]);
    t.equal(r.status, broken.has(name) ? 1 : 0, 'exit status');
    t.equal(r.stdout, '', 'nothing printed while writing');
    const before = await readBack(fixturePath(name));
    const after = await readBack(out);
    t.same(after.warnings, [], 'the copy reads to its end');
    t.equal(after.frames.length, before.frames.length, 'every frame copied');
    t.ok(after.frames.every((f, i) => {
      const o = before.frames[i];
      return f.tsNs === o.tsNs && f.caplen === o.caplen && f.origlen === o.origlen && f.bytes.equals(o.bytes)
        && after.interfaces[f.ifaceId].linktype === before.interfaces[o.ifaceId].linktype;
    }), 'bytes, lengths, timestamps and link types equal');
    t.same(after.interfaces.map((i) => i.name), before.interfaces.map((i) => i.name), 'interface names kept');
    if (hasCommand('capinfos')) {
      const ci = spawnSync('capinfos', ['-c', out], { encoding: 'utf8' });
      t.equal(ci.status, 0, 'capinfos reads it');
      t.equal(ci.stderr.replace(/^Running as user.*\n/m, ''), '', 'capinfos: no warning');
    }
  });
}
