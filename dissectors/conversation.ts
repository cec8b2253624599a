// State that outlives a packet, kept per conversation (address pair, port
// pair and transport) as Wireshark keeps it: the protocol a heuristic found
// on a TCP stream, the TLS version a ServerHello settled, whether HTTP has
// seen a request there.  A fixed table filled in packet order, so a packet
// sees what the packets before it left, as in tshark's single pass.  Nothing
// is allocated per packet; when the few slots a key may use are all taken,
// the least recently used one is reused, so a capture with very many live
// conversations can forget one (tshark never forgets).
import { srcKind, srcPtr, dstPtr, AddrKind, packetSerialNumber } from './packet';
import { table } from './tables';

const SLOTS: u32 = 8192; // a power of two
const PROBES: u32 = 8;
const KEY_BYTES: u32 = 40; // kind, transport, 2 spare, port A, port B, address A, address B
export const CONV_WORDS: u32 = 128;

const keys = table<u8>(SLOTS * KEY_BYTES);
const words = table<u32>(SLOTS * CONV_WORDS);
const lastUsed = table<u32>(SLOTS); // packet serial + 1; 0 marks a free slot
const probeKey = table<u8>(KEY_BYTES);

let claimedWords: u32 = 0;
let reversed = false;

/** Claims one u32 of per-conversation state, once at module start. */
export function conversationWord(): u32 {
  if (claimedWords >= CONV_WORDS) unreachable();
  return claimedWords++;
}

/** Claims n consecutive words (one per direction, or a 64-bit value); gives the first. */
export function conversationWords(n: u32): u32 {
  const first = conversationWord();
  for (let i: u32 = 1; i < n; i++) conversationWord();
  return first;
}

// Every conversation is numbered as it begins (a slot claimed, or cleared for
// ports reused), from 1: the same numbers in both passes of a two-pass read,
// which replays the same frames in the same order, so that the first pass
// can leave notes about a conversation (frame-notes.ts) for the second.
const W_SERIAL = conversationWord();
let conversationsBegun: u32 = 0;

/** The conversation's number (0 without one). */
export function conversationSerial(slot: i32): u32 { return convGet(slot, W_SERIAL); }

// How many conversations of each transport (IP protocol number) have been numbered.
const streamsNumbered = table<u32>(256);

/** What a module keeps outside a conversation's words, freed when a conversation is (slot) or all are (-1) forgotten. */
export type ConversationCleaner = (slot: i32) => void;
const cleaners = new Array<ConversationCleaner>();

/** Registers a cleaner, once at module start. */
export function onConversationCleared(c: ConversationCleaner): void { cleaners.push(c); }

function runCleaners(slot: i32): void {
  for (let i = 0, n = cleaners.length; i < n; i++) unchecked(cleaners[i])(slot);
}

/** Forgets every conversation (a new capture begins). */
export function resetConversations(): void {
  runCleaners(-1);
  memory.fill(changetype<usize>(lastUsed), 0, <usize>SLOTS * 4);
  // Words too: a slot claimed later is cleared again, and its cleaners must find nothing of the last capture.
  memory.fill(changetype<usize>(words), 0, <usize>SLOTS * CONV_WORDS * 4);
  memory.fill(changetype<usize>(streamsNumbered), 0, 256 * 4);
  conversationsBegun = 0;
  memoStamp = 0;
}

/**
 * Wireshark's stream index (tcp.stream, udp.stream): the conversations of a
 * transport numbered from 0 in the order they first appear, kept in the
 * conversation's word `word` (claimed with conversationWord) as index + 1.
 * A conversation started again on reused ports (clearConversation) takes
 * the next number, as Wireshark's new conversation does.
 */
export function streamIndex(slot: i32, word: u32, transport: u32): u32 {
  let v = convGet(slot, word);
  if (v == 0) {
    const t = transport & 255;
    v = unchecked(streamsNumbered[t]) + 1;
    unchecked(streamsNumbered[t] = v);
    convSet(slot, word, v);
  }
  return v - 1;
}

function compareEndpoints(a: u32, b: u32, n: u32, portA: u32, portB: u32): i32 {
  for (let i: u32 = 0; i < n; i++) {
    const x = <i32>load<u8>(a + i), y = <i32>load<u8>(b + i);
    if (x != y) return x - y;
  }
  return <i32>portA - <i32>portB;
}

/**
 * The slot of the current packet's conversation (addresses from the network
 * layer, the given ports), created empty when new; -1 without IP addresses.
 */
