/**
 * Reads `-z` arguments into statistics, as tshark names them.  tshark
 * prints them in the reverse of the order given; statisticsInPrintOrder
 * returns them so.
 */
import { UsageError } from '../errors.js';
import { ADDRESS_TYPES, type AddressType } from './address-taps.js';
import { Conversations } from './conversations.js';
import { Endpoints } from './endpoints.js';
import { IoStat } from './io-stat.js';
import { ProtocolHierarchy } from './phs.js';
import type { Statistic } from './statistic.js';
import { TreeStatistic } from './tree-statistic.js';
import { TREES } from './trees.js';

const KNOWN = `io,phs[,FILTER], io,stat,INTERVAL[,FILTER]..., conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] (TYPE: ${ADDRESS_TYPES.join(', ')}), ${TREES.map((t) => `${t.name},tree[,FILTER]`).join(', ')}`;

export function parseStatistic(arg: string): Statistic {
  const phs = /^io,phs(?:,(.*))?$/s.exec(arg);
  if (phs) return new ProtocolHierarchy(phs[1]);
  if (arg.startsWith('io,stat,') || arg === 'io,stat') return new IoStat(arg);
  const table = /^(conv|endpoints),([^,]*)(?:,(.*))?$/s.exec(arg);
  if (table) {
    const [, kind, type, filter] = table;
    if (!(ADDRESS_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(`-z ${arg}: xcap has no ${kind === 'conv' ? 'conversation' : 'endpoint'} table of type '${type}' (it has ${ADDRESS_TYPES.join(', ')})`);
    }
    return kind === 'conv' ? new Conversations(type as AddressType, filter) : new Endpoints(type as AddressType, filter);
  }
  const tree = /^([^,]*),tree(?:,(.*))?$/s.exec(arg);
  const definition = tree && TREES.find((t) => t.name === tree[1]);
  if (definition) return new TreeStatistic(definition, tree[2]);
  throw new UsageError(`-z ${arg}: not a statistic xcap knows (it knows ${KNOWN})`);
}

/** The statistics of these -z arguments, in the order tshark prints them (the last given first). */
export function statisticsInPrintOrder(args: readonly string[]): Statistic[] {
  return args.map(parseStatistic).reverse();
}
