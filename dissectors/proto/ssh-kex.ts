// What the SSH dissector remembers of each side's KEXINIT to negotiate as
// tshark does: the client's first name that the server lists too, for the
// key exchange and for each direction's cipher.  The lists outlive their
// packet, so each is kept as the hashes of its names, in order, in a small
// table of proposals tagged with their capture, conversation slot, side and
// the frame of that side's first KEXINIT (a slot reused by another
// conversation never matches an old tag).  A list past MAX_NAMES names
// keeps its first MAX_NAMES.
import { streamSerial } from '../packet';
import { table } from '../tables';

export const enum Proposal { KEX = 0, ENC_CLIENT_TO_SERVER = 1, ENC_SERVER_TO_CLIENT = 2 }
const LISTS: u32 = 3;
const MAX_NAMES: u32 = 32;
const ENTRIES: u32 = 64;

const entrySlot = table<i32>(ENTRIES);
const entrySide = table<u32>(ENTRIES);
const entryTag = table<u32>(ENTRIES); // 0: free
const entryStream = table<u32>(ENTRIES);
// Names per list; -1 while that list was not read (its KEXINIT stopped short of it).
const counts = table<i32>(ENTRIES * LISTS);
const hashes = table<u32>(ENTRIES * LISTS * MAX_NAMES);
// Per list, bit i: name i starts with "ecdh-sha2-" (which tshark matches by prefix).
const ecdhPrefixed = table<u32>(ENTRIES * LISTS);
let nextEntry: u32 = 0;

