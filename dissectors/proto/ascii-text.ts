// Text taken from packets the way Wireshark's ENC_ASCII reads it, and the
// info-column rendering of a line (format_text).
import { addBytes, wanted } from '../packet';
import { scratchBegin, scratchEnd } from '../columns';
import { putc } from '../text';
import { utf8SequenceLength } from '../escape';

function putReplacement(): void { putc(0xef); putc(0xbf); putc(0xbd); }

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
  for (let i: u32 = 0; i < len; i++) {
    const c = <u32>load<u8>(p + i);
    if (c >= 0x80) putReplacement(); else putc(c);
  }
  addBytes(f, s, scratchEnd(s));
}

/** Writes a line as Wireshark's format_text shows it: C escapes for control characters, UTF-8 kept, broken UTF-8 as U+FFFD. */
export function putFormatText(p: u32, n: u32): void {
  const end = p + n;
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c >= 0x20 && c < 0x7f) { putc(c); p++; continue; }
    if (c >= 0x80) {
      const k = utf8SequenceLength(p, end);
      if (k > 0) { for (let i: u32 = 0; i < k; i++) putc(load<u8>(p + i)); p += k; } else { putReplacement(); p++; }
      continue;
    }
    putc(92);
    if (c == 7) putc(97);
    else if (c == 8) putc(98);
    else if (c == 9) putc(116);
    else if (c == 10) putc(110);
    else if (c == 11) putc(118);
    else if (c == 12) putc(102);
    else if (c == 13) putc(114);
    else { putc(48 + (c >> 6)); putc(48 + ((c >> 3) & 7)); putc(48 + (c & 7)); }
    p++;
  }
}
