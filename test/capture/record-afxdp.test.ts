// xcap record --backend afxdp in the lab: what is sent is what is captured,
// with kernel timestamps, from every RX queue into one file; the refusals
// (host interface, missing queue, zero-copy on veth, a foreign XDP program)
// are one line and leave nothing attached.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { kernelSkipReason, quietLab } from '../kernel/kernel-lab.js';
import { execIn, ip } from '../../src/lab/netns.js';
import { sendFrames } from '../../src/lab/generator.js';
import type { Lab, LabOptions } from '../../src/lab/lab.js';
import { XCAP, hasCommand } from '../helpers/env.js';
import { startRecorder, readBack, attached, detachedSoon, labUdpFrame, type ReadFrame } from './record-helpers.js';

const skip = await kernelSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'xcap-afxdp-'));
type Tap = typeof t;

function withQuietLab(name: string, body: (t: Tap, lab: Lab) => Promise<void>, opts: Omit<LabOptions, 'prefix'> = {}): void {
  t.test(name, { skip }, async (t) => {
    const lab = quietLab(opts);
    t.teardown(() => lab.teardown());
    await body(t as Tap, lab);
  });
}

const wallNs = (): bigint => BigInt(Date.now()) * 1_000_000n;
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));
const srcPort = (f: ReadFrame): number => f.bytes.readUInt16BE(34);

function send(lab: Lab, frame: Uint8Array, count: number, cpu?: number): ReturnType<typeof sendFrames> {
  return sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, count, maxSeconds: 10, method: 'af-packet', cpu });
}

function xcapIn(lab: Lab, args: string[]): { status: number | null; stderr: string } {
  return execIn(lab.captureNs, [process.execPath, XCAP, 'record', ...args], 30_000);
}

function nondecreasing(ts: bigint[]): boolean {
  return ts.every((v, i) => i === 0 || v >= ts[i - 1]);
}

