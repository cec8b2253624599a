// The Internet checksum (RFC 1071) and the checksum status values Wireshark
// reports next to it.

export const enum ChecksumStatus { BAD = 0, GOOD = 1, UNVERIFIED = 2, NOT_PRESENT = 3 }

/** Adds the 16-bit big-endian words of [p, p + n) to `sum` (an odd last byte is padded with zero). */
export function onesComplementAdd(p: u32, n: u32, sum: u64): u64 {
  let i: u32 = 0;
  for (; i + 1 < n; i += 2) sum += <u64>bswap<u16>(load<u16>(p + i));
  if (i < n) sum += <u64>load<u8>(p + i) << 8;
  return sum;
}

/** The sum of a transport pseudo-header: both addresses (addrLen bytes each), the upper-layer length and protocol. */
export function pseudoHeaderSum(src: u32, dst: u32, addrLen: u32, length: u32, protocol: u32): u64 {
  const sum = onesComplementAdd(dst, addrLen, onesComplementAdd(src, addrLen, 0));
  return sum + <u64>(length >> 16) + <u64>(length & 0xffff) + protocol;
}

/** Folds a sum to 16 bits and complements it: 0 when the bytes summed include a correct checksum. */
export function foldChecksum(sum: u64): u32 {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return <u32>(~sum) & 0xffff;
}
