// SSL 2.0 records, which Wireshark still reads for the SSL 2.0-compatible
// ClientHello that old clients send first.
import { addNum, addBytes } from '../packet';
import { rd8, rd16, rd24, avail, failed } from './tls-read';
import { F_RECORD_VERSION, F_RECORD_LENGTH, F_IS_ESCAPE, F_PADDING_LENGTH, F_HS_TYPE, F_HS_VERSION,
  F_CIPHER_SPEC_LEN, F_SESSION_ID_LENGTH, F_CHALLENGE_LENGTH, F_CIPHER_SPEC, F_SESSION_ID } from './tls-fields';
import { SSLV2, isKnownVersion, ssl2MessageName } from './tls-names';
import { sessionVersion, setSessionVersion, setServerIsDestination, infoItem, setVersionColumn } from './tls-session';

/** A first record byte of 0x80 and a ClientHello type: an SSL 2.0 ClientHello. */
export function isV2ClientHello(p: u32): bool {
  const first = rd8(p), type = rd8(p + 2);
  return !failed && first == 0x80 && type == 1;
}

/** High bit set and an unencrypted message type (error, client hello, master key, server hello). */
export function looksLikeSsl2(p: u32): bool {
  const first = rd8(p), type = rd8(p + 2);
  return !failed && first >= 0x80 && (type == 0 || type == 1 || type == 2 || type == 4);
}

function looksLikeValidHandshake(p: u32, recordLength: u32): bool {
  const type = rd8(p);
  if (type == 1) return isKnownVersion(rd16(p + 1)) && !failed;
  if (type == 4) return isKnownVersion(rd16(p + 3)) && !failed;
  if (type == 2) return rd16(p + 4) + rd16(p + 6) + rd16(p + 8) <= recordLength && !failed;
  return false;
}

/** One SSL 2.0 record at p with `available` bytes left on the wire; returns where the next one starts. */
export function dissectSsl2Record(p: u32, available: u32): u32 {
  const first = rd8(p);
  const headerLength: u32 = first & 0x80 ? 2 : 3;
  if (failed || available < headerLength) return p + available;
  const length = ((first & (headerLength == 2 ? 0x7f : 0x3f)) << 8) | rd8(p + 1);
  const padding = headerLength == 3 ? rd8(p + 2) : 0;
  if (failed || available < headerLength + length) return p + available;
  const body = p + headerLength;
  const type = rd8(body);
  if (failed) return p;
  if (sessionVersion() == 0 && type >= 2 && type <= 8) setSessionVersion(SSLV2);
  setVersionColumn(SSLV2);
  const name = ssl2MessageName(type);
  const valid = name !== null && looksLikeValidHandshake(body, length);
  if (failed) return p;
  addNum(F_RECORD_VERSION, SSLV2);
  if (!valid) { infoItem('Encrypted Data'); return body + length; }
  infoItem(name as string);
  addNum(F_RECORD_LENGTH, length);
  if (headerLength == 3) { addNum(F_IS_ESCAPE, (first & 0x40) != 0); addNum(F_PADDING_LENGTH, padding); }
  addNum(F_HS_TYPE, type);
  if (type == 1) clientHello(body + 1);
  return body + length;
}

function clientHello(p: u32): void {
  const version = rd16(p);
  if (failed || !isKnownVersion(version)) return;
  setServerIsDestination();
  addNum(F_HS_VERSION, version);
  let specsLength = rd16(p + 2);
  const sessionIdLength = rd16(p + 4);
  if (failed) return;
  addNum(F_CIPHER_SPEC_LEN, specsLength);
  addNum(F_SESSION_ID_LENGTH, sessionIdLength);
  if (sessionIdLength > 16) return;
  const challengeLength = rd16(p + 6);
  if (failed) return;
  addNum(F_CHALLENGE_LENGTH, challengeLength);
  let q = p + 8;
  // A 16-bit count that steps by three: a length that is no multiple of three
  // wraps around and runs on until the segment ends, as in Wireshark.
  while (specsLength > 0) {
    const spec = rd24(q);
    if (failed) return;
    addNum(F_CIPHER_SPEC, spec);
    q += 3;
    specsLength = (specsLength - 3) & 0xffff;
  }
  if (sessionIdLength > 0) {
    if (!avail(q, sessionIdLength)) return;
    addBytes(F_SESSION_ID, q, sessionIdLength);
    q += sessionIdLength;
  }
  // The challenge item must have been captured.
  if (challengeLength > 0) avail(q, challengeLength);
}
