// The reader's streaming: records split across reads of any size, files
// larger than the arena, batches of any capacity, gzip, standard input and
// pipes, and how fast a large file is indexed.
import t, { type Test } from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { openCapture } from '../../src/pcap/reader.js';
import { hasCommand } from '../helpers/env.js';
import {
  PcapngBytes, harness, payload, pcapBytes, readAll, syntheticCapture, syntheticLength, writeCapture, type Frame, type ReadResult,
} from './capture-bytes.js';

const READER = fileURLToPath(new URL('../../src/pcap/reader.js', import.meta.url));
const FRAME_INDEX = fileURLToPath(new URL('../../src/pcap/frame-index.js', import.meta.url));

/** A small pcapng with a bit of everything: two sections, options, comments, SPB, skipped blocks, odd lengths. */
function mixedPcapng(): Uint8Array {
  const b = new PcapngBytes().shb([{ code: 1, text: 'section one' }]).idb(1, 0, [{ code: 2, text: 'eth0' }, { code: 9, u8: 9 }]);
  for (let i = 0; i < 40; i++) {
    b.epb(0, 1_700_000_000_000_000_000n + BigInt(i) * 1_000_003n, payload(1 + ((i * 37) % 300), i),
      i % 7 === 0 ? { opts: [{ code: 1, text: `frame ${i}` }, { code: 2, u32: i % 3 }] } : {});
    if (i % 11 === 0) b.block(0xbad, payload(i + 4));
  }
  b.shb([], { littleEndian: false }).idb(101, 128).spb(payload(200, 99), 500).idb(1, 0, [{ code: 9, u8: 0x94 }]);
  for (let i = 0; i < 20; i++) b.epb(1, BigInt(i) << 19n, payload(3 + i, i));
  return b.finish();
}

function summary(r: ReadResult): unknown[] {
  return r.frames.map((f: Frame) => [Buffer.from(f.data).toString('hex'), f.caplen, f.origlen, f.ifaceId, f.linktype, f.sec, f.nsec, f.flags, f.comments]);
}

t.test('records split across reads of any size, batches of any capacity: the same frames', async (t) => {
  const dir = t.testdir();
  const inputs = {
    pcapng: writeCapture(dir, 'mixed.pcapng', mixedPcapng()),
    pcap: writeCapture(dir, 'mixed.pcap', pcapBytes(Array.from({ length: 50 }, (_, i) => ({ sec: i, frac: i * 3, data: payload((i * 53) % 400, i) })))),
  };
  for (const [format, path] of Object.entries(inputs)) {
    const reference = await readAll(path);
    t.same(reference.warnings, []);
    t.ok(reference.frames.length >= 50, `${format}: ${reference.frames.length} frames`);
    for (const chunkSize of [1, 3, 7, 64, 4093]) {
      for (const capacity of [1, 3, 256]) {
        const r = await readAll(path, { chunkSize, capacity });
        t.same(summary(r), summary(reference), `${format}, ${chunkSize}-byte reads, ${capacity}-frame batches`);
        t.ok(r.batches.every((n) => n <= capacity), 'no batch beyond the capacity');
      }
    }
  }
});

function checkSynthetic(t: Test, r: ReadResult, count: number, nanosecond: boolean): void {
  t.equal(r.frames.length, count, 'every frame');
  t.same(r.warnings, []);
  let bad = 0;
  r.frames.forEach((f, i) => {
    const id = new DataView(f.data.buffer, f.data.byteOffset).getUint32(0, true);
    const ok = id === i && f.caplen === syntheticLength(i) && f.data.length === f.caplen
      && f.sec === 1_700_000_000 + Math.floor(i / 1000) && f.nsec === (i % 1000) * 1_000_000 && f.digits === (nanosecond ? 9 : 6);
    if (!ok && bad++ < 3) t.fail(`frame ${i}: id ${id}, caplen ${f.caplen}, ts ${f.sec}.${f.nsec}`);
  });
  t.equal(bad, 0, 'each frame has its own bytes and timestamp');
}

