// HTTP request/response matching as Wireshark's http dissector does it: per
// conversation, a chain of records numbered from 1.  A request starts a
// record; a response completes the newest one, or starts its own when that
// one already has a response (or there is none: its request was not seen).
// A message shows its record, and the records before and after it in the
// chain.  In one pass the record after does not exist yet; the second pass
// of a two-pass read finds the chain complete, through the record noted on
// the frame in the first pass (the frame's last message's, as Wireshark keeps
// one per frame).
//
// Records live in a fixed ring, reached by serial number: a record the ring
// has since reused no longer answers to its serial, so a chain whose old
// records are gone shows less, never something else.
import { conversationWord, conversationWords, convGet, convSet, convGet64, convSet64, conversationSerial } from '../conversation';
import { frameNumber, frameTime, addNum, wanted } from '../packet';
import { leaveNote, readNote, learningAhead, readingNotes, NoteTag } from '../frame-notes';
import { keepString, keptString } from '../string-ring';
import { table } from '../tables';
import { addAscii } from './ascii-text';
import { F_RESPONSE_NUMBER, F_REQUEST_NUMBER, F_TIME, F_PREV_REQUEST_IN, F_PREV_RESPONSE_IN, F_REQUEST_IN, F_RESPONSE_IN,
  F_NEXT_REQUEST_IN, F_NEXT_RESPONSE_IN, F_RESPONSE_FOR_URI } from './http-fields';

const RECORDS: u32 = 1 << 16; // a power of two
const recSerial = table<u32>(RECORDS);
const recNumber = table<u32>(RECORDS);
const recRequestFrame = table<u32>(RECORDS);
const recResponseFrame = table<u32>(RECORDS);
const recRequestTime = table<i64>(RECORDS);
const recPrevious = table<u32>(RECORDS);
const recNext = table<u32>(RECORDS);
let lastSerial: u32 = 0;

// Per conversation: the newest record's serial, and how many records it has.
const W_NEWEST = conversationWord();
const W_RECORDS = conversationWord();

@inline function at(serial: u32): u32 { return serial & (RECORDS - 1); }

/** Whether `serial` names a record still in the ring. */
function live(serial: u32): bool {
  return serial != 0 && unchecked(recSerial[at(serial)]) == serial;
}

function newRecord(slot: i32): u32 {
  if (++lastSerial == 0) lastSerial = 1;
  const s = lastSerial, i = at(s);
  const number = convGet(slot, W_RECORDS) + 1;
  convSet(slot, W_RECORDS, number);
  const newest = convGet(slot, W_NEWEST);
  const previous = live(newest) ? newest : 0;
  unchecked(recSerial[i] = s);
  unchecked(recNumber[i] = number);
  unchecked(recRequestFrame[i] = 0);
  unchecked(recResponseFrame[i] = 0);
  unchecked(recRequestTime[i] = 0);
  unchecked(recPrevious[i] = previous);
  unchecked(recNext[i] = 0);
  if (previous != 0) unchecked(recNext[at(previous)] = s);
  convSet(slot, W_NEWEST, s);
  return s;
}

/** What the current message's record and its neighbours say (0: not known). */
export class HttpMatch {
  number: u32 = 0;
  requestFrame: u32 = 0;
  responseFrame: u32 = 0;
  /** Nanoseconds since the record's request; valid when requestFrame is. */
  sinceRequestNs: i64 = 0;
  previousRequestFrame: u32 = 0;
  previousResponseFrame: u32 = 0;
  nextRequestFrame: u32 = 0;
  nextResponseFrame: u32 = 0;
}
export const httpMatch = new HttpMatch();

/**
 * Records a request (or a response) of conversation `slot` and finds its
 * record; false when there is none (no conversation, or the second pass
 * finds no note).  The result is in httpMatch.
 */
export function matchHttpMessage(slot: i32, response: bool): bool {
  let s: u32 = 0;
  if (readingNotes()) {
    s = <u32>readNote(frameNumber(), NoteTag.HTTP_RECORD);
  } else if (slot >= 0) {
    if (response) {
      s = convGet(slot, W_NEWEST);
      if (!live(s) || unchecked(recResponseFrame[at(s)]) != 0) s = newRecord(slot);
      unchecked(recResponseFrame[at(s)] = frameNumber());
    } else {
      s = newRecord(slot);
      unchecked(recRequestFrame[at(s)] = frameNumber());
      unchecked(recRequestTime[at(s)] = frameTime());
    }
    if (learningAhead()) leaveNote(frameNumber(), NoteTag.HTTP_RECORD, s);
  }
  if (!live(s)) return false;
  const m = httpMatch, i = at(s);
  m.number = unchecked(recNumber[i]);
  m.requestFrame = unchecked(recRequestFrame[i]);
  m.responseFrame = unchecked(recResponseFrame[i]);
  m.sinceRequestNs = frameTime() - unchecked(recRequestTime[i]);
  const previous = unchecked(recPrevious[i]), next = unchecked(recNext[i]);
  const hasPrevious = live(previous), hasNext = live(next);
  m.previousRequestFrame = hasPrevious ? unchecked(recRequestFrame[at(previous)]) : 0;
  m.previousResponseFrame = hasPrevious ? unchecked(recResponseFrame[at(previous)]) : 0;
  m.nextRequestFrame = hasNext ? unchecked(recRequestFrame[at(next)]) : 0;
  m.nextResponseFrame = hasNext ? unchecked(recResponseFrame[at(next)]) : 0;
  return true;
}

