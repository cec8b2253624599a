/**
 * A stats_tree node's burst rate: the most ticks that fell in any window of
 * 100 ms, counted in buckets of 5 ms (Wireshark's default st_burst_windowlen
 * and st_burst_resolution), and the start of the first bucket of that
 * window.  Frames out of time order are fitted in where they belong, as
 * Wireshark's update_burst_calc does, and one too old for the window is
 * dropped.
 */
export const BURST_WINDOW_MS = 100;
const BURST_RESOLUTION_MS = 5;
const WINDOW_BUCKETS = Math.trunc(BURST_WINDOW_MS / BURST_RESOLUTION_MS);

interface Bucket {
  number: number;
  count: number;
  startTime: number;
}

export class Burst {
  /** In bucket order; never empty (Wireshark starts with an empty bucket 0). */
  private readonly buckets: Bucket[] = [{ number: 0, count: 0, startTime: 0 }];
  private windowCount = 0;
  /** The most ticks in one window so far (0: none). */
  max = 0;
  /** When the window of the most ticks began, in milliseconds since the first frame. */
  start = -1;

  add(nowMs: number, value: number): void {
    const current = Math.floor(nowMs / BURST_RESOLUTION_MS);
    const buckets = this.buckets;
    const bucket = (b: number, startTime: number): Bucket => ({ number: b, count: value, startTime });
    if (current > buckets[buckets.length - 1].number) {
      buckets.push(bucket(current, nowMs));
      this.windowCount += value;
      while (current >= buckets[0].number + WINDOW_BUCKETS) this.windowCount -= buckets.shift()!.count;
    } else if (current < buckets[0].number) {
      if (current + WINDOW_BUCKETS > buckets[buckets.length - 1].number) {
        buckets.unshift(bucket(current, nowMs));
        this.windowCount += value;
      }
    } else {
      let i = buckets.length - 1;
      while (current < buckets[i].number) i--;
      if (current === buckets[i].number) {
        buckets[i].count += value;
        if (buckets[i].startTime > nowMs) buckets[i].startTime = nowMs;
      } else {
        buckets.splice(i + 1, 0, bucket(current, nowMs));
      }
      this.windowCount += value;
    }
    if (this.windowCount > this.max) {
      this.max = this.windowCount;
      this.start = buckets[0].startTime;
    }
  }
}
