/**
 * npm run bench:capture: live capture in the lab, xcap record against
 * tcpdump, dumpcap and xdpdump (xdp-tools, loading its own XDP program), in
 * the same run, reported as ratios.  Needs root.
 *
 * For 64 B and 1500 B frames (UDP 198.18.0.2 -> 198.18.0.1, addressed to a
 * MAC nobody has, as on a mirror port: the capture side's stack drops them
 * unanswered), each capturer writing a file in the capture namespace:
 *   1. saturation: the generator's BPF_PROG_TEST_RUN method (AF_PACKET where
 *      the kernel refuses live frames, said in the output) as fast as it
 *      goes for a fixed count; packets in the file per second, loss, CPU of
 *      the capturer per packet (GNU time: user+sys) and peak memory (VmHWM);
 *   2. the highest smoothly offered rate (AF_PACKET method, paced) with
 *      < 0.1% loss, by a bounded search;
 *   3. CPU per packet at a fixed rate every capturer keeps up with, counted
 *      from /proc/PID/stat between attach and the end of the drain, so
 *      start-up and exit are left out (the figure to compare on a busy machine);
 *   4. a selective filter at saturation (64 B): the same flood plus a paced
 *      stream of frames that match `udp dst port 7`, about 1% of all frames;
 *      xcap (filter in an XDP/TC entry program) against tcpdump (the same
 *      expression as a socket filter), both in the kernel, packets captured/s
 *      and CPU per captured packet.
 * xcap runs four ways: with the ring buffer passing frames on (xcap: ingress
 * at TC, as auto does on veth; xcap-xdp: at XDP), with the ring buffer
 * dropping each incoming frame once captured (xcap-steal, for a mirror port)
 * and with AF_XDP (xcap-afxdp).
 * XCAP_BENCH_ONLY=saturation,search,cpu,filter (any of them) narrows the
 * parts, XCAP_BENCH_SIZES=64,1500 the frame sizes, XCAP_BENCH_CAPTURERS=xcap,xcap-afxdp,... the capturers; XCAP_BENCH_BASELINE=
 * PATH/dist/cli/xcap.js adds another xcap build as capturer 'xcap-base', for
 * before/after figures from the same run (XCAP_BENCH_BASELINE_ARGS='--backend
 * afxdp --steal' gives it record options); XCAP_BENCH_PROFILE=DIR runs xcap
 * under node --cpu-prof, profiles in DIR.
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
import { sendFrames, type SendFramesOptions, type SendMethod } from '../src/lab/generator.js';
import { liveFramesRefusal } from '../src/kernel/frame-sender.js';
import { CLONE_COPIES } from '../src/kernel/clone-sender.js';
import { DEFAULT_RING_BYTES } from '../src/kernel/ring-capture.js';
import { syntheticFrame } from '../src/replay/synthetic-frame.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const XCAP = join(ROOT, 'dist/cli/xcap.js');
const SIZES = (process.env.XCAP_BENCH_SIZES ?? '64,1500').split(',').map(Number);
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
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const BASELINE = process.env.XCAP_BENCH_BASELINE;
const BASELINE_ARGS = process.env.XCAP_BENCH_BASELINE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
const PROFILE_DIR = process.env.XCAP_BENCH_PROFILE;
const ONLY = process.env.XCAP_BENCH_ONLY?.split(',');
const runs = (part: string): boolean => !ONLY || ONLY.includes(part);
const CPU_TRIAL: Record<number, { rate: number; seconds: number }> = { 64: { rate: 300_000, seconds: 2 }, 1500: { rate: 200_000, seconds: 2 } };
const ALL_CAPTURERS = ['tcpdump', 'dumpcap', 'xdpdump', 'xcap', 'xcap-xdp', 'xcap-steal', 'xcap-afxdp', 'xcap-base'] as const;
type Capturer = typeof ALL_CAPTURERS[number];
const CAPTURERS: readonly Capturer[] = ALL_CAPTURERS.filter((c) => (c !== 'xcap-base' || BASELINE)
  && (!process.env.XCAP_BENCH_CAPTURERS || process.env.XCAP_BENCH_CAPTURERS.split(',').includes(c)));
/**
 * The sender on CPU 0 (with the veth's receive work, which runs in softirq
 * on the sending CPU), every capturer on CPU 1: the same split for all, and
 * no migrations mid-run.  Needs two CPUs; with one, nothing is pinned.
 */
