// xcap record: live capture through eBPF into pcapng, with tcpdump's and dumpcap's flags.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UsageError, XcapError } from '../../src/errors.js';
import { describeInterface, enablePromiscuous } from '../../src/capture/interfaces.js';
import { chooseBackend } from '../../src/capture/backend-choice.js';
import { parseAutostop, parseRotation } from '../../src/capture/stop-conditions.js';

interface RecordArgs {
  i: string[];
  w: string;
  s: number;
  c?: number;
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
}

export const recordCommand: CommandModule<object, RecordArgs> = {
  command: 'record',
  describe: 'Capture live traffic (both directions) into a pcapng file',
  builder: (y: Argv) => y
    .option('i', { alias: 'interface', type: 'string', array: true, demandOption: 'name an interface with -i IF', describe: 'interface to capture on (repeatable)' })
    .option('w', { type: 'string', demandOption: 'name the output with -w FILE (- for stdout)', describe: 'pcapng file to write (- for stdout)' })
    .option('s', { alias: 'snapshot-length', type: 'number', default: 262144, describe: 'bytes to keep of each frame' })
    .option('c', { type: 'number', describe: 'stop after this many packets' })
    .option('a', { alias: 'autostop', type: 'string', array: true, default: [], describe: 'stop after duration:S, filesize:KB, packets:N or files:N' })
    .option('b', { alias: 'ring-buffer', type: 'string', array: true, default: [], describe: 'switch files at filesize:KB or duration:S, keep files:N' })
    .option('p', { alias: 'no-promiscuous-mode', type: 'boolean', describe: "don't put the interface into promiscuous mode" })
    .option('q', { type: 'boolean', describe: "don't print the packet counts at the end" })
    .option('print', { type: 'boolean', describe: 'print a summary line per packet while writing' })
    .option('summary', { type: 'string', describe: 'append one JSON document per packet to this file' })
    .option('backend', { type: 'string', choices: ['auto', 'ringbuf', 'afxdp'], default: 'auto', describe: 'capture path: ringbuf (both directions), afxdp (ingress only, takes the frames from the host), auto (afxdp only on interfaces without addresses or routes)' })
    .option('queue', { type: 'number', describe: 'afxdp: capture only this RX queue (default: all)' })
    .option('zerocopy', { type: 'boolean', describe: 'afxdp: bind in zero-copy mode (fails where the driver has none)' })
    .option('steal', { type: 'boolean', describe: 'afxdp: capture even on an interface the host uses, taking its incoming frames away from the host' }) as unknown as Argv<RecordArgs>,
  handler: async (args: ArgumentsCamelCase<RecordArgs>) => {
    if (!Number.isInteger(args.s) || args.s < 1 || args.s > 262144) throw new UsageError(`-s wants a snapshot length from 1 to 262144, not '${args.s}'`);
    if (args.c !== undefined && (!Number.isInteger(args.c) || args.c < 1)) throw new UsageError(`-c wants a positive whole number, not '${args.c}'`);
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
    const choice = chooseBackend({ backend: args.backend, interfaces: infos.map((i) => i.name), queue: args.queue, zerocopy: args.zerocopy, steal: args.steal });
    const controller = new AbortController();
    let signals = 0;
    const onSignal = (): void => {
      if (++signals > 1) process.exit(130);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const undoPromisc = args.p ? [] : infos.map(enablePromiscuous);
    try {
      // Loaded here so that other commands never load the kernel bindings.
      const { runSession } = await import('../../src/capture/session.js');
      const r = await runSession({
        interfaces: infos.map((i) => ({ name: i.name, ifindex: i.ifindex, ingress: true, egress: choice.kind === 'ringbuf' })),
        backend: choice,
        writePath: args.w,
        snaplen: args.s,
        autostop,
        rotation,
        print: !!args.print,
        summaryPath: args.summary,
        status: !args.q && process.stderr.isTTY === true && !args.print,
        signal: controller.signal,
        onAttached: () => {
          const how = choice.kind === 'ringbuf' ? 'ring buffer, both directions'
            : `AF_XDP, ingress, ${choice.queue === undefined ? 'all RX queues' : `RX queue ${choice.queue}`}, ${choice.zerocopy ? 'zero-copy' : 'copy mode'}`;
          if (!args.q) process.stderr.write(`xcap: capturing on ${infos.map((i) => i.name).join(', ')} (${how}), snaplen ${args.s}\n`);
        },
      });
      if (!args.q) {
        process.stderr.write(`${r.captured} packets captured\n${r.kernelSeen} packets received by filter\n${r.kernelDropped} packets dropped by kernel\n`);
        for (const line of r.details) process.stderr.write(`${line}\n`);
      }
    } finally {
      undoPromisc.forEach((undo) => undo());
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
