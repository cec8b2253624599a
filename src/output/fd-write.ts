import { writeSync } from 'node:fs';

/**
 * Writes all of `bytes` to `fd`, looping over partial writes and waiting out
 * EAGAIN (stdout may be a non-blocking pipe).  Other errors are thrown as is.
 */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
