/**
 * Letting a batch fill before reading it.  A reader that keeps up finds a
 * few frames waiting every time it looks, and then pays the per-batch costs
 * (the write system call, the event-loop turn, the wakeup) for each handful:
 * measured in the lab at 500k frames/s of 64 bytes, the ring buffer reader
 * took 1170-1810 ns of CPU per frame that way, and 240-340 ns when it first
 * let a millisecond of frames gather.  The kernel side holds far more than a
 * few milliseconds of frames (a 64 MiB ring, a UMEM of thousands of chunks),
 * so waiting loses nothing.
 */
const STEP_MS = 1;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps in steps of a millisecond, at most maxMs in all, while waiting() is below minimum. */
export function letBatchFill(waiting: () => number, minimum: number, maxMs: number): void {
  for (let slept = 0; slept < maxMs && waiting() < minimum; slept += STEP_MS) Atomics.wait(sleepCell, 0, 0, STEP_MS);
}
