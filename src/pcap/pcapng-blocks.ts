/**
 * pcapng block and option encoding into one scratch buffer.  Every section
 * xcap writes is little-endian.  Callers compute a block's exact size first
 * (the length goes at both ends), make room, then emit it field by field; the
 * cursor only ever sits on 4-byte boundaries between fields, so one padding
 * helper serves data and options alike.
 */
import { XcapError } from '../errors.js';

export const enum BlockType {
  InterfaceDescription = 0x00000001,
  InterfaceStatistics = 0x00000005,
  EnhancedPacket = 0x00000006,
  SectionHeader = 0x0a0d0d0a,
}

export const enum OptionCode {
  EndOfOptions = 0,
  Comment = 1,
  ShbHardware = 2,
  ShbOs = 3,
  ShbUserAppl = 4,
  IfName = 2,
  IfDescription = 3,
  IfTsresol = 9,
  IfFilter = 11,
  IfOs = 12,
  EpbFlags = 2,
  IsbStartTime = 2,
  IsbEndTime = 3,
  IsbIfRecv = 4,
  IsbIfDrop = 5,
  IsbFilterAccept = 6,
  IsbOsDrop = 7,
  IsbUsrDeliv = 8,
}

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Block type, leading length, trailing length. */
export const BLOCK_OVERHEAD = 12;
/** Interface id, timestamp (2 words), captured length, original length. */
export const EPB_FIELDS = 20;
export const END_OF_OPTIONS_SIZE = 4;
const MAX_OPTION_VALUE = 0xffff;
const TWO_32 = 0x1_0000_0000;
const TWO_16 = 0x1_0000;
/** 2^64 - 1 nanoseconds, as whole seconds and the nanoseconds left over. */
const MAX_TIMESTAMP_SEC = 18_446_744_073;
const MAX_TIMESTAMP_NSEC = 709_551_615;

/** `n` rounded up to a multiple of 4 (exact for any integer below 2^53). */
export function pad4(n: number): number {
  return n + (-n & 3);
}

export function optionSize(valueLength: number): number {
  return 4 + pad4(valueLength);
}

/** Size of a string option, 0 when the string is absent or empty (the option is then left out). */
export function stringOptionSize(s: string | undefined, prefixBytes = 0): number {
  if (!s) return 0;
  const len = Buffer.byteLength(s, 'utf8') + prefixBytes;
  if (len > MAX_OPTION_VALUE) throw new XcapError(`pcapng option too long (${len} bytes, at most ${MAX_OPTION_VALUE})`);
  return optionSize(len);
}

export function commentsSize(comments: readonly string[] | undefined): number {
  let size = 0;
  if (comments) for (const c of comments) size += stringOptionSize(c);
  return size;
}

function isValidTimestamp(sec: number, nsec: number): boolean {
  return Number.isInteger(sec) && sec >= 0 && Number.isInteger(nsec) && nsec >= 0 && nsec < 1e9
    && (sec < MAX_TIMESTAMP_SEC || (sec === MAX_TIMESTAMP_SEC && nsec <= MAX_TIMESTAMP_NSEC));
}

export function checkTimestamp(sec: number, nsec: number, what: string): void {
  if (!isValidTimestamp(sec, nsec)) throw new XcapError(`${what}: timestamp ${sec}.${nsec} cannot be written as 64-bit nanoseconds`);
}

export function checkCounter(v: bigint | number, what: string): void {
  const ok = typeof v === 'bigint' ? v >= 0n && v < 1n << 64n : Number.isSafeInteger(v) && v >= 0;
  if (!ok) throw new XcapError(`${what}: ${v} is not a 64-bit unsigned count`);
}

/** The growable scratch buffer blocks are built in; `pos` is the end of the last complete field. */
export class BlockBuffer {
  bytes: Buffer;
  view: DataView;
  pos = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  get free(): number { return this.bytes.length - this.pos; }

