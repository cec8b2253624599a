// How tshark renders string fields under -T fields and in JSON.
import { putc, hexDigit } from './text';

/**
 * Printable ASCII as is (a backslash too: tshark 4.0's -T fields does not
 * escape it); C control characters escaped; valid UTF-8 passed through,
 * invalid bytes as \xNN.
 */
export function putFieldString(p: u32, n: u32): void {
  const end = p + n;
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c >= 0x20 && c < 0x7f) {
      putc(c);
      p++;
      continue;
    }
    if (c >= 0x80) {
      const k = utf8SequenceLength(p, end);
      if (k > 0) { for (let i: u32 = 0; i < k; i++) putc(load<u8>(p + i)); p += k; continue; }
    }
    putControl(c);
    p++;
  }
}

/** A string as tshark's -T fields writer prints it (print_escaped_csv): \b \f \n \r \t escaped, every other byte as is. */
export function putFieldText(p: u32, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 8 || c == 12 || c == 10 || c == 13 || c == 9) putControl(c); else putc(c);
  }
}

function putControl(c: u32): void {
  putc(92);
  switch (c) {
    case 7: putc(97); return;
    case 8: putc(98); return;
    case 9: putc(116); return;
    case 10: putc(110); return;
    case 11: putc(118); return;
    case 12: putc(102); return;
    case 13: putc(114); return;
    default: putc(120); putc(hexDigit(c >> 4)); putc(hexDigit(c & 15));
  }
}

/** Length of the valid UTF-8 sequence at p (2..4), or 0. */
export function utf8SequenceLength(p: u32, end: u32): u32 {
  const c = <u32>load<u8>(p);
  let k: u32 = 0;
  let min: u32 = 0;
  if ((c & 0xe0) == 0xc0) { k = 2; min = 0x80; }
  else if ((c & 0xf0) == 0xe0) { k = 3; min = 0x800; }
  else if ((c & 0xf8) == 0xf0) { k = 4; min = 0x10000; }
  else return 0;
  if (end - p < k) return 0;
  let cp = c & (0x7f >> k);
  for (let i: u32 = 1; i < k; i++) {
    const b = <u32>load<u8>(p + i);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return k;
}

/** JSON string body: quotes, backslash and control characters escaped; invalid UTF-8 as \u00NN. */
export function putJsonString(p: u32, n: u32): void {
  const end = p + n;
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 34 || c == 92) { putc(92); putc(c); p++; continue; }
    if (c >= 0x20 && c < 0x7f) { putc(c); p++; continue; }
    if (c >= 0x80) {
      const k = utf8SequenceLength(p, end);
      if (k > 0) { for (let i: u32 = 0; i < k; i++) putc(load<u8>(p + i)); p += k; continue; }
    }
    putc(92); putc(117); putc(48); putc(48); putc(hexDigit(c >> 4)); putc(hexDigit(c & 15));
    p++;
  }
}
