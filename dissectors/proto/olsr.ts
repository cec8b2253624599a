// OLSR v1 (RFC 3626) on UDP 698, as tshark 4.0 shows it: the info column
// names the address family of the IP header and the packet length field.  A
// length field past the datagram (or fewer than 4 bytes) rewrites the info
// column and then declines, leaving the payload to UDP.  The message walk
// stops at a message shorter than its header, or one running past the packet
// length; each message is read whole before its header fields, and the
// bodies are not decoded here.
import { protocol, uint, ipv4, ipv6 } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast, reportedLength, srcKind, AddrKind } from '../packet';
import { registerUdpPortTry } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { be16, has } from '../cursor';

const PROTO_OLSR = protocol('olsr', 'Optimized Link State Routing Protocol');
const F_PACKET_LEN = uint('olsr.packet_len', 'Packet Length', 16);
const F_PACKET_SEQ = uint('olsr.packet_seq_num', 'Packet Sequence Number', 16);
const F_MESSAGE_TYPE = uint('olsr.message_type', 'Message Type', 8);
const F_MESSAGE_SIZE = uint('olsr.message_size', 'Message', 16);
const F_ORIGIN = ipv4('olsr.origin_addr', 'Originator Address');
const F_ORIGIN6 = ipv6('olsr.origin6_addr', 'Originator Address');
const F_TTL = uint('olsr.ttl', 'TTL', 8);
const F_HOP_COUNT = uint('olsr.hop_count', 'Hop Count', 8);
const F_MESSAGE_SEQ = uint('olsr.message_seq_num', 'Message Sequence Number', 16);

function putTooShort(length: u32): void {
  infoSet();
  puts('OLSR Packet,  Length: '); putDec(length); puts(' Bytes (not enough data in packet)');
  infoDone();
}

function dissectOlsr(start: u32, end: u32): bool {
  if (!has(start, end, 4)) { putTooShort(end - start); return false; }
  const packetLen = be16(start);
  const reported = reportedLength(start, end);
  if (packetLen > reported) { putTooShort(packetLen); return false; }
  setProtocolColumn('OLSR v1');
  infoSet();
  if (srcKind == AddrKind.IPV4) puts('OLSR (IPv4) Packet,  Length: ');
  else if (srcKind == AddrKind.IPV6) puts('OLSR (IPv6) Packet,  Length: ');
  else puts('OLSR (unknown address type) Packet,  Length: ');
  putDec(packetLen); puts(' Bytes');
  infoDone();
  if (srcKind != AddrKind.IPV4 && srcKind != AddrKind.IPV6) return true;
  const addrLen: u32 = srcKind == AddrKind.IPV4 ? 4 : 16;
  beginLayer(PROTO_OLSR);
  addNum(F_PACKET_LEN, packetLen);
  addNum(F_PACKET_SEQ, be16(start + 2));
  let offset: u32 = 4;
  while (offset < packetLen) {
    if (packetLen - offset < 4) break;
    const p = start + offset;
    if (!has(p, end, 4)) { markReadPast(end, p + 4); return true; }
    const messageType = <u32>load<u8>(p);
    const messageLen = be16(p + 2);
    // The message item takes its bytes whole, in every tree.
    if (!has(p, end, messageLen)) { markReadPast(end, p + messageLen); return true; }
    addNum(F_MESSAGE_TYPE, messageType);
    addNum(F_MESSAGE_SIZE, messageLen);
    if (messageLen < 8 + addrLen) break;
    const messageEnd = offset + messageLen;
    if (messageEnd > packetLen) break;
    addNum(addrLen == 4 ? F_ORIGIN : F_ORIGIN6, p + 4);
    const q = p + 4 + addrLen;
    addNum(F_TTL, <u32>load<u8>(q));
    addNum(F_HOP_COUNT, <u32>load<u8>(q + 1));
    addNum(F_MESSAGE_SEQ, be16(q + 2));
    offset = messageEnd;
  }
  return true;
}

registerUdpPortTry(698, dissectOlsr);