const PIN = availableParallelism() >= 2;
const SENDER_CPU = PIN ? 0 : undefined;
const CAPTURER_PIN = PIN ? ['taskset', '-c', '1'] : [];
/**
 * XCAP_BENCH_RX=capturer moves the capture veth's receive work (its NAPI
 * poll: XDP programs, packet taps, the stack) into a kernel thread on the
 * capturers' CPU, as on a one-CPU capture host behind a real card: the
 * generator then no longer pays for it, and saturation becomes a timed flood.
 */
const RX_CPU = PIN && process.env.XCAP_BENCH_RX === 'capturer' ? 1 : undefined;
const FLOOD_SECONDS = 3;
/** The generator's own ceiling on a count; the flood ends by time long before it. */
const MAX_FLOOD_FRAMES = 100_000_000;

/** Every `time` process started, with the capturer it forked: what stopEverything() may kill. */
const started = new Map<ChildProcess, number | undefined>();
const scratch = mkdtempSync(join(tmpdir(), 'xcap-bench-capture-'));

function commandFor(c: Capturer, lab: Lab, file: string, filter?: string): string[] {
  const expression = filter !== undefined ? [filter] : [];
  switch (c) {
    // -Z root: tcpdump would otherwise drop to its own user before opening the file in our root-only scratch directory.
    case 'tcpdump': return ['tcpdump', '-i', lab.captureIf, '-w', file, '-n', '-q', '-B', String(BUFFER_MIB * 1024), '-Z', 'root', ...expression];
    case 'dumpcap': return ['dumpcap', '-i', lab.captureIf, '-w', file, '-q', '-B', String(BUFFER_MIB), ...(filter !== undefined ? ['-f', filter] : [])];
    // xdpdump writes pcapng unless given --use-pcap; --load-xdp-program attaches its own capture-only XDP program
    // (the veth has none), which it removes on SIGINT.  It sees ingress only, which is all this benchmark sends.
    case 'xdpdump': return ['xdpdump', '-i', lab.captureIf, '-w', file, '--load-xdp-program'];
    // Without -q: its "capturing on" line says when it is attached, and its counters say where frames were lost.
    case 'xcap': return [process.execPath, ...profileFlags(c), XCAP, 'record', '-i', lab.captureIf, '-w', file, '--backend', 'ringbuf', ...expression];
    // The same at XDP, which auto leaves for NICs: on veth each frame is copied into a page for the program.
    case 'xcap-xdp': return [process.execPath, ...profileFlags(c), XCAP, 'record', '-i', lab.captureIf, '-w', file, '--backend', 'ringbuf', '--ingress-hook', 'xdp', ...expression];
    // As on a mirror port: each frame is dropped once captured, so the capture side's stack never builds a socket buffer for it.
    case 'xcap-steal': return [process.execPath, ...profileFlags(c), XCAP, 'record', '-i', lab.captureIf, '-w', file, '--backend', 'ringbuf', '--steal', ...expression];
    // The lab's interface has an address: AF_XDP needs --steal there (the frames go to no one anyway).
    case 'xcap-afxdp': return [process.execPath, ...profileFlags(c), XCAP, 'record', '-i', lab.captureIf, '-w', file, '--backend', 'afxdp', '--steal', ...expression];
    case 'xcap-base': return [process.execPath, ...profileFlags(c), BASELINE!, 'record', '-i', lab.captureIf, '-w', file, ...BASELINE_ARGS, ...expression];
  }
}

function profileFlags(c: Capturer): string[] {
  return PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', `${c}-${Date.now()}.cpuprofile`] : [];
}

function labFrame(lab: Lab, size: number, dstPort = 9): Uint8Array {
  const client = (JSON.parse(ip(['-n', lab.clientNs, '-j', 'link', 'show', 'dev', lab.clientIf])) as { address: string }[])[0].address;
  return syntheticFrame({ size, srcMac: client, srcAddr: lab.clientAddr, dstAddr: lab.captureAddr, dstPort });
}

function rxPackets(lab: Lab): number {
  return (JSON.parse(ip(['-n', lab.captureNs, '-s', '-j', 'link', 'show', 'dev', lab.captureIf])) as { stats64: { rx: { packets: number } } }[])[0].stats64.rx.packets;
}

/** [utime, stime] in clock ticks; [-1, -1] once the process is gone. */
function cpuTicks(pid: number): [number, number] {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return [Number(fields[11]), Number(fields[12])];
  } catch {
    return [-1, -1];
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
  /** user and sys CPU from attach to the end of the drain (clock ticks of /proc/PID/stat), without start-up and exit. */
  capturingUser: number;
  capturingSys: number;
  peakMiB: number;
  stderr: string;
}

