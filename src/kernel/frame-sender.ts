/**
 * Sending Ethernet frames out of an interface: a sequence of frames, in
 * order, wrapping around to its start, paced to a rate, for `xcap replay`
 * and the lab's traffic generator (src/lab/generator.ts).  Three ways, all
 * synchronous loops bounded by a frame count and a deadline:
 *
 * - af-packet: an AF_PACKET socket with PACKET_QDISC_BYPASS and sendmmsg in
 *   batches; smooth, a few hundred thousand frames/s.
 * - test-run: bpf/xmit.bpf.o run by BPF_PROG_TEST_RUN with live frames, its
 *   XDP program redirecting every frame to the interface (and, for a
 *   sequence, rewriting each with the next frame of a map); faster, but each
 *   call sends a whole burst.
 * - tc-clone: af-packet with bpf/clone.bpf.o at TC egress sending each of
 *   the sender's frames 64 times as clones; one frame over and over, about
 *   twice af-packet's rate, on every kernel.
 *
 * The tc-clone sender is in clone-sender.ts, and openSender/sendFrame, which
 * pick one of the three, in open-sender.ts.
 *
 * A sequence is one buffer and two arrays (where each frame starts, how long
 * it is): no JS object per frame.  The sender copies it into native memory
 * (af-packet) or a BPF map (test-run) when it is loaded, so the caller may
 * reuse the buffer right after load().
 */
import koffi from 'koffi';
import { spawnSync } from 'node:child_process';
import { BpfObject } from './bpf-object.js';
import { bpfObjectPath } from './capture-layout.js';
import { KernelError, check, errnoName } from './errors.js';
import { bpf_map_update_elem, bpf_prog_test_run_opts } from './libbpf.js';
import { close, errno, ifNameToIndex, sendmmsg, setsockopt, socket } from './libc.js';
import { XcapError } from '../errors.js';


const AF_PACKET = 17;
const SOCK_RAW = 3;
const SOL_PACKET = 263;
const PACKET_QDISC_BYPASS = 20;
const SOL_SOCKET = 1;
const SO_MARK = 36;
const MSG_DONTWAIT = 0x40;
const EAGAIN = 11;
const ENOBUFS = 105;
const EINTR = 4;
const BPF_F_TEST_XDP_LIVE_FRAMES = 1 << 1;

/** x86-64 / aarch64 layouts (LP64). */
const SOCKADDR_LL_SIZE = 20;
const SOCKADDR_STRIDE = 24;
const IOVEC_SIZE = 16;
const MMSGHDR_SIZE = 64;
const TEST_RUN_OPTS_SIZE = 80;
const MAX_BATCH = 256;

/** bpf/xmit.h: the frame bounds and the map value layouts. */
export const XMIT_MIN_FRAME = 14;
export const XMIT_MAX_FRAME = 3500;
const XMIT_FRAME_SIZE = 3504;
const XMIT_CURSOR_SIZE = 8;
/** af-packet's own bound: a jumbo frame. */
const AF_PACKET_MAX_FRAME = 65535;

export type SendMethod = 'af-packet' | 'test-run' | 'tc-clone';

/** The longest frame a method sends. */
export function maxFrameLength(method: SendMethod): number {
  return method === 'test-run' ? XMIT_MAX_FRAME : AF_PACKET_MAX_FRAME;
}

/** Frames back to back: frame i is bytes[offsets[i], offsets[i] + lengths[i]), for i below count. */
export interface FrameSequence {
  bytes: Uint8Array;
  offsets: Uint32Array;
  lengths: Uint32Array;
  count: number;
}

export function singleFrame(frame: Uint8Array): FrameSequence {
  return { bytes: frame, offsets: new Uint32Array([0]), lengths: new Uint32Array([frame.length]), count: 1 };
}

export interface SendPlan {
  ifname: string;
  frame: Uint8Array;
  count: number;
  maxSeconds: number;
  /** Frames per second, or 'max'. */
  rate: number | 'max';
}

export interface SendOutcome {
  /** Frames the kernel took: accepted by sendmmsg, run through the XDP program, or cloned onto the interface. */
  sent: number;
  /** Bytes of the frames sent (test-run: of the frames run, refused or not). */
  bytes: number;
  seconds: number;
  /** Frames af-packet had to retry because the interface's queue was full (it retries until the deadline). */
  retries: number;
  /** test-run calls made (each one a burst). */
  calls: number;
  /**
   * tc-clone: clones the interface refused (its peer's queue was full), not in `sent`.
   * test-run: frames the XDP program redirected but the interface did
   * not pass on (its peer's queue was full, or the peer takes no XDP frames),
   * from ethtool's per-queue xdp_xmit (or xdp_xmit_errors) counters; already
   * taken out of `sent` (`bytes` counts every frame run).  null when ethtool could not tell.
   */
  refused: number | null;
}