function hashBytes(p: u32, n: u32): u32 {
  let h: u32 = 2166136261;
  for (let i: u32 = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * 16777619;
  return h;
}

function hashString(s: string): u32 {
  let h: u32 = 2166136261;
  for (let i = 0; i < s.length; i++) h = (h ^ <u32>s.charCodeAt(i)) * 16777619;
  return h;
}

function find(slot: i32, side: u32, tag: u32): i32 {
  const stream = streamSerial();
  for (let e: u32 = 0; e < ENTRIES; e++) {
    if (unchecked(entryTag[e]) == tag && unchecked(entrySlot[e]) == slot && unchecked(entrySide[e]) == side
      && unchecked(entryStream[e]) == stream) return <i32>e;
  }
  return -1;
}

/** The proposal of `side` in conversation `slot`, whose first KEXINIT was frame `tag`; claimed empty when there is none. */
export function proposalFor(slot: i32, side: u32, tag: u32): i32 {
  const found = find(slot, side, tag);
  if (found >= 0) return found;
  const e = nextEntry;
  nextEntry = (nextEntry + 1) % ENTRIES;
  unchecked(entrySlot[e] = slot);
  unchecked(entrySide[e] = side);
  unchecked(entryTag[e] = tag);
  unchecked(entryStream[e] = streamSerial());
  for (let l: u32 = 0; l < LISTS; l++) unchecked(counts[e * LISTS + l] = -1);
  return <i32>e;
}

/** The other side's proposal, or -1 when it has not been seen (or was forgotten). */
export function proposalOf(slot: i32, side: u32, tag: u32): i32 {
  return tag == 0 ? -1 : find(slot, side, tag);
}

const ECDH_PREFIX = 'ecdh-sha2-';

function hasEcdhPrefix(p: u32, n: u32): bool {
  if (n < <u32>ECDH_PREFIX.length) return false;
  for (let i = 0; i < ECDH_PREFIX.length; i++) if (<u32>load<u8>(p + i) != <u32>ECDH_PREFIX.charCodeAt(i)) return false;
  return true;
}

/** Keeps the comma-separated name-list at [p, p + n) as list `list` of proposal `e`. */
export function storeList(e: i32, list: Proposal, p: u32, n: u32): void {
  const at = <u32>e * LISTS + <u32>list;
  let count: u32 = 0;
  let prefixed: u32 = 0;
  let from = p;
  const end = p + n;
  // tshark splits on ',' and compares whole names; an empty list names nothing.
  for (let q = p; n > 0 && q <= end && count < MAX_NAMES; q++) {
    if (q < end && load<u8>(q) != 44) continue;
    unchecked(hashes[at * MAX_NAMES + count] = hashBytes(from, q - from));
    if (hasEcdhPrefix(from, q - from)) prefixed |= 1 << count;
    count++;
    from = q + 1;
  }
  unchecked(counts[at] = <i32>count);
  unchecked(ecdhPrefixed[at] = prefixed);
}

/**
 * The index, in the client's list, of its first name the server lists too;
 * -1 when either list is missing or they have none in common.
 */
export function choose(client: i32, server: i32, list: Proposal): i32 {
  if (client < 0 || server < 0) return -1;
  const c = <u32>client * LISTS + <u32>list;
  const s = <u32>server * LISTS + <u32>list;
  const cn = unchecked(counts[c]), sn = unchecked(counts[s]);
  for (let i = 0; i < cn; i++) {
    const h = unchecked(hashes[c * MAX_NAMES + <u32>i]);
    for (let j = 0; j < sn; j++) if (unchecked(hashes[s * MAX_NAMES + <u32>j]) == h) return i;
  }
  return -1;
}

function nameHash(e: i32, list: Proposal, i: i32): u32 {
  return unchecked(hashes[(<u32>e * LISTS + <u32>list) * MAX_NAMES + <u32>i]);
}

/** Which of tshark's tables names key exchange messages 30-49. */
export const enum KexTable { DH = 0, GROUP_EXCHANGE = 1, ECDH = 2 }

const GROUP_EXCHANGE_NAMES: StaticArray<u32> = [hashString('diffie-hellman-group-exchange-sha1'), hashString('diffie-hellman-group-exchange-sha256')];
const ECDH_NAMES: StaticArray<u32> = [hashString('curve25519-sha256@libssh.org'), hashString('curve25519-sha256'), hashString('curve448-sha512')];

function listed(table: StaticArray<u32>, h: u32): bool {
  for (let i = 0; i < table.length; i++) if (unchecked(table[i]) == h) return true;
  return false;
}

/** The table for name `i` of the client's kex list (tshark's default, DH, for any name it does not know). */
export function kexTableOf(client: i32, i: i32): KexTable {
  const h = nameHash(client, Proposal.KEX, i);
  if (listed(GROUP_EXCHANGE_NAMES, h)) return KexTable.GROUP_EXCHANGE;
  if (listed(ECDH_NAMES, h) || (unchecked(ecdhPrefixed[<u32>client * LISTS]) >> <u32>i) & 1) return KexTable.ECDH;
  return KexTable.DH;
}

/**
 * What tshark 4.0 does with a direction's packets after its NEWKEYS: it
 * tries to decrypt those ciphers it supports with keys it does not have.
 * With the stream ciphers and CBC the garbage length it reads makes it drop
 * the rest of the segment without a word (SILENT).  With GCM it shows
 * garbage, which is not emulated: those packets stay OPAQUE ("Encrypted
 * packet"), as for the ciphers tshark does not try.
 */
export const enum CipherFate { OPAQUE = 0, SILENT = 1 }

const SILENT_CIPHERS: StaticArray<u32> = [hashString('chacha20-poly1305@openssh.com'), hashString('aes128-cbc'), hashString('aes192-cbc'),
  hashString('aes256-cbc'), hashString('aes128-ctr'), hashString('aes192-ctr'), hashString('aes256-ctr')];

export function cipherFateOf(client: i32, list: Proposal, i: i32): CipherFate {
  if (i < 0) return CipherFate.OPAQUE;
  const h = nameHash(client, list, i);
  return listed(SILENT_CIPHERS, h) ? CipherFate.SILENT : CipherFate.OPAQUE;
}
