// xcap replay in the lab: the project's Ethernet fixtures, replayed into the
// client end of the veth and recorded by xcap record (ring buffer) on the
// capture end, arrive byte for byte and in order, with both methods.  Only
// frames arriving (inbound) are compared: the capture side's own stack may
// answer some of them (ARP, ICMP errors), and those leave as outbound frames.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createLab, type Lab } from '../../src/lab/lab.js';
import { execIn, ip } from '../../src/lab/netns.js';
import { Direction } from '../../src/pcap/frame-index.js';
import { kernelSkipReason, liveFramesSkipReason } from '../kernel/kernel-lab.js';
import { attached, startRecorder, readBack, type ReadBack } from '../capture/record-helpers.js';
import { fixtureFiles, fixturePath } from '../helpers/fixtures.js';
import { XCAP } from '../helpers/env.js';
import { syntheticFrame } from '../../src/replay/synthetic-frame.js';
import { pcapFile, LinkType } from '../../fixtures/gen/pcap-file.js';

const skip = await kernelSkipReason();
const liveSkip = skip || (await liveFramesSkipReason());
/** The methods this kernel lets run; test-run is skipped, with the reason, where live frames are refused. */
const METHODS = liveSkip ? ['af-packet'] : ['af-packet', 'test-run'];
const LINKTYPE_ETHERNET = 1;
const RATE = 5000;

function replay(lab: Lab, args: string[]): { status: number | null; stderr: string } {
  const bound = args.includes('--max-seconds') ? [] : ['--max-seconds', '10'];
  const r = execIn(lab.clientNs, [process.execPath, XCAP, 'replay', '-i', lab.clientIf, ...bound, ...args], 30_000);
  return { status: r.status, stderr: r.stderr };
}

function rxPackets(lab: Lab): number {
  return (JSON.parse(ip(['-n', lab.captureNs, '-s', '-j', 'link', 'show', 'dev', lab.captureIf])) as { stats64: { rx: { packets: number } } }[])[0].stats64.rx.packets;
}

function sentCount(stderr: string): number {
  const m = /sent (\d+) frames/.exec(stderr);
  return m ? Number(m[1]) : -1;
}

function sentBytes(stderr: string): number {
  const m = /sent \d+ frames \((\d+) bytes\)/.exec(stderr);
  return m ? Number(m[1]) : -1;
}

/**
 * What replay should send of a file, worked out here from the file as read:
 * every frame in order, without its FCS when the file says it has one,
 * leaving out frames shorter than an Ethernet header or longer than the MTU allows.
 */
function expectedFrames(back: ReadBack, mtu: number): Buffer[] {
  const out: Buffer[] = [];
  for (const f of back.frames) {
    const fcs = back.interfaces[f.ifaceId].fcsLen ?? 0;
    const bytes = fcs > 0 && f.caplen === f.origlen ? f.bytes.subarray(0, f.caplen - fcs) : f.bytes;
    const tagged = bytes.length >= 14 && [0x8100, 0x88a8].includes(bytes.readUInt16BE(12));
    if (bytes.length < 14 || bytes.length > mtu + 14 + (tagged ? 4 : 0)) continue;
    out.push(bytes);
  }
  return out;
}

async function ethernetFixtures(): Promise<{ name: string; back: ReadBack }[]> {
  const found = [];
  for (const name of fixtureFiles()) {
    const back = await readBack(fixturePath(name));
    if (back.interfaces.length > 0 && back.interfaces.every((i) => i.linktype === LINKTYPE_ETHERNET)) found.push({ name, back });
  }
  return found;
}