withQuietLab('every frame sent is captured, byte for byte, with kernel timestamps; statistics in the ISB and at exit', async (t, lab) => {
  const file = join(dir, 'all.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal', '-B', '16']);
  t.match(rec.stderr(), /capturing on xcap-cap \(AF_XDP, ingress, all RX queues, copy mode, 16 MiB UMEM \(8192 frames of 2048 bytes\)\)/, '-B sizes the UMEM');
  t.same(attached(lab).map((a) => a.split(' ')[0]), ['xdp'], 'one XDP program while capturing');
  const before = wallNs();
  const small = labUdpFrame(lab, 18);
  const large = labUdpFrame(lab, 1400);
  t.equal((await send(lab, small, 3000)).sent, 3000);
  t.equal((await send(lab, large, 2000)).sent, 2000);
  await settle();
  t.equal(await rec.stop('SIGINT'), 0, 'exit 0 after SIGINT');
  const after = wallNs();
  const back = await readBack(file);
  t.same(back.warnings, [], 'the file reads to its end');
  t.equal(back.frames.length, 5000, 'as many frames as were sent');
  const bytes = back.frames.reduce((a, f) => a + f.caplen, 0);
  t.equal(bytes, 3000 * small.length + 2000 * large.length, 'as many bytes as were sent');
  t.same([...back.frames[0].bytes], [...small], 'the first frame byte for byte');
  t.same([...back.frames[4999].bytes], [...large], 'the last frame byte for byte');
  t.ok(back.frames.every((f) => f.direction === 1), 'every frame flagged inbound');
  const ts = back.frames.map((f) => f.tsNs);
  t.ok(nondecreasing(ts), 'timestamps never go back on a single queue');
  t.ok(ts.every((v) => v >= before - 1_000_000_000n && v <= after + 1_000_000_000n), 'timestamps within a second of wall time');
  t.ok(ts[4999] - ts[0] > 0n && new Set(ts).size > 4000, 'nanosecond kernel timestamps, nearly all distinct');
  t.equal(back.interfaces.length, 1, 'one IDB');
  t.match(back.interfaces[0].description ?? '', /AF_XDP/, 'the IDB says how frames were taken');
  t.equal(back.statistics.length, 1, 'one ISB');
  t.equal(Number(back.statistics[0].ifRecv), 5000, 'ISB: frames the XDP program handed to the sockets');
  t.equal(Number(back.statistics[0].ifDrop), 0, 'ISB: no drops');
  t.match(rec.stderr(), /^5000 packets captured$/m);
  t.match(rec.stderr(), /^5000 packets received by filter$/m);
  t.match(rec.stderr(), /^0 packets dropped by kernel$/m);
  t.match(rec.stderr(), /^AF_XDP \(copy mode\): rx_dropped 0, rx_invalid_descs 0, tx_invalid_descs 0, rx_ring_full 0, rx_fill_ring_empty_descs 0, tx_ring_empty_descs 0$/m);
  t.same(await detachedSoon(lab), [], 'nothing stays attached');
  if (hasCommand('capinfos')) {
    const ci = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' });
    t.equal(ci.status, 0, 'capinfos reads it');
    t.match(ci.stdout, /Number of packets:\s+5000\b/);
  }
  if (hasCommand('tshark')) {
    const ts2 = spawnSync('tshark', ['-r', file, '-n', '-T', 'fields', '-e', 'udp.srcport', '-e', 'frame.len'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    t.equal(ts2.status, 0, 'tshark reads it');
    t.equal(ts2.stdout.trim().split('\n').length, 5000);
  }
});

withQuietLab('-s limits the captured bytes; -c stops; --print dissects frames in place', async (t, lab) => {
  const file = join(dir, 'snap.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal', '-s', '64', '-c', '300', '--print'], 'pipe');
  let out = '';
  rec.child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const frame = labUdpFrame(lab, 500);
  await send(lab, frame, 1000);
  t.equal(await rec.exited, 0, 'exits by itself after -c');
  const back = await readBack(file);
  t.equal(back.frames.length, 300, 'exactly -c frames');
  t.ok(back.frames.every((f) => f.caplen === 64 && f.origlen === frame.length), 'caplen = snaplen, origlen = wire length');
  t.equal(back.interfaces[0].snaplen, 64);
  const lines = out.trim().split('\n');
  t.equal(lines.length, 300, 'a printed line per frame');
  t.match(lines[0], /198\.18\.0\.2 → 198\.18\.0\.1 +UDP/, 'decoded from the UMEM');
  t.same(await detachedSoon(lab), []);
});

withQuietLab('several RX queues go into one file; --queue takes one of them', async (t, lab) => {
  // The client's TX queue is the sending CPU (mod 2); a veth frame arrives on the RX queue of that number.
  const file = join(dir, 'queues.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal']);
  const before = wallNs();
  await Promise.all([send(lab, labUdpFrame(lab, 100, 1000), 2000, 0), send(lab, labUdpFrame(lab, 100, 1001), 2000, 1)]);
  await settle();
  t.equal(await rec.stop('SIGINT'), 0);
  const after = wallNs();
  const back = await readBack(file);
  t.equal(back.frames.length, 4000, 'every frame of both queues');
  t.equal(back.interfaces.length, 1, 'one IDB for the interface');
  for (const port of [1000, 1001]) {
    const ts = back.frames.filter((f) => srcPort(f) === port).map((f) => f.tsNs);
    t.equal(ts.length, 2000, `2000 frames of the flow from CPU ${port - 1000}`);
    t.ok(nondecreasing(ts), `its timestamps never go back (queue ${port - 1000})`);
    t.ok(ts.every((v) => v >= before - 1_000_000_000n && v <= after + 1_000_000_000n), 'within a second of wall time');
  }
  t.equal(Number(back.statistics[0].ifRecv), 4000);

  const one = join(dir, 'queue1.pcapng');
  const rec1 = await startRecorder(lab, ['-i', lab.captureIf, '-w', one, '--backend', 'afxdp', '--steal', '--queue', '1']);
  t.match(rec1.stderr(), /RX queue 1/);
  await send(lab, labUdpFrame(lab, 100, 1000), 500, 0);
  await send(lab, labUdpFrame(lab, 100, 1001), 500, 1);
  await settle();
  t.equal(await rec1.stop('SIGINT'), 0);
  const back1 = await readBack(one);
  t.equal(back1.frames.length, 500, 'only the frames of queue 1');
  t.ok(back1.frames.every((f) => srcPort(f) === 1001), 'all from the flow sent on queue 1');
  t.same(await detachedSoon(lab), []);
}, { queues: 2 });

