// Object identifiers as tshark's oids.c decodes, prints and names them.
import { puts, putc, putDec } from '../text';
import { OID_REGISTRY } from './oid-registry';
import { table } from '../tables';

const MAX_SUBIDS: i32 = 512;
/** The sub-identifiers oidDecode() read. */
export const subids = table<u32>(MAX_SUBIDS);

/**
 * Decodes the n bytes at p as tshark's oid_encoded2subid does: one
 * sub-identifier for each byte without its high bit, plus one for the split
 * first arc (so an empty OID is "0", and an unfinished last one is dropped).
 * The count, or -1 when a sub-identifier passes 32 bits (tshark: no OID).
 */
export function oidDecode(p: u32, n: u32): i32 {
  let count: i32 = 1;
  for (let i: u32 = 0; i < n; i++) if ((load<u8>(p + i) & 0x80) == 0) count++;
  unchecked(subids[0] = 0);
  let k: i32 = 0;
  let first = true;
  let subid: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const b = <u64>load<u8>(p + i);
    subid = (subid << 7) | (b & 0x7f);
    if ((b & 0x80) != 0) continue;
    if (first) {
      let arc: u32 = 0;
      if (subid >= 40) { arc++; subid -= 40; }
      if (subid >= 40) { arc++; subid -= 40; }
      if (k < MAX_SUBIDS) unchecked(subids[k] = arc);
      k++;
      first = false;
    }
    if (k >= count || subid > 0xffffffff) return -1;
    if (k < MAX_SUBIDS) unchecked(subids[k] = <u32>subid);
    k++;
    subid = 0;
  }
  return count < MAX_SUBIDS ? count : MAX_SUBIDS;
}

/** Sub-identifiers [from, to) dotted. */
export function putSubids(from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    if (i > from) putc(46);
    putDec(unchecked(subids[i]));
  }
}

// The registry, parsed once: entry e's sub-identifiers are regSubids[regStart[e] .. regStart[e + 1]).
const regSubids = new Array<u32>();
const regStart = new Array<i32>();
const regName = new Array<string>();

function parseRegistry(): void {
  const lines = OID_REGISTRY.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const tab = line.indexOf('\t');
    regStart.push(regSubids.length);
    const arcs = line.substring(0, tab).split('.');
    for (let j = 0; j < arcs.length; j++) regSubids.push(<u32>U64.parseInt(arcs[j]));
    regName.push(line.substring(tab + 1));
  }
  regStart.push(regSubids.length);
}
parseRegistry();

/** How many leading sub-identifiers of the decoded OID lie on registered nodes (every prefix of a registered OID is a node). */
function deepestNode(count: i32): i32 {
  let best = 0;
  for (let e = 0, n = regName.length; e < n; e++) {
    const s = unchecked(regStart[e]), len = unchecked(regStart[e + 1]) - s;
    let k = 0;
    while (k < len && k < count && unchecked(regSubids[s + k]) == unchecked(subids[k])) k++;
    if (k > best) best = k;
  }
  return best;
}

/** The name of the node made of the first k sub-identifiers ('' when it has none): the last registered. */
function nodeName(k: i32): string {
  for (let e = regName.length - 1; e >= 0; e--) {
    const s = unchecked(regStart[e]);
    if (unchecked(regStart[e + 1]) - s != k) continue;
    let i = 0;
    while (i < k && unchecked(regSubids[s + i]) == unchecked(subids[i])) i++;
    if (i == k) return unchecked(regName[e]);
  }
  return '';
}

function putNamed(name: string, k: i32, count: i32): void {
  puts(name);
  if (k < count) { putc(46); putSubids(k, count); }
}

/** The decoded OID as SNMP's info column shows a variable's name: its deepest node's name and the rest, or all numbers when that node has no name. */
export function putOidForInfo(count: i32): void {
  const k = deepestNode(count);
  const name = k > 0 ? nodeName(k) : '';
  if (name.length > 0) putNamed(name, k, count); else putSubids(0, count);
}

/** The decoded OID as tshark's oid_resolved() shows it: the nearest named node on its path and the rest. */
export function putOidResolved(count: i32): void {
  for (let k = deepestNode(count); k > 0; k--) {
    const name = nodeName(k);
    if (name.length > 0) { putNamed(name, k, count); return; }
  }
  putSubids(0, count);
}
