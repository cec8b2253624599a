/**
 * -z io,phs: protocol hierarchy statistics.  Each frame walks down a tree
 * by its top-level protocol items (frame, eth, ip, ...), counting itself and
 * its length at every node, as tshark's protohierstat tap does; tshark prints
 * the tree below "frame".
 */
import type { FrameRecord, Statistic, StatPass } from './statistic.js';

interface PhsNode {
  name: string;
  frames: number;
  bytes: number;
  children: PhsNode[];
}

const RULE = '='.repeat(67);
/** tshark builds each line's name in an 80-byte buffer (79 characters) and stops indenting after 16 levels. */
const MAX_NAME = 79;
const MAX_INDENT_LEVELS = 16;

export class ProtocolHierarchy implements Statistic {
  private readonly root: PhsNode = { name: '', frames: 0, bytes: 0, children: [] };

  constructor(private readonly filter?: string) {}

  passes(): StatPass[] {
    return [{ filter: this.filter, fields: ['frame.len'], add: (f) => this.add(f) }];
  }

  private add(frame: FrameRecord): void {
    const length = Number(frame.values('frame.len')[0] ?? 0);
    let node = this.root;
    for (const name of frame.topLevel) {
      let child = node.children.find((c) => c.name === name);
      if (!child) node.children.push(child = { name, frames: 0, bytes: 0, children: [] });
      child.frames++;
      child.bytes += length;
      node = child;
    }
  }

  render(): string {
    const lines = ['', RULE, 'Protocol Hierarchy Statistics', `Filter: ${this.filter ?? ''}`, ''];
    // The tree's root level is the frame item itself: tshark prints from its children.
    for (const top of this.root.children) draw(top.children, 0, lines);
    lines.push(RULE);
    return lines.join('\n') + '\n';
  }
}

function draw(nodes: PhsNode[], level: number, lines: string[]): void {
  for (const n of nodes) {
    const indent = level > MAX_INDENT_LEVELS ? '  '.repeat(MAX_INDENT_LEVELS) + '...' : '  '.repeat(level);
    const name = (indent + n.name).slice(0, MAX_NAME);
    lines.push(`${name.padEnd(40)} frames:${n.frames} bytes:${n.bytes}`);
    draw(n.children, level + 1, lines);
  }
}
