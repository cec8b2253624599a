// Absolute times as tshark prints them in -T fields for local-time fields
// ("Nov 25, 2009 18:26:53.746425000 UTC"); the time zone is always UTC here.
import { puts, putc, putDec, putDecPadded } from '../text';
import { civilFromDays, civilYear, civilMonth, civilDay } from '../calendar';

const MONTHS: StaticArray<string> = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Seconds since the epoch and nanoseconds as "Mon dd, yyyy hh:mm:ss.nnnnnnnnn UTC". */
export function putAbsoluteTime(sec: i64, nsec: u32): void {
  let days = sec / 86_400;
  let rest = sec % 86_400;
  if (rest < 0) { rest += 86_400; days -= 1; }
  civilFromDays(days);
  const day = civilDay;
  const month = civilMonth;
  const year = civilYear;
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
