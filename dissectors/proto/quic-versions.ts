// QUIC versions for the QUIC dissector (quic.ts): the draft each version
// number stands for, the long-header packet types (version 2 renumbers them),
// and the Initial keys RFC 9001 section 5.2 derives from a connection ID with
// each version's salt.
import { hkdfExtract, hkdfExpandLabel } from './quic-crypto';
import { table } from '../tables';

export const enum Lpt { INITIAL = 0, ZERO_RTT = 1, HANDSHAKE = 2, RETRY = 3, VN = 4, SHORT = 5 }

export function draftVersion(v: u32): u32 {
  if ((v >> 8) == 0xff0000) return v & 0xff;
  if (v == 0xfaceb001) return 22;
  if (v == 0xfaceb002 || v == 0xfaceb00e) return 27;
  if (v == 0x51303530 || v == 0x54303530 || v == 0x54303531) return 27;
  if ((v & 0x0f0f0f0f) == 0x0a0a0a0a) return 29;
  if (v == 1) return 34;
  if (v == 0x6b3343cf) return 100;
  return 0;
}
@inline export function isV2(v: u32): bool { return v == 0x6b3343cf; }
export function draftAtMost(v: u32, max: u32): bool { const d = draftVersion(v); return d != 0 && d <= max; }

export function longPacketType(first: u32, version: u32): u32 {
  const t = (first >> 4) & 3;
  if (!isV2(version)) return t;
  return t == 0 ? Lpt.RETRY : t == 1 ? Lpt.INITIAL : t == 2 ? Lpt.ZERO_RTT : Lpt.HANDSHAKE;
}

const SALT_DRAFT22: StaticArray<u8> = [0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a, 0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a];
const SALT_DRAFT23: StaticArray<u8> = [0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7, 0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02];
const SALT_DRAFT29: StaticArray<u8> = [0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97, 0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99];
const SALT_V1: StaticArray<u8> = [0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a];
const SALT_Q50: StaticArray<u8> = [0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94, 0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45];
const SALT_T50: StaticArray<u8> = [0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80, 0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10];
const SALT_T51: StaticArray<u8> = [0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50, 0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d];
const SALT_V2: StaticArray<u8> = [0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9];

function initialSalt(v: u32): usize {
  if (v == 0x51303530) return changetype<usize>(SALT_Q50);
  if (v == 0x54303530) return changetype<usize>(SALT_T50);
  if (v == 0x54303531) return changetype<usize>(SALT_T51);
  if (draftAtMost(v, 22)) return changetype<usize>(SALT_DRAFT22);
  if (draftAtMost(v, 28)) return changetype<usize>(SALT_DRAFT23);
  if (draftAtMost(v, 32)) return changetype<usize>(SALT_DRAFT29);
  if (draftAtMost(v, 34)) return changetype<usize>(SALT_V1);
  return changetype<usize>(SALT_V2);
}

// ---- Initial keys (RFC 9001 section 5.2) ----

const initialSecret = table<u8>(32);
const sideSecret = table<u8>(32);
export const ppKey = table<u8>(16);
export const ppIv = table<u8>(12);
export const hpKey = table<u8>(16);

/** Derives one side's Initial key, IV and header protection key from a connection ID. */
export function deriveInitialKeys(cid: usize, cidLength: u32, version: u32, server: bool): void {
  const secret = changetype<usize>(initialSecret);
  const side = changetype<usize>(sideSecret);
  hkdfExtract(initialSalt(version), 20, cid, cidLength, secret);
  hkdfExpandLabel(secret, server ? 'server in' : 'client in', side, 32);
  const v2 = isV2(version);
  hkdfExpandLabel(side, v2 ? 'quicv2 key' : 'quic key', changetype<usize>(ppKey), 16);
  hkdfExpandLabel(side, v2 ? 'quicv2 iv' : 'quic iv', changetype<usize>(ppIv), 12);
  hkdfExpandLabel(side, v2 ? 'quicv2 hp' : 'quic hp', changetype<usize>(hpKey), 16);
}
