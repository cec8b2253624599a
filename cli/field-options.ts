// tshark's -E options for -T fields, and the -e list checked against the field registry.
import { UsageError } from '../src/errors.js';
import type { FieldsConfig } from '../src/dissect/engine.js';

export interface ParsedFieldOptions {
  config: FieldsConfig;
  /** The header line to print first, when -E header=y. */
  header?: string;
}

/** tshark's escapes for -E characters: /t tab, /s space, else the first character. */
function optionChar(value: string, what: string): string {
  if (value === '/t') return '\t';
  if (value === '/s') return ' ';
  if (value.length === 0) throw new UsageError(`-E ${what}= needs a character`);
  return value[0];
}

/** -E quote=: d double quotes, s single quotes, n none, around each value that is not empty. */
const QUOTES: Record<string, string> = { d: '"', s: "'", n: '' };

export function parseFieldOptions(options: string[], names: string[], lookup: (name: string) => number | undefined): ParsedFieldOptions {
  let header = false;
  let separator = '\t';
  let aggregator = ',';
  let occurrence: FieldsConfig['occurrence'] = 'a';
  let quote = '';
  for (const opt of options) {
    const eq = opt.indexOf('=');
    const key = eq < 0 ? opt : opt.slice(0, eq);
    const value = eq < 0 ? '' : opt.slice(eq + 1);
    switch (key) {
      case 'header':
        if (value !== 'y' && value !== 'n') throw new UsageError(`-E header= takes y or n, not '${value}'`);
        header = value === 'y';
        break;
      case 'separator': separator = optionChar(value, key); break;
      case 'aggregator': aggregator = optionChar(value, key); break;
      case 'occurrence':
        if (value !== 'a' && value !== 'f' && value !== 'l') throw new UsageError(`-E occurrence= takes f, l or a, not '${value}'`);
        occurrence = value;
        break;
      case 'quote':
        if (!(value in QUOTES)) throw new UsageError(`-E quote= takes d, s or n, not '${value}'`);
        quote = QUOTES[value];
        break;
      default:
        throw new UsageError(`unsupported -E option '${opt}' (header, separator, occurrence, aggregator and quote are)`);
    }
  }
  const ids: number[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const id = lookup(name);
    if (id === undefined) unknown.push(name); else ids.push(id);
  }
  if (unknown.length) throw new UsageError(`unknown field${unknown.length > 1 ? 's' : ''} in -e: ${unknown.join(', ')} (see 'xcap fields')`);
  return {
    config: { fields: ids, separator, aggregator, occurrence, quote },
    header: header ? names.join(separator) + '\n' : undefined,
  };
}
