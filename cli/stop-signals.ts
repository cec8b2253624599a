// SIGINT and SIGTERM ask a long-running command to stop cleanly (finish the
// batch, write what is left, detach); a second one exits at once, as tcpdump does.

export interface StopSignals {
  /** Aborted by the first SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Puts the default handlers back. */
  release(): void;
}

export function catchStopSignals(): StopSignals {
  const controller = new AbortController();
  let received = 0;
  const onSignal = (): void => {
    if (++received > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