t.test('a file several times the arena, with records straddling the end of the arena', async (t) => {
  const dir = t.testdir();
  for (const pcapng of [false, true]) {
    const count = 12_000; // about 10 MB against a 4 MiB + 64 KiB arena
    const path = writeCapture(dir, 'big', syntheticCapture(count, { pcapng }));
    const r = await readAll(path, { capacity: 1000, chunkSize: 65_537 });
    checkSynthetic(t, r, count, pcapng);
    t.ok(r.batches.length >= 12, `${r.batches.length} batches`);
  }
});

t.test('blocks larger than the arena that carry nothing needed are passed over as they are read', async (t) => {
  const dir = t.testdir();
  const secrets = payload(10 << 20, 7); // a 10 MiB decryption-secrets block, twice the arena
  const file = (bad: { trailer?: number } = {}): PcapngBytes => new PcapngBytes().shb().idb(1, 0)
    .epb(0, 1n, payload(60, 1)).block(0x0a, secrets, [], bad).epb(0, 2n, payload(70, 2)).block(0x12345, payload(9 << 20, 3)).epb(0, 3n, payload(80, 3));
  const whole = file().finish();
  for (const chunkSize of [1 << 20, 65_537]) {
    const r = await readAll(writeCapture(dir, 'dsb.pcapng', whole), { chunkSize, capacity: 2 });
    t.same([r.frames.map((f) => f.caplen), r.warnings], [[60, 70, 80], []], `${chunkSize}-byte reads`);
    t.same(Buffer.from(r.frames[2]!.data), Buffer.from(payload(80, 3)));
  }
  const badTrailer = await readAll(writeCapture(dir, 'bad.pcapng', file({ trailer: 12 }).finish()));
  t.same(badTrailer.frames.length, 1);
  t.match(badTrailer.warnings, [/block lengths differ \(first 10485772, second 12\)/]);
  const secretsEnd = 48 + 92 + 12 + (10 << 20);
  for (const cut of [secretsEnd - 4, secretsEnd - 1, secretsEnd - 5000]) {
    const r = await readAll(writeCapture(dir, 'cut.pcapng', whole.subarray(0, cut)));
    t.same([r.frames.length, r.warnings.length], [1, 1], `cut at ${cut}`);
    t.match(r.warnings[0], /cut short/);
  }
  const hugePacket = new PcapngBytes().shb().idb(189, 0).epb(0, 1n, payload(60)).epb(0, 2n, payload(6 << 20)).finish();
  const packet = await readAll(writeCapture(dir, 'usb.pcapng', hugePacket));
  t.equal(packet.frames.length, 1);
  t.match(packet.warnings, [/a 6291488-byte block, larger than the \d+ bytes the reader can hold/], 'a packet that large is damage');
});

