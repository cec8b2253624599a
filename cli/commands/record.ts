// xcap record: live capture through eBPF into pcapng, with tcpdump's and dumpcap's flags.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError, XcapError } from '../../src/errors.js';
import { describeInterface, enablePromiscuous } from '../../src/capture/interfaces.js';
import { chooseBackend, describeIngress, ingressHookFor, RING_STEAL_NOTE } from '../../src/capture/backend-choice.js';
import { parseAutostop, parseRotation } from '../../src/capture/stop-conditions.js';
import type { IngressHook } from '../../src/kernel/ring-capture.js';
import { filterExpression } from '../../src/filter/expression.js';
import { catchStopSignals } from '../stop-signals.js';

const LINKTYPE_ETHERNET = 1;
/** The BPF ring's limit (1 GiB keeps the reader's 32-bit position arithmetic exact). */
const MAX_BUFFER_MIB = 1024;

interface RecordArgs {
  i: string[];
  w: string;
  s: number;
  c?: number;
  B?: number;
  a: string[];
  b: string[];
  p?: boolean;
  q?: boolean;
  print?: boolean;
  summary?: string;
  backend: 'auto' | 'ringbuf' | 'afxdp';
  queue?: number;
  zerocopy?: boolean;
  steal?: boolean;
  ingressHook?: IngressHook;
  f?: string;
  d?: boolean;
  expression?: (string | number)[];
}

