// Reads for the TLS dissector that stop the packet on running past the
// segment, as Wireshark's exceptions do: once a read fails, `failed` is set,
// the packet is marked, nothing more is added and every caller returns.
import { markTruncated, markMalformed } from '../packet';

export let failed = false;
let segmentEndAt: u32 = 0;

export function beginReads(end: u32): void { failed = false; segmentEndAt = end; }

export function segmentEnd(): u32 { return segmentEndAt; }

/** Moves where reads may go (a reassembled message is read from its own buffer). */
export function setReadEnd(end: u32): void { segmentEndAt = end; }

/** Stops the packet as a failed assertion does (Wireshark's DISSECTOR_ASSERT). */
export function failMalformed(): void { if (!failed) { failed = true; markMalformed(); } }

/** Whether n bytes at p were captured; if not, the packet stops here. */
export function avail(p: u32, n: u32): bool {
  if (failed) return false;
  if (p <= segmentEndAt && segmentEndAt - p >= n) return true;
  failed = true;
  markTruncated();
  return false;
}

export function rd8(p: u32): u32 { return avail(p, 1) ? <u32>load<u8>(p) : 0; }
export function rd16(p: u32): u32 { return avail(p, 2) ? <u32>bswap<u16>(load<u16>(p)) : 0; }
export function rd24(p: u32): u32 { return avail(p, 3) ? (<u32>load<u8>(p) << 16) | (<u32>load<u8>(p, 1) << 8) | <u32>load<u8>(p, 2) : 0; }
