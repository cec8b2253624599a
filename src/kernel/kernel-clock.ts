/**
 * Kernel timestamps (bpf_ktime_get_tai_ns) to wall time, the same way for
 * every capture path: TAI nanoseconds split into seconds and nanoseconds,
 * minus the TAI-UTC offset measured once at start.
 */
import { FrameField } from '../pcap/frame-index.js';
import { CLOCK_REALTIME, CLOCK_TAI, clockNs } from './libc.js';

const NS_PER_SEC = 1_000_000_000;
const NS_DIGITS = 9;

/**
 * CLOCK_TAI - CLOCK_REALTIME: the kernel keeps it in whole seconds, so
 * rounding removes the time between the two clock reads.
 */
export function taiOffsetSeconds(): number {
  const realtime = clockNs(CLOCK_REALTIME);
  const tai = clockNs(CLOCK_TAI);
  return Math.round(Number(tai - realtime) / 1e9);
}

/**
 * Writes the wall-clock time of a TAI nanosecond count (given as its low and
 * high 32 bits) into the frame index entry at byte `entry` of `out`.
 */
export function setEntryTime(out: DataView, entry: number, taiLo: number, taiHi: number, taiOffsetSec: number): void {
  let sec = Math.floor((taiHi * 4294967296 + taiLo) / NS_PER_SEC);
  // The float division can be one second off; the low 32 bits of the
  // remainder are exact and decide.
  let nsec = (taiLo - (Math.imul(sec, NS_PER_SEC) >>> 0)) | 0;
  if (nsec < 0) { sec--; nsec += NS_PER_SEC; } else if (nsec >= NS_PER_SEC) { sec++; nsec -= NS_PER_SEC; }
  out.setFloat64(entry + FrameField.TsSec, sec - taiOffsetSec, true);
  out.setUint32(entry + FrameField.TsNsec, nsec, true);
  out.setUint8(entry + FrameField.TsDigits, NS_DIGITS);
}