/** A sender open on one interface; frames go out in the order of the loaded sequence. */
export interface FrameSender {
  /** Makes `frames` the sequence to send (copied); the next frame sent is its first. */
  load(frames: FrameSequence): void;
  /**
   * Sends up to `count` frames of the sequence, wrapping around, paced to
   * the rate counted from the first send; stops early at `deadline`
   * (process.hrtime.bigint() nanoseconds).  Returns the frames sent.
   */
  send(count: number, deadline: bigint): number;
  /** Counters so far. */
  outcome(): SendOutcome;
  /** Releases the socket or the BPF object; safe twice. */
  close(): void;
}

const waitCell = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps without spinning; the timeout is honoured to well under a millisecond. */
function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(waitCell, 0, 0, ms);
}

/**
 * Paces `sent` to `rate`: waits until frame number `sent` is due (at once
 * for 'max'); false, after waiting until the deadline, when it is due later.
 */
function waitForTurn(rate: number | 'max', sent: number, start: bigint, deadline: bigint): boolean {
  if (rate === 'max') return true;
  const due = start + BigInt(Math.round(sent / rate * 1e9));
  const until = due < deadline ? due : deadline;
  sleepMs(Number(until - process.hrtime.bigint()) / 1e6);
  return due < deadline;
}

function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function ifindexOf(ifname: string): number {
  const ifindex = ifNameToIndex(ifname);
  if (ifindex === 0) throw new XcapError(`no such interface: ${ifname} (in this network namespace)`);
  return ifindex;
}

/**
 * Where a sequence stands: the next frame, and the bytes of any run of
 * frames from a prefix sum, so counting bytes costs nothing per frame.
 */
class SequenceCursor {
  count = 0;
  next = 0;
  private prefix = new Float64Array(1);

  reset(frames: FrameSequence, method: SendMethod): void {
    const max = maxFrameLength(method);
    if (!(frames.count >= 1 && frames.count <= frames.lengths.length && frames.count <= frames.offsets.length)) {
      throw new XcapError(`frame sender: a sequence of ${frames.count} frames does not fit its arrays`);
    }
    if (this.prefix.length < frames.count + 1) this.prefix = new Float64Array(frames.count + 1);
    for (let i = 0; i < frames.count; i++) {
      const length = frames.lengths[i];
      if (length < XMIT_MIN_FRAME || length > max) throw new XcapError(`frame sender: ${method} sends frames of ${XMIT_MIN_FRAME} to ${max} bytes; frame ${i + 1} has ${length}`);
      if (frames.offsets[i] + length > frames.bytes.length) throw new XcapError(`frame sender: frame ${i + 1} runs past the end of its buffer`);
      this.prefix[i + 1] = this.prefix[i] + length;
    }
    this.count = frames.count;
    this.next = 0;
  }

  /** Moves past `n` frames; returns their bytes. */
  advance(n: number): number {
    const whole = Math.floor(n / this.count);
    const rest = n - whole * this.count;
    const total = this.prefix[this.count];
    const end = this.next + rest;
    const bytes = whole * total + (end <= this.count
      ? this.prefix[end] - this.prefix[this.next]
      : total - this.prefix[this.next] + this.prefix[end - this.count]);
    this.next = end % this.count;
    return bytes;
  }
}

/**
 * One native block per sequence: the frames, a sockaddr_ll and an iovec per
 * frame, and count + MAX_BATCH - 1 mmsghdrs where entry j describes frame
 * j % count, so that any run of up to MAX_BATCH frames from any frame on is
 * one contiguous slice of mmsghdrs and sendmmsg needs no set-up per call.
 */
