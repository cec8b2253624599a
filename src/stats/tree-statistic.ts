/**
 * A `-z NAME,tree[,FILTER]` statistic: a stats_tree that each tap of the
 * frames the filter passes ticks, printed as tshark prints stats trees.
 */
import { renderStatsTree } from './stats-tree-text.js';
import { StatsTree } from './stats-tree.js';
import { relativeTime, type FrameRecord, type Statistic, type StatPass } from './statistic.js';

export interface TreeDefinition {
  /** tshark's name for it, before ",tree". */
  readonly name: string;
  /** Wireshark's title for the tree, "Group/Name". */
  readonly title: string;
  /** The fields `taps` reads. */
  readonly fields: readonly string[];
  /**
   * Makes the nodes there are before any frame; returns what gives a
   * frame's taps, in order, each ticking the tree as the tap's stats_tree
   * function does.
   */
  start(tree: StatsTree): (frame: FrameRecord) => TreeTap[];
}

export type TreeTap = (tree: StatsTree) => void;

/** frame.time_relative in milliseconds (Wireshark's nstime_to_msec of the frame's rel_ts). */
function milliseconds(text: string): number {
  const t = relativeTime(text);
  return t.sign * (t.secs * 1000 + t.nsecs / 1e6);
}

export class TreeStatistic implements Statistic {
  private readonly tree: StatsTree;
  private readonly taps: (frame: FrameRecord) => TreeTap[];

  constructor(private readonly definition: TreeDefinition, private readonly filter?: string) {
    this.tree = new StatsTree(definition.title);
    this.taps = definition.start(this.tree);
  }

  passes(): StatPass[] {
    return [{ filter: this.filter, fields: ['frame.time_relative', ...this.definition.fields], add: (f) => this.add(f) }];
  }

  private add(frame: FrameRecord): void {
    const taps = this.taps(frame);
    if (taps.length === 0) return;
    const now = milliseconds(frame.values('frame.time_relative')[0] ?? '0');
    for (const tap of taps) {
      this.tree.packet(now);
      tap(this.tree);
    }
  }

  render(): string {
    return renderStatsTree(this.tree);
  }
}
