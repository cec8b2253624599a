// Live capture in a lab of our own: frames and bytes per direction, snaplen,
// timestamps, counters, and nothing left attached after close().
import t from 'tap';
import { FrameIndex } from '../../src/pcap/frame-index.js';
import { execIn, ip } from '../../src/lab/netns.js';
import type { Lab } from '../../src/lab/lab.js';
import type { RingCapture as Capture } from '../../src/kernel/ring-capture.js';
import { CUT_BLOCK_OVERHEAD } from '../../src/kernel/ring-reader.js';
import { kernelSkipReason, leftoversAfter, quietLab } from './kernel-lab.js';
import { sendFrames } from '../../src/lab/generator.js';
import { taggedFrame } from '../helpers/frames.js';

const skip = await kernelSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const { RingCapture } = await import('../../src/kernel/ring-capture.js');

  const SNAPLEN = 4000;
  const MTU = 9000;
  const PINGS = 20;
  // ICMP payload sizes: frames from small to jumbo, each padding remainder
  // of the pcapng block (with and without opt_endofopt), and one beyond snaplen.
  const PAYLOADS = [56, 57, 58, 59, 300, 1400, 5000];
  const frameLen = (payload: number): number => 14 + 20 + 8 + payload;
  const ICMP_ECHO_REQUEST = 8;
  const ICMP_ECHO_REPLY = 0;

  interface Captured { dir: number; caplen: number; origlen: number; ms: number; icmpType: number; bytes: Uint8Array; }

  function readAll(capture: Capture, expected: number, deadlineMs: number): Captured[] {
    const memory = new ArrayBuffer(8 << 20);
    const arenaBase = 1 << 16;
    const arena = new Uint8Array(memory, arenaBase);
    const index = new FrameIndex(new DataView(memory), 0, 512);
    const bytes = new Uint8Array(memory);
    const out: Captured[] = [];
    const deadline = Date.now() + deadlineMs;
    while (out.length < expected && Date.now() < deadline) {
      const n = capture.poll(arena, arenaBase, index, 20);
      for (let i = 0; i < n; i++) {
        const p = index.dataPtr(i);
        out.push({
          dir: index.flags(i) & 3,
          caplen: index.caplen(i),
          origlen: index.origlen(i),
          ms: index.tsSec(i) * 1000 + index.tsNsec(i) / 1e6,
          icmpType: bytes[p + 34],
          bytes: bytes.slice(p, p + index.caplen(i)),
        });
        if (index.linktype(i) !== 1 || index.ifaceId(i) !== 0 || index.tsDigits(i) !== 9) throw new Error(`frame ${out.length}: bad index entry`);
      }
    }
    return out;
  }

  async function withLab(body: (lab: Lab) => Promise<void>): Promise<void> {
    const lab = quietLab();
    try {
      for (const [ns, dev] of [[lab.captureNs, lab.captureIf], [lab.clientNs, lab.clientIf]]) ip(['-n', ns, 'link', 'set', 'dev', dev, 'mtu', String(MTU)]);
      await body(lab);
    } finally {
      lab.teardown();
    }
  }

  for (const hook of ['xdp', 'tc'] as const) {
    t.test(`ingress through ${hook}, egress through TCX`, (t) => withLab(async (lab) => {
      const capture = RingCapture.open({
        interfaces: [{ name: lab.captureIf, ifindex: 0, ingress: true, egress: true, ingressHook: hook }],
        snaplen: SNAPLEN, ringBytes: 1 << 20, netns: lab.captureNs,
      });
      const attached = capture.attachments();
      try {
        t.same(attached.map((a) => a.hook), [hook === 'xdp' ? 'xdp' : 'tcx-ingress', 'tcx-egress'], 'attached where asked');
        const startMs = Date.now();
        for (const size of PAYLOADS) {
          const r = execIn(lab.clientNs, ['ping', '-c', String(PINGS), '-i', '0.01', '-W', '1', '-q', '-s', String(size), lab.captureAddr], 20_000);
          t.equal(r.status, 0, `ping -s ${size} got its replies`);
        }
        const frames = readAll(capture, 2 * PINGS * PAYLOADS.length, 3000);
        const endMs = Date.now();

        for (const [dir, name, icmp] of [[1, 'inbound', ICMP_ECHO_REQUEST], [2, 'outbound', ICMP_ECHO_REPLY]] as const) {
          const mine = frames.filter((f) => f.dir === dir);
          const expectOrig = PAYLOADS.flatMap((p) => Array(PINGS).fill(frameLen(p)) as number[]);
          t.equal(mine.length, PINGS * PAYLOADS.length, `${name}: every frame captured`);
          t.equal(sum(mine.map((f) => f.origlen)), sum(expectOrig), `${name}: original bytes equal what was sent`);
          t.equal(sum(mine.map((f) => f.caplen)), sum(expectOrig.map((l) => Math.min(l, SNAPLEN))), `${name}: captured bytes honour snaplen`);
          t.ok(mine.every((f) => f.caplen === Math.min(f.origlen, SNAPLEN)), `${name}: caplen = min(length, snaplen) for each frame`);
          t.ok(mine.every((f) => f.icmpType === icmp), `${name}: the bytes are the ICMP ${icmp === ICMP_ECHO_REQUEST ? 'requests' : 'replies'}`);
        }
        t.equal(frames.length, 2 * PINGS * PAYLOADS.length, 'no other frames');
        t.ok(frames.every((f, i) => i === 0 || f.ms >= frames[i - 1].ms), 'timestamps never go backwards');
        t.ok(frames.every((f) => f.ms >= startMs - 1000 && f.ms <= endMs + 1000), 'timestamps within a second of wall time');
        const c = capture.counters();
        t.equal(c.dropped, 0n, 'no kernel drops at this rate');
        t.equal(c.seen, BigInt(frames.length), 'seen = captured');
        t.same(c.perInterface, [{ seen: c.seen, dropped: 0n, rejected: 0n }], 'per-interface counters (no filter: nothing rejected)');
        t.equal(capture.poll(new Uint8Array(4096), 0, new FrameIndex(new DataView(new ArrayBuffer(64)), 0, 2), 0), 0, 'nothing more in the ring');
      } finally {
        capture.close();
      }
      capture.close();
      t.same(await leftoversAfter(lab, attached, 2000), [], 'after close() (twice) nothing of ours is attached or loaded');
    }));
  }

  t.test('a VLAN tag the kernel moved out of the frame is put back at TC, as libpcap does', (t) => withLab(async (lab) => {
    const FRAMES = 20;
    const sent = taggedFrame();
    for (const hook of ['xdp', 'tc'] as const) {
      const capture = RingCapture.open({
        interfaces: [{ name: lab.captureIf, ifindex: 0, ingress: true, egress: false, ingressHook: hook }],
        snaplen: SNAPLEN, ringBytes: 1 << 20, netns: lab.captureNs,
      });
      let got: ReturnType<typeof readAll> = [];
      try {
        await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame: sent, count: FRAMES, maxSeconds: 5, rate: 1000, method: 'af-packet' });
        got = readAll(capture, FRAMES, 3000);
      } finally {
        capture.close();
      }
      t.equal(got.length, FRAMES, `${hook}: every tagged frame captured`);
      t.ok(got.every((f) => f.origlen === sent.length), `${hook}: the length on the wire counts the tag`);
      t.ok(got.every((f) => Buffer.from(f.bytes).equals(Buffer.from(sent))), `${hook}: the frames are the bytes sent, tag included`);
    }
  }));

  t.test('a full ring counts exactly the frames it could not take', (t) => withLab(async (lab) => {
    const FLOOD = 500;
    const capture = RingCapture.open({ interfaces: [{ name: lab.captureIf, ifindex: 0, ingress: true, egress: true }], snaplen: 1500, ringBytes: 1 << 16, netns: lab.captureNs });
    try {
      // Nobody reads while the flood runs, so the 64 KiB ring fills up.
      const r = execIn(lab.clientNs, ['ping', '-f', '-c', String(FLOOD), '-W', '1', '-q', '-s', '1000', lab.captureAddr], 20_000);
      t.equal(r.status, 0, 'the flood ping got its replies');
      const frames = readAll(capture, 2 * FLOOD, 500);
      const c = capture.counters();
      t.equal(c.seen, BigInt(2 * FLOOD), 'the programs saw every frame');
      t.ok(c.dropped > 0n, `the ring overflowed (${c.dropped} dropped)`);
      t.equal(c.seen - c.dropped, BigInt(frames.length), 'dropped = seen - captured, exactly');
    } finally {
      capture.close();
    }
  }));

  t.test('a frame larger than the arena keeps its head instead of stalling the ring', (t) => withLab(async (lab) => {
    const capture = RingCapture.open({ interfaces: [{ name: lab.captureIf, ifindex: 0, ingress: true, egress: false }], snaplen: SNAPLEN, ringBytes: 1 << 20, netns: lab.captureNs });
    try {
      execIn(lab.clientNs, ['ping', '-c', '2', '-i', '0.01', '-W', '1', '-q', '-s', '3000', lab.captureAddr]);
      const memory = new ArrayBuffer(1 << 16);
      const index = new FrameIndex(new DataView(memory), 0, 16);
      const arena = new Uint8Array(memory, 4096, 1000);
      const got: number[] = [];
      for (let i = 0; i < 100 && got.length < 4; i++) {
        const n = capture.poll(arena, 4096, index, 20);
        for (let k = 0; k < n; k++) got.push(index.caplen(k), index.origlen(k));
      }
      const cut = (1000 - CUT_BLOCK_OVERHEAD) & ~3;
      t.same(got, [cut, 3042, cut, 3042], 'one frame per poll, cut to what the arena holds, original length kept');
    } finally {
      capture.close();
    }
  }));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
