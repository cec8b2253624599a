/**
 * -z conv,TYPE: one row per conversation (an address pair, with ports and
 * stream for TCP and UDP), as tshark's conversation table counts and prints
 * them: "->" is the direction of the conversation's first frame.
 */
import { tapFields, tapsOf, TYPE_TITLES, type AddressType } from './address-taps.js';
import { fixed, formatSize } from './format.js';
import { relativeSeconds, type FrameRecord, type Statistic, type StatPass } from './statistic.js';
import { byFramesDescending, hasPorts, RULE, withPort } from './table-layout.js';

interface Conversation {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
  start: number;
  stop: number;
}

export class Conversations implements Statistic {
  private readonly rows: Conversation[] = [];
  private readonly byKey = new Map<string, Conversation>();

  constructor(private readonly type: AddressType, private readonly filter?: string) {}

  passes(): StatPass[] {
    return [{ filter: this.filter, fields: ['frame.len', 'frame.time_relative', ...tapFields(this.type)], add: (f) => this.add(f) }];
  }

  private add(frame: FrameRecord): void {
    const length = Number(frame.values('frame.len')[0] ?? 0);
    const time = relativeSeconds(frame.values('frame.time_relative')[0] ?? '0');
    for (const tap of tapsOf(this.type, frame)) {
      const forward = `${tap.src}\0${tap.srcPort}\0${tap.dst}\0${tap.dstPort}\0${tap.stream}`;
      let row = this.byKey.get(forward);
      let isForward = row !== undefined;
      row ??= this.byKey.get(`${tap.dst}\0${tap.dstPort}\0${tap.src}\0${tap.srcPort}\0${tap.stream}`);
      if (!row) {
        row = { src: tap.src, dst: tap.dst, srcPort: tap.srcPort, dstPort: tap.dstPort, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, start: time, stop: time };
        this.rows.push(row);
        this.byKey.set(forward, row);
        isForward = true;
      }
      if (isForward) {
        row.txFrames++;
        row.txBytes += length;
      } else {
        row.rxFrames++;
        row.rxBytes += length;
      }
      if (time > row.stop) row.stop = time;
      else if (time < row.start) row.start = time;
    }
  }

  render(): string {
    const ports = hasPorts(this.type);
    const pad = ports ? ' '.repeat(12) : '';
    const width = ports ? 26 : 20;
    const lines = [
      RULE,
      `${TYPE_TITLES[this.type]} Conversations`,
      `Filter:${this.filter ?? '<No Filter>'}`,
      `${pad}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |`,
      `${pad}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |`,
    ];
    for (const c of byFramesDescending(this.rows, (c) => c.txFrames + c.rxFrames)) {
      const a = ports ? withPort(c.src, c.srcPort) : c.src;
      const b = ports ? withPort(c.dst, c.dstPort) : c.dst;
      const counts = [[c.rxFrames, c.rxBytes], [c.txFrames, c.txBytes], [c.rxFrames + c.txFrames, c.rxBytes + c.txBytes]]
        .map(([frames, bytes]) => `${String(frames).padStart(6)} ${formatSize(bytes).padEnd(9)}`).join('  ');
      lines.push(`${a.padEnd(width)} <-> ${b.padEnd(width)}  ${counts}  ${fixed(c.start, 9).padStart(14)}   ${fixed(c.stop - c.start, 4).padStart(12)}`);
    }
    lines.push(RULE);
    return lines.join('\n') + '\n';
  }
}
