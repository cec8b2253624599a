// tshark's -E options for -T fields: every combination prints what tshark
// prints; a value it does not take is refused in one line with exit 2.
import t from 'tap';
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
