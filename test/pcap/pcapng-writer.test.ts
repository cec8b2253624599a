// The pcapng writer against Wireshark's own readers (capinfos, tshark, and
// tshark's pcapng file dissector for the block fields), plus the batch path
// against the per-packet path and input validation.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XcapError } from '../../src/errors.js';
import { FrameIndex, FRAME_ENTRY_SIZE } from '../../src/pcap/frame-index.js';
import { PcapngWriter, type InterfaceOptions } from '../../src/pcap/pcapng-writer.js';
import { hasCommand } from '../helpers/env.js';

interface Packet { iface: number; sec: number; nsec: number; data: Uint8Array; origlen: number; flags?: number; comments?: string[] }

const SECTION = { hardware: 'test rig', os: 'TestOS 1.0', application: 'xcap test', comment: 'section comment' };
const INTERFACES: InterfaceOptions[] = [
  { name: 'eth0', description: 'first Ethernet', linktype: 1, snaplen: 262144, filter: 'udp or arp', os: 'Linux 6' },
  { name: 'tun0', linktype: 101, snaplen: 65535 },
  { name: 'any', description: 'cooked', linktype: 113, snaplen: 1500 },
];

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

const PACKETS: Packet[] = [
  { iface: 0, sec: 1_700_000_000, nsec: 123_456_789, data: bytes(60, 1), origlen: 60, flags: 1, comments: ['first packet'] },
  { iface: 1, sec: 2 ** 32 + 5, nsec: 999_999_999, data: bytes(20, 2), origlen: 20, flags: 2 },
  { iface: 2, sec: 0, nsec: 0, data: bytes(33, 3), origlen: 1500, comments: ['two, comments', 'ünïcødé ✓'] },
  { iface: 0, sec: 2 ** 34, nsec: 1, data: bytes(1, 4), origlen: 64 },
  { iface: 1, sec: 1_234_567_890, nsec: 999_999_999, data: bytes(0, 5), origlen: 0, flags: 3 },
  { iface: 0, sec: 1_700_000_001, nsec: 500, data: bytes(1514, 6), origlen: 1514, flags: 0x01000001 },
];

function writeSample(path: string): void {
  const w = PcapngWriter.open(path, SECTION);
  const ids = INTERFACES.map((i) => w.addInterface(i));
  for (const p of PACKETS) w.writePacket(ids[p.iface], p.sec, p.nsec, p.data, p.origlen, p.flags, p.comments);
  w.writeStats(ids[0], { ifRecv: 3, ifDrop: 0, startTime: { sec: 1_700_000_000, nsec: 0 }, endTime: { sec: 1_700_000_002, nsec: 0 } });
  w.close();
}

/** Runs a Wireshark tool; its "Running as user root" notice is not a warning. */
function run(cmd: string, args: string[]): { out: string; err: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const err = r.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user')).join('\n');
  return { out: r.stdout, err, status: r.status };
}

const tools = ['tshark', 'capinfos'].filter((c) => !hasCommand(c));
const skipTools = tools.length ? `${tools.join(' and ')} not installed: the Wireshark oracles cannot run` : false;

t.test('capinfos reads the file with no warning: counts, interfaces, encapsulations, section and interface options', { skip: skipTools }, (t) => {
  const file = join(t.testdir(), 'sample.pcapng');
  writeSample(file);
  const r = run('capinfos', [file]);
  t.equal(r.status, 0);
  t.equal(r.err, '', 'nothing on stderr');
  t.match(r.out, /Number of packets:\s+6\n/);
  t.match(r.out, /Number of interfaces in file: 3\n/);
  t.match(r.out, /Ethernet \(3\)[\s\S]*Raw IP \(2\)[\s\S]*Linux cooked-mode capture v1 \(1\)/);
  for (const [i, encap] of ['Ethernet (1 - ether)', 'Raw IP (7 - rawip)', 'Linux cooked-mode capture v1 (25 - linux-sll)'].entries()) {
    t.match(r.out, new RegExp(`Interface #${i} info:[\\s\\S]*?Encapsulation = ${encap.replace(/[()]/g, '\\$&')}`));
  }
  t.match(r.out, /Capture hardware:\s+test rig\n/);
  t.match(r.out, /Capture oper-sys:\s+TestOS 1.0\n/);
  t.match(r.out, /Capture application:\s+xcap test\n/);
  t.match(r.out, /Capture comment:\s+section comment\n/);
  t.match(r.out, /Name = eth0\n\s+Description = first Ethernet\n/);
  t.match(r.out, /Capture length = 262144\n\s+Time precision = nanoseconds \(9\)/);
  t.match(r.out, /Filter string = udp or arp\n\s+Operating system = Linux 6\n/);
  t.match(r.out, /Number of stat entries = 1\n\s+Number of packets = 3\n/);
  t.end();
});

