// The lab's frame generator: N frames sent are N frames arriving, byte for
// byte, with every method; pacing and the time bound hold; bad plans are
// refused before anything is started.  Arrivals are counted twice: by the
// capture interface's receive counter and by tcpdump -c in the capture
// namespace.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, type Lab } from '../../src/lab/lab.js';
import { ip } from '../../src/lab/netns.js';
import { sendFrames, type SendFramesOptions, type SendMethod } from '../../src/lab/generator.js';
import { hasCommand } from '../helpers/env.js';
import { attached, readBack, labUdpFrame } from '../capture/record-helpers.js';
import { kernelSkipReason, liveFramesSkipReason } from '../kernel/kernel-lab.js';

const N = 1000;

function rxPackets(lab: Lab): number {
  const link = JSON.parse(ip(['-n', lab.captureNs, '-s', '-j', 'link', 'show', 'dev', lab.captureIf])) as { stats64: { rx: { packets: number } } }[];
  return link[0].stats64.rx.packets;
}

t.test('a plan out of bounds is refused before anything starts', async (t) => {
  const base: SendFramesOptions = { ns: 'unused', ifname: 'unused', frame: new Uint8Array(60), count: 10, maxSeconds: 1, method: 'af-packet' };
  await t.rejects(sendFrames({ ...base, count: 0 }), /count/);
  await t.rejects(sendFrames({ ...base, count: 1.5 }), /count/);
  await t.rejects(sendFrames({ ...base, maxSeconds: 0 }), /maxSeconds/);
  await t.rejects(sendFrames({ ...base, maxSeconds: 10_000 }), /maxSeconds/);
  await t.rejects(sendFrames({ ...base, rate: -5 }), /rate/);
  await t.rejects(sendFrames({ ...base, frame: new Uint8Array(8) }), /frame/);
  await t.rejects(sendFrames({ ...base, method: 'test-run', frame: new Uint8Array(4000) }), /frame/);
});

const skip = (await kernelSkipReason()) || (hasCommand('tcpdump') ? false : 'tcpdump is not installed (it counts the arrivals)');
const liveSkip = skip || (await liveFramesSkipReason());
const methodSkip = (method: SendMethod): string | false => (method === 'test-run' ? liveSkip : false);
t.test('frames sent arrive', { skip }, async (t) => {
  // GRO on the capture end gives the veth NAPI, without which frames redirected by XDP are refused.
  const lab = createLab({ prefix: 'xcap-g', gro: true });
  const dir = mkdtempSync(join(tmpdir(), 'xcap-gen-'));
  t.teardown(() => {
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  // N is not a multiple of tc-clone's 64 copies: the last frame goes out fewer times.
  for (const method of ['af-packet', 'test-run', 'tc-clone'] as SendMethod[]) {
    t.test(`${N} frames by ${method}`, { skip: methodSkip(method) }, async (t) => {
      const frame = labUdpFrame(lab, 200);
      const file = join(dir, `${method}.pcap`);
      const tcpdump = spawn('ip', ['netns', 'exec', lab.captureNs, 'tcpdump', '-i', lab.captureIf, '-n', '-c', String(N), '-w', file,
        'udp and src host 198.18.0.2 and dst port 9'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      tcpdump.stderr!.on('data', (d) => { err += String(d); });
      const exited = new Promise<number | null>((resolve) => tcpdump.on('close', resolve));
      const killer = setTimeout(() => tcpdump.kill('SIGKILL'), 20_000);
      try {
        for (let waited = 0; !err.includes('listening on'); waited += 20) {
          if (waited > 10_000 || tcpdump.exitCode !== null) throw new Error(`tcpdump did not start: ${err}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        const before = rxPackets(lab);
        const r = await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, count: N, maxSeconds: 5, method });
        t.equal(r.sent, N, `the generator sent ${N} (${JSON.stringify(r)})`);
        const status = await exited;
        t.equal(status, 0, `tcpdump -c ${N} saw them all and exited: ${err.trim()}`);
        t.equal(rxPackets(lab) - before, N, 'the capture interface received exactly that many');
        const back = await readBack(file);
        t.equal(back.frames.length, N, 'all are in the file');
        t.same([...back.frames[0].bytes], [...frame], 'byte for byte the frame given');
        t.same([...back.frames[N - 1].bytes], [...frame], 'the last one too');
        t.same(attached(lab, lab.clientIf, lab.clientNs), [], 'nothing stays attached to the sending interface');
      } finally {
        clearTimeout(killer);
        if (tcpdump.exitCode === null && tcpdump.signalCode === null) tcpdump.kill('SIGKILL');
      }
    });
  }

  t.test('a rate is kept and the time bound holds', async (t) => {
    const frame = labUdpFrame(lab, 18);
    const paced = await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, count: 1000, maxSeconds: 5, rate: 2000, method: 'af-packet' });
    t.equal(paced.sent, 1000);
    t.ok(paced.seconds > 0.45 && paced.seconds < 1.5, `1000 frames at 2000/s took ${paced.seconds.toFixed(3)} s`);
    const bounded = await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, count: 10_000_000, maxSeconds: 0.3, rate: 1000, method: 'af-packet' });
    t.ok(bounded.seconds < 0.6, `stopped at the deadline (${bounded.seconds.toFixed(3)} s)`);
    t.ok(bounded.sent > 100 && bounded.sent <= 400, `and sent what the rate allows in that time (${bounded.sent})`);
  });

  t.test('tc-clone keeps the rate and the time bound too', async (t) => {
    const frame = labUdpFrame(lab, 18);
    const paced = await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, count: 64_000, maxSeconds: 5, rate: 128_000, method: 'tc-clone' });
    t.equal(paced.sent, 64_000);
    t.ok(paced.seconds > 0.4 && paced.seconds < 1.5, `64000 frames at 128000/s took ${paced.seconds.toFixed(3)} s`);
    const before = rxPackets(lab);
    const few = await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, count: 10, maxSeconds: 5, method: 'tc-clone' });
    t.equal(few.sent, 10, 'fewer frames than copies: one frame sent ten times');
    t.equal(rxPackets(lab) - before, 10, 'and ten arrived');
    const bounded = await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, count: 50_000_000, maxSeconds: 0.3, rate: 'max', method: 'tc-clone' });
    t.ok(bounded.seconds < 0.6, `stopped at the deadline (${bounded.seconds.toFixed(3)} s, ${bounded.sent} frames)`);
    t.ok(bounded.sent < 50_000_000, 'before the count');
  });

  t.test('test-run keeps the rate and the time bound too', { skip: liveSkip }, async (t) => {
    const frame = labUdpFrame(lab, 18);
    const burst = await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, count: 10_000_000, maxSeconds: 0.3, rate: 100_000, method: 'test-run' });
    t.ok(burst.seconds < 0.8, `test-run stopped at the deadline too (${burst.seconds.toFixed(3)} s, ${burst.calls} calls)`);
    t.ok(burst.sent + (burst.refused ?? 0) < 100_000, `having sent no more than the rate allows (${burst.sent})`);
  });
});
