// -x: the frame's bytes as tshark prints them, 16 to a line: the offset in
// hex (4 digits, more when the frame needs them), the bytes, and the bytes
// as ASCII with '.' for anything not printable.
import { putc, putHexDigits, textOverflowed } from './text';

const BYTES_PER_LINE: u32 = 16;
// Where the ASCII starts, after the offset's digits: two spaces, 16 "xx " and two more spaces.
const ASCII_COLUMN: u32 = 2 + BYTES_PER_LINE * 3 + 2;

export function writeHexDump(data: u32, len: u32): void {
  let digits: u32 = 4;
  if (len > 0) while (digits < 8 && ((len - 1) >> (digits * 4)) != 0) digits++;
  for (let line: u32 = 0; line < len && !textOverflowed(); line += BYTES_PER_LINE) {
    const n = len - line < BYTES_PER_LINE ? len - line : BYTES_PER_LINE;
    putHexDigits(line, digits);
    putc(32); putc(32);
    for (let i: u32 = 0; i < n; i++) { putHexDigits(load<u8>(data + line + i), 2); putc(32); }
    for (let i: u32 = 2 + n * 3; i < ASCII_COLUMN; i++) putc(32);
    for (let i: u32 = 0; i < n; i++) {
      const c = <u32>load<u8>(data + line + i);
      putc(c >= 0x20 && c < 0x7f ? c : 46);
    }
    putc(10);
  }
}
