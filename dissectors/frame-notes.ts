// Two-pass reading (tshark -2): the first pass dissects every frame without
// output and leaves notes on frames about what later frames showed (the
// response that answered a request); the second pass, which starts again
// from fresh state and prints, reads them.  A note is keyed by its subject
// (a frame number, or a conversation's serial for state a conversation
// keeps, as Wireshark's conversation data outlives the first pass) and a
// tag (which dissector, and what about the subject); the table is fixed,
// so a capture with more notes than it holds loses some (the fields they
// carry are then missing), and a note never answers for another key.
import { table } from './tables';

/** Which reading this is: one pass as tshark without -2, or the first or second of -2. */
export const enum ReadPass { SINGLE = 0, FIRST = 1, SECOND = 2 }

/** Tags: a dissector's own values above the low 24 bits, which it may use for what in the frame the note is about. */
export const enum NoteTag {
  /** + the DNS ID: the frame of the first response to this request. */
  DNS_RESPONSE = 1 << 24,
  /** The serial of the HTTP record (http-transactions.ts) of the frame's last message. */
  HTTP_RECORD = 2 << 24,
  /** + the protocol (echo-match.ts): the frame of the reply to this echo request. */
  ECHO_REPLY = 3 << 24,
  /** About a conversation: HTTP saw a request in it. */
  HTTP_SAW_REQUEST = 4 << 24,
  /** About a conversation: its last full request URI, + 0 where it is kept (string-ring.ts), + 1 its length. */
  HTTP_FULL_URI = 5 << 24,
  /** About a conversation: its last request line's URI, as HTTP_FULL_URI. */
  HTTP_REQUEST_URI = 6 << 24,
  /** About a TCP conversation: its completeness at the end, + 1. */
  TCP_COMPLETENESS = 7 << 24,
  /** About a TCP conversation: its handshake's round-trip time (ns). */
  TCP_INITIAL_RTT = 8 << 24,
}

let pass: i32 = ReadPass.SINGLE;

const SLOTS: u32 = 1 << 17; // a power of two
const PROBES: u32 = 16;
// Key: the subject above the tag; 0 is a free slot (subjects start at 1).
const slotKey = table<u64>(SLOTS);
const slotValue = table<u64>(SLOTS);

/** Starts a reading pass; the first pass of -2 forgets the notes of any earlier reading. */
export function setReadPass(p: u32): void {
  pass = <i32>p;
  if (pass == ReadPass.FIRST) memory.fill(changetype<usize>(slotKey), 0, <usize>SLOTS * 8);
}

/** The first pass of -2: dissectors note what the second will want to know. */
export function learningAhead(): bool { return pass == ReadPass.FIRST; }

/** The second pass of -2: notes are there to read. */
export function readingNotes(): bool { return pass == ReadPass.SECOND; }

function slotOf(key: u64, claim: bool): i32 {
  let h = key * 0x9e3779b97f4a7c15;
  h ^= h >> 29;
  const first = <u32>h & (SLOTS - 1);
  for (let i: u32 = 0; i < PROBES; i++) {
    const s = (first + i) & (SLOTS - 1);
    const k = unchecked(slotKey[s]);
    if (k == key) return <i32>s;
    if (k == 0) return claim ? <i32>s : -1;
  }
  return -1;
}

/** Notes `value` about `subject` under `tag`, replacing what was noted under them. */
export function leaveNote(subject: u32, tag: u32, value: u64): void {
  const key = (<u64>subject << 32) | <u64>tag;
  const s = slotOf(key, true);
  if (s < 0) return;
  unchecked(slotKey[s] = key);
  unchecked(slotValue[s] = value);
}

/** What the first pass noted about `subject` under `tag`; 0 when nothing, or outside the second pass. */
export function readNote(subject: u32, tag: u32): u64 {
  if (pass != ReadPass.SECOND) return 0;
  const s = slotOf((<u64>subject << 32) | <u64>tag, false);
  return s < 0 ? 0 : unchecked(slotValue[s]);
}
