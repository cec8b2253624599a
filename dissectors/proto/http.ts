// Hypertext Transfer Protocol 1.x on the TCP ports Wireshark gives it (and on
// streams its heuristic recognises), and SSDP, HTTP over UDP 1900.  One
// segment at a time, as tshark with TCP reassembly off: each message that
// starts in the segment is read as far as the segment goes.  What a
// conversation has shown before (a request seen) is remembered per
// conversation, as Wireshark does.
import { addNum, addBytes, beginLayer, continueSingleCall, endSingleCall, setProtocolColumn, markTruncated, reportedLength, inErrorPacket, wanted } from '../packet';
import { has } from '../cursor';
import { registerTcpPort, registerUdpPort, registerTcpHeuristic, dispatchTcp, tcpSrcPort, tcpDstPort, udpSrcPort, udpDstPort } from '../dispatch';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putRaw } from '../text';
import { findConversation, conversationWord, convGet, convSet, conversationReversed, conversationSerial } from '../conversation';
import { dissectData } from './frame';
import { addAscii } from './ascii-text';
import { putFormatText } from '../format-text';
import { PROTO_HTTP, PROTO_SSDP, F_METHOD, F_URI, F_REQUEST_VERSION, F_RESPONSE_VERSION, F_CODE, F_CODE_DESC,
  F_PHRASE, F_FULL_URI, F_REQUEST, F_RESPONSE, F_NOTIFICATION, F_RESPONSE_FOR_URI } from './http-fields';
import { MsgType, processHeader, resetHeaders, hasContentLength, contentLength, hasTransferEncoding,
  hasHost, hostP, hostN, isSpace } from './http-headers';
import { dissectBody } from './http-body';
import { putStatusText } from './http-status';
import { W_TCP_DISSECTOR, ConvDissector, registerConversationDissector } from './tcp-conv';
import { addHttpMatch, keepRequestUri, keepFullUri, takeUpFirstPassUris } from './http-transactions';
import { leaveNote, readNote, learningAhead, readingNotes, NoteTag } from '../frame-notes';

const TCP_PORTS: StaticArray<u32> = [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371];

// Set in a conversation once a request line was read there (conv_data->request_uri).
const W_SAW_REQUEST = conversationWord();
// For CONNECT tunnels: whether the last request was CONNECT, the last status
// code, the port its URI names (+1; 0: the URI has no colon) and, once the
// tunnel is open, which endpoint is the server (1 lower, 2 higher).
const W_LAST_WAS_CONNECT = conversationWord();
const W_LAST_CODE = conversationWord();
const W_URI_PORT = conversationWord();
const W_TUNNEL_SERVER = conversationWord();
// In the second pass of -2: the conversation took up what the first pass left (Wireshark's conversation data outlives it).
const W_TOOK_UP_FIRST_PASS = conversationWord();

/** The second pass of -2 starts a conversation where the first left it: a request seen, its URIs. */
function takeUpFirstPass(slot: i32): void {
  if (!readingNotes() || slot < 0 || convGet(slot, W_TOOK_UP_FIRST_PASS) != 0) return;
  convSet(slot, W_TOOK_UP_FIRST_PASS, 1);
  if (readNote(conversationSerial(slot), NoteTag.HTTP_SAW_REQUEST) != 0) convSet(slot, W_SAW_REQUEST, 1);
  takeUpFirstPassUris(slot);
}

// Per message: what its request/response line said.
let lineType: u32 = MsgType.OTHERS; // of the line last classified
let isResponseLine = false;
let responseCode: u32 = 0;
let uriP: u32 = 0;
let uriN: u32 = 0;
let hasUri = false;
let methodIsConnect = false;
// Per segment: whether an earlier message already wrote the info column (Wireshark's fence).
let fenced = false;
let nextLine: u32 = 0;

