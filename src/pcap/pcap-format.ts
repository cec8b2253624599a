/**
 * Classic pcap files, and the scan window both formats index from.
 *
 * Each format's indexer (indexPcapRecords here, PcapngScanner.indexRecords)
 * walks the complete records lying in arena[pos, end), writes one frame
 * index entry per packet and moves `pos` past each record it has used.  It
 * stops, leaving `pos` on the first byte of a record, when that record is
 * not all in the arena yet (the reader reads more and calls it again), when
 * the index is full, or when a record contradicts itself (`damage` says how;
 * the reader warns and reads no further).
 */
import { FRAME_ENTRY_SIZE, FrameField, type FrameIndex } from './frame-index.js';

/** No record is ever accepted beyond this, however large the arena. */
export const MAX_RECORD = 256 << 20;

export class ArenaScan {
  /** Over the arena: record headers are read through it. */
  readonly view: DataView;
  /** Arena offset of the first byte not yet used. */
  pos = 0;
  /** Arena offset just past the last byte read from the file. */
  end = 0;
  /** The next free frame index entry of the current batch. */
  slot = 0;
  damage: string | undefined;
  /** Bytes of a record too large for the arena, still to be passed over as they are read. */
  skipping = 0;

  constructor(
    readonly arena: Uint8Array,
    readonly arenaBase: number,
    readonly index: FrameIndex,
    /** The largest record (header included) that can ever lie whole in the arena. */
    readonly maxRecord: number,
  ) {
    this.view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
  }

  /** Passes over what has been read of a record being skipped; true once it is all behind. */
  skipRead(): boolean {
    const n = Math.min(this.skipping, this.end - this.pos);
    this.pos += n;
    this.skipping -= n;
    return this.skipping === 0;
  }

  get indexFull(): boolean {
    return this.slot >= this.index.capacity;
  }

  /** Writes the entry for a packet whose bytes start at arena offset `dataAt`. */
  emit(dataAt: number, caplen: number, origlen: number, linktype: number, ifaceId: number,
    sec: number, nsec: number, tsDigits: number, fcsLen: number, flags: number): void {
    const v = this.index.view;
    const p = this.index.base + this.slot * FRAME_ENTRY_SIZE;
    v.setUint32(p + FrameField.DataPtr, this.arenaBase + dataAt, true);
    v.setUint32(p + FrameField.Caplen, caplen, true);
    v.setUint32(p + FrameField.Origlen, origlen, true);
    v.setUint16(p + FrameField.Linktype, linktype, true);
    v.setUint16(p + FrameField.IfaceId, ifaceId, true);
    v.setFloat64(p + FrameField.TsSec, sec, true);
    v.setUint32(p + FrameField.TsNsec, nsec, true);
    v.setUint8(p + FrameField.TsDigits, tsDigits);
    v.setUint8(p + FrameField.FcsLen, fcsLen);
    v.setUint16(p + FrameField.Flags, flags, true);
    this.slot++;
  }

  /** Rejects a packet longer than its link type allows or than the arena can hold; true when it is acceptable. */
  checkCaplen(caplen: number, linktype: number, recordBytes: number): boolean {
    const max = maxCaplenForLinktype(linktype);
    if (caplen > max) {
      this.damage = `a ${caplen}-byte packet, bigger than the maximum of ${max} for link type ${linktype}`;
    } else if (recordBytes > this.maxRecord) {
      this.damage = `a ${recordBytes}-byte record, larger than the ${this.maxRecord} bytes the reader can hold`;
    }
    return this.damage === undefined;
  }
}

const STANDARD_MAX_CAPLEN = 262_144;
const USB_DBUS_MAX_CAPLEN = 128 * 1024 * 1024;
const EBHSCR_MAX_CAPLEN = 8 * 1024 * 1024;

/** The per-link-type packet size limits wiretap applies (tshark calls a larger packet a damaged file). */
export function maxCaplenForLinktype(linktype: number): number {
  switch (linktype) {
    case 186: // USB (FreeBSD)
    case 189: // USB_LINUX
    case 220: // USB_LINUX_MMAPPED
    case 231: // DBUS
    case 249: // USBPCAP
    case 266: // USB_DARWIN
      return USB_DBUS_MAX_CAPLEN;
    case 279: // EBHSCR
      return EBHSCR_MAX_CAPLEN;
    default:
      return STANDARD_MAX_CAPLEN;
  }
}

