import { writeAllSync } from './fd-write.js';
import { OutputClosed, XcapError, describeSystemError } from '../errors.js';

/** Writes text to a file descriptor (stdout by default), mapping a closed pipe to OutputClosed. */
export function fdSink(fd = 1): (bytes: Uint8Array) => void {
  return (bytes) => {
    try {
      writeAllSync(fd, bytes);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') throw new OutputClosed();
      throw new XcapError(`writing output failed: ${describeSystemError(err)}`);
    }
  };
}
