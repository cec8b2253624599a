/** Bounded traffic across a lab: ICMP echo, UDP, HTTP over TCP and DNS from the client side. */
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { spawnIn, execIn } from './netns.js';
import type { Lab } from './lab.js';
import { XcapError } from '../errors.js';

export interface TrafficPlan {
  pings?: number;
  udp?: number;
  http?: number;
  dns?: number;
}

const PEER = fileURLToPath(new URL('./peer.js', import.meta.url));

/** Sends the planned traffic from the client namespace to the capture namespace; resolves when done. */
export async function runTraffic(lab: Lab, plan: TrafficPlan): Promise<void> {
  const server = spawnIn(lab.captureNs, [process.execPath, PEER, 'serve', lab.captureAddr], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const ready = once(server.stdout!, 'data');
    const failed = once(server, 'exit').then(() => { throw new XcapError('lab: the traffic server exited early'); });
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new XcapError('lab: the traffic server did not start within 10 s')), 10_000).unref());
    await Promise.race([ready, failed, timeout]);
    if (plan.pings) {
      execIn(lab.clientNs, ['ping', '-c', String(plan.pings), '-i', '0.02', '-W', '1', '-q', lab.captureAddr], 30_000);
    }
    const client = execIn(lab.clientNs, [process.execPath, PEER, 'client', lab.captureAddr,
      String(plan.udp ?? 0), String(plan.http ?? 0), String(plan.dns ?? 0)], 70_000);
    if (client.status !== 0) throw new XcapError(`lab: the traffic client failed (exit ${client.status}): ${client.stderr.trim()}`);
  } finally {
    server.kill('SIGTERM');
  }
}
