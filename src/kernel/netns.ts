/**
 * Running a few synchronous calls inside a named network namespace.
 * setns(2) moves only the calling thread, and every libbpf/libc call of the
 * kernel side is synchronous on the main thread, so the main thread enters
 * the namespace, makes its calls (interface lookup, attach) and comes back.
 * File descriptors made inside (links) keep pointing at the namespace's
 * interfaces after we leave.
 */
import { closeSync, openSync } from 'node:fs';
import { XcapError } from '../errors.js';
import { CLONE_NEWNET, setns } from './libc.js';

export function inNetns<T>(name: string | undefined, body: () => T): T {
  if (name === undefined) return body();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name) || name.startsWith('.')) throw new XcapError(`invalid network namespace name: ${JSON.stringify(name)}`);
  let target: number;
  try {
    target = openSync(`/run/netns/${name}`, 'r');
  } catch {
    throw new XcapError(`no network namespace named ${name} (see 'ip netns list')`);
  }
  const home = openSync('/proc/thread-self/ns/net', 'r');
  try {
    setns(target, CLONE_NEWNET, `network namespace ${name}`);
    try {
      return body();
    } finally {
      setns(home, CLONE_NEWNET, 'the original network namespace');
    }
  } finally {
    closeSync(target);
    closeSync(home);
  }
}
