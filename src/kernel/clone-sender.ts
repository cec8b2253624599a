// The tc-clone frame sender (see frame-sender.ts for the three methods).
import { BpfObject } from './bpf-object.js';
import { bpfObjectPath } from './capture-layout.js';
import { attachTcx, type Link } from './links.js';
import { check } from './errors.js';
import { bpf_map_lookup_elem, bpf_map_update_elem } from './libbpf.js';
import { errno } from './libc.js';
import { XcapError } from '../errors.js';
import { AfPacketSender, ifindexOf, type FrameSender, type FrameSequence, type SendOutcome } from './frame-sender.js';

/** bpf/clone.h: the marks that tell the sender's frames and their clones apart, and struct clone_counters' size. */
const CLONE_SEND_MARK = 0x78636170;
const CLONE_COUNTERS_SIZE = 16;
/** Copies per frame: a syscall's share spread over 64 frames, well inside a veth's backlog of 1000. */
export const CLONE_COPIES = 64;

/**
 * af-packet through the qdisc layer, its socket marking its frames
 * (SO_MARK), with bpf/clone.bpf.o at TC egress of the interface sending each
 * marked frame 64 times: 63 clones, then the frame itself redirected there,
 * so that a full peer never fails the send (af-packet would retry the frame
 * and send its clones again).  For floods faster than a system call per
 * frame allows, on kernels that refuse live frames.  The host's other
 * traffic on the interface passes untouched.  It sends one frame over and
 * over (a sequence would come out 64 times in a row); `sent` counts the
 * frames sent and the clones the interface took, `refused` the clones its
 * full peer did not.
 */
export class CloneSender implements FrameSender {
  private readonly object: BpfObject;
  private readonly copiesFd: number;
  private readonly countersFd: number;
  private link: Link | null = null;
  private frames: AfPacketSender | null = null;
  private frameLength = 0;
  private closed = false;

  constructor(ifname: string, rate: number | 'max') {
    const ifindex = ifindexOf(ifname);
    this.object = BpfObject.open(bpfObjectPath('clone.bpf.o'));
    try {
      this.object.load();
      this.copiesFd = this.object.mapFd('copies');
      this.countersFd = this.object.mapFd('counters');
      this.setCopies(CLONE_COPIES);
      this.link = attachTcx(this.object.program('xcap_clone'), ifname, ifindex, 'tcx-egress');
      this.frames = new AfPacketSender(ifname, rate === 'max' ? 'max' : rate / CLONE_COPIES, CLONE_SEND_MARK);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  load(frames: FrameSequence): void {
    if (frames.count !== 1) throw new XcapError(`frame sender: tc-clone sends one frame over and over, not a sequence of ${frames.count}`);
    this.sender().load(frames);
    this.frameLength = frames.lengths[0];
  }

  send(count: number, deadline: bigint): number {
    const sender = this.sender();
    const whole = Math.floor(count / CLONE_COPIES);
    let done = sender.send(whole, deadline) * CLONE_COPIES;
    const rest = count - whole * CLONE_COPIES;
    if (done === whole * CLONE_COPIES && rest > 0) {
      this.setCopies(rest);
      done += sender.send(1, deadline) * rest;
      this.setCopies(CLONE_COPIES);
    }
    return done;
  }

  outcome(): SendOutcome {
    const frames = this.sender().outcome();
    const counters = new BigUint64Array(CLONE_COUNTERS_SIZE / 8);
    check(bpf_map_lookup_elem(this.countersFd, new Uint32Array(1), counters), 'read the clone program\'s counters', errno);
    const sent = frames.sent + Number(counters[0]);
    return { ...frames, sent, bytes: sent * this.frameLength, refused: Number(counters[1]) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.link?.detach();
    this.frames?.close();
    this.object.close();
  }

  private sender(): AfPacketSender {
    if (this.frames === null) throw new Error('frame sender: closed');
    return this.frames;
  }

  private setCopies(copies: number): void {
    check(bpf_map_update_elem(this.copiesFd, new Uint32Array(1), new Uint32Array([copies]), 0), 'set the clone program\'s copies', errno);
  }
}
