// read -z: the statistics must equal tshark 4.0's, byte for byte, under the
// per-frame preferences; bad -z arguments are one-line usage errors.
import t, { type Test } from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { xcap, tshark, hasCommand, FIXTURES, CORPUS, corpusPresent, TSHARK_PER_FRAME } from '../helpers/env.js';

const haveTshark = hasCommand('tshark');

/** Every conversation and endpoint table. */
const TABLES = ['eth', 'ip', 'ipv6', 'tcp', 'udp'].flatMap((type) => ['-z', `conv,${type}`, '-z', `endpoints,${type}`]);
/** An io,stat with filtered, unfiltered and empty columns. */
const IO_STAT = ['-z', 'io,stat,0.005,tcp,udp,,ip.src==198.18.0.10'];
/** Fixtures whose io,stat differs, and why (docs/statistics.md). */
const IO_STAT_DIFFERS: Record<string, string> = {
  'malformed.pcap': "xcap's display filter finds tcp in frame 16, after a malformed IPv6 destination options header",
  'nhrp.pcap': 'tshark does not tap the frames whose NHRP error or traffic indication is cut short',
  'multi-interface.pcapng': 'tshark counts a pcapng custom block as a frame',
};

// Protocol hierarchies follow the protocol tree's top level, which xcap's
// layers match in these fixtures; docs/statistics.md says where they do not.
const PHS_FIXTURES = [
  'aodv.pcap', 'aoe.pcap', 'bfd.pcap', 'cdp.pcap', 'dhcp.pcap', 'dhcpv6.pcap', 'dns-malformed.pcap', 'dns-transactions.pcap',
  'dns.pcap', 'eigrp.pcap', 'esp.pcap', 'ethernet-trailer.pcap', 'geonw.pcap', 'icmp-errors.pcap', 'igmp.pcap',
  'ipv4-options-fragments.pcap', 'ipv6.pcap', 'ipx-sll.pcap', 'isakmp.pcap', 'krb4.pcap', 'lacp.pcap', 'linktype-arcnet.pcap',
  'linktype-atm-rfc1483.pcap', 'linktype-ipv4.pcap', 'linktype-ipv6.pcap', 'linktype-loop.pcap', 'linktype-null.pcap',
  'linktype-ppp.pcap', 'linktype-raw-short.pcap', 'linktype-raw.pcap', 'linktype-sll.pcap', 'linktype-sll2.pcap', 'llc.pcap',
  'lldp.pcap', 'm3ua.pcap', 'mpls-echo.pcap', 'msnlb.pcap', 'nbns.pcap', 'ntp.pcap', 'olsr.pcap', 'osi-frelay.pcap', 'pgm.pcap',
  'ppp-control.pcap', 'radius.pcap', 'resp.pcap', 'rx.pcap', 'sflow.pcap', 'snmp.pcap', 'ssh.pcap', 'stp.pcap', 'tftp.pcap',
  'tls.pcap', 'vlan-encap.pcap',
];

/** A sample of the shared corpus (absent files are skipped). */
const CORPUS_SAMPLE = [
  '02-sunrise-sunset-esp.pcap', 'LLDP_and_CDP.pcap', 'babel_rfc6126bis.pcap', 'bgp-shutdown-communication.pcapng',
  'dccp_partial_csum_v6_longer.pcap', 'gquic.pcap', 'lspping-fec-rsvp.pcap', 'pgm_poll_polr.pcap', 'rsvp_cap.pcap',
  'time_2106_max.pcap', 'afs.pcap', 'pim-packet-assortment.pcap',
];
/** The sample's files whose protocol hierarchy equals tshark's (gquic, afs and pim-packet-assortment differ). */
const CORPUS_PHS = CORPUS_SAMPLE.filter((f) => !['gquic.pcap', 'afs.pcap', 'pim-packet-assortment.pcap'].includes(f));
const CORPUS_OPTIONS = [...TABLES, '-z', 'io,stat,1,tcp,udp'];
/** Every stats tree xcap has, one with a filter of its own. */
const TREES = ['-z', 'plen,tree', '-z', 'ptype,tree', '-z', 'http,tree', '-z', 'plen,tree,udp'];
/** Fixtures whose stats trees differ, and why (docs/statistics.md). */
const TREES_DIFFER: Record<string, string> = {
  'nhrp.pcap': IO_STAT_DIFFERS['nhrp.pcap'],
  'multi-interface.pcapng': IO_STAT_DIFFERS['multi-interface.pcapng'],
  'openflow.pcap': 'Wireshark restores the port type after the packets OpenFlow carries',
  'malformed.pcap': 'tshark reads UDP over a malformed IPv6 header differently (ptype)',
  'tcp-analysis.pcap': 'tshark taps HTTP continuation data that xcap\'s HTTP layer does not cover',
  'http-matching.pcap': 'tshark counts SSDP\'s M-SEARCH requests under SEARCH',
};

