/**
 * The capture paths behind `xcap record`, behind one small interface: open
 * the chosen one (backend-choice.ts) together with the dissector engine
 * whose memory it fills, poll batches into the engine's frame index,
 * release each batch once written, read counters, close.
 *
 *   ringbuf  XDP/TC → BPF ring buffer, copied into the engine's arena; both directions
 *   afxdp    XDP → AF_XDP sockets, frames in a UMEM inside the engine's memory; ingress only,
 *            and the frames no longer reach the host's stack
 */
import { XcapError } from '../errors.js';
import { DissectorEngine } from '../dissect/engine.js';
import { DEFAULT_RING_BYTES, RingCapture, type Attachment, type CaptureInterface, type KernelCounters } from '../kernel/ring-capture.js';
import { AfXdpCapture, planAfXdp } from '../kernel/afxdp-capture.js';
import { XDP_STATISTICS_FIELDS } from '../kernel/afxdp-socket.js';
import { describeInterface } from './interfaces.js';
import type { BackendChoice, BackendName } from './backend-choice.js';
import type { PcapngWriter } from '../pcap/pcapng-writer.js';
import type { CompiledFilter } from '../filter/pcap-compile.js';

export interface CaptureBackend {
  readonly kind: BackendName;
  /** Waits up to timeoutMs for frames, then describes up to the index's capacity of them in the engine's frame index. */
  poll(timeoutMs: number): number;
  /** Writes the first n frames of the last poll as EPBs (interface id = position in the capture's interface list). */
  write(writer: PcapngWriter, n: number): void;
  /** The frames of the last poll are written (and dissected): their memory may be reused. */
  release(): void;
  counters(): KernelCounters;
  /** Lines for the exit summary after tcpdump's three. */
  details(): string[];
  attachments(): Attachment[];
  close(): void;
  /** The kernel buffer in a few words, for the start-up line: "64 MiB ring", "64 MiB UMEM (32768 frames of 2048 bytes)". */
  readonly buffer: string;
}

export interface OpenedBackend {
  engine: DissectorEngine;
  backend: CaptureBackend;
}

/**
 * Creates the engine (with room for the UMEMs when they live in its memory)
 * and opens the capture into it.  bufferBytes (record -B) sizes the kernel
 * side: the ring, rounded down to a power of two, or the UMEMs together;
 * each path's default without it.
 */
export function openBackend(choice: BackendChoice, interfaces: CaptureInterface[], snaplen: number, filter?: CompiledFilter, bufferBytes?: number): OpenedBackend {
  if (choice.kind === 'ringbuf') {
    const engine = new DissectorEngine();
    const ringBytes = bufferBytes === undefined ? DEFAULT_RING_BYTES : 2 ** Math.floor(Math.log2(bufferBytes));
    return { engine, backend: ringBackend(RingCapture.open({ interfaces, snaplen, filter, steal: choice.steal, ringBytes }), engine, ringBytes) };
  }
  const plan = planAfXdp({
    interfaces: interfaces.map((i) => {
      const info = describeInterface(i.name);
      return { name: i.name, ifindex: i.ifindex, rxQueues: info.rxQueues, mtu: info.mtu };
    }),
    queue: choice.queue,
    umemBudget: bufferBytes,
  });
  // The frames go to the UMEMs, so the engine's own arena can stay small.
  let engine: DissectorEngine;
  try {
    engine = new DissectorEngine({ arenaBytes: 64 * 1024, reservedBytes: plan.umemBytes });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new XcapError(`can't set aside ${plan.umemBytes >> 20} MiB of memory for the AF_XDP UMEMs of ${plan.sockets.length} queues: capture fewer queues (--queue N) or use --backend ringbuf`);
  }
  const capture = AfXdpCapture.open({ plan, snaplen, zerocopy: choice.zerocopy, memory: engine.memoryBytes, umemBase: engine.reservedBase, indexer: engine.xskIndexer(), filter });
  const buffer = `${mib(plan.umemBytes)} UMEM (${plan.sockets.length > 1 ? `${plan.sockets.length} sockets of ` : ''}${plan.framesPerSocket} frames of ${plan.frameSize} bytes)`;
  return { engine, backend: afxdpBackend(capture, engine, interfaces.map((_, i) => i), buffer) };
}

function mib(bytes: number): string {
  return `${bytes / 2 ** 20} MiB`;
}

function ringBackend(capture: RingCapture, engine: DissectorEngine, ringBytes: number): CaptureBackend {
  return {
    kind: 'ringbuf',
    buffer: `${mib(ringBytes)} ring`,
    poll: (timeoutMs) => capture.poll(engine.arena, engine.arenaBase, engine.index, timeoutMs),
    // The kernel wrote each record as an EPB: the batch goes to the file as it lies in the arena.
    write: (writer, n) => writer.writeBlocks(capture.blocks(n)),
    // Frames were copied out of the ring as they were read.
    release: () => {},
    counters: () => capture.counters(),
    details: () => [],
    attachments: () => capture.attachments(),
    close: () => capture.close(),
  };
}

const SNAKE = (f: string): string => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function afxdpBackend(capture: AfXdpCapture, engine: DissectorEngine, ifaceIds: number[], buffer: string): CaptureBackend {
  return {
    kind: 'afxdp',
    buffer,
    poll: (timeoutMs) => capture.poll(engine.index, timeoutMs),
    write: (writer, n) => engine.writeEpbs(writer, 0, n, ifaceIds),
    release: () => capture.release(),
    counters: () => capture.counters(),
    details: () => {
      const s = capture.statistics();
      const lines = [`AF_XDP (${capture.zerocopy ? 'zero-copy' : 'copy mode'}): ${XDP_STATISTICS_FIELDS.map((f) => `${SNAKE(f)} ${s[f]}`).join(', ')}`];
      if (s.framesWithoutMeta > 0n) lines.push(`${s.framesWithoutMeta} frames had no kernel timestamp (stamped when read)`);
      return lines;
    },
    attachments: () => capture.attachments(),
    close: () => capture.close(),
  };
}
