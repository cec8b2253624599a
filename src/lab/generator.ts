/**
 * A bounded frame generator for tests and benchmarks: sends one Ethernet
 * frame `count` times out of an interface of a lab namespace, stopping at
 * `count` or `maxSeconds`, whichever comes first.
 *
 * The sending loop (src/kernel/frame-sender.ts) is synchronous and runs in a
 * child process started inside the namespace (this file is also that child's
 * entry point): the caller's event loop stays free to run capturers, and the
 * child can be killed by its PID if it ever outlives its deadline.
 *
 *   method 'af-packet'  AF_PACKET + sendmmsg + PACKET_QDISC_BYPASS: smooth pacing
 *   method 'test-run'   BPF_PROG_TEST_RUN live frames + bpf_redirect: faster, in bursts
 *   method 'tc-clone'   af-packet with each frame cloned (CLONE_COPIES) at TC egress: fast, on every kernel
 */
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { spawnIn } from './netns.js';
import { XcapError } from '../errors.js';
import type { SendMethod, SendOutcome, SendPlan } from '../kernel/frame-sender.js';

export type { SendMethod } from '../kernel/frame-sender.js';

export interface SendFramesOptions {
  /** Network namespace to send from (the lab's client side). */
  ns: string;
  /** Interface in that namespace the frames leave through. */
  ifname: string;
  /** A whole Ethernet frame (no FCS), sent as is. */
  frame: Uint8Array;
  count: number;
  maxSeconds: number;
  /** Frames per second; 'max' (the default) sends as fast as the method goes. */
  rate?: number | 'max';
  method: SendMethod;
  /** Pin the sender (and so the receive work the veth does on its CPU) to this CPU. */
  cpu?: number;
}

export interface SendFramesResult {
  /** Frames handed to the kernel (see SendOutcome.sent for what that means per method). */
  sent: number;
  /** From the first frame to the last, in the sending process. */
  seconds: number;
  /** af-packet only: sends refused because the interface was full, each retried. */
  retries: number;
  /** test-run only: BPF_PROG_TEST_RUN calls (bursts). */
  calls: number;
  /** test-run and tc-clone: frames (clones) refused by the full interface (not in `sent`); null if unknown. */
  refused: number | null;
}

const MAX_COUNT = 100_000_000;
const MAX_SECONDS = 600;
/** Loading Node, koffi and the BPF object comes before the first frame. */
const STARTUP_GRACE_MS = 15_000;
const SELF = fileURLToPath(import.meta.url);

function validate(o: SendFramesOptions): void {
  const bad = (what: string): never => { throw new XcapError(`generator: ${what}`); };
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > MAX_COUNT) bad(`count must be a whole number from 1 to ${MAX_COUNT}, not ${o.count}`);
  if (!(o.maxSeconds > 0 && o.maxSeconds <= MAX_SECONDS)) bad(`maxSeconds must be above 0 and at most ${MAX_SECONDS}, not ${o.maxSeconds}`);
  if (o.rate !== undefined && o.rate !== 'max' && !(o.rate > 0 && Number.isFinite(o.rate))) bad(`rate must be positive or 'max', not ${o.rate}`);
  // test-run places the frame in one page after XDP headroom and skb tailroom.
  const maxLength = o.method === 'test-run' ? 3500 : 9000;
  if (o.frame.length < 14 || o.frame.length > maxLength) bad(`a ${o.method} frame must be 14 to ${maxLength} bytes, not ${o.frame.length}`);
  if (o.method !== 'af-packet' && o.method !== 'test-run' && o.method !== 'tc-clone') bad(`unknown method ${String(o.method)}`);
  if (o.cpu !== undefined && !(Number.isInteger(o.cpu) && o.cpu >= 0)) bad(`cpu must be a CPU number, not ${o.cpu}`);
}

/** Sends the frames and resolves with what was sent; rejects if the sender fails or overruns its deadline. */
export async function sendFrames(o: SendFramesOptions): Promise<SendFramesResult> {
  validate(o);
  const plan = { method: o.method, ifname: o.ifname, frameHex: Buffer.from(o.frame).toString('hex'), count: o.count, maxSeconds: o.maxSeconds, rate: o.rate ?? 'max' };
  const pin = o.cpu === undefined ? [] : ['taskset', '-c', String(o.cpu)];
  const child = spawnIn(o.ns, [...pin, process.execPath, SELF, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += String(d); });
  child.stderr!.on('data', (d) => { stderr += String(d); });
  let overran = false;
  const killer = setTimeout(() => { overran = true; child.kill('SIGKILL'); }, o.maxSeconds * 1000 + STARTUP_GRACE_MS);
  try {
    const status = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    if (overran) throw new XcapError(`generator: the sender in ${o.ns} overran its ${o.maxSeconds} s and was killed`);
    if (status !== 0) throw new XcapError(`generator: the sender in ${o.ns} failed (exit ${status}): ${stderr.trim()}`);
    return JSON.parse(stdout.trim().split('\n').pop()!) as SendFramesResult;
  } finally {
    clearTimeout(killer);
  }
}

async function runAsChild(arg: string): Promise<void> {
  const p = JSON.parse(arg) as { method: SendMethod; ifname: string; frameHex: string; count: number; maxSeconds: number; rate: number | 'max' };
  const sender = await import('../kernel/open-sender.js');
  const plan: SendPlan = { ifname: p.ifname, frame: Buffer.from(p.frameHex, 'hex'), count: p.count, maxSeconds: p.maxSeconds, rate: p.rate };
  const out: SendOutcome = sender.sendFrame(p.method, plan);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(SELF)) {
  runAsChild(process.argv[2] ?? '{}').catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
