// Running `xcap record` inside a lab namespace, and reading back what it wrote.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { XCAP } from '../helpers/env.js';
import type { Lab } from '../../src/lab/lab.js';
import { openCapture, type InterfaceInfo, type InterfaceStatistics } from '../../src/pcap/reader.js';
import { FrameIndex, FRAME_ENTRY_SIZE } from '../../src/pcap/frame-index.js';

export interface Recorder {
  child: ChildProcess;
  stderr(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts xcap record in the capture namespace; resolves once it says it is capturing. */
export async function startRecorder(lab: Lab, args: string[], stdout: 'ignore' | 'pipe' = 'ignore'): Promise<Recorder> {
  const child = spawn('ip', ['netns', 'exec', lab.captureNs, process.execPath, XCAP, 'record', ...args], { stdio: ['ignore', stdout, 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (err.includes('capturing on')) { clearInterval(timer); resolve(); }
    }, 20);
    exited.then((code) => { clearInterval(timer); reject(new Error(`xcap record exited (${code}) before capturing: ${err}`)); });
    setTimeout(() => { clearInterval(timer); reject(new Error(`xcap record did not start: ${err}`)); }, 20_000).unref();
  });
  await ready;
  return {
    child,
    stderr: () => err,
    exited,
    stop: async (signal = 'SIGINT') => { child.kill(signal); return exited; },
  };
}

export interface ReadFrame {
  caplen: number;
  origlen: number;
  ifaceId: number;
  direction: number;
  tsNs: bigint;
  bytes: Buffer;
}

export interface ReadBack {
  frames: ReadFrame[];
  interfaces: readonly InterfaceInfo[];
  statistics: readonly InterfaceStatistics[];
  warnings: readonly string[];
}

/** Every frame of a capture file, copied out (small files only). */
export async function readBack(path: string): Promise<ReadBack> {
  const arena = new Uint8Array(8 << 20);
  const index = new FrameIndex(new DataView(new ArrayBuffer(1024 * FRAME_ENTRY_SIZE)), 0, 1024);
  const reader = await openCapture(path, { arena, arenaBase: 0, index });
  const frames: ReadFrame[] = [];
  try {
    for (let n = await reader.nextBatch(); n > 0; n = await reader.nextBatch()) {
      for (let i = 0; i < n; i++) {
        const p = index.dataPtr(i);
        frames.push({
          caplen: index.caplen(i),
          origlen: index.origlen(i),
          ifaceId: index.ifaceId(i),
          direction: index.flags(i) & 3,
          tsNs: BigInt(index.tsSec(i)) * 1_000_000_000n + BigInt(index.tsNsec(i)),
          bytes: Buffer.from(arena.subarray(p, p + index.caplen(i))),
        });
      }
    }
  } finally {
    reader.close();
  }
  return { frames, interfaces: reader.interfaces, statistics: reader.statistics, warnings: reader.warnings };
}

/** ICMP echo frames (Ethernet, IPv4, ICMP type 8 or 0) of a read-back capture. */
export function echoFrames(frames: ReadFrame[], type: 0 | 8): ReadFrame[] {
  return frames.filter((f) => f.bytes.length >= 35 && f.bytes.readUInt16BE(12) === 0x0800 && f.bytes[23] === 1
    && f.bytes[14 + (f.bytes[14] & 15) * 4] === type);
}

export function fileSize(path: string): number {
  return readFileSync(path).length;
}
