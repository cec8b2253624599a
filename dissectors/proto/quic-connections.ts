// QUIC connections for the QUIC dissector (quic.ts): Wireshark keeps them in
// maps keyed by connection ID; here a connection belongs to the UDP
// conversation its first client Initial came on (the conversation word holds
// its serial), in a table reused round robin, with the connection IDs seen.
import { streamSerial } from '../packet';
import { conversationWord, conversationReversed, convGet, convSet } from '../conversation';
import { table } from '../tables';

export const MAX_CID: u32 = 20;
export const CID_BYTES: u32 = 24; // length byte, 20 bytes, padding

const MAX_CONNS: u32 = 256;
export const W_QUIC = conversationWord(); // bit 0: QUIC is this conversation's dissector; above it the connection serial

export const connSerial = table<u32>(MAX_CONNS);
export const connVersion = table<u32>(MAX_CONNS);
export const connServerReversed = table<bool>(MAX_CONNS);
export const connDcidSet = table<bool>(MAX_CONNS);
export const connKeysValid = table<bool>(MAX_CONNS);
export const connKeysVersion = table<u32>(MAX_CONNS);
export const connCids = table<u8>(MAX_CONNS * 4 * CID_BYTES); // initial DCID, client CID, server CID, the CID the keys came from
export const connMaxPkn = table<u64>(MAX_CONNS * 2); // Initial packet number space, per direction
export const connCryptoNext = table<u64>(MAX_CONNS * 2); // contiguous CRYPTO bytes seen at the Initial level, per direction
export const CID_INITIAL: u32 = 0;
export const CID_CLIENT: u32 = 1;
export const CID_SERVER: u32 = 2;
export const CID_KEYS: u32 = 3;

let nextSerial: u32 = 1;
export let knownCidLengths: u32 = 0; // bit n: some connection has a CID of n bytes
let stateStream: u32 = 0xffffffff;

export function resetIfNewStream(): void {
  if (stateStream == streamSerial()) return;
  stateStream = streamSerial();
  knownCidLengths = 0;
  nextSerial = 1;
  memory.fill(changetype<usize>(connSerial), 0, MAX_CONNS * 4);
}

@inline export function cidAt(conn: i32, which: u32): usize {
  return changetype<usize>(connCids) + (<usize>conn * 4 + which) * CID_BYTES;
}
@inline export function cidLen(conn: i32, which: u32): u32 { return <u32>load<u8>(cidAt(conn, which)); }

export function setCid(conn: i32, which: u32, src: usize, len: u32): void {
  const c = cidAt(conn, which);
  store<u8>(c, <u8>len);
  memory.copy(c + 1, src, len);
}

export function cidEquals(conn: i32, which: u32, p: usize, len: u32): bool {
  const c = cidAt(conn, which);
  if (<u32>load<u8>(c) != len) return false;
  return memory.compare(c + 1, p, len) == 0;
}

/** Wireshark's prefix match: the stored CID is a prefix of the raw bytes (an empty CID always matches). */
export function cidPrefixOf(conn: i32, which: u32, p: usize, len: u32): bool {
  const c = cidAt(conn, which);
  const n = <u32>load<u8>(c);
  return len >= n && memory.compare(c + 1, p, n) == 0;
}

export function conversationConn(slot: i32): i32 {
  const w = convGet(slot, W_QUIC);
  const serial = w >> 1;
  if (serial == 0) return -1;
  const i = <i32>(serial % MAX_CONNS);
  return unchecked(connSerial[i]) == serial ? i : -1;
}

export function createConn(slot: i32, version: u32): i32 {
  const serial = nextSerial++;
  const i = <i32>(serial % MAX_CONNS);
  unchecked(connSerial[i] = serial);
  unchecked(connVersion[i] = version);
  unchecked(connServerReversed[i] = !conversationReversed());
  unchecked(connDcidSet[i] = false);
  unchecked(connKeysValid[i] = false);
  memory.fill(cidAt(i, 0), 0, 4 * CID_BYTES);
  unchecked(connMaxPkn[i * 2] = 0); unchecked(connMaxPkn[i * 2 + 1] = 0);
  unchecked(connCryptoNext[i * 2] = 0); unchecked(connCryptoNext[i * 2 + 1] = 0);
  convSet(slot, W_QUIC, (serial << 1) | (convGet(slot, W_QUIC) & 1));
  return i;
}

export function updateInitial(conn: i32, scid: usize, scil: u32, dcid: usize, dcil: u32): void {
  if (scil > 0) { setCid(conn, CID_CLIENT, scid, scil); knownCidLengths |= 1 << scil; }
  if (dcil > 0) { setCid(conn, CID_INITIAL, dcid, dcil); unchecked(connDcidSet[conn] = true); }
}

/** A server's connection ID, from its first long-header packet. */
export function noteServerCid(conn: i32, scid: usize, scil: u32): void {
  setCid(conn, CID_SERVER, scid, scil);
  knownCidLengths |= 1 << scil;
}