withQuietLab('several interfaces go into one file, one IDB and one ISB each', async (t, lab) => {
  ip(['-n', lab.captureNs, 'link', 'add', 'xcap-cap2', 'type', 'veth', 'peer', 'name', 'xcap-cli2', 'netns', lab.clientNs]);
  ip(['-n', lab.captureNs, 'link', 'set', 'xcap-cap2', 'up']);
  ip(['-n', lab.clientNs, 'link', 'set', 'xcap-cli2', 'up']);
  const file = join(dir, 'two.pcapng');
  // No address on the second one: --steal is needed for the first only, and given.
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-i', 'xcap-cap2', '-w', file, '--backend', 'afxdp', '--steal']);
  await send(lab, labUdpFrame(lab, 60, 2000), 300);
  await sendFrames({ ns: lab.clientNs, ifname: 'xcap-cli2', frame: labUdpFrame(lab, 60, 2001), count: 200, maxSeconds: 10, method: 'af-packet' });
  await settle();
  t.equal(await rec.stop('SIGINT'), 0);
  const back = await readBack(file);
  t.same(back.interfaces.map((i) => i.name), [lab.captureIf, 'xcap-cap2']);
  t.equal(back.frames.filter((f) => f.ifaceId === 0 && srcPort(f) === 2000).length, 300, 'first interface');
  t.equal(back.frames.filter((f) => f.ifaceId === 1 && srcPort(f) === 2001).length, 200, 'second interface');
  t.equal(back.frames.length, 500);
  t.same(back.statistics.map((s) => Number(s.ifRecv)), [300, 200], 'an ISB per interface with its own count');
  t.same(await detachedSoon(lab), []);
  t.same(await detachedSoon(lab, 'xcap-cap2'), []);
});

withQuietLab('auto: ring buffer on an interface the host uses, AF_XDP once it has no address', async (t, lab) => {
  const file = join(dir, 'auto.pcapng');
  let rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '-c', '1']);
  t.match(rec.stderr(), /\(ring buffer, both directions, ingress at TC, 64 MiB ring\)/, 'auto picks the ring buffer where there is an address');
  rec.child.kill('SIGINT');
  await rec.exited;
  ip(['-n', lab.captureNs, 'addr', 'flush', 'dev', lab.captureIf]);
  rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file]);
  t.match(rec.stderr(), /\(AF_XDP, ingress, all RX queues, copy mode, 64 MiB UMEM \(32768 frames of 2048 bytes\)\)/, 'and AF_XDP where there is none');
  await send(lab, labUdpFrame(lab, 60), 100);
  await settle();
  t.equal(await rec.stop('SIGINT'), 0);
  t.equal((await readBack(file)).frames.length, 100);
  t.same(await detachedSoon(lab), []);
});

