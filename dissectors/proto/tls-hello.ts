// ClientHello and ServerHello bodies and their extensions, as Wireshark's
// ssl_dissect_hnd_cli_hello / srv_hello read them.  Fixed-size parts are read
// wherever the segment allows (a message that claims too little runs on into
// what follows it); length-prefixed vectors must fit in what encloses them,
// and one that does not ends the enclosing list (ssl_add_vector).
import { addNum, addBytes, reportedLength } from '../packet';
import { has } from '../cursor';
import { rd8, rd16, avail, failed, failMalformed, segmentEnd } from './tls-read';
import { addAscii } from './ascii-text';
import { F_HS_VERSION, F_RANDOM, F_SESSION_ID_LENGTH, F_SESSION_ID, F_CIPHER_SUITES_LENGTH, F_CIPHERSUITE,
  F_COMP_METHODS_LENGTH, F_COMP_METHOD, F_EXTENSIONS_LENGTH, F_EXT_TYPE, F_EXT_LEN, F_SNI_LIST_LEN, F_SNI_TYPE,
  F_SNI_LEN, F_SNI, F_ALPN_LEN, F_ALPN_STR_LEN, F_ALPN_STR, F_VERSIONS_LEN, F_SUPPORTED_VERSION } from './tls-fields';

const CLIENT_HELLO: u32 = 1;
const EXT_SERVER_NAME: u32 = 0;
const EXT_ALPN: u32 = 16;
const EXT_SUPPORTED_VERSIONS: u32 = 43;
const EXT_EARLY_DATA: u32 = 42;

/** Whether the last ClientHello offered early data. */
export let sawEarlyData = false;

let vectorLength: u32 = 0;

/**
 * A vector's length field of `size` bytes at p inside [p, end): adds it and
 * says whether the vector fits (its length is then in vectorLength).
 */
function addVector(f: u32, p: u32, end: u32, size: u32): bool {
  if (p > end) { failMalformed(); return false; }
  if (end - p < size) return false;
  const n = size == 1 ? rd8(p) : rd16(p);
  if (failed) return false;
  addNum(f, n);
  vectorLength = n;
  return end - p - size >= n;
}

/** Random and session ID; returns the offset after them (0 after a failed read). */
function helloCommon(p: u32): u32 {
  if (!avail(p, 32)) return 0;
  addBytes(F_RANDOM, p, 32);
  p += 32;
  const sidLen = rd8(p);
  if (failed) return 0;
  addNum(F_SESSION_ID_LENGTH, sidLen);
  p++;
  if (sidLen > 0) {
    if (!avail(p, sidLen)) return 0;
    addBytes(F_SESSION_ID, p, sidLen);
    p += sidLen;
  }
  return p;
}

export function dissectClientHello(p: u32, end: u32): void {
  sawEarlyData = false;
  const version = rd16(p);
  if (failed) return;
  addNum(F_HS_VERSION, version);
  p = helloCommon(p + 2);
  if (failed) return;
  if (!addVector(F_CIPHER_SUITES_LENGTH, p, end, 2)) return;
  p += 2;
  const suitesEnd = p + vectorLength;
  while (p + 2 <= suitesEnd) {
    const suite = rd16(p);
    if (failed) return;
    addNum(F_CIPHERSUITE, suite);
    p += 2;
  }
  p = suitesEnd;
  if (!addVector(F_COMP_METHODS_LENGTH, p, end, 1)) return;
  p++;
  const methodsEnd = p + vectorLength;
  while (p < methodsEnd) {
    const m = rd8(p);
    if (failed) return;
    addNum(F_COMP_METHOD, m);
    p++;
  }
  if (p < end) dissectExtensions(p, end, CLIENT_HELLO);
}

export function dissectServerHello(p: u32, end: u32, handshakeType: u32): void {
  const version = rd16(p);
  if (failed) return;
  addNum(F_HS_VERSION, version);
  p = helloCommon(p + 2);
  if (failed) return;
  const suite = rd16(p);
  if (failed) return;
  addNum(F_CIPHERSUITE, suite);
  const method = rd8(p + 2);
  if (failed) return;
  addNum(F_COMP_METHOD, method);
  p += 3;
  if (p < end) dissectExtensions(p, end, handshakeType);
}

