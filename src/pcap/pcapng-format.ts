/**
 * pcapng blocks: sections (byte order per section), interfaces, packets
 * (EPB, SPB, obsolete PB) and statistics; every other block is checked for
 * consistent lengths and skipped, even one larger than the arena.  Interface
 * ids restart in each section and are mapped onto one global list.  Options
 * are walked with one reusable cursor, and only when a packet block has any,
 * so that a packet costs no allocation.
 */
import { MAX_RECORD, type ArenaScan } from './pcap-format.js';
import { BLOCK_OVERHEAD, BYTE_ORDER_MAGIC, BlockType, EPB_FIELDS, OptionCode, pad4 } from './pcapng-blocks.js';
import type { InterfaceInfo, InterfaceStatistics, SectionInfo } from './reader.js';
import { DEFAULT_TSRESOL, TimestampResolution, type Timestamp } from './timestamp.js';

/** Blocks and options xcap reads but never writes (the rest are pcapng-blocks.ts's). */
const enum ReadOnlyBlock {
  ObsoletePacket = 2,
  SimplePacket = 3,
}
const enum ReadOnlyOption {
  IsbFilterAccept = 6,
  IfFcsLen = 13,
  IfTsOffset = 14,
  IfHardware = 15,
}
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
/** Byte-order magic, version, section length. */
const SHB_FIELDS = 16;
/** Link type, reserved, snaplen. */
const IDB_FIELDS = 8;
/** Interface id, timestamp. */
const ISB_FIELDS = 12;
/** Original length. */
const SPB_FIELDS = 4;
const FILTER_TYPE_LIBPCAP = 0;
const MAX_INTERFACES = 0x1_0000; // the frame index holds a 16-bit interface id
const MAX_SECTIONS = 0x1_0000;

interface InterfaceState {
  info: InterfaceInfo;
  resolution: TimestampResolution;
  tsOffset: number;
  fcsLen: number;
}

const utf8 = new TextDecoder('utf-8');

/** Walks the options of one block; `problem` is set when an option runs past the block. */
class OptionCursor {
  code = 0;
  at = 0;
  length = 0;
  problem: string | undefined;
  private p = 0;
  private end = 0;

  constructor(private readonly view: DataView) {}

  start(at: number, end: number): void {
    this.p = at;
    this.end = end;
    this.problem = undefined;
  }

  next(le: boolean): boolean {
    if (this.end - this.p < 4) return false;
    this.code = this.view.getUint16(this.p, le);
    this.length = this.view.getUint16(this.p + 2, le);
    if (this.code === 0) return false;
    if (this.length > this.end - this.p - 4) {
      this.problem = `option ${this.code} of ${this.length} bytes runs past the end of its block`;
      return false;
    }
    this.at = this.p + 4;
    this.p = this.at + pad4(this.length);
    return true;
  }
}

export class PcapngScanner {
  readonly interfaces: InterfaceInfo[] = [];
  readonly sections: SectionInfo[] = [];
  readonly statistics: InterfaceStatistics[] = [];
  /** Packet comments of the current batch, by index slot. */
  readonly comments = new Map<number, string[]>();
  private readonly states: InterfaceState[] = [];
  /** Global interface ids of the current section's interfaces. */
  private sectionInterfaces: number[] = [];
  private latestStatistics = new Map<number, number>();
  /** The length of an oversized block being skipped, to be found again in its trailer. */
  private skippedLength = 0;
  private le = true;
  private readonly opt: OptionCursor;

  constructor(private readonly scan: ArenaScan) {
    this.opt = new OptionCursor(scan.view);
  }

  /** In the middle of a block too large for the arena, being skipped. */
  get midBlock(): boolean {
    return this.skippedLength !== 0;
  }

  /** Whether the section header at `at` is little-endian (undefined: no byte-order magic there). */
  static sectionLittleEndian(view: DataView, at: number): boolean | undefined {
    const bom = view.getUint32(at + 8, true);
    return bom === BYTE_ORDER_MAGIC ? true : bom === BYTE_ORDER_MAGIC_SWAPPED ? false : undefined;
  }

  /** Indexes the blocks in the scan window. */
  indexRecords(): void {
    while (!this.scan.indexFull && this.step());
  }

