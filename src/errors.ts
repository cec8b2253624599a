/**
 * Typed errors.  Anything thrown as an XcapError is shown to the user as one
 * line (`xcap: <message>`) with its exit code; anything else is a bug and is
 * reported as one.
 */
export class XcapError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong flags or arguments: exit 2, as tcpdump and tshark do. */
export class UsageError extends XcapError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A file that cannot be opened, is not a capture, or is damaged beyond a readable prefix. */
export class CaptureFileError extends XcapError {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`, 1);
  }
}

/**
 * The reader of our output went away (`xcap read ... | head`, a closed
 * `-w -` pipe): not a failure, so the command stops quietly.
 */
export class OutputClosed extends XcapError {
  constructor() {
    super('output closed', 0);
  }
}

export function describeSystemError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOSPC': return 'no space left on device';
    case 'EPIPE': return 'broken pipe';
    default: return e?.message ?? String(err);
  }
}
