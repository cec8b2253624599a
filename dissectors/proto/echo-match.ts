// Echo request/reply matching for ICMP and ICMPv6, as Wireshark's
// transaction tracking does it in one pass: a reply names the request it
// answers and the time between them.  Requests are remembered in a fixed
// table keyed by the address pair and the echo's identifying words; a newer
// request with the same key, or a slot collision, replaces an older one.
// In the second pass of a two-pass read a request also learns its reply.
import { leaveNote, readNote, learningAhead, readingNotes, NoteTag } from '../frame-notes';
import { infoAppend, infoDone } from '../columns';
import { srcKind, srcPtr, dstPtr, AddrKind, frameNumber, frameTime, streamSerial, addNum } from '../packet';
import { putc, puts, putDec, putDecPadded } from '../text';
import { table } from '../tables';

const SLOTS: u32 = 4096;
const slotKey = table<u64>(SLOTS);
const slotAddresses = table<u64>(SLOTS);
const slotStream = table<u32>(SLOTS);
const slotFrame = table<u32>(SLOTS);
const slotTime = table<i64>(SLOTS);
const slotAnswered = table<u8>(SLOTS);
const slotDatum = table<u32>(SLOTS);

function hashAddress(p: u32, n: u32): u64 {
  let h: u64 = 0xcbf29ce484222325;
  for (let i: u32 = 0; i < n; i++) { h ^= <u64>load<u8>(p + i); h *= 0x100000001b3; }
  return h;
}

/** The conversation's addresses, the same whichever way the packet goes. */
function addressPair(): u64 {
  const n: u32 = srcKind == AddrKind.IPV6 ? 16 : srcKind == AddrKind.IPV4 ? 4 : 6;
  const a = hashAddress(srcPtr, n);
  const b = hashAddress(dstPtr, n);
  return a < b ? a * 31 + b : b * 31 + a;
}

function slotOf(addresses: u64, key: u64): u32 {
  let h = addresses ^ (key * 0x9e3779b97f4a7c15);
  h ^= h >> 29;
  return <u32>(h % <u64>SLOTS);
}

/**
 * `protocol` keeps ICMP, ICMPv6 and AoE apart; key0/key1 are Wireshark's
 * conversation key words; `datum` is what a reply learns from its request
 * (AoE's ATA command).  Returns the frame of the reply that answered the
 * request, which only the second pass of a two-pass read knows (else 0).
 */
export function rememberRequest(protocol: u32, key0: u32, key1: u32, datum: u32 = 0): u32 {
  const key = (<u64>(protocol << 24 | key0) << 32) | <u64>key1;
  const addresses = addressPair();
  const s = slotOf(addresses, key);
  unchecked(slotKey[s] = key);
  unchecked(slotAddresses[s] = addresses);
  unchecked(slotStream[s] = streamSerial());
  unchecked(slotFrame[s] = frameNumber());
  unchecked(slotTime[s] = frameTime());
  unchecked(slotAnswered[s] = 0);
  unchecked(slotDatum[s] = datum);
  return <u32>readNote(frameNumber(), <u32>NoteTag.ECHO_REPLY | protocol);
}

let matchedTime: i64 = 0;
let matchedDatumValue: u32 = 0;
/** The datum remembered with the matched request. */
export function matchedDatum(): u32 { return matchedDatumValue; }
/** Nanoseconds from the matched request to this reply. */
export function matchedDelayNs(): i64 { return frameTime() - matchedTime; }

/** The frame number of the request this reply answers first, or 0. */
export function matchReply(protocol: u32, key0: u32, key1: u32): u32 {
  const key = (<u64>(protocol << 24 | key0) << 32) | <u64>key1;
  const addresses = addressPair();
  const s = slotOf(addresses, key);
  if (unchecked(slotKey[s]) != key || unchecked(slotAddresses[s]) != addresses) return 0;
  if (unchecked(slotStream[s]) != streamSerial() || unchecked(slotAnswered[s])) return 0;
  if (unchecked(slotFrame[s]) == 0) return 0;
  unchecked(slotAnswered[s] = 1);
  if (learningAhead()) leaveNote(unchecked(slotFrame[s]), <u32>NoteTag.ECHO_REPLY | protocol, frameNumber());
  matchedTime = unchecked(slotTime[s]);
  matchedDatumValue = unchecked(slotDatum[s]);
  return unchecked(slotFrame[s]);
}

/** A delay in nanoseconds as milliseconds the way tshark prints the double ("0.019", "8.046"). */
export function putMilliseconds(ns: i64): void {
  if (ns < 0) { putc(45); ns = -ns; }
  putDec(<u64>(ns / 1_000_000));
  let frac = <u64>(ns % 1_000_000);
  if (frac == 0) return;
  let digits: u32 = 6;
  while (frac % 10 == 0) { frac /= 10; digits--; }
  putc(46);
  putDecPadded(frac, digits);
}

/** Wireshark's in_cksum over two words: the key an echo's partner is stored under. */
export function partnerChecksum(checksum: u32, typeDifference: u32): u32 {
  let sum = (~checksum & 0xffff) + (~typeDifference & 0xffff);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/**
 * An ICMP or ICMPv6 echo request in the second pass of a two-pass read: the
 * frame of its reply (`reply`, from rememberRequest) as field `replyIn` and
 * " (reply in N)", or `noReply` and " (no response found!)".
 */
export function addEchoReply(reply: u32, replyIn: u32, noReply: u32): void {
  if (!readingNotes()) return;
  infoAppend();
  if (reply != 0) {
    addNum(replyIn, reply);
    puts(' (reply in '); putDec(reply); putc(41);
  } else {
    addNum(noReply, 0);
    puts(' (no response found!)');
  }
  infoDone();
}
