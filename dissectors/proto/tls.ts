// Transport Layer Security records (SSL 3.0 to TLS 1.3, and SSL 2.0
// hellos) on the TCP ports Wireshark gives TLS and on streams its heuristic
// recognises.  One segment at a time, as tshark with TCP reassembly off: a
// record that does not end in the segment is not shown, a record cut by the
// snap length shows its header only.  Nothing is decrypted.
import { addNum, addBytes, beginLayer, reportedLength, packetSerialNumber } from '../packet';
import { has } from '../cursor';
import { registerTcpPortTry, registerTcpHeuristic, tcpSrcPort, tcpDstPort, udpSrcPort, udpDstPort } from '../dispatch';
import { infoDone } from '../columns';
import { puts, putc } from '../text';
import { findConversation, convGet, convSet } from '../conversation';
import { beginReads, setReadEnd, rd8, rd16, rd24, avail, failed } from './tls-read';
import { startMessage, continueMessage, wholeMessage } from './tls-reassembly';
import { PROTO_TLS, F_CONTENT_TYPE, F_OPAQUE_TYPE, F_RECORD_VERSION, F_RECORD_LENGTH, F_APP_DATA, F_ALERT_LEVEL,
  F_ALERT_DESC, F_HS_TYPE, F_HS_LENGTH } from './tls-fields';
import { SSLV2, SSLV3, TLS10, TLS11, TLS12, TLS13, GMTLS, isValidContentType, isRecordVersion, handshakeName,
  putAlertLevel, putAlertDescription } from './tls-names';
import { slot, setSession, sessionVersion, setSessionVersion, trySetVersion, fromServer, setServerIsDestination, ccsPacket, setCcsPacket,
  fragmentSeen, fragmentHead, setFragment, clearInfo, continueInfo, beginInfoItem, infoItem, setVersionColumn, TLS_PORTS } from './tls-session';
import { dissectClientHello, dissectServerHello, scanServerHello, helloRetry, sawEarlyData } from './tls-hello';
import { dissectSsl2Record, isV2ClientHello, looksLikeSsl2 } from './tls-ssl2';
import { W_TCP_DISSECTOR, ConvDissector, registerConversationDissector } from './tcp-conv';

let segmentEnd: u32 = 0;

/** Bytes on the wire from p to the end of the segment (p may lie past the captured end). */
function remaining(p: u32): u32 {
  if (p <= segmentEnd) return reportedLength(p, segmentEnd);
  const beyond = reportedLength(segmentEnd, segmentEnd);
  return p - segmentEnd < beyond ? beyond - (p - segmentEnd) : 0;
}

function isPrintable(c: u32): bool { return c >= 0x20 && c <= 0x7e; }

/** Dissects the segment as TLS unless it starts with four printable characters (then declines). */
function dissectTls(start: u32, end: u32): bool {
  if (end - start > 4 && isPrintable(load<u8>(start)) && isPrintable(load<u8>(start + 1))
    && isPrintable(load<u8>(start + 2)) && isPrintable(load<u8>(start + 3))) return false;
  const conv = findConversation(6, tcpSrcPort, tcpDstPort);
  // A heuristic gave the stream to HTTP: Wireshark asks that dissector first.
  if (convGet(conv, W_TCP_DISSECTOR) == ConvDissector.HTTP) return false;
  setSession(conv);
  segmentEnd = end;
  beginReads(end);
  beginLayer(PROTO_TLS);
  setVersionColumn(sessionVersion());
  clearInfo();
  let p = start;
  // Every record moves p forward, or ends the loop.
  while (!failed && remaining(p) > 0) {
    const left = remaining(p);
    const version = sessionVersion();
    let next: u32 = p;
    if (version == SSLV2) next = dissectSsl2Record(p, left);
    else if (left < 5) break;
    else if (version == SSLV3 || version == TLS10 || version == TLS11 || version == TLS12 || version == GMTLS) {
      next = isV2ClientHello(p) ? dissectSsl2Record(p, left) : dissectRecord(p);
    } else if (looksLikeSsl2(p)) next = dissectSsl2Record(p, left);
    else if (looksLikeSsl3(p)) next = dissectRecord(p);
    else { if (!failed) infoItem('Continuation Data'); break; }
    if (next <= p) break;
    p = next;
  }
  return true;
}

function looksLikeSsl3(p: u32): bool {
  const type = rd8(p), version = rd16(p + 1);
  return !failed && isValidContentType(type) && isRecordVersion(version);
}

