// RSVP (RFC 2205, RFC 3209) on IP protocol 46 and UDP 3455, as tshark 4.0
// shows it: the message type, then a summary of the last SESSION object and
// of the last SENDER TEMPLATE or FILTER SPEC object, as the info column.  The
// summary objects are found by a walk that stops at the message length, at a
// zero object length or where fewer than 3 bytes are captured; a summary read
// past the captured bytes ends the packet there.  The object walk then takes
// every object whole and stops at a length below 4.  Object bodies are not
// decoded here, only their lengths.
import { protocol, uint } from '../fields';
import { beginItemLayer, addCalled, addNum, setProtocolColumn, markReadPast } from '../packet';
import { registerIpProto, registerUdpPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec, putHexDigits, putIPv4, putIPv6 } from '../text';
import { be16, be32, has, lacks } from '../cursor';

const PROTO_RSVP = protocol('rsvp', 'Resource ReserVation Protocol (RSVP)');
const F_VERSION = uint('rsvp.version', 'RSVP Version', 8);
const F_MSG = uint('rsvp.msg', 'Message Type', 8);
const F_SENDING_TTL = uint('rsvp.sending_ttl', 'Sending TTL', 8);
const F_MESSAGE_LENGTH = uint('rsvp.message_length', 'Message length', 16);
const F_LENGTH = uint('rsvp.length', 'Length', 16);

const MSG_BUNDLE: u32 = 12;
const CLASS_SESSION: u32 = 1;
const CLASS_FILTER_SPEC: u32 = 10;
const CLASS_SENDER_TEMPLATE: u32 = 11;

/** Appends the SESSION summary; false where a read ran past the captured bytes. */
function putSession(p: u32, end: u32): bool {
  if (lacks(p + 3, end, 1)) return false;
  const cType = <u32>load<u8>(p + 3);
  if (cType == 1) {
    if (lacks(p + 4, end, 8)) return false;
    puts('SESSION: IPv4, Destination '); putIPv4(p + 4);
    puts(', Protocol '); putDec(<u32>load<u8>(p + 8));
    puts(', Port '); putDec(be16(p + 10)); puts('. ');
  } else if (cType == 7) {
    if (lacks(p + 4, end, 12)) return false;
    puts('SESSION: IPv4-LSP, Destination '); putIPv4(p + 4);
    puts(', Short Call ID '); putDec(be16(p + 8));
    puts(', Tunnel ID '); putDec(be16(p + 10));
    puts(', Ext ID '); putHexDigits(be32(p + 12), 1); puts('. ');
  } else if (cType == 8) {
    if (lacks(p + 4, end, 36)) return false;
    puts('SESSION: IPv6-LSP, Destination '); putIPv6(p + 4);
    puts(', Short Call ID '); putDec(be16(p + 20));
    puts(', Tunnel ID '); putDec(be16(p + 22));
    puts(', Ext ID ');
    for (let i: u32 = 24; i < 40; i += 4) putHexDigits(be32(p + i), 1);
    puts('. ');
  } else if (cType == 9) {
    if (lacks(p + 4, end, 8)) return false;
    puts('SESSION: IPv4-Aggregate, Destination '); putIPv4(p + 4);
    puts(', DSCP '); putDec(<u32>load<u8>(p + 11)); puts('. ');
  } else if (cType == 11 || cType == 15) {
    if (lacks(p + 4, end, 12)) return false;
    puts(cType == 11 ? 'SESSION: IPv4-UNI, Destination ' : 'SESSION: IPv4-E-NNI, Destination '); putIPv4(p + 4);
    puts(', Tunnel ID '); putDec(be16(p + 10));
    puts(', Ext Address '); putIPv4(p + 12); puts('. ');
  } else if (cType == 13 || cType == 14) {
    if (lacks(p + 4, end, cType == 13 ? 12 : 24)) return false;
    puts(cType == 13 ? 'SESSION: IPv4-P2MP LSP TUNNEL, P2MP ID ' : 'SESSION: IPv6-P2MP LSP TUNNEL, P2MP ID '); putDec(be32(p + 4));
    puts(', Tunnel ID '); putDec(be16(p + 10));
    puts(', Ext Tunnel ');
    if (cType == 13) putIPv4(p + 12); else putIPv6(p + 12);
    puts('. ');
  } else {
    puts('SESSION: Type '); putDec(cType); puts('. ');
  }
  return true;
}