function messageBlock(frames: FrameSequence, ifindex: number): { block: bigint; messages: bigint } {
  const n = frames.count;
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += frames.lengths[i];
  const addrsAt = (bytes + 15) & ~15;
  const iovsAt = addrsAt + n * SOCKADDR_STRIDE;
  const msgsAt = iovsAt + n * IOVEC_SIZE;
  const size = msgsAt + (n + MAX_BATCH - 1) * MMSGHDR_SIZE;
  const block = koffi.alloc('uint8_t', size) as bigint;
  const base = koffi.address(block);
  const raw = new Uint8Array(koffi.view(block, size));
  const view = new DataView(raw.buffer, raw.byteOffset, size);
  raw.fill(0);
  for (let i = 0, at = 0; i < n; i++) {
    const frame = frames.bytes.subarray(frames.offsets[i], frames.offsets[i] + frames.lengths[i]);
    raw.set(frame, at);
    // struct sockaddr_ll: the ethertype (network order, as in the frame) becomes skb->protocol.
    const addr = addrsAt + i * SOCKADDR_STRIDE;
    view.setUint16(addr, AF_PACKET, true);
    view.setUint8(addr + 2, frame[12]);
    view.setUint8(addr + 3, frame[13]);
    view.setInt32(addr + 4, ifindex, true);
    view.setUint8(addr + 11, 6);
    raw.set(frame.subarray(0, 6), addr + 12);
    const iov = iovsAt + i * IOVEC_SIZE;
    view.setBigUint64(iov, base + BigInt(at), true);
    view.setBigUint64(iov + 8, BigInt(frame.length), true);
    at += frame.length;
  }
  for (let j = 0; j < n + MAX_BATCH - 1; j++) {
    const m = msgsAt + j * MMSGHDR_SIZE;
    const i = j % n;
    view.setBigUint64(m, base + BigInt(addrsAt + i * SOCKADDR_STRIDE), true); // msg_name
    view.setUint32(m + 8, SOCKADDR_LL_SIZE, true); // msg_namelen
    view.setBigUint64(m + 16, base + BigInt(iovsAt + i * IOVEC_SIZE), true); // msg_iov
    view.setBigUint64(m + 24, 1n, true); // msg_iovlen
  }
  return { block, messages: base + BigInt(msgsAt) };
}

export class AfPacketSender implements FrameSender {
  private readonly ifindex: number;
  private fd: number;
  private block: bigint | null = null;
  private messages = 0n;
  private readonly cursor = new SequenceCursor();
  private readonly batch: number;
  private start: bigint | null = null;
  private sent = 0;
  private bytes = 0;
  private retries = 0;

  /**
   * `mark`: mark every frame (SO_MARK) and leave PACKET_QDISC_BYPASS off, so
   * they pass the interface's TC egress hook, where tc-clone's program knows them by it.
   */
  constructor(private readonly ifname: string, private readonly rate: number | 'max', mark?: number) {
    this.ifindex = ifindexOf(ifname);
    // Protocol 0: the socket sends only and never receives a copy of anything.
    this.fd = socket(AF_PACKET, SOCK_RAW, 'an AF_PACKET socket');
    try {
      if (mark === undefined) check(setsockopt(this.fd, SOL_PACKET, PACKET_QDISC_BYPASS, new Uint32Array([1])), 'set PACKET_QDISC_BYPASS', errno);
      else check(setsockopt(this.fd, SOL_SOCKET, SO_MARK, new Uint32Array([mark])), 'mark the sender\'s frames (SO_MARK)', errno);
    } catch (err) {
      this.close();
      throw err;
    }
    // About half a millisecond of frames per call when paced, so the rate stays smooth.
    this.batch = rate === 'max' ? MAX_BATCH : Math.max(1, Math.min(MAX_BATCH, Math.round(rate / 2000)));
  }

  load(frames: FrameSequence): void {
    this.cursor.reset(frames, 'af-packet');
    this.freeBlock();
    ({ block: this.block, messages: this.messages } = messageBlock(frames, this.ifindex));
  }

  send(count: number, deadline: bigint): number {
    if (this.block === null) throw new Error('frame sender: nothing loaded');
    const start = (this.start ??= process.hrtime.bigint());
    let done = 0;
    while (done < count && process.hrtime.bigint() < deadline) {
      if (!waitForTurn(this.rate, this.sent, start, deadline)) break;
      const at = this.messages + BigInt(this.cursor.next * MMSGHDR_SIZE);
      const n = sendmmsg(this.fd, at, Math.min(this.batch, count - done), MSG_DONTWAIT);
      if (n > 0) {
        done += n;
        this.sent += n;
        this.bytes += this.cursor.advance(n);
        continue;
      }
      const e = errno();
      if (e !== EAGAIN && e !== ENOBUFS && e !== EINTR) throw new KernelError(`send frames on ${this.ifname}`, e, sendHint(e));
      // The receiving side is full: give it a moment rather than spin against it.
      this.retries++;
      sleepMs(0.05);
    }
    return done;
  }

