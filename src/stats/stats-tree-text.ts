/**
 * A stats_tree as tshark prints it (Wireshark's stats_tree_format_as_str,
 * plain text, under the default preferences): a column of names as wide as
 * the deepest name needs, then eight columns of 13, every node's children
 * sorted by count, most first (ranges by their bounds), the root's children
 * in the order they were made.
 */
import { BURST_WINDOW_MS } from './burst.js';
import { fixed } from './format.js';
import { displayName, type StatNode, type StatsTree } from './stats-tree.js';

const COLUMNS = ['Count', 'Average', 'Min Val', 'Max Val', 'Rate (ms)', 'Percent', 'Burst Rate', 'Burst Start'];
const COLUMN_WIDTH = 12;
/** Names are indented one space a level, up to this many. */
const INDENT_MAX = 32;

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** printf's "%-Ns": padded to N bytes, never cut. */
function padBytes(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - byteLength(text)));
}

const shownName = (node: StatNode): string => (node.rootChild ? displayName(node.name) : node.name);

/** The widest name with its indent, the root counted at indent 0 (so one more than any printed line needs). */
function widestName(node: StatNode, indent: number): number {
  indent = Math.min(indent, INDENT_MAX);
  let widest = byteLength(shownName(node)) + indent;
  for (const child of node.children) widest = Math.max(widest, widestName(child, indent + 1));
  return widest;
}

function cells(node: StatNode, tree: StatsTree): string[] {
  const averaged = node.averaged || node.range !== undefined;
  const ifAveraged = (value: () => string): string => (!averaged ? '' : node.counter ? value() : '-');
  const parent = node.parent!;
  const burst = (value: () => string): string => (node.burst.max ? value() : '-');
  return [
    String(node.counter),
    // C's float division: (float)total / counter.
    ifAveraged(() => fixed(Math.fround(Math.fround(node.total) / Math.fround(node.counter)), 2)),
    ifAveraged(() => String(node.min)),
    ifAveraged(() => String(node.max)),
    tree.elapsed ? fixed(Math.fround(node.counter) / tree.elapsed, 4) : '',
    parent.counter ? `${fixed((node.counter * 100) / parent.counter, 2)}%` : parent === tree.root ? '100%' : '',
    burst(() => fixed(node.burst.max / BURST_WINDOW_MS, 4)),
    burst(() => fixed(node.burst.start / 1000, 3)),
  ];
}

/** Count, most first; equal counts by name, in reverse (the sort is descending); ranges by their bounds; nodes marked to sort on top first. */
function compare(a: StatNode, b: StatNode): number {
  if (a.range && b.range) return a.range.floor - b.range.floor;
  if (a.sortTop !== b.sortTop) return a.sortTop ? -1 : 1;
  let result = a.counter - b.counter;
  if (result === 0) result = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return -result;
}

function drawNode(node: StatNode, tree: StatsTree, indent: number, nameWidth: number, lines: string[]): void {
  const row = ' '.repeat(indent) + padBytes(shownName(node), nameWidth - indent);
  lines.push(row + cells(node, tree).map((cell) => ' ' + padBytes(cell, COLUMN_WIDTH + 1)).join(''));
  const next = Math.min(indent + 1, INDENT_MAX);
  for (const child of [...node.children].sort(compare)) drawNode(child, tree, next, nameWidth, lines);
}

export function renderStatsTree(tree: StatsTree): string {
  const nameWidth = widestName(tree.root, 0);
  const ruleLength = nameWidth + COLUMNS.length * (COLUMN_WIDTH + 2);
  const header = padBytes('Topic / Item', nameWidth) + COLUMNS.map((c) => ' ' + padBytes(c, COLUMN_WIDTH + 1)).join('');
  const lines = ['', '='.repeat(ruleLength), `${tree.title}:`, header, '-'.repeat(ruleLength)];
  for (const child of tree.root.children) drawNode(child, tree, 0, nameWidth, lines);
  // Wireshark ends with its rule buffer, which by then holds dashes.
  lines.push('', '-'.repeat(ruleLength));
  return lines.join('\n') + '\n';
}