/** A request's or response's matching fields, in Wireshark's order, then (on a response) the URI it answers. */
export function addHttpMatch(slot: i32, response: bool): void {
  if (matchHttpMessage(slot, response)) {
    const m = httpMatch;
    addNum(response ? F_RESPONSE_NUMBER : F_REQUEST_NUMBER, m.number);
    if (response && m.requestFrame != 0) addNum(F_TIME, <u64>m.sinceRequestNs);
    if (m.previousRequestFrame != 0) addNum(F_PREV_REQUEST_IN, m.previousRequestFrame);
    if (response) {
      if (m.previousResponseFrame != 0) addNum(F_PREV_RESPONSE_IN, m.previousResponseFrame);
      if (m.requestFrame != 0) addNum(F_REQUEST_IN, m.requestFrame);
    } else if (m.responseFrame != 0) addNum(F_RESPONSE_IN, m.responseFrame);
    if (m.nextRequestFrame != 0) addNum(F_NEXT_REQUEST_IN, m.nextRequestFrame);
    if (response && m.nextResponseFrame != 0) addNum(F_NEXT_RESPONSE_IN, m.nextResponseFrame);
  }
  if (response) addResponseForUri(slot);
}

// Per conversation, what a response shows as the URI it answers: the last
// full URI a request made (from its Host header), else the last request
// line's URI.  Kept when the field is wanted (that is for the whole read),
// and in the first pass of -2, whose last ones the second pass starts with.
const W_REQUEST_URI = conversationWords(2);
const W_REQUEST_URI_LENGTH = conversationWord();
const W_FULL_URI = conversationWords(2);
const W_FULL_URI_LENGTH = conversationWord();

function keepUri(slot: i32, p: u32, n: u32, word: u32, lengthWord: u32, tag: u32): void {
  if (slot < 0 || !(unchecked(wanted[F_RESPONSE_FOR_URI]) || learningAhead())) return;
  const position = keepString(p, n);
  convSet64(slot, word, <i64>position);
  convSet(slot, lengthWord, n);
  if (learningAhead()) {
    leaveNote(conversationSerial(slot), tag, position);
    leaveNote(conversationSerial(slot), tag + 1, n);
  }
}

/** A request line's URI, the n bytes at p. */
export function keepRequestUri(slot: i32, p: u32, n: u32): void {
  keepUri(slot, p, n, W_REQUEST_URI, W_REQUEST_URI_LENGTH, NoteTag.HTTP_REQUEST_URI);
}

/** A request's full URI (http.request.full_uri), the n bytes at p. */
export function keepFullUri(slot: i32, p: u32, n: u32): void {
  keepUri(slot, p, n, W_FULL_URI, W_FULL_URI_LENGTH, NoteTag.HTTP_FULL_URI);
}

/** The second pass of -2: a conversation's URIs as the first pass left them (if the ring still holds them). */
export function takeUpFirstPassUris(slot: i32): void {
  const serial = conversationSerial(slot);
  convSet64(slot, W_REQUEST_URI, <i64>readNote(serial, NoteTag.HTTP_REQUEST_URI));
  convSet(slot, W_REQUEST_URI_LENGTH, <u32>readNote(serial, <u32>NoteTag.HTTP_REQUEST_URI + 1));
  convSet64(slot, W_FULL_URI, <i64>readNote(serial, NoteTag.HTTP_FULL_URI));
  convSet(slot, W_FULL_URI_LENGTH, <u32>readNote(serial, <u32>NoteTag.HTTP_FULL_URI + 1));
}

function addResponseForUri(slot: i32): void {
  if (!unchecked(wanted[F_RESPONSE_FOR_URI]) || slot < 0) return;
  let position = <u64>convGet64(slot, W_FULL_URI);
  let n = convGet(slot, W_FULL_URI_LENGTH);
  if (position == 0) {
    position = <u64>convGet64(slot, W_REQUEST_URI);
    n = convGet(slot, W_REQUEST_URI_LENGTH);
  }
  const p = keptString(position);
  if (p != 0) addAscii(F_RESPONSE_FOR_URI, p, n);
}
