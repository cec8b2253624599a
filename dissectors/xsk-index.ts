// AF_XDP receive descriptors to frame index entries.  The host copies a run
// of RX descriptors (struct xdp_desc) into the scratch region; this describes
// each frame where the kernel put it, in the UMEM inside this memory, with
// the kernel timestamp from the header bpf/afxdp.bpf.c pushes in front of it
// (struct xcap_afxdp_meta, mirrored by src/kernel/afxdp-layout.ts; the
// descriptor counts the header), and leaves the chunk offsets to give back to
// the fill ring at the scratch's start.
import { FRAME_ENTRY_SIZE } from './batch';

const DESC_SIZE: u32 = 16; // u64 addr (the UMEM is below 4 GiB: high word 0), u32 len, u32 options
const META_SIZE: u32 = 16;
const META_MAGIC: u32 = 0x58434150;
const META_MAGIC_AT: u32 = 8;
const NS_PER_SEC: u64 = 1000000000;
const LINKTYPE_ETHERNET: u16 = 1;
const DIRECTION_INBOUND: u16 = 1;

/** Descriptors the scratch holds. */
export const XSK_SCRATCH_DESCRIPTORS: u32 = 4096;
let scratch: u32 = 0;

export function layoutXsk(region: u32): void { scratch = region; }
export function xskScratchPtr(): u32 { return scratch; }
export function xskScratchDescriptors(): u32 { return XSK_SCRATCH_DESCRIPTORS; }

/**
 * Describes the n descriptors in the scratch in index entries first.., as
 * frames of interface ifaceId cut at snaplen; replaces the scratch's start
 * with their n chunk offsets (u32 each).  A frame without the header (not
 * one bpf/afxdp.bpf.c sends) is taken whole, with the time now (millisecond
 * digits).  Returns how many had none.
 */
export function indexXskFrames(n: u32, indexBase: u32, first: u32, umemBase: u32, chunkSize: u32,
  ifaceId: u32, snaplen: u32, taiOffsetSec: f64, nowSec: f64, nowNsec: u32): u32 {
  if (n > XSK_SCRATCH_DESCRIPTORS) n = XSK_SCRATCH_DESCRIPTORS;
  const chunkMask = ~(chunkSize - 1);
  let missing: u32 = 0;
  let e = indexBase + first * FRAME_ENTRY_SIZE;
  for (let i: u32 = 0; i < n; i++, e += FRAME_ENTRY_SIZE) {
    const d = scratch + i * DESC_SIZE;
    const addr = load<u32>(d);
    let len = load<u32>(d, 8);
    // Written at or below the descriptor just read, never over one still to come.
    store<u32>(scratch + (i << 2), addr & chunkMask);
    let data = umemBase + addr;
    const tagged = len >= META_SIZE && load<u32>(data, META_MAGIC_AT) == META_MAGIC;
    if (tagged) {
      const tai = load<u64>(data);
      store<f64>(e, <f64>(tai / NS_PER_SEC) - taiOffsetSec, 16);
      store<u32>(e, <u32>(tai % NS_PER_SEC), 24);
      store<u8>(e, 9, 28);
      data += META_SIZE;
      len -= META_SIZE;
    } else {
      missing++;
      store<f64>(e, nowSec, 16);
      store<u32>(e, nowNsec, 24);
      store<u8>(e, 3, 28);
    }
    store<u32>(e, data);
    store<u32>(e, len < snaplen ? len : snaplen, 4);
    store<u32>(e, len, 8);
    store<u16>(e, LINKTYPE_ETHERNET, 12);
    store<u16>(e, <u16>ifaceId, 14);
    store<u8>(e, 0, 29);
    store<u16>(e, DIRECTION_INBOUND, 30);
  }
  return missing;
}
