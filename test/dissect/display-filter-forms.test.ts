// Display-filter forms beyond relations and literals: arithmetic, the layer
// operator, absolute times against dates, and value names.  For each filter
// the frames xcap keeps are the frames tshark 4.0.17 keeps.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, hasCommand, tshark, TSHARK_PER_FRAME, XCAP } from '../helpers/env.js';
import { fixturePath } from '../helpers/fixtures.js';
import { summaryLines } from '../helpers/display-filter.js';
import { DissectorEngine } from '../../src/dissect/engine.js';
import { parseDisplayFilter, type Value } from '../../src/display-filter/parse.js';

const skip = hasCommand('tshark') ? false : 'tshark is not installed: the display-filter agreement tests need it as the oracle';

/** Arithmetic: precedence, grouping, unary minus, overflow, signed differences, division by zero, times, several occurrences. */
const ARITHMETIC = [
  'frame.len + 4 > 100', 'frame.len+4>100', 'ip.len * 2 > 100', 'frame.len - 4 > 100', 'frame.len -4 > 100', 'frame.len / 2 > 100',
  'frame.len/2 > 10', 'frame.len % 2 == 1', '-frame.len < -100', '-ip.ttl == -64', '{frame.len + 4} * 2 > 200',
  'frame.len + 4 * 2 == 74', 'frame.len * 2 / 3 == 40', 'frame.len / 2 * 3 == 90', 'frame.len == 10 - 3 - 1 + 54',
  'frame.len == 61 / 3 * 3', 'frame.len == 2 * 30', 'frame.len * 2 == {60*2}', 'frame.len - 100 < 0', 'frame.len - 100 < -10',
  'frame.len - 100 > -10', 'frame.len - 100 != -40', '{frame.len - 100} * 2 < -20', 'frame.len + 4294967295 > 0',
  'frame.len * 100000000 > 0', 'frame.len + 0x7fffffff > 0', 'ip.ttl * 5 > 255', 'frame.len + -4 > 100', 'frame.len - -4 > 100',
  'frame.len * -1 == -60', 'frame.len / 0 == 1', 'frame.len / 0 != 1', 'frame.len % 0 == 1',
  'tcp.srcport - tcp.dstport < 0', 'tcp.srcport - tcp.dstport == 0', 'tcp.srcport - 1 != udp.srcport', 'tcp.port - 80 == 0',
  'tcp.port - 80 != 0', 'ip.len - frame.len == -14', 'frame.len == ip.len + 14', 'ip.len + 14 == frame.len',
  'count(ip.addr) * 2 == 4', 'count(tcp.port) - 3 == -1', 'len(dns.qry.name) + 1 > 10', 'frame.len + 0x10 > 100',
  'frame.len + 4 & 4', 'frame.len + 4 === 64', 'frame.time_relative + 1 > 2',
  // Alone, an expression passes when some value of it is not zero.
  'frame.len + 4', 'tcp.port + 1', 'frame.len / 0', 'frame.len - frame.len', 'frame.number - 1', '!(frame.number - 1)',
  'frame.time_relative + 0', 'tcp.srcport - tcp.dstport', 'frame.len / 0 || tcp', 'frame.time_relative - 0.005 > 0',
  '-frame.time_relative < 0', 'frame.time_relative + frame.time_delta > 0.01', 'frame.time_relative + -0.5 > 0',
  // A negative literal is the negation of a number: never equal, smaller or greater than an unsigned field.
  'frame.len > -1', 'frame.len != -1', 'frame.len ~= -1', 'frame.len === -1', 'frame.len in {-1..100}', 'frame.len == - 60',
  'tcp.srcport == -1', 'frame.time_relative > -0.5',
];

/** Absolute times against dates: both of Wireshark's forms, zones, fractions, roll-over. */
const DATES = [
  'frame.time >= "Jan  1, 2020 00:00:00"', 'frame.time >= "Jan 1, 2020 00:00:00"', 'frame.time >= "jan  1, 2024 00:00:00"',
  'frame.time == "Jan  1, 2024 00:00:00.000000000"', 'frame.time >= "Jan  1, 2024 00:00:00.05"', 'frame.time >= "Jan 01, 2024 00:00:00.05"',
  'frame.time >= "Jan  1,2024 00:00:00.05"', 'frame.time >= "Jan  1, 2024 00:00:00.05 UTC"', 'frame.time >= "2020-01-01"',
  'frame.time >= "2024-01-01 00:00"', 'frame.time >= "2024-01-01 00:00:00.05"', 'frame.time >= "2024-01-01T00:00:00.05Z"',
  'frame.time >= "2024-01-01 00:00:00,05"', 'frame.time >= "2024-1-1 0:0:0.05"', 'frame.time >= "2024-01-01T00:00:00.05+00"',
  'frame.time >= "2024-01-01 00:00:00.05+01:00"', 'frame.time >= "2024-01-01T00:00:00.05-0100"', 'frame.time >= "2024-01-01 00:00:60"',
  'frame.time >= "2024-02-30 00:00:00"', 'frame.time < "2024-01-01 00:00:00.05" && frame.time_relative > 0.01',
  'frame.time in {"2024-01-01 00:00:00.05".."2024-01-01 00:00:00.07"}', 'frame.time_epoch >= 1704067200.05', 'frame.time_epoch > 1704067199',
];

