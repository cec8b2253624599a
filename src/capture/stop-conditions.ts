/**
 * dumpcap's -a (autostop) and -b (ring buffer) conditions, and tcpdump's -c.
 *   -a duration:S | filesize:KB | packets:N | files:N
 *   -b duration:S | filesize:KB | files:N   (files: how many to keep)
 */
import { UsageError } from '../errors.js';

export interface Autostop {
  durationMs?: number;
  fileBytes?: number;
  packets?: number;
  files?: number;
}

export interface Rotation {
  durationMs?: number;
  fileBytes?: number;
  keepFiles?: number;
}

function parseOne(flag: string, spec: string): [string, number] {
  const m = /^([a-z]+):(\d+(?:\.\d+)?)$/.exec(spec);
  if (!m) throw new UsageError(`${flag} wants KEY:VALUE (e.g. duration:10), not '${spec}'`);
  const value = Number(m[2]);
  if (!(value > 0)) throw new UsageError(`${flag} ${m[1]} must be positive, not '${m[2]}'`);
  return [m[1], value];
}

export function parseAutostop(specs: string[]): Autostop {
  const a: Autostop = {};
  for (const spec of specs) {
    const [key, v] = parseOne('-a', spec);
    switch (key) {
      case 'duration': a.durationMs = v * 1000; break;
      case 'filesize': a.fileBytes = v * 1000; break;
      case 'packets': a.packets = Math.floor(v); break;
      case 'files': a.files = Math.floor(v); break;
      default: throw new UsageError(`-a ${key}: unknown condition (duration, filesize, packets, files)`);
    }
  }
  return a;
}

export function parseRotation(specs: string[]): Rotation | undefined {
  if (specs.length === 0) return undefined;
  const r: Rotation = {};
  for (const spec of specs) {
    const [key, v] = parseOne('-b', spec);
    switch (key) {
      case 'duration': r.durationMs = v * 1000; break;
      case 'filesize': r.fileBytes = v * 1000; break;
      case 'files': r.keepFiles = Math.floor(v); break;
      default: throw new UsageError(`-b ${key}: unknown condition (duration, filesize, files)`);
    }
  }
  if (r.durationMs === undefined && r.fileBytes === undefined) {
    throw new UsageError('-b files:N needs a switch condition too (-b filesize:KB or -b duration:S)');
  }
  return r;
}
