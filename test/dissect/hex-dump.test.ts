// -x: the bytes of each frame, printed as tshark prints them, alone, after
// summary lines (-P) or after the tree (-V).
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, tshark, xcap, TSHARK_PER_FRAME } from '../helpers/env.js';
import { fixturePath } from '../helpers/fixtures.js';
import { pcapFile, LinkType } from '../../fixtures/gen/pcap-file.js';

const skip = hasCommand('tshark') ? false : 'tshark is not installed: the -x agreement test needs it as the oracle';
const dir = mkdtempSync(join(tmpdir(), 'xcap-hex-'));

t.test('-x, -x -P and -x -q print what tshark prints', { skip }, (t) => {
  for (const name of ['mixed.pcap', 'ipv6.pcap', 'ethernet-fcs.pcap', 'linktype-arcnet.pcap']) {
    for (const flags of [['-x'], ['-x', '-P'], ['-x', '-q'], ['-x', '-P', '-Y', 'udp']]) {
      const ref = tshark(['-r', fixturePath(name), ...TSHARK_PER_FRAME, ...flags]).stdout;
      t.equal(xcap(['read', '-r', fixturePath(name), ...flags]).stdout, ref, `${name} ${flags.join(' ')}`);
    }
  }
  t.end();
});

t.test('-x -V: the bytes follow each tree, set apart by a blank line', { skip }, (t) => {
  const file = fixturePath('mixed.pcap');
  const dumpLines = (s: string): string[] => s.split('\n').filter((l) => /^[0-9a-f]{4,}  /.test(l));
  const got = xcap(['read', '-r', file, '-x', '-V']).stdout;
  t.same(dumpLines(got), dumpLines(tshark(['-r', file, ...TSHARK_PER_FRAME, '-x', '-V']).stdout));
  t.match(got, /^Frame[^]*?\n\n0000  ff ff ff ff ff ff /, 'the first tree, a blank line, then its bytes');
  t.end();
});

t.test('offsets grow past four digits in a frame longer than 64 KiB', { skip }, (t) => {
  const frame = new Uint8Array(70_000).map((_, i) => i & 0xff);
  const file = join(dir, 'long.pcap');
  writeFileSync(file, pcapFile([frame], { linkType: LinkType.RAW }));
  const got = xcap(['read', '-r', file, '-x']).stdout;
  t.equal(got, tshark(['-r', file, ...TSHARK_PER_FRAME, '-x']).stdout);
  t.match(got, /\n11160  /, 'the last line\'s offset has five digits');
  t.end();
});

t.test('-x with -T fields, json or ek is refused in one line', (t) => {
  for (const format of ['fields', 'json', 'ek']) {
    const extra = format === 'fields' ? ['-e', 'frame.number'] : [];
    const r = xcap(['read', '-r', fixturePath('mixed.pcap'), '-x', '-T', format, ...extra]);
    t.equal(r.status, 2, format);
    t.match(r.stderr, /^xcap: -x prints packet bytes as text: it goes with summary lines or -V, not -T \w+\n$/);
  }
  t.end();
});
