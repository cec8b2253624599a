// Randomly damaged frames for the robustness tests, written as classic pcap.

/** A frame: the bytes captured and the length on the wire. */
export type Record = [data: Buffer, wireLength: number];

/** Deterministic pseudo-random numbers (xorshift32), so a failure can be replayed. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000; };
}

/**
 * `count` copies of frames picked at random, each with one to eight bytes
 * overwritten; three in ten are then cut short, and three in ten claim more
 * bytes on the wire than were captured.
 */
export function mutations(frames: Buffer[], count: number, seed: number): Record[] {
  const next = random(seed);
  const out: Record[] = [];
  for (let i = 0; i < count; i++) {
    let f = Buffer.from(frames[Math.floor(next() * frames.length)]);
    const changes = 1 + Math.floor(next() * 8);
    for (let k = 0; k < changes; k++) f[Math.floor(next() * f.length)] = Math.floor(next() * 256);
    if (next() < 0.3) f = f.subarray(0, 1 + Math.floor(next() * f.length));
    out.push([f, f.length + (next() < 0.3 ? Math.floor(next() * 100) : 0)]);
  }
  return out;
}

/** A little-endian microsecond pcap with the given link type. */
export function pcap(linktype: number, records: Record[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0); header.writeUInt16LE(2, 4); header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16); header.writeUInt32LE(linktype, 20);
  const parts: Buffer[] = [header];
  records.forEach(([data, wire], i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1000 + i, 0); r.writeUInt32LE(data.length, 8); r.writeUInt32LE(wire, 12);
    parts.push(r, data);
  });
  return Buffer.concat(parts);
}

/**
 * The link type and frames of a well-formed little-endian classic pcap (what
 * the fixture generator writes); undefined for any other file.
 */
export function pcapFrames(file: Buffer): { linktype: number; frames: Buffer[] } | undefined {
  if (file.length < 24) return undefined;
  const magic = file.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) return undefined;
  const frames: Buffer[] = [];
  for (let at = 24; at + 16 <= file.length;) {
    const caplen = file.readUInt32LE(at + 8);
    if (at + 16 + caplen > file.length) return undefined;
    frames.push(file.subarray(at + 16, at + 16 + caplen));
    at += 16 + caplen;
  }
  return { linktype: file.readUInt32LE(20) & 0xffff, frames };
}
