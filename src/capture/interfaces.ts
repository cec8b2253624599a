/** Network interfaces as /sys/class/net describes them. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { XcapError } from '../errors.js';

export interface InterfaceInfo {
  name: string;
  ifindex: number;
  state: string;
  up: boolean;
  promiscuous: boolean;
  mac: string;
  mtu: number;
  /** RX queues (an AF_XDP socket binds to one). */
  rxQueues: number;
  /**
   * No device behind it (veth, bridge, tun, dummy...): frames reach it as
   * socket buffers, so XDP there costs a copy into a page and a new buffer
   * per frame, and the ring buffer takes ingress at TC instead.
   */
  virtual: boolean;
  /** Capture paths xcap can use on it. */
  modes: string[];
}

const IFF_UP = 0x1;
const IFF_PROMISC = 0x100;

function rxQueueCount(name: string): number {
  try {
    return readdirSync(`/sys/class/net/${name}/queues`).filter((q) => q.startsWith('rx-')).length;
  } catch {
    return 0;
  }
}

function read(name: string, file: string): string {
  try {
    return readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim();
  } catch {
    return '';
  }
}

export function describeInterface(name: string): InterfaceInfo {
  if (!/^[^/\s]{1,15}$/.test(name) || !existsSync(`/sys/class/net/${name}`)) {
    throw new XcapError(`no such interface: ${name} (see 'xcap interfaces')`);
  }
  const flags = parseInt(read(name, 'flags'), 16) || 0;
  const rxQueues = rxQueueCount(name);
  const virtual = !existsSync(`/sys/class/net/${name}/device`);
  return {
    name,
    ifindex: Number(read(name, 'ifindex')),
    state: read(name, 'operstate') || 'unknown',
    up: (flags & IFF_UP) !== 0,
    promiscuous: (flags & IFF_PROMISC) !== 0,
    mac: read(name, 'address'),
    mtu: Number(read(name, 'mtu')),
    rxQueues,
    virtual,
    modes: [virtual ? 'ringbuf (TC ingress and egress)' : 'ringbuf (XDP ingress, TC egress)', `afxdp (ingress, ${rxQueues} RX queue${rxQueues === 1 ? '' : 's'})`],
  };
}

export function listInterfaces(): InterfaceInfo[] {
  return readdirSync('/sys/class/net').sort().map(describeInterface);
}

/** Puts an interface into promiscuous mode; returns the undo, which does nothing if it already was. */
export function enablePromiscuous(info: InterfaceInfo): () => void {
  if (info.promiscuous) return () => {};
  const set = (on: boolean): void => {
    spawnSync('ip', ['link', 'set', 'dev', info.name, 'promisc', on ? 'on' : 'off'], { stdio: 'ignore' });
  };
  set(true);
  let undone = false;
  return () => {
    if (!undone) { undone = true; set(false); }
  };
}

interface IpAddress { family: string; local: string; prefixlen: number; scope: string; }
interface IpRoute { dst: string; }

function ipJson<T>(args: string[]): T[] {
  const r = spawnSync('ip', ['-j', ...args], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new XcapError(`cannot run 'ip ${args.join(' ')}' to see how the host uses the interface: ${r.error?.message ?? r.stderr.trim()}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) as T[] : [];
}

/**
 * Why the host itself uses an interface, or undefined when it does not: an
 * address (other than IPv6 link-local) or a route through it.  AF_XDP would
 * take those frames away from the host's stack.
 */
export function hostUse(name: string): string | undefined {
  const addresses = ipJson<{ addr_info?: IpAddress[] }>(['addr', 'show', 'dev', name]).flatMap((l) => l.addr_info ?? []);
  const address = addresses.find((a) => a.scope !== 'link');
  if (address) return `it has address ${address.local}/${address.prefixlen}`;
  const routes = [...ipJson<IpRoute>(['-4', 'route', 'show', 'dev', name]), ...ipJson<IpRoute>(['-6', 'route', 'show', 'dev', name])];
  const route = routes.find((r) => !r.dst.startsWith('fe80::') && !r.dst.startsWith('ff00::') && !r.dst.startsWith('multicast'));
  if (route) return `routes go through it (${route.dst})`;
  return undefined;
}
