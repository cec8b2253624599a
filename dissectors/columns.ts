// The info column and the per-packet scratch space for decoded strings
// (DNS names and the like).  Both are regions laid out by init(); dissectors
// write into them with the text writer between begin/end calls.
import { pushTarget, popTarget, textPos, puts } from './text';

let infoBase: u32 = 0;
let infoCap: u32 = 0;
let infoLen: u32 = 0;
// What infoSet() keeps: text put in front of everything later (Wireshark's column fence).
let infoFence: u32 = 0;

let scratchBase: u32 = 0;
let scratchCap: u32 = 0;
let scratchUsed: u32 = 0;

export function layoutColumns(info: u32, infoSize: u32, scratch: u32, scratchSize: u32): void {
  infoBase = info; infoCap = infoSize;
  scratchBase = scratch; scratchCap = scratchSize;
}

// Only summary lines print the info column; other outputs leave it unwritten
// (its writers then write into an empty target, which drops every byte).
let infoWanted = true;
export function setInfoWanted(wanted: bool): void { infoWanted = wanted; }

export function resetColumns(): void {
  freezeDepth = 0;
  infoLen = 0;
  infoFence = 0;
  scratchUsed = 0;
}

/** Starts replacing the info column after its fence (Wireshark's col_clear + col_add_str). */
export function infoSet(): void {
  const from = infoBase + infoFence;
  pushTarget(from, infoWanted ? infoBase + infoCap : from);
}

/** Keeps the info column as it is now in front of whatever later dissectors set (col_set_fence). */
export function infoFenceHere(): void {
  infoFence = infoLen;
}

/** Starts appending to the info column. */
export function infoAppend(): void {
  pushTarget(infoBase + infoLen, infoWanted ? infoBase + infoCap : infoBase + infoLen);
}

export function infoDone(): void {
  infoLen = textPos() - infoBase;
  popTarget();
}

/** Puts the n bytes at p in front of the whole info column, fenced text included; the end drops off a full column. */
function prependBytes(p: u32, n: u32, fence: bool): void {
  if (!infoWanted) return;
  if (n > infoCap) n = infoCap;
  const kept = infoLen < infoCap - n ? infoLen : infoCap - n;
  memory.copy(infoBase + n, infoBase, kept);
  memory.copy(infoBase, p, n);
  infoLen = n + kept;
  if (infoFence > 0) infoFence = infoFence + n < infoLen ? infoFence + n : infoLen;
  else if (fence) infoFence = n;
}

/** Puts `s` in front of the info column and moves any fence after it (Wireshark's col_prepend_fstr). */
export function infoPrepend(s: string): void {
  const p = scratchBegin();
  puts(s);
  prependBytes(p, scratchEnd(p), false);
}

/**
 * Starts text to put in front of the info column with a fence after it
 * (Wireshark's col_prepend_fence_fstr): write it with the text writer, then
 * call infoPrependFencedEnd with what this returned.
 */
export function infoPrependFencedBegin(): u32 { return scratchBegin(); }

export function infoPrependFencedEnd(start: u32): void {
  prependBytes(start, scratchEnd(start), true);
}

export function infoPtr(): u32 { return infoBase; }
export function infoLength(): u32 { return infoLen; }

/** Starts a decoded string in scratch space; returns its address. */
export function scratchBegin(): u32 {
  const p = scratchBase + scratchUsed;
  pushTarget(p, scratchBase + scratchCap);
  return p;
}

/** Ends the string begun at `start`; returns its length. */
export function scratchEnd(start: u32): u32 {
  const end = textPos();
  popTarget();
  scratchUsed = end - scratchBase;
  return end - start;
}

// Wireshark's col_set_writable(FALSE) around a packet a message carries: the
// info column takes no text (and loses none) until the matching
// infoUnfreeze(); a packet carried inside that one nests.
let freezeDepth: u32 = 0;
let frozenWanted = true;
let frozenLen: u32 = 0;
let frozenFence: u32 = 0;

export function infoFreeze(): void {
  if (freezeDepth++ > 0) return;
  frozenWanted = infoWanted;
  frozenLen = infoLen;
  frozenFence = infoFence;
  infoWanted = false;
}

export function infoUnfreeze(): void {
  if (freezeDepth == 0 || --freezeDepth > 0) return;
  infoWanted = frozenWanted;
  infoLen = frozenLen;
  infoFence = frozenFence;
}