/** A capturer under GNU time in the capture namespace: `ip netns exec` execs taskset, which execs time, which forks the capturer. */
interface Running { stop(): Promise<Usage> }

async function startCapturer(c: Capturer, lab: Lab, file: string, filter?: string): Promise<Running> {
  const timeFile = `${file}.time`;
  const proc = spawnIn(lab.captureNs, [...CAPTURER_PIN, '/usr/bin/time', '-f', '%U %S %M', '-o', timeFile, ...commandFor(c, lab, file, filter)], { stdio: ['ignore', 'ignore', 'pipe'] });
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
  const ticksAtStart = cpuTicks(pid);
  return {
    async stop(): Promise<Usage> {
      // Wait until the capturer has written what it was given: at least DRAIN_MIN_MS, then no CPU used for 300 ms.
      const t0 = Date.now();
      let last = [-2, -2];
      for (let still = 0; Date.now() - t0 < 8000; await sleep(100)) {
        const now = cpuTicks(pid);
        still = now[0] + now[1] === last[0] + last[1] ? still + 1 : 0;
        last = now;
        if (still >= 3 && Date.now() - t0 >= DRAIN_MIN_MS) break;
      }
      const capturingUser = (last[0] - ticksAtStart[0]) / CLOCK_TICKS;
      const capturingSys = (last[1] - ticksAtStart[1]) / CLOCK_TICKS;
      signal(pid, 'SIGINT');
      const killer = setTimeout(() => { signal(pid, 'SIGKILL'); proc.kill('SIGKILL'); }, 15_000);
      await closed;
      clearTimeout(killer);
      const [user, sys, peakKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      return { cpuSeconds: user + sys, capturingUser, capturingSys, peakMiB: peakKiB / 1024, stderr };
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

type Send = Omit<SendFramesOptions, 'ns' | 'ifname' | 'frame'>;

/** The flood's sender: BPF_PROG_TEST_RUN live frames, the fastest, unless this kernel refuses them (decided in main). */
let floodMethod: SendMethod = 'test-run';
const floodName = (): string => (floodMethod === 'test-run' ? 'BPF_PROG_TEST_RUN' : 'AF_PACKET with TC clones');

/** A second stream sent at the same time as the main one: the frames a selective filter keeps. */
interface Matching { frame: Uint8Array; send: Send; filter: string }

/**
 * One capturer (or none) through one send; the file is counted and removed.
 * With `matching`, both streams run at once and the result's `sent` and
 * `seconds` are the matching stream's (what the filter should keep).
 */
async function trial(lab: Lab, c: Capturer | null, frame: Uint8Array, send: Send, matching?: Matching): Promise<Trial> {
  const file = join(scratch, `${c ?? 'none'}.cap`);
  const running = c ? await startCapturer(c, lab, file, matching?.filter) : undefined;
  try {
    const rx0 = rxPackets(lab);
    const [g, m] = await Promise.all([
      sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame, cpu: SENDER_CPU, ...send }),
      matching ? sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame: matching.frame, cpu: SENDER_CPU, ...matching.send }) : undefined,
    ]);
    const usage = await running?.stop();
    const arrived = rxPackets(lab) - rx0;
    const offered = g.sent + (g.refused ?? 0) + (m ? m.sent : 0);
    const kept = m ?? g;
    return { offered, retries: g.retries, sent: kept.sent, seconds: kept.seconds, arrived, captured: c ? countPackets(file) : arrived, usage };
  } finally {
    rmSync(file, { force: true });
    rmSync(`${file}.time`, { force: true });
  }
}

const kpps = (n: number): string => `${(n / 1000).toFixed(0)}k`;
const pct = (part: number, whole: number): string => `${(100 * part / Math.max(1, whole)).toFixed(part && part / whole < 0.001 ? 3 : 1)}%`;
const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '-');

function kernelDrops(c: Capturer, stderr: string): string {
  const m = c === 'dumpcap' ? /received\/dropped on interface '[^']*': (\d+)\/(\d+)/.exec(stderr)
    : c === 'xdpdump' ? /(\d+) packets captured\s+(\d+) packets dropped by perf ring/.exec(stderr)
      : /(\d+) packets received by filter\s+(\d+) packets dropped by kernel/.exec(stderr);
  if (!m) return '?';
  // dumpcap and xdpdump count received as what they kept; tcpdump and xcap count everything the filter saw.
  const seen = c === 'dumpcap' || c === 'xdpdump' ? Number(m[1]) + Number(m[2]) : Number(m[1]);
  return `${m[2]} of ${seen}`;
}

