import { table } from '../tables';
// The cryptography QUIC's Initial packets need (RFC 9001 section 5): SHA-256,
// HMAC and HKDF to derive the keys from the client's first Destination
// Connection ID, AES-128 (encryption only: CTR, GCM and header protection all
// run the block cipher forwards) and GCM with its tag check.  Everything works
// on static buffers; nothing is allocated per packet.

// ---- SHA-256 (FIPS 180-4) ----

const K256: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const shaState = table<u32>(8);
const shaW = table<u32>(64);
const shaBlock = table<u8>(64);
let shaBlockLen: u32 = 0;
let shaTotal: u64 = 0;

function sha256Init(): void {
  unchecked(shaState[0] = 0x6a09e667); unchecked(shaState[1] = 0xbb67ae85);
  unchecked(shaState[2] = 0x3c6ef372); unchecked(shaState[3] = 0xa54ff53a);
  unchecked(shaState[4] = 0x510e527f); unchecked(shaState[5] = 0x9b05688c);
  unchecked(shaState[6] = 0x1f83d9ab); unchecked(shaState[7] = 0x5be0cd19);
  shaBlockLen = 0;
  shaTotal = 0;
}

function sha256Compress(): void {
  const b = changetype<usize>(shaBlock);
  for (let i = 0; i < 16; i++) unchecked(shaW[i] = bswap<u32>(load<u32>(b + (<usize>i << 2))));
  for (let i = 16; i < 64; i++) {
    const w15 = unchecked(shaW[i - 15]), w2 = unchecked(shaW[i - 2]);
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    unchecked(shaW[i] = unchecked(shaW[i - 16]) + s0 + unchecked(shaW[i - 7]) + s1);
  }
  let a = unchecked(shaState[0]), bb = unchecked(shaState[1]), c = unchecked(shaState[2]), d = unchecked(shaState[3]);
  let e = unchecked(shaState[4]), f = unchecked(shaState[5]), g = unchecked(shaState[6]), h = unchecked(shaState[7]);
  for (let i = 0; i < 64; i++) {
    const t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + ((e & f) ^ (~e & g)) + unchecked(K256[i]) + unchecked(shaW[i]);
    const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
    h = g; g = f; f = e; e = d + t1; d = c; c = bb; bb = a; a = t1 + t2;
  }
  unchecked(shaState[0] += a); unchecked(shaState[1] += bb); unchecked(shaState[2] += c); unchecked(shaState[3] += d);
  unchecked(shaState[4] += e); unchecked(shaState[5] += f); unchecked(shaState[6] += g); unchecked(shaState[7] += h);
}

function sha256Update(p: usize, n: u32): void {
  shaTotal += n;
  for (let i: u32 = 0; i < n; i++) {
    unchecked(shaBlock[shaBlockLen++] = load<u8>(p + i));
    if (shaBlockLen == 64) { sha256Compress(); shaBlockLen = 0; }
  }
}

function sha256Byte(v: u32): void {
  shaTotal += 1;
  unchecked(shaBlock[shaBlockLen++] = <u8>v);
  if (shaBlockLen == 64) { sha256Compress(); shaBlockLen = 0; }
}

function sha256Final(out: usize): void {
  const bits = shaTotal << 3;
  unchecked(shaBlock[shaBlockLen++] = 0x80);
  if (shaBlockLen > 56) {
    while (shaBlockLen < 64) unchecked(shaBlock[shaBlockLen++] = 0);
    sha256Compress();
    shaBlockLen = 0;
  }
  while (shaBlockLen < 56) unchecked(shaBlock[shaBlockLen++] = 0);
  store<u64>(changetype<usize>(shaBlock) + 56, bswap<u64>(bits));
  sha256Compress();
  for (let i = 0; i < 8; i++) store<u32>(out + (<usize>i << 2), bswap<u32>(unchecked(shaState[i])));
}

// ---- HMAC-SHA256 and HKDF (RFC 2104, RFC 5869, TLS 1.3's HKDF-Expand-Label) ----

const hmacKey = table<u8>(64);
const innerHash = table<u8>(32);

/** Starts HMAC(key, ...): the caller feeds the message with sha256Update/sha256Byte, then hmacFinal. */
function hmacBegin(key: usize, keyLen: u32): void {
  // Keys here are at most 32 bytes, never longer than the block.
  const k = changetype<usize>(hmacKey);
  memory.fill(k, 0, 64);
  memory.copy(k, key, <usize>(keyLen < 64 ? keyLen : 64));
  sha256Init();
  for (let i: u32 = 0; i < 64; i++) sha256Byte(<u32>load<u8>(k + i) ^ 0x36);
}

