// Link layers and encapsulations, on frames built here (independent of the
// fixture generator): xcap's fields equal tshark's on well-formed frames of
// each kind, and randomly damaged frames never make a dissector trap.
import t from 'tap';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCommand, tshark, xcap, TSHARK_PER_FRAME } from '../helpers/env.js';
import { fieldDiffs } from '../helpers/field-diff.js';
import { mutations, pcap } from '../helpers/damage.js';

const FIELDS = [
  'eth.src', 'eth.type', 'vlan.id', 'vlan.etype', 'ieee8021ad.id', 'ieee8021ad.svid', 'ieee8021ad.cvid', 'ieee8021ah.etype',
  'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4', 'arp.isgratuitous', 'arp.src.hw', 'arp.dst.proto',
  'sll.pkttype', 'sll.hatype', 'sll.src.eth', 'sll.unused', 'sll.etype', 'sll.ltype', 'sll.gretype', 'sll.ifindex',
  'null.family', 'null.type', 'ppp.direction', 'ppp.address', 'ppp.protocol', 'chdlc.protocol',
  'pppoe.code', 'pppoe.session_id', 'pppoe.payload_length', 'pppoed.tags.ac_name',
  'mpls.label', 'mpls.exp', 'mpls.bottom', 'mpls.ttl', 'gre.flags_and_version', 'gre.proto', 'gre.key', 'gre.key.call_id',
  'gre.sequence_number', 'gre.ack_number', 'erspan.version', 'erspan.vlan', 'erspan.spanid', 'cmd.type', 'avsp.etype',
  'vxlan.flags', 'vxlan.vni', 'geneve.proto_type', 'geneve.vni', 'geneve.option.length', 'geneve.option.unknown.data',
  'fr.dlci', 'fr.chdlctype', 'ip.src', 'ip.proto', 'ipv6.src', 'udp.srcport', 'tcp.srcport',
];

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const u16 = (v: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; };
const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };
const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

function udp(src: number, dst: number, payload: Buffer): Buffer {
  return cat(u16(src), u16(dst), u16(8 + payload.length), u16(0), payload);
}
function ipv4(payload: Buffer, proto = 17): Buffer {
  return cat(hex('4500'), u16(20 + payload.length), hex('00010000 40'), Buffer.from([proto]), hex('0000 0a000001 0a000002'), payload);
}
function ipv6(payload: Buffer): Buffer {
  return cat(hex('60000000'), u16(payload.length), hex('1140'), hex('20010000000000000000000000000001'), hex('20010000000000000000000000000002'), payload);
}
const eth = (type: number, payload: Buffer): Buffer => cat(hex('001122334455 66778899aabb'), u16(type), payload);
const tag = (tci: number, type: number, payload: Buffer): Buffer => cat(u16(tci), u16(type), payload);
const label = (value: number, exp: number, bottom: number, ttl: number): Buffer => u32((value << 12) | (exp << 9) | (bottom << 8) | ttl);

const IP = ipv4(udp(1234, 5678, Buffer.from('abcdefgh')));
const IP6 = ipv6(udp(1, 2, Buffer.from('xyz')));
const ETH_IP = eth(0x0800, IP);
const arp = (op: number, spa: string, tha: string, tpa: string): Buffer =>
  cat(hex('0001 0800 06 04'), u16(op), hex('001122334455'), hex(spa), hex(tha), hex(tpa));