function compare(t: Test, file: string, options: string[], extra: string[] = ['-q']): void {
  const expected = tshark(['-r', file, ...TSHARK_PER_FRAME, ...extra, ...options]);
  const got = xcap(['read', '-r', file, ...extra, ...options]);
  t.equal(got.status === 0, expected.status === 0, `${file}: succeeds as tshark does (or fails as it does)`);
  t.equal(got.stdout, expected.stdout, `${file} ${options.join(' ')}`);
}

t.test('conversations, endpoints and io,stat equal tshark over the fixtures', { skip: haveTshark ? false : 'tshark is not installed' }, async (t) => {
  const files = readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
  t.ok(files.length > 50, 'the fixtures are there (npm run fixtures)');
  for (const f of files) compare(t, join(FIXTURES, f), IO_STAT_DIFFERS[f] ? TABLES : [...TABLES, ...IO_STAT]);
});

t.test('protocol hierarchy equals tshark\'s', { skip: haveTshark ? false : 'tshark is not installed' }, async (t) => {
  for (const f of PHS_FIXTURES) compare(t, join(FIXTURES, f), ['-z', 'io,phs']);
  compare(t, join(FIXTURES, 'dns.pcap'), ['-z', 'io,phs,udp.port==53']);
});

t.test('a sample of the corpus', { skip: !haveTshark ? 'tshark is not installed' : !corpusPresent ? `no corpus at ${CORPUS}` : false }, async (t) => {
  for (const f of CORPUS_SAMPLE.map((name) => join(CORPUS, name)).filter(existsSync)) compare(t, f, CORPUS_OPTIONS);
  for (const f of CORPUS_PHS.map((name) => join(CORPUS, name)).filter(existsSync)) compare(t, f, ['-z', 'io,phs']);
});

t.test('stats trees equal tshark\'s over the fixtures and the corpus sample', { skip: haveTshark ? false : 'tshark is not installed' }, async (t) => {
  const files = readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?$/.test(f) && !TREES_DIFFER[f]).sort().map((f) => join(FIXTURES, f));
  const sample = corpusPresent ? CORPUS_SAMPLE.map((name) => join(CORPUS, name)).filter(existsSync) : [];
  for (const f of [...files, ...sample]) compare(t, f, TREES);
});

t.test('as tshark: several -z print last first, -Y does not select what they count, packets print first without -q', { skip: haveTshark ? false : 'tshark is not installed' }, async (t) => {
  const http = join(FIXTURES, 'http.pcap');
  compare(t, http, ['-z', 'conv,tcp', '-z', 'io,stat,0.01', '-z', 'endpoints,ip,tcp.port==80']);
  compare(t, http, ['-z', 'conv,ip', '-Y', 'tcp.srcport==80']);
  compare(t, http, ['-z', 'conv,tcp,http'], []);
});

t.test('bad -z arguments are one-line usage errors naming them', async (t) => {
  const file = join(FIXTURES, 'http.pcap');
  for (const [arg, pattern] of [
    ['nonsense', /^xcap: -z nonsense: not a statistic xcap knows/],
    ['conv,sctp', /^xcap: -z conv,sctp: xcap has no conversation table of type 'sctp'/],
    ['smb,tree', /^xcap: -z smb,tree: not a statistic xcap knows .*plen,tree/],
    ['endpoints,', /^xcap: -z endpoints,: xcap has no endpoint table/],
    ['io,stat,x', /^xcap: -z io,stat,x: io,stat wants io,stat,INTERVAL/],
    ['io,stat,1,', /^xcap: -z io,stat,1,: io,stat wants/],
    ['io,stat,0.0000001', /^xcap: -z io,stat,0.0000001: the interval must be at least/],
    ['io,stat,1,SUM(frame.len)frame.len', /^xcap: -z io,stat,1,SUM\(frame.len\)frame.len: .*not SUM\(\) columns/],
  ] as const) {
    const r = xcap(['read', '-r', file, '-q', '-z', arg]);
    t.equal(r.status, 2, `${arg}: exit 2`);
    t.equal(r.stdout, '', `${arg}: nothing on stdout`);
    t.equal(r.stderr.trimEnd().split('\n').length, 1, `${arg}: one line`);
    t.match(r.stderr, pattern);
  }
  // 24 s in microseconds is more intervals than xcap keeps; tshark would print 24 million rows.
  const tooMany = xcap(['read', '-r', join(FIXTURES, 'dns-transactions.pcap'), '-q', '-z', 'io,stat,0.000001']);
  t.equal(tooMany.status, 1, 'too many io,stat intervals: exit 1');
  t.match(tooMany.stderr, /^xcap: -z io,stat: the capture spans more than 10,000,000 intervals of 0\.000001 s; give a longer interval\n$/);
  const badFilter = xcap(['read', '-r', file, '-q', '-z', 'conv,ip,no.such.field==1']);
  t.not(badFilter.status, 0, 'a bad filter in -z fails');
  t.equal(badFilter.stderr.trimEnd().split('\n').length, 1, 'on one line');
});