t.test('replayed fixtures are captured back byte for byte, in order', { skip }, async (t) => {
  const fixtures = await ethernetFixtures();
  t.ok(fixtures.length >= 15, `the Ethernet fixtures (${fixtures.map((f) => f.name).join(', ')})`);
  const lab = createLab({ prefix: 'xcap-rp', gro: true });
  const dir = mkdtempSync(join(tmpdir(), 'xcap-replay-'));
  t.teardown(() => {
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  if (liveSkip) t.test('test-run', { skip: liveSkip }, () => {});
  for (const method of METHODS) {
    t.test(method, async (t) => {
      const file = join(dir, `${method}.pcapng`);
      // At XDP, before the peer's GRO: GRO holds and flushes segments per flow,
      // which can reorder frames of different flows (a TCP segment with no
      // flags came after the next flow's PSH/URG segment at TC).
      const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '--ingress-hook', 'xdp']);
      let recording = true;
      t.teardown(async () => { if (recording) await rec.stop('SIGKILL'); });
      const expected: Buffer[] = [];
      for (const { name, back } of fixtures) {
        const want = expectedFrames(back, 1500);
        const r = replay(lab, ['-r', fixturePath(name), '--method', method, '--rate', String(RATE)]);
        // A file cut short is sent up to where it stops, with the reader's warning and exit 1, as xcap read does.
        t.equal(r.status, back.warnings.length ? 1 : 0, `${name}: exit ${back.warnings.length ? 1 : 0} (${r.stderr.trim()})`);
        t.equal(sentCount(r.stderr), want.length, `${name}: sent ${want.length} frames`);
        expected.push(...want);
      }
      await new Promise((r) => setTimeout(r, 300));
      recording = false;
      t.equal(await rec.stop('SIGINT'), 0, 'xcap record stopped cleanly');
      const got = (await readBack(file)).frames.filter((f) => f.direction === Direction.Inbound).map((f) => f.bytes);
      t.equal(got.length, expected.length, `captured ${got.length} inbound frames, replayed ${expected.length}`);
      const firstDifference = expected.findIndex((e, i) => !got[i] || !e.equals(got[i]));
      t.equal(firstDifference, -1, firstDifference < 0 ? 'every frame equal, in order'
        : `frame ${firstDifference + 1} differs: sent ${expected[firstDifference].toString('hex')}, captured ${got[firstDifference]?.toString('hex')}`);
    });
  }
});

