/**
 * Capture timestamps: a 64-bit count of units (given as two 32-bit halves)
 * turned into whole seconds plus nanoseconds, exactly.  The per-packet path
 * uses doubles only: BigInt is kept for resolutions finer than 2^-32 s, which
 * real captures do not use.
 */

export interface Timestamp { sec: number; nsec: number }

/** pcapng if_tsresol when the option is absent (microseconds); pcap uses 6 or 9 the same way. */
export const DEFAULT_TSRESOL = 6;
const MAX_TS_DIGITS = 9;
const TWO_16 = 0x1_0000;
const NS_PER_SEC = 1_000_000_000;
/** 10^9 = 2^9 * 1953125: the odd part lets 2^-n resolutions scale a remainder to ns without rounding. */
const NS_ODD_FACTOR = 1_953_125;
const LOG10_2 = Math.log10(2);

/**
 * The resolution named by an if_tsresol byte: 10^-n seconds, or 2^-n seconds
 * when the high bit is set.  `toTimestamp` writes into one reusable result so
 * that converting allocates nothing.
 */
export class TimestampResolution {
  /** Decimal digits the resolution warrants (frame index tsDigits). */
  readonly digits: number;
  /** Units per second when it fits the exact double path (at most 2^32), else 0. */
  private readonly divisor: number;
  /** nsec = floor(remainder * nsMul / nsDiv) is exact for every remainder below `divisor`. */
  private readonly nsMul: number;
  private readonly nsDiv: number;
  private readonly bigDivisor: bigint;
  readonly result: Timestamp = { sec: 0, nsec: 0 };

  constructor(readonly tsresol: number) {
    const binary = (tsresol & 0x80) !== 0;
    const exponent = tsresol & 0x7f;
    // As wiretap: 2^-n gives the digits of the largest power of ten not above 2^n units a second (2^-20: 6).
    this.digits = Math.min(MAX_TS_DIGITS, binary ? Math.floor(exponent * LOG10_2) : exponent);
    this.bigDivisor = binary ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
    if (binary && exponent <= 32) {
      this.divisor = 2 ** exponent;
      this.nsMul = exponent <= 9 ? NS_PER_SEC / this.divisor : NS_ODD_FACTOR;
      this.nsDiv = exponent <= 9 ? 1 : 2 ** (exponent - 9);
    } else if (!binary && exponent <= MAX_TS_DIGITS) {
      this.divisor = 10 ** exponent;
      this.nsMul = 10 ** (MAX_TS_DIGITS - exponent);
      this.nsDiv = 1;
    } else {
      this.divisor = 0;
      this.nsMul = 0;
      this.nsDiv = 1;
    }
  }

  /**
   * Converts hi * 2^32 + lo units; the seconds are exact while below 2^53.
   * Long division by 16-bit limbs: each partial dividend stays below 2^48, so
   * every quotient digit and remainder is an exact double.
   */
  toTimestamp(hi: number, lo: number): Timestamp {
    const d = this.divisor;
    const out = this.result;
    if (d === 0) return this.toTimestampBig(hi, lo);
    let q = Math.floor(hi / d);
    let r = hi - q * d;
    let cur = r * TWO_16 + (lo >>> 16);
    let digit = Math.floor(cur / d);
    r = cur - digit * d;
    q = q * TWO_16 + digit;
    cur = r * TWO_16 + (lo & 0xffff);
    digit = Math.floor(cur / d);
    r = cur - digit * d;
    out.sec = q * TWO_16 + digit;
    out.nsec = Math.floor((r * this.nsMul) / this.nsDiv);
    return out;
  }

  private toTimestampBig(hi: number, lo: number): Timestamp {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const out = this.result;
    out.sec = Number(units / this.bigDivisor);
    out.nsec = Number(((units % this.bigDivisor) * BigInt(NS_PER_SEC)) / this.bigDivisor);
    return out;
  }
}
