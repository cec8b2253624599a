// The segments each direction of a TCP conversation has sent and the other
// has not yet acknowledged (Wireshark's list of unacked segments), for the
// fields that need them: the frame an ACK acknowledges and its round-trip
// time, bytes in flight and the retransmission timeout.  Records come from
// one pool shared by every conversation and are linked per direction, newest
// first, as Wireshark links its list.
import { conversationWords, convGet, convSet, onConversationCleared } from '../conversation';
import { table } from '../tables';

const POOL: u32 = 1 << 17;
/** Wireshark's TCP_MAX_UNACKED_SEGMENTS: a direction lists no more than this. */
const MAX_PER_DIRECTION: u32 = 10000;

const segFrame = table<u32>(POOL);
const segSeq = table<u32>(POOL);
const segNext = table<u32>(POOL);
const segTime = table<i64>(POOL);
// Links are record index + 1, so that 0 ends a list.
const segLink = table<u32>(POOL);

let freeList: u32 = 0;
let neverUsed: u32 = 0;

const W_HEAD = conversationWords(2);
const W_COUNT = conversationWords(2);

@inline function gt(a: u32, b: u32): bool { return <i32>(a - b) > 0; }

function allocate(): u32 {
  if (freeList != 0) {
    const r = freeList;
    freeList = unchecked(segLink[r - 1]);
    return r;
  }
  return neverUsed < POOL ? ++neverUsed : 0;
}

function release(r: u32): void {
  unchecked(segLink[r - 1] = freeList);
  freeList = r;
}

/** Lists a segment that takes sequence space [seq, next), unless the direction (or the pool) is full. */
export function listSegment(slot: i32, dir: u32, frame: u32, seq: u32, next: u32, time: i64): void {
  const count = convGet(slot, W_COUNT + dir);
  if (slot < 0 || count >= MAX_PER_DIRECTION) return;
  const r = allocate();
  if (r == 0) return;
  const i = r - 1;
  unchecked(segFrame[i] = frame);
  unchecked(segSeq[i] = seq);
  unchecked(segNext[i] = next);
  unchecked(segTime[i] = time);
  unchecked(segLink[i] = convGet(slot, W_HEAD + dir));
  convSet(slot, W_HEAD + dir, r);
  convSet(slot, W_COUNT + dir, count + 1);
}

/** Set by acknowledge(): the acknowledged segment's frame (0: none) and the time since it was sent. */
export let ackedFrame: u32 = 0;
export let ackedAfter: i64 = 0;

/**
 * Takes an acknowledgement number against the segments direction `dir`
 * listed: a segment it ends at exactly is the one acknowledged (the oldest
 * such, as Wireshark's walk ends on it), segments it covers leave the list,
 * and one it acknowledges in part keeps only the rest.
 */
export function acknowledge(slot: i32, dir: u32, ack: u32, now: i64): void {
  ackedFrame = 0;
  ackedAfter = 0;
  let prev: u32 = 0;
  let r = convGet(slot, W_HEAD + dir);
  let count = convGet(slot, W_COUNT + dir);
  while (r != 0) {
    const i = r - 1;
    const next = unchecked(segNext[i]);
    if (ack == next) {
      ackedFrame = unchecked(segFrame[i]);
      ackedAfter = now - unchecked(segTime[i]);
    } else if (gt(ack, unchecked(segSeq[i])) && gt(next, ack)) {
      unchecked(segSeq[i] = ack);
      prev = r;
      r = unchecked(segLink[i]);
      continue;
    } else if (gt(next, ack)) {
      prev = r;
      r = unchecked(segLink[i]);
      continue;
    }
    const older = unchecked(segLink[i]);
    if (prev == 0) convSet(slot, W_HEAD + dir, older); else unchecked(segLink[prev - 1] = older);
    release(r);
    count--;
    r = older;
  }
  convSet(slot, W_COUNT + dir, count);
}

export function hasSegments(slot: i32, dir: u32): bool { return convGet(slot, W_HEAD + dir) != 0; }

/** The span from the lowest listed sequence number to the highest end, both relative to `base` as Wireshark compares them. */
export function listedSpan(slot: i32, dir: u32, base: u32): u32 {
  let r = convGet(slot, W_HEAD + dir);
  if (r == 0) return 0;
  let first = unchecked(segSeq[r - 1]) - base;
  let last = unchecked(segNext[r - 1]) - base;
  while (r != 0) {
    const i = r - 1;
    const s = unchecked(segSeq[i]) - base, n = unchecked(segNext[i]) - base;
    if (n > last) last = n;
    if (s < first) first = s;
    r = unchecked(segLink[i]);
  }
  return last - first;
}

/** Set by oldestSegment(): the oldest listed segment's frame and send time. */
export let oldestFrame: u32 = 0;
export let oldestTime: i64 = 0;

/** Whether the direction lists a segment; if so oldestFrame and oldestTime describe the oldest. */
export function oldestSegment(slot: i32, dir: u32): bool {
  let r = convGet(slot, W_HEAD + dir);
  if (r == 0) return false;
  while (unchecked(segLink[r - 1]) != 0) r = unchecked(segLink[r - 1]);
  oldestFrame = unchecked(segFrame[r - 1]);
  oldestTime = unchecked(segTime[r - 1]);
  return true;
}

function forget(slot: i32): void {
  if (slot < 0) {
    freeList = 0;
    neverUsed = 0;
    return;
  }
  for (let dir: u32 = 0; dir < 2; dir++) {
    let r = convGet(slot, W_HEAD + dir);
    while (r != 0) {
      const older = unchecked(segLink[r - 1]);
      release(r);
      r = older;
    }
  }
}

onConversationCleared(forget);
