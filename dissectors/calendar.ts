// Civil (proleptic Gregorian) dates from a count of days since 1970-01-01,
// by eras of 400 years.  Results in globals: nothing is allocated.
import { puts, putc, putDec, putDecPadded } from './text';
export let civilYear: i64 = 0;
export let civilMonth: i64 = 0;
export let civilDay: i64 = 0;

export function civilFromDays(days: i64): void {
  const z = days + 719_468;
  const era = (z >= 0 ? z : z - 146_096) / 146_097;
  const dayOfEra = z - era * 146_097;
  const yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
  const dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  const mp = (5 * dayOfYear + 2) / 153;
  civilDay = dayOfYear - (153 * mp + 2) / 5 + 1;
  civilMonth = mp < 10 ? mp + 3 : mp - 9;
  civilYear = yearOfEra + era * 400 + (civilMonth <= 2 ? 1 : 0);
}

/** Days since 1970-01-01 of a civil date: civilFromDays the other way round. */
export function daysFromCivil(year: i64, month: i64, day: i64): i64 {
  const y = month <= 2 ? year - 1 : year;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yearOfEra = y - era * 400;
  const dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const MONTHS: StaticArray<string> = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Seconds since the epoch (already shifted to the zone wanted) and nanoseconds as tshark's "Mon dd, yyyy hh:mm:ss.nnnnnnnnn". */
export function putCivilTime(sec: i64, nsec: u32): void {
  let days = sec / 86_400;
  let rest = sec % 86_400;
  if (rest < 0) { rest += 86_400; days -= 1; }
  civilFromDays(days);
  puts(unchecked(MONTHS[<i32>civilMonth - 1]));
  putc(32);
  if (civilDay < 10) putc(32);
  putDec(<u64>civilDay); puts(', '); putDec(<u64>civilYear); putc(32);
  putDecPadded(<u64>(rest / 3600), 2); putc(58);
  putDecPadded(<u64>(rest / 60 % 60), 2); putc(58);
  putDecPadded(<u64>(rest % 60), 2); putc(46);
  putDecPadded(nsec, 9);
}
