// QUIC (RFC 9000, RFC 9001 and the drafts tshark knows), as Wireshark 4.0's
// packet-quic.c shows it without TLS secrets: long and short headers,
// Version Negotiation, Retry, coalesced packets, and Initial packets
// decrypted with the keys derived from the client's first Destination
// Connection ID, whose CRYPTO frames go to the TLS handshake dissector.
// Handshake, 0-RTT and 1-RTT packets need secrets tshark does not have here:
// their packet numbers and frames stay hidden, as in tshark.
import { uint, flag, bytes, Base, fieldsBelongTo } from '../fields';
import { beginLayer, beginItemLayer, addNum, addBytes, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { has } from '../cursor';
import { registerUdpHeuristic, registerUdpConversation, udpSrcPort, udpDstPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec, putHexBytes } from '../text';
import { findConversation, conversationReversed, convGet, convSet } from '../conversation';
import { aesSetKey, aesEncryptBlock, aesGcmDecrypt } from './quic-crypto';
import { Lpt, draftVersion, draftAtMost, isV2, longPacketType, ppKey, ppIv, hpKey, deriveInitialKeys } from './quic-versions';
import {
  MAX_CID, W_QUIC, connVersion, connServerReversed, connDcidSet, connKeysValid, connKeysVersion, connMaxPkn, connCryptoNext,
  CID_INITIAL, CID_CLIENT, CID_SERVER, CID_KEYS, knownCidLengths, resetIfNewStream, cidAt, cidLen, setCid, cidEquals, cidPrefixOf,
  conversationConn, createConn, updateInitial, noteServerCid,
} from './quic-connections';
import { varint, varintLen } from './quic-varint';
import { PROTO_QUIC } from './quic-proto';
import { dissectFrames } from './quic-frames';
import { table } from '../tables';

fieldsBelongTo(PROTO_QUIC);
const F_PACKET_LENGTH = uint('quic.packet_length', 'Packet Length');
const F_HEADER_FORM = uint('quic.header_form', 'Header Form', 8);
const F_FIXED_BIT = flag('quic.fixed_bit', 'Fixed Bit');
const F_SPIN_BIT = flag('quic.spin_bit', 'Spin Bit');
const F_LONG_PACKET_TYPE = uint('quic.long.packet_type', 'Packet Type', 8);
const F_LONG_PACKET_TYPE_V2 = uint('quic.long.packet_type_v2', 'Packet Type', 8);
const F_VERSION = uint('quic.version', 'Version', 32, Base.HEX);
const F_DCIL = uint('quic.dcil', 'Destination Connection ID Length', 8);
const F_DCID = bytes('quic.dcid', 'Destination Connection ID');
const F_SCIL = uint('quic.scil', 'Source Connection ID Length', 8);
const F_SCID = bytes('quic.scid', 'Source Connection ID');
const F_TOKEN_LENGTH = uint('quic.token_length', 'Token Length', 64);
const F_TOKEN = bytes('quic.token', 'Token');
const F_LENGTH = uint('quic.length', 'Length', 64);
const F_PACKET_NUMBER = uint('quic.packet_number', 'Packet Number', 64);
const F_RETRY_TOKEN = bytes('quic.retry_token', 'Retry Token');
const F_SUPPORTED_VERSION = uint('quic.supported_version', 'Supported Version', 32, Base.HEX);

// ---- Per-packet state ----

const dcidBuf = table<u8>(MAX_CID);
let dcidLen: u32 = 0;
let dcidRaw: u32 = 0; // address of the DCID bytes in the packet
const firstDcid = table<u8>(MAX_CID + 1);
let firstDcidLen: u32 = 0;
let conn: i32 = -1;
let fromServer = false;

// Decrypted payloads of one datagram (fields point into it until the packet is printed).
const PLAIN_SIZE: u32 = 65536;
const plain = table<u8>(PLAIN_SIZE);
let plainUsed: u32 = 0;
const aad = table<u8>(65536); // a header holds the whole token
const mask = table<u8>(16);
const nonce = table<u8>(12);


// ---- Dissection ----

function quicHeuristic(start: u32, end: u32): bool {
  if (end - start < 13) return false;
  const first = <u32>load<u8>(start);
  resetIfNewStream();
  if ((first & 0x80) == 0) return shortHeaderHeuristic(start, end);
  if (draftVersion(be32at(start + 1)) < 11) return false;
  const dcil = <u32>load<u8>(start + 5);
  if (dcil > MAX_CID) return false;
  const q = start + 6 + dcil;
  if (q >= end) return false;
  if (<u32>load<u8>(q) > MAX_CID) return false;
  const slot = findConversation(17, udpSrcPort, udpDstPort);
  convSet(slot, W_QUIC, convGet(slot, W_QUIC) | 1);
  dissectQuic(start, end);
  return true;
}

@inline function be32at(p: u32): u32 { return bswap<u32>(load<u32>(p)); }

function shortHeaderHeuristic(start: u32, end: u32): bool {
  if (knownCidLengths == 0) return false;
  if (end - start < 19) return false;
  // Only a connection of this conversation can match here (see the connection table).
  const slot = findConversation(17, udpSrcPort, udpDstPort);
  const c = conversationConn(slot);
  if (c < 0) return false;
  const server = conversationReversed() == unchecked(connServerReversed[c]);
  const avail = end - start - 18;
  if (!cidPrefixOf(c, server ? CID_CLIENT : CID_SERVER, start + 1, avail < MAX_CID ? avail : MAX_CID)) return false;
  convSet(slot, W_QUIC, convGet(slot, W_QUIC) | 1);
  dissectQuic(start, end);
  return true;
}

function quicConversation(start: u32, end: u32): bool {
  const slot = findConversation(17, udpSrcPort, udpDstPort);
  if ((convGet(slot, W_QUIC) & 1) == 0) return false;
  resetIfNewStream();
  dissectQuic(start, end);
  return true;
}

/** The connection and direction of a datagram, from its first packet's header (quic_connection_find and _create_or_update). */
function findConnection(start: u32, end: u32): bool {
  const slot = findConversation(17, udpSrcPort, udpDstPort);
  const first = <u32>load<u8>(start);
  const long = (first & 0x80) != 0;
  let type: u32 = Lpt.SHORT;
  let version: u32 = 0;
  let scid: u32 = 0, scil: u32 = 0;
  dcidLen = 0;
  if (long) {
    if (!has(start, end, 6)) { markReadPast(end, start + 6); return false; }
    version = be32at(start + 1);
    type = version == 0 ? Lpt.VN : longPacketType(first, version);
    const dcil = <u32>load<u8>(start + 5);
    if (dcil > 0 && dcil <= MAX_CID) {
      if (!has(start + 6, end, dcil)) { markReadPast(end, start + 6 + dcil); return false; }
      dcidRaw = start + 6; dcidLen = dcil;
    }
    const q = start + 6 + dcil;
    if (!has(q, end, 1)) { markReadPast(end, q + 1); return false; }
    const s = <u32>load<u8>(q);
    if (s > 0 && s <= MAX_CID) {
      if (!has(q + 1, end, s)) { markReadPast(end, q + 1 + s); return false; }
      scid = q + 1; scil = s;
    }
  } else {
    if (!has(start + 1, end, MAX_CID)) { markReadPast(end, start + 1 + MAX_CID); return false; }
    dcidRaw = start + 1; dcidLen = MAX_CID;
  }

  let c = conversationConn(slot);
  fromServer = false;
  let found = -1;
  if (c >= 0) {
    const byPorts = conversationReversed() == unchecked(connServerReversed[c]);
    if (dcidLen > 0 && long) {
      if ((knownCidLengths & (1 << dcidLen)) != 0) {
        if (cidEquals(c, CID_CLIENT, dcidRaw, dcidLen)) {
          found = c;
          fromServer = cidEquals(c, CID_SERVER, dcidRaw, dcidLen) ? byPorts : true;
        } else if (cidEquals(c, CID_SERVER, dcidRaw, dcidLen)) {
          found = c; fromServer = false;
        }
      }
      if (found < 0 && type == Lpt.INITIAL && unchecked(connDcidSet[c]) && cidEquals(c, CID_INITIAL, dcidRaw, dcidLen)) {
        found = c; fromServer = false;
      }
      if (found >= 0 && type == Lpt.INITIAL && !fromServer && !cidEquals(c, CID_INITIAL, dcidRaw, dcidLen)
        && !cidPrefixOf(c, CID_SERVER, dcidRaw, dcidLen)) found = -1;
    } else if (long) {
      found = c; fromServer = byPorts;
    } else {
      if (cidPrefixOf(c, byPorts ? CID_CLIENT : CID_SERVER, dcidRaw, dcidLen)) { found = c; fromServer = byPorts; }
    }
  }
  c = found;

  if (type == Lpt.INITIAL && !fromServer) {
    if (c < 0) {
      c = createConn(slot, version);
      updateInitial(c, scid, scil, dcidRaw, dcidLen);
    } else if (!unchecked(connDcidSet[c]) && dcidLen > 0) {
      updateInitial(c, scid, scil, dcidRaw, dcidLen);
      store<u8>(cidAt(c, CID_SERVER), 0);
    }
  } else if ((type == Lpt.INITIAL || type == Lpt.RETRY || type == Lpt.HANDSHAKE) && fromServer && c >= 0) {
    if (type == Lpt.RETRY) { store<u8>(cidAt(c, CID_INITIAL), 0); unchecked(connDcidSet[c] = false); }
    if (cidLen(c, CID_SERVER) == 0 && scil > 0) noteServerCid(c, scid, scil);
  }
  conn = c;
  return true;
}

function dissectQuic(start: u32, end: u32): void {
  setProtocolColumn('QUIC');
  beginLayer(PROTO_QUIC);
  plainUsed = 0;
  if (!findConnection(start, end)) return;
  const reportedEnd = start + reportedLength(start, end);
  let p = start;
  let index: u32 = 0;
  // Each pass takes one packet; a packet takes at least its first byte.
  while (p < reportedEnd) {
    if (p >= end) { markReadPast(end, p + 1); return; }
    const packetEnd = messageEnd(p, end, reportedEnd);
    if (packetEnd == 0) return;
    const readEnd = packetEnd < end ? packetEnd : end;
    if (!sameDcid(p, readEnd, index == 0)) return; // padding after the packets
    if (index > 0) beginItemLayer(PROTO_QUIC); // another packet of the same call
    addNum(F_PACKET_LENGTH, packetEnd - p);
    const first = <u32>load<u8>(p);
    let more = true;
    if ((first & 0x80) != 0) {
      addNum(F_HEADER_FORM, 1);
      if (!has(p, readEnd, 5)) { markReadPast(readEnd, p + 5); return; }
      const version = be32at(p + 1);
      if (version == 0) { dissectVersionNegotiation(p, readEnd); return; }
      if (longPacketType(first, version) == Lpt.RETRY) more = dissectRetry(p, readEnd, version);
      else more = dissectLongHeader(p, readEnd, version);
    } else {
      addNum(F_HEADER_FORM, 0);
      more = dissectShortHeader(p, readEnd);
    }
    if (!more) return;
    p = packetEnd;
    index++;
  }
}

/** Where the packet at p ends: a long header packet's Length field bounds it; anything else runs to the end. 0 on a read past the bytes. */
function messageEnd(p: u32, end: u32, reportedEnd: u32): u32 {
  const first = <u32>load<u8>(p);
  if ((first & 0x80) == 0) return reportedEnd;
  if (!has(p, end, 6)) { markReadPast(end, p + 6); return 0; }
  const version = be32at(p + 1);
  if (version == 0 || longPacketType(first, version) == Lpt.RETRY) return reportedEnd;
  let q = p + 6 + <u32>load<u8>(p + 5);
  if (!has(q, end, 1)) { markReadPast(end, q + 1); return 0; }
  q += 1 + <u32>load<u8>(q);
  if (longPacketType(first, version) == Lpt.INITIAL) {
    const tokenLength = varint(q, end);
    if (varintLen == 0) { markReadPast(end, q + 8); return 0; }
    q += varintLen;
    if (tokenLength > 0xffffffff) return reportedEnd;
    q += <u32>tokenLength;
  }
  if (q < p || q >= end) { markReadPast(end, q + 1); return 0; }
  const length = varint(q, end);
  if (varintLen == 0) { markReadPast(end, q + 8); return 0; }
  q += varintLen;
  if (length > 0x7fffffff) return reportedEnd;
  const total = <u64>(q - p) + length;
  return total < <u64>(reportedEnd - p) ? p + <u32>total : reportedEnd;
}

/** Coalesced packets must carry the first packet's DCID; anything else is padding (check_dcid_on_coalesced_packet). */
function sameDcid(p: u32, end: u32, first: bool): bool {
  const b = <u32>load<u8>(p);
  let q: u32 = 0, n: u32 = 0;
  if ((b & 0x80) != 0) {
    if (!has(p, end, 6)) return true;
    const l = <u32>load<u8>(p + 5);
    if (l > 0 && l <= MAX_CID) { q = p + 6; n = l; if (!has(q, end, n)) return true; }
  } else {
    if (conn < 0) return true;
    n = cidLen(conn, fromServer ? CID_CLIENT : CID_SERVER);
    q = p + 1;
    if (n > 0 && !has(q, end, n)) return true;
  }
  const saved = changetype<usize>(firstDcid);
  if (first) { firstDcidLen = n; memory.copy(saved, q, n); return true; }
  return n == firstDcidLen && memory.compare(saved, q, n) == 0;
}

/** Version, DCID and SCID of a long header at p + 1 (dissect_quic_long_header_common); the offset after them, 0 on a read past the bytes. */
function longHeaderCommon(p: u32, end: u32): u32 {
  let q = p + 1;
  if (!has(q, end, 4)) { markReadPast(end, q + 4); return 0; }
  addNum(F_VERSION, be32at(q));
  q += 4;
  if (!has(q, end, 1)) { markReadPast(end, q + 1); return 0; }
  const dcil = <u32>load<u8>(q);
  addNum(F_DCIL, dcil);
  q++;
  let dcid: u32 = 0;
  if (dcil > 0) {
    if (!has(q, end, dcil)) { markReadPast(end, q + dcil); return 0; }
    addBytes(F_DCID, q, dcil);
    dcid = q;
    q += dcil;
  }
  if (!has(q, end, 1)) { markReadPast(end, q + 1); return 0; }
  const scil = <u32>load<u8>(q);
  addNum(F_SCIL, scil);
  q++;
  let scid: u32 = 0;
  if (scil > 0) {
    if (!has(q, end, scil)) { markReadPast(end, q + scil); return 0; }
    addBytes(F_SCID, q, scil);
    scid = q;
    q += scil;
  }
  if (dcid != 0 && dcil <= MAX_CID) { infoAppend(); puts(', DCID='); putHexBytes(dcid, dcil); infoDone(); }
  if (scid != 0 && scil <= MAX_CID) { infoAppend(); puts(', SCID='); putHexBytes(scid, scil); infoDone(); }
  return q;
}

function dissectVersionNegotiation(p: u32, end: u32): void {
  infoSet(); puts('Version Negotiation'); infoDone();
  let q = longHeaderCommon(p, end);
  if (q == 0) return;
  while (q < end) {
    if (!has(q, end, 4)) { markReadPast(end, q + 4); return; }
    addNum(F_SUPPORTED_VERSION, be32at(q));
    q += 4;
  }
}

function dissectRetry(p: u32, end: u32, version: u32): bool {
  addNum(isV2(version) ? F_LONG_PACKET_TYPE_V2 : F_LONG_PACKET_TYPE, (<u32>load<u8>(p) >> 4) & 3);
  infoSet(); puts('Retry'); infoDone();
  let q = longHeaderCommon(p, end);
  if (q == 0) return false;
  if (draftAtMost(version, 24)) {
    if (!has(q, end, 1)) { markReadPast(end, q + 1); return false; }
    const odcil = <u32>load<u8>(q);
    q++;
    if (!has(q, end, odcil)) { markReadPast(end, q + odcil); return false; }
    q += odcil;
  }
  let tokenLength = q <= end ? end - q : 0;
  const tagged = !draftAtMost(version, 24);
  if (tagged && tokenLength >= 16) tokenLength -= 16;
  if (tokenLength > 0) addBytes(F_RETRY_TOKEN, q, tokenLength);
  q += tokenLength;
  if (tagged && !has(q, end, 16)) { markReadPast(end, q + 16); return false; }
  return true;
}

function dissectLongHeader(p: u32, end: u32, version: u32): bool {
  const first = <u32>load<u8>(p);
  const type = longPacketType(first, version);
  let keys = false;
  let secretsMissing = false;
  let decodedFirst: u32 = 0;
  let pknLen: u32 = 0;
  let pkn: u64 = 0;
  const c = conn;
  if (c >= 0) {
    if (type == Lpt.INITIAL) {
      const dcil = dcidLenOf(p, end);
      if (!fromServer && cidEquals(c, CID_INITIAL, p + 6, dcil)) {
        setCid(c, CID_KEYS, p + 6, dcil);
        unchecked(connKeysVersion[c] = unchecked(connVersion[c]));
        unchecked(connKeysValid[c] = true);
      } else if (fromServer && version != unchecked(connVersion[c])) {
        unchecked(connVersion[c] = version);
        setCid(c, CID_KEYS, cidAt(c, CID_INITIAL) + 1, cidLen(c, CID_INITIAL));
        unchecked(connKeysVersion[c] = version);
        unchecked(connKeysValid[c] = true);
      }
      keys = unchecked(connKeysValid[c]);
    } else if (type == Lpt.HANDSHAKE || (type == Lpt.ZERO_RTT && !fromServer)) {
      secretsMissing = true;
    }
  }
  if (keys) {
    // The packet number offset, for header protection (read before the header is shown).
    let pnOffset = p + 1 + 4 + 1 + dcidLenOf(p, end) + 1 + scidLenOf(p, end);
    if (type == Lpt.INITIAL) {
      const tokenLength = varint(pnOffset, end);
      if (varintLen == 0) { markReadPast(end, pnOffset + 1); return false; }
      pnOffset += varintLen + <u32>min<u64>(tokenLength, 0xffff);
    }
    varint(pnOffset, end);
    if (varintLen == 0) { markReadPast(end, pnOffset + 1); return false; }
    pnOffset += varintLen;
    if (!has(pnOffset + 4, end, 16)) { markReadPast(end, pnOffset + 20); return false; }
    deriveInitialKeys(cidAt(c, CID_KEYS) + 1, cidLen(c, CID_KEYS), unchecked(connKeysVersion[c]), fromServer);
    aesSetKey(changetype<usize>(hpKey));
    const m = changetype<usize>(mask);
    aesEncryptBlock(pnOffset + 4, m);
    decodedFirst = first ^ (<u32>load<u8>(m) & 0x0f);
    pknLen = (decodedFirst & 3) + 1;
    let truncatedPkn: u32 = 0;
    for (let i: u32 = 0; i < pknLen; i++) truncatedPkn = (truncatedPkn << 8) | (<u32>load<u8>(pnOffset + i) ^ <u32>load<u8>(m + 1 + i));
    pkn = fullPacketNumber(type == Lpt.INITIAL ? unchecked(connMaxPkn[c * 2 + (fromServer ? 1 : 0)]) : 0, truncatedPkn, pknLen * 8);
  }

  addNum(F_FIXED_BIT, (first >> 6) & 1);
  addNum(isV2(version) ? F_LONG_PACKET_TYPE_V2 : F_LONG_PACKET_TYPE, (first >> 4) & 3);
  infoSet();
  puts(type == Lpt.INITIAL ? 'Initial' : type == Lpt.HANDSHAKE ? 'Handshake' : type == Lpt.ZERO_RTT ? '0-RTT' : 'Retry');
  infoDone();
  let q = longHeaderCommon(p, end);
  if (q == 0) return false;
  if (type == Lpt.INITIAL) {
    const tokenLength = varint(q, end);
    if (varintLen == 0) { markReadPast(end, q + 1); return false; }
    addNum(F_TOKEN_LENGTH, tokenLength);
    q += varintLen;
    if (tokenLength > 0) {
      if (tokenLength > <u64>(end - q)) { markReadPast(end, end + 1); return false; }
      addBytes(F_TOKEN, q, <u32>tokenLength);
      q += <u32>tokenLength;
    }
  }
  const length = varint(q, end);
  if (varintLen == 0) { markReadPast(end, q + 1); return false; }
  addNum(F_LENGTH, length);
  q += varintLen;
  if (secretsMissing || c < 0 || pknLen == 0) return true;

  addNum(F_PACKET_NUMBER, pkn);
  infoAppend(); puts(', PKN: '); putDec(pkn); infoDone();
  const headerLength = q + pknLen - p;
  const plainStart = decryptPayload(p, end, headerLength, decodedFirst, pknLen, pkn);
  if (plainStart == 0) return true;
  if (type == Lpt.INITIAL) unchecked(connMaxPkn[c * 2 + (fromServer ? 1 : 0)] = pkn);
  dissectFrames(plainStart, plainStart + plainLength, conn * 2 + (fromServer ? 1 : 0));
  return true;
}

function dcidLenOf(p: u32, end: u32): u32 { const l = <u32>load<u8>(p + 5); return l <= MAX_CID ? l : 0; }
function scidLenOf(p: u32, end: u32): u32 {
  const q = p + 6 + <u32>load<u8>(p + 5);
  if (!has(q, end, 1)) return 0;
  const l = <u32>load<u8>(q);
  return l <= MAX_CID ? l : 0;
}

/** The packet number nearest the one after `largest` whose low `bits` bits are `truncated` (RFC 9000 A.3, as Wireshark rounds). */
function fullPacketNumber(largest: u64, truncated: u32, bits: u32): u64 {
  const k: u64 = largest == 0xffffffffffffffff ? largest : largest + 1;
  const window: u64 = <u64>1 << <u64>bits;
  const u = k & ~(window - 1);
  const a = u | <u64>truncated;
  const b = (u + window) | <u64>truncated;
  const da = k < a ? a - k : k - a;
  const db = k < b ? b - k : k - b;
  return da < db ? a : b;
}

let plainLength: u32 = 0;

/** Decrypts the payload after the header into the datagram's plaintext buffer; its address, or 0 when the tag does not hold. */
function decryptPayload(p: u32, end: u32, headerLength: u32, decodedFirst: u32, pknLen: u32, pkn: u64): u32 {
  if (end - p <= headerLength + 16) return 0; // ciphertext too short
  const ctLen = end - p - headerLength - 16;
  if (headerLength > <u32>aad.length || ctLen > PLAIN_SIZE - plainUsed) return 0;
  const a = changetype<usize>(aad);
  memory.copy(a, p, headerLength);
  store<u8>(a, <u8>decodedFirst);
  for (let i: u32 = 0; i < pknLen; i++) store<u8>(a + headerLength - 1 - i, <u8>(pkn >> (<u64>i * 8)));
  const n = changetype<usize>(nonce);
  memory.copy(n, changetype<usize>(ppIv), 12);
  store<u64>(n + 4, bswap<u64>(bswap<u64>(load<u64>(n + 4)) ^ pkn));
  aesSetKey(changetype<usize>(ppKey));
  const out = changetype<usize>(plain) + plainUsed;
  if (!aesGcmDecrypt(n, a, headerLength, p + headerLength, ctLen, p + headerLength + ctLen, out)) return 0;
  plainUsed += ctLen;
  plainLength = ctLen;
  return <u32>out;
}

function dissectShortHeader(p: u32, end: u32): bool {
  const first = <u32>load<u8>(p);
  addNum(F_FIXED_BIT, (first >> 6) & 1);
  addNum(F_SPIN_BIT, (first >> 5) & 1);
  infoSet(); puts('Protected Payload (KP0)'); infoDone();
  if (conn < 0) return true;
  const n = cidLen(conn, fromServer ? CID_CLIENT : CID_SERVER);
  if (n > 0) {
    if (!has(p + 1, end, n)) { markReadPast(end, p + 1 + n); return false; }
    addBytes(F_DCID, p + 1, n);
    infoAppend(); puts(', DCID='); putHexBytes(p + 1, n); infoDone();
  }
  return true;
}

registerUdpConversation(quicConversation);
registerUdpHeuristic(quicHeuristic);
