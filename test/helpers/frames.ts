/** Frames the lab tests send by hand. */

/** A 64-byte UDP frame tagged with VLAN 5 (priority 0), broadcast from the lab's client (198.18.0.2 -> 198.18.0.1, port 7). */
export function taggedFrame(): Uint8Array {
  const f = new Uint8Array(64);
  f.fill(0xff, 0, 6);
  f.set([2, 0, 0, 0, 0, 1], 6);
  f.set([0x81, 0x00, 0x00, 0x05, 0x08, 0x00], 12);
  f.set([0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 198, 18, 0, 2, 198, 18, 0, 1], 18);
  f.set([0x9c, 0x40, 0, 7, 0, 26, 0, 0], 38);
  return f;
}
