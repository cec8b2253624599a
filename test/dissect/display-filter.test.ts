// Display filters (-Y): the frames xcap keeps are the frames tshark keeps,
// for every form of filter xcap accepts; a filter it cannot run is refused
// before the file is read, in one line, with exit 2.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, tshark, xcap, TSHARK_PER_FRAME } from '../helpers/env.js';
import { fixturePath } from '../helpers/fixtures.js';
import { DissectorEngine } from '../../src/dissect/engine.js';
import { summaryLines } from '../helpers/display-filter.js';
import { compileDisplayFilter } from '../../src/display-filter/compile.js';
import { parseDisplayFilter } from '../../src/display-filter/parse.js';
import { VALUE_NAMES_DATA } from '../../src/display-filter/value-names-data.js';

/** Filters over mixed.pcap, one per form: relations, literals of every type, sets, slices, functions, logic. */
const MIXED_FILTERS = [
  'udp', 'arp || icmp', 'not http', '(tcp)', 'tcp.flags.syn', 'http.host',
  'tcp.srcport == 80 or tcp.dstport == 80 and ip', '!(ip.src == 198.18.0.10) and ip', 'frame.len > 100 && !tcp',
  'ip.addr == 198.18.0.53 && !dns', 'ip.addr != 198.18.0.53', 'ip.addr ~= 198.18.0.53', 'ip.addr !== 198.18.0.10',
  'ip.addr === 198.18.0.10', 'udp.port != 53', 'dns.count.queries != 1', 'tcp.srcport eq 80', 'tcp.srcport == 0x50',
  'tcp.srcport == -1', 'ip.ttl == 0100', 'frame.len == 0b101010', "frame.len == '*'", 'tcp.flags & 0x02',
  'tcp.flags.syn == 1 && tcp.flags.ack == 0', 'dns.flags.response == True', 'dns.flags.response == 0', 'dns.flags.response == 2',
  'ip.dst == 198.19.0.0/16', 'ip.src > 198.18.0.10', 'ip.src == ip.dst', 'ipv6.dst == 2001:db8::/32', 'ipv6.dst == ::ffff:1.2.3.4',
  'eth.src == 02-00-5e-10-00-10', 'eth.src == 0200.5e10.0010', 'eth.src == 02005e100010', 'eth.src contains 5e:10',
  'eth.src[0:3] == 02:00:5e', 'eth.src[1] == 00', 'frame[0:2] == 02:00', 'frame[-4:] == 00:00:00:00', 'frame[12-13] == 86:dd',
  'frame contains "example"', 'http.request.method == "GET"', 'dns.qry.name == www.example.com', 'dns.qry.name == "WWW.example.com"',
  'dns.qry.name < "m"', 'dns.qry.name contains "EXAM"', 'dns.qry.name contains "\\x77\\x77"', 'dns.qry.name matches "EXAM"',
  'dns.qry.name matches "(?-i)WWW"', 'dns.qry.name matches "^www\\\\."', 'len(dns.qry.name) > 15', 'len(frame) > 1000', 'count(ip.addr) == 2',
  'frame.time_relative > 0.005', 'frame.time_relative == 0.005', 'frame.time_relative >= -1', 'frame.time_epoch > 1',
  'tcp.port in {80, 443}', 'tcp.port in {1..100}', 'ip.ttl in {60..64}', 'frame.len in {42, 60..70}',
];

const skip = hasCommand('tshark') ? false : 'tshark is not installed: the display-filter agreement test needs it as the oracle';

t.test('xcap -Y keeps the lines tshark -Y keeps', { skip }, async (t) => {
  const engine = new DissectorEngine();
  const file = fixturePath('mixed.pcap');
  let nonEmpty = 0;
  for (const filter of MIXED_FILTERS) {
    const ref = tshark(['-r', file, ...TSHARK_PER_FRAME, '-Y', filter]);
    t.equal(ref.status, 0, `tshark takes ${filter}`);
    const got = await summaryLines(file, filter, engine);
    t.equal(got, ref.stdout, filter);
    if (ref.stdout) nonEmpty++;
  }
  // Filters that match nothing agree trivially: most must match something.
  t.ok(nonEmpty >= MIXED_FILTERS.length - 6, `${nonEmpty} of ${MIXED_FILTERS.length} filters keep some frame`);
});

