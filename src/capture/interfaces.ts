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
  /** Capture paths xcap can use on it. */
  modes: string[];
}

const IFF_UP = 0x1;
const IFF_PROMISC = 0x100;

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
  return {
    name,
    ifindex: Number(read(name, 'ifindex')),
    state: read(name, 'operstate') || 'unknown',
    up: (flags & IFF_UP) !== 0,
    promiscuous: (flags & IFF_PROMISC) !== 0,
    mac: read(name, 'address'),
    mtu: Number(read(name, 'mtu')),
    modes: ['ringbuf (XDP ingress, TC egress)'],
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