export const PCAP_HEADER_SIZE = 24;
const PCAP_RECORD_HEADER_SIZE = 16;
/** Kuznetzov's patched libpcap adds ifindex (4), protocol (2), pkt_type (1) and a pad byte. */
const MODIFIED_RECORD_HEADER_SIZE = 24;
const LINKTYPE_MASK = 0xffff;
const FCS_PRESENT_BIT = 0x0400_0000;

interface PcapMagic { littleEndian: boolean; nanosecond: boolean; modified: boolean }

/** The pcap variants, keyed by the first four bytes read as a little-endian number. */
const PCAP_MAGICS = new Map<number, PcapMagic>([
  [0xa1b2c3d4, { littleEndian: true, nanosecond: false, modified: false }],
  [0xd4c3b2a1, { littleEndian: false, nanosecond: false, modified: false }],
  [0xa1b23c4d, { littleEndian: true, nanosecond: true, modified: false }],
  [0x4d3cb2a1, { littleEndian: false, nanosecond: true, modified: false }],
  [0xa1b2cd34, { littleEndian: true, nanosecond: false, modified: true }],
  [0x34cdb2a1, { littleEndian: false, nanosecond: false, modified: true }],
]);

export function isPcapMagic(firstWordLE: number): boolean {
  return PCAP_MAGICS.has(firstWordLE);
}

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  /** Kuznetzov's modified format (magic a1b2cd34): longer record headers. */
  modified: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  /** LINKTYPE_* with the FCS bits masked off. */
  linktype: number;
  /** Bytes of FCS at the end of every packet, when the link-type field says so. */
  fcsLen: number | undefined;
}

/** Parses the 24-byte file header at arena offset `at`; a string names what is wrong. */
export function parsePcapHeader(view: DataView, at: number): PcapHeader | string {
  const magic = PCAP_MAGICS.get(view.getUint32(at, true));
  if (!magic) return 'not a pcap file';
  const le = magic.littleEndian;
  const versionMajor = view.getUint16(at + 4, le);
  const versionMinor = view.getUint16(at + 6, le);
  if (versionMajor !== 2) return `unsupported pcap version ${versionMajor}.${versionMinor}`;
  const linkField = view.getUint32(at + 20, le);
  // Bits 28-31 hold the FCS length in 16-bit words; bit 26 says whether they mean anything.
  const fcsLen = linkField & FCS_PRESENT_BIT ? (linkField >>> 28) * 2 : undefined;
  return {
    ...magic, versionMajor, versionMinor,
    snaplen: view.getUint32(at + 16, le),
    linktype: linkField & LINKTYPE_MASK,
    fcsLen,
  };
}

/** Indexes the pcap records in the scan window. */
export function indexPcapRecords(s: ArenaScan, h: PcapHeader): void {
  const v = s.view;
  const le = h.littleEndian;
  const headerSize = h.modified ? MODIFIED_RECORD_HEADER_SIZE : PCAP_RECORD_HEADER_SIZE;
  const unitsPerSec = h.nanosecond ? 1_000_000_000 : 1_000_000;
  const nsPerUnit = h.nanosecond ? 1 : 1000;
  const tsDigits = h.nanosecond ? 9 : 6;
  const fcsLen = h.fcsLen ?? 0;
  while (!s.indexFull) {
    const p = s.pos;
    if (s.end - p < headerSize) return;
    const caplen = v.getUint32(p + 8, le);
    if (!s.checkCaplen(caplen, h.linktype, headerSize + caplen)) return;
    if (s.end - p - headerSize < caplen) return;
    let sec = v.getUint32(p, le);
    let frac = v.getUint32(p + 4, le);
    if (frac >= unitsPerSec) {
      // Out of range in the file; carried into the seconds rather than stored as an impossible fraction.
      sec += Math.floor(frac / unitsPerSec);
      frac %= unitsPerSec;
    }
    s.emit(p + headerSize, caplen, v.getUint32(p + 12, le), h.linktype, 0, sec, frac * nsPerUnit, tsDigits, fcsLen, 0);
    s.pos = p + headerSize + caplen;
  }
}
