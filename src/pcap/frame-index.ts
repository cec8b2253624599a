/**
 * The frame index: one fixed-size entry per frame of a batch, describing
 * where its bytes are and what the capture said about it.  Readers and live
 * capture write it, the Wasm dissectors (dissectors/batch.ts mirrors this
 * layout), the pcapng writer and the printers read it.  No JS object is made
 * per frame: everything goes through a DataView over the index region.
 *
 *   off size field
 *     0   4  dataPtr    address of the first captured byte (in the arena's address space)
 *     4   4  caplen     bytes captured
 *     8   4  origlen    bytes on the wire
 *    12   2  linktype   LINKTYPE_* value, FCS bits already masked off
 *    14   2  ifaceId    index into the reader's interface list
 *    16   8  tsSec      float64 holding an integral number of seconds since the epoch
 *    24   4  tsNsec     nanoseconds, 0..999_999_999
 *    28   1  tsDigits   decimal digits the source resolution warrants (6 for microseconds, 9 for ns ...);
 *                       0 when the record carries no timestamp (a pcapng simple packet block)
 *    29   1  fcsLen     bytes of frame check sequence at the end of the frame (0: none or unknown)
 *    30   2  flags      low 16 bits of pcapng epb_flags (bits 0-1 direction: 1 inbound, 2 outbound)
 */
export const FRAME_ENTRY_SIZE = 32;

export const enum FrameField {
  DataPtr = 0,
  Caplen = 4,
  Origlen = 8,
  Linktype = 12,
  IfaceId = 14,
  TsSec = 16,
  TsNsec = 24,
  TsDigits = 28,
  FcsLen = 29,
  Flags = 30,
}

export const enum Direction {
  Unknown = 0,
  Inbound = 1,
  Outbound = 2,
}

export interface FrameMeta {
  dataPtr: number;
  caplen: number;
  origlen: number;
  linktype: number;
  ifaceId: number;
  tsSec: number;
  tsNsec: number;
  tsDigits: number;
  flags: number;
  fcsLen?: number;
}

/** Little-endian accessors over an index region; `base` is the byte offset of entry 0 in `view`. */
export class FrameIndex {
  private readonly bytes: Uint8Array;

  constructor(
    readonly view: DataView,
    readonly base: number,
    readonly capacity: number,
  ) {
    this.bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }

  private at(i: number): number {
    return this.base + i * FRAME_ENTRY_SIZE;
  }

  set(i: number, m: FrameMeta): void {
    const p = this.at(i);
    const v = this.view;
    v.setUint32(p + FrameField.DataPtr, m.dataPtr, true);
    v.setUint32(p + FrameField.Caplen, m.caplen, true);
    v.setUint32(p + FrameField.Origlen, m.origlen, true);
    v.setUint16(p + FrameField.Linktype, m.linktype, true);
    v.setUint16(p + FrameField.IfaceId, m.ifaceId, true);
    v.setFloat64(p + FrameField.TsSec, m.tsSec, true);
    v.setUint32(p + FrameField.TsNsec, m.tsNsec, true);
    v.setUint8(p + FrameField.TsDigits, m.tsDigits);
    v.setUint8(p + FrameField.FcsLen, m.fcsLen ?? 0);
    v.setUint16(p + FrameField.Flags, m.flags, true);
  }

  /**
   * Moves the entries of [0, n) that `keep` accepts to the front, in order
   * (each is judged before anything moves over it); kept[k] says where the
   * k-th was.  Returns how many were kept.
   */
  keepWhere(n: number, keep: (i: number) => boolean, kept: Int32Array): number {
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (!keep(i)) continue;
      if (m !== i) this.bytes.copyWithin(this.at(m), this.at(i), this.at(i) + FRAME_ENTRY_SIZE);
      kept[m++] = i;
    }
    return m;
  }

  dataPtr(i: number): number { return this.view.getUint32(this.at(i) + FrameField.DataPtr, true); }
  caplen(i: number): number { return this.view.getUint32(this.at(i) + FrameField.Caplen, true); }
  origlen(i: number): number { return this.view.getUint32(this.at(i) + FrameField.Origlen, true); }
  linktype(i: number): number { return this.view.getUint16(this.at(i) + FrameField.Linktype, true); }
  ifaceId(i: number): number { return this.view.getUint16(this.at(i) + FrameField.IfaceId, true); }
  tsSec(i: number): number { return this.view.getFloat64(this.at(i) + FrameField.TsSec, true); }
  tsNsec(i: number): number { return this.view.getUint32(this.at(i) + FrameField.TsNsec, true); }
  tsDigits(i: number): number { return this.view.getUint8(this.at(i) + FrameField.TsDigits); }
  fcsLen(i: number): number { return this.view.getUint8(this.at(i) + FrameField.FcsLen); }
  flags(i: number): number { return this.view.getUint16(this.at(i) + FrameField.Flags, true); }
}
