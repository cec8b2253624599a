// Civil (proleptic Gregorian) dates from a count of days since 1970-01-01,
// by eras of 400 years.  Results in globals: nothing is allocated.
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
