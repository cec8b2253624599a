// The bytes of handshake messages that span records, gathered until the
// message is whole (Wireshark reassembles them too).  A few fixed buffers,
// each owned by one direction of one conversation; a message longer than a
// buffer, or whose buffer was taken by another stream meanwhile, is shown
// from its first four bytes only.
import { packetSerialNumber } from '../packet';
import { table } from '../tables';

const BUFFERS: u32 = 8;
const BUFFER_SIZE: u32 = 16384;

const data = table<u8>(BUFFERS * BUFFER_SIZE);
const owner = table<i32>(BUFFERS); // slot * 2 + direction, -1 when free
const filled = table<u32>(BUFFERS);
const used = table<u32>(BUFFERS);

function keyOf(slot: i32, server: bool): i32 { return slot * 2 + (server ? 1 : 0); }

function find(key: i32): i32 {
  for (let i: u32 = 0; i < BUFFERS; i++) if (unchecked(owner[i]) == key) return <i32>i;
  return -1;
}

export function resetBuffers(): void {
  for (let i: u32 = 0; i < BUFFERS; i++) unchecked(owner[i] = -1);
}
resetBuffers();

/** Starts gathering a message whose first n bytes are at p. */
export function startMessage(slot: i32, server: bool, p: u32, n: u32): void {
  const key = keyOf(slot, server);
  let b = find(key);
  if (b < 0) {
    // A free buffer, else the least recently used one.
    b = 0;
    for (let i: u32 = 1; i < BUFFERS; i++) {
      if (unchecked(owner[b]) == -1) break;
      if (unchecked(owner[i]) == -1 || unchecked(used[i]) < unchecked(used[b])) b = <i32>i;
    }
  }
  unchecked(owner[b] = key);
  unchecked(filled[b] = 0);
  appendTo(b, p, n);
}

function appendTo(b: i32, p: u32, n: u32): void {
  unchecked(used[b] = packetSerialNumber());
  const have = unchecked(filled[b]);
  if (have > BUFFER_SIZE || BUFFER_SIZE - have < n) { unchecked(filled[b] = BUFFER_SIZE + 1); return; }
  memory.copy(changetype<usize>(data) + <usize>b * BUFFER_SIZE + have, p, n);
  unchecked(filled[b] = have + n);
}

/** Adds n more bytes of the message this direction is gathering. */
export function continueMessage(slot: i32, server: bool, p: u32, n: u32): void {
  const b = find(keyOf(slot, server));
  if (b >= 0) appendTo(b, p, n);
}

/** The address of the whole message of `total` bytes, or 0 when it was not kept whole. */
export function wholeMessage(slot: i32, server: bool, total: u32): u32 {
  const b = find(keyOf(slot, server));
  if (b < 0 || unchecked(filled[b]) != total) return 0;
  // The buffer stays as it is until another message needs it: the fields of
  // this packet point into it.
  return changetype<u32>(data) + <u32>b * BUFFER_SIZE;
}