/** Value names and boolean strings, of the fields that declare them. */
const NAMES: [string, string][] = [
  ['mixed.pcap', 'tcp.flags.syn == "Set"'], ['mixed.pcap', 'tcp.flags.syn == Set'], ['mixed.pcap', 'tcp.flags.ack == "not SET"'],
  ['mixed.pcap', 'tcp.flags.syn == TRUE'], ['mixed.pcap', 'tcp.flags.syn == FALSE'], ['mixed.pcap', 'ip.flags.df == "Set"'],
  ['mixed.pcap', 'dns.flags.response == "Message is a response"'], ['mixed.pcap', 'dns.flags.recdesired == "Do query recursively"'],
  ['mixed.pcap', 'ip.proto == UDP'], ['mixed.pcap', 'ip.proto == "UDP"'], ['mixed.pcap', 'ip.proto == Tcp'], ['mixed.pcap', 'ip.proto > UDP'],
  ['mixed.pcap', 'ip.proto in {UDP, ICMP}'], ['mixed.pcap', 'ip.proto != "udp"'], ['mixed.pcap', 'eth.type == IPv4 || eth.type == ARP'],
  ['mixed.pcap', 'eth.type == "802.1Q Virtual LAN"'], ['mixed.pcap', 'arp.opcode == request'], ['mixed.pcap', 'ipv6.nxt == UDP'],
  ['mixed.pcap', 'dns.qry.type == "A (Host Address)"'], ['mixed.pcap', 'dns.flags.opcode == "standard query"'],
  ['mixed.pcap', 'ip.dsfield.dscp == default'], ['mixed.pcap', 'ip.dsfield.ecn == "Not ECN-Capable Transport"'],
  ['mixed.pcap', 'arp.hw.type == Ethernet'], ['mixed.pcap', 'dns.qry.class == "IN"'], ['mixed.pcap', 'dns.flags.z == "reserved (0)"'],
  ['aarp.pcap', 'aarp.opcode == reply'],
  ['ipv6.pcap', 'ipv6.nxt == ICMPv6'], ['ipv6.pcap', 'icmpv6.type == "Echo (ping) request"'], ['ipv6.pcap', 'icmpv6.type == "Neighbor Solicitation"'],
];

/** The layer operator, on ICMP errors quoting an IP header and on GRE tunnels. */
const LAYERS: [string, string][] = [
  'ip.src#1 == 198.18.0.10', 'ip.src#2', 'ip.src#[1-2]', 'ip.src#[2:]', 'ip.src#[1:1]', 'ip.src#[0-1]', 'ip.src#0', 'ip.src#3',
  'ip.src#2[0:2] == c6:12', 'ip#2', 'ip.addr#2 == 198.18.0.10', 'udp.port#1 == 53', 'icmp.type#1 == 3', 'len(ip.src#2) == 4',
  'count(ip.src#2) == 1', 'ip.ttl#2 + 1 > 2', 'ip.ttl#2 == 1', 'ip.src#1 == ip.dst#2', 'ip.dst#1 != ip.dst#2', 'ip.proto#2 == 17',
  'ip.src#2 in {198.18.0.10, 198.18.0.20}', 'icmp && ip.len#2 + 8 < ip.len#1', 'udp#1', 'tcp#1',
  'ip.src#[1,2] == 198.18.0.10', 'ip.src#[2, 1] == 198.18.0.1', 'ip.src#[3,2:] == 198.18.0.10', 'ip.dst#[1-2,3] == 198.18.0.1',
  'count(ip.src#[1,2]) == 2', 'count(ip.src#[1,3]) == 1', 'ip.ttl#[2,4] == 1', 'ip.src#[1,2] != 198.18.0.10', 'ip.src#[1,2] ~= 198.18.0.10',
].map((f): [string, string] => [fixturePath('icmp-errors.pcap'), f]);
const GRE = join(CORPUS, 'various_gre.pcap');
const GRE_LAYERS = ['ip.src#2', 'ip.dst#1 != ip.dst#2', 'ip#[2:]', 'ip.src#[1,3:] == ip.src#2', 'count(ip.ttl#[1,2]) == 2', 'gre && ip.ttl#2 < ip.ttl#1', 'ip.len#1 - ip.len#2 > 20', 'ip.src#2 == ip.src#1'];

