// The host's local time zone as tshark uses it (through the C library):
// the TZif file TZ names, or /etc/localtime.  Read once; its transitions,
// offsets and abbreviations go into the dissector module, which formats
// frame.time without calling out.  With no readable file, local time is UTC.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export interface TimeZone {
  /** Seconds since the epoch at which each transition takes effect, ascending. */
  transitions: bigint[];
  /** The local time type each transition starts. */
  transitionTypes: number[];
  /** Per local time type: seconds east of UTC and the abbreviation ("CET"). */
  offsets: number[];
  names: string[];
}

const ZONEINFO = '/usr/share/zoneinfo';

function zoneFile(): string {
  const tz = process.env.TZ;
  if (tz === undefined || tz === '') return '/etc/localtime';
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  return isAbsolute(name) ? name : join(ZONEINFO, name);
}

/**
 * The local zone, or undefined (UTC) when it cannot be known: TZ names no
 * readable TZif file and is not a fixed-offset rule ("CET-1", "<+0530>-5:30").
 */
export function localTimeZone(): TimeZone | undefined {
  try {
    return parseTzif(readFileSync(zoneFile()));
  } catch {
    return fixedOffsetRule(process.env.TZ);
  }
}

/**
 * A POSIX TZ rule without daylight saving time: a name, then the hours (and
 * minutes, seconds) to add to local time to get UTC, so "CET-1" is UTC+1.
 * Rules with a daylight part are not read (they are taken as UTC).
 */
export function fixedOffsetRule(tz: string | undefined): TimeZone | undefined {
  const m = /^:?([A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)([+-]?)(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?$/.exec(tz ?? '');
  if (!m) return undefined;
  const west = Number(m[3]) * 3600 + Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0);
  const name = m[1].startsWith('<') ? m[1].slice(1, -1) : m[1];
  return { transitions: [], transitionTypes: [], offsets: [m[2] === '-' ? west : -west], names: [name] };
}

/** RFC 8536: the version 2+ block (64-bit times) when present, else version 1's. */
export function parseTzif(buf: Buffer): TimeZone | undefined {
  if (buf.length < 44 || buf.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = buf[4];
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((i) => buf.readUInt32BE(at + 20 + i * 4));
  let at = 0;
  let timeSize = 4;
  if (version >= 0x32) {
    const [isut, isstd, leap, time, type, chars] = counts(0);
    at = 44 + time * 4 + time + type * 6 + chars + leap * 8 + isstd + isut;
    if (buf.length < at + 44 || buf.toString('latin1', at, at + 4) !== 'TZif') return undefined;
    timeSize = 8;
  }
  const [, , , timecnt, typecnt, charcnt] = counts(at);
  let p = at + 44;
  if (buf.length < p + timecnt * (timeSize + 1) + typecnt * 6 + charcnt) return undefined;
  const transitions: bigint[] = [];
  for (let i = 0; i < timecnt; i++, p += timeSize) {
    transitions.push(timeSize === 8 ? buf.readBigInt64BE(p) : BigInt(buf.readInt32BE(p)));
  }
  const transitionTypes = [...buf.subarray(p, p + timecnt)];
  p += timecnt;
  const offsets: number[] = [];
  const nameAt: number[] = [];
  for (let i = 0; i < typecnt; i++, p += 6) {
    offsets.push(buf.readInt32BE(p));
    nameAt.push(buf[p + 5]);
  }
  const chars = buf.subarray(p, p + charcnt);
  const names = nameAt.map((n) => {
    const end = chars.indexOf(0, n);
    return chars.toString('latin1', n, end < 0 ? chars.length : end);
  });
  return { transitions, transitionTypes, offsets, names };
}

/** Seconds east of UTC at `sec` in `zone` (UTC when there is none): the last transition at or before it, type 0 before the first. */
export function utcOffsetAt(zone: TimeZone | undefined, sec: bigint): number {
  if (!zone || zone.offsets.length === 0) return 0;
  let type = 0;
  for (let i = 0; i < zone.transitions.length && zone.transitions[i] <= sec; i++) type = zone.transitionTypes[i];
  return zone.offsets[type] ?? zone.offsets[0];
}
