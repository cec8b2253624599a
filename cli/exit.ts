// One place maps errors to what the user sees: a single line on stderr and
// an exit code.  Expected problems are XcapErrors; anything else is a bug and
// says so, still on one line (XCAP_DEBUG=1 shows the stack).
import { OutputClosed, XcapError, UsageError } from '../src/errors.js';

export function reportError(err: unknown): number {
  if (err instanceof OutputClosed) return 0;
  if (err instanceof XcapError) {
    process.stderr.write(`xcap: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`xcap: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.XCAP_DEBUG) process.stderr.write(`${e?.stack}\n`);
  return 70;
}

export async function runCommand(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/** yargs' fail handler: a usage problem becomes a UsageError (exit 2). */
export function usageFailure(msg: string | null, err: Error | undefined): never {
  if (err) throw err instanceof XcapError ? err : new UsageError(err.message);
  // yargs spreads some messages over lines ("Invalid values:\n  Argument: ..."): the user gets one.
  const oneLine = (msg ?? 'invalid arguments').replace(/:?\s*\n\s*/g, ': ');
  throw new UsageError(`${oneLine} (see 'xcap --help')`);
}