t.test('gzip-compressed input is streamed through zlib', async (t) => {
  const dir = t.testdir();
  const plain = mixedPcapng();
  const reference = await readAll(writeCapture(dir, 'm.pcapng', plain));
  const gz = await readAll(writeCapture(dir, 'm.pcapng.gz', gzipSync(plain)), { chunkSize: 5 });
  t.equal(gz.reader.compressed, true);
  t.equal(reference.reader.compressed, false);
  t.same(summary(gz), summary(reference));

  const big = syntheticCapture(12_000);
  const bigGz = await readAll(writeCapture(dir, 'big.pcap.gz', gzipSync(big)), { capacity: 4096 });
  checkSynthetic(t, bigGz, 12_000, false);

  const zipped = gzipSync(big);
  const cut = await readAll(writeCapture(dir, 'cut.pcap.gz', zipped.subarray(0, zipped.length >> 1)));
  t.ok(cut.frames.length > 1000 && cut.frames.length < 12_000, `cut gzip: ${cut.frames.length} complete frames`);
  t.match(cut.warnings, [/cut\.pcap\.gz: appears to have been cut short in the middle of a packet/]);

  const badCrc = Buffer.from(zipped);
  badCrc[badCrc.length - 6] ^= 0xff;
  const crc = await readAll(writeCapture(dir, 'crc.pcap.gz', badCrc));
  t.ok(crc.frames.length > 1000, `bad CRC: ${crc.frames.length} frames before it`);
  t.match(crc.warnings, [/crc\.pcap\.gz: cannot be decompressed; it may be damaged or corrupt \(incorrect data check\)/]);

  await t.rejects(readAll(writeCapture(dir, 'garbage.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))), /garbage\.gz: cannot be decompressed/);
  await t.rejects(readAll(writeCapture(dir, 'text.gz', gzipSync(Buffer.from('not a capture')))), /text\.gz: not a pcap or pcapng file \(unknown magic 0x6e6f7420\)/);
});

/** Reads `path` in a child process and prints what it found, so standard input can be fed. */
const CHILD = `
const { openCapture } = await import(${JSON.stringify(READER)});
const { FrameIndex } = await import(${JSON.stringify(FRAME_INDEX)});
const buf = new ArrayBuffer(64 * 32 + (5 << 20));
const r = await openCapture(process.argv[1], { arena: new Uint8Array(buf, 64 * 32), arenaBase: 64 * 32, index: new FrameIndex(new DataView(buf), 0, 64) });
let frames = 0;
for (let n = await r.nextBatch(); n; n = await r.nextBatch()) frames += n;
r.close();
console.log(JSON.stringify({ format: r.format, compressed: r.compressed, frames, warnings: r.warnings }));
`;

function readInChild(path: string, input?: Uint8Array): { format: string; compressed: boolean; frames: number; warnings: string[] } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, path], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

t.test("standard input ('-'), plain and gzip", async (t) => {
  const pcap = syntheticCapture(3000);
  t.same(readInChild('-', pcap), { format: 'pcap', compressed: false, frames: 3000, warnings: [] });
  t.same(readInChild('-', gzipSync(mixedPcapng())), { format: 'pcapng', compressed: true, frames: 61, warnings: [] });
  const cut = readInChild('-', pcap.subarray(0, pcap.length - 5));
  t.same([cut.frames, cut.warnings], [2999, ['standard input: appears to have been cut short in the middle of a packet']]);
  t.throws(() => readInChild('-', new Uint8Array(0)), /standard input: not a pcap or pcapng file \(it is empty\)/);
});

t.test('a named pipe is read as a stream', { skip: hasCommand('mkfifo') ? false : 'mkfifo not installed' }, async (t) => {
  const dir = t.testdir();
  const fifo = join(dir, 'fifo');
  spawnSync('mkfifo', [fifo]);
  const file = join(dir, 'x.pcapng');
  writeFileSync(file, gzipSync(mixedPcapng()));
  const writer = spawn('sh', ['-c', `cat "${file}" > "${fifo}"`]);
  const written = new Promise((resolve) => writer.on('exit', resolve));
  const r = await readAll(fifo, { chunkSize: 1000 });
  t.same([r.reader.compressed, r.frames.length, r.warnings], [true, 61, []]);
  t.equal(await written, 0, 'the writer finished');
});

t.test('a million frames index across many batches, none lost', async (t) => {
  const count = 1_000_000;
  const dir = t.testdir();
  for (const pcapng of [false, true]) {
    const path = writeCapture(dir, 'many', syntheticCapture(count, { pcapng, fixedLength: 64 }));
    const reader = await openCapture(path, { ...harness(8192, 1 << 20, 1 << 20) });
    let frames = 0;
    for (let n = await reader.nextBatch(); n > 0; n = await reader.nextBatch()) frames += n;
    reader.close();
    t.equal(frames, count, pcapng ? 'pcapng' : 'pcap');
  }
});