export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record [expression..]',
  describe: 'Capture live traffic (both directions) into a pcapng file',
  builder: (y: Argv) => y
    .option('i', { alias: 'interface', type: 'string', array: true, demandOption: 'name an interface with -i IF', describe: 'interface to capture on (repeatable)' })
    .option('w', { type: 'string', requiresArg: true, demandOption: 'name the output with -w FILE (- for stdout)', describe: 'pcapng file to write (- for stdout)' })
    .option('s', { alias: 'snapshot-length', type: 'number', requiresArg: true, default: 262144, describe: 'bytes to keep of each frame' })
    .option('c', { type: 'number', requiresArg: true, describe: 'stop after this many packets' })
    .option('a', { alias: 'autostop', type: 'string', array: true, default: [], describe: 'stop after duration:S, filesize:KB, packets:N or files:N' })
    .option('b', { alias: 'ring-buffer', type: 'string', array: true, default: [], describe: 'switch files at filesize:KB or duration:S, keep files:N' })
    .option('B', { alias: 'buffer-size', type: 'number', requiresArg: true, describe: 'kernel buffer in MiB: the ring (rounded down to a power of two; default 64) or the AF_XDP UMEMs together (default: 128 shared by the queues, from 4096 to 32768 frames each)' })
    .option('p', { alias: 'no-promiscuous-mode', type: 'boolean', describe: "don't put the interface into promiscuous mode" })
    .option('q', { type: 'boolean', describe: "don't print the packet counts at the end" })
    .option('print', { type: 'boolean', describe: 'print a summary line per packet while writing' })
    .option('summary', { type: 'string', requiresArg: true, describe: 'append one JSON document per packet to this file' })
    .option('backend', { type: 'string', requiresArg: true, choices: ['auto', 'ringbuf', 'afxdp'], default: 'auto', describe: 'capture path: ringbuf (both directions), afxdp (ingress only, takes the frames from the host), auto (afxdp only on interfaces without addresses or routes)' })
    .option('queue', { type: 'number', requiresArg: true, describe: 'afxdp: capture only this RX queue (default: all)' })
    .option('zerocopy', { type: 'boolean', describe: 'afxdp: bind in zero-copy mode (fails where the driver has none)' })
    .option('steal', { type: 'boolean', describe: 'take incoming frames away from the host (for a mirror port); ringbuf: drop each once captured; afxdp: capture even on an interface the host uses' })
    .option('ingress-hook', { type: 'string', requiresArg: true, choices: ['auto', 'xdp', 'tc'], describe: 'ringbuf: where incoming frames are taken; auto: TC on interfaces with no device behind them (veth, bridge, tun: frames arrive there as socket buffers), XDP elsewhere, TC where XDP cannot attach' })
    .option('f', { alias: 'filter', type: 'string', requiresArg: true, describe: 'capture only frames matching this tcpdump filter expression, decided in the kernel (also: the words after the options)' })
    .option('d', { type: 'boolean', describe: 'print the compiled filter (classic BPF as tcpdump -d, then the eBPF entry programs) and exit' })
    .positional('expression', { type: 'string', array: true, describe: 'tcpdump filter expression' }) as unknown as Argv<RecordArgs>,
  handler: async (args: ArgumentsCamelCase<RecordArgs>) => {
    if (!Number.isInteger(args.s) || args.s < 1 || args.s > 262144) throw new UsageError(`-s wants a snapshot length from 1 to 262144, not '${args.s}'`);
    if (args.c !== undefined && (!Number.isInteger(args.c) || args.c < 1)) throw new UsageError(`-c wants a positive whole number, not '${args.c}'`);
    if (args.B !== undefined && (!Number.isInteger(args.B) || args.B < 1 || args.B > MAX_BUFFER_MIB)) throw new UsageError(`-B wants a buffer size in MiB from 1 to ${MAX_BUFFER_MIB}, not '${args.B}'`);
    const expression = filterExpression(args.f, args.expression, (m) => new UsageError(m));
    // Compiled before anything is attached: a bad expression exits 2 with libpcap's message and touches nothing.
    const { compileFilter } = await import('../../src/filter/pcap-compile.js');
    const filter = expression !== undefined ? compileFilter(expression, { linktype: LINKTYPE_ETHERNET, snaplen: args.s }) : undefined;
    if (args.d) {
      if (!filter) throw new UsageError('-d prints a compiled filter: give one with -f EXPR or after the options');
      const { describeFilter } = await import('../../src/filter/describe.js');
      process.stdout.write(describeFilter(filter));
      return;
    }
    const autostop = parseAutostop(args.a);
    if (args.c !== undefined) autostop.packets = Math.min(autostop.packets ?? Infinity, args.c);
    const rotation = parseRotation(args.b);
    if (rotation && args.w === '-') throw new UsageError('-b (ring buffer) needs a file name, not -w -');
    if (args.queue !== undefined && (!Number.isInteger(args.queue) || args.queue < 0)) throw new UsageError(`--queue wants an RX queue number (0, 1, ...), not '${args.queue}'`);
    if (process.getuid?.() !== 0) throw new XcapError('capturing needs root, or CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN');
    const infos = [...new Set(args.i)].map(describeInterface);
    for (const info of infos) {
      if (!info.up) throw new XcapError(`interface ${info.name} is down: bring it up with 'ip link set ${info.name} up'`);
    }
    const choice = chooseBackend({ backend: args.backend, interfaces: infos.map((i) => i.name), queue: args.queue, zerocopy: args.zerocopy, steal: args.steal, ingressHook: args.ingressHook });
    const vlanFilter = filter !== undefined && choice.kind === 'ringbuf' && (await import('../../src/filter/cbpf.js')).testsVlanTag(filter.program);
    if (vlanFilter && !args.q) {
      process.stderr.write('xcap: warning: at TC (egress, and ingress with --ingress-hook tc or where XDP cannot attach) the kernel has already moved 802.1Q tags out of the frame, so VLAN tests there see the untagged frame (the file gets the tag back); XDP ingress sees the tag\n');
    }
    const stop = catchStopSignals();
    const undoPromisc = args.p ? [] : infos.map(enablePromiscuous);
    try {
      // Loaded here so that other commands never load the kernel bindings.
      const { runSession } = await import('../../src/capture/session.js');
      const r = await runSession({
        interfaces: infos.map((i) => ({ name: i.name, ifindex: i.ifindex, ingress: true, egress: choice.kind === 'ringbuf', ingressHook: ingressHookFor(choice, i, vlanFilter) })),
        backend: choice,
        writePath: args.w,
        snaplen: args.s,
        autostop,
        rotation,
        print: !!args.print,
        summaryPath: args.summary,
        status: !args.q && process.stderr.isTTY === true && !args.print,
        signal: stop.signal,
        filter,
        bufferBytes: args.B === undefined ? undefined : args.B * 2 ** 20,
        onAttached: (buffer, attachments) => {
          if (args.q) return;
          const how = choice.kind === 'ringbuf' ? ['ring buffer, both directions', describeIngress(attachments), choice.steal && RING_STEAL_NOTE].filter(Boolean).join(', ')
            : `AF_XDP, ingress, ${choice.queue === undefined ? 'all RX queues' : `RX queue ${choice.queue}`}, ${choice.zerocopy ? 'zero-copy' : 'copy mode'}`;
          const filterNote = filter ? `, filter '${filter.expression}' (in the kernel)` : '';
          process.stderr.write(`xcap: capturing on ${infos.map((i) => i.name).join(', ')} (${how}, ${buffer}), snaplen ${args.s}${filterNote}\n`);
        },
      });
      if (!args.q) {
        // As tcpdump: "received by filter" counts the frames the filter accepted (all of them without one).
        process.stderr.write(`${r.captured} packets captured\n${r.kernelSeen} packets received by filter\n${r.kernelDropped} packets dropped by kernel\n`);
        if (filter) process.stderr.write(`${r.kernelRejected} packets rejected by filter (counted in the kernel, never copied)\n`);
        for (const line of r.details) process.stderr.write(`${line}\n`);
      }
    } finally {
      undoPromisc.forEach((undo) => undo());
      stop.release();
    }
  },
};