t.test('tshark gives back timestamps to the nanosecond, lengths, interfaces, comments and direction flags', { skip: skipTools }, (t) => {
  const file = join(t.testdir(), 'sample.pcapng');
  writeSample(file);
  const r = run('tshark', ['-r', file, '-T', 'fields', '-E', 'aggregator=|', '-e', 'frame.time_epoch', '-e', 'frame.len',
    '-e', 'frame.cap_len', '-e', 'frame.interface_name', '-e', 'frame.comment', '-e', 'frame.packet_flags']);
  t.equal(r.err, '');
  const expected = PACKETS.map((p) => [
    `${p.sec}.${String(p.nsec).padStart(9, '0')}`, p.origlen, p.data.length, INTERFACES[p.iface].name,
    (p.comments ?? []).join('|'), p.flags ? `0x${p.flags.toString(16).padStart(8, '0')}` : '',
  ].join('\t'));
  t.same(r.out.trimEnd().split('\n'), expected);
  const dir = run('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.packet_flags_direction']);
  t.same(dir.out.split('\n').slice(0, 3), ['0x00000001', '0x00000002', ''], 'inbound, outbound, none');
  t.end();
});

t.test('the captured bytes round-trip', { skip: skipTools }, (t) => {
  const file = join(t.testdir(), 'sample.pcapng');
  writeSample(file);
  const r = spawnSync('tshark', ['-r', file, '-T', 'json', '-x'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const frames = (JSON.parse(r.stdout) as { _source: { layers: { frame_raw?: [string] } } }[])
    .map((f) => f._source.layers.frame_raw?.[0] ?? '');
  t.same(frames, PACKETS.map((p) => Buffer.from(p.data).toString('hex')));
  t.end();
});

t.test('statistics blocks as the pcapng dissector reads them', { skip: skipTools }, (t) => {
  const file = join(t.testdir(), 'stats.pcapng');
  const w = PcapngWriter.open(file, { ...SECTION, comment: undefined });
  w.addInterface(INTERFACES[0]);
  w.addInterface(INTERFACES[1]);
  w.writeStats(0, { ifRecv: 4, ifDrop: 1n, osDrop: 2, usrDeliv: 3n, comment: 'eth0 stats',
    startTime: { sec: 2 ** 32 + 7, nsec: 999_999_999 }, endTime: { sec: 1_700_000_002, nsec: 5 } }, 2 ** 32 + 7, 999_999_999);
  w.writeStats(1, { ifRecv: 2n ** 40n }, 1_700_000_000, 1);
  w.close();
  // This dissector shows the whole file as one frame, so each field lists its values over both blocks.
  const fields = ['pcapng.interface_id', 'pcapng.timestamp_high', 'pcapng.timestamp_low', 'pcapng.options.option.data.interface.received',
    'pcapng.options.option.data.interface.dropped', 'pcapng.options.option.data.interface.dropped_by_os',
    'pcapng.options.option.data.interface.delivered_to_user', 'pcapng.options.option.data.comment'];
  const r = run('tshark', ['-r', file, '-X', 'read_format:MIME Files Format', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]);
  t.equal(r.err, '');
  const ns = [2n ** 32n * 1_000_000_000n + 7_999_999_999n, 1_700_000_000_000_000_001n];
  t.same(r.out.trimEnd().split('\t'), [
    '0,1', ns.map((n) => n >> 32n).join(','), ns.map((n) => n & 0xffffffffn).join(','), `4,${2 ** 40}`, '1', '2', '3', 'eth0 stats',
  ]);
  // isb_starttime shares the block timestamp's format, which tshark has just checked: compare the bytes.
  const b = readFileSync(file);
  const isb = b.indexOf(Buffer.from('eth0 stats')) - 24; // block header, interface id, timestamp, comment option header
  const startTimeValue = isb + 20 + 16 + 4; // after the fixed fields, the comment option and the start time option header
  t.same([...b.subarray(startTimeValue, startTimeValue + 8)], [...b.subarray(isb + 12, isb + 20)], 'isb_starttime encoded as the block timestamp');
  t.end();
});

t.test('timestamps are exact 64-bit nanosecond counts over the whole range', (t) => {
  const file = join(t.testdir(), 'ts.pcapng');
  const w = PcapngWriter.open(file, { ...SECTION, comment: undefined });
  w.addInterface({ linktype: 1, snaplen: 0 });
  const cases: [number, number][] = [[0, 0], [2 ** 32, 999_999_999], [18_446_744_073, 709_551_615], [65_535, 1], [65_536, 999_999_999]];
  for (let i = 0; i < 2000; i++) cases.push([Math.floor(Math.random() * 18_446_744_073), Math.floor(Math.random() * 1e9)]);
  for (const [sec, nsec] of cases) w.writePacket(0, sec, nsec, new Uint8Array(0), 0);
  w.close();
  const b = readFileSync(file);
  let pos = b.readUInt32LE(4) + b.readUInt32LE(b.readUInt32LE(4) + 4);
  const wrong: string[] = [];
  for (const [sec, nsec] of cases) {
    const got = (BigInt(b.readUInt32LE(pos + 12)) << 32n) | BigInt(b.readUInt32LE(pos + 16));
    if (got !== BigInt(sec) * 1_000_000_000n + BigInt(nsec)) wrong.push(`${sec}.${nsec} -> ${got}`);
    pos += b.readUInt32LE(pos + 4);
  }
  t.same(wrong, []);
  const w2 = PcapngWriter.open(join(t.testdir(), 'beyond.pcapng'));
  w2.addInterface({ linktype: 1, snaplen: 0 });
  t.throws(() => w2.writePacket(0, 18_446_744_073, 709_551_616, new Uint8Array(0), 0), XcapError, 'one past 2^64-1 ns');
  w2.close();
  t.end();
});

/** Frames of several sizes scattered in a memory region, the index describing them. */
function sampleBatch(memBase: number) {
  const sizes = [0, 1, 3, 4, 60, 127, 128, 129, 1514, 9000, 70_000, 64];
  const total = sizes.reduce((a, n) => a + n + 5, 16);
  const mem = new Uint8Array(total);
  const index = new FrameIndex(new DataView(new ArrayBuffer(8 + sizes.length * FRAME_ENTRY_SIZE)), 8, sizes.length);
  let at = 16;
  sizes.forEach((n, i) => {
    mem.set(bytes(n, i), at);
    index.set(i, { dataPtr: memBase + at, caplen: n, origlen: n + (i % 3), linktype: i % 2 ? 101 : 1, ifaceId: i % 2,
      tsSec: 1_700_000_000 + i * 2 ** 20, tsNsec: i * 77_777_777, tsDigits: 9, flags: i % 4 });
    at += n + 5;
  });
  const comments = (i: number) => (i % 5 === 2 ? [`frame ${i}`] : undefined);
  return { sizes, mem, index, comments };
}

t.test('writeBatch writes the same bytes as writePacket frame by frame, whatever the buffer size', (t) => {
  const dir = t.testdir();
  const memBase = 0x10000;
  const { sizes, mem, index, comments } = sampleBatch(memBase);
  const ifaceMap = [1, 0]; // the batch's interface 0 is the writer's 1
  const outputs = [['batch', 1 << 20], ['batch-small-buffer', 100]].map(([name, bufferSize]) => {
    const file = join(dir, `${name}.pcapng`);
    const w = PcapngWriter.open(file, { ...SECTION, bufferSize: bufferSize as number });
    w.addInterface(INTERFACES[1]);
    w.addInterface(INTERFACES[0]);
    w.writeBatch(index, mem, memBase, 0, 5, ifaceMap, comments);
    w.writeBatch(index, mem, memBase, 5, sizes.length, ifaceMap, comments);
    t.equal(w.bytesWritten, readFileSync(file).length, 'bytesWritten is the file size after a batch');
    w.close();
    return readFileSync(file);
  });
  const file = join(dir, 'packets.pcapng');
  const w = PcapngWriter.open(file, SECTION);
  w.addInterface(INTERFACES[1]);
  w.addInterface(INTERFACES[0]);
  for (let i = 0; i < sizes.length; i++) {
    const start = index.dataPtr(i) - memBase;
    w.writePacket(ifaceMap[index.ifaceId(i)], index.tsSec(i), index.tsNsec(i), mem.subarray(start, start + index.caplen(i)),
      index.origlen(i), index.flags(i), comments(i));
  }
  w.close();
  const perPacket = readFileSync(file);
  t.ok(outputs[0].equals(perPacket), 'batch equals per-packet');
  t.ok(outputs[1].equals(perPacket), 'a 100-byte buffer (flushed often, grown for big frames) writes the same bytes');
  if (!skipTools) t.match(run('capinfos', ['-c', file]).out, new RegExp(`Number of packets:\\s+${sizes.length}\\n`));
  t.end();
});

t.test('writeBlocks writes encoded packet blocks as they are, after what is buffered, and refuses anything else', (t) => {
  const dir = t.testdir();
  const memBase = 0x10000;
  const { sizes, mem, index } = sampleBatch(memBase);
  const open = (name: string): PcapngWriter => {
    const w = PcapngWriter.open(join(dir, name), SECTION);
    w.addInterface(INTERFACES[0]);
    w.addInterface(INTERFACES[1]);
    return w;
  };
  const reference = open('reference.pcapng');
  const headers = reference.bytesWritten;
  reference.writeBatch(index, mem, memBase, 0, sizes.length, [0, 1]);
  reference.close();
  const expected = readFileSync(join(dir, 'reference.pcapng'));
  const blocks = new Uint8Array(expected.subarray(headers));

  const w = open('blocks.pcapng');
  w.writeBlocks(blocks.subarray(0, 0));
  const firstLength = new DataView(blocks.buffer).getUint32(4, true);
  w.writeBlocks(blocks.subarray(0, firstLength));
  w.writeBlocks(blocks.subarray(firstLength));
  t.equal(w.bytesWritten, expected.length, 'bytesWritten counts the blocks');
  const bad: [string, Uint8Array][] = [
    ['a span ending inside a block', blocks.subarray(0, firstLength - 4)],
    ['a span starting inside a block', blocks.subarray(4, firstLength + 4)],
    ['a block of an interface without IDB', (() => { const b = blocks.slice(0, firstLength); new DataView(b.buffer).setUint32(8, 2, true); return b; })()],
    ['trailing length differs', (() => { const b = blocks.slice(0, firstLength); new DataView(b.buffer).setUint32(firstLength - 4, 0, true); return b; })()],
  ];
  for (const [what, b] of bad) t.throws(() => w.writeBlocks(b), XcapError, what);
  w.close();
  t.ok(readFileSync(join(dir, 'blocks.pcapng')).equals(expected), 'the same file as writeBatch; refused spans left nothing');
  t.end();
});

t.test('invalid input throws XcapError and leaves no partial block', (t) => {
  const file = join(t.testdir(), 'invalid.pcapng');
  const w = PcapngWriter.open(file, SECTION);
  const eth = w.addInterface(INTERFACES[0]);
  const data = bytes(100, 1);
  const bad: [string, () => void][] = [
    ['caplen > origlen', () => w.writePacket(eth, 1, 0, data, 99)],
    ['unknown interface', () => w.writePacket(7, 1, 0, data, 100)],
    ['nsec out of range', () => w.writePacket(eth, 1, 1e9, data, 100)],
    ['negative seconds', () => w.writePacket(eth, -1, 0, data, 100)],
    ['fractional seconds', () => w.writePacket(eth, 1.5, 0, data, 100)],
    ['bad link type', () => w.addInterface({ linktype: 70_000, snaplen: 0 })],
    ['stats for unknown interface', () => w.writeStats(3, {})],
    ['negative counter', () => w.writeStats(eth, { ifDrop: -1 })],
    ['comment over 65535 bytes', () => w.writePacket(eth, 1, 0, data, 100, 0, ['x'.repeat(70_000)])],
  ];
  const memBase = 4096;
  const { mem, index } = sampleBatch(memBase);
  const entry = (i: number, caplen: number, origlen: number) => index.set(i, { dataPtr: index.dataPtr(i), caplen, origlen,
    linktype: 1, ifaceId: 0, tsSec: 1, tsNsec: 0, tsDigits: 9, flags: 0 });
  bad.push(['batch frame bytes past the memory', () => { entry(0, mem.length, mem.length); w.writeBatch(index, mem, memBase, 0, 1, [eth]); }]);
  bad.push(['batch caplen > origlen', () => { entry(0, 10, 9); w.writeBatch(index, mem, memBase, 0, 1, [eth]); }]);
  bad.push(['batch interface without IDB', () => w.writeBatch(index, mem, memBase, 1, 2, [eth])]);
  bad.push(['batch range past the index', () => w.writeBatch(index, mem, memBase, 0, index.capacity + 1, [eth, eth])]);
  for (const [what, f] of bad) t.throws(f, XcapError, what);
  w.writePacket(eth, 1, 0, data, 100);
  w.close();
  if (!skipTools) {
    const r = run('capinfos', ['-c', file]);
    t.equal(r.err, '');
    t.match(r.out, /Number of packets:\s+1\n/);
  }
  t.end();
});

t.test('close is safe twice, leaves a caller fd open, and the writer refuses use after it', (t) => {
  const dir = t.testdir();
  const w = PcapngWriter.open(join(dir, 'a.pcapng'));
  w.addInterface({ linktype: 1, snaplen: 0 });
  w.close();
  t.doesNotThrow(() => w.close());
  t.throws(() => w.writePacket(0, 0, 0, new Uint8Array(1), 1));
  const fd = openSync(join(dir, 'b.pcapng'), 'w');
  const onFd = PcapngWriter.open(fd);
  onFd.addInterface({ linktype: 1, snaplen: 0 });
  onFd.close();
  onFd.close();
  t.equal(fstatSync(fd).size, onFd.bytesWritten, 'flushed to the caller fd, which stays open');
  closeSync(fd);
  t.end();
});
