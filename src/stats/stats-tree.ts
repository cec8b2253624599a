/**
 * Wireshark's stats_tree, the counter tree behind tshark's `-z NAME,tree`
 * statistics: nodes found by name (under a parent that keeps its children's
 * names, else among all the tree's parent nodes), ticked once a tap, each
 * keeping its count, the values it averaged and its burst rate.  The tree's
 * clock is the tapped frame's time since the first frame, in milliseconds.
 */
import { Burst } from './burst.js';

const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

export interface Range {
  floor: number;
  ceil: number;
}

export class StatNode {
  counter = 0;
  total = 0;
  min = INT_MAX;
  max = INT_MIN;
  /** Whether it averaged values (Wireshark's ST_FLG_AVERAGE): the average, min and max columns are filled. */
  averaged = false;
  /** Printed before its siblings, whatever the sort (ST_FLG_SORT_TOP). */
  sortTop = false;
  range?: Range;
  readonly children: StatNode[] = [];
  /** The children by name, for a node made "with hash". */
  readonly byName?: Map<string, StatNode>;
  readonly burst = new Burst();

  constructor(
    readonly name: string,
    readonly parent: StatNode | undefined,
    withHash: boolean,
    /** A child of the root, which shows only the last part of a "Group/Name" name. */
    readonly rootChild: boolean,
  ) {
    if (withHash) this.byName = new Map();
  }

  averageIn(value: number): void {
    this.total += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.averaged = true;
  }
}

/** The last part of a "Group/Sub/Name" name, "//" standing for a "/" (Wireshark's stats_tree_get_displayname). */
export function displayName(fullName: string): string {
  let name = '';
  for (let i = 0; i < fullName.length; i++) {
    if (fullName[i] !== '/') name += fullName[i];
    else if (fullName[i + 1] === '/') name += fullName[++i];
    else name = '';
  }
  return name;
}

/** A range node's name read as bounds: "0-19", "-19", "20-", "5120" (Wireshark's get_range). */
function parseRange(text: string): Range {
  const cut = text.indexOf('-');
  if (cut < 0) {
    const n = leadingInt(text);
    return { floor: n, ceil: n };
  }
  const low = text.slice(0, cut);
  const high = text.slice(cut + 1);
  return { floor: low === '' ? INT_MIN : leadingInt(low), ceil: high === '' ? INT_MAX : leadingInt(high) };
}

/** strtol's reading of a number at the start of text (0 when there is none), kept to a C int. */
function leadingInt(text: string): number {
  const n = Number(/^\s*[+-]?\d+/.exec(text)?.[0] ?? 0);
  return Math.max(INT_MIN, Math.min(INT_MAX, n)) | 0;
}

export class StatsTree {
  readonly root: StatNode;
  /** Nodes that can be parents, by id; the root is 0. */
  private readonly parents: StatNode[];
  private readonly parentIds = new Map<StatNode, number>();
  private readonly namedParents = new Map<string, StatNode>();
  private start = -1;
  private now = -1;
  /** Milliseconds from the first frame tapped to the last. */
  elapsed = 0;

  /** `title` is Wireshark's name for the tree, "Group/Name". */
  constructor(readonly title: string) {
    this.root = new StatNode(displayName(title), undefined, false, false);
    this.parents = [this.root];
    this.parentIds.set(this.root, 0);
  }

  /** A frame is tapped, `nowMs` after the first frame. */
  packet(nowMs: number): void {
    this.now = nowMs;
    if (this.start < 0) this.start = nowMs;
    this.elapsed = nowMs - this.start;
  }

  private newNode(name: string, parentId: number, withHash: boolean, asParent: boolean): StatNode {
    const parent = this.parents[parentId];
    if (!parent) throw new Error(`stats tree ${this.title}: no parent node ${parentId}`);
    const node = new StatNode(name, parent, withHash, parentId === 0);
    if (asParent) {
      this.namedParents.set(name, node);
      this.parentIds.set(node, this.parents.length);
      this.parents.push(node);
    }
    parent.children.push(node);
    parent.byName?.set(name, node);
    return node;
  }

  private idOf(node: StatNode): number {
    return this.parentIds.get(node) ?? -1;
  }

  private find(name: string, parentId: number): StatNode | undefined {
    const parent = this.parents[parentId];
    return parent.byName ? parent.byName.get(name) : this.namedParents.get(name);
  }

  private findOrCreate(name: string, parentId: number, withHash: boolean): StatNode {
    return this.find(name, parentId) ?? this.newNode(name, parentId, withHash, withHash);
  }

  /** A node that can be a parent; returns its id. */
  createNode(name: string, parentId: number, withHash: boolean): number {
    return this.idOf(this.newNode(name, parentId, withHash, true));
  }

  /** A node whose children are made as ticked by name (Wireshark's pivot). */
  createPivot(name: string, parentId: number): number {
    return this.createNode(name, parentId, true);
  }

  /** A node with a child for each range, the last open-ended when it names one number. */
  createRangeNode(name: string, parentId: number, ranges: readonly string[]): number {
    const node = this.newNode(name, parentId, false, true);
    const id = this.idOf(node);
    ranges.forEach((text, i) => {
      const child = this.newNode(text, id, false, false);
      child.range = parseRange(text);
      if (i === ranges.length - 1 && child.range.floor === child.range.ceil) child.range.ceil = INT_MAX;
    });
    return id;
  }

  /** Counts one more under `name` (made if new); returns its id (-1 for a node that cannot be a parent). */
  tick(name: string, parentId: number, withHash = false): number {
    const node = this.findOrCreate(name, parentId, withHash);
    node.counter++;
    node.burst.add(this.now, 1);
    return this.idOf(node);
  }

  /** Counts one more in the pivot and under its child named `value`. */
  tickPivot(pivotId: number, value: string): void {
    const pivot = this.parents[pivotId];
    pivot.counter++;
    pivot.burst.add(this.now, 1);
    this.tick(value, pivotId);
  }

  /** Averages `value` into the range node `name` (already ticked) and counts it in the range it falls in. */
  tickRange(name: string, parentId: number, value: number): void {
    const node = this.find(name, parentId);
    if (!node) throw new Error(`stats tree ${this.title}: no range node ${name}`);
    node.averageIn(value);
    const child = node.children.find((c) => c.range && value >= c.range.floor && value <= c.range.ceil);
    if (!child) return;
    child.counter++;
    child.averageIn(value);
    child.burst.add(this.now, 1);
  }
}
