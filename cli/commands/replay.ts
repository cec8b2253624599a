// xcap replay: send the frames of a capture file (or synthetic frames) out of an interface, like tcpreplay.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError, XcapError } from '../../src/errors.js';
import { describeInterface } from '../../src/capture/interfaces.js';
import { catchStopSignals } from '../stop-signals.js';

interface ReplayArgs {
  r?: string;
  i: string;
  rate?: number;
  loop: number;
  method: string;
  c?: number;
  maxSeconds: number;
  synthetic?: number;
}

const METHODS = ['af-packet', 'test-run', 'tc-clone'] as const;
const MAX_COUNT = 1_000_000_000;
const MAX_LOOPS = 1_000_000;
const MAX_SECONDS = 86_400;
const ETHERNET_HEADER = 14;

function wholeNumber(flag: string, value: number | undefined, max: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= max)) {
    throw new UsageError(`${flag} wants a whole number from 1 to ${max}, not '${value}'`);
  }
}

function checkArgs(args: ReplayArgs, syntheticMin: number): void {
  if (args.r === undefined && args.synthetic === undefined) throw new UsageError('name what to send: -r FILE, or --synthetic SIZE with -c COUNT');
  if (args.r !== undefined && args.synthetic !== undefined) throw new UsageError('-r and --synthetic exclude each other');
  if (args.synthetic !== undefined && args.c === undefined) throw new UsageError('--synthetic needs -c COUNT');
  if (args.synthetic !== undefined && args.loop !== 1) throw new UsageError('--loop goes with -r FILE; use -c COUNT with --synthetic');
  if (args.method === 'tc-clone' && args.r !== undefined) throw new UsageError('--method tc-clone sends every frame many times in a row: use it with --synthetic, not -r');
  wholeNumber('-c', args.c, MAX_COUNT);
  wholeNumber('--loop', args.loop, MAX_LOOPS);
  wholeNumber('--synthetic', args.synthetic, 65535);
  if (args.synthetic !== undefined && args.synthetic < syntheticMin) throw new UsageError(`--synthetic wants at least ${syntheticMin} bytes (Ethernet, IPv4 and UDP headers), not '${args.synthetic}'`);
  if (args.rate !== undefined && !(args.rate > 0 && args.rate <= 1e9)) throw new UsageError(`--rate wants frames per second above 0, not '${args.rate}'`);
  if (!(args.maxSeconds > 0 && args.maxSeconds <= MAX_SECONDS)) throw new UsageError(`--max-seconds wants a time above 0 and at most ${MAX_SECONDS}, not '${args.maxSeconds}'`);
}

const perSecond = (n: number, s: number): number => (s > 0 ? n / s : 0);

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'Send the frames of a capture file (or synthetic UDP frames) out of an interface, paced and bounded',
  builder: (y: Argv) => y
    .option('r', { alias: 'read-file', type: 'string', requiresArg: true, describe: 'capture file whose Ethernet frames are sent, in file order (- for stdin)' })
    .option('i', { alias: 'interface', type: 'string', requiresArg: true, demandOption: 'name the interface to send on with -i IF', describe: 'interface to send on' })
    .option('rate', { type: 'number', requiresArg: true, describe: 'frames per second (default: as fast as the method goes)' })
    .option('loop', { type: 'number', requiresArg: true, default: 1, describe: 'send the file this many times' })
    .option('method', { type: 'string', requiresArg: true, choices: METHODS, default: 'af-packet', describe: 'af-packet (sendmmsg, smooth), test-run (BPF_PROG_TEST_RUN live frames, faster, in bursts) or tc-clone (af-packet with each frame cloned at TC egress, --synthetic only)' })
    .option('c', { type: 'number', requiresArg: true, describe: 'send at most this many frames in all' })
    .option('max-seconds', { type: 'number', requiresArg: true, default: 60, describe: 'stop sending after this long, whatever is left' })
    .option('synthetic', { type: 'number', requiresArg: true, describe: 'send UDP frames of this size (bytes, no FCS) in 198.18.0.0/15 instead of a file; needs -c' })
    .strictOptions() as unknown as Argv<ReplayArgs>,
  handler: async (args: ArgumentsCamelCase<ReplayArgs>) => {
    const { SYNTHETIC_MIN_SIZE, syntheticFrame } = await import('../../src/replay/synthetic-frame.js');
    checkArgs(args, SYNTHETIC_MIN_SIZE);
    if (process.getuid?.() !== 0) throw new XcapError('replay needs root (CAP_NET_RAW for af-packet; CAP_BPF and CAP_NET_ADMIN for test-run and tc-clone)');
    const iface = describeInterface(args.i);
    if (!iface.up) throw new XcapError(`interface ${iface.name} is down: bring it up with 'ip link set ${iface.name} up'`);
    const method = args.method as typeof METHODS[number];
    // Loaded here so that other commands never load the kernel bindings.
    const { maxFrameLength } = await import('../../src/kernel/frame-sender.js');
    const { replayFile, replaySynthetic } = await import('../../src/replay/replay.js');
    const maxFrame = iface.mtu + ETHERNET_HEADER;
    const largest = Math.min(maxFrame, maxFrameLength(method));
    const stop = catchStopSignals();
    try {
      const limits = { ifname: iface.name, method, rate: args.rate ?? 'max' as const, count: args.c ?? Infinity, maxSeconds: args.maxSeconds, signal: stop.signal };
      let summary;
      if (args.synthetic !== undefined) {
        if (args.synthetic > largest) throw new UsageError(`--synthetic ${args.synthetic} is longer than ${iface.name} takes with ${method} (${largest} bytes)`);
        summary = await replaySynthetic(limits, syntheticFrame({ size: args.synthetic, srcMac: iface.mac }));
      } else {
        summary = await replayFile({ ...limits, path: args.r!, loops: args.loop, maxFrame });
      }
      const s = summary;
      const lines = [`sent ${s.sent} frames (${s.bytes} bytes) on ${iface.name} in ${s.seconds.toFixed(3)} s: ${perSecond(s.sent, s.seconds).toFixed(0)} frames/s, ${(perSecond(s.bytes * 8, s.seconds) / 1e6).toFixed(1)} Mbit/s`];
      if (method === 'test-run') {
        lines.push(`test-run: ${s.calls} calls, ${s.refused === null ? `frames refused by ${iface.name} unknown (no ethtool counters)` : `${s.refused} frames refused by ${iface.name}`}`);
        if (s.refused && s.sent === 0) lines.push(`none left ${iface.name}: its driver takes no XDP frames (on veth the peer needs GRO on, 'ethtool -K PEER gro on', or an XDP program)`);
      }
      if (method === 'tc-clone' && s.refused) lines.push(`tc-clone: ${s.refused} clones refused by ${iface.name} (its peer's queue was full)`);
      if (s.skipped.long) lines.push(`skipped ${s.skipped.long} frames longer than ${largest === maxFrame ? `MTU ${iface.mtu} allows (${maxFrame} bytes, 4 more with a VLAN tag)` : `${method} sends (${largest} bytes)`}`);
      if (s.skipped.short) lines.push(`skipped ${s.skipped.short} frames shorter than an Ethernet header`);
      if (s.stoppedBy === 'time') lines.push(`stopped at the ${args.maxSeconds} s time bound (--max-seconds)`);
      if (s.stoppedBy === 'signal') lines.push('stopped by a signal');
      for (const w of s.warnings) lines.push(w);
      process.stderr.write(lines.map((l) => `xcap: ${l}\n`).join(''));
      if (s.warnings.length) process.exitCode = 1;
    } finally {
      stop.release();
    }
  },
};
