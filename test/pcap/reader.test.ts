// The capture reader on byte-level inputs built here: every pcap and pcapng
// variant it claims to read, the blocks it skips, and each way a file can be
// damaged, cut short, or not a capture at all.
import t from 'tap';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureFileError, XcapError } from '../../src/errors.js';
import { FrameIndex } from '../../src/pcap/frame-index.js';
import { openCapture } from '../../src/pcap/reader.js';
import {
  MAGIC, PcapngBytes, concat, harness, payload, pcapBytes, readAll, timestampOption, writeCapture, type PcapRecord,
} from './capture-bytes.js';

const dir = t.testdir();

const RECORDS: PcapRecord[] = [
  { sec: 1_700_000_000, frac: 1, data: payload(60, 1) },
  { sec: 1_700_000_001, frac: 999_999, data: payload(1514, 2) },
  { sec: 0xffff_ffff, frac: 0, data: payload(0, 3), origlen: 64 },
  { sec: 5, frac: 500, data: payload(96, 4), origlen: 1500 },
];

t.test('pcap: both byte orders, microsecond and nanosecond magic', async (t) => {
  for (const littleEndian of [true, false]) {
    for (const nano of [false, true]) {
      const what = `${littleEndian ? 'little' : 'big'}-endian ${nano ? 'ns' : 'us'}`;
      const path = writeCapture(dir, 'x.pcap', pcapBytes(RECORDS, { littleEndian, magic: nano ? MAGIC.nano : MAGIC.micro, linkField: 101, snaplen: 9000 }));
      const r = await readAll(path);
      t.equal(r.reader.format, 'pcap');
      t.equal(r.reader.compressed, false);
      t.same(r.reader.interfaces, [{ linktype: 101, snaplen: 9000, tsresol: nano ? 9 : 6 }], `${what}: one interface`);
      t.same(r.reader.sections, [{ byteOrder: littleEndian ? 'little' : 'big', comments: [] }]);
      t.same(r.warnings, []);
      t.same(r.frames.map((f) => [f.sec, f.nsec, f.caplen, f.origlen, f.linktype, f.ifaceId, f.digits, f.fcsLen, f.flags]),
        RECORDS.map((x) => [x.sec, nano ? x.frac : x.frac * 1000, x.data.length, x.origlen ?? x.data.length, 101, 0, nano ? 9 : 6, 0, 0]), what);
      t.same(r.frames.map((f) => Buffer.from(f.data)), RECORDS.map((x) => Buffer.from(x.data)), `${what}: packet bytes`);
    }
  }
});

t.test('pcap: FCS bits of the link-type field are masked off; the F bit gives the FCS length', async (t) => {
  const withFcs = await readAll(writeCapture(dir, 'fcs.pcap', pcapBytes(RECORDS, { linkField: (0x2000_0000 | 0x0400_0000 | 1) >>> 0 })));
  t.same(withFcs.reader.interfaces[0], { linktype: 1, snaplen: 262144, tsresol: 6, fcsLen: 4 });
  t.same(withFcs.frames.map((f) => [f.linktype, f.fcsLen]), RECORDS.map(() => [1, 4]));
  const noFBit = await readAll(writeCapture(dir, 'nof.pcap', pcapBytes(RECORDS, { linkField: 0x3000_0084 })));
  t.same(noFBit.reader.interfaces[0], { linktype: 0x84, snaplen: 262144, tsresol: 6 }, 'FCS length ignored without the F bit');
  t.equal(noFBit.frames[0]!.fcsLen, 0);
});

t.test('pcap: Kuznetzov modified format (a1b2cd34) with its 8 extra header bytes', async (t) => {
  for (const littleEndian of [true, false]) {
    const r = await readAll(writeCapture(dir, 'kuz.pcap', pcapBytes(RECORDS, { magic: MAGIC.modified, littleEndian })));
    t.same(r.warnings, []);
    t.same(r.frames.map((f) => Buffer.from(f.data)), RECORDS.map((x) => Buffer.from(x.data)));
    t.same(r.frames.map((f) => f.nsec), RECORDS.map((x) => x.frac * 1000));
  }
});

t.test('pcap: a fraction out of range is carried into the seconds', async (t) => {
  const r = await readAll(writeCapture(dir, 'f.pcap', pcapBytes([{ sec: 10, frac: 2_500_000, data: payload(4) }])));
  t.same([r.frames[0]!.sec, r.frames[0]!.nsec], [12, 500_000_000]);
});

