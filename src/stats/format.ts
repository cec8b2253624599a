// Number formats of tshark's statistics printers.

/**
 * Wireshark's format_size with FORMAT_SIZE_UNIT_BYTES and SI prefixes:
 * "787 bytes", "12 kB" (whole units, once there are at least ten of them).
 */
export function formatSize(bytes: number): string {
  const prefixes: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [power, prefix] of prefixes) {
    if (bytes / power >= 10) return `${Math.floor(bytes / power)} ${prefix}B`;
  }
  return `${bytes} bytes`;
}

/**
 * printf's %.Nf: JavaScript's toFixed rounds an exact tie up, the C library
 * to even; the value's exact binary expansion decides which case it is.
 */
export function fixed(value: number, digits: number): string {
  // printf keeps the sign of a negative zero (a count over a negative elapsed time), toFixed drops it.
  if (Object.is(value, -0)) return `-${fixed(0, digits)}`;
  const text = value.toFixed(digits);
  const exact = value.toFixed(Math.min(100, digits + 30)).replace(/0+$/, '');
  const fraction = exact.split('.')[1] ?? '';
  if (fraction.length !== digits + 1 || fraction[digits] !== '5') return text;
  // An exact tie: round the kept digits to even.
  const truncated = exact.slice(0, exact.length - 1);
  const last = Number(truncated[truncated.length - 1]);
  return last % 2 === 0 ? (digits === 0 ? truncated.replace(/\.$/, '') : truncated) : text;
}
