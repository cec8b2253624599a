// DNS request/response matching as Wireshark does it in one pass: per
// conversation and transaction ID, the latest transaction (its request's
// frame and time, and the frame of its first response).  A request with an
// ID whose transaction has no response yet, within the retransmission timer
// (5 s, Wireshark's default) of it, is a retransmission; a second response
// is one too; a response without a request is unsolicited.  In the second
// pass of a two-pass read a request also learns its response's frame.
import { leaveNote, readNote, learningAhead, NoteTag } from '../frame-notes';
import { findConversation, conversationWord, convGet, convSet } from '../conversation';
import { frameNumber, frameTime } from '../packet';
import { table } from '../tables';

const RETRANSMISSION_TIMER_NS: i64 = 5_000_000_000;

const SLOTS: u32 = 65536; // a power of two
const PROBES: u32 = 8;
// Key: the conversation's DNS generation (from 1) above the 16-bit ID; 0 is a free slot.
const slotKey = table<u64>(SLOTS);
const slotRequestFrame = table<u32>(SLOTS);
const slotResponseFrame = table<u32>(SLOTS);
const slotRequestTime = table<i64>(SLOTS);

// A conversation gets a generation the first time DNS runs in it.  Its words
// are zeroed when its slot is reused or a new capture begins, so it then gets
// a new one and the old entries can never match again.
const W_GENERATION = conversationWord();
let generations: u32 = 0;

/** What matching found for the current message. */
export class DnsMatch {
  /** The request's frame (0: none known). */
  requestFrame: u32 = 0;
  /** A response that repeats the first one: that one's frame. */
  responseFrame: u32 = 0;
  /** A request, in the second pass of a two-pass read: its first response's frame (0: none). */
  responseIn: u32 = 0;
  retransmission: bool = false;
  /** A first response: nanoseconds since its request. */
  delayNs: i64 = 0;
}
export const dnsMatch = new DnsMatch();

function slotFor(key: u64, claim: bool): i32 {
  let h = key * 0x9e3779b97f4a7c15;
  h ^= h >> 32;
  const first = <u32>h & (SLOTS - 1);
  let oldest: i32 = -1;
  for (let i: u32 = 0; i < PROBES; i++) {
    const s = <i32>((first + i) & (SLOTS - 1));
    const k = unchecked(slotKey[s]);
    if (k == key) return s;
    if (k == 0) return claim ? s : -1;
    if (oldest < 0 || unchecked(slotRequestFrame[s]) < unchecked(slotRequestFrame[oldest])) oldest = s;
  }
  return claim ? oldest : -1;
}

/**
 * Matches a message with transaction ID `id` on TCP (`tcp`) or UDP ports
 * srcPort -> dstPort, and records it; the result is in dnsMatch.  False
 * without a conversation (no IP addresses), when nothing is matched.
 */
export function matchDnsMessage(tcp: bool, srcPort: u32, dstPort: u32, id: u32, response: bool): bool {
  const m = dnsMatch;
  m.requestFrame = 0; m.responseFrame = 0; m.responseIn = 0; m.retransmission = false; m.delayNs = 0;
  const conv = findConversation(tcp ? 6 : 17, srcPort, dstPort);
  if (conv < 0) return false;
  let generation = convGet(conv, W_GENERATION);
  if (generation == 0) { generation = ++generations; convSet(conv, W_GENERATION, generation); }
  const key = (<u64>generation << 16) | <u64>(id & 0xffff);
  const now = frameTime();
  if (!response) {
    const s = slotFor(key, false);
    if (s >= 0 && unchecked(slotResponseFrame[s]) == 0 && now - unchecked(slotRequestTime[s]) < RETRANSMISSION_TIMER_NS) {
      m.retransmission = true;
      m.requestFrame = unchecked(slotRequestFrame[s]);
      return true;
    }
    const n = slotFor(key, true);
    unchecked(slotKey[n] = key);
    unchecked(slotRequestFrame[n] = frameNumber());
    unchecked(slotResponseFrame[n] = 0);
    unchecked(slotRequestTime[n] = now);
    m.responseIn = <u32>readNote(frameNumber(), <u32>NoteTag.DNS_RESPONSE | (id & 0xffff));
    return true;
  }
  const s = slotFor(key, false);
  if (s < 0) return true;
  m.requestFrame = unchecked(slotRequestFrame[s]);
  m.delayNs = now - unchecked(slotRequestTime[s]);
  if (unchecked(slotResponseFrame[s]) == 0) {
    unchecked(slotResponseFrame[s] = frameNumber());
    if (learningAhead()) leaveNote(m.requestFrame, <u32>NoteTag.DNS_RESPONSE | (id & 0xffff), frameNumber());
  } else {
    m.retransmission = true;
    m.responseFrame = unchecked(slotResponseFrame[s]);
  }
  return true;
}