  /**
   * Reads the section header that opens the file: true once read, false when
   * more bytes are needed or it is unusable (then the scan's damage says why).
   */
  readFirstSection(): boolean {
    const s = this.scan;
    if (s.end - s.pos >= BLOCK_OVERHEAD && PcapngScanner.sectionLittleEndian(s.view, s.pos) === undefined) {
      return this.damaged(`not a pcapng file (bad byte-order magic 0x${hex(s.view.getUint32(s.pos + 8, false))})`);
    }
    return this.step();
  }

  /** Uses the block at the scan position; false when it is not all in the arena yet or is damaged. */
  private step(): boolean {
    const s = this.scan;
    if (this.skippedLength !== 0 && !this.finishSkip()) return false;
    const v = s.view;
    const p = s.pos;
    if (s.end - p < BLOCK_OVERHEAD) return false;
    let le = this.le;
    const type = v.getUint32(p, le);
    if (type === BlockType.SectionHeader) {
      const order = PcapngScanner.sectionLittleEndian(v, p);
      if (order === undefined) return this.damaged(`section header with bad byte-order magic 0x${hex(v.getUint32(p + 8, false))}`);
      le = order;
    }
    const total = v.getUint32(p + 4, le);
    if (total < BLOCK_OVERHEAD || total % 4 !== 0) return this.damaged(`block length ${total} is not a multiple of 4 of at least 12`);
    if (total > s.maxRecord) return this.oversized(type, total);
    if (s.end - p < total) return false;
    const trailer = v.getUint32(p + total - 4, le);
    if (trailer !== total) return this.damaged(`block lengths differ (first ${total}, second ${trailer})`);
    if (!this.useBlock(type, p + 8, p + total - 4, le)) return false;
    s.pos = p + total;
    return true;
  }

  /**
   * A block larger than the arena: the reader needs nothing from most block
   * types (a big decryption-secrets block, say), so those are passed over as
   * they are read; a packet, interface or section that large is damage.
   */
  private oversized(type: number, total: number): boolean {
    const s = this.scan;
    if (total > MAX_RECORD || isParsedBlock(type)) {
      return this.damaged(`a ${total}-byte block, larger than the ${s.maxRecord} bytes the reader can hold`);
    }
    this.skippedLength = total;
    s.skipping = total - 4;
    return this.finishSkip();
  }

  /** Passes over the rest of a skipped block and checks its trailing length. */
  private finishSkip(): boolean {
    const s = this.scan;
    if (!s.skipRead() || s.end - s.pos < 4) return false;
    const trailer = s.view.getUint32(s.pos, this.le);
    if (trailer !== this.skippedLength) return this.damaged(`block lengths differ (first ${this.skippedLength}, second ${trailer})`);
    s.pos += 4;
    this.skippedLength = 0;
    return true;
  }

  /** Takes in a block whose lengths are consistent; `body` and `end` bound what lies between them. */
  private useBlock(type: number, body: number, end: number, le: boolean): boolean {
    switch (type) {
      case BlockType.SectionHeader: return this.sectionHeader(body, end, le);
      case BlockType.InterfaceDescription: return this.interfaceDescription(body, end);
      case BlockType.EnhancedPacket: return this.packet(body, end, this.scan.view.getUint32(body, le));
      case ReadOnlyBlock.ObsoletePacket: return this.packet(body, end, this.scan.view.getUint16(body, le));
      case ReadOnlyBlock.SimplePacket: return this.simplePacket(body, end);
      case BlockType.InterfaceStatistics: return this.interfaceStatistics(body, end);
      default: return true; // NRB, DSB, custom and unknown blocks carry nothing the reader keeps
    }
  }

  private damaged(problem: string): false {
    this.scan.damage = problem;
    return false;
  }

  private text(at: number, length: number): string {
    let end = at + length;
    while (end > at && this.scan.arena[end - 1] === 0) end--;
    return utf8.decode(this.scan.arena.subarray(at, end));
  }

  private u64(at: number): bigint {
    return this.scan.view.getBigUint64(at, this.le);
  }