t.test('pcap: caplen above the link type maximum is damage, as wiretap has it; USB may be larger', async (t) => {
  const big = payload(300_000);
  const recs = [RECORDS[0]!, { sec: 1, frac: 0, data: big }, RECORDS[1]!];
  const eth = await readAll(writeCapture(dir, 'eth.pcap', pcapBytes(recs, { linkField: 1 })));
  t.equal(eth.frames.length, 1, 'the packet before is delivered, nothing after');
  t.match(eth.warnings, [/eth\.pcap: appears to be damaged or corrupt \(a 300000-byte packet, bigger than the maximum of 262144 for link type 1, at byte 100\)/]);
  const usb = await readAll(writeCapture(dir, 'usb.pcap', pcapBytes(recs, { linkField: 189 })));
  t.same(usb.frames.map((f) => f.caplen), [60, 300_000, 1514]);
  t.same(usb.warnings, []);
  const huge = pcapBytes([RECORDS[0]!, { sec: 1, frac: 0, data: payload(8), caplen: 5 << 20 }], { linkField: 189 });
  const tooBig = await readAll(writeCapture(dir, 'huge.pcap', huge));
  t.equal(tooBig.frames.length, 1);
  t.match(tooBig.warnings, [/a 5242896-byte record, larger than the \d+ bytes the reader can hold/], 'larger than the arena: damage, not an allocation');
});

t.test('pcap: caplen above snaplen or origlen is accepted, as tshark does', async (t) => {
  const r = await readAll(writeCapture(dir, 's.pcap', pcapBytes([{ sec: 1, frac: 0, data: payload(200), origlen: 10 }], { snaplen: 100 })));
  t.same(r.frames.map((f) => [f.caplen, f.origlen]), [[200, 10]]);
  t.same(r.warnings, []);
});

t.test('pcap: a last record cut in its data or its header', async (t) => {
  const whole = pcapBytes(RECORDS);
  for (const cut of [7, 95, 110]) {
    const r = await readAll(writeCapture(dir, 'cut.pcap', whole.subarray(0, whole.length - cut)));
    t.equal(r.frames.length, 3, `cut ${cut} bytes: the complete packets`);
    t.match(r.warnings, [/cut\.pcap: appears to have been cut short in the middle of a packet$/]);
  }
  const headerOnly = await readAll(writeCapture(dir, 'h.pcap', whole.subarray(0, 24)));
  t.same([headerOnly.frames.length, headerOnly.warnings], [0, []], 'a header and no packets is a valid empty capture');
});

function ethernetSection(b: PcapngBytes, opts = true): PcapngBytes {
  return b.shb(opts ? [{ code: 1, text: 'first comment' }, { code: 1, text: 'second' }, { code: 2, text: 'rig' }, { code: 3, text: 'Linux 6' }, { code: 4, text: 'test app' }] : [])
    .idb(1, 262144, [{ code: 2, text: 'eth0' }, { code: 3, text: 'uplink' }, { code: 9, u8: 9 }, { code: 11, raw: concat(Uint8Array.of(0), new TextEncoder().encode('tcp port 80')) },
      { code: 12, text: 'Linux' }, { code: 15, text: 'NIC' }, { code: 13, u8: 4 }])
    .idb(101, 65535);
}

t.test('pcapng: sections of both byte orders, interface ids restarting per section, options', async (t) => {
  const b = ethernetSection(new PcapngBytes(true));
  b.epb(0, 1_700_000_000_123_456_789n, payload(60, 1), { opts: [{ code: 2, u32: 0x0100_0002 }, { code: 1, text: 'hello' }, { code: 1, text: 'ünïcødé\0' }] });
  b.epb(1, 5_000_001n, payload(20, 2), { origlen: 40 });
  b.shb([{ code: 1, text: 'big section' }], { littleEndian: false });
  b.idb(113, 1500, [{ code: 2, text: 'any' }, { code: 9, u8: 3 }, { code: 14, i64: 1000n }]);
  b.epb(0, 1_234n, payload(33, 3), { opts: [{ code: 2, u32: 1 }] });
  const r = await readAll(writeCapture(dir, 'x.pcapng', b.finish()));
  t.same(r.warnings, []);
  t.equal(r.reader.format, 'pcapng');
  t.same(r.reader.sections, [
    { byteOrder: 'little', comments: ['first comment', 'second'], hardware: 'rig', os: 'Linux 6', application: 'test app' },
    { byteOrder: 'big', comments: ['big section'] },
  ]);
  t.same(r.reader.interfaces, [
    { linktype: 1, snaplen: 262144, tsresol: 9, name: 'eth0', description: 'uplink', filter: 'tcp port 80', os: 'Linux', hardware: 'NIC', fcsLen: 4 },
    { linktype: 101, snaplen: 65535, tsresol: 6 },
    { linktype: 113, snaplen: 1500, tsresol: 3, name: 'any' },
  ]);
  t.same(r.frames.map((f) => [f.ifaceId, f.linktype, f.sec, f.nsec, f.digits, f.caplen, f.origlen, f.flags, f.fcsLen, f.comments]), [
    [0, 1, 1_700_000_000, 123_456_789, 9, 60, 60, 2, 4, ['hello', 'ünïcødé']],
    [1, 101, 5, 1000, 6, 20, 40, 0, 0, undefined],
    [2, 113, 1001, 234_000_000, 3, 33, 33, 1, 0, undefined],
  ], 'global interface ids, epb_flags low 16 bits, if_tsoffset added, trailing NULs dropped');
  t.same(Buffer.from(r.frames[2]!.data), Buffer.from(payload(33, 3)));
});