t.test('IPv6, ICMP errors, DNS and TCP analysis fixtures', { skip }, async (t) => {
  const engine = new DissectorEngine();
  const cases: [string, string][] = [
    ['ipv6.pcap', 'ipv6.src == 2001:db8::1 || ipv6.nxt == 58'], ['ipv6.pcap', 'icmpv6.type in {128..129}'],
    ['icmp-errors.pcap', 'icmp.type == 3 && udp'], ['dns.pcap', 'dns.flags.response == 1 and dns.count.answers > 1'],
    ['dns-malformed.pcap', '_ws.malformed'], ['ethernet-trailer.pcap', 'eth.type == 0x0806 || frame.len < 64'],
    ['tcp-analysis.pcap', 'tcp.analysis.flags && !tcp.analysis.window_update'],
    ['tcp-analysis.pcap', 'tcp.analysis.retransmission || tcp.analysis.duplicate_ack'],
    ['tcp-analysis.pcap', 'tcp.analysis.ack_rtt > 0.0005 || tcp.analysis.bytes_in_flight >= 100'],
    ['tcp-analysis.pcap', 'tcp.completeness == 31 || tcp.flags.str contains "R"'],
  ];
  for (const [name, filter] of cases) {
    const ref = tshark(['-r', fixturePath(name), ...TSHARK_PER_FRAME, '-Y', filter]);
    t.equal(await summaryLines(fixturePath(name), filter, engine), ref.stdout, `${name}: ${filter}`);
  }
});