function putTemplate(p: u32, end: u32): bool {
  if (lacks(p + 2, end, 2)) return false;
  const name = <u32>load<u8>(p + 2) == CLASS_FILTER_SPEC ? 'FILTERSPEC' : 'SENDER TEMPLATE';
  const cType = <u32>load<u8>(p + 3);
  puts(name);
  if (cType == 1) {
    if (lacks(p + 4, end, 8)) return false;
    puts(': IPv4, Sender '); putIPv4(p + 4);
    puts(', Port '); putDec(be16(p + 10)); puts('. ');
  } else if (cType == 7) {
    if (lacks(p + 4, end, 8)) return false;
    puts(': IPv4-LSP, Tunnel Source: '); putIPv4(p + 4);
    puts(', Short Call ID: '); putDec(be16(p + 8));
    puts(', LSP ID: '); putDec(be16(p + 10)); puts('. ');
  } else if (cType == 8) {
    if (lacks(p + 4, end, 20)) return false;
    puts(': IPv6-LSP, Tunnel Source: '); putIPv6(p + 4);
    puts(', Short Call ID: '); putDec(be16(p + 20));
    puts(', LSP ID: '); putDec(be16(p + 22)); puts('. ');
  } else if (cType == 9) {
    if (lacks(p + 4, end, 4)) return false;
    puts(': IPv4-Aggregate, Aggregator '); putIPv4(p + 4); puts('. ');
  } else if (cType == 12) {
    if (lacks(p + 4, end, 16)) return false;
    puts(': P2MP_LSP_TUNNEL_IPv4, IPv4 tunnel sender address '); putIPv4(p + 4);
    puts(', LSP ID: '); putDec(be16(p + 10));
    puts(', Sub-Group ID '); putDec(be16(p + 18)); puts('. ');
  } else if (cType == 13) {
    // tshark prints this IPv6 sender address as IPv4, from its first 4 bytes.
    if (lacks(p + 4, end, 38)) return false;
    puts(': P2MP_LSP_TUNNEL_IPv6, IPv6 tunnel sender address '); putIPv4(p + 4);
    puts(', LSP ID: '); putDec(be16(p + 22));
    puts(', Sub-Group ID '); putDec(be16(p + 40)); puts('. ');
  } else {
    puts(': Type '); putDec(cType); puts('. ');
  }
  return true;
}

function dissectRsvp(start: u32, end: u32): void {
  addCalled(PROTO_RSVP); // listed from the call on; the layer opens once its header is read
  setProtocolColumn('RSVP');
  infoSet(); infoDone();
  if (lacks(start + 1, end, 1)) return;
  const messageType = <u32>load<u8>(start + 1);
  infoSet();
  const name = messageType < <u32>MESSAGES.length ? MESSAGES[messageType] : '';
  if (name.length) puts(name); else { puts('Unknown ('); putDec(messageType); puts('). '); }
  infoDone();
  if (messageType == MSG_BUNDLE) {
    infoSet(); puts('Component Messages Dissected'); infoDone();
    beginItemLayer(PROTO_RSVP);
    messageTree(start, end, 0);
    return;
  }
  let sessionAt: u32 = 0;
  let templateAt: u32 = 0;
  if (has(start + 6, end, 2)) {
    const length = be16(start + 6);
    let off: u32 = 8;
    while (off < length && has(start + off, end, 3)) {
      const objLength = be16(start + off);
      if (objLength == 0) break;
      const cls = <u32>load<u8>(start + off + 2);
      if (cls == CLASS_SESSION) sessionAt = off;
      else if (cls == CLASS_SENDER_TEMPLATE || cls == CLASS_FILTER_SPEC) templateAt = off;
      off += objLength;
    }
  }
  if (sessionAt) {
    infoAppend(); const ok = putSession(start + sessionAt, end); infoDone();
    if (!ok) return;
  }
  if (templateAt) {
    infoAppend(); const ok = putTemplate(start + templateAt, end); infoDone();
    if (!ok) return;
  }
  beginItemLayer(PROTO_RSVP);
  messageTree(start, end, 0);
}

/** The header fields and object lengths of one message; a bundle's component messages each in turn. */
function messageTree(start: u32, end: u32, depth: u32): void {
  if (lacks(start, end, 8)) return;
  const messageType = <u32>load<u8>(start + 1);
  const msgLength = be16(start + 6);
  addNum(F_VERSION, <u32>load<u8>(start) >> 4);
  addNum(F_MSG, messageType);
  addNum(F_SENDING_TTL, <u32>load<u8>(start + 4));
  addNum(F_MESSAGE_LENGTH, msgLength);
  if (messageType == MSG_BUNDLE) {
    // A component shorter than its 8-byte header ends the walk with a read past it, so each step moves on.
    for (let off: u32 = 8; off < msgLength; ) {
      if (lacks(start + off + 6, end, 2)) return;
      const subLength = be16(start + off + 6);
      const subStart = start + off;
      const subEnd = end - subStart < subLength ? end : subStart + subLength;
      if (subLength < 8 || depth >= 8) { markReadPast(subEnd, subStart + 8); return; }
      messageTree(subStart, subEnd, depth + 1);
      off += subLength;
    }
    return;
  }
  let offset: u32 = 8;
  while (offset < msgLength) {
    if (lacks(start + offset, end, 4)) return;
    const objLength = be16(start + offset);
    addNum(F_LENGTH, objLength);
    if (objLength < 4) return;
    // Every object body is read up to the object's end.
    if (lacks(start + offset, end, objLength)) return;
    offset += objLength;
  }
}

const MESSAGES: StaticArray<string> = ['', 'PATH Message. ', 'RESV Message. ', 'PATH ERROR Message. ', 'RESV ERROR Message. ',
  'PATH TEAR Message. ', 'RESV TEAR Message. ', 'CONFIRM Message. ', '', '', 'RESV TEAR CONFIRM Message. ', '',
  'BUNDLE Message. ', 'ACK Message. ', '', 'SREFRESH Message. ', '', '', '', '', 'HELLO Message. ', 'NOTIFY Message. '];

registerIpProto(46, dissectRsvp);
registerUdpPort(3455, dissectRsvp);
