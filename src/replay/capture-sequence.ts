/**
 * Turns a batch of a capture file (the reader's frame index over its arena)
 * into a sequence the frame sender takes, without copying a byte: the
 * sequence points into the arena.  Frames the interface cannot carry are
 * left out and counted; a trailing FCS is not sent (the interface adds its own).
 */
import type { FrameIndex } from '../pcap/frame-index.js';
import type { FrameSequence } from '../kernel/frame-sender.js';
import type { InterfaceInfo } from '../pcap/reader.js';
import { XcapError } from '../errors.js';

const LINKTYPE_ETHERNET = 1;
const ETHERNET_HEADER = 14;
const VLAN_TAG = 4;
const TPID_8021Q = 0x8100;
const TPID_8021AD = 0x88a8;

const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL', 9: 'PPP', 101: 'RAW', 105: 'IEEE802_11', 108: 'LOOP', 113: 'LINUX_SLL', 127: 'IEEE802_11_RADIOTAP', 228: 'IPV4', 229: 'IPV6', 276: 'LINUX_SLL2',
};

function linktypeName(linktype: number): string {
  if (linktype >= 147 && linktype <= 162) return `USER${linktype - 147}`;
  return LINKTYPE_NAMES[linktype] ?? 'unknown';
}

/** Refuses a file any of whose interfaces is not Ethernet, naming the link type. */
export function requireEthernet(file: string, interfaces: readonly InterfaceInfo[]): void {
  for (const f of interfaces) {
    if (f.linktype !== LINKTYPE_ETHERNET) {
      throw new XcapError(`${file}: link type ${f.linktype} (${linktypeName(f.linktype)}) is not Ethernet; replay sends Ethernet frames only`);
    }
  }
}

export interface SkipCounts {
  /** Shorter than an Ethernet header. */
  short: number;
  /** Longer than the interface (or the method) can send. */
  long: number;
}

export class CaptureSequencer {
  readonly sequence: FrameSequence;

  /**
   * @param arena       the reader's arena (the sequence's bytes)
   * @param arenaBase   the address of arena[0] in the index's dataPtr space
   * @param maxLength   the longest untagged frame the interface takes (MTU + 14), capped by the method
   * @param methodMax   the longest frame the sending method takes, tagged or not
   */
  constructor(arena: Uint8Array, private readonly arenaBase: number, capacity: number,
    private readonly maxLength: number, private readonly methodMax: number) {
    this.sequence = { bytes: arena, offsets: new Uint32Array(capacity), lengths: new Uint32Array(capacity), count: 0 };
  }

  /** Fills the sequence with the sendable frames among the batch's first n; adds the others to `skipped`. */
  fill(index: FrameIndex, n: number, skipped: SkipCounts): FrameSequence {
    const s = this.sequence;
    const bytes = s.bytes;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const at = index.dataPtr(i) - this.arenaBase;
      const caplen = index.caplen(i);
      const fcs = index.fcsLen(i);
      // The FCS is there only if the frame was captured whole.
      const length = fcs > 0 && caplen === index.origlen(i) && caplen >= ETHERNET_HEADER + fcs ? caplen - fcs : caplen;
      if (length < ETHERNET_HEADER) {
        skipped.short++;
        continue;
      }
      const tpid = (bytes[at + 12] << 8) | bytes[at + 13];
      const tagged = tpid === TPID_8021Q || tpid === TPID_8021AD;
      if (length > Math.min(this.methodMax, this.maxLength + (tagged ? VLAN_TAG : 0))) {
        skipped.long++;
        continue;
      }
      s.offsets[count] = at;
      s.lengths[count] = length;
      count++;
    }
    s.count = count;
    return s;
  }
}