t.test('-Y with -T fields, -c and -w', { skip }, (t) => {
  const file = fixturePath('mixed.pcap');
  const filter = 'dns || http';
  // frame.time_delta_displayed counts from the previous frame the filter passed.
  const fields = ['-T', 'fields', '-e', 'frame.number', '-e', 'ip.src', '-e', 'dns.qry.name', '-e', 'frame.time_delta_displayed'];
  t.equal(xcap(['read', '-r', file, '-Y', filter, ...fields]).stdout,
    tshark(['-r', file, ...TSHARK_PER_FRAME, '-Y', filter, ...fields]).stdout, '-T fields prints the passed frames');
  // -c counts frames read, not frames shown.
  t.equal(xcap(['read', '-r', file, '-Y', filter, '-c', '30']).stdout,
    tshark(['-r', file, ...TSHARK_PER_FRAME, '-Y', filter, '-c', '30']).stdout, '-c counts the frames read');
  const out = join(mkdtempSync(join(tmpdir(), 'xcap-dfilter-')), 'kept.pcapng');
  const w = xcap(['read', '-r', file, '-Y', filter, '-w', out]);
  t.equal(w.status, 0);
  t.equal(w.stdout, '', 'nothing printed without -P');
  const bytesOf = (args: string[]): string => tshark([...args, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.time_epoch', '-e', 'eth.src', '-e', 'frame.number']).stdout;
  const written = bytesOf(['-r', out]).split('\n').map((l) => l.split('\t').slice(0, 3).join('\t'));
  const kept = bytesOf(['-r', file, ...TSHARK_PER_FRAME, '-Y', filter]).split('\n').map((l) => l.split('\t').slice(0, 3).join('\t'));
  t.ok(written.length > 2, 'frames were written');
  t.same(written, kept, '-w writes exactly the frames the filter passes, in order');
  t.end();
});

t.test('an empty filter passes everything, as tshark\'s does', async (t) => {
  const engine = new DissectorEngine();
  const file = fixturePath('mixed.pcap');
  t.equal(await summaryLines(file, '  ', engine), xcap(['read', '-r', file]).stdout);
});

t.test('JSON with -Y stays one valid array, also when nothing passes', (t) => {
  const file = fixturePath('mixed.pcap');
  t.equal((JSON.parse(xcap(['read', '-r', file, '-Y', 'frame.number <= 3', '-T', 'json']).stdout) as unknown[]).length, 3);
  t.same(JSON.parse(xcap(['read', '-r', file, '-Y', 'frame.number == 100000', '-T', 'json']).stdout), []);
  t.end();
});

t.test('filters xcap cannot run are refused in one line with exit 2, before the file is opened', (t) => {
  const cases: [string, RegExp][] = [
    ['abc', /"abc" is neither a field nor a protocol name/],
    ['ip.src ==', /unexpected end of filter expression/],
    ['ip.src == "198.18.0.10"', /cannot be compared with the string/],
    ['ip.dst == 198.19.0.80/33', /prefix length .* 0 to 32/],
    ['tcp.port in {80 443}', /"443" was unexpected .*column 17/],
    ['dns.qry.type == AAAA', /"AAAA" is not a name of a value of dns\.qry\.type/],
    ['frame.len == abc', /"abc" is not a valid number \(the field has no value names\)/],
    ['ip.proto == Foo', /"Foo" is not a name of a value of ip\.proto/],
    ['ip.src + 1 > 1', /ip\.src cannot take part in arithmetic/],
    ['frame.time_relative * 2 > 1', /relative times can only be added and subtracted/],
    ['frame.len + frame.time_relative > 1', /mixes a time and an integer/],
    ['frame.len + 4 contains 1', /"contains" was unexpected/],
    ['frame.len + 1 in {64}', /"in" was unexpected/],
    ['1 + 2 > frame.len', /arithmetic on constants only/],
    ['ip.addr#x == 198.18.0.1', /"#" must be followed by a layer number/],
    ['ip.addr#[1,,2] == 198.18.0.1', /"#\[1,,2\]" is not a layer range/],
    ['ip.addr#[] == 198.18.0.1', /"#\[\]" is not a layer range/],
    ['ip.addr#[1,40] == 198.18.0.1', /reaches layer 32 at most/],
    ['ip.addr#[2-2] == 198.18.0.1', /"#\[2-2\]" is not a layer range .*j > i/],
    ['frame[1-1] == 00', /"\[1-1\]" is not a slice .*j > i/],
    ['frame.time >= "Jan  1, 2024"', /not a valid absolute time/],
    ['frame.len[0] == 1', /frame\.len is a number and cannot be sliced/],
    ['udp contains 00:35', /presence only/],
    ['dns.qry.name matches "("', /not a regular expression/],
    ['upper(dns.qry.name) == "X"', /upper\(\) is not supported/],
    ['eth.src == 02:00:5e:10:00', /not a valid Ethernet address/],
    ['ip.src == ip.len', /cannot be compared/],
    ['dns.qry.name contains "x', /not closed/],
  ];
  for (const [filter, message] of cases) {
    const r = xcap(['read', '-r', '/nonexistent/capture.pcap', '-Y', filter]);
    t.equal(r.status, 2, `${filter}: exit 2`);
    const lines = r.stderr.trimEnd().split('\n');
    t.equal(lines.length, 1, `${filter}: one line`);
    t.match(lines[0], /^xcap: display filter: /);
    t.match(lines[0], message, filter);
  }
  t.end();
});

t.test('syntax: precedence, word operators and slices', (t) => {
  t.same(parseDisplayFilter('a or b and not c'), {
    kind: 'or',
    left: { kind: 'exists', value: { kind: 'name', text: 'a', at: 0 } },
    right: {
      kind: 'and',
      left: { kind: 'exists', value: { kind: 'name', text: 'b', at: 5 } },
      right: { kind: 'not', operand: { kind: 'exists', value: { kind: 'name', text: 'c', at: 15 } } },
    },
  }, 'or below and below not');
  const slice = (s: string): unknown => (parseDisplayFilter(`x${s} == 00`) as { left: { slice: unknown } }).left.slice;
  t.same(slice('[2:3]'), { start: 2, length: 3 });
  t.same(slice('[2-4]'), { start: 2, length: 3 });
  t.same(slice('[5]'), { start: 5, length: 1 });
  t.same(slice('[:4]'), { start: 0, length: 4 });
  t.same(slice('[-4:]'), { start: -4, length: -1 });
  t.end();
});

t.test('the compiled program asks the dissectors for the fields it reads', (t) => {
  const engine = new DissectorEngine();
  const p = compileDisplayFilter('ip.src == 198.18.0.1 || len(dns.qry.name) > 3 && !tcp', (n) => engine.field(n));
  t.same(new Set(p.fields), new Set(['ip.src', 'dns.qry.name', 'tcp'].map((n) => engine.fieldId(n))));
  t.equal(p.tests.length, 3);
  t.end();
});

t.test('the value names are for fields xcap has, and each field takes its first name', (t) => {
  const engine = new DissectorEngine();
  const blocks = VALUE_NAMES_DATA.split(/\n(?=[^\t\n]+\n)/);
  t.ok(blocks.length > 500, `${blocks.length} fields have value names`);
  const missing = blocks.map((b) => b.split('\n')[0]).filter((f) => engine.field(f) === undefined);
  t.same(missing, [], 'every field with names is one of xcap\'s (else rerun scripts/value-names.mjs)');
  for (const block of blocks.filter((_b, i) => i % 25 === 0)) {
    const [field, first] = block.split('\n');
    const name = first.startsWith('=') ? first.slice(1, first.indexOf('\t')) : first.slice(first.indexOf('\t') + 1);
    t.doesNotThrow(() => compileDisplayFilter(`${field} == "${name.replace(/["\\]/g, '\\$&')}"`, (n) => engine.field(n)), `${field} == "${name}"`);
  }
  t.end();
});
