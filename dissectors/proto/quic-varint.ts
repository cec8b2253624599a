// QUIC's variable-length integers (RFC 9000 section 16): two bits of the
// first byte give the length, 1, 2, 4 or 8 bytes.
import { has } from '../cursor';

/** A QUIC variable-length integer at p (ends at `end`); sets varintLen, 0 when the bytes are not there. */
export let varintLen: u32 = 0;
export function varint(p: u32, end: u32): u64 {
  if (!has(p, end, 1)) { varintLen = 0; return 0; }
  const first = <u32>load<u8>(p);
  const n: u32 = 1 << (first >> 6);
  if (!has(p, end, n)) { varintLen = 0; return 0; }
  let v: u64 = <u64>(first & 0x3f);
  for (let i: u32 = 1; i < n; i++) v = (v << 8) | <u64>load<u8>(p + i);
  varintLen = n;
  return v;
}
