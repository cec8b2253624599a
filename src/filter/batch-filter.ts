/**
 * Applies a filter expression to batches of frames in place: the frames
 * that match move to the front of the frame index, in order, so everything
 * after (dissectors, pcapng writer) sees a batch of matching frames only.
 * The expression is compiled for each link type met (as libpcap compiles
 * it for one), once.
 */
import type { FrameIndex } from '../pcap/frame-index.js';
import { compileMatcher, type FrameMatcher } from './cbpf-match.js';
import { compileFilter } from './pcap-compile.js';
import { DEFAULT_SNAPLEN } from './expression.js';

export class BatchFilter {
  private readonly byLinktype = new Map<number, FrameMatcher>();
  /** kept[i]: where frame i of the filtered batch was in the batch as read. */
  readonly kept: Int32Array;

  /** @param file the capture file, when libpcap may open it to compile on (not stdin) */
  constructor(readonly expression: string, capacity: number, private readonly file?: string, private readonly snaplen = DEFAULT_SNAPLEN) {
    this.kept = new Int32Array(capacity);
  }

  /** Compiles for a link type now (tcpdump compiles before reading: a refused expression fails even on an empty file). */
  prepare(linktype: number): void {
    this.matcher(linktype);
  }

  private matcher(linktype: number): FrameMatcher {
    let m = this.byLinktype.get(linktype);
    if (!m) {
      m = compileMatcher(compileFilter(this.expression, { linktype, snaplen: this.snaplen, file: this.file }).program);
      this.byLinktype.set(linktype, m);
    }
    return m;
  }

  /**
   * Keeps the matching frames of entries [0, n) at the front of the index;
   * returns how many match.  libpcap cuts a record longer than its
   * interface's snapshot length to that length before filtering, so the
   * filter sees at most snaplenOf(interface) bytes (0: no limit).
   */
  apply(index: FrameIndex, mem: Uint8Array, n: number, snaplenOf: (ifaceId: number) => number = () => 0): number {
    let linktype = -1;
    let match: FrameMatcher | undefined;
    return index.keepWhere(n, (i) => {
      const lt = index.linktype(i);
      if (lt !== linktype || !match) {
        linktype = lt;
        match = this.matcher(lt);
      }
      const snaplen = snaplenOf(index.ifaceId(i));
      const caplen = snaplen > 0 ? Math.min(index.caplen(i), snaplen) : index.caplen(i);
      return match(mem, index.dataPtr(i), caplen, index.origlen(i)) !== 0;
    }, this.kept);
  }
}