function hmacFinal(out: usize): void {
  const k = changetype<usize>(hmacKey);
  sha256Final(changetype<usize>(innerHash));
  sha256Init();
  for (let i: u32 = 0; i < 64; i++) sha256Byte(<u32>load<u8>(k + i) ^ 0x5c);
  sha256Update(changetype<usize>(innerHash), 32);
  sha256Final(out);
}

/** HKDF-Extract(salt, ikm) into out (32 bytes). */
export function hkdfExtract(salt: usize, saltLen: u32, ikm: usize, ikmLen: u32, out: usize): void {
  hmacBegin(salt, saltLen);
  sha256Update(ikm, ikmLen);
  hmacFinal(out);
}

const expandOut = table<u8>(32);

/** HKDF-Expand-Label(secret, "tls13 " + label, "", outLen) for outLen <= 32 (one HMAC block). */
export function hkdfExpandLabel(secret: usize, label: string, out: usize, outLen: u32): void {
  hmacBegin(secret, 32);
  sha256Byte(outLen >> 8); sha256Byte(outLen & 0xff);
  const n = <u32>label.length;
  sha256Byte(6 + n);
  sha256Byte(0x74); sha256Byte(0x6c); sha256Byte(0x73); sha256Byte(0x31); sha256Byte(0x33); sha256Byte(0x20); // "tls13 "
  for (let i: u32 = 0; i < n; i++) sha256Byte(<u32>label.charCodeAt(<i32>i));
  sha256Byte(0); // empty context
  sha256Byte(1); // block counter
  const t = changetype<usize>(expandOut);
  hmacFinal(t);
  memory.copy(out, t, outLen);
}

// ---- AES-128 encryption (FIPS 197) ----

const SBOX: StaticArray<u8> = [
  0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
  0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
  0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
  0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
  0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
  0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
  0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
  0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
  0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
  0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
  0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
  0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
  0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
  0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
  0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
  0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
];

/** Round keys: 11 x 16 bytes. */
const roundKeys = table<u8>(176);
const aesState = table<u8>(16);

@inline function sbox(v: u32): u32 { return <u32>unchecked(SBOX[v & 0xff]); }
@inline function xtime(v: u32): u32 { return ((v << 1) ^ ((v & 0x80) != 0 ? 0x1b : 0)) & 0xff; }

/** Expands a 16-byte key at `key` into the round keys used by aesEncryptBlock. */
export function aesSetKey(key: usize): void {
  const rk = changetype<usize>(roundKeys);
  memory.copy(rk, key, 16);
  let rcon: u32 = 1;
  for (let i: u32 = 16; i < 176; i += 4) {
    let t0 = <u32>load<u8>(rk + i - 4), t1 = <u32>load<u8>(rk + i - 3), t2 = <u32>load<u8>(rk + i - 2), t3 = <u32>load<u8>(rk + i - 1);
    if ((i & 15) == 0) {
      const x = t0;
      t0 = sbox(t1) ^ rcon; t1 = sbox(t2); t2 = sbox(t3); t3 = sbox(x);
      rcon = xtime(rcon);
    }
    store<u8>(rk + i, <u8>(load<u8>(rk + i - 16) ^ t0));
    store<u8>(rk + i + 1, <u8>(load<u8>(rk + i - 15) ^ t1));
    store<u8>(rk + i + 2, <u8>(load<u8>(rk + i - 14) ^ t2));
    store<u8>(rk + i + 3, <u8>(load<u8>(rk + i - 13) ^ t3));
  }
}

/** Encrypts the 16 bytes at `input` into `out` (may be the same) with the key aesSetKey set. */
export function aesEncryptBlock(input: usize, out: usize): void {
  const s = changetype<usize>(aesState);
  const rk = changetype<usize>(roundKeys);
  for (let i: usize = 0; i < 16; i++) store<u8>(s + i, load<u8>(input + i) ^ load<u8>(rk + i));
  for (let round: usize = 1; round <= 10; round++) {
    // SubBytes and ShiftRows together: output byte (row r, column c) takes input (r, c + r).
    let c0: u32 = 0;
    for (let c: usize = 0; c < 4; c++) {
      const b0 = sbox(load<u8>(s + ((c << 2) & 15)));
      const b1 = sbox(load<u8>(s + ((((c + 1) << 2) & 15) + 1)));
      const b2 = sbox(load<u8>(s + ((((c + 2) << 2) & 15) + 2)));
      const b3 = sbox(load<u8>(s + ((((c + 3) << 2) & 15) + 3)));
      // Columns are staged in a u32 per column of the output, written after all four are read.
      c0 = b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
      store<u32>(out + (c << 2), c0); // out doubles as a staging area
    }
    if (round < 10) {
      for (let c: usize = 0; c < 4; c++) {
        const a0 = <u32>load<u8>(out + (c << 2)), a1 = <u32>load<u8>(out + (c << 2) + 1);
        const a2 = <u32>load<u8>(out + (c << 2) + 2), a3 = <u32>load<u8>(out + (c << 2) + 3);
        const all = a0 ^ a1 ^ a2 ^ a3;
        store<u8>(s + (c << 2), <u8>(a0 ^ all ^ xtime(a0 ^ a1)));
        store<u8>(s + (c << 2) + 1, <u8>(a1 ^ all ^ xtime(a1 ^ a2)));
        store<u8>(s + (c << 2) + 2, <u8>(a2 ^ all ^ xtime(a2 ^ a3)));
        store<u8>(s + (c << 2) + 3, <u8>(a3 ^ all ^ xtime(a3 ^ a0)));
      }
    } else {
      memory.copy(s, out, 16);
    }
    const k = rk + (round << 4);
    for (let i: usize = 0; i < 16; i++) store<u8>(s + i, load<u8>(s + i) ^ load<u8>(k + i));
  }
  memory.copy(out, s, 16);
}

