// Enhanced Packet Blocks for a batch, encoded where the frames lie (the
// arena, or an AF_XDP UMEM in this memory), so the host writes a batch with
// one call and touches no frame.  The layout is src/pcap/pcapng-writer.ts's
// for a frame without comments: if_tsresol 9, epb_flags only when non-zero.
// A frame this cannot encode as that writer would (an interface without a
// block, a length or time out of range) ends the run; the host hands it to
// the writer, which encodes it or names what is wrong.
import { FRAME_ENTRY_SIZE, frameDataPtr, frameCaplen, frameOriglen, frameIfaceId, frameTsNsec, frameFlags } from './batch';

const EPB_TYPE: u32 = 6;
// Type, length, interface, timestamp (2 words), caplen, origlen, trailing length.
const EPB_FIXED: u32 = 32;
// epb_flags (code 2, length 4, the value) and opt_endofopt.
const FLAGS_OPTION: u32 = 12;
const OPT_EPB_FLAGS: u16 = 2;
/** Interfaces the map holds; a frame on a higher one goes through the host's writer. */
export const EPB_MAP_ENTRIES: u32 = 1024;
const NO_INTERFACE: u32 = 0xffffffff;
// 2^64 - 1 nanoseconds as whole seconds and the nanoseconds left over.
const MAX_SEC: f64 = 18446744073;
const MAX_NSEC_AT_MAX_SEC: u32 = 709551615;

let blocksBase: u32 = 0;
let blocksCap: u32 = 0;
let blocksEnd: u32 = 0;
let mapBase: u32 = 0;

/** Called by init() with the regions it set aside; every interface starts unmapped. */
export function layoutEpbs(blocks: u32, blocksBytes: u32, map: u32): void {
  blocksBase = blocks;
  blocksCap = blocksBytes;
  blocksEnd = blocks;
  mapBase = map;
  memory.fill(map, 0xff, EPB_MAP_ENTRIES * 4);
}

export function epbBlocksPtr(): u32 { return blocksBase; }
export function epbBlocksLen(): u32 { return blocksEnd - blocksBase; }
export function epbMapPtr(): u32 { return mapBase; }
export function epbMapEntries(): u32 { return EPB_MAP_ENTRIES; }

/**
 * Encodes frames [from, to) of the index at indexBase into the blocks
 * region, from its start, until a frame does not fit or cannot be encoded
 * here; returns how many were encoded (epbBlocksLen() bytes).
 */
export function encodeEpbs(indexBase: u32, from: u32, to: u32): u32 {
  const memEnd: u64 = <u64>memory.size() << 16;
  const limit: u64 = <u64>blocksBase + <u64>blocksCap;
  let at = blocksBase;
  let i = from;
  for (; i < to; i++) {
    const e = indexBase + i * FRAME_ENTRY_SIZE;
    const iface = frameIfaceId(e);
    if (iface >= EPB_MAP_ENTRIES) break;
    const id = load<u32>(mapBase + (iface << 2));
    if (id == NO_INTERFACE) break;
    const caplen = frameCaplen(e);
    const origlen = frameOriglen(e);
    const data = frameDataPtr(e);
    if (caplen > origlen || <u64>data + <u64>caplen > memEnd) break;
    const sec = load<f64>(e, 16);
    const nsec = frameTsNsec(e);
    if (!(sec >= 0 && sec <= MAX_SEC) || sec != Math.floor(sec) || nsec >= 1000000000) break;
    if (sec == MAX_SEC && nsec > MAX_NSEC_AT_MAX_SEC) break;
    const flags = frameFlags(e);
    const padded = (caplen + 3) & ~3;
    const total = EPB_FIXED + padded + (flags != 0 ? FLAGS_OPTION : 0);
    if (<u64>at + <u64>total > limit) break;
    const ts = <u64>sec * 1000000000 + <u64>nsec;
    store<u32>(at, EPB_TYPE);
    store<u32>(at, total, 4);
    store<u32>(at, id, 8);
    store<u32>(at, <u32>(ts >> 32), 12);
    store<u32>(at, <u32>ts, 16);
    store<u32>(at, caplen, 20);
    store<u32>(at, origlen, 24);
    // The padding is zeroed as a whole word before the frame's tail lands on it.
    if (padded != caplen) store<u32>(at + 24 + padded, 0);
    memory.copy(at + 28, data, caplen);
    let p = at + 28 + padded;
    if (flags != 0) {
      store<u16>(p, OPT_EPB_FLAGS);
      store<u16>(p, 4, 2);
      store<u32>(p, flags, 4);
      store<u32>(p, 0, 8);
      p += FLAGS_OPTION;
    }
    store<u32>(p, total);
    at += total;
  }
  blocksEnd = at;
  return i - from;
}
