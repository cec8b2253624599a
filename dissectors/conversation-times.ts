// A conversation's first and latest frame times, as TCP and UDP keep them
// for tcp.time_relative/time_delta and udp.time_relative/time_delta.
import { conversationWords, convGet, convSet, convGet64, convSet64 } from './conversation';
import { frameTime } from './packet';

/** Claims the words one protocol's conversation times take; gives the first. */
export function claimConversationTimes(): u32 { return conversationWords(5); }

/** Records the first frame time of a conversation not yet timed; whether this frame opens it. */
export function noteConversationStart(slot: i32, times: u32): bool {
  if (convGet(slot, times + 4) != 0) return false;
  const now = frameTime();
  convSet64(slot, times, now);
  convSet64(slot, times + 2, now);
  convSet(slot, times + 4, 1);
  return true;
}

/** Set by stepConversationTimes(): the time since the conversation's first frame and since its previous one. */
export let sinceFirst: i64 = 0;
export let sincePrevious: i64 = 0;

/** Measures the current frame against the conversation's first and previous frames, then makes it the previous. */
export function stepConversationTimes(slot: i32, times: u32): void {
  noteConversationStart(slot, times);
  const now = frameTime();
  sinceFirst = now - convGet64(slot, times);
  sincePrevious = now - convGet64(slot, times + 2);
  convSet64(slot, times + 2, now);
}

/** Makes the next frame the conversation's first again (a protocol started a conversation of its own). */
export function forgetConversationTimes(slot: i32, times: u32): void { convSet(slot, times + 4, 0); }