withQuietLab('refusals: one line naming the cause, nothing attached', async (t, lab) => {
  const file = join(dir, 'refused.pcapng');
  let r = xcapIn(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp']);
  t.equal(r.status, 1);
  t.equal(r.stderr, `xcap: --backend afxdp refuses ${lab.captureIf}: it has address ${lab.captureAddr}/24, and AF_XDP would take its incoming frames away from the host; use --backend ringbuf, or --steal if that is intended\n`);
  r = xcapIn(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal', '--queue', '3']);
  t.equal(r.status, 1);
  t.equal(r.stderr, `xcap: ${lab.captureIf} has no RX queue 3: it has 1 (queue 0)\n`);
  r = xcapIn(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal', '--zerocopy']);
  t.equal(r.status, 1);
  t.match(r.stderr, /^xcap: xcap-cap does not support zero-copy AF_XDP .*leave out --zerocopy to capture in copy mode\n$/);
  r = xcapIn(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'ringbuf', '--queue', '0']);
  t.equal(r.status, 2, 'AF_XDP flags with the ring buffer are a usage error');
  t.match(r.stderr, /^xcap: --queue only applies to --backend afxdp\n$/);
  r = xcapIn(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal', '-B', '512']);
  t.equal(r.status, 1);
  t.equal(r.stderr, 'xcap: -B 512 gives each of the 1 AF_XDP socket 262144 frames of 2048 bytes, outside the 64 to 65536 a socket takes: give -B from 1 to 255 (MiB)\n');
  t.same(attached(lab), [], 'nothing attached after any of them');

  // Someone else's program on the XDP hook is never replaced.
  const other = await startRecorder(lab, ['-i', lab.captureIf, '-w', join(dir, 'other.pcapng'), '--backend', 'ringbuf', '--ingress-hook', 'xdp']);
  const theirs = attached(lab);
  r = xcapIn(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal']);
  t.equal(r.status, 1);
  t.match(r.stderr, /^xcap: can't attach XDP program to xcap-cap: EBUSY \(16\) - another XDP program is attached there, and xcap never replaces it\n$/);
  t.same(attached(lab), theirs, 'the other program stays, and nothing of ours is added');
  t.equal(await other.stop('SIGINT'), 0);
  t.same(await detachedSoon(lab), []);
});

withQuietLab('SIGKILL leaves nothing attached', async (t, lab) => {
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', join(dir, 'killed.pcapng'), '--backend', 'afxdp', '--steal']);
  await send(lab, labUdpFrame(lab, 60), 200);
  await rec.stop('SIGKILL');
  t.same(await detachedSoon(lab), [], 'the kernel released the link');
  // The sockets went with the process: a new capture binds the same queue.
  const again = await startRecorder(lab, ['-i', lab.captureIf, '-w', join(dir, 'again.pcapng'), '--backend', 'afxdp', '--steal', '-c', '10']);
  await send(lab, labUdpFrame(lab, 60), 50);
  t.equal(await again.exited, 0, 'the queue is free again');
  t.same(await detachedSoon(lab), []);
});

withQuietLab('a filter expression runs before the redirect: only matching frames reach the sockets, the rest go on to the host, counted', async (t, lab) => {
  const file = join(dir, 'filtered.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal', 'udp src port 3000']);
  t.match(rec.stderr(), /\(AF_XDP, ingress, all RX queues, copy mode, 64 MiB UMEM \(32768 frames of 2048 bytes\)\), snaplen \d+, filter 'udp src port 3000' \(in the kernel\)/);
  t.same(attached(lab).map((a) => a.split(' ')[0]), ['xdp'], 'one XDP program: the filter, tail-calling the AF_XDP one');
  await send(lab, labUdpFrame(lab, 60, 3000), 400);
  await send(lab, labUdpFrame(lab, 60, 3001), 600);
  await settle();
  t.equal(await rec.stop('SIGINT'), 0);
  const back = await readBack(file);
  t.equal(back.frames.length, 400, 'only the matching frames');
  t.ok(back.frames.every((f) => srcPort(f) === 3000), 'all of them from port 3000');
  t.equal(back.interfaces[0].filter, 'udp src port 3000', 'the IDB names the filter');
  t.equal(Number(back.statistics[0].ifRecv), 1000, 'ISB: every frame the hook saw');
  t.equal(Number(back.statistics[0].filterAccept), 400, 'ISB: the frames the filter accepted');
  t.match(rec.stderr(), /^400 packets received by filter$/m);
  t.match(rec.stderr(), /^600 packets rejected by filter/m);
  t.same(await detachedSoon(lab), [], 'filter and AF_XDP program both gone');
});