  outcome(): SendOutcome {
    return { sent: this.sent, bytes: this.bytes, seconds: this.start === null ? 0 : secondsSince(this.start), retries: this.retries, calls: 0, refused: 0 };
  }

  close(): void {
    if (this.fd >= 0) close(this.fd);
    this.fd = -1;
    this.freeBlock();
  }

  private freeBlock(): void {
    if (this.block !== null) koffi.free(this.block);
    this.block = null;
  }
}

const ENETDOWN = 100;
const EMSGSIZE = 90;

function sendHint(e: number): string | undefined {
  if (e === ENETDOWN) return 'the interface is down';
  if (e === EMSGSIZE) return 'a frame is longer than the interface MTU allows';
  return undefined;
}

/**
 * What the interface's driver says of frames redirected to it, summed over
 * its queues (veth's names): `xmit` passed on, `errors` refused.  Either is
 * null when ethtool or the driver does not tell.  veth counts neither when
 * its peer cannot take XDP frames at all (no NAPI: GRO off and no XDP
 * program), so `xmit` is the one to trust when it is there.
 */
function xdpXmitCounters(ifname: string | null): { xmit: number | null; errors: number | null } {
  if (ifname === null) return { xmit: null, errors: null };
  const r = spawnSync('ethtool', ['-S', ifname], { encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0) return { xmit: null, errors: null };
  const sum = (re: RegExp): number | null => {
    let total: number | null = null;
    for (const m of r.stdout.matchAll(re)) total = (total ?? 0) + Number(m[1]);
    return total;
  };
  return { xmit: sum(/_xdp_xmit:\s*(\d+)/g), errors: sum(/xdp_xmit_errors:\s*(\d+)/g) };
}

const LIVE_FRAMES_HINT = 'BPF_PROG_TEST_RUN with live frames needs Linux 5.18+ and a kernel that allows it (some builds refuse it with EPERM); --method af-packet works on every kernel';

/** Frames per BPF_PROG_TEST_RUN call at full speed: enough to hide the fixed cost of a call. */
const MAX_BURST = 65536;
const MIN_BURST = 64;
const FIRST_BURST = 16384;
/** The longest a call should take, so the deadline is kept to about this much. */
const CALL_SECONDS = 0.2;

export class TestRunSender implements FrameSender {
  private readonly object: BpfObject;
  private readonly progFd: number;
  private readonly framesFd: number;
  private readonly cursorFd: number;
  /** The input frame: the frame itself for a sequence of one, else as long as the longest (the program rewrites it). */
  private readonly input: bigint;
  private readonly optsBytes = new Uint8Array(TEST_RUN_OPTS_SIZE);
  private readonly opts = new DataView(this.optsBytes.buffer);
  private readonly paced: number;
  private readonly cursor = new SequenceCursor();
  private readonly countersBefore: { xmit: number | null; errors: number | null };
  private reached = FIRST_BURST / CALL_SECONDS; // until a call has been timed
  private loaded = false;
  private closed = false;
  private start: bigint | null = null;
  private ran = 0;
  private bytes = 0;
  private calls = 0;

  /** `ifname` null: frames go nowhere (ifindex 0, the redirect fails and drops them), for {@link liveFramesRefusal}. */
  constructor(private readonly ifname: string | null, private readonly rate: number | 'max', private readonly capacity: number) {
    const ifindex = ifname === null ? 0 : ifindexOf(ifname);
    this.object = BpfObject.open(bpfObjectPath('xmit.bpf.o'));
    this.input = koffi.alloc('uint8_t', XMIT_MAX_FRAME) as bigint;
    try {
      const rodata = new Uint8Array(4);
      new DataView(rodata.buffer).setUint32(0, ifindex, true);
      this.object.setRodata(rodata);
      this.object.setMaxEntries('frames', capacity);
      this.object.load();
      this.progFd = this.object.program('xcap_xmit').fd;
      this.framesFd = this.object.mapFd('frames');
      this.cursorFd = this.object.mapFd('cursor');
    } catch (err) {
      this.close();
      throw err;
    }
    const opts = this.opts;
    opts.setBigUint64(0, BigInt(TEST_RUN_OPTS_SIZE), true); // sz
    opts.setBigUint64(8, koffi.address(this.input), true); // data_in
    opts.setUint32(68, BPF_F_TEST_XDP_LIVE_FRAMES, true); // flags
    opts.setUint32(76, MAX_BATCH, true); // batch_size: frames per redirect flush
    // Paced, a burst is 5 ms of frames: bursts of a thousand at 20k frames/s overflowed a veth peer (its XDP ring holds 256).
    this.paced = rate === 'max' ? MAX_BURST : Math.max(MIN_BURST, Math.min(MAX_BURST, Math.round(rate / 200)));
    this.countersBefore = xdpXmitCounters(ifname);
  }

  /** One BPF_PROG_TEST_RUN call that runs the loaded program `repeat` times on live frames. */
  run(repeat: number): void {
    this.opts.setInt32(60, repeat, true);
    check(bpf_prog_test_run_opts(this.progFd, this.optsBytes), `run the XDP sender towards ${this.ifname ?? 'nowhere'}`, errno, () => LIVE_FRAMES_HINT);
  }

  load(frames: FrameSequence): void {
    this.cursor.reset(frames, 'test-run');
    if (frames.count > this.capacity) throw new XcapError(`frame sender: ${frames.count} frames do not fit the ${this.capacity} the sender was opened for`);
    const input = new Uint8Array(koffi.view(this.input, XMIT_MAX_FRAME));
    const cursor = new Uint8Array(XMIT_CURSOR_SIZE);
    let longest = 0;
    if (frames.count === 1) {
      longest = frames.lengths[0];
      input.set(frames.bytes.subarray(frames.offsets[0], frames.offsets[0] + longest));
    } else {
      const value = new Uint8Array(XMIT_FRAME_SIZE);
      const valueView = new DataView(value.buffer);
      const key = new Uint32Array(1);
      for (let i = 0; i < frames.count; i++) {
        const length = frames.lengths[i];
        valueView.setUint32(0, length, true);
        value.set(frames.bytes.subarray(frames.offsets[i], frames.offsets[i] + length), 4);
        key[0] = i;
        check(bpf_map_update_elem(this.framesFd, key, value, 0), 'store a frame in the sender\'s map', errno);
        longest = Math.max(longest, length);
      }
      new DataView(cursor.buffer).setUint32(4, frames.count, true);
    }
    check(bpf_map_update_elem(this.cursorFd, new Uint32Array(1), cursor, 0), 'reset the sender\'s cursor', errno);
    this.opts.setUint32(24, longest, true); // data_size_in
    this.loaded = true;
  }

  send(count: number, deadline: bigint): number {
    if (!this.loaded) throw new Error('frame sender: nothing loaded');
    // A call cannot be interrupted, so bursts are sized from the rate the last call reached to take about CALL_SECONDS each.
    const start = (this.start ??= process.hrtime.bigint());
    let done = 0;
    for (let now = process.hrtime.bigint(); done < count && now < deadline; now = process.hrtime.bigint()) {
      if (!waitForTurn(this.rate, this.ran, start, deadline)) break;
      const left = Number(deadline - process.hrtime.bigint()) / 1e9;
      const n = Math.min(count - done, Math.max(MIN_BURST, Math.min(this.paced, Math.round(this.reached * Math.min(CALL_SECONDS, left)))));
      const t0 = process.hrtime.bigint();
      this.run(n);
      this.reached = n / Math.max(1e-6, secondsSince(t0));
      done += n;
      this.ran += n;
      this.bytes += this.cursor.advance(n);
      this.calls++;
    }
    return done;
  }

  outcome(): SendOutcome {
    const before = this.countersBefore;
    const after = xdpXmitCounters(this.ifname);
    let refused: number | null = null;
    if (before.xmit !== null && after.xmit !== null) refused = Math.max(0, this.ran - (after.xmit - before.xmit));
    else if (before.errors !== null && after.errors !== null) refused = after.errors - before.errors;
    return { sent: this.ran - (refused ?? 0), bytes: this.bytes, seconds: this.start === null ? 0 : secondsSince(this.start), retries: 0, calls: this.calls, refused };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.object.close();
    koffi.free(this.input);
  }
}

/**
 * Why the test-run method cannot work on this kernel, or undefined when it
 * can: one live-frame run of the sender with nowhere to send (the frame is
 * dropped, no interface sees it).
 */
export function liveFramesRefusal(): string | undefined {
  let sender: TestRunSender | undefined;
  let loaded = false;
  try {
    sender = new TestRunSender(null, 'max', 1);
    sender.load(singleFrame(new Uint8Array(XMIT_MIN_FRAME)));
    loaded = true;
    sender.run(1);
    return undefined;
  } catch (err) {
    if (loaded && err instanceof KernelError) return `this kernel refuses BPF_PROG_TEST_RUN with live frames (${errnoName(err.errno)})`;
    return `the test-run sender cannot be loaded: ${(err as Error).message}`;
  } finally {
    sender?.close();
  }
}