/** One SSL 3.0 / TLS record; returns where the next one starts. */
function dissectRecord(p: u32): u32 {
  const available = remaining(p);
  const session = sessionVersion();
  if ((session == TLS10 || session == TLS11 || session == TLS12 || session == GMTLS) && !isValidContentType(rd8(p))) {
    // The expert item covering the rest must have been captured.
    if (avail(p, available)) infoItem('Ignored Unknown Record');
    return p + available;
  }
  if (available < 5) return p + available;
  const type = rd8(p), recordVersion = rd16(p + 1), length = rd16(p + 3);
  if (failed) return p;
  if (!isValidContentType(type)) { infoItem('Continuation Data'); return p + 5 + length; }
  // Without reassembly a record that goes on in the next segment is skipped.
  if (available < length + 5) return p + available;
  addNum(session == TLS13 && type == 23 ? F_OPAQUE_TYPE : F_CONTENT_TYPE, type);
  addNum(F_RECORD_VERSION, recordVersion);
  addNum(F_RECORD_LENGTH, length);
  const firstByte = rd8(p + 5);
  if (failed) return p;
  let version = session;
  if (session == 0) {
    trySetVersion(type, firstByte, recordVersion);
    setVersionColumn(recordVersion);
    version = recordVersion;
  }
  // Wireshark keeps the end of each record it could decrypt: a record not
  // captured to its end stops the packet there.
  if (length > 0 && (sessionVersion() != TLS13 || type == 23) && !avail(p + 5, length)) return p;
  const body = p + 5;
  const bodyEnd = body + length;
  if (type == 20) {
    infoItem('Change Cipher Spec');
    // In TLS 1.3 it is a dummy message: what follows is not taken to be encrypted.
    if (version != TLS13) setCcsPacket(fromServer(), packetSerialNumber());
  } else if (type == 21) dissectAlert(body, length);
  else if (type == 22) dissectHandshake(body, bodyEnd, version);
  else if (type == 23) {
    infoItem('Application Data');
    addBytes(F_APP_DATA, body, length);
  } else if (type == 24 && version != TLS13) dissectHeartbeat(body, length);
  return bodyEnd;
}

function dissectAlert(p: u32, length: u32): void {
  if (length != 2) { infoItem('Encrypted Alert'); return; }
  const level = rd8(p), description = rd8(p + 1);
  if (failed) return;
  if (beginInfoItem()) {
    puts('Alert (Level: '); putAlertLevel(level);
    puts(', Description: '); putAlertDescription(description); putc(41);
    infoDone();
  }
  addNum(F_ALERT_LEVEL, level);
  addNum(F_ALERT_DESC, description);
}

function dissectHeartbeat(p: u32, length: u32): void {
  const type = rd8(p);
  rd16(p + 1);
  if (failed) return;
  if (type == 1) infoItem('Heartbeat Request');
  else if (type == 2) infoItem('Heartbeat Response');
  else infoItem('Encrypted Heartbeat');
}

/** Wireshark's guess that a handshake record is encrypted (a Finished after ChangeCipherSpec and the like). */
function looksEncrypted(p: u32, end: u32): bool {
  if (end - p < 16) return false;
  // Five zero bytes: the explicit nonce of an AEAD cipher's first record.
  if ((rd8(p) | rd16(p + 1) | rd16(p + 3)) == 0) return !failed;
  const ccs = ccsPacket(fromServer());
  if (ccs != 0 && packetSerialNumber() > ccs) return true;
  if (handshakeName(rd8(p)) === null) return !failed;
  return rd24(p + 1) >= 0x10000 && !failed;
}

/**
 * TLS 1.3 handshake messages without the record layer, as QUIC carries them
 * in CRYPTO frames (Wireshark's dissect_tls13_handshake); for a QUIC
 * dissector to call with the bytes of its reassembled CRYPTO stream.
 */
export function dissectTlsHandshakeMessages(start: u32, end: u32): void {
  const conv = findConversation(17, udpSrcPort, udpDstPort);
  setSession(conv);
  if (sessionVersion() == 0) setSessionVersion(TLS13);
  segmentEnd = end;
  beginReads(end);
  beginLayer(PROTO_TLS);
  continueInfo();
  dissectHandshake(start, end, TLS13, false);
}