t.test('pcapng: if_tsresol in decimal and power-of-two form, exactly', async (t) => {
  const cases: Array<[tsresol: number, units: bigint, sec: number, nsec: number, digits: number]> = [
    [0, 1_700_000_000n, 1_700_000_000, 0, 0],
    [6, 1_700_000_000_999_999n, 1_700_000_000, 999_999_000, 6],
    [9, 0xffff_ffff_ffff_ffffn, 18_446_744_073, 709_551_615, 9],
    [0x94, (1_700_000_000n << 20n) + 524_288n, 1_700_000_000, 500_000_000, 6],
    [0xa0, (5n << 32n) + 123n, 5, 28, 9],
    [0xa0, (5n << 32n) + 0xffff_ffffn, 5, 999_999_999, 9],
    [0x8a, 1024n * 3n + 1n, 3, 976_562, 3],
    [0xa8, (3n << 40n) + (1n << 39n), 3, 500_000_000, 9],
    [12, 1_000_000_000_000_000_000n + 123_456_789n, 1_000_000, 123_456, 9],
    [20, 12_345n, 0, 0, 9],
  ];
  const b = new PcapngBytes().shb();
  cases.forEach(([tsresol]) => b.idb(1, 0, [{ code: 9, u8: tsresol }]));
  cases.forEach(([, units], i) => b.epb(i, units, payload(4)));
  const r = await readAll(writeCapture(dir, 'ts.pcapng', b.finish()));
  t.same(r.warnings, []);
  t.same(r.frames.map((f) => [f.sec, f.nsec, f.digits]), cases.map(([, , sec, nsec, digits]) => [sec, nsec, digits]));
});

t.test('pcapng: simple and obsolete packet blocks', async (t) => {
  const b = new PcapngBytes().shb().idb(1, 96, [{ code: 9, u8: 9 }]).idb(101, 0);
  b.spb(payload(60, 1), 60);
  b.spb(payload(96, 2), 1500); // snaplen 96 bounds it
  b.spb(payload(40, 3), 38); // origlen bounds it; the rest is padding
  b.pb(1, 3, 2_000_000n, payload(50, 4), 70, [{ code: 2, u32: 2 }, { code: 1, text: 'old' }]);
  const spbRoom = new PcapngBytes(true).block(3, concat(Uint8Array.of(0xdc, 0x05, 0, 0), payload(12, 5))).finish();
  b.raw(spbRoom); // origlen 1500, room 12
  const r = await readAll(writeCapture(dir, 'spb.pcapng', b.finish()));
  t.same(r.warnings, []);
  t.same(r.frames.map((f) => [f.ifaceId, f.caplen, f.origlen, f.sec, f.nsec, f.digits, f.flags, f.comments]), [
    // Simple packet blocks carry no timestamp: tsDigits 0 says so.
    [0, 60, 60, 0, 0, 0, 0, undefined],
    [0, 96, 1500, 0, 0, 0, 0, undefined],
    [0, 38, 38, 0, 0, 0, 0, undefined],
    [1, 50, 70, 2, 0, 6, 2, ['old']],
    [0, 12, 1500, 0, 0, 0, 0, undefined],
  ]);
  t.same(Buffer.from(r.frames[1]!.data), Buffer.from(payload(96, 2)));
});

