// Wireshark's format_text(), the way it shows a byte string as text in
// columns and trees: DNS names, SSH version lines.
import { putc, putRaw, putHexUpper } from './text';

// Wireshark's format_text(): printable ASCII as is, other ASCII as C escapes
// (\n, \t ... or octal \ooo), UTF-8 sequences decoded permissively (overlong
// forms accepted) and re-encoded, broken ones as U+FFFD, and code points that
// are not printable as \uXXXX / \UXXXXXXXX.
const REPLACEMENT: u32 = 0xfffd;

export function putFormatText(p: u32, n: u32): void {
  const end = p + n;
  while (p < end) {
    // A run of printable ASCII, most names, goes out in one copy.
    let q = p;
    while (q < end && <u32>load<u8>(q) - 0x20 < 0x5f) q++;
    if (q > p) { putRaw(p, q - p); p = q; continue; }
    let c = <u32>load<u8>(p++);
    if (c < 0x80) { putAsciiEscape(c); continue; }
    let more: i32 = -1;
    let cp: u32 = 0;
    if ((c & 0xe0) == 0xc0) { more = 1; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { more = 2; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { more = 3; cp = c & 0x07; }
    else if ((c & 0xfc) == 0xf8) { more = 4; cp = c & 0x03; }
    else if ((c & 0xfe) == 0xfc) { more = 5; cp = c & 0x01; }
    if (more < 0) cp = REPLACEMENT;
    for (let i = 0; i < more; i++) {
      if (p >= end) { cp = REPLACEMENT; break; }
      c = <u32>load<u8>(p);
      // A byte that does not continue the sequence starts the next character.
      if ((c & 0xc0) != 0x80) { cp = REPLACEMENT; break; }
      p++;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = REPLACEMENT;
    if (isPrintable(cp)) putUtf8(cp);
    else putUniversalName(cp);
  }
}

function putAsciiEscape(c: u32): void {
  putc(92);
  switch (c) {
    case 7: putc(97); return;
    case 8: putc(98); return;
    case 12: putc(102); return;
    case 10: putc(110); return;
    case 13: putc(114); return;
    case 9: putc(116); return;
    case 11: putc(118); return;
    default: putc(48 + ((c >> 6) & 3)); putc(48 + ((c >> 3) & 7)); putc(48 + (c & 7));
  }
}

function putUtf8(cp: u32): void {
  if (cp < 0x80) { putc(cp); return; }
  if (cp < 0x800) { putc(0xc0 | (cp >> 6)); putc(0x80 | (cp & 0x3f)); return; }
  if (cp < 0x10000) { putc(0xe0 | (cp >> 12)); putc(0x80 | ((cp >> 6) & 0x3f)); putc(0x80 | (cp & 0x3f)); return; }
  putc(0xf0 | (cp >> 18)); putc(0x80 | ((cp >> 12) & 0x3f)); putc(0x80 | ((cp >> 6) & 0x3f)); putc(0x80 | (cp & 0x3f));
}

function putUniversalName(cp: u32): void {
  putc(92);
  const digits: u32 = cp <= 0xffff ? 4 : 8;
  putc(digits == 4 ? 117 : 85);
  putHexUpper(cp, digits);
}

// GLib's g_unichar_isprint() is false for control, format, unassigned and
// surrogate code points.  Controls, the format characters and the
// noncharacters are listed here; other unassigned code points print as
// themselves (a known, rare difference).
function isPrintable(cp: u32): bool {
  if (cp < 0xa0) return cp >= 0x20 && cp < 0x7f;
  if (cp == 0xad || cp == 0x61c || cp == 0x6dd || cp == 0x70f || cp == 0x8e2 || cp == 0x180e || cp == 0xfeff) return false;
  if (cp >= 0x600 && cp <= 0x605) return false;
  if (cp >= 0x200b && cp <= 0x200f) return false;
  if (cp >= 0x202a && cp <= 0x202e) return false;
  if (cp >= 0x2060 && cp <= 0x206f) return false; // format, and U+2065 unassigned
  if (cp >= 0xfdd0 && cp <= 0xfdef) return false;
  if ((cp & 0xfffe) == 0xfffe) return false;
  if (cp >= 0xfff9 && cp <= 0xfffb) return false;
  if (cp == 0x110bd || cp == 0x110cd || cp == 0xe0001) return false;
  if (cp >= 0x13430 && cp <= 0x13438) return false;
  if (cp >= 0x1bca0 && cp <= 0x1bca3) return false;
  if (cp >= 0x1d173 && cp <= 0x1d17a) return false;
  if (cp >= 0xe0020 && cp <= 0xe007f) return false;
  return true;
}