export function findConversation(transport: u32, srcPort: u32, dstPort: u32): i32 {
  if (srcKind != AddrKind.IPV4 && srcKind != AddrKind.IPV6) return -1;
  // Several layers of one packet ask for the same conversation (TCP, then the
  // payload's dissector): the last answer stands while nothing changed.
  const stamp = packetSerialNumber() + 1;
  if (stamp == memoStamp && transport == memoTransport && srcPort == memoSrcPort && dstPort == memoDstPort
    && srcKind == memoKind && srcPtr == memoSrcPtr && dstPtr == memoDstPtr) {
    reversed = memoReversed;
    return memoSlot;
  }
  const n: u32 = srcKind == AddrKind.IPV4 ? 4 : 16;
  // Both directions share one key: the lower endpoint goes first.
  reversed = compareEndpoints(srcPtr, dstPtr, n, srcPort, dstPort) > 0;
  const k = changetype<usize>(probeKey);
  memory.fill(k, 0, KEY_BYTES);
  store<u8>(k, <u8>srcKind);
  store<u8>(k + 1, <u8>transport);
  store<u16>(k + 4, <u16>(reversed ? dstPort : srcPort));
  store<u16>(k + 6, <u16>(reversed ? srcPort : dstPort));
  memory.copy(k + 8, reversed ? dstPtr : srcPtr, n);
  memory.copy(k + 24, reversed ? srcPtr : dstPtr, n);

  let h: u32 = 2166136261;
  for (let i: u32 = 0; i < KEY_BYTES; i += 4) h = (h ^ load<u32>(k + i)) * 16777619;
  h ^= h >> 15; // the low bits pick the slot: fold the high ones in
  const slot = probe(h, k, stamp);
  memoStamp = stamp; memoTransport = transport; memoSrcPort = srcPort; memoDstPort = dstPort;
  memoKind = srcKind; memoSrcPtr = srcPtr; memoDstPtr = dstPtr; memoReversed = reversed; memoSlot = slot;
  return slot;
}

let memoStamp: u32 = 0;
let memoTransport: u32 = 0;
let memoSrcPort: u32 = 0;
let memoDstPort: u32 = 0;
let memoKind: u32 = 0;
let memoSrcPtr: u32 = 0;
let memoDstPtr: u32 = 0;
let memoReversed = false;
let memoSlot: i32 = -1;

@inline function sameKey(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8) && load<u64>(a, 16) == load<u64>(b, 16)
    && load<u64>(a, 24) == load<u64>(b, 24) && load<u64>(a, 32) == load<u64>(b, 32);
}

/** The slot holding key k (KEY_BYTES at k), claiming a free or the least recently used one of its probes when absent. */
function probe(h: u32, k: usize, stamp: u32): i32 {
  let victim: u32 = h & (SLOTS - 1);
  let oldest: u32 = 0xffffffff;
  for (let i: u32 = 0; i < PROBES; i++) {
    const slot = (h + i) & (SLOTS - 1);
    const used = unchecked(lastUsed[slot]);
    if (used == 0) { victim = slot; oldest = 0; break; }
    if (sameKey(changetype<usize>(keys) + slot * KEY_BYTES, k)) {
      unchecked(lastUsed[slot] = stamp);
      return <i32>slot;
    }
    if (used < oldest) { oldest = used; victim = slot; }
  }
  memory.copy(changetype<usize>(keys) + victim * KEY_BYTES, k, KEY_BYTES);
  clearConversation(<i32>victim);
  unchecked(lastUsed[victim] = stamp);
  return <i32>victim;
}

/** Forgets what a conversation's packets left, as when Wireshark starts a new conversation on reused ports. */
export function clearConversation(slot: i32): void {
  if (slot < 0) return;
  runCleaners(slot);
  memory.fill(changetype<usize>(words) + <usize>slot * CONV_WORDS * 4, 0, CONV_WORDS * 4);
  convSet(slot, W_SERIAL, ++conversationsBegun);
}

/** Whether the current packet goes from the higher endpoint to the lower (set by findConversation). */
export function conversationReversed(): bool { return reversed; }

export function convGet(slot: i32, word: u32): u32 {
  if (slot < 0) return 0;
  return unchecked(words[<u32>slot * CONV_WORDS + word]);
}

export function convSet(slot: i32, word: u32, v: u32): void {
  if (slot < 0) return;
  unchecked(words[<u32>slot * CONV_WORDS + word] = v);
}

/** A 64-bit value kept in two consecutive words (claimed with conversationWords(2)), low half first. */
export function convGet64(slot: i32, word: u32): i64 {
  return <i64>(<u64>convGet(slot, word) | (<u64>convGet(slot, word + 1) << 32));
}

export function convSet64(slot: i32, word: u32, v: i64): void {
  convSet(slot, word, <u32>v);
  convSet(slot, word + 1, <u32>(<u64>v >> 32));
}
