/**
 * A live capture: the capture backend (ring buffer or AF_XDP) is read batch
 * by batch into the engine's frame index; each batch is written to pcapng in
 * one go, optionally dissected (--print, --summary), then released to the
 * backend.  Stops on a signal, -c, or -a; then drains, writes each
 * interface's statistics and detaches.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { openSync, closeSync } from 'node:fs';
import type { Attachment, CaptureInterface } from '../kernel/ring-capture.js';
import { OutputMode, type Sink } from '../dissect/engine.js';
import { openBackend, type CaptureBackend, type OpenedBackend } from './backend.js';
import { describeCapture, type BackendChoice } from './backend-choice.js';
import { CaptureOutput } from './output-files.js';
import type { Autostop, Rotation } from './stop-conditions.js';
import type { InterfaceStats } from '../pcap/pcapng-writer.js';
import { fdSink } from '../output/stdout.js';
import type { CompiledFilter } from '../filter/pcap-compile.js';

export interface SessionOptions {
  interfaces: CaptureInterface[];
  /** The capture path (chooseBackend); the ring buffer when not given. */
  backend?: BackendChoice;
  writePath: string;
  snaplen: number;
  autostop: Autostop;
  rotation?: Rotation;
  /** Print one summary line per packet (to stderr when the capture goes to stdout). */
  print: boolean;
  /** Append one JSON document per packet to this file. */
  summaryPath?: string;
  /** Show a status line on stderr (when it is a terminal). */
  status: boolean;
  signal: AbortSignal;
  /** The kernel buffer (record -B): the ring, or the AF_XDP UMEMs together; each backend's default when not given. */
  bufferBytes?: number;
  /** Called once everything is attached and frames are being captured, with the kernel buffer in words and where each program sits. */
  onAttached?: (buffer: string, attachments: Attachment[]) => void;
  /** Run in the kernel before anything is copied; only matching frames are captured. */
  filter?: CompiledFilter;
}

export interface SessionResult {
  captured: number;
  bytes: number;
  kernelSeen: bigint;
  kernelDropped: bigint;
  /** Frames the filter rejected in the kernel. */
  kernelRejected: bigint;
  /** Backend-specific lines for the exit summary. */
  details: string[];
  files: string[];
}

const POLL_MS = 50;
/** After a stop request, what is already captured is read for at most this long. */
const DRAIN_MAX_MS = 1000;

