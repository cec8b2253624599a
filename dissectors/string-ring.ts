// Strings kept past their packet (a conversation's last request URI) in one
// fixed ring of bytes.  A string is named by where it was written, counted
// from the start of the ring's life (64 bits: it never wraps); once the ring
// has written a full turn past it, it is gone, and looking it up says so
// rather than give other bytes.  A string is never split at the ring's end.
import { table } from './tables';

const RING_BYTES: u64 = 256 * 1024;
const ring = table<u8>(<i32>RING_BYTES);
let written: u64 = 0;

/** Keeps the n bytes at p; returns where they went (+1, so that 0 names nothing), or 0 when too long to keep. */
export function keepString(p: u32, n: u32): u64 {
  if (<u64>n > RING_BYTES) return 0;
  const offset = written % RING_BYTES;
  if (offset + <u64>n > RING_BYTES) written += RING_BYTES - offset;
  const at = written;
  memory.copy(changetype<usize>(ring) + <usize>(at % RING_BYTES), p, n);
  written += <u64>n;
  return at + 1;
}

/** The address of the string kept at `position` (from keepString), or 0 when it is gone. */
export function keptString(position: u64): u32 {
  if (position == 0) return 0;
  const at = position - 1;
  if (written - at > RING_BYTES) return 0;
  return changetype<u32>(ring) + <u32>(at % RING_BYTES);
}
