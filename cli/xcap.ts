#!/usr/bin/env node
// The xcap command: subcommands load lazily so `xcap --help` stays fast.
import { yargs, hideBin } from './yargs-bundle.js';
import { runCommand, usageFailure } from './exit.js';

/**
 * yargs renders the chosen command's whole help text after starting its
 * handler and keeps it for a failure path that xcap's fail handler replaces:
 * 30-60 ms of every run's start.  Skipped where yargs' internals allow it.
 */
function skipHelpCaching<T extends object>(parser: T): T {
  const usage = (parser as { getInternalMethods?: () => { getUsageInstance?: () => Record<string, unknown> } })
    .getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
  return parser;
}

await runCommand(async () => {
  await skipHelpCaching(yargs(hideBin(process.argv)))
    .scriptName('xcap')
    .command((await import('./commands/read.js')).readCommand)
    .command((await import('./commands/fields.js')).fieldsCommand)
    .command((await import('./commands/record.js')).recordCommand)
    .command((await import('./commands/interfaces.js')).interfacesCommand)
    .command((await import('./commands/demo.js')).demoCommand)
    .command((await import('./commands/replay.js')).replayCommand)
    .demandCommand(1, 'name a command: read, record, replay, interfaces, demo, fields')
    .strict()
    .fail(usageFailure)
    .help()
    .version(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .parseAsync();
});
