// xcap interfaces (-D): the interfaces of this network namespace and how xcap can capture on them.
import type { CommandModule } from 'yargs';
import { listInterfaces } from '../../src/capture/interfaces.js';
import { fdSink } from '../../src/output/stdout.js';

export const interfacesCommand: CommandModule = {
  command: ['interfaces', 'D'],
  describe: 'List network interfaces, their state and the capture modes each supports',
  handler: () => {
    const lines = listInterfaces().map((i, n) =>
      `${n + 1}. ${i.name} (index ${i.ifindex}, ${i.up ? 'up' : 'down'}, ${i.state}${i.promiscuous ? ', promiscuous' : ''}, mtu ${i.mtu}${i.mac ? `, ${i.mac}` : ''}) capture: ${i.modes.join(', ')}`);
    fdSink(1)(Buffer.from(lines.join('\n') + '\n'));
  },
};
