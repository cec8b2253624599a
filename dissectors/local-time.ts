// The local time zone, as tshark shows frame.time: the host's TZif rules
// (read by the engine, src/dissect/time-zone.ts) copied in once, so that a
// frame's offset and zone abbreviation need no call out of the module.
import { putCivilTime } from './calendar';
import { putc, puts } from './text';
import { table } from './tables';

const MAX_TRANSITIONS: u32 = 4096;
const MAX_TYPES: u32 = 256;
const NAME_BYTES: u32 = 8; // a length byte, then up to 7 characters

const transitionAt = table<i64>(MAX_TRANSITIONS);
const transitionType = table<u8>(MAX_TRANSITIONS);
const typeOffset = table<i32>(MAX_TYPES);
const typeName = table<u8>(MAX_TYPES * NAME_BYTES);
let transitions: u32 = 0;
let types: u32 = 0;

export function tzTransitionsPtr(): usize { return changetype<usize>(transitionAt); }
export function tzTransitionTypesPtr(): usize { return changetype<usize>(transitionType); }
export function tzOffsetsPtr(): usize { return changetype<usize>(typeOffset); }
export function tzNamesPtr(): usize { return changetype<usize>(typeName); }
export function tzCapacity(): u32 { return (MAX_TRANSITIONS << 16) | MAX_TYPES; }

/** How many transitions and types the engine wrote; with no type at all, local time is UTC. */
export function tzSetCounts(nTransitions: u32, nTypes: u32): void {
  transitions = min(nTransitions, MAX_TRANSITIONS);
  types = min(nTypes, MAX_TYPES);
  cacheFrom = 1; cacheTo = 0;
}

// The last lookup's answer holds from cacheFrom until before cacheTo.
let cacheFrom: i64 = 1;
let cacheTo: i64 = 0;
let cacheType: i32 = -1;

/** The local time type in force at `sec` (-1: UTC, no zone known). */
function typeAt(sec: i64): i32 {
  if (sec >= cacheFrom && sec < cacheTo) return cacheType;
  if (types == 0) { cacheFrom = i64.MIN_VALUE; cacheTo = i64.MAX_VALUE; cacheType = -1; return -1; }
  // The last transition at or before sec; before the first one, type 0 (RFC 8536).
  let lo: i32 = 0, hi: i32 = <i32>transitions - 1, found: i32 = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (unchecked(transitionAt[mid]) <= sec) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  cacheFrom = found < 0 ? i64.MIN_VALUE : unchecked(transitionAt[found]);
  cacheTo = found + 1 < <i32>transitions ? unchecked(transitionAt[found + 1]) : i64.MAX_VALUE;
  const t = found < 0 ? 0 : <i32>unchecked(transitionType[found]);
  cacheType = t < <i32>types ? t : 0;
  return cacheType;
}

/** Seconds east of UTC at `sec`. */
export function localOffset(sec: i64): i64 {
  const t = typeAt(sec);
  return t < 0 ? 0 : <i64>unchecked(typeOffset[t]);
}

/** tshark's local time: "Jan  1, 2024 00:00:00.000000000 UTC". */
export function putLocalTime(ns: i64): void {
  let sec = ns / 1_000_000_000;
  let frac = ns % 1_000_000_000;
  if (frac < 0) { frac += 1_000_000_000; sec--; }
  const t = typeAt(sec);
  putCivilTime(sec + (t < 0 ? 0 : <i64>unchecked(typeOffset[t])), <u32>frac);
  putc(32);
  if (t < 0) { puts('UTC'); return; }
  const name = changetype<usize>(typeName) + <usize>t * NAME_BYTES;
  const n = min(<u32>load<u8>(name), NAME_BYTES - 1);
  for (let i: u32 = 0; i < n; i++) putc(load<u8>(name + 1 + i));
}
