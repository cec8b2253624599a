// Ad hoc On-demand Distance Vector routing (RFC 3561, and the IPv6 messages
// of draft-perkins-manet-aodv6-01) on UDP 654, as tshark 4.0 shows it: a
// datagram whose first byte is no known message type is not AODV (but
// keeps the columns tshark changed before it looked).  The info
// column grows as each address and number is read ("Route Reply, D: ..., O:
// ... Hcnt=1 DSN=2 Lifetime=3"), so a message cut short keeps what was read.
// RFC 3561 messages carry IPv6 addresses over IPv6.  Unreachable destinations
// and extension values are read by tshark only into its tree: they become
// fields while the capture holds them but never mark a line; the extension
// headers, which it reads in any case, can.
import { protocol, uint, ipv4, ipv6, flag } from '../fields';
import { beginLayer, addNum, setProtocolColumn, srcKind, AddrKind, reportedLength } from '../packet';
import { registerUdpPortTry } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec, putIPv4, putIPv6 } from '../text';
import { has, lacks, u8at, u32at } from '../cursor';

const PROTO_AODV = protocol('aodv', 'Ad hoc On-demand Distance Vector Routing Protocol');
const F_TYPE = uint('aodv.type', 'Type', 8);
const F_RREQ_JOIN = flag('aodv.flags.rreq_join', 'RREQ Join');
const F_RREP_REPAIR = flag('aodv.flags.rrep_repair', 'RREP Repair');
const F_PREFIX_SZ = uint('aodv.prefix_sz', 'Prefix Size', 8);
const F_HOPCOUNT = uint('aodv.hopcount', 'Hop Count', 8);
const F_RREQ_ID = uint('aodv.rreq_id', 'RREQ Id');
const F_DEST_IP = ipv4('aodv.dest_ip', 'Destination IP');
const F_DEST_IPV6 = ipv6('aodv.dest_ipv6', 'Destination IPv6');
const F_DEST_SEQNO = uint('aodv.dest_seqno', 'Destination Sequence Number');
const F_ORIG_IP = ipv4('aodv.orig_ip', 'Originator IP');
const F_ORIG_IPV6 = ipv6('aodv.orig_ipv6', 'Originator IPv6');
const F_ORIG_SEQNO = uint('aodv.orig_seqno', 'Originator Sequence Number');
const F_LIFETIME = uint('aodv.lifetime', 'Lifetime');
const F_DESTCOUNT = uint('aodv.destcount', 'Destination Count', 8);
const F_UNREACH_IP = ipv4('aodv.unreach_dest_ip', 'Unreachable Destination IP');
const F_UNREACH_IPV6 = ipv6('aodv.unreach_dest_ipv6', 'Unreachable Destination IPv6');
const F_EXT_TYPE = uint('aodv.ext_type', 'Extension Type', 8);
const F_EXT_LENGTH = uint('aodv.ext_length', 'Extension Length', 8);

const AODV_PORT: u32 = 654;
const enum Type { RREQ = 1, RREP = 2, RERR = 3, RREP_ACK = 4, V6_RREQ = 16, V6_RREP = 17, V6_RERR = 18, V6_RREP_ACK = 19 }
const IPV6_LEN: u32 = 16;

function typeName(type: u32): string {
  switch (type) {
    case Type.RREQ: return 'Route Request';
    case Type.RREP: return 'Route Reply';
    case Type.RERR: return 'Route Error';
    case Type.RREP_ACK: return 'Route Reply Acknowledgment';
    case Type.V6_RREQ: return 'draft-perkins-manet-aodv6-01 IPv6 Route Request';
    case Type.V6_RREP: return 'draft-perkins-manet-aodv6-01 IPv6 Route Reply';
    case Type.V6_RERR: return 'draft-perkins-manet-aodv6-01 IPv6 Route Error';
    case Type.V6_RREP_ACK: return 'draft-perkins-manet-aodv6-01 IPv6 Route Reply Acknowledgment';
    default: return '';
  }
}

