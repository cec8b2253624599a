// The Time column in the formats of tshark's -t and -u options.
import { putc, putDec, putDecPadded } from './text';
import { civilFromDays, civilYear, civilMonth, civilDay, daysFromCivil } from './calendar';
import { localOffset } from './local-time';
import { putSeconds } from './values';

/** tshark's -t: what the column shows.  Numbered as the engine passes them. */
export enum TimeFormat {
  RELATIVE = 0,          // r: since the first frame
  ABSOLUTE = 1,          // a: local time of day
  ABSOLUTE_DATE = 2,     // ad: local date and time
  ABSOLUTE_DOY = 3,      // adoy: local year/day-of-year and time
  DELTA = 4,             // d: since the previous frame read
  DELTA_DISPLAYED = 5,   // dd: since the previous frame shown
  EPOCH = 6,             // e: seconds since 1970
  UTC = 7,               // u
  UTC_DATE = 8,          // ud
  UTC_DOY = 9,           // udoy
}

let format = TimeFormat.RELATIVE;
// -u hms: relative times and deltas as "1h  2m  3.000000s" (Wireshark's set_time_hour_min_sec).
let hms = false;

export function setTimeFormat(f: u32, hoursMinutes: bool): void {
  format = f <= <u32>TimeFormat.UTC_DOY ? <TimeFormat>f : TimeFormat.RELATIVE;
  hms = hoursMinutes;
}

/**
 * The column of a frame at `epochNs` whose time has `digits` decimals (0: the
 * frame has no time, and the column is empty, as tshark's).
 */
export function putTimeColumn(epochNs: i64, relNs: i64, deltaNs: i64, deltaDisplayedNs: i64, digits: u32): void {
  if (digits == 0) return;
  switch (format) {
    case TimeFormat.RELATIVE: putSpan(relNs, digits); break;
    case TimeFormat.DELTA: putSpan(deltaNs, digits); break;
    case TimeFormat.DELTA_DISPLAYED: putSpan(deltaDisplayedNs, digits); break;
    case TimeFormat.EPOCH: putSeconds(epochNs, digits); break;
    default: putWallClock(epochNs, digits); break;
  }
}

/** A span of time: seconds, or with -u hms hours and minutes before them, each under 60 padded to two places. */
function putSpan(ns: i64, digits: u32): void {
  if (!hms) { putSeconds(ns, digits); return; }
  if (ns < 0) { putc(45); putc(32); ns = -ns; }
  const secs = ns / 1_000_000_000;
  if (secs >= 3600) {
    putDec(<u64>(secs / 3600)); putc(104); putc(32);
    putSpacePadded(<u64>(secs / 60 % 60)); putc(109); putc(32);
  } else if (secs >= 60) {
    putDec(<u64>(secs / 60)); putc(109); putc(32);
  }
  if (secs >= 60) putSpacePadded(<u64>(secs % 60)); else putDec(<u64>secs);
  putFraction(ns, digits);
  putc(115);
}

/** Wireshark's "%2d": a value under 10 gets a space in front. */
function putSpacePadded(v: u64): void {
  if (v < 10) putc(32);
  putDec(v);
}

/** The clock formats: local or UTC, the time of day after a date, a day of the year or nothing. */
function putWallClock(epochNs: i64, digits: u32): void {
  let sec = epochNs / 1_000_000_000;
  if (epochNs % 1_000_000_000 < 0) sec--;
  const utc = format >= TimeFormat.UTC;
  if (!utc) sec += localOffset(sec);
  let days = sec / 86_400;
  let rest = sec % 86_400;
  if (rest < 0) { rest += 86_400; days--; }
  const kind = utc ? format - TimeFormat.UTC : format - TimeFormat.ABSOLUTE;
  if (kind != 0) {
    civilFromDays(days);
    putDecPadded(<u64>civilYear, 4);
    if (kind == 1) {
      putc(45); putDecPadded(<u64>civilMonth, 2); putc(45); putDecPadded(<u64>civilDay, 2);
    } else {
      putc(47); putDecPadded(<u64>(days - daysFromCivil(civilYear, 1, 1) + 1), 3);
    }
    putc(32);
  }
  putDecPadded(<u64>(rest / 3600), 2); putc(58);
  putDecPadded(<u64>(rest / 60 % 60), 2); putc(58);
  putDecPadded(<u64>(rest % 60), 2);
  putFraction(epochNs, digits);
}

/** The fraction of a second of `ns`, truncated to `digits` decimals, after a point. */
function putFraction(ns: i64, digits: u32): void {
  let frac = ns % 1_000_000_000;
  if (frac < 0) frac += 1_000_000_000;
  let f = <u64>frac;
  for (let i = digits; i < 9; i++) f /= 10;
  putc(46);
  putDecPadded(f, digits);
}
