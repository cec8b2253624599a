// IPv6, ICMP and ICMPv6 on hand-built edge cases: xcap's summary lines and
// -T fields values equal tshark's.  Each case is a behaviour checked against
// tshark 4.0 while the dissectors were written (jumbograms, fragments,
// extension headers running off the end, quoted datagrams, short messages).
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, tshark, xcap, TSHARK_PER_FRAME } from '../helpers/env.js';
import { fieldDiffs } from '../helpers/field-diff.js';

const FIELDS = [
  'ipv6.version', 'ipv6.tclass', 'ipv6.flow', 'ipv6.plen', 'ipv6.nxt', 'ipv6.hlim', 'ipv6.src', 'ipv6.dst',
  'ipv6.src_host', 'ipv6.slaac_mac', 'ipv6.6to4_gw_ipv4', 'ipv6.tc_port', 'ipv6.tc_ipv4', 'ipv6.isatap_ipv4',
  'ipv6.embed_ipv4', 'ipv6.hopopts.len_oct', 'ipv6.opt.type', 'ipv6.opt.length', 'ipv6.opt.padn',
  'ipv6.opt.router_alert', 'ipv6.routing.type', 'ipv6.routing.src.addr', 'ipv6.routing.srh.addr',
  'ipv6.fraghdr.offset', 'ipv6.fraghdr.more', 'ipv6.fraghdr.ident', 'ah.spi', 'ah.sequence', 'ah.icv',
  'ip.version', 'ip.src', 'ip.len', 'udp.srcport', 'udp.length', 'data.len',
  'icmp.type', 'icmp.code', 'icmp.checksum.status', 'icmp.unused', 'icmp.ident', 'icmp.seq_le', 'icmp.mtu',
  'icmp.pointer', 'icmp.address_mask', 'icmp.originate_timestamp',
  'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum.status', 'icmpv6.reserved', 'icmpv6.mtu', 'icmpv6.pointer',
  'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number', 'mip6.mhtype', 'mip6.csum',
];

// --- building frames ---
const bytes = (...parts: (Buffer | number[])[]): Buffer => Buffer.concat(parts.map((p) => Buffer.isBuffer(p) ? p : Buffer.from(p)));
const u16 = (v: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; };
const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };

function v6(text: string): Buffer {
  const [head, tail = ''] = text.split('::');
  const h = head ? head.split(':') : [];
  const tl = text.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...h, ...Array(8 - h.length - tl.length).fill('0'), ...tl];
  return Buffer.concat(groups.map((g) => u16(parseInt(g, 16))));
}
const v4 = (text: string): Buffer => Buffer.from(text.split('.').map(Number));

function checksum(b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) + (i + 1 < b.length ? b[i + 1] : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const ether = (payload: Buffer, type = 0x86dd): Buffer =>
  bytes([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb], u16(type), payload);

function ipv6(nxt: number, payload: Buffer, o: { src?: string; dst?: string; plen?: number; first?: number } = {}): Buffer {
  return bytes(u32(o.first ?? 0x60000000), u16(o.plen ?? payload.length), [nxt, 64],
    v6(o.src ?? '2001:db8::1'), v6(o.dst ?? '2001:db8::2'), payload);
}

function ipv4(proto: number, payload: Buffer, o: { src?: string; dst?: string; total?: number } = {}): Buffer {
  const h = bytes([0x45, 0], u16(o.total ?? 20 + payload.length), u16(1), u16(0), [64, proto], u16(0),
    v4(o.src ?? '192.0.2.1'), v4(o.dst ?? '192.0.2.2'));
  h.writeUInt16BE(checksum(h), 10);
  return bytes(h, payload);
}

function icmp(type: number, code: number, body: Buffer): Buffer {
  const m = bytes([type, code, 0, 0], body);
  m.writeUInt16BE(checksum(m), 2);
  return m;
}

function icmp6(type: number, code: number, body: Buffer, src = '2001:db8::1', dst = '2001:db8::2'): Buffer {
  const m = bytes([type, code, 0, 0], body);
  m.writeUInt16BE(checksum(bytes(v6(src), v6(dst), u32(m.length), u32(58), m)), 2);
  return m;
}

// The checksum is not computed (UDP over IPv6 must have one; tshark flags zero).
const udp = (sport: number, dport: number, payload: Buffer): Buffer =>
  bytes(u16(sport), u16(dport), u16(8 + payload.length), u16(0x1234), payload);

function pcap(frames: Buffer[]): Buffer {
  const header = bytes([0xd4, 0xc3, 0xb2, 0xa1], [2, 0, 4, 0], u32(0), u32(0), [0xff, 0xff, 0, 0], [1, 0, 0, 0]);
  return Buffer.concat([header, ...frames.map((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1000 + i, 0); r.writeUInt32LE(f.length, 8); r.writeUInt32LE(f.length, 12);
    return bytes(r, f);
  })]);
}

// --- the cases ---
const echo6 = icmp6(128, 0, bytes(u16(0x1234), u16(1), Buffer.from('abcdefgh')));
const inner6 = ipv6(17, udp(1, 2, Buffer.from('hello')), { src: '2001:db8::2', dst: '2001:db8::9', plen: 500 });
const inner4 = ipv4(17, udp(1, 2, Buffer.from('hello')), { src: '192.0.2.2', dst: '192.0.2.9', total: 500 });
const ah = (nxt: number, icv: Buffer): Buffer => bytes([nxt, (12 + icv.length) / 4 - 2], u16(0), u32(0x100), u32(7), icv);

