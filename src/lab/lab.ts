/**
 * The lab: two network namespaces joined by a veth pair, addressed in
 * 198.18.0.0/15 (the benchmarking range), so capture can be tested and shown
 * on a machine without a spare network card and without touching the host's
 * interfaces.  The client namespace sends, the capture namespace receives
 * and is where xcap attaches.
 *
 *   [ns <prefix>-cap]  veth xcap-cap  198.18.0.1/24  <──>  198.18.0.2/24  veth xcap-cli  [ns <prefix>-cli]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { ip, deleteNamespace, execIn } from './netns.js';
import { XcapError } from '../errors.js';

export interface Lab {
  /** Namespace of the capturing side. */
  readonly captureNs: string;
  readonly clientNs: string;
  readonly captureIf: string;
  readonly clientIf: string;
  readonly captureAddr: string;
  readonly clientAddr: string;
  /** Removes both namespaces (and so both veth ends); safe to call twice. */
  teardown(): void;
}

export interface LabOptions {
  /** Namespace name prefix; the PID is appended. */
  prefix?: string;
  /** Turn GRO on for both ends, so TC sees frames a peer sends through XDP redirect. */
  gro?: boolean;
  /**
   * RX and TX queues of each veth end (default 1).  A frame leaves the
   * client on TX queue (sending CPU mod queues) and arrives on the capture
   * end's RX queue of the same number.
   */
  queues?: number;
  /**
   * Run the capture end's receive work (its NAPI poll, where XDP programs and
   * packet taps run) in a kernel thread pinned to this CPU, as behind a real
   * card whose interrupts are steered there, instead of in softirq on the
   * sending CPU.  Needs `gro` (a veth without GRO or XDP has no NAPI).
   */
  rxCpu?: number;
}

const live = new Set<Lab>();
let exitHookInstalled = false;

/** Tears down every lab this process made; for exit paths that skip finally blocks. */
export function teardownAllLabs(): void {
  for (const lab of [...live]) lab.teardown();
}

export function createLab(opts: LabOptions = {}): Lab {
  if (process.getuid?.() !== 0) throw new XcapError('the lab needs root (network namespaces and veth pairs)');
  const base = `${opts.prefix ?? 'xcap'}-${process.pid}`;
  const captureNs = `${base}-cap`;
  const clientNs = `${base}-cli`;
  const captureIf = 'xcap-cap';
  const clientIf = 'xcap-cli';
  let down = false;
  const lab: Lab = {
    captureNs, clientNs, captureIf, clientIf,
    captureAddr: '198.18.0.1',
    clientAddr: '198.18.0.2',
    teardown() {
      if (down) return;
      down = true;
      deleteNamespace(captureNs);
      deleteNamespace(clientNs);
      live.delete(lab);
    },
  };
  live.add(lab);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', teardownAllLabs);
  }
  try {
    ip(['netns', 'add', captureNs]);
    ip(['netns', 'add', clientNs]);
    // No IPv6 autoconfiguration chatter (MLD, DAD): tests count exactly what they send.
    for (const ns of [captureNs, clientNs]) {
      execIn(ns, ['sh', '-c', 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6']);
    }
    // Create the pair inside the capture namespace, then move one end: the
    // root namespace never holds either end.
    const queues = opts.queues && opts.queues > 1 ? ['numtxqueues', String(opts.queues), 'numrxqueues', String(opts.queues)] : [];
    ip(['-n', captureNs, 'link', 'add', captureIf, ...queues, 'type', 'veth', 'peer', 'name', clientIf, ...queues]);
    ip(['-n', captureNs, 'link', 'set', clientIf, 'netns', clientNs]);
    ip(['-n', captureNs, 'addr', 'add', `${lab.captureAddr}/24`, 'dev', captureIf]);
    ip(['-n', clientNs, 'addr', 'add', `${lab.clientAddr}/24`, 'dev', clientIf]);
    for (const [ns, dev] of [[captureNs, captureIf], [clientNs, clientIf]]) {
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', ns, 'link', 'set', dev, 'up']);
      if (opts.gro) execIn(ns, ['ethtool', '-K', dev, 'gro', 'on']);
    }
    if (opts.rxCpu !== undefined) pinReceiveWork(captureNs, captureIf, opts.rxCpu);
  } catch (err) {
    lab.teardown();
    throw err;
  }
  return lab;
}

function napiThreads(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('napi/')) pids.add(Number(entry));
    } catch {
      // Exited while listing.
    }
  }
  return pids;
}

/** Switches the device to threaded NAPI and pins the threads that appear to `cpu`. */
function pinReceiveWork(ns: string, dev: string, cpu: number): void {
  const before = napiThreads();
  const r = execIn(ns, ['sh', '-c', `echo 1 > /sys/class/net/${dev}/threaded`]);
  if (r.status !== 0) throw new XcapError(`lab: cannot switch ${dev} to threaded NAPI: ${r.stderr.trim()}`);
  const mine = [...napiThreads()].filter((pid) => !before.has(pid));
  if (mine.length === 0) throw new XcapError(`lab: ${dev} has no NAPI thread (rxCpu needs gro)`);
  for (const pid of mine) {
    const t = spawnSync('taskset', ['-p', '-c', String(cpu), String(pid)], { encoding: 'utf8' });
    if (t.status !== 0) throw new XcapError(`lab: cannot pin NAPI thread ${pid} to CPU ${cpu}: ${t.stderr.trim()}`);
  }
}

/** Runs body with a fresh lab and always tears it down. */
export async function withLab<T>(body: (lab: Lab) => Promise<T>, opts?: LabOptions): Promise<T> {
  const lab = createLab(opts);
  try {
    return await body(lab);
  } finally {
    lab.teardown();
  }
}