/** Length of the line at p (without its end); sets nextLine. With `whole`, a line must end before `end` (-1 if not). */
function findLineEnd(p: u32, end: u32, whole: bool): i32 {
  for (let q = p; q < end; q++) {
    const c = load<u8>(q);
    if (c != 13 && c != 10) continue;
    if (c == 13) {
      if (q + 1 >= end) { if (whole) return -1; }
      else if (load<u8>(q + 1) == 10) { nextLine = q + 2; return <i32>(q - p); }
    }
    nextLine = q + 1;
    return <i32>(q - p);
  }
  if (whole) return -1;
  nextLine = end;
  return <i32>(end - p);
}

function matches(p: u32, s: string): bool {
  for (let i = 0, n = s.length; i < n; i++) if (<u32>load<u8>(p + <u32>i) != <u32>s.charCodeAt(i)) return false;
  return true;
}

/** Wireshark's is_http_request_or_reply(): a response ("HTTP/", "ICY") or a known method; sets lineType. */
function classify(line: u32, n: u32): bool {
  let d = line;
  if (n >= 2 && matches(d, 'M-')) { d += 2; n -= 2; }
  if ((n >= 5 && matches(d, 'HTTP/')) || (n >= 3 && matches(d, 'ICY'))) {
    lineType = MsgType.RESPONSE; isResponseLine = true;
    return true;
  }
  let len: u32 = 0;
  while (len < n && load<u8>(d + len) != 32) len++;
  const type = methodType(d, len);
  if (type == MsgType.OTHERS) return false;
  lineType = type; isResponseLine = false;
  return true;
}

const METHODS: StaticArray<string> = ['GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE',
  'MKCOL', 'TRACE', 'PATCH', 'LABEL', 'MERGE', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'BDELETE', 'CONNECT',
  'OPTIONS', 'CHECKIN', 'PROPFIND', 'CHECKOUT', 'CCM_POST', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT',
  'MKACTIVITY', 'MKWORKSPACE', 'RPC_CONNECT', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'VERSION-CONTROL', 'BASELINE-CONTROL',
  'SSTP_DUPLEX_POST'];
const NOTIFICATIONS: StaticArray<string> = ['NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE'];

function methodType(p: u32, n: u32): u32 {
  for (let i = 0; i < METHODS.length; i++) {
    const m = unchecked(METHODS[i]);
    if (<u32>m.length == n && matches(p, m)) return MsgType.REQUEST;
  }
  for (let i = 0; i < NOTIFICATIONS.length; i++) {
    const m = unchecked(NOTIFICATIONS[i]);
    if (<u32>m.length == n && matches(p, m)) return MsgType.NOTIFICATION;
  }
  return MsgType.OTHERS;
}

let tokenNext: u32 = 0;

/** A token runs to a blank or a line end; the blanks after it are skipped (tokenNext). */
function tokenLen(p: u32, lineEnd: u32): u32 {
  let q = p;
  while (q < lineEnd && load<u8>(q) != 32 && load<u8>(q) != 13 && load<u8>(q) != 10) q++;
  const n = q - p;
  while (q < lineEnd && load<u8>(q) == 32) q++;
  tokenNext = q;
  return n;
}

/** The port after the URI's first colon, +1 (1 when it is no 16-bit number), or 0 without a colon. */
function uriPort(p: u32, n: u32): u32 {
  let i: u32 = 0;
  while (i < n && load<u8>(p + i) != 58) i++;
  if (i == n) return 0;
  let v: u32 = 0;
  let digits: u32 = 0;
  for (i++; i < n; i++, digits++) {
    const c = <u32>load<u8>(p + i);
    if (c < 48 || c > 57) return 1;
    v = v * 10 + c - 48;
    if (v > 65535) return 1;
  }
  return digits == 0 ? 1 : v + 1;
}

let currentSlot: i32 = -1;

