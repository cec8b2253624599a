// Absolute times as tshark prints them in -T fields for local-time fields
// ("Nov 25, 2009 18:26:53.746425000 UTC"); the time zone is always UTC here.
import { puts, putc, putDec, putDecPadded } from '../text';

const MONTHS: StaticArray<string> = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Seconds since the epoch and nanoseconds as "Mon dd, yyyy hh:mm:ss.nnnnnnnnn UTC". */
export function putAbsoluteTime(sec: i64, nsec: u32): void {
  let days = sec / 86_400;
  let rest = sec % 86_400;
  if (rest < 0) { rest += 86_400; days -= 1; }
  // Civil date from a day count (proleptic Gregorian, eras of 400 years).
  const z = days + 719_468;
  const era = (z >= 0 ? z : z - 146_096) / 146_097;
  const dayOfEra = z - era * 146_097;
  const yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
  const dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  const mp = (5 * dayOfYear + 2) / 153;
  const day = dayOfYear - (153 * mp + 2) / 5 + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  puts(unchecked(MONTHS[<i32>month - 1]));
  putc(32);
  if (day < 10) putc(32);
  putDec(<u64>day); puts(', '); putDec(<u64>year); putc(32);
  putDecPadded(<u64>(rest / 3600), 2); putc(58);
  putDecPadded(<u64>(rest / 60 % 60), 2); putc(58);
  putDecPadded(<u64>(rest % 60), 2); putc(46);
  putDecPadded(nsec, 9);
  puts(' UTC');
}
