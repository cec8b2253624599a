/**
 * npm run bench:capture: live capture in the lab, xcap record against
 * tcpdump and dumpcap, in the same run, reported as ratios.  Needs root.
 *
 * For 64 B and 1500 B frames (UDP 198.18.0.2 -> 198.18.0.1, addressed to a
 * MAC nobody has, as on a mirror port: the capture side's stack drops them
 * unanswered), each capturer writing a file in the capture namespace:
 *   1. saturation: the generator's BPF_PROG_TEST_RUN method as fast as it
 *      goes for a fixed count; packets in the file per second, loss, CPU of
 *      the capturer per packet (GNU time: user+sys) and peak memory (VmHWM);
 *   2. the highest smoothly offered rate (AF_PACKET method, paced) with
 *      < 0.1% loss, by a bounded search;
 *   3. CPU per packet of each capturer at one fixed, lossless rate.
 * xcap runs twice: with the ring buffer (xcap) and with AF_XDP (xcap-afxdp).
 * XCAP_BENCH_CAPTURERS (e.g. "xcap,xcap-afxdp") and XCAP_BENCH_SECTIONS
 * (saturation,search,fixed) narrow a run.
 * Nothing runs outside the lab's namespaces; every capturer and sender is a
 * process started here, stopped by its PID; the lab goes on every path.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { withLab, teardownAllLabs, type Lab } from '../src/lab/lab.js';
import { ip, spawnIn } from '../src/lab/netns.js';
import { sendFrames, type SendFramesOptions } from '../src/lab/generator.js';
import { DEFAULT_RING_BYTES } from '../src/kernel/ring-capture.js';
import { ethernet } from '../fixtures/gen/link-layer.js';
import { ipv4, IpProto } from '../fixtures/gen/ip-layer.js';
import { udp } from '../fixtures/gen/transport-layer.js';
import { ip4, mac } from '../fixtures/gen/hosts.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const XCAP = join(ROOT, 'dist/cli/xcap.js');
const SIZES = [64, 1500];
const SATURATION_FRAMES: Record<number, number> = { 64: 2_000_000, 1500: 1_000_000 };
const SATURATION_SECONDS = 10;
const SATURATION_RUNS = Number(process.env.XCAP_BENCH_RUNS ?? 2);
const SEARCH_STEPS = Number(process.env.XCAP_BENCH_STEPS ?? 5);
const TRIAL_SECONDS = 1.5;
const SEARCH_START_PPS = 200_000;
const CLEAN_LOSS = 0.001;
const BUFFER_MIB = 64;
/** tcpdump's libpcap hands over a TPACKET_V3 block after up to 1 s (its timeout) even when the block is not full. */
const DRAIN_MIN_MS = 1200;
const ALL_CAPTURERS = ['tcpdump', 'dumpcap', 'xcap', 'xcap-afxdp'] as const;
type Capturer = typeof ALL_CAPTURERS[number];
const CAPTURERS: readonly Capturer[] = process.env.XCAP_BENCH_CAPTURERS
  ? ALL_CAPTURERS.filter((c) => process.env.XCAP_BENCH_CAPTURERS!.split(',').includes(c))
  : ALL_CAPTURERS;
const SECTIONS = (process.env.XCAP_BENCH_SECTIONS ?? 'saturation,search,fixed').split(',');
const FIXED_PPS = Number(process.env.XCAP_BENCH_FIXED_PPS ?? 100_000);
const FIXED_SECONDS = 3;
const FIXED_RUNS = 2;
/**
 * The sender on CPU 0 (with the veth's receive work, which runs in softirq
 * on the sending CPU), every capturer on CPU 1: the same split for all, and
 * no migrations mid-run.  Needs two CPUs; with one, nothing is pinned.
 */
const PIN = availableParallelism() >= 2;
const SENDER_CPU = PIN ? 0 : undefined;
const CAPTURER_PIN = PIN ? ['taskset', '-c', '1'] : [];

/** Every `time` process started, with the capturer it forked: what stopEverything() may kill. */
const started = new Map<ChildProcess, number | undefined>();
const scratch = mkdtempSync(join(tmpdir(), 'xcap-bench-capture-'));