function parseRequestLine(line: u32, lineEnd: u32, slot: i32): void {
  const methodLen = tokenLen(line, lineEnd);
  if (methodLen == 0) return;
  addAscii(F_METHOD, line, methodLen);
  methodIsConnect = methodLen == 7 && matches(line, 'CONNECT');
  let next = tokenNext;
  // Two blanks after the method mean an empty URI.
  if (next - line > 2 && load<u8>(next - 1) == 32 && load<u8>(next - 2) == 32) next--;
  uriP = next;
  uriN = tokenLen(next, lineEnd);
  hasUri = true;
  convSet(slot, W_SAW_REQUEST, 1);
  if (learningAhead()) leaveNote(conversationSerial(slot), NoteTag.HTTP_SAW_REQUEST, 1);
  convSet(slot, W_LAST_WAS_CONNECT, methodIsConnect ? 1 : 0);
  convSet(slot, W_URI_PORT, uriPort(uriP, uriN));
  keepRequestUri(slot, uriP, uriN);
  addAscii(F_URI, uriP, uriN);
  addAscii(F_REQUEST_VERSION, tokenNext, lineEnd - tokenNext);
}

function parseResponseLine(line: u32, lineEnd: u32): void {
  const versionLen = tokenLen(line, lineEnd);
  if (versionLen == 0) return;
  addAscii(F_RESPONSE_VERSION, line, versionLen);
  const codeP = tokenNext;
  if (tokenLen(codeP, lineEnd) < 3) return;
  responseCode = statusCode(codeP);
  convSet(currentSlot, W_LAST_CODE, responseCode);
  addNum(F_CODE, responseCode);
  if (unchecked(wanted[F_CODE_DESC])) {
    const s = scratchBegin();
    putStatusText(responseCode);
    addBytes(F_CODE_DESC, s, scratchEnd(s));
  }
  if (lineEnd > tokenNext) addAscii(F_PHRASE, tokenNext, lineEnd - tokenNext);
}

/** strtoul() of the code's first three characters, as a 32-bit value. */
function statusCode(p: u32): u32 {
  const end = p + 3;
  while (p < end && isSpace(load<u8>(p))) p++;
  let negative = false;
  if (p < end && (load<u8>(p) == 43 || load<u8>(p) == 45)) { negative = load<u8>(p) == 45; p++; }
  let v: u32 = 0;
  while (p < end && load<u8>(p) >= 48 && load<u8>(p) <= 57) { v = v * 10 + (<u32>load<u8>(p) - 48); p++; }
  return negative ? 0 - v : v;
}

function writeInfoStart(): void { if (fenced) infoAppend(); else infoSet(); }

function showLayer(ssdp: bool): void {
  if (!inErrorPacket()) setProtocolColumn(ssdp ? 'SSDP' : 'HTTP');
  beginLayer(ssdp ? PROTO_SSDP : PROTO_HTTP);
  layerOpened = true;
}

function setContinuationInfo(): void {
  if (inErrorPacket()) return;
  writeInfoStart(); puts('Continuation'); infoDone();
}

/**
 * One message starting at `orig` (Wireshark's dissect_http_message).
 * Returns the bytes it takes, or -1 when nothing more is to be read here.
 */
