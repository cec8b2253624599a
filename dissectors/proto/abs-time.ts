// Absolute times as tshark prints its UTC time fields in -T fields
// ("Nov 25, 2009 18:26:53.746425000 UTC"), whatever the local zone.
import { puts } from '../text';
import { putCivilTime } from '../calendar';

/** Seconds since the epoch and nanoseconds as "Mon dd, yyyy hh:mm:ss.nnnnnnnnn UTC". */
export function putAbsoluteTime(sec: i64, nsec: u32): void {
  putCivilTime(sec, nsec);
  puts(' UTC');
}
