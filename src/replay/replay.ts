/**
 * `xcap replay`: sends the frames of a capture file (in file order, the
 * file N times) or one synthetic frame COUNT times out of an interface,
 * paced, bounded by a frame count and a deadline.  The file is streamed
 * through the capture reader batch by batch; each batch goes to the sender
 * as a sequence pointing into the reader's arena (the sender copies it).
 *
 * The sending loop is synchronous; it runs in slices of at most 100 ms with
 * the event loop turning in between, so that a signal can stop it and the
 * summary still be printed.
 */
import { openCapture, DEFAULT_CHUNK_SIZE, MIN_RECORD_ROOM, type CaptureReader } from '../pcap/reader.js';
import { FrameIndex, FRAME_ENTRY_SIZE } from '../pcap/frame-index.js';
import { maxFrameLength, singleFrame, type FrameSender, type SendMethod, type SendOutcome } from '../kernel/frame-sender.js';
import { openSender } from '../kernel/open-sender.js';
import { CaptureSequencer, requireEthernet, type SkipCounts } from './capture-sequence.js';

/** Frames per batch read from the file, and so per sequence loaded into the sender. */
const BATCH_FRAMES = 1024;
const SLICE_NS = 100_000_000n;

export interface ReplayLimits {
  ifname: string;
  method: SendMethod;
  /** Frames per second, or 'max'. */
  rate: number | 'max';
  /** The most frames to send in all (Infinity: only the file and the loops bound it). */
  count: number;
  maxSeconds: number;
  /** Aborting stops the sending at the end of the current slice. */
  signal?: AbortSignal;
}

export interface FileReplayPlan extends ReplayLimits {
  path: string;
  loops: number;
  /** The longest untagged frame the interface carries: its MTU + 14. */
  maxFrame: number;
}

export interface ReplaySummary extends SendOutcome {
  stoppedBy: 'end' | 'time' | 'signal';
  /** Frames of the file left out (counted on the first pass only). */
  skipped: SkipCounts;
  /** The reader's warnings (a file cut short ...). */
  warnings: string[];
}

function deadlineAfter(seconds: number): bigint {
  return process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
}

/** Sends `count` frames of the loaded sequence slice by slice; returns how many went. */
async function sendSliced(sender: FrameSender, count: number, deadline: bigint, signal?: AbortSignal): Promise<number> {
  let done = 0;
  while (done < count && !signal?.aborted) {
    const now = process.hrtime.bigint();
    if (now >= deadline) break;
    done += sender.send(count - done, now + SLICE_NS < deadline ? now + SLICE_NS : deadline);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return done;
}

function why(limits: ReplayLimits): 'time' | 'signal' {
  return limits.signal?.aborted ? 'signal' : 'time';
}

export async function replaySynthetic(limits: ReplayLimits, frame: Uint8Array): Promise<ReplaySummary> {
  const deadline = deadlineAfter(limits.maxSeconds);
  const sender = openSender(limits.method, limits.ifname, limits.rate);
  try {
    sender.load(singleFrame(frame));
    const done = await sendSliced(sender, limits.count, deadline, limits.signal);
    return { ...sender.outcome(), stoppedBy: done < limits.count ? why(limits) : 'end', skipped: { short: 0, long: 0 }, warnings: [] };
  } finally {
    sender.close();
  }
}

export async function replayFile(plan: FileReplayPlan): Promise<ReplaySummary> {
  const arena = new Uint8Array(MIN_RECORD_ROOM + DEFAULT_CHUNK_SIZE);
  const index = new FrameIndex(new DataView(new ArrayBuffer(BATCH_FRAMES * FRAME_ENTRY_SIZE)), 0, BATCH_FRAMES);
  const sequencer = new CaptureSequencer(arena, 0, BATCH_FRAMES, plan.maxFrame, maxFrameLength(plan.method));
  const open = async (): Promise<CaptureReader> => {
    const r = await openCapture(plan.path, { arena, arenaBase: 0, index });
    try {
      requireEthernet(plan.path, r.interfaces);
    } catch (err) {
      r.close();
      throw err;
    }
    return r;
  };
  const skipped: SkipCounts = { short: 0, long: 0 };
  const warnings: string[] = [];
  let stoppedBy: ReplaySummary['stoppedBy'] = 'end';
  let remaining = plan.count;
  // The file is opened (and refused if it must be) before anything is sent.
  let reader: CaptureReader | undefined = await open();
  let sender: FrameSender | undefined;
  try {
    sender = openSender(plan.method, plan.ifname, plan.rate, BATCH_FRAMES);
    const deadline = deadlineAfter(plan.maxSeconds);
    for (let pass = 0; pass < plan.loops && remaining > 0 && stoppedBy === 'end'; pass++) {
      reader ??= await open();
      const ignored: SkipCounts = { short: 0, long: 0 };
      let n = await reader.nextBatch();
      for (let batch = 0; n > 0 && remaining > 0; batch++) {
        requireEthernet(plan.path, reader.interfaces);
        const sequence = sequencer.fill(index, n, pass === 0 ? skipped : ignored);
        const frames = sequence.count;
        if (frames > 0) sender.load(sequence);
        n = await reader.nextBatch(); // the sender keeps its own copy of the batch
        // A file that is one batch is loaded once and sent for every pass left.
        const wholeFile = batch === 0 && n === 0;
        const want = Math.min(frames * (wholeFile ? plan.loops - pass : 1), remaining);
        if (wholeFile) pass = plan.loops;
        if (want === 0) continue;
        const done = await sendSliced(sender, want, deadline, plan.signal);
        remaining -= done;
        if (done < want) {
          stoppedBy = why(plan);
          break;
        }
      }
      if (warnings.length === 0) warnings.push(...reader.warnings);
      reader.close();
      reader = undefined;
    }
    return { ...sender.outcome(), stoppedBy, skipped, warnings };
  } finally {
    reader?.close();
    sender?.close();
  }
}
