// Shared by the kernel tests: when they can run, a lab with no traffic but
// the test's own, and a look at what is still attached afterwards.
import { spawnSync } from 'node:child_process';
import { createLab, type Lab, type LabOptions } from '../../src/lab/lab.js';
import { ip } from '../../src/lab/netns.js';
import type { Attachment } from '../../src/kernel/ring-capture.js';

/** Why the kernel tests cannot run here, or false when they can. */
export async function kernelSkipReason(): Promise<string | false> {
  if (process.platform !== 'linux') return 'live capture needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (BPF programs, network namespaces)';
  try {
    const { BpfObject } = await import('../../src/kernel/bpf-object.js');
    const { captureObjectPath } = await import('../../src/kernel/capture-layout.js');
    const probe = BpfObject.open(captureObjectPath());
    try {
      probe.setMaxEntries('ring', 64 * 1024);
      probe.load();
    } finally {
      probe.close();
    }
  } catch (err) {
    return `BPF is not available here: ${(err as Error).message.split('\n')[0]}`;
  }
  return false;
}

/**
 * Why `--method test-run` (BPF_PROG_TEST_RUN with live frames) cannot run
 * here, or false: some kernels refuse live frames even to root.
 */
export async function liveFramesSkipReason(): Promise<string | false> {
  const base = await kernelSkipReason();
  if (base) return base;
  const { liveFramesRefusal } = await import('../../src/kernel/frame-sender.js');
  return liveFramesRefusal() ?? false;
}

/**
 * A lab (two namespaces, one veth pair, 198.18.0.0/15) where the only frames
 * are the ones the test sends: IPv6 is off (the lab does that) and the
 * neighbours are permanent, so no ARP either.
 */
export function quietLab(opts: Omit<LabOptions, 'prefix'> = {}): Lab {
  const lab = createLab({ ...opts, prefix: 'xcap-k' });
  try {
    const mac = (ns: string, dev: string): string => (JSON.parse(ip(['-n', ns, '-j', 'link', 'show', 'dev', dev])) as { address: string }[])[0].address;
    ip(['-n', lab.captureNs, 'neigh', 'replace', lab.clientAddr, 'lladdr', mac(lab.clientNs, lab.clientIf), 'dev', lab.captureIf, 'nud', 'permanent']);
    ip(['-n', lab.clientNs, 'neigh', 'replace', lab.captureAddr, 'lladdr', mac(lab.captureNs, lab.captureIf), 'dev', lab.clientIf, 'nud', 'permanent']);
  } catch (err) {
    lab.teardown();
    throw err;
  }
  return lab;
}

function bpftoolJson<T>(args: string[], ns?: string): T {
  const cmd = ns ? ['ip', 'netns', 'exec', ns, 'bpftool', '-j', ...args] : ['bpftool', '-j', ...args];
  // bpftool lists ids, then opens each: a link or program that goes away in
  // between (other tests run in parallel) fails the whole listing, so retry.
  for (let attempt = 1; ; attempt++) {
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0) return JSON.parse(r.stdout) as T;
    if (attempt === 5) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}${r.stdout}`);
  }
}

/** Whatever of ours is still attached or loaded: empty when clean. */
export async function leftovers(lab: Lab, ours: Attachment[]): Promise<string[]> {
  const found: string[] = [];
  const linkIds = new Set(ours.map((a) => a.linkId));
  const progIds = new Set(ours.map((a) => a.progId));
  for (const l of bpftoolJson<{ id: number; prog_id: number; type: unknown }[]>(['link', 'show'])) {
    if (linkIds.has(l.id) || progIds.has(l.prog_id)) found.push(`bpftool link show: link ${l.id} (type ${String(l.type)}, prog ${l.prog_id})`);
  }
  const net = bpftoolJson<{ xdp: unknown[]; tc: unknown[] }[]>(['net', 'show'], lab.captureNs)[0];
  if (net.xdp.length) found.push(`bpftool net show (xdp): ${JSON.stringify(net.xdp)}`);
  if (net.tc.length) found.push(`bpftool net show (tc): ${JSON.stringify(net.tc)}`);
  // bpftool 7.1 does not list TCX in `net show`; ask the kernel directly.
  const { inNetns } = await import('../../src/kernel/netns.js');
  const { attachedPrograms } = await import('../../src/kernel/links.js');
  const ifindexes = new Set(ours.map((a) => a.ifindex));
  for (const ifindex of ifindexes) {
    const a = inNetns(lab.captureNs, () => attachedPrograms(`ifindex ${ifindex}`, ifindex));
    if (a.xdp) found.push(`XDP program ${a.xdp} on ifindex ${ifindex}`);
    for (const id of [...a.tcxIngress, ...a.tcxEgress]) found.push(`TCX program ${id} on ifindex ${ifindex}`);
  }
  for (const id of progIds) {
    if (spawnSync('bpftool', ['prog', 'show', 'id', String(id)], { stdio: 'ignore' }).status === 0) found.push(`program ${id} still loaded`);
  }
  return found;
}

/** leftovers(), retried for a while: the kernel releases a killed process's links shortly after it exits. */
export async function leftoversAfter(lab: Lab, ours: Attachment[], waitMs: number): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = await leftovers(lab, ours);
    if (found.length === 0 || Date.now() >= deadline) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}
