/**
 * pcapng blocks: sections (byte order per section), interfaces, packets
 * (EPB, SPB, obsolete PB) and statistics; every other block is checked for
 * consistent lengths and skipped.  Interface ids restart in each section and
 * are mapped onto one global list.  Options are walked with one reusable
 * cursor, and only when a packet block has any, so that a packet costs no
 * allocation.
 */
import type { ArenaScan } from './pcap-format.js';
import { DEFAULT_TSRESOL, TimestampResolution, type Timestamp } from './timestamp.js';

export interface InterfaceInfo {
  linktype: number;
  snaplen: number;
  name?: string;
  description?: string;
  /** if_filter when it is a libpcap filter string. */
  filter?: string;
  os?: string;
  hardware?: string;
  /** The raw if_tsresol byte (6 when absent). */
  tsresol: number;
  /** Bytes of FCS at the end of each frame, when known. */
  fcsLen?: number;
}

export interface SectionInfo {
  byteOrder: 'little' | 'big';
  hardware?: string;
  os?: string;
  application?: string;
  comments: string[];
}

/** The latest Interface Statistics Block of an interface. */
export interface InterfaceStatistics {
  ifaceId: number;
  /** When the statistics were taken (the block's own timestamp). */
  time: Timestamp;
  startTime?: Timestamp;
  endTime?: Timestamp;
  ifRecv?: bigint;
  ifDrop?: bigint;
  filterAccept?: bigint;
  osDrop?: bigint;
  usrDeliv?: bigint;
  comment?: string;
}