  /** Keeps the contents; used only when a single block is larger than the buffer. */
  grow(minCapacity: number): void {
    let capacity = this.bytes.length * 2;
    while (capacity < minCapacity) capacity *= 2;
    const old = this.bytes.subarray(0, this.pos);
    this.bytes = Buffer.allocUnsafe(capacity);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.bytes.set(old);
  }

  u16(v: number): void {
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }

  u32(v: number): void {
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  u64(v: bigint | number): void {
    this.view.setBigUint64(this.pos, BigInt(v), true);
    this.pos += 8;
  }

  /**
   * A pcapng timestamp: the 64-bit count sec*1e9+nsec as its high word then
   * its low word.  Splitting sec at 2^16 keeps every product below 2^53, so
   * the sum is exact without a BigInt per packet.  Range checked by the caller.
   */
  timestamp(sec: number, nsec: number): void {
    // Floor of a division by a power of two is exact; `%` on doubles is a slow library call.
    const secHigh = Math.floor(sec / TWO_16);
    const upper = secHigh * 1e9; // the count's part from bit 16 up, in units of 2^16
    const upperHigh = Math.floor(upper / TWO_16);
    const low = (upper - upperHigh * TWO_16) * TWO_16 + (sec - secHigh * TWO_16) * 1e9 + nsec;
    const carry = Math.floor(low / TWO_32);
    this.u32(upperHigh + carry);
    this.u32(low - carry * TWO_32);
  }

  /** Zero bytes up to the next 4-byte boundary. */
  pad(): void {
    while (this.pos & 3) this.bytes[this.pos++] = 0;
  }

  /**
   * Copies `len` bytes of `src` from `start`, then pads.  Short frames are
   * copied a word at a time so the hot path makes no object; longer ones go
   * through a view, whose cost the native copy repays.
   */
  data(src: Uint8Array, start: number, len: number): void {
    if (len <= SMALL_COPY) {
      const from = wordView(src);
      let i = 0;
      for (; i + 4 <= len; i += 4) this.view.setUint32(this.pos + i, from.getUint32(start + i, true), true);
      for (; i < len; i++) this.bytes[this.pos + i] = src[start + i];
    } else {
      this.bytes.set(src.subarray(start, start + len), this.pos);
    }
    this.pos += len;
    this.pad();
  }

  blockHeader(type: BlockType, totalLength: number): void {
    this.u32(type);
    this.u32(totalLength);
  }

  optionHeader(code: OptionCode, valueLength: number): void {
    this.u16(code);
    this.u16(valueLength);
  }

  stringOption(code: OptionCode, s: string | undefined, prefixByte?: number): void {
    if (!s) return;
    const start = this.pos;
    this.pos += 4;
    if (prefixByte !== undefined) this.bytes[this.pos++] = prefixByte;
    this.pos += this.bytes.write(s, this.pos, 'utf8');
    this.view.setUint16(start, code, true);
    this.view.setUint16(start + 2, this.pos - start - 4, true);
    this.pad();
  }

  comments(comments: readonly string[] | undefined): void {
    if (comments) for (const c of comments) this.stringOption(OptionCode.Comment, c);
  }

  timestampOption(code: OptionCode, t: { sec: number; nsec: number } | undefined): void {
    if (!t) return;
    this.optionHeader(code, 8);
    this.timestamp(t.sec, t.nsec);
  }

  counterOption(code: OptionCode, v: bigint | number | undefined): void {
    if (v === undefined) return;
    this.optionHeader(code, 8);
    this.u64(v);
  }

  endOfOptions(): void {
    this.u32(OptionCode.EndOfOptions);
  }
}

const SMALL_COPY = 128;

/** One DataView per source buffer, remade only when the batch memory changes (Wasm memory.grow). */
let lastSource: Uint8Array | undefined;
let lastSourceView: DataView | undefined;
function wordView(src: Uint8Array): DataView {
  if (src !== lastSource) {
    lastSource = src;
    lastSourceView = new DataView(src.buffer, src.byteOffset, src.byteLength);
  }
  return lastSourceView!;
}