  private sectionHeader(body: number, end: number, le: boolean): boolean {
    if (end - body < SHB_FIELDS) return this.damaged(`section header block of ${end - body + BLOCK_OVERHEAD} bytes is too short`);
    const major = this.scan.view.getUint16(body + 4, le);
    const minor = this.scan.view.getUint16(body + 6, le);
    if (major !== 1) return this.damaged(`unsupported pcapng version ${major}.${minor}`);
    if (this.sections.length >= MAX_SECTIONS) return this.damaged(`more than ${MAX_SECTIONS} sections`);
    this.le = le;
    this.sectionInterfaces = [];
    const section: SectionInfo = { byteOrder: le ? 'little' : 'big', comments: [] };
    const o = this.opt;
    o.start(body + SHB_FIELDS, end);
    while (o.next(le)) {
      switch (o.code) {
        case OptionCode.Comment: section.comments.push(this.text(o.at, o.length)); break;
        case OptionCode.ShbHardware: section.hardware = this.text(o.at, o.length); break;
        case OptionCode.ShbOs: section.os = this.text(o.at, o.length); break;
        case OptionCode.ShbUserAppl: section.application = this.text(o.at, o.length); break;
      }
    }
    if (o.problem) return this.damaged(o.problem);
    this.sections.push(section);
    return true;
  }

  private interfaceDescription(body: number, end: number): boolean {
    const v = this.scan.view;
    const le = this.le;
    if (end - body < IDB_FIELDS) return this.damaged(`interface description block of ${end - body + BLOCK_OVERHEAD} bytes is too short`);
    if (this.interfaces.length >= MAX_INTERFACES) return this.damaged(`more than ${MAX_INTERFACES} interfaces`);
    const info: InterfaceInfo = { linktype: v.getUint16(body, le), snaplen: v.getUint32(body + 4, le), tsresol: DEFAULT_TSRESOL };
    let tsOffset = 0;
    const o = this.opt;
    o.start(body + IDB_FIELDS, end);
    while (o.next(le)) {
      switch (o.code) {
        case OptionCode.IfName: info.name = this.text(o.at, o.length); break;
        case OptionCode.IfDescription: info.description = this.text(o.at, o.length); break;
        case OptionCode.IfTsresol: if (o.length >= 1) info.tsresol = v.getUint8(o.at); break;
        case OptionCode.IfFilter:
          if (o.length >= 1 && v.getUint8(o.at) === FILTER_TYPE_LIBPCAP) info.filter = this.text(o.at + 1, o.length - 1);
          break;
        case OptionCode.IfOs: info.os = this.text(o.at, o.length); break;
        case ReadOnlyOption.IfFcsLen: if (o.length >= 1) info.fcsLen = fcsBytes(v.getUint8(o.at)); break;
        case ReadOnlyOption.IfTsOffset: if (o.length >= 8) tsOffset = Number(v.getBigInt64(o.at, le)); break;
        case ReadOnlyOption.IfHardware: info.hardware = this.text(o.at, o.length); break;
      }
    }
    if (o.problem) return this.damaged(o.problem);
    this.sectionInterfaces.push(this.interfaces.length);
    this.interfaces.push(info);
    this.states.push({
      info, tsOffset, resolution: new TimestampResolution(info.tsresol), fcsLen: info.fcsLen ?? 0,
    });
    return true;
  }

  private globalInterface(localId: number): number | undefined {
    const id = this.sectionInterfaces[localId];
    if (id === undefined) this.damaged(`interface ${localId} is not described in its section (${this.sectionInterfaces.length} interfaces)`);
    return id;
  }

  /** EPB and obsolete PB: the same fields, with a 32- or 16-bit interface id. */
  private packet(body: number, end: number, localId: number): boolean {
    const s = this.scan;
    const v = s.view;
    const le = this.le;
    if (end - body < EPB_FIELDS) return this.damaged(`packet block of ${end - body + BLOCK_OVERHEAD} bytes is too short`);
    const ifaceId = this.globalInterface(localId);
    if (ifaceId === undefined) return false;
    const iface = this.states[ifaceId]!;
    const caplen = v.getUint32(body + 12, le);
    const dataAt = body + EPB_FIELDS;
    if (caplen > end - dataAt) return this.damaged(`packet of ${caplen} bytes in a block with room for ${end - dataAt}`);
    if (!s.checkCaplen(caplen, iface.info.linktype, end - body + BLOCK_OVERHEAD)) return false;
    let flags = 0;
    let comments: string[] | undefined;
    const optionsAt = dataAt + pad4(caplen);
    if (optionsAt < end) {
      const o = this.opt;
      o.start(optionsAt, end);
      while (o.next(le)) {
        if (o.code === OptionCode.Comment) (comments ??= []).push(this.text(o.at, o.length));
        // epb_flags and the obsolete pack_flags share code and layout.
        else if (o.code === OptionCode.EpbFlags && o.length >= 4) flags = v.getUint32(o.at, le) & 0xffff;
      }
      if (o.problem) return this.damaged(o.problem);
    }
    if (comments) this.comments.set(s.slot, comments);
    const ts = iface.resolution.toTimestamp(v.getUint32(body + 4, le), v.getUint32(body + 8, le));
    s.emit(dataAt, caplen, v.getUint32(body + 16, le), iface.info.linktype, ifaceId,
      ts.sec + iface.tsOffset, ts.nsec, iface.resolution.digits, iface.fcsLen, flags);
    return true;
  }