function dissectMessage(orig: u32, end: u32, slot: i32, ssdp: bool): i32 {
  currentSlot = slot;
  if (reportedLength(orig, end) < 1) return -1;
  let p = orig;
  if (reportedLength(orig, end) > 3) {
    if (!has(p, end, 2)) { markTruncated(); return -1; }
    if (load<u8>(p) == 13 && load<u8>(p + 1) == 10) p += 2;
  }
  const seen = convGet(slot, W_SAW_REQUEST) != 0;
  if (!has(p, end, 1)) { markTruncated(); return -1; }
  const first = load<u8>(p);
  if (first < 0x20 || first > 0x7e) {
    // Binary: the rest of a body whose start was in an earlier segment.
    if (seen) { showLayer(ssdp); setContinuationInfo(); dissectData(orig, end); }
    return -1;
  }
  const firstLen = findLineEnd(p, end, true);
  const startsMessage = firstLen >= 0 && classify(p, <u32>firstLen);
  if (startsMessage && !inErrorPacket()) {
    writeInfoStart(); putFormatText(p, <u32>firstLen); putc(32); infoDone();
  } else if (seen) setContinuationInfo();
  let shown = startsMessage || seen;
  if (shown) showLayer(ssdp);

  let type: u32 = MsgType.OTHERS;
  resetHeaders();
  responseCode = 0;
  hasUri = false;
  methodIsConnect = false;
  let sawLine = false;
  while (p < end) {
    const lineLen = <u32>findLineEnd(p, end, false);
    const next = nextLine;
    const isFirstLine = classify(p, lineLen);
    let colon: u32 = 0;
    if (!isFirstLine && lineLen != 0) {
      let q = p;
      while (q < p + lineLen && load<u8>(q) != 58) q++;
      if (q == p + lineLen) {
        // A line that is no header ends the message; at the very end of the
        // segment Wireshark first checks the byte after it, and throws.
        if (sawLine && !has(p, end, lineLen + 1)) { markTruncated(); return -1; }
        break;
      }
      colon = q;
    }
    // The layer, but not the protocol column, for a message whose first line was not seen whole.
    if (!shown) { beginLayer(ssdp ? PROTO_SSDP : PROTO_HTTP); layerOpened = true; shown = true; }
    if (lineLen == 0) { p = next; break; }
    sawLine = true;
    if (isFirstLine) {
      type = lineType;
      if (isResponseLine) parseResponseLine(p, p + lineLen); else parseRequestLine(p, p + lineLen, slot);
    } else processHeader(p, lineLen, next - p, colon, type);
    p = next;
  }
  if (shown) finishMessage(type);

  // How much body follows the headers in this segment.
  let datalen = end - p;
  if (hasContentLength && !hasTransferEncoding) {
    if (<u64>datalen > contentLength) datalen = <u32>contentLength;
  } else if (type == MsgType.REQUEST) {
    if (!hasTransferEncoding) datalen = 0;
  } else if (type == MsgType.RESPONSE) {
    if (responseCode / 100 == 1 || responseCode == 204 || responseCode == 304) datalen = 0;
  }
  if (datalen > 0) {
    const used = dissectBody(p, datalen, shown, ssdp);
    if (used < 0) return -1;
    p += <u32>used;
  }
  return <i32>(p - orig);
}

/** The generated full URI, the request/response/notification flag, and what matching found. */
function finishMessage(type: u32): void {
  if (hasHost && hasUri && (unchecked(wanted[F_FULL_URI]) || unchecked(wanted[F_RESPONSE_FOR_URI]) || learningAhead())) {
    if (startsWithNoCase(uriP, uriN, 'http://') || startsWithNoCase(uriP, uriN, 'https://') || methodIsConnect) {
      addAscii(F_FULL_URI, uriP, uriN);
      keepFullUri(currentSlot, uriP, uriN);
    } else {
      // "http://" + the host with its surrounding blanks removed + the URI.
      let h = hostP, n = hostN;
      while (n > 0 && isSpace(load<u8>(h))) { h++; n--; }
      while (n > 0 && isSpace(load<u8>(h + n - 1))) n--;
      const s = scratchBegin();
      puts('http://'); putRaw(h, n); putRaw(uriP, uriN);
      const len = scratchEnd(s);
      addAscii(F_FULL_URI, s, len);
      keepFullUri(currentSlot, s, len);
    }
  }
  if (type == MsgType.NOTIFICATION) addNum(F_NOTIFICATION, 1);
  else if (type == MsgType.RESPONSE) { addNum(F_RESPONSE, 1); addHttpMatch(currentSlot, true); }
  else if (type == MsgType.REQUEST) { addNum(F_REQUEST, 1); addHttpMatch(currentSlot, false); }
}

function startsWithNoCase(p: u32, n: u32, s: string): bool {
  const k = <u32>s.length;
  if (n < k) return false;
  for (let i: u32 = 0; i < k; i++) {
    let c = <u32>load<u8>(p + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c != <u32>s.charCodeAt(<i32>i)) return false;
  }
  return true;
}

