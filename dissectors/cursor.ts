// Bounds-checked reads over [p, end).  A read that would pass `end` returns 0
// and sets the packet's sticky truncated flag, as tcpdump's GET_ macros do.
// The check is written `end - p >= n` after `p <= end`, never `p + n <= end`,
// which could wrap.
import { markTruncated, markReadPast } from './packet';

@inline export function has(p: u32, end: u32, n: u32): bool {
  return p <= end && end - p >= n;
}

/** Whether fewer than n bytes are left at p, marking the packet truncated if so (a header read field by field stops there). */
export function cutShort(p: u32, end: u32, n: u32): bool {
  if (has(p, end, n)) return false;
  markTruncated();
  return true;
}

/**
 * Whether fewer than n bytes are left at p, marking the packet as tshark
 * would for a read there: malformed past the packet, size limited past the
 * captured bytes (a structure read whole stops there).
 */
export function lacks(p: u32, end: u32, n: u32): bool {
  if (has(p, end, n)) return false;
  markReadPast(end, p + n);
  return true;
}

/** Big-endian reads for bytes a has() check already covers. */
@inline export function be16(p: u32): u32 { return <u32>bswap<u16>(load<u16>(p)); }
@inline export function be32(p: u32): u32 { return bswap<u32>(load<u32>(p)); }

@inline export function u8at(p: u32, end: u32): u32 {
  if (!has(p, end, 1)) { markTruncated(); return 0; }
  return <u32>load<u8>(p);
}

@inline export function u16at(p: u32, end: u32): u32 {
  if (!has(p, end, 2)) { markTruncated(); return 0; }
  return <u32>bswap<u16>(load<u16>(p));
}

@inline export function u24at(p: u32, end: u32): u32 {
  if (!has(p, end, 3)) { markTruncated(); return 0; }
  return (<u32>load<u8>(p) << 16) | (<u32>load<u8>(p, 1) << 8) | <u32>load<u8>(p, 2);
}

@inline export function u32at(p: u32, end: u32): u32 {
  if (!has(p, end, 4)) { markTruncated(); return 0; }
  return bswap<u32>(load<u32>(p));
}

@inline export function u16le(p: u32, end: u32): u32 {
  if (!has(p, end, 2)) { markTruncated(); return 0; }
  return <u32>load<u16>(p);
}

@inline export function u32le(p: u32, end: u32): u32 {
  if (!has(p, end, 4)) { markTruncated(); return 0; }
  return load<u32>(p);
}

/** min(p + n, end) without wrapping: the end of a child that declares n bytes. */
@inline export function clampEnd(p: u32, n: u32, end: u32): u32 {
  if (p >= end) return end;
  return end - p > n ? p + n : end;
}

/** The length of the NUL-terminated string in [p, p + n) (n when there is no NUL), as a C string field holds it; the caller has checked the n bytes are there. */
export function cStringLength(p: u32, n: u32): u32 {
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) == 0) return i;
  return n;
}