async function agree(t: Test, cases: [string, string][], minKeeping: number): Promise<void> {
  const engine = new DissectorEngine();
  let keeping = 0;
  for (const [file, filter] of cases) {
    const ref = tshark(['-r', file, ...TSHARK_PER_FRAME, '-Y', filter]);
    t.equal(ref.status, 0, `tshark takes ${filter}`);
    const got = await summaryLines(file, filter, engine);
    t.equal(got, ref.stdout, `${file.replace(/.*\//, '')}: ${filter}`);
    if (ref.stdout) keeping++;
  }
  // Filters that keep nothing agree trivially: most must keep something.
  t.ok(keeping >= minKeeping, `${keeping} of ${cases.length} filters keep some frame`);
}

t.test('arithmetic keeps the frames tshark keeps', { skip }, async (t) => {
  await agree(t, ARITHMETIC.map((f) => [fixturePath('mixed.pcap'), f]), ARITHMETIC.length - 18);
});

t.test('the layer operator keeps the frames tshark keeps', { skip }, async (t) => {
  const gre = existsSync(GRE) ? GRE_LAYERS.map((f): [string, string] => [GRE, f]) : [];
  if (!gre.length) t.comment(`${GRE} is absent: GRE tunnels not compared`);
  await agree(t, [...LAYERS, ...gre], LAYERS.length - 8);
});

t.test('value names and boolean strings keep the frames tshark keeps', { skip }, async (t) => {
  await agree(t, NAMES.map(([f, filter]) => [fixturePath(f), filter]), NAMES.length - 2);
});

t.test('absolute times against dates keep the frames tshark keeps, in the local zone TZ names', { skip }, (t) => {
  const file = fixturePath('mixed.pcap');
  // A date without a zone is local: the comparisons move with TZ.
  for (const tz of ['UTC', 'Europe/Paris', 'America/New_York', 'CET-1']) {
    const env = { ...process.env, TZ: tz };
    const filters = tz === 'UTC' ? DATES : ['frame.time >= "2024-01-01 01:00:00.05"', 'frame.time >= "Jan  1, 2024 01:00:00.05"',
      'frame.time >= "2024-01-01"', 'frame.time < "Dec 31, 2023 19:00:00.05"', 'frame.time >= "2024-01-01 00:00:00.05Z"'];
    for (const filter of filters) {
      const ref = spawnSync('tshark', ['-r', file, ...TSHARK_PER_FRAME, '-Y', filter], { encoding: 'utf8', env });
      const got = spawnSync(process.execPath, [XCAP, 'read', '-r', file, '-Y', filter], { encoding: 'utf8', env });
      t.equal(got.stdout, ref.stdout, `TZ=${tz}: ${filter}`);
    }
  }
  t.end();
});

t.test('syntax: * / % bind tighter than + -, left to right; {} groups; a "-" starting a word is a minus', (t) => {
  const shape = (v: Value): unknown => v.kind === 'arith' ? [shape(v.left), v.op, shape(v.right)]
    : v.kind === 'negate' ? ['-', shape(v.operand)] : v.kind === 'name' ? v.text : v.kind;
  const left = (f: string): unknown => shape((parseDisplayFilter(f) as { left: Value }).left);
  t.same(left('a + b * c == 1'), ['a', '+', ['b', '*', 'c']]);
  t.same(left('a - b - c == 1'), [['a', '-', 'b'], '-', 'c']);
  t.same(left('{a + b} % c == 1'), [['a', '+', 'b'], '%', 'c']);
  t.same(left('-a/2 == 1'), [['-', 'a'], '/', '2']);
  t.same(left('a -4 == 1'), ['a', '-', '4']);
  t.same(left('a-4 == 1'), 'a-4', 'a "-" inside a word is part of it, as in tshark');
  t.same(left('ip.dst == 10.0.0.0/8' as string), 'ip.dst', 'an address prefix is no division');
  t.same((parseDisplayFilter('ip.src#[2:] == 1') as { left: { layers: unknown } }).left.layers, [{ first: 2, last: Number.MAX_SAFE_INTEGER }]);
  t.same((parseDisplayFilter('ip.src#[1, 3-4,5:] == 1') as { left: { layers: unknown } }).left.layers,
    [{ first: 1, last: 1 }, { first: 3, last: 4 }, { first: 5, last: Number.MAX_SAFE_INTEGER }]);
  t.end();
});