function dissectAodv(start: u32, end: u32): bool {
  // tshark names the protocol and clears the info column before it looks at the type, and leaves them so
  // when it then declines the datagram: an unknown type shows as AODV with an empty info column.
  setProtocolColumn('AODV');
  infoSet(); infoDone();
  if (lacks(start, end, 1)) return true;
  const type = <u32>load<u8>(start);
  const name = typeName(type);
  if (name.length == 0) return false;
  beginLayer(PROTO_AODV);
  addNum(F_TYPE, type);
  infoSet(); puts(name); infoDone();
  const v6 = srcKind == AddrKind.IPV6;
  switch (type) {
    case Type.RREQ: dissectRequest(start, end, v6); break;
    case Type.RREP: dissectReply(start, end, v6); break;
    case Type.RERR: dissectError(start, end, v6, false); break;
    case Type.V6_RERR: dissectError(start, end, true, true); break;
    case Type.V6_RREQ: dissectDraftRequest(start, end); break;
    case Type.V6_RREP: dissectDraftReply(start, end); break;
    default: break;
  }
  return true;
}

/** An address of 4 or 16 bytes at p as a field and as ", D: addr" (or O:) in the info column; false past the capture. */
function address(p: u32, end: u32, v6: bool, f4: u32, f6: u32, label: string): bool {
  if (lacks(p, end, v6 ? IPV6_LEN : 4)) return false;
  addNum(v6 ? f6 : f4, p);
  infoAppend(); puts(label); if (v6) putIPv6(p); else putIPv4(p); infoDone();
  return true;
}

function word(p: u32, end: u32, f: u32): bool {
  if (lacks(p, end, 4)) return false;
  addNum(f, u32at(p, end));
  return true;
}

function dissectRequest(start: u32, end: u32, v6: bool): void {
  if (lacks(start + 1, end, 1)) return;
  addNum(F_RREQ_JOIN, (u8at(start + 1, end) & 0x80) != 0);
  if (lacks(start + 3, end, 1)) return;
  const hops = u8at(start + 3, end);
  addNum(F_HOPCOUNT, hops);
  if (!word(start + 4, end, F_RREQ_ID)) return;
  const p = destinationAndOriginator(start + 8, end, v6);
  if (p == 0 || !word(p, end, F_ORIG_SEQNO)) return;
  requestNumbers(u32at(start + 4, end), hops, u32at(start + 8 + addressLength(v6), end), u32at(p, end));
  dissectExtensions(start, p + 4, end);
}

function dissectReply(start: u32, end: u32, v6: bool): void {
  if (lacks(start + 1, end, 3)) return;
  addNum(F_RREP_REPAIR, (u8at(start + 1, end) & 0x80) != 0);
  addNum(F_PREFIX_SZ, u8at(start + 2, end) & 0x1f);
  const hops = u8at(start + 3, end);
  addNum(F_HOPCOUNT, hops);
  const p = destinationAndOriginator(start + 4, end, v6);
  if (p == 0 || !word(p, end, F_LIFETIME)) return;
  replyNumbers(hops, u32at(start + 4 + addressLength(v6), end), u32at(p, end));
  dissectExtensions(start, p + 4, end);
}

@inline function addressLength(v6: bool): u32 { return v6 ? IPV6_LEN : 4; }

/** RFC 3561's destination, its sequence number and the originator from p; where they end, 0 past the capture. */
function destinationAndOriginator(p: u32, end: u32, v6: bool): u32 {
  if (!address(p, end, v6, F_DEST_IP, F_DEST_IPV6, ', D: ')) return 0;
  p += addressLength(v6);
  if (!word(p, end, F_DEST_SEQNO)) return 0;
  p += 4;
  if (!address(p, end, v6, F_ORIG_IP, F_ORIG_IPV6, ', O: ')) return 0;
  return p + addressLength(v6);
}

function requestNumbers(id: u32, hops: u32, destSeq: u32, origSeq: u32): void {
  infoAppend();
  puts(' Id='); putDec(id); puts(' Hcnt='); putDec(hops);
  puts(' DSN='); putDec(destSeq); puts(' OSN='); putDec(origSeq);
  infoDone();
}

