// Running `xcap record` inside a lab namespace, and reading back what it wrote.
import { startRecorder as startInNamespace, type Recorder } from '../../src/lab/recorder.js';
import type { Lab } from '../../src/lab/lab.js';
import { openCapture, type InterfaceInfo, type InterfaceStatistics } from '../../src/pcap/reader.js';
import { FrameIndex, FRAME_ENTRY_SIZE } from '../../src/pcap/frame-index.js';
import { ip } from '../../src/lab/netns.js';
import { inNetns } from '../../src/kernel/netns.js';
import { attachedPrograms } from '../../src/kernel/links.js';
import { ethernet } from '../../fixtures/gen/link-layer.js';
import { ipv4, IpProto } from '../../fixtures/gen/ip-layer.js';
import { udp } from '../../fixtures/gen/transport-layer.js';
import { ip4, mac } from '../../fixtures/gen/hosts.js';

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

/** What is attached to an interface of the lab (its capture interface by default), whoever attached it. */
export function attached(lab: Lab, ifname = lab.captureIf, ns = lab.captureNs): string[] {
  const ifindex = Number(ip(['-n', ns, '-j', 'link', 'show', 'dev', ifname]).match(/"ifindex":(\d+)/)![1]);
  const a = inNetns(ns, () => attachedPrograms(ifname, ifindex));
  return [...(a.xdp ? [`xdp ${a.xdp}`] : []), ...a.tcxIngress.map((id) => `tcx ingress ${id}`), ...a.tcxEgress.map((id) => `tcx egress ${id}`)];
}

/** Waits up to 3 s for the interface to have nothing attached; returns what is left. */
export async function detachedSoon(lab: Lab, ifname = lab.captureIf): Promise<string[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const left = attached(lab, ifname);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A UDP frame from the lab's client to its capture address, sent to port 9
 * from `srcPort`, with a payload of counting bytes.  Addressed to no one's
 * MAC, so the capture side's stack drops it and answers nothing.
 */
export function labUdpFrame(lab: Lab, payloadBytes: number, srcPort = 40000): Uint8Array {
  const src = ip4(lab.clientAddr);
  const dst = ip4(lab.captureAddr);
  const payload = new Uint8Array(payloadBytes).map((_, i) => i);
  return ethernet(mac('02:00:00:00:00:99'), mac('02:00:00:00:00:02'), 0x0800,
    ipv4({ src, dst, protocol: IpProto.UDP }, udp({ src, dst }, { srcPort, dstPort: 9 }, payload)));
}
