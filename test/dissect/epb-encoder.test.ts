// The Wasm EPB encoder (dissectors/pcapng-epb.ts, through
// DissectorEngine.writeEpbs) against the pcapng writer's own batch path: the
// same file byte for byte, whatever it hands back to the writer.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DissectorEngine } from '../../src/dissect/engine.js';
import { XcapError } from '../../src/errors.js';
import type { FrameMeta } from '../../src/pcap/frame-index.js';
import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';

const engine = new DissectorEngine();

/** Puts the frames in the engine's arena, back to back with odd gaps, and describes them in its index. */
function load(frames: (Omit<FrameMeta, 'dataPtr' | 'caplen' | 'linktype' | 'tsDigits'> & { caplen: number })[]): number {
  let at = 3;
  frames.forEach((f, i) => {
    for (let k = 0; k < f.caplen; k++) engine.arena[at + k] = (k * 13 + i) & 0xff;
    engine.index.set(i, { ...f, dataPtr: engine.arenaBase + at, linktype: 1, tsDigits: 9 });
    at += f.caplen + 1 + (i % 3);
  });
  return frames.length;
}

function writeBoth(dir: string, n: number, ifaceMap: number[], commentsOf?: (i: number) => string[] | undefined): [Buffer, Buffer] {
  const files = ['batch', 'wasm'].map((name) => {
    const file = join(dir, `${name}.pcapng`);
    const w = PcapngWriter.open(file);
    w.addInterface({ name: 'a', linktype: 1, snaplen: 262144 });
    w.addInterface({ name: 'b', linktype: 1, snaplen: 262144 });
    if (name === 'batch') w.writeBatch(engine.index, engine.memoryBytes, 0, 0, n, ifaceMap, commentsOf);
    else engine.writeEpbs(w, 0, n, ifaceMap, commentsOf);
    w.close();
    return file;
  });
  return [readFileSync(files[0]), readFileSync(files[1])];
}

t.test('frames of every padding, flags, both interfaces, comments and extreme times give the writer\'s bytes', (t) => {
  const sizes = [0, 1, 2, 3, 4, 5, 60, 64, 1514, 9000, 65535, 60];
  const n = load(sizes.map((caplen, i) => ({
    caplen, origlen: caplen + (i % 2) * 100, ifaceId: i % 2,
    tsSec: i === 10 ? 18_446_744_073 : 1_700_000_000 + i * 2 ** 24, tsNsec: i === 10 ? 709_551_615 : i * 77_777_777, flags: i % 4,
  })));
  const [batch, wasm] = writeBoth(t.testdir(), n, [1, 0]);
  t.ok(wasm.equals(batch), 'no comments: identical files');
  const commented = writeBoth(t.testdir(), n, [1, 0], (i) => (i % 4 === 1 ? [`frame ${i}`] : undefined));
  t.ok(commented[1].equals(commented[0]), 'frames with comments go through the writer, in order');
  t.end();
});

t.test('batches larger than the encoder\'s region are written in several spans', (t) => {
  const n = load(Array.from({ length: 600 }, (_, i) => ({ caplen: 9000 - (i % 7), origlen: 9000, ifaceId: 0, tsSec: 1_800_000_000, tsNsec: i, flags: 1 })));
  const [batch, wasm] = writeBoth(t.testdir(), n, [0]);
  t.ok(batch.length > 5 * 2 ** 20, 'more than twice the 2 MiB region');
  t.ok(wasm.equals(batch), 'identical files');
  t.end();
});

t.test('a frame the encoder cannot take is the writer\'s: same error, blocks before it kept', (t) => {
  const base = { origlen: 100, tsSec: 1_700_000_000, tsNsec: 0, flags: 0 };
  const cases: [string, Parameters<typeof load>[0][number]][] = [
    ['interface without a block', { ...base, caplen: 60, ifaceId: 1 }],
    ['interface past the encoder map', { ...base, caplen: 60, ifaceId: 5000 }],
    ['caplen > origlen', { ...base, caplen: 101, ifaceId: 0 }],
    ['timestamp past 2^64 ns', { ...base, caplen: 60, ifaceId: 0, tsSec: 18_446_744_073, tsNsec: 709_551_616 }],
    ['negative time', { ...base, caplen: 60, ifaceId: 0, tsSec: -1 }],
  ];
  for (const [what, bad] of cases) {
    const n = load([{ ...base, caplen: 60, ifaceId: 0 }, bad]);
    const dir = t.testdir();
    const messages = ['batch', 'wasm'].map((name) => {
      const w = PcapngWriter.open(join(dir, `${name}.pcapng`));
      w.addInterface({ name: 'a', linktype: 1, snaplen: 262144 });
      let message = '';
      try {
        if (name === 'batch') w.writeBatch(engine.index, engine.memoryBytes, 0, 0, n, [0]);
        else engine.writeEpbs(w, 0, n, [0]);
      } catch (err) {
        t.type(err, XcapError, `${what}: ${name} throws XcapError`);
        message = (err as Error).message;
      }
      w.close();
      return message;
    });
    t.not(messages[1], '', `${what}: refused`);
    t.equal(messages[1], messages[0], `${what}: the same message`);
    const files = ['batch', 'wasm'].map((name) => readFileSync(join(dir, `${name}.pcapng`)));
    t.ok(files[1].equals(files[0]), `${what}: the same bytes written before it`);
  }
  t.end();
});