export const SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
const enum Block {
  Interface = 1,
  ObsoletePacket = 2,
  SimplePacket = 3,
  Statistics = 5,
  EnhancedPacket = 6,
}
/** Type and length before the body, length again after it. */
const BLOCK_OVERHEAD = 12;
const SHB_FIELDS = 16;
const IDB_FIELDS = 8;
const PACKET_FIELDS = 20;
const ISB_FIELDS = 12;
const OPT_COMMENT = 1;
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
    this.p = this.at + this.length + (-this.length & 3);
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
  private le = true;
  private readonly opt: OptionCursor;

  constructor(private readonly s: ArenaScan) {
    this.opt = new OptionCursor(s.view);
  }

  /** The byte-order magic of a section header at `at` says the section's byte order. */
  static sectionByteOrder(view: DataView, at: number): boolean | undefined {
    const bom = view.getUint32(at + 8, true);
    return bom === BYTE_ORDER_MAGIC ? true : bom === BYTE_ORDER_MAGIC_SWAPPED ? false : undefined;
  }

  /** Indexes the blocks in s.arena[s.pos, s.end). */
  scan(): void {
    while (!this.s.indexFull && this.step());
  }

  /**
   * Reads the section header that opens the file: true once read, false when
   * more bytes are needed or it is unusable (then s.damage says why).
   */
  readFirstSection(): boolean {
    const s = this.s;
    if (s.end - s.pos >= BLOCK_OVERHEAD && PcapngScanner.sectionByteOrder(s.view, s.pos) === undefined) {
      return this.damaged(`not a pcapng file (bad byte-order magic 0x${hex(s.view.getUint32(s.pos + 8, false))})`);
    }
    return this.step();
  }

  /** Uses the block at s.pos; false when it is not all in the arena yet or is damaged. */
  private step(): boolean {
    const s = this.s;
    const v = s.view;
    const p = s.pos;
    if (s.end - p < BLOCK_OVERHEAD) return false;
    let le = this.le;
    const type = v.getUint32(p, le);
    if (type === SHB_TYPE) {
      const order = PcapngScanner.sectionByteOrder(v, p);
      if (order === undefined) return this.damaged(`section header with bad byte-order magic 0x${hex(v.getUint32(p + 8, false))}`);
      le = order;
    }
    const total = v.getUint32(p + 4, le);
    if (total < BLOCK_OVERHEAD || total % 4 !== 0) return this.damaged(`block length ${total} is not a multiple of 4 of at least 12`);
    if (total > s.maxRecord) return this.damaged(`a ${total}-byte block, larger than the ${s.maxRecord} bytes the reader can hold`);
    if (s.end - p < total) return false;
    const trailer = v.getUint32(p + total - 4, le);
    if (trailer !== total) return this.damaged(`block lengths differ (first ${total}, second ${trailer})`);
    const body = p + 8;
    const end = p + total - 4;
    if (!this.useBlock(type, body, end, le)) return false;
    s.pos = p + total;
    return true;
  }

  private useBlock(type: number, body: number, end: number, le: boolean): boolean {
    switch (type) {
      case SHB_TYPE: return this.sectionHeader(body, end, le);
      case Block.Interface: return this.interfaceDescription(body, end);
      case Block.EnhancedPacket: return this.packet(body, end, this.s.view.getUint32(body, le));
      case Block.ObsoletePacket: return this.packet(body, end, this.s.view.getUint16(body, le));
      case Block.SimplePacket: return this.simplePacket(body, end);
      case Block.Statistics: return this.interfaceStatistics(body, end);
      default: return true; // NRB, DSB, custom and unknown blocks carry nothing the reader keeps
    }
  }

  private damaged(problem: string): false {
    this.s.damage = problem;
    return false;
  }

  private text(at: number, length: number): string {
    let end = at + length;
    while (end > at && this.s.arena[end - 1] === 0) end--;
    return utf8.decode(this.s.arena.subarray(at, end));
  }

  private u64(at: number): bigint {
    return this.s.view.getBigUint64(at, this.le);
  }

  private sectionHeader(body: number, end: number, le: boolean): boolean {
    if (end - body < SHB_FIELDS) return this.damaged(`section header block of ${end - body + BLOCK_OVERHEAD} bytes is too short`);
    const major = this.s.view.getUint16(body + 4, le);
    const minor = this.s.view.getUint16(body + 6, le);
    if (major !== 1) return this.damaged(`unsupported pcapng version ${major}.${minor}`);
    if (this.sections.length >= MAX_SECTIONS) return this.damaged(`more than ${MAX_SECTIONS} sections`);
    this.le = le;
    this.sectionInterfaces = [];
    const section: SectionInfo = { byteOrder: le ? 'little' : 'big', comments: [] };
    const o = this.opt;
    o.start(body + SHB_FIELDS, end);
    while (o.next(le)) {
      switch (o.code) {
        case OPT_COMMENT: section.comments.push(this.text(o.at, o.length)); break;
        case 2: section.hardware = this.text(o.at, o.length); break;
        case 3: section.os = this.text(o.at, o.length); break;
        case 4: section.application = this.text(o.at, o.length); break;
      }
    }
    if (o.problem) return this.damaged(o.problem);
    this.sections.push(section);
    return true;
  }

  private interfaceDescription(body: number, end: number): boolean {
    const v = this.s.view;
    const le = this.le;
    if (end - body < IDB_FIELDS) return this.damaged(`interface description block of ${end - body + BLOCK_OVERHEAD} bytes is too short`);
    if (this.interfaces.length >= MAX_INTERFACES) return this.damaged(`more than ${MAX_INTERFACES} interfaces`);
    const info: InterfaceInfo = { linktype: v.getUint16(body, le), snaplen: v.getUint32(body + 4, le), tsresol: DEFAULT_TSRESOL };
    let tsOffset = 0;
    const o = this.opt;
    o.start(body + IDB_FIELDS, end);
    while (o.next(le)) {
      switch (o.code) {
        case 2: info.name = this.text(o.at, o.length); break;
        case 3: info.description = this.text(o.at, o.length); break;
        case 9: if (o.length >= 1) info.tsresol = v.getUint8(o.at); break;
        case 11: if (o.length >= 1 && v.getUint8(o.at) === 0) info.filter = this.text(o.at + 1, o.length - 1); break;
        case 12: info.os = this.text(o.at, o.length); break;
        case 13: if (o.length >= 1) info.fcsLen = fcsBytes(v.getUint8(o.at)); break;
        case 14: if (o.length >= 8) tsOffset = Number(v.getBigInt64(o.at, le)); break;
        case 15: info.hardware = this.text(o.at, o.length); break;
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
    const s = this.s;
    const v = s.view;
    const le = this.le;
    if (end - body < PACKET_FIELDS) return this.damaged(`packet block of ${end - body + BLOCK_OVERHEAD} bytes is too short`);
    const ifaceId = this.globalInterface(localId);
    if (ifaceId === undefined) return false;
    const iface = this.states[ifaceId]!;
    const caplen = v.getUint32(body + 12, le);
    const dataAt = body + PACKET_FIELDS;
    if (caplen > end - dataAt) return this.damaged(`packet of ${caplen} bytes in a block with room for ${end - dataAt}`);
    if (!s.checkCaplen(caplen, iface.info.linktype, end - body + BLOCK_OVERHEAD)) return false;
    let flags = 0;
    const optionsAt = dataAt + caplen + (-caplen & 3);
    if (optionsAt < end) {
      const o = this.opt;
      o.start(optionsAt, end);
      while (o.next(le)) {
        if (o.code === OPT_COMMENT) this.addComment(this.text(o.at, o.length));
        else if (o.code === 2 && o.length >= 4) flags = v.getUint32(o.at, le) & 0xffff;
      }
      if (o.problem) return this.damaged(o.problem);
    }
    const ts = iface.resolution.toTimestamp(v.getUint32(body + 4, le), v.getUint32(body + 8, le));
    s.emit(dataAt, caplen, v.getUint32(body + 16, le), iface.info.linktype, ifaceId,
      ts.sec + iface.tsOffset, ts.nsec, iface.resolution.digits, iface.fcsLen, flags);
    return true;
  }

  private simplePacket(body: number, end: number): boolean {
    const s = this.s;
    if (end - body < 4) return this.damaged('simple packet block is too short');
    if (this.sectionInterfaces.length === 0) return this.damaged('simple packet block before any interface description');
    const ifaceId = this.sectionInterfaces[0]!;
    const iface = this.states[ifaceId]!;
    const origlen = s.view.getUint32(body, this.le);
    const dataAt = body + 4;
    const snaplen = iface.info.snaplen || Infinity;
    const caplen = Math.min(origlen, snaplen, end - dataAt);
    if (!s.checkCaplen(caplen, iface.info.linktype, end - body + BLOCK_OVERHEAD)) return false;
    s.emit(dataAt, caplen, origlen, iface.info.linktype, ifaceId, 0, 0, iface.resolution.digits, iface.fcsLen, 0);
    return true;
  }

  private interfaceStatistics(body: number, end: number): boolean {
    const v = this.s.view;
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
      if (o.code === OPT_COMMENT) { stats.comment ??= this.text(o.at, o.length); continue; }
      if (o.length < 8) continue;
      switch (o.code) {
        case 2: stats.startTime = timestamp(o.at); break;
        case 3: stats.endTime = timestamp(o.at); break;
        case 4: stats.ifRecv = this.u64(o.at); break;
        case 5: stats.ifDrop = this.u64(o.at); break;
        case 6: stats.filterAccept = this.u64(o.at); break;
        case 7: stats.osDrop = this.u64(o.at); break;
        case 8: stats.usrDeliv = this.u64(o.at); break;
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

  private addComment(comment: string): void {
    const list = this.comments.get(this.s.slot);
    if (list) list.push(comment);
    else this.comments.set(this.s.slot, [comment]);
  }
}

/** if_fcslen is read as bytes; values that only make sense as bits (16, 32) are converted. */
function fcsBytes(value: number): number {
  return value >= 16 && value % 8 === 0 ? value / 8 : value;
}

export function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
