// xcap read -2 (two passes) against tshark -2: the fields the first pass fills
// in (a request's response) and every field tshark's agreement test compares.
import t from 'tap';
import { hasCommand, tshark, xcap, TSHARK_PER_FRAME } from '../helpers/env.js';
import { fixturePath, comparedFields } from '../helpers/fixtures.js';
import { fieldDiffs, type FieldDiff } from '../helpers/field-diff.js';

/** What only the second pass knows: tshark prints these with -2 alone. */
const FORWARD_FIELDS = ['http.response_in', 'http.next_request_in', 'http.next_response_in', 'dns.response_in',
  'icmp.resp_in', 'icmp.no_resp', 'icmpv6.resp_in', 'icmpv6.no_resp', 'aoe.response_in'];
/** Fixtures whose matching, or conversations' state, the second pass changes. */
const FIXTURES = ['http-matching.pcap', 'http.pcap', 'dns-transactions.pcap', 'dns.pcap', 'mixed.pcap', 'icmp-errors.pcap',
  'ipv6.pcap', 'aoe.pcap', 'tcp-analysis.pcap', 'bgp.pcap'];

/**
 * Where xcap -2 and tshark -2 still differ, each explained in
 * docs/accuracy.md.  A listed case that starts to agree fails the test too.
 */
interface Known { frames: number[]; fields: RegExp; why: string }
const CONTINUATION = /^tcp\.continuation_to$/;
const KNOWN: Record<string, Known[]> = {
  'dns.pcap': [{ frames: [26], fields: CONTINUATION, why: 'tshark\'s second pass does not show this DNS-over-TCP segment as a continuation; xcap tracks messages as one pass does' }],
  'mixed.pcap': [{ frames: [106], fields: CONTINUATION, why: 'the same DNS-over-TCP segment as dns.pcap\'s frame 26' }],
  'icmp-errors.pcap': [{ frames: [8, 18], fields: /^tcp\.analysis$/, why: 'tshark\'s second pass shows no analysis subtree for a TCP segment an ICMP error quotes' }],
  'aoe.pcap': [{ frames: [17], fields: /^aoe\.(aflags\.[ew]|err_feature)$/, why: 'tshark\'s second pass shows these of a response, for a reason not found' }],
};

const skip = hasCommand('tshark') ? false : 'tshark is not installed: the two-pass test needs it as the oracle';

t.test('xcap read -2 -T fields equals tshark -2', { skip }, async (t) => {
  // Each field once: tshark prints a field named twice in its last column only.
  const fields = [...new Set([...comparedFields(), ...FORWARD_FIELDS])];
  const eArgs = fields.flatMap((f) => ['-e', f]);
  for (const name of FIXTURES) {
    t.test(name, (t) => {
      const ref = tshark(['-2', '-r', fixturePath(name), ...TSHARK_PER_FRAME, '-T', 'fields', '-E', 'occurrence=a', ...eArgs]);
      const got = xcap(['read', '-2', '-r', fixturePath(name), '-T', 'fields', '-E', 'occurrence=a', ...eArgs]);
      t.equal(got.status, 0, got.stderr);
      const known = KNOWN[name] ?? [];
      const covers = (k: Known, d: FieldDiff): boolean => k.frames.includes(d.frame) && k.fields.test(d.field);
      const all = fieldDiffs(ref.stdout, got.stdout, fields);
      t.same(all.filter((d) => !known.some((k) => covers(k, d))).map((d) => d.text), [], 'no field differs');
      for (const k of known) t.ok(all.some((d) => covers(k, d)), `still differs only as documented: ${k.why}`);
      t.end();
    });
  }
});

t.test('the first pass fills in what one pass cannot know', { skip }, (t) => {
  const eArgs = FORWARD_FIELDS.flatMap((f) => ['-e', f]);
  for (const name of ['http-matching.pcap', 'dns-transactions.pcap', 'ipv6.pcap', 'aoe.pcap']) {
    const one = xcap(['read', '-r', fixturePath(name), '-T', 'fields', ...eArgs]).stdout;
    const two = xcap(['read', '-2', '-r', fixturePath(name), '-T', 'fields', ...eArgs]).stdout;
    t.notOk(/\d/.test(one), `${name}: no forward reference in one pass`);
    t.ok(/\d/.test(two), `${name}: forward references with -2`);
  }
  t.end();
});

t.test('-2 with -c: the first pass reads no further than the second', { skip }, (t) => {
  const eArgs = ['-e', 'frame.number', ...FORWARD_FIELDS.flatMap((f) => ['-e', f])];
  const f = fixturePath('http-matching.pcap');
  const ref = tshark(['-2', '-c', '5', '-r', f, ...TSHARK_PER_FRAME, '-T', 'fields', ...eArgs]);
  const got = xcap(['read', '-2', '-c', '5', '-r', f, '-T', 'fields', ...eArgs]);
  t.equal(got.stdout, ref.stdout);
  t.end();
});

t.test('-2 summary lines equal tshark -2\'s', { skip }, (t) => {
  for (const name of ['http-matching.pcap', 'dns-transactions.pcap', 'icmp-errors.pcap', 'ipv6.pcap', 'aoe.pcap', 'tcp-analysis.pcap']) {
    const ref = tshark(['-2', '-r', fixturePath(name), ...TSHARK_PER_FRAME]);
    const got = xcap(['read', '-2', '-r', fixturePath(name)]);
    t.equal(got.stdout, ref.stdout, name);
  }
  t.end();
});

t.test('-2 cannot read standard input', (t) => {
  const r = xcap(['read', '-2', '-r', '-'], Buffer.alloc(0));
  t.equal(r.status, 2);
  t.match(r.stderr, /^xcap: -2 reads the capture twice, which standard input cannot be: give a file with -r\n$/);
  t.end();
});