function commandFor(c: Capturer, lab: Lab, file: string): string[] {
  switch (c) {
    // -Z root: tcpdump would otherwise drop to its own user before opening the file in our root-only scratch directory.
    case 'tcpdump': return ['tcpdump', '-i', lab.captureIf, '-w', file, '-n', '-q', '-B', String(BUFFER_MIB * 1024), '-Z', 'root'];
    case 'dumpcap': return ['dumpcap', '-i', lab.captureIf, '-w', file, '-q', '-B', String(BUFFER_MIB)];
    // Without -q: its "capturing on" line says when it is attached, and its counters say where frames were lost.
    case 'xcap': return [process.execPath, XCAP, 'record', '-i', lab.captureIf, '-w', file, '--backend', 'ringbuf'];
    // The lab's interface has an address: AF_XDP needs --steal there (the frames go to no one anyway).
    case 'xcap-afxdp': return [process.execPath, XCAP, 'record', '-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal'];
  }
}

function labFrame(lab: Lab, size: number): Uint8Array {
  const src = ip4(lab.clientAddr);
  const dst = ip4(lab.captureAddr);
  const client = (JSON.parse(ip(['-n', lab.clientNs, '-j', 'link', 'show', 'dev', lab.clientIf])) as { address: string }[])[0].address;
  return ethernet(mac('02:00:00:00:00:99'), mac(client), 0x0800,
    ipv4({ src, dst, protocol: IpProto.UDP }, udp({ src, dst }, { srcPort: 40000, dstPort: 9 }, new Uint8Array(size - 42))));
}

function rxPackets(lab: Lab): number {
  return (JSON.parse(ip(['-n', lab.captureNs, '-s', '-j', 'link', 'show', 'dev', lab.captureIf])) as { stats64: { rx: { packets: number } } }[])[0].stats64.rx.packets;
}

function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return -1;
  }
}