const ETHERNET: Buffer[] = [
  eth(0x8100, tag(0x2064, 0x0800, IP)),
  eth(0x88a8, tag(0x00c8, 0x8100, tag(0x07d1, 0x0806, arp(1, '0a000001', '000000000000', '0a000002')))),
  eth(0x88a8, tag(0x00c8, 0x88a8, tag(0x07d1, 0x0800, IP))),
  eth(0x9100, tag(5, 0x8100, tag(6, 0x0800, IP))),
  eth(0x0806, arp(2, '0a000001', '666666666666', '0a000002')),
  eth(0x0806, arp(1, '0a000001', '000000000000', '0a000001')),
  eth(0x0806, cat(hex('0006 86dd 03 10 0009 010203'), Buffer.alloc(16, 0x20), hex('040506'), Buffer.alloc(16, 0x30))),
  eth(0x8847, cat(label(100, 0, 0, 64), label(200, 5, 1, 63), IP)),
  eth(0x8848, cat(label(16, 0, 1, 1), IP6)),
  eth(0x8847, cat(label(300, 0, 1, 10), hex('00000001'), ETH_IP)),
  eth(0x0800, ipv4(cat(hex('30000800 0000002a 00000007'), IP), 47)),
  eth(0x0800, ipv4(cat(hex('20006558 00000001'), ETH_IP), 47)),
  eth(0x0800, ipv4(cat(hex('3081880b 00200005 00000009 00000008 ff030021'), IP), 47)),
  eth(0x0800, ipv4(cat(hex('100088be 00000001 10640001 00000005'), ETH_IP), 47)),
  eth(0x0800, ipv4(cat(hex('000088be'), ETH_IP), 47)),
  eth(0x0800, ipv4(cat(hex('100022eb 00000001 20640001 00000005 00000001'), ETH_IP), 47)),
  eth(0x0800, ipv4(cat(hex('00008909 0800 0101 0001 0010'), IP), 47)),
  eth(0x0800, ipv4(udp(5555, 4789, cat(hex('0800000000006400'), ETH_IP)))),
  eth(0x0800, ipv4(udp(5555, 6081, cat(hex('02406558 00000a00 00008001 0000000c'), ETH_IP)))),
  eth(0x8864, cat(hex('1100 1234'), u16(2 + IP.length), hex('0021'), IP)),
  eth(0x8863, hex('1107 0000 000c 0102 0004 61626364 0101 0000')),
  eth(0xd28b, cat(hex('0001 0010 5ceeed57 384f59c8 0800'), IP)),
  eth(0x8909, cat(hex('0101 0001 0010 0800'), IP)),
];
const SLL: Buffer[] = [
  cat(hex('0000 0001 0006 001122334455 0000 0800'), IP),
  cat(hex('0004 0001 0006 001122334455 0000 0007 ff030021'), IP),
  cat(hex('0000 030a 0000 0000000000000000 0800'), IP),
  cat(hex('0000 0001 0006 001122334455 0000 8100'), tag(9, 0x0800, IP)),
];
const NULLS: Buffer[] = [cat(hex('02000000'), IP), cat(hex('00000002'), IP), cat(hex('18000000'), IP6), cat(hex('00000800'), IP), cat(hex('ff030021'), IP)];
const RAW: Buffer[] = [IP, IP6, cat(hex('ff030021'), IP), cat(Buffer.alloc(10), IP)];
const PPP: Buffer[] = [cat(hex('ff030021'), IP), cat(hex('0021'), IP), cat(hex('21'), IP), cat(hex('ff030057'), IP6), cat(hex('ff030281'), label(7, 0, 1, 5), IP), cat(hex('0f000800'), IP)];
const FRAME_RELAY: Buffer[] = [cat(hex('48e1 86dd'), IP6), cat(hex('48e1 03 cc'), IP), cat(hex('48e1 03 00 8e'), IP6)];

const SETS: Array<[string, number, Buffer[]]> = [
  ['ethernet', 1, ETHERNET], ['sll', 113, SLL], ['null', 0, NULLS], ['loop', 108, NULLS], ['raw', 101, RAW],
  ['ppp', 9, PPP], ['chdlc', 104, [cat(hex('0f000800'), IP), cat(hex('8f0086dd'), IP6)]], ['fr', 107, FRAME_RELAY],
];

const dir = mkdtempSync(join(tmpdir(), 'xcap-encap-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const eArgs = FIELDS.flatMap((f) => ['-e', f]);
const noTshark = hasCommand('tshark') ? false : 'tshark is not installed: the agreement test needs it as the oracle';

t.test('fields equal tshark on well-formed frames of every encapsulation', { skip: noTshark }, async (t) => {
  for (const [name, linktype, frames] of SETS) {
    const path = join(dir, `${name}.pcap`);
    writeFileSync(path, pcap(linktype, frames.map((f) => [f, f.length])));
    const ref = tshark(['-r', path, ...TSHARK_PER_FRAME, '-T', 'fields', ...eArgs]).stdout;
    const got = xcap(['read', '-r', path, '-T', 'fields', ...eArgs]).stdout;
    t.equal(got.split('\n').length, ref.split('\n').length, `${name}: one line per frame`);
    const diffs = fieldDiffs(ref, got, FIELDS).map((d) => d.text);
    t.same(diffs, [], `${name}: no field differs`);
  }
});

t.test('damaged frames never trap a dissector', async (t) => {
  for (const [name, linktype, frames] of SETS) {
    const path = join(dir, `${name}-damaged.pcap`);
    const count = 3000;
    writeFileSync(path, pcap(linktype, mutations(frames, count, linktype + 17)));
    for (const mode of [[], ['-V'], ['-T', 'fields', ...eArgs]]) {
      const run = xcap(['read', '-r', path, ...mode]);
      t.equal(run.status, 0, `${name} ${mode[0] ?? 'summary'}: exits cleanly`);
      t.notMatch(run.stderr, /dissector failed|trap/i, `${name} ${mode[0] ?? 'summary'}: no dissector trapped`);
      if (mode[0] === '-T') t.equal(run.stdout.split('\n').length - 1, count, `${name}: a line for every frame`);
    }
  }
});
