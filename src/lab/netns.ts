/**
 * Network namespaces and veth pairs for the lab, through iproute2.  Every
 * name made here carries the creating process's PID, so parallel runs never
 * collide and a leftover can be traced to its owner.
 */
import { spawnSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { XcapError } from '../errors.js';

export function ip(args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.error) throw new XcapError(`lab: cannot run 'ip' (${r.error.message}); install iproute2`);
  if (r.status !== 0) throw new XcapError(`lab: 'ip ${args.join(' ')}' failed: ${r.stderr.trim()}`);
  return r.stdout;
}

export function namespaceExists(name: string): boolean {
  return spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').some((l) => l.split(' ')[0] === name);
}

/** Runs a command inside a namespace and waits for it; returns its output. */
export function execIn(ns: string, cmd: string[], timeoutMs = 10_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Starts a command inside a namespace without waiting. */
export function spawnIn(ns: string, cmd: string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, ...cmd], opts);
}

export function deleteNamespace(name: string): void {
  // Deleting a namespace deletes the interfaces inside it, veth peers included.
  if (namespaceExists(name)) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
}
