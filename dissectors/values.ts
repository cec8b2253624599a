// Prints one field occurrence the way `tshark -T fields` does.
import { FT, Base, fieldType, fieldBase, fieldHexDigits } from './fields';
import { entryField, entryValue, entryLen } from './packet';
import { putc, puts, putDec, putSigned, putHex, putIPv4, putIPv6, putEther, putHexBytes, putDecPadded } from './text';
import { putFieldString, putFieldText } from './escape';
import { putLocalTime } from './local-time';

export function putEntryValue(e: i32): void {
  const f = <u32>unchecked(entryField[e]);
  const v = unchecked(entryValue[e]);
  const len = unchecked(entryLen[e]);
  switch (<i32>unchecked(fieldType[f])) {
    case FT.UINT: {
      const base = <i32>unchecked(fieldBase[f]);
      // A numeric entry's length, when set, is its hex width (addNumHexWidth).
      if (base == Base.HEX || base == Base.HEX_DEC) putHex(v, len != 0 ? len : unchecked(fieldHexDigits[f]));
      else putDec(v);
      break;
    }
    case FT.INT: putSigned(<i64>v); break;
    case FT.BOOL: putc(v != 0 ? 49 : 48); break;
    case FT.IPV4: putIPv4(<u32>v); break;
    case FT.IPV6: putIPv6(<u32>v); break;
    case FT.ETHER: putEther(<u32>v); break;
    case FT.STRING:
      if (<i32>unchecked(fieldBase[f]) == Base.FINAL_TEXT) putFieldText(<u32>v, len); else putFieldString(<u32>v, len);
      break;
    case FT.BYTES:
      if (len == 0) puts(<i32>unchecked(fieldBase[f]) == Base.ALLOW_ZERO ? '<none>' : '<MISSING>');
      else putHexBytes(<u32>v, len);
      break;
    // tshark -T fields prints "1" so that a field without a value can still be seen.
    case FT.NONE: putc(49); break;
    case FT.TIME_REL:
    // tshark prints time fields with nanoseconds whatever the capture's resolution.
    case FT.TIME_ABS:
      if (<i32>unchecked(fieldBase[f]) == Base.LOCAL_TIME) putLocalTime(<i64>v); else putSeconds(<i64>v, 9);
      break;
    default: break;
  }
}

/** A time in nanoseconds printed as seconds with `digits` decimals ("1.000000000"). */
export function putSeconds(ns: i64, digits: u32): void {
  if (ns < 0) { putc(45); ns = -ns; }
  putDec(<u64>(ns / 1_000_000_000));
  if (digits == 0) return;
  putc(46);
  let frac = <u64>(ns % 1_000_000_000);
  for (let i = digits; i < 9; i++) frac /= 10;
  putDecPadded(frac, digits);
}

/** A label for -V and the info column. */
export function putLabel(s: string): void { puts(s); }
