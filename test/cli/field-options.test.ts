// tshark's -E options for -T fields: every combination prints what tshark
// prints; a value it does not take is refused in one line with exit 2.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { parseTzif } from '../../src/dissect/time-zone.js';
import { hasCommand, tshark, xcap, TSHARK_PER_FRAME } from '../helpers/env.js';
import { fixturePath } from '../helpers/fixtures.js';

const skip = hasCommand('tshark') ? false : 'tshark is not installed: the -E agreement test needs it as the oracle';
const FIELDS = ['-T', 'fields', '-e', 'frame.number', '-e', 'ip.addr', '-e', 'dns.a', '-e', 'dns.qry.name'];

t.test('-E options print as tshark\'s do', { skip }, (t) => {
  const file = fixturePath('mixed.pcap');
  const combinations = [
    ['header=y'], ['separator=,', 'header=y'], ['separator=/s', 'aggregator=/s'], ['aggregator=;'],
    ['occurrence=f'], ['occurrence=l'], ['quote=d', 'header=y'], ['quote=s', 'separator=,', 'occurrence=f'],
    ['quote=n'], ['quote=d', 'occurrence=l', 'aggregator=|'],
  ];
  for (const opts of combinations) {
    const e = opts.flatMap((o) => ['-E', o]);
    t.equal(xcap(['read', '-r', file, ...FIELDS, ...e]).stdout, tshark(['-r', file, ...TSHARK_PER_FRAME, ...FIELDS, ...e]).stdout, opts.join(' '));
  }
  t.end();
});

t.test('a field or column named twice prints in its last column only, as tshark\'s', { skip }, (t) => {
  const file = fixturePath('mixed.pcap');
  const twice = ['-T', 'fields', '-e', 'ip.src', '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', 'ip.src', '-e', '_ws.col.Protocol',
    '-E', 'header=y'];
  const got = xcap(['read', '-r', file, ...twice]).stdout;
  t.match(got.split('\n')[1], /^\t1\t\t\t\S/, 'the first ip.src and Protocol columns are empty');
  t.equal(got, tshark(['-r', file, ...TSHARK_PER_FRAME, ...twice]).stdout);
  t.end();
});

t.test('values -E does not take are refused in one line, exit 2', (t) => {
  const cases: [string, RegExp][] = [
    ['quote=x', /^xcap: -E quote= takes d, s or n, not 'x'\n$/],
    ['occurrence=2', /^xcap: -E occurrence= takes f, l or a, not '2'\n$/],
    ['header=yes', /^xcap: -E header= takes y or n, not 'yes'\n$/],
    ['bom=y', /^xcap: unsupported -E option 'bom=y' \(header, separator, occurrence, aggregator and quote are\)\n$/],
  ];
  for (const [opt, message] of cases) {
    const r = xcap(['read', '-r', fixturePath('mixed.pcap'), ...FIELDS, '-E', opt]);
    t.equal(r.status, 2, opt);
    t.match(r.stderr, message, opt);
  }
  t.end();
});

t.test('frame.time is local time in the zone TZ names, as tshark prints it', { skip }, (t) => {
  const file = fixturePath('mixed.pcap');
  const fields = ['-T', 'fields', '-e', 'frame.number', '-e', 'frame.time', '-c', '5'];
  const saved = process.env.TZ;
  try {
    for (const zone of ['UTC', 'America/New_York', 'Australia/Adelaide', 'Asia/Kolkata', 'CET-1', '<+0530>-5:30']) {
      process.env.TZ = zone;
      t.equal(xcap(['read', '-r', file, ...fields]).stdout, tshark(['-r', file, ...TSHARK_PER_FRAME, ...fields]).stdout, zone);
    }
  } finally {
    if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved;
  }
  t.end();
});

const berlin = '/usr/share/zoneinfo/Europe/Berlin';
t.test('TZif rules: offsets and abbreviations on both sides of a change', { skip: existsSync(berlin) ? false : `${berlin} is not installed` }, (t) => {
  const zone = parseTzif(readFileSync(berlin));
  if (!zone) { t.fail('Europe/Berlin did not parse'); t.end(); return; }
  const typeAt = (sec: bigint): number => {
    let type = 0;
    zone.transitions.forEach((at, i) => { if (at <= sec) type = zone.transitionTypes[i]; });
    return type;
  };
  // 2024-03-31 01:00 UTC: CET (+1) becomes CEST (+2).
  const before = typeAt(1711846799n), after = typeAt(1711846800n);
  t.same([zone.offsets[before], zone.names[before]], [3600, 'CET']);
  t.same([zone.offsets[after], zone.names[after]], [7200, 'CEST']);
  t.equal(parseTzif(Buffer.from('not a zone file, certainly not TZif')), undefined, 'anything else is no zone');
  t.end();
});
