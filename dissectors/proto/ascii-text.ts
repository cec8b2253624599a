// Text taken from packets the way Wireshark's ENC_ASCII reads it.
import { addBytes, wanted } from '../packet';
import { scratchBegin, scratchEnd } from '../columns';
import { putc } from '../text';

/** Writes the n bytes at p as Wireshark's ENC_ASCII reads them: each byte above 0x7f as U+FFFD. */
export function putAsciiBytes(p: u32, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x80) putc(c); else { putc(0xef); putc(0xbf); putc(0xbd); }
  }
}

/**
 * Adds the n bytes at p as an ENC_ASCII string field: the string ends at a
 * NUL, and every byte outside ASCII becomes U+FFFD (rewritten into scratch
 * space only when there is such a byte).
 */
export function addAscii(f: u32, p: u32, n: u32): void {
  if (!unchecked(wanted[f])) return;
  let len = n;
  let clean = true;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 0) { len = i; break; }
    if (c >= 0x80) clean = false;
  }
  if (clean) { addBytes(f, p, len); return; }
  const s = scratchBegin();
  putAsciiBytes(p, len);
  addBytes(f, s, scratchEnd(s));
}
