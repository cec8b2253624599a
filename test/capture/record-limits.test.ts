// xcap record against limits: -a filesize stops by itself, a disk that fills
// mid-capture ends with one line and a valid file, and the status line shows
// on a terminal only.
import t from 'tap';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { kernelSkipReason, quietLab } from '../kernel/kernel-lab.js';
import { execIn } from '../../src/lab/netns.js';
import type { Lab } from '../../src/lab/lab.js';
import { XCAP, hasCommand } from '../helpers/env.js';
import { startRecorder, readBack, echoFrames } from './record-helpers.js';

const skip = await kernelSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'xcap-limits-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function ping(lab: Lab, count: number, size: number): void {
  // Bounded in count and time; a full disk on the capture side must not stop the sender.
  execIn(lab.clientNs, ['ping', '-c', String(count), '-i', '0.002', '-s', String(size), '-W', '1', '-q', lab.captureAddr], 30_000);
}

function labTest(name: string, body: (t: Tap, lab: Lab) => Promise<void>, extraSkip: string | false = false): void {
  t.test(name, { skip: skip || extraSkip }, async (t) => {
    const lab = quietLab();
    t.teardown(() => lab.teardown());
    await body(t as Tap, lab);
  });
}
type Tap = typeof t;

labTest('-a filesize:KB stops once the file reaches the size, as dumpcap', async (t, lab) => {
  const file = join(dir, 'size.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '-a', 'filesize:20']);
  // 100 echo requests and replies of 1042 bytes: about 200 KB if nothing stopped it.
  ping(lab, 100, 1000);
  const code = await Promise.race([rec.exited, new Promise((r) => setTimeout(() => r('running'), 5000))]);
  if (code === 'running') await rec.stop('SIGKILL');
  t.equal(code, 0, 'exits by itself with 0');
  const size = statSync(file).size;
  t.ok(size >= 20_000 && size < 60_000, `stopped just past 20 kB (${size} bytes)`);
  const back = await readBack(file);
  t.same(back.warnings, [], 'the file reads to its end');
  t.equal(back.statistics.length, 1, 'the ISB is written');
  t.ok(echoFrames(back.frames, 8).length < 100, 'not everything was captured');
});

const canMount = process.getuid?.() === 0 && hasCommand('mount') ? false : 'needs root to mount a small tmpfs';
labTest('a disk that fills mid-capture: one line, exit 1, everything before it kept in a valid file', async (t, lab) => {
  const small = mkdtempSync(join(dir, 'tmpfs-'));
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'xcap-test', small], { encoding: 'utf8' });
  if (m.status !== 0) {
    t.plan(0, `cannot mount a tmpfs here: ${m.stderr.trim()}`);
    return;
  }
  t.teardown(() => { spawnSync('umount', [small]); });
  const file = join(small, 'full.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file]);
  ping(lab, 200, 1000);
  const code = await Promise.race([rec.exited, new Promise((r) => setTimeout(() => r('running'), 5000))]);
  if (code === 'running') await rec.stop('SIGKILL');
  t.equal(code, 1, 'exit 1');
  const lines = rec.stderr().trim().split('\n');
  const error = lines.filter((l) => l.startsWith('xcap: ') && !l.includes('capturing on'));
  t.equal(error.length, 1, `one error line: ${JSON.stringify(lines)}`);
  t.match(error[0] ?? '', /no space left on device/i, 'it names the cause');
  t.notMatch(rec.stderr(), /^\s+at /m, 'no stack trace');
  const back = await readBack(file);
  t.ok(echoFrames(back.frames, 8).length > 10, `frames written before the disk filled are readable (${back.frames.length})`);
  t.ok(back.warnings.length <= 1, `at most a truncated last block: ${back.warnings.join('; ')}`);
}, canMount);

const hasScript = hasCommand('script') ? false : 'script (util-linux) is not installed';
labTest('the status line shows on a terminal, and only there', async (t, lab) => {
  const file = join(dir, 'tty.pcapng');
  const cmd = `${process.execPath} ${XCAP} record -i ${lab.captureIf} -w ${file} -c 20`;
  // script(1) gives xcap a pseudo-terminal; the ping runs meanwhile from the other namespace.
  const child = spawnSync('sh', ['-c', `(sleep 1.5; ip netns exec ${lab.clientNs} ping -c 20 -i 0.05 -q ${lab.captureAddr} >/dev/null) & `
    + `timeout 20 ip netns exec ${lab.captureNs} script -qec '${cmd}' /dev/null; wait`], { encoding: 'utf8', timeout: 30_000 });
  t.equal(child.status, 0, child.stderr);
  t.match(child.stdout, /\r\x1b\[Kpackets \d+ +bytes [\d.]+ MB +dropped 0 +[\d.]+ kpkt\/s/, 'status line rewritten in place');
  t.match(child.stdout, /20 packets captured/, 'then the counts');
  const plain = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '-c', '4']);
  ping(lab, 2, 56);
  t.equal(await plain.exited, 0);
  t.notMatch(plain.stderr(), /kpkt\/s/, 'no status line when stderr is not a terminal');
}, hasScript);