function dissectExtensions(p: u32, end: u32, handshakeType: u32): void {
  if (!addVector(F_EXTENSIONS_LENGTH, p, end, 2)) return;
  p += 2;
  end = p + vectorLength;
  while (end - p >= 4) {
    const type = rd16(p);
    const declared = rd16(p + 2);
    if (failed) return;
    // Each extension's subtree spans its declared length: past the segment on the wire, that throws.
    if (reportedLength(p, segmentEnd()) < 4 + declared) { failMalformed(); return; }
    addNum(F_EXT_TYPE, type);
    p += 2;
    if (!addVector(F_EXT_LEN, p, end, 2)) return;
    p += 2;
    const next = p + vectorLength;
    if (type == EXT_EARLY_DATA && handshakeType == CLIENT_HELLO) sawEarlyData = true;
    if (type == EXT_SERVER_NAME) serverName(p, next);
    else if (type == EXT_ALPN) alpn(p, next);
    else if (type == EXT_SUPPORTED_VERSIONS) {
      if (handshakeType == CLIENT_HELLO) supportedVersions(p, next);
      else { const v = rd16(p); if (!failed) addNum(F_SUPPORTED_VERSION, v); }
    }
    if (failed) return;
    p = next;
  }
}

function serverName(p: u32, end: u32): void {
  if (p == end) return;
  if (!addVector(F_SNI_LIST_LEN, p, end, 2)) return;
  p += 2;
  const listEnd = p + vectorLength;
  while (p < listEnd) {
    const type = rd8(p);
    if (failed) return;
    addNum(F_SNI_TYPE, type);
    p++;
    if (!addVector(F_SNI_LEN, p, listEnd, 2)) return;
    p += 2;
    if (!avail(p, vectorLength)) return;
    addAscii(F_SNI, p, vectorLength);
    p += vectorLength;
  }
}

function alpn(p: u32, end: u32): void {
  if (!addVector(F_ALPN_LEN, p, end, 2)) return;
  p += 2;
  const listEnd = p + vectorLength;
  while (p < listEnd) {
    if (!addVector(F_ALPN_STR_LEN, p, listEnd, 1)) return;
    p++;
    if (!avail(p, vectorLength)) return;
    addAscii(F_ALPN_STR, p, vectorLength);
    p += vectorLength;
  }
}

function supportedVersions(p: u32, end: u32): void {
  if (!addVector(F_VERSIONS_LEN, p, end, 1)) return;
  p++;
  const listEnd = p + vectorLength;
  while (p + 2 <= listEnd) {
    const v = rd16(p);
    if (failed) return;
    addNum(F_SUPPORTED_VERSION, v);
    p += 2;
  }
}

// SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest.
const HRR_RANDOM: StaticArray<u8> = [0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e,
  0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c];

export let helloRetry = false;

/**
 * Wireshark's tls_scan_server_hello: the version a ServerHello settles (its
 * supported_versions extension when legacy_version is TLS 1.2), and whether
 * it is a HelloRetryRequest.
 */
export function scanServerHello(p: u32, end: u32, segmentEndForScan: u32): u32 {
  helloRetry = false;
  let version = rd16(p);
  if (failed || version != 0x0303 || end - p < 46) return version;
  p += 2;
  // tvb_memeql: no exception when the random was not captured.
  helloRetry = has(p, segmentEndForScan, 32) && memory.compare(p, changetype<usize>(HRR_RANDOM), 32) == 0;
  p += 32;
  const sidLen = rd8(p);
  if (failed) return version;
  p++;
  if (end - p < sidLen + 5) return version;
  p += sidLen + 5;
  while (end - p >= 6) {
    const type = rd16(p);
    const len = rd16(p + 2);
    if (failed || end - p < 4 + len) break;
    if (type == EXT_SUPPORTED_VERSIONS && len == 2) { version = rd16(p + 4); break; }
    p += 4 + len;
  }
  return version;
}
