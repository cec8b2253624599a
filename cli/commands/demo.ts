// xcap demo: capture in the built-in lab (namespaces, veth, traffic) and show what was captured.
import type { CommandModule } from 'yargs';
import { fdSink } from '../../src/output/stdout.js';

export const demoCommand: CommandModule = {
  command: 'demo',
  describe: 'Build a lab of two network namespaces, record both directions of its link, print the decoded summary',
  handler: async () => {
    const { runDemo } = await import('../../src/lab/demo.js');
    const log = (line: string): void => { process.stderr.write(`${line}\n`); };
    const r = await runDemo(fdSink(1), log);
    log(`demo: ${r.frames} packets recorded in ${r.file}`);
    if (r.tshark) log(`demo: tshark reads ${r.tshark.frames} packets from it${r.tshark.clean ? ' without a warning' : ' WITH WARNINGS'}`);
    else log('demo: tshark is not installed, so the file was not cross-checked');
    if (r.frames === 0 || (r.tshark && (!r.tshark.clean || r.tshark.frames !== r.frames))) process.exitCode = 1;
  },
};
