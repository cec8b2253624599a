// Running `xcap record` inside a lab namespace, and reading back what it wrote.
import { startRecorder as startInNamespace, type Recorder } from '../../src/lab/recorder.js';
import type { Lab } from '../../src/lab/lab.js';
import { openCapture, type InterfaceInfo, type InterfaceStatistics } from '../../src/pcap/reader.js';
import { FrameIndex, FRAME_ENTRY_SIZE } from '../../src/pcap/frame-index.js';

/** Starts xcap record in the lab's capture namespace; resolves once it says it is capturing. */
export function startRecorder(lab: Lab, args: string[], stdout: 'ignore' | 'pipe' = 'ignore'): Promise<Recorder> {
  return startInNamespace(lab.captureNs, args, stdout);
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
