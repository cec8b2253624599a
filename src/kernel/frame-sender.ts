/**
 * Sending one Ethernet frame many times out of an interface, for the lab's
 * traffic generator (src/lab/generator.ts runs this inside the sending
 * namespace, in a process of its own).  Two ways, both synchronous loops
 * bounded by a frame count and a deadline:
 *
 * - af-packet: an AF_PACKET socket with PACKET_QDISC_BYPASS and sendmmsg in
 *   batches of the same frame; smooth, a few hundred thousand frames/s.
 * - test-run: bpf/xmit.bpf.o run by BPF_PROG_TEST_RUN with live frames, its
 *   XDP program redirecting every frame to the interface; faster, but each
 *   call sends a whole burst.
 */
import koffi from 'koffi';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpfObject } from './bpf-object.js';
import { KernelError, check } from './errors.js';
import { close, errno, ifNameToIndex } from './libc.js';
import { XcapError } from '../errors.js';

const libc = koffi.load('libc.so.6');
const libbpf = koffi.load('libbpf.so.1');
const socketFn = libc.func('int socket(int domain, int type, int protocol)');
const setsockoptFn = libc.func('int setsockopt(int fd, int level, int name, void *value, uint32_t len)');
const sendmmsgFn = libc.func('int sendmmsg(int fd, void *msgvec, unsigned int vlen, int flags)');
const testRunFn = libbpf.func('int bpf_prog_test_run_opts(int prog_fd, void *opts)');

const AF_PACKET = 17;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0o2000000;
const SOL_PACKET = 263;
const PACKET_QDISC_BYPASS = 20;
const MSG_DONTWAIT = 0x40;
const EAGAIN = 11;
const ENOBUFS = 105;
const EINTR = 4;
const BPF_F_TEST_XDP_LIVE_FRAMES = 1 << 1;

/** x86-64 / aarch64 layouts (LP64). */
const SOCKADDR_LL_SIZE = 20;
const IOVEC_SIZE = 16;
const MMSGHDR_SIZE = 64;
const TEST_RUN_OPTS_SIZE = 80;
const MAX_BATCH = 256;

export type SendMethod = 'af-packet' | 'test-run';

export interface SendPlan {
  ifname: string;
  frame: Uint8Array;
  count: number;
  maxSeconds: number;
  /** Frames per second, or 'max'. */
  rate: number | 'max';
}

export interface SendOutcome {
  /** Frames the kernel took: accepted by sendmmsg, or run through the XDP program. */
  sent: number;
  seconds: number;
  /** Frames af-packet had to retry because the interface's queue was full (it retries until the deadline). */
  retries: number;
  /** test-run calls made (each one a burst). */
  calls: number;
  /**
   * test-run only: frames the XDP program redirected but the interface
   * refused (its peer's queue was full), from ethtool's xdp_xmit_errors;
   * already taken out of `sent`.  null when ethtool could not tell.
   */
  refused: number | null;
}

const waitCell = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps without spinning; the timeout is honoured to well under a millisecond. */
function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(waitCell, 0, 0, ms);
}

/** Paces `sent` to `rate`: waits until the next frame is due (nothing for 'max'). */
function pace(rate: number | 'max', sent: number, start: bigint): void {
  if (rate === 'max') return;
  const aheadMs = sent / rate * 1000 - Number(process.hrtime.bigint() - start) / 1e6;
  sleepMs(aheadMs);
}

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function ifindexOf(ifname: string): number {
  const ifindex = ifNameToIndex(ifname);
  if (ifindex === 0) throw new XcapError(`generator: no interface ${ifname} in this network namespace`);
  return ifindex;
}

/** One native block holding the frame, its destination, the iovec and a batch of mmsghdrs all pointing at them. */
function messageBatch(frame: Uint8Array, ifindex: number): { block: bigint; messages: bigint } {
  const frameAt = 0;
  const addrAt = (frame.length + 15) & ~15;
  const iovAt = addrAt + 32;
  const msgsAt = iovAt + IOVEC_SIZE;
  const size = msgsAt + MAX_BATCH * MMSGHDR_SIZE;
  const block = koffi.alloc('uint8_t', size) as bigint;
  const base = koffi.address(block);
  const view = new DataView(koffi.view(block, size));
  new Uint8Array(view.buffer).fill(0).set(frame, frameAt);
  // struct sockaddr_ll: the ethertype (network order, as in the frame) becomes skb->protocol.
  view.setUint16(addrAt, AF_PACKET, true);
  view.setUint8(addrAt + 2, frame[12]);
  view.setUint8(addrAt + 3, frame[13]);
  view.setInt32(addrAt + 4, ifindex, true);
  view.setUint8(addrAt + 11, 6);
  for (let i = 0; i < 6; i++) view.setUint8(addrAt + 12 + i, frame[i]);
  view.setBigUint64(iovAt, base + BigInt(frameAt), true);
  view.setBigUint64(iovAt + 8, BigInt(frame.length), true);
  for (let i = 0; i < MAX_BATCH; i++) {
    const m = msgsAt + i * MMSGHDR_SIZE;
    view.setBigUint64(m, base + BigInt(addrAt), true); // msg_name
    view.setUint32(m + 8, SOCKADDR_LL_SIZE, true); // msg_namelen
    view.setBigUint64(m + 16, base + BigInt(iovAt), true); // msg_iov
    view.setBigUint64(m + 24, 1n, true); // msg_iovlen
  }
  return { block, messages: base + BigInt(msgsAt) };
}

