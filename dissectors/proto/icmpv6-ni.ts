// ICMPv6 node information queries and replies (RFC 4620).  Names (the DNS
// name subject and node name replies) are not decoded.
import { uint, flag, ipv6, ipv4, Base } from '../fields';
import { addNum, addBytes, markTruncated } from '../packet';
import { u16at, u32at, has } from '../cursor';
// Imported for its side effect: the ICMPv6 protocol is declared there, before these fields.
import './icmpv6-nd';

const F_QTYPE = uint('icmpv6.ni.qtype', 'Qtype', 16);
const F_FLAG = uint('icmpv6.ni.flag', 'Flags', 16, Base.HEX);
const F_FLAG_G = flag('icmpv6.ni.flag.g', 'Global-scope addresses');
const F_FLAG_S = flag('icmpv6.ni.flag.s', 'Site-local addresses');
const F_FLAG_L = flag('icmpv6.ni.flag.l', 'Link-local addresses');
const F_FLAG_C = flag('icmpv6.ni.flag.c', 'Compression');
const F_FLAG_A = flag('icmpv6.ni.flag.a', 'Unicast Addresses');
const F_FLAG_T = flag('icmpv6.ni.flag.t', 'Truncated');
const F_FLAG_RSV = uint('icmpv6.ni.flag.rsv', 'Reserved', 16, Base.HEX);
const F_NONCE = uint('icmpv6.ni.nonce', 'Nonce', 64, Base.HEX);
const F_SUBJECT_IPV6 = ipv6('icmpv6.ni.query.subject_ipv6', 'IPv6 subject address');
const F_SUBJECT_IPV4 = ipv4('icmpv6.ni.query.subject_ipv4', 'IPv4 subject address');
const F_NODE_TTL = uint('icmpv6.ni.reply.node_ttl', 'TTL');
const F_NODE_ADDRESS = ipv6('icmpv6.ni.reply.node_address', 'IPv6 Node address');
const F_IPV4_ADDRESS = ipv4('icmpv6.ni.reply.ipv4_address', 'IPv4 Node address');

const QUERY: u32 = 139;
const QTYPE_NODE_ADDRESSES: u32 = 3, QTYPE_IPV4_ADDRESSES: u32 = 4;

/** The body after the ICMPv6 checksum of a query (139) or reply (140). */
export function dissectNodeInformation(p: u32, end: u32, type: u32, code: u32): void {
  if (!has(p, end, 2)) { markTruncated(); return; }
  const qtype = u16at(p, end);
  addNum(F_QTYPE, qtype);
  if (!has(p, end, 4)) { markTruncated(); return; }
  const flags = u16at(p + 2, end);
  addNum(F_FLAG, flags);
  addNum(F_FLAG_G, (flags >> 5) & 1);
  addNum(F_FLAG_S, (flags >> 4) & 1);
  addNum(F_FLAG_L, (flags >> 3) & 1);
  addNum(F_FLAG_C, (flags >> 2) & 1);
  addNum(F_FLAG_A, (flags >> 1) & 1);
  addNum(F_FLAG_T, flags & 1);
  addNum(F_FLAG_RSV, flags >> 6);
  if (!has(p, end, 12)) { markTruncated(); return; }
  addNum(F_NONCE, (<u64>u32at(p + 4, end) << 32) | <u64>u32at(p + 8, end));
  const data = p + 12;
  if (type == QUERY) {
    if (code == 0) {
      if (!has(data, end, 16)) { markTruncated(); return; }
      addBytes(F_SUBJECT_IPV6, data, 16);
    } else if (code == 2) {
      if (!has(data, end, 4)) { markTruncated(); return; }
      addBytes(F_SUBJECT_IPV4, data, 4);
    }
    return;
  }
  if (code != 0) return;
  // Replies list (TTL, address) pairs to the end of the message.
  const addressLen: u32 = qtype == QTYPE_NODE_ADDRESSES ? 16 : qtype == QTYPE_IPV4_ADDRESSES ? 4 : 0;
  if (addressLen == 0) return;
  for (let a = data; a < end; a += 4 + addressLen) {
    if (!has(a, end, 4)) { markTruncated(); return; }
    addNum(F_NODE_TTL, u32at(a, end));
    if (!has(a + 4, end, addressLen)) { markTruncated(); return; }
    addBytes(addressLen == 16 ? F_NODE_ADDRESS : F_IPV4_ADDRESS, a + 4, addressLen);
  }
}