t.test('pcapng: statistics blocks, the latest per interface; NRB, DSB, custom and unknown blocks skipped', async (t) => {
  const b = new PcapngBytes().shb().idb(1, 0).idb(101, 0, [{ code: 9, u8: 9 }]);
  b.epb(0, 1n, payload(10, 1));
  b.block(4, concat(Uint8Array.of(1, 0, 6, 0, 10, 0, 0, 1), new TextEncoder().encode('ab'), Uint8Array.of(0, 0, 0, 0, 0)));
  b.block(0x0a, concat(Uint8Array.of(0x4b, 0x53, 0x4c, 0x54, 3, 0, 0, 0), new TextEncoder().encode('key')));
  b.block(0xbad, concat(Uint8Array.of(0xd9, 0x7e, 0, 0), payload(9)));
  b.block(0x40000bad, concat(Uint8Array.of(0xd9, 0x7e, 0, 0), payload(3)));
  b.block(0x12345, payload(8));
  b.block(0x8000_0001, new Uint8Array(0));
  b.isb(0, 5_000_000n, [{ code: 4, u64: 10n }]);
  b.isb(9, 5_000_000n, [{ code: 4, u64: 99n }]); // no interface 9: dropped, as tshark does
  b.isb(1, 7_000_000_001n, [timestampOption(2, 1_000_000_000n), timestampOption(3, 7_000_000_001n), { code: 4, u64: 12n }, { code: 5, u64: 1n },
    { code: 6, u64: 11n }, { code: 7, u64: 2n }, { code: 8, u64: 3n }, { code: 1, text: 'stats' }]);
  b.epb(1, 2n, payload(10, 2));
  b.isb(0, 6_000_000n, [{ code: 4, u64: 20n }, { code: 5, u64: 2n }]);
  const r = await readAll(writeCapture(dir, 'isb.pcapng', b.finish()));
  t.same(r.warnings, []);
  t.equal(r.frames.length, 2, 'only packets become frames');
  t.same(r.reader.statistics, [
    { ifaceId: 0, time: { sec: 6, nsec: 0 }, ifRecv: 20n, ifDrop: 2n },
    { ifaceId: 1, time: { sec: 7, nsec: 1 }, startTime: { sec: 1, nsec: 0 }, endTime: { sec: 7, nsec: 1 },
      ifRecv: 12n, ifDrop: 1n, filterAccept: 11n, osDrop: 2n, usrDeliv: 3n, comment: 'stats' },
  ]);
});