const cases: [string, Buffer[]][] = [
  ['IPv6 header, payload length, fragments', [
    ether(ipv6(58, echo6)),
    ether(ipv6(58, echo6, { plen: 0 })), // zero length without a jumbo option: ICMPv6 gets nothing
    ether(ipv6(58, echo6, { plen: 200 })), // longer than the frame: dissected as far as it goes
    ether(ipv6(58, echo6, { plen: 6 })),
    ether(ipv6(44, bytes([58, 0], u16(1), u32(0xdeadbeef), echo6))), // first fragment: dissected
    ether(ipv6(44, bytes([58, 0], u16(16 << 3), u32(0xdeadbeef), Buffer.alloc(16, 0x78)))), // later one: data
    ether(ipv6(59, Buffer.alloc(0))),
    ether(ipv6(58, echo6, { first: 0x4abcdef1 })), // not version 6
    ether(ipv6(99, Buffer.from('zzzz'), { first: 0x6b812345 })),
    ether(ipv6(58, echo6).subarray(0, 30)),
  ]],
  ['IPv6 extension headers and embedded addresses', [
    ether(ipv6(0, bytes([58, 0, 5, 2, 0, 0, 1, 0], echo6))),
    ether(ipv6(43, bytes([58, 4, 0, 2], u32(0), v6('2001:db8::a'), v6('2001:db8::b'), echo6))),
    ether(ipv6(43, bytes([58, 4, 4, 1, 1, 0], u16(0), v6('2001:db8::c'), v6('2001:db8::d'), echo6))),
    ether(ipv6(60, bytes([58, 0, 1, 4, 0, 0, 0, 0], echo6))),
    ether(ipv6(0, bytes([58, 84, 0xf3, 82], Buffer.alloc(12)))), // header longer than the frame
    ether(ipv6(17, udp(1, 2, Buffer.from('hi')), { src: '2002:c000:201::1', dst: '2001:0:4136:e378:8000:63bf:3fff:fdd2' })),
    ether(ipv6(17, udp(1, 2, Buffer.from('hi')), { src: 'fe80::200:5efe:c000:201', dst: '64:ff9b::c000:202' })),
    ether(ipv6(51, bytes(ah(99, Buffer.alloc(12, 0x11)), Buffer.from('zz')))),
    ether(ipv6(51, ah(58, Buffer.alloc(4, 0x11)).subarray(0, 10))),
    ether(ipv6(135, bytes([59, 0, 5, 0]))),
  ]],
  ['ICMP types, short messages and quoted datagrams', [
    ...[0, 3, 4, 5, 9, 11, 12, 13, 17, 19, 30, 40, 43, 44].map((type) =>
      ether(ipv4(1, icmp(type, 1, bytes([0, 0, 0, 0], type === 13 ? Buffer.alloc(12) : inner4))), 0x800)),
    ...[1, 4, 6, 8].map((n) => ether(ipv4(1, icmp(8, 0, bytes(u16(0x1234), u16(0x0102), Buffer.from('payload!'))).subarray(0, n)), 0x800)),
    ether(ipv4(1, icmp(3, 4, bytes(u16(0), u16(1400), inner4.subarray(0, 28)))), 0x800),
    ether(ipv4(1, icmp(3, 3, bytes([0, 0, 0, 0], inner4.subarray(0, 10)))), 0x800),
  ]],
  ['ICMPv6 errors and codes', [
    ...[[1, 0], [1, 4], [1, 9], [2, 0], [3, 1], [3, 2], [4, 3], [4, 4], [5, 0]].map(([type, code]) =>
      ether(ipv6(58, icmp6(type, code, bytes([0, 0, 0, 0], inner6))))),
    ether(ipv6(58, icmp6(1, 4, bytes([0, 0, 0, 0], inner6.subarray(0, 30))))),
    ether(ipv6(58, icmp6(1, 4, bytes([0, 0, 0, 0], ipv6(58, icmp6(128, 0, bytes(u16(1), u16(2), Buffer.from('abcd')),
      '2001:db8::2', '2001:db8::9'), { src: '2001:db8::2', dst: '2001:db8::9' }))))),
  ]],
];

const skip = hasCommand('tshark') ? false : 'tshark is not installed: these checks need it as the oracle';
const dir = mkdtempSync(join(tmpdir(), 'xcap-ipv6-icmp-'));
const eArgs = FIELDS.flatMap((f) => ['-e', f]);

for (const [name, frames] of cases) {
  t.test(name, { skip }, (t) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.pcap`);
    writeFileSync(file, pcap(frames));
    t.equal(xcap(['read', '-r', file]).stdout, tshark(['-r', file, ...TSHARK_PER_FRAME]).stdout, 'summary lines');
    const ref = tshark(['-r', file, ...TSHARK_PER_FRAME, '-T', 'fields', ...eArgs]).stdout;
    const got = xcap(['read', '-r', file, '-T', 'fields', ...eArgs]).stdout;
    const diffs = fieldDiffs(ref, got, FIELDS).map((d) => d.text);
    t.same(diffs, [], 'fields');
    t.end();
  });
}