async function saturation(lab: Lab, size: number, frame: Uint8Array): Promise<void> {
  // With the receive work on the capturer's CPU nothing slows the generator down: a timed flood instead of a count.
  const flood = RX_CPU !== undefined;
  const count = flood ? MAX_FLOOD_FRAMES : SATURATION_FRAMES[size];
  const maxSeconds = flood ? FLOOD_SECONDS : SATURATION_SECONDS;
  const send: Send = { count, maxSeconds, rate: 'max', method: floodMethod };
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
  const amount = flood ? `${floodName()} for ${maxSeconds} s` : `${count} frames by ${floodName()} (or ${maxSeconds} s)`;
  console.log(`\n### ${size} B frames, saturation: ${amount}, best of ${SATURATION_RUNS} per capturer\n`);
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

/** CPU per packet at a fixed paced rate that every capturer keeps up with. */
async function cpuAtRate(lab: Lab, size: number, frame: Uint8Array): Promise<void> {
  const { rate, seconds } = CPU_TRIAL[size];
  const count = rate * seconds;
  console.log(`\n### ${size} B frames, CPU per packet at ${kpps(rate)}/s (AF_PACKET, paced, ${count} frames), user+sys from attach to drained\n`);
  console.log('| capturer | sent | in file | CPU while capturing (user + sys) | CPU/pkt | user/pkt | sys/pkt | CPU/pkt vs tcpdump |');
  console.log('|---|---|---|---|---|---|---|---|');
  const perPacket = new Map<Capturer, number>();
  for (const c of CAPTURERS) {
    const t = await trial(lab, c, frame, { count, maxSeconds: seconds * 2, rate, method: 'af-packet' });
    const { capturingUser: user, capturingSys: sys } = t.usage!;
    const per = (seconds: number): number => seconds * 1e9 / Math.max(1, t.captured);
    perPacket.set(c, per(user + sys));
    console.log(`| ${c} | ${t.sent} | ${t.captured} | ${(user + sys).toFixed(2)} s (${user.toFixed(2)} + ${sys.toFixed(2)}) | ${per(user + sys).toFixed(0)} ns `
      + `| ${per(user).toFixed(0)} ns | ${per(sys).toFixed(0)} ns | ${ratio(per(user + sys), perPacket.get('tcpdump') ?? NaN)} |`);
  }
}

const FILTER = 'udp dst port 7';
const FILTER_SHARE = 0.01;
const FILTER_SECONDS = 4;
const FILTER_RUNS = Number(process.env.XCAP_BENCH_RUNS ?? 2);
const FILTER_CAPTURERS = ['tcpdump', 'xcap'] as const;

/** A flood of 64 B frames the filter rejects, with ~1% matching frames paced in among them. */
async function selectiveFilter(lab: Lab): Promise<void> {
  const flood = labFrame(lab, 64);
  // More frames than the flood can send in FILTER_SECONDS: it runs for the whole trial, the deadline ends it.
  const send: Send = { count: 50_000_000, maxSeconds: FILTER_SECONDS, rate: 'max', method: floodMethod };
  const alone = await trial(lab, null, flood, send);
  const matchRate = Math.max(1000, Math.round(FILTER_SHARE * alone.arrived / alone.seconds));
  const matching: Matching = {
    frame: labFrame(lab, 64, 7), filter: FILTER,
    send: { count: Math.round(matchRate * FILTER_SECONDS), maxSeconds: FILTER_SECONDS * 1.5, rate: matchRate, method: 'af-packet' },
  };
  const best = new Map<string, Trial>();
  for (let run = 0; run < FILTER_RUNS; run++) {
    for (const c of run % 2 ? [...FILTER_CAPTURERS].reverse() : FILTER_CAPTURERS) {
      const t = await trial(lab, c, flood, send, matching);
      const prev = best.get(c);
      if (!prev || t.captured / t.seconds > prev.captured / prev.seconds) best.set(c, t);
    }
  }
  const rate = (t: Trial): number => t.captured / t.seconds;
  const cpuNs = (t: Trial): number => t.usage!.cpuSeconds * 1e9 / Math.max(1, t.captured);
  const td = best.get('tcpdump')!;
  console.log(`\n### Selective filter at saturation: '${FILTER}' keeps ~${FILTER_SHARE * 100}% (64 B frames, ${FILTER_SECONDS} s, best of ${FILTER_RUNS})\n`);
  console.log(`Flood alone: ${kpps(alone.arrived / alone.seconds)}/s arrived; matching stream paced at ${kpps(matchRate)}/s. Both capturers filter in the kernel (tcpdump: socket filter; xcap: XDP/TC entry program); CPU is the capturer process's user+sys, in total (xcap's includes Node's start-up, about half a second) and per captured packet; the kernel filters in the receive softirq, which is not the capturer's time.\n`);
  console.log('| capturer | frames arrived | matching sent | in file | captured/s | matching lost | CPU total | CPU/captured pkt | captured/s vs tcpdump | CPU/pkt vs tcpdump | capturer says |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of FILTER_CAPTURERS) {
    const t = best.get(c)!;
    const says = c === 'xcap' ? (/(\d+) packets rejected by filter/.exec(t.usage!.stderr)?.[1] ?? '?') + ' rejected in the kernel' : kernelDrops(c, t.usage!.stderr) + ' dropped';
    console.log(`| ${c} | ${t.arrived} | ${t.sent} | ${t.captured} | ${kpps(rate(t))} | ${pct(Math.max(0, t.sent - t.captured), t.sent)} | ${t.usage!.cpuSeconds.toFixed(2)} s | ${cpuNs(t).toFixed(0)} ns | ${ratio(rate(t), rate(td))} | ${ratio(cpuNs(t), cpuNs(td))} | ${says} |`);
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:capture needs root (network namespaces, BPF)');
  const unknown = SIZES.filter((size) => !(size in SATURATION_FRAMES) || !(size in CPU_TRIAL));
  if (unknown.length) throw new Error(`XCAP_BENCH_SIZES: no trial is set up for ${unknown.join(', ')} B frames (sizes: ${Object.keys(CPU_TRIAL).join(', ')})`);
  for (const tool of ['tcpdump', 'dumpcap', 'xdpdump', 'capinfos', '/usr/bin/time', 'ethtool']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) throw new Error(`${tool} is not installed (npm run setup installs it)`);
  }
  const t0 = Date.now();
  console.log(`# live capture benchmark, ${new Date().toISOString()}, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} CPUs, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
  console.log(`Buffers: tcpdump -B ${BUFFER_MIB * 1024} (KiB) and dumpcap -B ${BUFFER_MIB} (MiB), i.e. ${BUFFER_MIB} MiB each; xcap record uses its defaults: `
    + `a ${DEFAULT_RING_BYTES >> 20} MiB BPF ring buffer, TCX ingress and egress (auto on the lab's veth; --ingress-hook xdp for XDP), wakeup every 256 KiB of records or 5 ms, snaplen 262144; `
    + 'xdpdump its defaults too: its own XDP program (--load-xdp-program), a perf ring per CPU, snaplen 262144, ingress only; '
    + 'xcap-xdp: the same with --ingress-hook xdp; xcap-steal: xcap with --steal (TC_ACT_SHOT once captured); xcap-afxdp: --backend afxdp, one AF_XDP socket (copy mode) with its UMEM in Wasm memory.');
  console.log(!PIN ? 'One CPU: nothing pinned.' : RX_CPU === undefined ? 'Sender (and the veth receive softirq) pinned to CPU 0, capturers to CPU 1.'
    : 'Sender pinned to CPU 0; capturers and the capture veth\'s receive work (threaded NAPI) to CPU 1.');
  const refusal = liveFramesRefusal();
  if (refusal) {
    floodMethod = 'tc-clone';
    console.log(`Floods come from the AF_PACKET sender with each frame cloned ${CLONE_COPIES} times at the sending veth's TC egress (tc-clone), slower than live frames (the "alone" lines give its rate): ${refusal}.`);
  }
  // GRO gives the capture end of the veth NAPI, which frames redirected by XDP need on every capturer's run alike.
  await withLab(async (lab) => {
    if (runs('filter')) await selectiveFilter(lab);
    for (const size of SIZES) {
      const frame = labFrame(lab, size);
      if (runs('saturation')) await saturation(lab, size, frame);
      if (runs('search')) await search(lab, size, frame);
      if (runs('cpu')) await cpuAtRate(lab, size, frame);
    }
  }, { prefix: 'xcap-bench', gro: true, rxCpu: RX_CPU });
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
