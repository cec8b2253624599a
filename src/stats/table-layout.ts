// What tshark's conversation and endpoint tables share in how they print.
import type { AddressType } from './address-taps.js';

export const RULE = '='.repeat(80);

/** Tables of TCP and UDP show ports (tshark also SCTP's). */
export function hasPorts(type: AddressType): boolean {
  return type === 'tcp' || type === 'udp';
}

export function withPort(address: string, port: number): string {
  return `${address}:${port}`;
}

/**
 * tshark's order: by total frames, most first; rows with as many frames in
 * the order they were first seen (a stable sort).  It never prints rows of
 * 2^32 - 1 frames or more, nor of none.
 */
export function byFramesDescending<T>(rows: T[], frames: (row: T) => number): T[] {
  return rows.filter((r) => frames(r) > 0 && frames(r) < 0xffffffff).sort((a, b) => frames(b) - frames(a));
}
