// AF_XDP reading without the kernel: RX descriptors copied out of the ring in
// order across its wrap, and turned into frame index entries by the Wasm
// module (dissectors/xsk-index.ts) with the header layout bpf/afxdp.h
// defines (src/kernel/afxdp-layout.ts, checked against the C compiler by
// layout.test.ts).
import t from 'tap';
import { DissectorEngine } from '../../src/dissect/engine.js';
import { copyDescriptors } from '../../src/kernel/afxdp-socket.js';
import { AFXDP_META_MAGIC, AFXDP_META_SIZE, AfxdpMetaField } from '../../src/kernel/afxdp-layout.js';

t.test('descriptors come out in ring order, across the wrap and the u32 counter overflow', (t) => {
  const slots = 8;
  const words = new Uint32Array(slots * 4).map((_, w) => 1000 * Math.floor(w / 4) + (w % 4));
  const slotsOf = (to: Uint32Array, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(to[i * 4] / 1000));
  for (const [consumer, n, expected] of [
    [0, 8, [0, 1, 2, 3, 4, 5, 6, 7]],
    [5, 3, [5, 6, 7]],
    [6, 5, [6, 7, 0, 1, 2]],
    [0xfffffffe, 4, [6, 7, 0, 1]],
  ] as [number, number, number[]][]) {
    const to = new Uint32Array(64);
    copyDescriptors(words, slots - 1, consumer, n, to);
    t.same(slotsOf(to, n), expected, `consumer ${consumer}, ${n} descriptors`);
    t.same([...to.subarray(0, n * 4)].map((w) => w % 1000), Array.from({ length: n * 4 }, (_, w) => w % 4), 'whole descriptors');
  }
  t.end();
});

t.test('the Wasm indexer describes frames where they lie, with the kernel time, and hands back their chunks', (t) => {
  const chunk = 2048;
  const engine = new DissectorEngine({ arenaBytes: 64 * 1024, reservedBytes: 8 * chunk });
  const umem = engine.reservedBase;
  const mem = new DataView(engine.memoryBytes.buffer);
  const taiOffsetSec = 37;
  const tai = 1_800_000_037_123_456_789n;
  const frames = [
    { chunkNo: 3, headroom: 256, len: 60, meta: tai },
    { chunkNo: 0, headroom: 256, len: 1514, meta: undefined },
    { chunkNo: 7, headroom: 300, len: 200, meta: tai + 999_999_999n },
  ];
  const indexer = engine.xskIndexer();
  frames.forEach((f, i) => {
    // The program pushes its header into the headroom: the descriptor starts there and counts it.
    const header = f.meta === undefined ? 0 : AFXDP_META_SIZE;
    const addr = f.chunkNo * chunk + f.headroom - header;
    if (f.meta !== undefined) {
      mem.setBigUint64(umem + addr + AfxdpMetaField.TsNs, f.meta, true);
      mem.setUint32(umem + addr + AfxdpMetaField.Magic, AFXDP_META_MAGIC, true);
    }
    indexer.scratch.set([addr, 0, f.len + header, 0], i * 4);
  });
  const missing = indexer.index(frames.length, 5, umem, chunk, 2, 128, taiOffsetSec, 1_700_000_000, 250_000_000);
  t.equal(missing, 1, 'one frame without the header');
  t.same([...indexer.scratch.subarray(0, 3)], frames.map((f) => f.chunkNo * chunk), 'the chunk offsets, in order');
  const ix = engine.index;
  frames.forEach((f, k) => {
    const i = 5 + k;
    t.equal(ix.dataPtr(i), umem + f.chunkNo * chunk + f.headroom, `frame ${k}: data where the kernel put it`);
    t.equal(ix.caplen(i), Math.min(f.len, 128), `frame ${k}: caplen cut at snaplen`);
    t.equal(ix.origlen(i), f.len, `frame ${k}: origlen`);
    t.equal(ix.linktype(i), 1);
    t.equal(ix.ifaceId(i), 2);
    t.equal(ix.flags(i), 1, 'inbound');
    if (f.meta !== undefined) {
      t.equal(ix.tsSec(i), Number(f.meta / 1_000_000_000n) - taiOffsetSec, `frame ${k}: kernel seconds, TAI to UTC`);
      t.equal(ix.tsNsec(i), Number(f.meta % 1_000_000_000n), `frame ${k}: nanoseconds`);
      t.equal(ix.tsDigits(i), 9);
    } else {
      t.same([ix.tsSec(i), ix.tsNsec(i), ix.tsDigits(i)], [1_700_000_000, 250_000_000, 3], `frame ${k}: the time it was read`);
    }
  });
  t.end();
});