  private simplePacket(body: number, end: number): boolean {
    const s = this.scan;
    if (end - body < SPB_FIELDS) return this.damaged('simple packet block is too short');
    if (this.sectionInterfaces.length === 0) return this.damaged('simple packet block before any interface description');
    const ifaceId = this.sectionInterfaces[0]!;
    const iface = this.states[ifaceId]!;
    const origlen = s.view.getUint32(body, this.le);
    const dataAt = body + SPB_FIELDS;
    const snaplen = iface.info.snaplen || Infinity;
    const caplen = Math.min(origlen, snaplen, end - dataAt);
    if (!s.checkCaplen(caplen, iface.info.linktype, end - body + BLOCK_OVERHEAD)) return false;
    // No timestamp in a simple packet block: tsDigits 0 says so.
    s.emit(dataAt, caplen, origlen, iface.info.linktype, ifaceId, 0, 0, 0, iface.fcsLen, 0);
    return true;
  }

  private interfaceStatistics(body: number, end: number): boolean {
    const v = this.scan.view;
    const le = this.le;
    if (end - body < ISB_FIELDS) return this.damaged(`interface statistics block of ${end - body + BLOCK_OVERHEAD} bytes is too short`);
    // Statistics for an undescribed interface are dropped, as tshark does, rather than ending the file.
    const ifaceId = this.sectionInterfaces[v.getUint32(body, le)];
    if (ifaceId === undefined) return true;
    const state = this.states[ifaceId]!;
    const timestamp = (at: number): Timestamp => {
      const t = state.resolution.toTimestamp(v.getUint32(at, le), v.getUint32(at + 4, le));
      return { sec: t.sec + state.tsOffset, nsec: t.nsec };
    };
    const stats: InterfaceStatistics = { ifaceId, time: timestamp(body + 4) };
    const o = this.opt;
    o.start(body + ISB_FIELDS, end);
    while (o.next(le)) {
      if (o.code === OptionCode.Comment) { stats.comment ??= this.text(o.at, o.length); continue; }
      if (o.length < 8) continue;
      switch (o.code) {
        case OptionCode.IsbStartTime: stats.startTime = timestamp(o.at); break;
        case OptionCode.IsbEndTime: stats.endTime = timestamp(o.at); break;
        case OptionCode.IsbIfRecv: stats.ifRecv = this.u64(o.at); break;
        case OptionCode.IsbIfDrop: stats.ifDrop = this.u64(o.at); break;
        case ReadOnlyOption.IsbFilterAccept: stats.filterAccept = this.u64(o.at); break;
        case OptionCode.IsbOsDrop: stats.osDrop = this.u64(o.at); break;
        case OptionCode.IsbUsrDeliv: stats.usrDeliv = this.u64(o.at); break;
      }
    }
    if (o.problem) return this.damaged(o.problem);
    // Counters are cumulative: the latest block of an interface supersedes the earlier ones.
    const at = this.latestStatistics.get(ifaceId);
    if (at === undefined) {
      this.latestStatistics.set(ifaceId, this.statistics.length);
      this.statistics.push(stats);
    } else {
      this.statistics[at] = stats;
    }
    return true;
  }

}

function isParsedBlock(type: number): boolean {
  switch (type) {
    case BlockType.SectionHeader:
    case BlockType.InterfaceDescription:
    case BlockType.EnhancedPacket:
    case BlockType.InterfaceStatistics:
    case ReadOnlyBlock.ObsoletePacket:
    case ReadOnlyBlock.SimplePacket:
      return true;
    default:
      return false;
  }
}

/** if_fcslen is read as bytes; values that only make sense as bits (16, 32) are converted. */
function fcsBytes(value: number): number {
  return value >= 16 && value % 8 === 0 ? value / 8 : value;
}

export function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