/**
 * Every message of a TCP segment, one after the other: one call of
 * Wireshark's dissector, listed once in frame.protocols however many
 * messages open a layer.
 */
function dissectStream(start: u32, end: u32, slot: i32): void {
  fenced = false;
  layerOpened = false;
  let joined = false;
  let call: i32 = 0;
  let p = start;
  // Each message takes at least one byte, so this ends.
  while (p < end || reportedLength(p, end) > 0) {
    const used = dissectMessage(p, end, slot, false);
    if (layerOpened && !joined) { call = continueSingleCall(PROTO_HTTP); joined = true; }
    if (used <= 0) break;
    p += <u32>used;
    fenced = true;
  }
  if (joined) endSingleCall(call);
}

// Whether a message of the segment opened an HTTP layer (dissectStream).
let layerOpened = false;

export function dissectHttpTcp(start: u32, end: u32): void {
  const slot = findConversation(6, tcpSrcPort, tcpDstPort);
  const reversed = conversationReversed();
  takeUpFirstPass(slot);
  // After CONNECT and a 200, the stream carries what the URI's port names.
  if (convGet(slot, W_LAST_CODE) == 200 && convGet(slot, W_LAST_WAS_CONNECT) != 0 && convGet(slot, W_SAW_REQUEST) != 0) {
    if (convGet(slot, W_TUNNEL_SERVER) == 0) convSet(slot, W_TUNNEL_SERVER, reversed ? 1 : 2);
    const server = convGet(slot, W_TUNNEL_SERVER);
    dissectTunnel(start, end, slot, (server == 1) == !reversed);
    return;
  }
  dissectStream(start, end, slot);
}

function dissectTunnel(start: u32, end: u32, slot: i32, fromServer: bool): void {
  const portPlusOne = convGet(slot, W_URI_PORT);
  if (portPlusOne == 0) return;
  const port = portPlusOne - 1;
  if (isHttpPort(port) || convGet(slot, W_TCP_DISSECTOR) == ConvDissector.HTTP) { dissectData(start, end); return; }
  const src = fromServer ? port : tcpSrcPort;
  const dst = fromServer ? tcpDstPort : port;
  if (!dispatchTcp(src, dst, start, end)) dissectData(start, end);
}

function isHttpPort(port: u32): bool {
  for (let i = 0; i < TCP_PORTS.length; i++) if (unchecked(TCP_PORTS[i]) == port) return true;
  return false;
}

function dissectSsdp(start: u32, end: u32): void {
  fenced = false;
  const slot = findConversation(17, udpSrcPort, udpDstPort);
  takeUpFirstPass(slot);
  dissectMessage(start, end, slot, true);
}

/** Wireshark's HTTP heuristic for TCP: the first line starts or ends with "HTTP/1." (any case). */
function httpHeuristic(start: u32, end: u32): bool {
  const len = findLineEnd(start, end, true);
  if (len < 0 || len == 8) return false;
  // A negative offset counts from the end, as in tvb_strncaseeql.
  const at = <i64>len - 8 < 0 ? <i64>(end - start) + <i64>len - 8 : <i64>len - 8;
  const endsWithVersion = at >= 0 && <i64>(end - start) - at >= 7 && startsWithNoCase(start + <u32>at, 7, 'http/1.');
  if (!endsWithVersion && !startsWithNoCase(start, end - start, 'http/1.')) return false;
  const slot = findConversation(6, tcpSrcPort, tcpDstPort);
  convSet(slot, W_TCP_DISSECTOR, ConvDissector.HTTP);
  dissectHttpTcp(start, end);
  return true;
}

function dissectOwnedStream(start: u32, end: u32): bool {
  dissectHttpTcp(start, end);
  return true;
}

for (let i = 0; i < TCP_PORTS.length; i++) registerTcpPort(unchecked(TCP_PORTS[i]), dissectHttpTcp);
registerUdpPort(1900, dissectSsdp);
registerTcpHeuristic(httpHeuristic);
registerConversationDissector(ConvDissector.HTTP, dissectOwnedStream);
