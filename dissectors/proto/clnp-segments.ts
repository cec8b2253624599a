// CLNP segments gathered as Wireshark's one pass reassembles them: by source
// and destination NSAP and data unit identifier, complete once the segment
// without "more segments" has set the length and the pieces cover it from
// offset 0.  A few fixed buffers; a PDU longer than one, or with more pieces
// than a slot holds, never completes (Wireshark's would).
import { streamSerial } from '../packet';
import { table } from '../tables';

const SLOTS: u32 = 16;
const BUFFER_SIZE: u32 = 16384;
const MAX_PIECES: u32 = 32;
const UNKNOWN: u32 = 0xffffffff;

const slotKey = table<u64>(SLOTS);
const slotStream = table<u32>(SLOTS);
const slotInUse = table<u8>(SLOTS);
const slotLength = table<u32>(SLOTS);
const slotPieces = table<u32>(SLOTS);
const pieceStart = table<u32>(SLOTS * MAX_PIECES);
const pieceEnd = table<u32>(SLOTS * MAX_PIECES);
const buffer = table<u8>(SLOTS * BUFFER_SIZE);
let nextVictim: u32 = 0;

function hashBytes(h: u64, p: u32, n: u32): u64 {
  h ^= <u64>n; h *= 0x100000001b3;
  for (let i: u32 = 0; i < n; i++) { h ^= <u64>load<u8>(p + i); h *= 0x100000001b3; }
  return h;
}

function slotFor(key: u64): u32 {
  const stream = streamSerial();
  for (let s: u32 = 0; s < SLOTS; s++) {
    if (unchecked(slotInUse[s]) && unchecked(slotKey[s]) == key && unchecked(slotStream[s]) == stream) return s;
  }
  let s: u32 = 0;
  while (s < SLOTS && unchecked(slotInUse[s])) s++;
  if (s == SLOTS) { s = nextVictim; nextVictim = (nextVictim + 1) % SLOTS; }
  unchecked(slotInUse[s] = 1);
  unchecked(slotKey[s] = key);
  unchecked(slotStream[s] = stream);
  unchecked(slotLength[s] = UNKNOWN);
  unchecked(slotPieces[s] = 0);
  return s;
}

/** Whether pieces of slot s cover [0, length) without a hole. */
function covered(s: u32, length: u32): bool {
  const n = unchecked(slotPieces[s]);
  let reached: u32 = 0;
  // Pieces are few: sweep for one that starts within what is covered and reaches further.
  let grew = true;
  while (grew && reached < length) {
    grew = false;
    for (let i: u32 = 0; i < n; i++) {
      const a = unchecked(pieceStart[s * MAX_PIECES + i]), b = unchecked(pieceEnd[s * MAX_PIECES + i]);
      if (a <= reached && b > reached) { reached = b; grew = true; }
    }
  }
  return reached >= length;
}

/**
 * Adds the segment of `length` bytes at p, `offset` into the PDU from
 * `src` to `dst` (each an NSAP's length byte, then the NSAP); returns where
 * the whole PDU's data now lies when this segment completes it, else 0.
 */
export function addSegment(src: u32, dst: u32, id: u32, offset: u32, p: u32, length: u32, more: bool): u32 {
  let key = hashBytes(0xcbf29ce484222325, src + 1, <u32>load<u8>(src));
  key = hashBytes(key, dst + 1, <u32>load<u8>(dst));
  key = (key ^ <u64>id) * 0x100000001b3;
  const s = slotFor(key);
  const end = offset + length;
  if (end > BUFFER_SIZE || unchecked(slotPieces[s]) == MAX_PIECES) return 0;
  memory.copy(changetype<usize>(buffer) + s * BUFFER_SIZE + offset, p, length);
  const i = unchecked(slotPieces[s]);
  unchecked(pieceStart[s * MAX_PIECES + i] = offset);
  unchecked(pieceEnd[s * MAX_PIECES + i] = end);
  unchecked(slotPieces[s] = i + 1);
  if (!more) unchecked(slotLength[s] = end);
  const total = unchecked(slotLength[s]);
  if (total == UNKNOWN || !covered(s, total)) return 0;
  unchecked(slotInUse[s] = 0);
  reassembledLength = total;
  return <u32>changetype<usize>(buffer) + s * BUFFER_SIZE;
}

let reassembledLength: u32 = 0;
/** The length of the PDU data addSegment last completed. */
export function completedLength(): u32 { return reassembledLength; }