export async function runSession(o: SessionOptions): Promise<SessionResult> {
  const startNs = nowNs();
  const choice = o.backend ?? { kind: 'ringbuf' };
  // The output is opened before anything is attached: an unwritable path fails with nothing to undo.
  const output = new CaptureOutput(o.writePath, o.interfaces.map((i) => ({
    name: i.name,
    description: describeCapture(choice, i),
    linktype: 1,
    snaplen: o.snaplen,
    filter: o.filter?.expression,
  })), o.rotation);
  let opened: OpenedBackend;
  try {
    opened = openBackend(choice, o.interfaces, o.snaplen, o.filter, o.bufferBytes);
  } catch (err) {
    output.close([]);
    throw err;
  }
  const { engine, backend: capture } = opened;
  let summaryFd: number | undefined;
  let captured = 0;
  let bytes = 0;
  try {
    o.onAttached?.(capture.buffer, capture.attachments());
    const printSink: Sink | undefined = o.print ? fdSink(o.writePath === '-' ? 2 : 1) : undefined;
    if (o.summaryPath) summaryFd = openSync(o.summaryPath, 'a');
    const summarySink = summaryFd !== undefined ? fdSink(summaryFd) : undefined;
    engine.setMode(o.print ? OutputMode.Summary : OutputMode.JsonLines);
    const status = o.status ? new StatusLine() : undefined;
    const limit = o.autostop.packets ?? Infinity;
    const deadline = o.autostop.durationMs !== undefined ? Date.now() + o.autostop.durationMs : Infinity;
    let draining = false;
    let drainUntil = Infinity;
    for (;;) {
      const stopRequested = o.signal.aborted || captured >= limit || Date.now() >= deadline
        || (o.autostop.fileBytes !== undefined && output.bytesWritten >= o.autostop.fileBytes)
        || (o.autostop.files !== undefined && output.files.length > o.autostop.files);
      if (stopRequested && !draining) {
        draining = true;
        drainUntil = Date.now() + DRAIN_MAX_MS;
      }
      // Under sustained traffic a drain would never find the kernel side empty.
      if (draining && (captured >= limit || Date.now() >= drainUntil)) break;
      let n = capture.poll(draining ? 0 : POLL_MS);
      if (n === 0 && draining) break;
      n = Math.min(n, limit - captured);
      if (n > 0) {
        capture.write(output.current, n);
        for (let i = 0; i < n; i++) bytes += engine.index.caplen(i);
        if (printSink) engine.dissect(n, captured + 1, printSink);
        if (summarySink) engine.dissectAs(OutputMode.JsonLines, n, captured + 1, summarySink);
        captured += n;
      }
      // Written (and dissected): the backend may reuse the frames' memory.
      capture.release();
      if (n > 0 && output.due()) output.rotate(statistics(capture, o.interfaces, startNs, o.filter !== undefined));
      status?.update(captured, bytes, capture.counters().dropped);
      if (!draining) await yieldToEventLoop();
    }
    status?.clear();
    output.close(statistics(capture, o.interfaces, startNs, o.filter !== undefined));
    const counters = capture.counters();
    return {
      captured, bytes, kernelSeen: counters.seen, kernelDropped: counters.dropped, kernelRejected: counters.rejected,
      details: capture.details(), files: output.files,
    };
  } catch (err) {
    // Keep what was captured: close the file with its statistics if the disk still allows it.
    try { output.close(statistics(capture, o.interfaces, startNs, o.filter !== undefined)); } catch { /* the first error is the one to report */ }
    throw err;
  } finally {
    capture.close();
    if (summaryFd !== undefined) closeSync(summaryFd);
  }
}

function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function statistics(capture: CaptureBackend, interfaces: CaptureInterface[], startNs: bigint, filtered: boolean): InterfaceStats[] {
  const c = capture.counters();
  const end = nowNs();
  return interfaces.map((_, i) => {
    const per = c.perInterface?.[i];
    // The hook saw every frame: those the filter rejected never reached the capture program's count.
    return {
      ifRecv: per ? per.seen + per.rejected : (interfaces.length === 1 ? c.seen + c.rejected : undefined),
      ifDrop: per?.dropped ?? (interfaces.length === 1 ? c.dropped : undefined),
      filterAccept: filtered && per ? per.seen : undefined,
      startTime: { sec: Number(startNs / 1_000_000_000n), nsec: Number(startNs % 1_000_000_000n) },
      endTime: { sec: Number(end / 1_000_000_000n), nsec: Number(end % 1_000_000_000n) },
    };
  });
}

/** "packets 1234  bytes 1.2 MB  dropped 0  12.3 kpkt/s" rewritten in place on a terminal. */
class StatusLine {
  private last = 0;
  private lastPackets = 0;
  private readonly started = Date.now();

  update(packets: number, bytes: number, dropped: bigint): void {
    const now = Date.now();
    if (now - this.last < 250) return;
    const rate = (packets - this.lastPackets) / Math.max(0.001, (now - this.last) / 1000);
    this.last = now;
    this.lastPackets = packets;
    const secs = ((now - this.started) / 1000).toFixed(0);
    process.stderr.write(`\r\x1b[Kpackets ${packets}  bytes ${(bytes / 1e6).toFixed(1)} MB  dropped ${dropped}  ${(rate / 1000).toFixed(1)} kpkt/s  ${secs} s`);
  }

  clear(): void {
    process.stderr.write('\r\x1b[K');
  }
}
