/**
 * Absolute times in display filters, as Wireshark 4.0 reads them: ISO 8601
 * ("2024-01-01 10:00:00.5", "2024-01-01T10:00:00Z", "...+01:00") or
 * "Jan  1, 2024 10:00:00.5", with an optional " UTC"; without a zone the
 * time is local (the zone TZ names, as the C library's mktime()).  Out of
 * range days and seconds roll over as mktime() rolls them ("Feb 30" is
 * March 1).
 */
import { FilterSyntaxError } from './parse.js';
import { localTimeZone, utcOffsetAt, type TimeZone } from '../dissect/time-zone.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ISO = /^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$/;
const LEGACY = /^([A-Za-z]{3}) \s*(\d{1,2}),\s*(\d{1,4})\s+(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?\s*(UTC)?\s*$/;

let zone: TimeZone | undefined | null = null;

/** Nanoseconds since the epoch of the date and time `text`. */
export function parseAbsoluteTime(text: string): bigint {
  let m = ISO.exec(text);
  let fields: { year: number; month: number; day: number; hour: number; minute: number; second: number; fraction?: string; zone?: string } | undefined;
  if (m) {
    fields = { year: +m[1], month: +m[2] - 1, day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0), fraction: m[7], zone: m[8] };
  } else if ((m = LEGACY.exec(text)) && MONTHS.includes(m[1].toLowerCase())) {
    fields = { year: +m[3], month: MONTHS.indexOf(m[1].toLowerCase()), day: +m[2], hour: +m[4], minute: +m[5], second: +m[6], fraction: m[7], zone: m[8] };
  }
  if (!fields || fields.hour > 23 || fields.minute > 59 || fields.second > 61 || fields.day < 1 || fields.day > 31 || fields.month > 11) {
    throw new FilterSyntaxError(`"${text}" is not a valid absolute time (as "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56")`);
  }
  // The wall-clock time as if it were UTC; Date rolls over as mktime() does.
  const date = new Date(0);
  date.setUTCFullYear(fields.year, fields.month, fields.day);
  date.setUTCHours(fields.hour, fields.minute, fields.second, 0);
  const wall = BigInt(date.getTime() / 1000);
  const seconds = wall - BigInt(offsetOf(fields.zone, wall));
  const ns = BigInt((fields.fraction ?? '').slice(0, 9).padEnd(9, '0'));
  return seconds * 1_000_000_000n + ns;
}

/** Seconds east of UTC of the zone written after a time, or of local time at wall-clock time `wall`. */
function offsetOf(written: string | undefined, wall: bigint): number {
  if (written === 'Z' || written === 'UTC') return 0;
  if (written) {
    const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(written)!;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60);
  }
  if (zone === null) zone = localTimeZone();
  // The instant whose local time is `wall`: its offset is the offset at (wall - that offset).
  return utcOffsetAt(zone, wall - BigInt(utcOffsetAt(zone, wall - BigInt(utcOffsetAt(zone, wall)))));
}
