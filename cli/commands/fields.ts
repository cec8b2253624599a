// xcap fields: the fields the dissectors know, with their Wireshark names.
import type { CommandModule } from 'yargs';
import { DissectorEngine } from '../../src/dissect/engine.js';
import { fdSink } from '../../src/output/stdout.js';

const TYPE_NAMES: Record<number, string> = {
  1: 'protocol', 2: 'unsigned integer', 3: 'signed integer', 4: 'boolean', 5: 'IPv4 address', 6: 'IPv6 address',
  7: 'Ethernet address', 8: 'string', 9: 'bytes', 10: 'none', 11: 'relative time', 12: 'absolute time',
};

export const fieldsCommand: CommandModule = {
  command: 'fields',
  describe: 'List the fields xcap can print (-e), one per line: name, type, description',
  handler: () => {
    const lines = new DissectorEngine().fields()
      .map((f) => `${f.name}\t${TYPE_NAMES[f.type] ?? f.type}\t${f.label}`)
      .join('\n');
    fdSink(1)(Buffer.from(lines + '\n'));
  },
};
