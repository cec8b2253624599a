/**
 * -z endpoints,TYPE: one row per address (with its port for TCP and UDP),
 * what it sent (as source) and received (as destination), as tshark's
 * endpoint table counts and prints them.
 */
import { tapFields, tapsOf, TYPE_TITLES, type AddressType } from './address-taps.js';
import type { FrameRecord, Statistic, StatPass } from './statistic.js';
import { byFramesDescending, hasPorts, RULE } from './table-layout.js';

interface Endpoint {
  address: string;
  port: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

export class Endpoints implements Statistic {
  private readonly rows: Endpoint[] = [];
  private readonly byKey = new Map<string, Endpoint>();

  constructor(private readonly type: AddressType, private readonly filter?: string) {}

  passes(): StatPass[] {
    return [{ filter: this.filter, fields: ['frame.len', ...tapFields(this.type)], add: (f) => this.add(f) }];
  }

  private add(frame: FrameRecord): void {
    const length = Number(frame.values('frame.len')[0] ?? 0);
    for (const tap of tapsOf(this.type, frame)) {
      const sender = this.endpoint(tap.src, tap.srcPort);
      sender.txFrames++;
      sender.txBytes += length;
      const receiver = this.endpoint(tap.dst, tap.dstPort);
      receiver.rxFrames++;
      receiver.rxBytes += length;
    }
  }

  private endpoint(address: string, port: number): Endpoint {
    const key = `${address}\0${port}`;
    let e = this.byKey.get(key);
    if (!e) {
      e = { address, port, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 };
      this.rows.push(e);
      this.byKey.set(key, e);
    }
    return e;
  }

  render(): string {
    const ports = hasPorts(this.type);
    const lines = [
      RULE,
      `${TYPE_TITLES[this.type]} Endpoints`,
      `Filter:${this.filter ?? '<No Filter>'}`,
      `                       |  ${ports ? 'Port  ||  ' : ''}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |`,
    ];
    for (const e of byFramesDescending(this.rows, (e) => e.txFrames + e.rxFrames)) {
      const port = ports ? `      ${String(e.port).padStart(5)}     ` : '      ';
      lines.push(`${e.address.padEnd(20)}${port}${String(e.txFrames + e.rxFrames).padStart(6)}     ${String(e.txBytes + e.rxBytes).padStart(9)}`
        + `     ${String(e.txFrames).padStart(6)}       ${String(e.txBytes).padStart(9)}      ${String(e.rxFrames).padStart(6)}       ${String(e.rxBytes).padStart(9)}   `);
    }
    lines.push(RULE);
    return lines.join('\n') + '\n';
  }
}