function replyNumbers(hops: u32, destSeq: u32, lifetime: u32): void {
  infoAppend();
  puts(' Hcnt='); putDec(hops); puts(' DSN='); putDec(destSeq); puts(' Lifetime='); putDec(lifetime);
  infoDone();
}

/** RFC 3561's error (`draft` false: address, then sequence number) or the draft's (sequence number first, IPv6). */
function dissectError(start: u32, end: u32, v6: bool, draft: bool): void {
  const alen = addressLength(v6 || draft);
  if (lacks(start + 1, end, 1)) return;
  if (lacks(start + 3, end, 1)) return;
  const count = u8at(start + 3, end);
  addNum(F_DESTCOUNT, count);
  infoAppend(); puts(', Dest Count='); putDec(count); infoDone();
  // The unreachable destinations are read only into tshark's tree: fields while they last, no mark.
  let p = start + 4;
  for (let i: u32 = 0; i < count; i++) {
    if (draft) {
      if (!has(p, end, 4)) return;
      addNum(F_DEST_SEQNO, u32at(p, end));
      if (!has(p + 4, end, IPV6_LEN)) return;
      addNum(F_UNREACH_IPV6, p + 4);
    } else {
      if (!has(p, end, alen)) return;
      addNum(v6 ? F_UNREACH_IPV6 : F_UNREACH_IP, p);
      if (!has(p + alen, end, 4)) return;
      addNum(F_DEST_SEQNO, u32at(p + alen, end));
    }
    p += alen + 4;
  }
}

/** The draft's IPv6 request: the numbers first, then the two addresses. */
function dissectDraftRequest(start: u32, end: u32): void {
  if (lacks(start + 1, end, 1)) return;
  addNum(F_RREQ_JOIN, (u8at(start + 1, end) & 0x80) != 0);
  if (lacks(start + 3, end, 1)) return;
  const hops = u8at(start + 3, end);
  addNum(F_HOPCOUNT, hops);
  if (!word(start + 4, end, F_RREQ_ID) || !word(start + 8, end, F_DEST_SEQNO) || !word(start + 12, end, F_ORIG_SEQNO)) return;
  if (!address(start + 16, end, true, F_DEST_IP, F_DEST_IPV6, ', D: ')) return;
  if (!address(start + 32, end, true, F_ORIG_IP, F_ORIG_IPV6, ', O: ')) return;
  requestNumbers(u32at(start + 4, end), hops, u32at(start + 8, end), u32at(start + 12, end));
  dissectExtensions(start, start + 48, end);
}

function dissectDraftReply(start: u32, end: u32): void {
  if (lacks(start + 1, end, 3)) return;
  addNum(F_RREP_REPAIR, (u8at(start + 1, end) & 0x80) != 0);
  addNum(F_PREFIX_SZ, u8at(start + 2, end) & 0x7f);
  const hops = u8at(start + 3, end);
  addNum(F_HOPCOUNT, hops);
  if (!word(start + 4, end, F_DEST_SEQNO)) return;
  if (!address(start + 8, end, true, F_DEST_IP, F_DEST_IPV6, ', D: ')) return;
  if (!address(start + 24, end, true, F_ORIG_IP, F_ORIG_IPV6, ', O: ')) return;
  if (!word(start + 40, end, F_LIFETIME)) return;
  replyNumbers(hops, u32at(start + 4, end), u32at(start + 40, end));
  dissectExtensions(start, start + 44, end);
}

/** Type-length extensions up to the datagram's end on the wire; one of length 0 ends them. */
function dissectExtensions(start: u32, p: u32, end: u32): void {
  const wireEnd = start + reportedLength(start, end);
  while (p < wireEnd) {
    if (lacks(p, end, 2)) return;
    const type = u8at(p, end);
    const length = u8at(p + 1, end);
    // tshark's tree gives each extension an item of its whole length: one running past the capture has no fields.
    if (has(p, end, 2 + length)) {
      addNum(F_EXT_TYPE, type);
      addNum(F_EXT_LENGTH, length);
    }
    if (length == 0) return;
    // The hello interval is read as a number whatever the tree.
    if (type == 2 && lacks(p + 2, end, 4)) return;
    p += 2 + length;
  }
}

registerUdpPortTry(AODV_PORT, dissectAodv);