t.test('pcapng: damaged blocks in the middle end the file after the packets before them', async (t) => {
  const good = (b: PcapngBytes): PcapngBytes => b.shb().idb(1, 0).epb(0, 1n, payload(60)).epb(0, 2n, payload(61));
  const after = (b: PcapngBytes): Uint8Array => b.epb(0, 3n, payload(62)).finish();
  const eth300k = payload(300_000);
  const cases: Array<[string, (b: PcapngBytes) => PcapngBytes, RegExp]> = [
    ['trailer', (b) => b.epb(0, 9n, payload(8), {}, { trailer: 999 }), /block lengths differ \(first 40, second 999\), at byte 236/],
    ['not a multiple of 4', (b) => b.epb(0, 9n, payload(8), {}, { length: 41 }), /block length 41 is not a multiple of 4/],
    ['below 12', (b) => b.raw(Uint8Array.of(6, 0, 0, 0, 8, 0, 0, 0)), /block length 8 is not a multiple of 4 of at least 12/],
    ['too large', (b) => b.raw(Uint8Array.of(6, 0, 0, 0, 0xf0, 0xff, 0xff, 0x7f, 0, 0, 0, 0)), /a 2147483632-byte block, larger than/],
    ['caplen past the block', (b) => b.epb(0, 9n, payload(8), { caplen: 200 }), /packet of 200 bytes in a block with room for 8/],
    ['EPB too short', (b) => b.block(6, new Uint8Array(8)), /packet block of 20 bytes is too short/],
    ['option past the block', (b) => b.epb(0, 9n, payload(8), { opts: [{ code: 1, raw: payload(4), claimedLength: 200 }] }), /option 1 of 200 bytes runs past the end of its block/],
    ['unknown interface', (b) => b.epb(3, 9n, payload(8)), /interface 3 is not described in its section \(1 interfaces\)/],
    ['Ethernet caplen over 262144', (b) => b.epb(0, 9n, eth300k), /a 300000-byte packet, bigger than the maximum of 262144 for link type 1/],
    ['IDB too short', (b) => b.block(1, new Uint8Array(4)), /interface description block of 16 bytes is too short/],
    ['SHB version 2', (b) => b.shb([], { major: 2 }), /unsupported pcapng version 2\.0/],
    ['SHB byte-order magic', (b) => b.shb([], { byteOrderMagic: 0x12345678 }), /section header with bad byte-order magic 0x78563412/],
  ];
  for (const [what, damage, problem] of cases) {
    const r = await readAll(writeCapture(dir, 'd.pcapng', after(damage(good(new PcapngBytes())))));
    t.equal(r.frames.length, 2, `${what}: the two packets before`);
    t.equal(r.warnings.length, 1, `${what}: one warning`);
    t.match(r.warnings[0], /d\.pcapng: appears to be damaged or corrupt \(/);
    t.match(r.warnings[0], problem, what);
  }
  const spb = await readAll(writeCapture(dir, 'spb.pcapng', new PcapngBytes().shb().spb(payload(8), 8).finish()));
  t.match(spb.warnings, [/simple packet block before any interface description/]);
  const usb = await readAll(writeCapture(dir, 'usb.pcapng', new PcapngBytes().shb().idb(189, 0).epb(0, 1n, eth300k).finish()));
  t.same([usb.frames.length, usb.warnings], [1, []], 'USB packets may exceed 262144 bytes');
});

t.test('pcapng: a last block cut short', async (t) => {
  const whole = new PcapngBytes().shb().idb(1, 0).epb(0, 1n, payload(60)).epb(0, 2n, payload(60)).finish();
  for (const cut of [1, 40, 85]) {
    const r = await readAll(writeCapture(dir, 'c.pcapng', whole.subarray(0, whole.length - cut)));
    t.equal(r.frames.length, 1, `cut ${cut}`);
    t.match(r.warnings, [/c\.pcapng: appears to have been cut short in the middle of a packet$/]);
  }
  const past = new PcapngBytes().shb().idb(1, 0).epb(0, 1n, payload(60)).epb(0, 2n, payload(8), {}, { length: 4000 }).finish();
  const r = await readAll(writeCapture(dir, 'p.pcapng', past));
  t.same([r.frames.length, r.warnings.length], [1, 1], 'a length past the end of the file is a cut');
  t.match(r.warnings[0], /cut short/);
});

t.test('not a capture: one-line CaptureFileError', async (t) => {
  const text = new TextEncoder().encode('hello, this is not a capture\n');
  const pcap = pcapBytes(RECORDS);
  const cases: Array<[string, Uint8Array | undefined, RegExp]> = [
    ['missing.pcap', undefined, /missing\.pcap: no such file or directory$/],
    ['empty.pcap', new Uint8Array(0), /empty\.pcap: not a pcap or pcapng file \(it is empty\)$/],
    ['three.pcap', pcap.subarray(0, 3), /not a pcap or pcapng file \(it has only 3 bytes\)$/],
    ['text.pcap', text, /text\.pcap: not a pcap or pcapng file \(unknown magic 0x68656c6c\)$/],
    ['header.pcap', pcap.subarray(0, 20), /the pcap file header is cut short \(20 of 24 bytes\)$/],
    ['v1.pcap', pcapBytes([], { version: [1, 0] }), /unsupported pcap version 1\.0$/],
    ['bom.pcapng', new PcapngBytes().shb([], { byteOrderMagic: 0x01020304 }).finish(), /not a pcapng file \(bad byte-order magic 0x04030201\)$/],
    ['v2.pcapng', new PcapngBytes().shb([], { major: 2 }).finish(), /unsupported pcapng version 2\.0$/],
    ['shb.pcapng', new PcapngBytes().shb().finish().subarray(0, 20), /the pcapng section header is cut short$/],
  ];
  for (const [name, bytes, message] of cases) {
    const path = bytes ? writeCapture(dir, name, bytes) : join(dir, name);
    await t.rejects(readAll(path), message, name);
    await t.rejects(readAll(path), CaptureFileError);
  }
  mkdirSync(join(dir, 'sub'));
  await t.rejects(readAll(join(dir, 'sub')), /sub: is a directory$/);
});

t.test('the arena and index are checked before anything is read', async (t) => {
  const path = writeCapture(dir, 'x.pcap', pcapBytes(RECORDS));
  const h = harness(4, 1 << 20);
  await t.rejects(openCapture(path, { ...h, arena: h.arena.subarray(0, 1 << 20) }), XcapError);
  await t.rejects(openCapture(path, { ...h, chunkSize: 0 }), /bad chunk size/);
  await t.rejects(openCapture(path, { ...h, index: new FrameIndex(h.index.view, 0, 0) }), /no room/);
  const r = await openCapture(path, { ...h });
  t.equal(await r.nextBatch(), 4);
  r.close();
  t.equal(await r.nextBatch(), 0, 'nothing after close');
});