function dissectHandshake(p: u32, end: u32, version: u32, maybeEncrypted: bool = true): void {
  const server = fromServer();
  let first = true;
  const seen = fragmentSeen(server);
  let continued = false;
  if (seen > 0) {
    // The rest of a message an earlier record began.
    let head = fragmentHead(server);
    let headBytes = seen < 4 ? seen : 4;
    let q = p;
    while (headBytes < 4 && q < end) { head = (head << 8) | rd8(q); q++; headBytes++; }
    let take = end - p;
    const total: u32 = headBytes == 4 ? 4 + (head & 0xffffff) : 0;
    if (total != 0 && take > total - seen) take = total - seen;
    if (!failed && has(p, segmentEnd, take)) {
      continued = true;
      continueMessage(slot, server, p, take);
      if (total == 0 || seen + take != total) { setFragment(server, seen + take, head); return; }
      setFragment(server, 0, 0);
      const whole = wholeMessage(slot, server, total);
      if (whole != 0) dissectGathered(whole, total, version);
      else showReassembled(head >> 24, head & 0xffffff);
      p += take;
      first = false;
    } else setFragment(server, 0, 0);
    if (failed) return;
  }
  if (!continued && maybeEncrypted && looksEncrypted(p, end)) { if (!failed) infoItem('Encrypted Handshake Message'); return; }
  while (p < end && !failed) {
    const left = end - p;
    const total: u32 = left >= 4 ? 4 + rd24(p + 1) : 0;
    if (total == 0 || left < total) {
      const type = rd8(p);
      let head: u32 = 0;
      for (let i: u32 = 0; i < 4 && i < left; i++) head = (head << 8) | rd8(p + i);
      if (failed) return;
      setFragment(server, left, head);
      if (has(p, segmentEnd, left)) startMessage(slot, server, p, left);
      if (first && beginInfoItem()) {
        putc(91); const name = handshakeName(type); puts(name !== null ? name : 'Encrypted Handshake Message');
        puts(' Fragment'); putc(93); infoDone();
      }
      return;
    }
    dissectMessage(p, first, version);
    p += total;
    first = false;
  }
}

/** A message gathered from several records, read from its buffer. */
function dissectGathered(whole: u32, total: u32, version: u32): void {
  const savedEnd = segmentEnd;
  segmentEnd = whole + total;
  setReadEnd(whole + total);
  dissectMessage(whole, true, version);
  segmentEnd = savedEnd;
  setReadEnd(savedEnd);
}

/** A message completed from several records but not kept: only what its first four bytes say can be shown. */
function showReassembled(type: u32, length: u32): void {
  const name = handshakeName(type);
  infoItem(name !== null ? name : 'Encrypted Handshake Message');
  if (name === null) return;
  addNum(F_HS_TYPE, type);
  addNum(F_HS_LENGTH, length);
}

function dissectMessage(p: u32, first: bool, version: u32): void {
  const type = rd8(p), length = rd24(p + 1);
  if (failed) return;
  const name = handshakeName(type);
  if (name === null && !first) return;
  let retry = false;
  if (first && type == 2 && length > 2) {
    const settled = scanServerHello(p + 4, p + 4 + length, segmentEnd);
    if (failed) return;
    retry = helloRetry;
    trySetVersion(22, 2, settled);
  }
  infoItem(retry ? 'Hello Retry Request' : name !== null ? name : 'Encrypted Handshake Message');
  if (name === null) return;
  addNum(F_HS_TYPE, type);
  addNum(F_HS_LENGTH, length);
  const body = p + 4, bodyEnd = p + 4 + length;
  if (type == 1) {
    setServerIsDestination();
    dissectClientHello(body, bodyEnd);
    // Early data can only be TLS 1.3.
    if (sawEarlyData) setSessionVersion(TLS13);
  } else if (type == 2) {
    setVersionColumn(sessionVersion());
    dissectServerHello(body, bodyEnd, retry ? 6 : 2);
  }
}

// Wireshark's TLS heuristic: a Handshake or Application Data record of a known
// version and sensible length, or an SSL 2.0 ClientHello.
function looksLikeTlsStart(p: u32, end: u32): bool {
  const n = end - p;
  if (n >= 5) {
    const type = <u32>load<u8>(p);
    const version = <u32>bswap<u16>(load<u16>(p + 1));
    const length = <u32>bswap<u16>(load<u16>(p + 3));
    if ((type == 22 || type == 23) && isRecordVersion(version) && length != 0 && length < 16384 + 2048) return true;
  }
  if (n < 46 || load<u8>(p) != 0x80 || load<u8>(p + 2) != 1) return false;
  const specs = <u32>bswap<u16>(load<u16>(p + 5));
  const sessionId = <u32>bswap<u16>(load<u16>(p + 7));
  return specs != 0 && specs % 3 == 0 && (sessionId == 0 || sessionId == 16) && bswap<u16>(load<u16>(p + 9)) == 32;
}

function tlsHeuristic(start: u32, end: u32): bool {
  if (!looksLikeTlsStart(start, end)) return false;
  convSet(findConversation(6, tcpSrcPort, tcpDstPort), W_TCP_DISSECTOR, ConvDissector.TLS);
  return dissectTls(start, end);
}

for (let i = 0; i < TLS_PORTS.length; i++) registerTcpPortTry(unchecked(TLS_PORTS[i]), dissectTls);
registerTcpHeuristic(tlsHeuristic);
registerConversationDissector(ConvDissector.TLS, dissectTls);