// ---- AES-128-GCM decryption with the tag check (NIST SP 800-38D) ----

let hHi: u64 = 0;
let hLo: u64 = 0;
let yHi: u64 = 0;
let yLo: u64 = 0;
const gcmBlock = table<u8>(16);
const gcmCounter = table<u8>(16);
const gcmKeystream = table<u8>(16);

/** Y = (Y xor X) * H in GF(2^128), X given as two big-endian halves. */
function ghashBlock(xHi: u64, xLo: u64): void {
  let vHi = hHi, vLo = hLo;
  const aHi = yHi ^ xHi, aLo = yLo ^ xLo;
  let zHi: u64 = 0, zLo: u64 = 0;
  for (let i = 0; i < 128; i++) {
    const bit = i < 64 ? (aHi >> (63 - <u64>i)) & 1 : (aLo >> (127 - <u64>i)) & 1;
    if (bit != 0) { zHi ^= vHi; zLo ^= vLo; }
    const lsb = vLo & 1;
    vLo = (vLo >> 1) | (vHi << 63);
    vHi = vHi >> 1;
    if (lsb != 0) vHi ^= 0xe100000000000000;
  }
  yHi = zHi; yLo = zLo;
}

/** GHASH over n bytes at p, the last block zero-padded. */
function ghashBytes(p: usize, n: u32): void {
  const b = changetype<usize>(gcmBlock);
  let i: u32 = 0;
  while (i < n) {
    const take: u32 = n - i >= 16 ? 16 : n - i;
    memory.fill(b, 0, 16);
    memory.copy(b, p + i, take);
    ghashBlock(bswap<u64>(load<u64>(b)), bswap<u64>(load<u64>(b, 8)));
    i += take;
  }
}

function incrementCounter(): void {
  const c = changetype<usize>(gcmCounter);
  store<u32>(c + 12, bswap<u32>(bswap<u32>(load<u32>(c + 12)) + 1));
}

/**
 * AES-128-GCM: checks the 16-byte tag at `tag` over `aad` and the ciphertext
 * and, when it holds, writes the plaintext (ctLen bytes) to `out`.  The key
 * is the one aesSetKey set; the nonce is 12 bytes.
 */
export function aesGcmDecrypt(nonce: usize, aad: usize, aadLen: u32, ct: usize, ctLen: u32, tag: usize, out: usize): bool {
  const b = changetype<usize>(gcmBlock);
  const c = changetype<usize>(gcmCounter);
  const ks = changetype<usize>(gcmKeystream);
  memory.fill(b, 0, 16);
  aesEncryptBlock(b, b);
  hHi = bswap<u64>(load<u64>(b)); hLo = bswap<u64>(load<u64>(b, 8));
  yHi = 0; yLo = 0;
  ghashBytes(aad, aadLen);
  ghashBytes(ct, ctLen);
  ghashBlock(<u64>aadLen << 3, <u64>ctLen << 3);
  // Tag = E(K, J0) xor GHASH, J0 = nonce || 1.
  memory.copy(c, nonce, 12);
  store<u32>(c + 12, bswap<u32>(1));
  aesEncryptBlock(c, ks);
  const tHi = bswap<u64>(load<u64>(ks)) ^ yHi, tLo = bswap<u64>(load<u64>(ks, 8)) ^ yLo;
  if (tHi != bswap<u64>(load<u64>(tag)) || tLo != bswap<u64>(load<u64>(tag, 8))) return false;
  let i: u32 = 0;
  while (i < ctLen) {
    incrementCounter();
    aesEncryptBlock(c, ks);
    const take: u32 = ctLen - i >= 16 ? 16 : ctLen - i;
    for (let j: u32 = 0; j < take; j++) store<u8>(out + i + j, load<u8>(ct + i + j) ^ load<u8>(ks + j));
    i += take;
  }
  return true;
}