function childOf(pid: number): number | undefined {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kids.length ? Number(kids[0]) : undefined;
  } catch {
    return undefined;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

interface Usage {
  cpuSeconds: number;
  /** User+sys seconds from the start of sending to the stop signal: start-up and exit excluded. */
  capturingCpuSeconds: number;
  peakMiB: number;
  stderr: string;
}
/** /proc/PID/stat counts CPU time in clock ticks (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** A capturer under GNU time in the capture namespace: `ip netns exec` execs taskset, which execs time, which forks the capturer. */
interface Running {
  /** Marks the start of the traffic, for Usage.capturingCpuSeconds. */
  sending(): void;
  stop(): Promise<Usage>;
}

async function startCapturer(c: Capturer, lab: Lab, file: string): Promise<Running> {
  const timeFile = `${file}.time`;
  const proc = spawnIn(lab.captureNs, [...CAPTURER_PIN, '/usr/bin/time', '-f', '%U %S %M', '-o', timeFile, ...commandFor(c, lab, file)], { stdio: ['ignore', 'ignore', 'pipe'] });
  started.set(proc, undefined);
  let stderr = '';
  proc.stderr!.on('data', (d) => { stderr += String(d); });
  const closed = new Promise<void>((r) => proc.on('close', () => { started.delete(proc); r(); }));
  const deadline = Date.now() + 15_000;
  let capturerPid: number | undefined;
  while (!/capturing on|listening on/i.test(stderr) || capturerPid === undefined) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${c} did not start: ${stderr.trim()}`);
    }
    capturerPid ??= childOf(proc.pid!);
    if (capturerPid !== undefined) started.set(proc, capturerPid);
    await sleep(20);
  }
  await sleep(300);
  const pid = capturerPid;
  let ticksAtSend = 0;
  return {
    sending() { ticksAtSend = cpuTicks(pid); },
    async stop(): Promise<Usage> {
      // Wait until the capturer has written what it was given: at least DRAIN_MIN_MS, then no CPU used for 300 ms.
      const t0 = Date.now();
      for (let last = -2, still = 0; Date.now() - t0 < 8000; await sleep(100)) {
        const now = cpuTicks(pid);
        still = now === last ? still + 1 : 0;
        last = now;
        if (still >= 3 && Date.now() - t0 >= DRAIN_MIN_MS) break;
      }
      const capturingCpuSeconds = (cpuTicks(pid) - ticksAtSend) / TICKS_PER_SECOND;
      signal(pid, 'SIGINT');
      const killer = setTimeout(() => { signal(pid, 'SIGKILL'); proc.kill('SIGKILL'); }, 15_000);
      await closed;
      clearTimeout(killer);
      const [user, sys, peakKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      return { cpuSeconds: user + sys, capturingCpuSeconds, peakMiB: peakKiB / 1024, stderr };
    },
  };
}

function countPackets(file: string): number {
  const r = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8', timeout: 60_000 });
  const m = /Number of packets:\s+(\d+)/.exec(r.stdout);
  if (!m) throw new Error(`capinfos could not count ${file}: ${r.stderr.trim()}`);
  return Number(m[1]);
}

interface Trial {
  offered: number;
  /** af-packet sends the full interface refused and the sender retried: backpressure from the receiving side. */
  retries: number;
  sent: number;
  seconds: number;
  arrived: number;
  captured: number;
  usage?: Usage;
}

/** One capturer (or none) through one send; the file is counted and removed. */
async function trial(lab: Lab, c: Capturer | null, frame: Uint8Array, send: Omit<SendFramesOptions, 'ns' | 'ifname' | 'frame'>): Promise<Trial> {
  const file = join(scratch, `${c ?? 'none'}.cap`);
  const running = c ? await startCapturer(c, lab, file) : undefined;
  try {
    const rx0 = rxPackets(lab);
    running?.sending();
    const g = await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, cpu: SENDER_CPU, ...send });
    const usage = await running?.stop();
    const arrived = rxPackets(lab) - rx0;
    return { offered: g.sent + (g.refused ?? 0), retries: g.retries, sent: g.sent, seconds: g.seconds, arrived, captured: c ? countPackets(file) : arrived, usage };
  } finally {
    rmSync(file, { force: true });
    rmSync(`${file}.time`, { force: true });
  }
}

const kpps = (n: number): string => `${(n / 1000).toFixed(0)}k`;
const pct = (part: number, whole: number): string => `${(100 * part / Math.max(1, whole)).toFixed(part && part / whole < 0.001 ? 3 : 1)}%`;
const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '-');

function kernelDrops(c: Capturer, stderr: string): string {
  const m = c === 'dumpcap' ? /received\/dropped on interface '[^']*': (\d+)\/(\d+)/.exec(stderr) : /(\d+) packets received by filter\s+(\d+) packets dropped by kernel/.exec(stderr);
  if (!m) return '?';
  // dumpcap counts received as what it kept; tcpdump and xcap count everything the filter saw.
  const seen = c === 'dumpcap' ? Number(m[1]) + Number(m[2]) : Number(m[1]);
  return `${m[2]} of ${seen}`;
}

async function saturation(lab: Lab, size: number, frame: Uint8Array): Promise<void> {
  const count = SATURATION_FRAMES[size];
  const send = { count, maxSeconds: SATURATION_SECONDS, rate: 'max' as const, method: 'test-run' as const };
  const alone = await trial(lab, null, frame, send);
  const best = new Map<Capturer, Trial>();
  const runs = new Map<Capturer, string[]>(CAPTURERS.map((c) => [c, []]));
  for (let run = 0; run < SATURATION_RUNS; run++) {
    // Alternate the order so that no capturer always runs first on a warm (or busy) machine.
    for (const c of run % 2 ? [...CAPTURERS].reverse() : CAPTURERS) {
      const t = await trial(lab, c, frame, send);
      runs.get(c)!.push(kpps(t.captured / t.seconds));
      const prev = best.get(c);
      if (!prev || t.captured / t.seconds > prev.captured / prev.seconds) best.set(c, t);
    }
  }
  const rate = (t: Trial): number => t.captured / t.seconds;
  const cpuNs = (t: Trial): number => t.usage!.cpuSeconds * 1e9 / Math.max(1, t.captured);
  const td = best.get('tcpdump');
  const dc = best.get('dumpcap');
  console.log(`\n### ${size} B frames, saturation: ${count} frames by BPF_PROG_TEST_RUN (or ${SATURATION_SECONDS} s), best of ${SATURATION_RUNS} per capturer\n`);
  console.log(`Generator alone: ${alone.offered} offered in ${alone.seconds.toFixed(2)} s (${kpps(alone.offered / alone.seconds)}/s), ${alone.arrived} arrived (${pct(alone.offered - alone.arrived, alone.offered)} refused by the veth).\n`);
  console.log('| capturer | offered/s | arrived | in file | captured/s (each run) | loss (total) | loss at capturer | capturer says dropped | CPU/pkt | peak RSS | captured/s vs tcpdump | vs dumpcap | CPU/pkt vs tcpdump | RSS vs tcpdump |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of CAPTURERS) {
    const t = best.get(c)!;
    console.log(`| ${c} | ${kpps(t.offered / t.seconds)} | ${t.arrived} | ${t.captured} | ${kpps(rate(t))} (${runs.get(c)!.join(', ')}) | ${pct(t.offered - t.captured, t.offered)} | ${pct(t.arrived - t.captured, t.arrived)} `
      + `| ${kernelDrops(c, t.usage!.stderr)} | ${cpuNs(t).toFixed(0)} ns | ${t.usage!.peakMiB.toFixed(0)} MiB | ${td ? ratio(rate(t), rate(td)) : '-'} | ${dc ? ratio(rate(t), rate(dc)) : '-'} | ${td ? ratio(cpuNs(t), cpuNs(td)) : '-'} | ${td ? ratio(t.usage!.peakMiB, td.usage!.peakMiB) : '-'} |`);
  }
}

interface Search { clean: number; limit: string; trials: string[] }

/** Geometric bisection over paced AF_PACKET rates: doubles from SEARCH_START_PPS until a trial fails, then halves the interval. */
async function highestCleanRate(lab: Lab, c: Capturer, frame: Uint8Array): Promise<Search> {
  let clean = 0;
  let failed = Infinity;
  let failedBy = '';
  const trials: string[] = [];
  let rate = SEARCH_START_PPS;
  for (let step = 0; step < SEARCH_STEPS; step++) {
    const count = Math.round(rate * TRIAL_SECONDS);
    const t = await trial(lab, c, frame, { count, maxSeconds: TRIAL_SECONDS * 1.5, rate, method: 'af-packet' });
    const reached = t.sent >= count && t.sent / t.seconds >= 0.97 * rate;
    const lossy = t.sent - t.captured > CLEAN_LOSS * t.sent;
    const short = reached ? '' : `sender reached only ${kpps(t.sent / t.seconds)}/s${t.retries ? ` (${t.retries} refusals)` : ''}, `;
    trials.push(`${kpps(rate)}: ${short}${pct(t.sent - t.captured, t.sent)} lost`);
    if (reached && !lossy) {
      clean = Math.max(clean, rate);
    } else if (rate < failed) {
      failed = rate;
      failedBy = lossy ? 'capturer loss' : t.retries > 0 ? 'sender refused by the full veth' : 'sender could not offer it (its CPU also runs the receive softirq)';
    }
    rate = failed === Infinity ? rate * 2 : clean === 0 ? rate / 2 : Math.sqrt(clean * failed);
    rate = Math.round(rate / 1000) * 1000;
  }
  return { clean, limit: failed === Infinity ? 'not reached by the search' : `${failedBy} at ${kpps(failed)}/s`, trials };
}

async function search(lab: Lab, size: number, frame: Uint8Array): Promise<void> {
  const alone = await trial(lab, null, frame, { count: 2_000_000, maxSeconds: 2, rate: 'max', method: 'af-packet' });
  const found = new Map<Capturer, Search>();
  for (const c of CAPTURERS) found.set(c, await highestCleanRate(lab, c, frame));
  const td = found.get('tcpdump')?.clean ?? 0;
  const dc = found.get('dumpcap')?.clean ?? 0;
  console.log(`\n### ${size} B frames, highest offered rate with < ${CLEAN_LOSS * 100}% loss (AF_PACKET, paced, ${TRIAL_SECONDS} s per trial, ${SEARCH_STEPS} trials)\n`);
  console.log(`AF_PACKET sender alone, unpaced: ${kpps(alone.sent / alone.seconds)}/s (the ceiling of this search).\n`);
  console.log('| capturer | clean rate | next failure | vs tcpdump | vs dumpcap | trials |');
  console.log('|---|---|---|---|---|---|');
  for (const c of CAPTURERS) {
    const s = found.get(c)!;
    console.log(`| ${c} | ${s.clean ? `${kpps(s.clean)}/s` : `< ${kpps(SEARCH_START_PPS / 2 ** (SEARCH_STEPS - 1))}/s`} | ${s.limit} | ${ratio(s.clean, td)} | ${ratio(s.clean, dc)} | ${s.trials.join('; ')} |`);
  }
}

/** CPU per packet at one rate every capturer keeps up with: the cost of the capture path itself, not of falling behind. */
async function fixedRate(lab: Lab, size: number, frame: Uint8Array): Promise<void> {
  const count = FIXED_PPS * FIXED_SECONDS;
  const runs = new Map<Capturer, Trial[]>(CAPTURERS.map((c) => [c, []]));
  for (let run = 0; run < FIXED_RUNS; run++) {
    for (const c of run % 2 ? [...CAPTURERS].reverse() : CAPTURERS) {
      runs.get(c)!.push(await trial(lab, c, frame, { count, maxSeconds: FIXED_SECONDS * 3, rate: FIXED_PPS, method: 'af-packet' }));
    }
  }
  // Start-up (Node, Wasm, BPF loading) would dominate a short run: count only the CPU used while frames flowed.
  const cpuNs = (t: Trial): number => t.usage!.capturingCpuSeconds * 1e9 / Math.max(1, t.captured);
  const lowest = (c: Capturer): number => runs.get(c)!.map(cpuNs).sort((a, b) => a - b)[0];
  console.log(`\n### ${size} B frames at ${kpps(FIXED_PPS)}/s (AF_PACKET, paced, ${FIXED_SECONDS} s, ${FIXED_RUNS} runs each): CPU of the capturer per packet while the frames flowed (start-up and exit excluded)\n`);
  console.log('| capturer | captured (each run) | CPU/pkt (each run) | lowest CPU/pkt vs xcap ring buffer |');
  console.log('|---|---|---|---|');
  for (const c of CAPTURERS) {
    const ts = runs.get(c)!;
    const base = runs.has('xcap') ? lowest('xcap') : NaN;
    console.log(`| ${c} | ${ts.map((t) => `${t.captured}/${t.sent}`).join(', ')} | ${ts.map((t) => `${cpuNs(t).toFixed(0)} ns`).join(', ')} | ${ratio(lowest(c), base)} |`);
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:capture needs root (network namespaces, BPF)');
  for (const tool of ['tcpdump', 'dumpcap', 'capinfos', '/usr/bin/time', 'ethtool']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) throw new Error(`${tool} is not installed (npm run setup installs it)`);
  }
  const t0 = Date.now();
  console.log(`# live capture benchmark, ${new Date().toISOString()}, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} CPUs, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
  console.log(`Buffers: tcpdump -B ${BUFFER_MIB * 1024} (KiB) and dumpcap -B ${BUFFER_MIB} (MiB), i.e. ${BUFFER_MIB} MiB each; xcap record uses its defaults: `
    + `a ${DEFAULT_RING_BYTES >> 20} MiB BPF ring buffer, XDP ingress + TCX egress, wakeup every 256 KiB of records or 5 ms, snaplen 262144; `
    + 'with --backend afxdp, one AF_XDP socket (copy mode) with 4096 chunks of UMEM in Wasm memory.');
  console.log(PIN ? 'Sender (and the veth receive softirq) pinned to CPU 0, capturers to CPU 1.' : 'One CPU: nothing pinned.');
  // GRO gives the capture end of the veth NAPI, which frames redirected by XDP need on every capturer's run alike.
  await withLab(async (lab) => {
    for (const size of SIZES) {
      const frame = labFrame(lab, size);
      if (SECTIONS.includes('saturation')) await saturation(lab, size, frame);
      if (SECTIONS.includes('search')) await search(lab, size, frame);
      if (SECTIONS.includes('fixed')) await fixedRate(lab, size, frame);
    }
  }, { prefix: 'xcap-bench', gro: true });
  console.log(`\n(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}

function stopEverything(): void {
  for (const [proc, capturerPid] of started) {
    if (capturerPid !== undefined) signal(capturerPid, 'SIGKILL');
    proc.kill('SIGKILL');
  }
  teardownAllLabs();
  rmSync(scratch, { recursive: true, force: true });
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => { stopEverything(); process.exit(130); });
}

main().then(() => rmSync(scratch, { recursive: true, force: true }), (err: Error) => {
  console.error(`bench:capture: ${err.message}`);
  stopEverything();
  process.exit(1);
});