t.test('frames longer than the MTU allows are skipped and counted; the time bound and a signal stop it', { skip }, async (t) => {
  const lab = createLab({ prefix: 'xcap-rq' });
  t.teardown(() => lab.teardown());
  ip(['-n', lab.clientNs, 'link', 'set', 'dev', lab.clientIf, 'mtu', '150']);
  const http = await readBack(fixturePath('http.pcap'));
  const fit = expectedFrames(http, 150).length;
  t.ok(fit > 0 && fit < http.frames.length, `http.pcap has frames on both sides of 164 bytes (${fit} of ${http.frames.length} fit)`);
  const r = replay(lab, ['-r', fixturePath('http.pcap')]);
  t.equal(r.status, 0, 'exit 0');
  t.equal(sentCount(r.stderr), fit, `sent the ${fit} that fit`);
  t.match(r.stderr, `skipped ${http.frames.length - fit} frames longer than MTU 150 allows (164 bytes`, 'and says how many it skipped');

  const bounded = replay(lab, ['--synthetic', '60', '-c', '1000000', '--rate', '1000', '--max-seconds', '0.4']);
  t.equal(bounded.status, 0, 'the time bound is a normal stop');
  t.match(bounded.stderr, 'stopped at the 0.4 s time bound', 'and says so');
  const sent = sentCount(bounded.stderr);
  t.ok(sent >= 300 && sent <= 410, `sending what the rate allows in that time (${sent})`);

  const long = spawn('ip', ['netns', 'exec', lab.clientNs, process.execPath, XCAP, 'replay', '-i', lab.clientIf, '--synthetic', '60', '-c', '1000000', '--rate', '1000', '--max-seconds', '20'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  long.stderr!.on('data', (d) => { err += String(d); });
  const exited = new Promise<number | null>((resolve) => long.on('close', resolve));
  const killer = setTimeout(() => long.kill('SIGKILL'), 15_000);
  // Signalled once frames arrive, so the signal finds it sending, not starting.
  const before = rxPackets(lab);
  for (let waited = 0; rxPackets(lab) === before && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  long.kill('SIGINT');
  t.equal(await exited, 0, 'SIGINT stops it with exit 0');
  clearTimeout(killer);
  t.match(err, 'stopped by a signal', 'saying so');
  t.ok(sentCount(err) > 0 && sentCount(err) < 2000, `after what it had sent (${sentCount(err)})`);
});

t.test('a file of several batches, looped, arrives whole and in order each time', { skip }, async (t) => {
  const lab = createLab({ prefix: 'xcap-rb', gro: true });
  const dir = mkdtempSync(join(tmpdir(), 'xcap-replay-batches-'));
  t.teardown(() => {
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  // 2500 frames (the reader hands over 1024 at a time), each a different length and numbered.
  const frames = Array.from({ length: 2500 }, (_, i) => {
    const f = syntheticFrame({ size: 60 + (i * 7) % 900, srcMac: '02:00:00:00:00:02' });
    new DataView(f.buffer, f.byteOffset).setUint32(42, i);
    return f;
  });
  const file = join(dir, 'numbered.pcap');
  writeFileSync(file, pcapFile(frames, { linkType: LinkType.ETHERNET }));
  const bytes = frames.reduce((n, f) => n + f.length, 0);
  const out = join(dir, 'back.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', out]);
  let recording = true;
  t.teardown(async () => { if (recording) await rec.stop('SIGKILL'); });
  const expected: Uint8Array[] = [];
  if (liveSkip) t.comment(`test-run not looped: ${liveSkip}`);
  for (const method of METHODS) {
    const r = replay(lab, ['-r', file, '--loop', '2', '--rate', '20000', '--method', method]);
    t.equal(r.status, 0, `${method}: exit 0 (${r.stderr.trim()})`);
    t.equal(sentCount(r.stderr), 5000, `${method}: sent the file twice`);
    t.equal(sentBytes(r.stderr), 2 * bytes, `${method}: and counted its bytes twice`);
    expected.push(...frames, ...frames);
  }
  const capped = replay(lab, ['-r', file, '--loop', '3', '-c', '3000', '--rate', '20000']);
  t.equal(sentCount(capped.stderr), 3000, '-c caps the frames sent in all');
  t.equal(sentBytes(capped.stderr), bytes + frames.slice(0, 500).reduce((n, f) => n + f.length, 0), 'counting the bytes of those sent');
  expected.push(...frames, ...frames.slice(0, 500));
  await new Promise((r) => setTimeout(r, 300));
  recording = false;
  t.equal(await rec.stop('SIGINT'), 0, 'xcap record stopped cleanly');
  const got = (await readBack(out)).frames.filter((f) => f.direction === Direction.Inbound).map((f) => f.bytes);
  t.equal(got.length, expected.length, `captured ${got.length} inbound frames, sent ${expected.length}`);
  const firstDifference = expected.findIndex((e, i) => !got[i] || !Buffer.from(e).equals(got[i]));
  t.equal(firstDifference, -1, firstDifference < 0 ? 'every frame equal, in order' : `frame ${firstDifference + 1} differs`);
});

t.test('synthetic frames by tc-clone: exactly -c of them arrive, and nothing stays attached', { skip }, async (t) => {
  const lab = createLab({ prefix: 'xcap-rc' });
  t.teardown(() => lab.teardown());
  const before = rxPackets(lab);
  // 1000 is not a multiple of the 64 copies a frame becomes: the last frame goes out 40 times.
  const r = replay(lab, ['--synthetic', '100', '-c', '1000', '--method', 'tc-clone']);
  t.equal(r.status, 0, `exit 0 (${r.stderr.trim()})`);
  t.equal(sentCount(r.stderr), 1000, 'sent 1000');
  t.equal(sentBytes(r.stderr), 100_000, 'of 100 bytes each');
  t.equal(rxPackets(lab) - before, 1000, 'and the capture end received 1000');
  t.same(attached(lab, lab.clientIf, lab.clientNs), [], 'the clone program left the sending interface with its exit');
});
