// The IPv4 address to MAC bindings ARP packets have shown, for Wireshark's
// duplicate address detection: a packet that binds an address to another MAC
// than the one on record is reported, with the frame and time the record
// comes from.  The record keeps the first MAC (a duplicate does not replace
// it) and is refreshed by every packet that agrees with it.  A fixed table:
// when the probes of an address are all taken, it is not recorded.
import { frameNumber, frameTime, streamSerial } from '../packet';
import { table } from '../tables';

const SLOTS: u32 = 16384; // a power of two
const PROBES: u32 = 16;
const slotIp = table<u32>(SLOTS);
const slotMac = table<u64>(SLOTS);
const slotFrame = table<u32>(SLOTS);
const slotSeconds = table<i64>(SLOTS);
const slotStream = table<u32>(SLOTS); // streamSerial + 1; anything else is free

/** After a duplicate: the frame that showed the earlier binding, and the whole seconds since. */
export let duplicateFrame: u32 = 0;
export let duplicateSeconds: i64 = 0;

function macAt(p: u32): u64 {
  return <u64>load<u32>(p) | (<u64>load<u16>(p + 4) << 32);
}

/** Records that `ip` (4 bytes at ipPtr) is at the MAC at macPtr; true when another MAC holds it. */
export function checkBinding(macPtr: u32, ipPtr: u32): bool {
  const ip = load<u32>(ipPtr);
  const mac = macAt(macPtr);
  const stream = streamSerial() + 1;
  const seconds = frameTime() / 1_000_000_000;
  let h = ip * 0x9e3779b1;
  h ^= h >> 15;
  for (let i: u32 = 0; i < PROBES; i++) {
    const s = (h + i) & (SLOTS - 1);
    if (unchecked(slotStream[s]) != stream) {
      unchecked(slotStream[s] = stream);
      unchecked(slotIp[s] = ip);
      unchecked(slotMac[s] = mac);
      unchecked(slotFrame[s] = frameNumber());
      unchecked(slotSeconds[s] = seconds);
      return false;
    }
    if (unchecked(slotIp[s]) != ip) continue;
    if (frameNumber() <= unchecked(slotFrame[s])) return false;
    if (unchecked(slotMac[s]) == mac) {
      unchecked(slotFrame[s] = frameNumber());
      unchecked(slotSeconds[s] = seconds);
      return false;
    }
    duplicateFrame = unchecked(slotFrame[s]);
    duplicateSeconds = seconds - unchecked(slotSeconds[s]);
    return true;
  }
  return false;
}