export function sendWithAfPacket(plan: SendPlan): SendOutcome {
  const ifindex = ifindexOf(plan.ifname);
  // Protocol 0: the socket sends only and never receives a copy of anything.
  const fd = check(socketFn(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0), 'open an AF_PACKET socket', errno);
  const { block, messages } = messageBatch(plan.frame, ifindex);
  try {
    check(setsockoptFn(fd, SOL_PACKET, PACKET_QDISC_BYPASS, new Int32Array([1]), 4), 'set PACKET_QDISC_BYPASS', errno);
    // About half a millisecond of frames per call when paced, so the rate stays smooth.
    const batch = plan.rate === 'max' ? MAX_BATCH : Math.max(1, Math.min(MAX_BATCH, Math.round(plan.rate / 2000)));
    const start = process.hrtime.bigint();
    let sent = 0;
    let retries = 0;
    while (sent < plan.count && elapsed(start) < plan.maxSeconds) {
      pace(plan.rate, sent, start);
      const n = sendmmsgFn(fd, messages, Math.min(batch, plan.count - sent), MSG_DONTWAIT) as number;
      if (n > 0) {
        sent += n;
        continue;
      }
      const e = errno();
      if (e !== EAGAIN && e !== ENOBUFS && e !== EINTR) throw new KernelError(`send frames on ${plan.ifname}`, e);
      // The receiving side is full: give it a moment rather than spin against it.
      retries++;
      sleepMs(0.05);
    }
    return { sent, seconds: elapsed(start), retries, calls: 0, refused: 0 };
  } finally {
    close(fd);
    koffi.free(block);
  }
}

export function xmitObjectPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++, dir = dirname(dir)) {
    const candidate = join(dir, 'bpf', 'xmit.bpf.o');
    if (existsSync(candidate)) return candidate;
  }
  throw new XcapError('bpf/xmit.bpf.o is missing (build it with scripts/build-bpf.sh)');
}

/** Redirected frames the interface could not pass on, summed over its queues; null without ethtool. */
function xdpXmitErrors(ifname: string): number | null {
  const r = spawnSync('ethtool', ['-S', ifname], { encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0) return null;
  let total = 0;
  for (const m of r.stdout.matchAll(/xdp_xmit_errors:\s*(\d+)/g)) total += Number(m[1]);
  return total;
}

/** Frames per BPF_PROG_TEST_RUN call at full speed: enough to hide the fixed cost of a call. */
const MAX_BURST = 65536;
const MIN_BURST = 64;
const FIRST_BURST = 16384;
/** The longest a call should take, so the deadline is kept to about this much. */
const CALL_SECONDS = 0.2;

export function sendWithTestRun(plan: SendPlan): SendOutcome {
  const ifindex = ifindexOf(plan.ifname);
  const object = BpfObject.open(xmitObjectPath());
  const frame = koffi.alloc('uint8_t', plan.frame.length) as bigint;
  try {
    const rodata = new Uint8Array(4);
    new DataView(rodata.buffer).setUint32(0, ifindex, true);
    object.setRodata(rodata);
    object.load();
    const progFd = object.program('xcap_xmit').fd;
    new Uint8Array(koffi.view(frame, plan.frame.length)).set(plan.frame);
    const optsBytes = new Uint8Array(TEST_RUN_OPTS_SIZE);
    const opts = new DataView(optsBytes.buffer);
    opts.setBigUint64(0, BigInt(TEST_RUN_OPTS_SIZE), true); // sz
    opts.setBigUint64(8, koffi.address(frame), true); // data_in
    opts.setUint32(24, plan.frame.length, true); // data_size_in
    opts.setUint32(68, BPF_F_TEST_XDP_LIVE_FRAMES, true); // flags
    opts.setUint32(76, MAX_BATCH, true); // batch_size: frames per redirect flush
    // A call cannot be interrupted, so bursts are sized from the rate the last call reached to take about CALL_SECONDS each.
    const paced = plan.rate === 'max' ? MAX_BURST : Math.max(MIN_BURST, Math.min(MAX_BURST, Math.round(plan.rate / 20)));
    let reached = FIRST_BURST / CALL_SECONDS; // until a call has been timed
    const errorsBefore = xdpXmitErrors(plan.ifname);
    const start = process.hrtime.bigint();
    let ran = 0;
    let calls = 0;
    while (ran < plan.count && elapsed(start) < plan.maxSeconds) {
      pace(plan.rate, ran, start);
      const left = plan.maxSeconds - elapsed(start);
      const n = Math.max(MIN_BURST, Math.min(paced, plan.count - ran, Math.round(reached * Math.min(CALL_SECONDS, left))));
      opts.setInt32(60, Math.min(n, plan.count - ran), true); // repeat
      const t0 = process.hrtime.bigint();
      check(testRunFn(progFd, optsBytes), `run the XDP sender towards ${plan.ifname}`, errno, () => 'BPF_PROG_TEST_RUN with live frames needs Linux 5.18+');
      reached = Math.min(n, plan.count - ran) / Math.max(1e-6, elapsed(t0));
      ran += Math.min(n, plan.count - ran);
      calls++;
    }
    const seconds = elapsed(start);
    const errorsAfter = xdpXmitErrors(plan.ifname);
    const refused = errorsBefore === null || errorsAfter === null ? null : errorsAfter - errorsBefore;
    return { sent: ran - (refused ?? 0), seconds, retries: 0, calls, refused };
  } finally {
    object.close();
    koffi.free(frame);
  }
}
