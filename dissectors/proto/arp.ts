// Address Resolution Protocol (RFC 826) and its RARP / DRARP / InARP / MARS
// opcodes (0x0806, 0x8035).  Addresses print as MAC / IPv4 only when the
// hardware and protocol types and sizes say so, as in Wireshark; otherwise
// they are raw bytes.
import { protocol, uint, flag, ether, ipv4, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, markMalformed, bytesCutAfter, reportedLength, setDatagramEnd } from '../packet';
import { u16at, u8at, has } from '../cursor';
import { registerEthertype } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { checkBinding, duplicateFrame, duplicateSeconds } from './arp-bindings';
import { puts, putDec, putHex, putIPv4, putIPv6, putEther, putHexBytes } from '../text';

const PROTO_ARP = protocol('arp', 'Address Resolution Protocol');
const F_HW_TYPE = uint('arp.hw.type', 'Hardware type', 16);
const F_PROTO_TYPE = uint('arp.proto.type', 'Protocol type', 16, Base.HEX);
const F_HW_SIZE = uint('arp.hw.size', 'Hardware size', 8);
const F_PROTO_SIZE = uint('arp.proto.size', 'Protocol size', 8);
const F_OPCODE = uint('arp.opcode', 'Opcode', 16);
const F_IS_GRATUITOUS = flag('arp.isgratuitous', 'Is gratuitous');
const F_IS_PROBE = flag('arp.isprobe', 'Is probe');
const F_IS_ANNOUNCEMENT = flag('arp.isannouncement', 'Is announcement');
const F_SRC_HW = bytes('arp.src.hw', 'Sender hardware address');
const F_SRC_HW_MAC = ether('arp.src.hw_mac', 'Sender MAC address');
const F_SRC_PROTO = bytes('arp.src.proto', 'Sender protocol address');
const F_SRC_PROTO_IPV4 = ipv4('arp.src.proto_ipv4', 'Sender IP address');
const F_DST_HW = bytes('arp.dst.hw', 'Target hardware address');
const F_DST_HW_MAC = ether('arp.dst.hw_mac', 'Target MAC address');
const F_DST_PROTO = bytes('arp.dst.proto', 'Target protocol address');
const F_DST_PROTO_IPV4 = ipv4('arp.dst.proto_ipv4', 'Target IP address');
const F_DRARP_ERROR = uint('arp.dst.drarp_error_status', 'DRARP error status', 16);
const F_DUPLICATE_FRAME = uint('arp.duplicate-address-frame', 'Frame showing earlier use of IP address');
const F_DUPLICATE_SECONDS = uint('arp.seconds-since-duplicate-address-frame', 'Seconds since earlier frame seen');

// Opcodes (RFC 826, 903, 1931, 2390, 2022, 2225, 5494).
const OP_REQUEST: u32 = 1, OP_REPLY: u32 = 2, OP_RREQUEST: u32 = 3, OP_RREPLY: u32 = 4;
const OP_DRARP_REQUEST: u32 = 5, OP_DRARP_REPLY: u32 = 6, OP_DRARP_ERROR: u32 = 7;
const OP_IREQUEST: u32 = 8, OP_IREPLY: u32 = 9, OP_ATMARP_NAK: u32 = 10;
const OP_MARS_FIRST: u32 = 11, OP_MARS_LAST: u32 = 22, OP_MAPOS_UNARP: u32 = 23, OP_EXP1: u32 = 24, OP_EXP2: u32 = 25;

const HEADER_LEN: u32 = 8;
const ARPHRD_ATM2225: u32 = 19;
const ATMARP_HEADER_LEN: u32 = 12;

// The packet being dissected, for the address helpers.
let hwType: u32 = 0;
let protoType: u32 = 0;
let hwLen: u32 = 0;
let protoLen: u32 = 0;

@inline function hwIsEther(): bool { return (hwType == 1 || hwType == 6) && hwLen == 6; }
@inline function protoIsIPv4(): bool { return (protoType == 0x0800 || protoType == 0xcc) && protoLen == 4; }

export function dissectArp(start: u32, end: u32): void {
  setProtocolColumn('ARP');
  infoSet(); infoDone();
  if (!has(start, end, 2)) { markTruncated(); return; }
  hwType = u16at(start, end);
  if (hwType == ARPHRD_ATM2225) { dissectAtmArp(start, end); return; }
  beginLayer(PROTO_ARP);
  addNum(F_HW_TYPE, hwType);
  if (!has(start, end, 4)) { markTruncated(); return; }
  protoType = u16at(start + 2, end);
  addNum(F_PROTO_TYPE, protoType);
  if (!has(start, end, 5)) { markTruncated(); return; }
  hwLen = u8at(start + 4, end);
  addNum(F_HW_SIZE, hwLen);
  if (!has(start, end, 6)) { markTruncated(); return; }
  protoLen = u8at(start + 5, end);
  addNum(F_PROTO_SIZE, protoLen);
  if (!has(start, end, 8)) { markTruncated(); return; }
  const op = u16at(start + 6, end);
  addNum(F_OPCODE, op);
  setProtocolColumn(protocolName(op));

  const sha = start + HEADER_LEN;
  const spa = sha + hwLen;
  const tha = spa + protoLen;
  const tpa = tha + hwLen;
  const packetEnd = tpa + protoLen;
  // tshark first cuts the packet to its declared size, which fails (as a
  // malformed packet) if even the uncaptured frame was shorter.
  if (packetEnd - start > end - start + bytesCutAfter(end)) { markMalformed(); return; }
  // What follows the declared size is the carrier's trailer.
  if (packetEnd - start < reportedLength(start, end)) setDatagramEnd(start, packetEnd);
  if (end - start > packetEnd - start) end = packetEnd;
  // Then the info column reads some addresses: past the captured bytes, no address field is shown.
  if (!has(start, end, infoReadEnd(op, sha, spa, tha, packetEnd) - start)) { markTruncated(); return; }

  let gratuitous = false, announcement = false, probe = false;
  if (op == OP_REQUEST || op == OP_REPLY) {
    // tvb_memeql with a zero length says "different" in tshark.
    gratuitous = protoLen > 0 && memory.compare(spa, tpa, protoLen) == 0;
    const thaZero = has(tha, end, 6) && isZero(tha, 6);
    if (op == OP_REQUEST && thaZero) {
      if (gratuitous) announcement = true;
      else if (has(spa, end, 4)) probe = isZero(spa, 4);
      else { markTruncated(); return; }
    }
  }
  writeInfo(op, sha, spa, tha, tpa, gratuitous, announcement, probe);
  const duplicate = (op == OP_REQUEST || op == OP_REPLY) && hwIsEther() && protoIsIPv4() && checkDuplicates(op, sha, spa, tha, tpa);

  if (gratuitous) addNum(F_IS_GRATUITOUS, 1);
  if (probe) addNum(F_IS_PROBE, 1);
  if (announcement) addNum(F_IS_ANNOUNCEMENT, 1);
  // Each address is shown only if all its bytes were captured.
  if (hwLen != 0) {
    if (!has(sha, end, hwLen)) { markTruncated(); return; }
    addBytes(hwIsEther() ? F_SRC_HW_MAC : F_SRC_HW, sha, hwLen);
  }
  if (protoLen != 0) {
    if (!has(spa, end, protoLen)) { markTruncated(); return; }
    addBytes(protoIsIPv4() ? F_SRC_PROTO_IPV4 : F_SRC_PROTO, spa, protoLen);
  }
  if (hwLen != 0) {
    if (!has(tha, end, hwLen)) { markTruncated(); return; }
    addBytes(hwIsEther() ? F_DST_HW_MAC : F_DST_HW, tha, hwLen);
  }
  if (protoLen != 0) {
    if (op == OP_DRARP_ERROR) { addNum(F_DRARP_ERROR, u8at(tpa, end)); return; }
    if (!has(tpa, end, protoLen)) { markTruncated(); return; }
    addBytes(protoIsIPv4() ? F_DST_PROTO_IPV4 : F_DST_PROTO, tpa, protoLen);
  }
  if (duplicate) {
    addNum(F_DUPLICATE_FRAME, duplicateFrame);
    addNum(F_DUPLICATE_SECONDS, <u64>duplicateSeconds);
  }
}

/**
 * Wireshark's duplicate address check on a request or reply: the sender's
 * binding, then (not in a request) the target's, each only for a unicast,
 * non-zero MAC and a non-zero address.  As there, the target's check decides
 * when it runs; the info column names the last address found duplicated.
 */
function checkDuplicates(op: u32, sha: u32, spa: u32, tha: u32, tpa: u32): bool {
  let detected = false;
  let duplicate: u32 = 0;
  if (bindable(sha, spa)) {
    detected = checkBinding(sha, spa);
    if (detected) duplicate = spa;
  }
  if (op != OP_REQUEST && bindable(tha, tpa)) {
    detected = checkBinding(tha, tpa);
    if (detected) duplicate = tpa;
  }
  if (detected) { infoAppend(); puts(' (duplicate use of '); putProtoAddress(duplicate); puts(' detected!)'); infoDone(); }
  return detected;
}

function bindable(mac: u32, ip: u32): bool {
  return (load<u8>(mac) & 1) == 0 && !isZero(mac, 6) && load<u32>(ip) != 0;
}

/** Where the addresses tshark reads for the info column (and its gratuitous check) end. */
function infoReadEnd(op: u32, sha: u32, spa: u32, tha: u32, packetEnd: u32): u32 {
  if (op == OP_REQUEST || op == OP_REPLY || op == OP_RREPLY || op == OP_DRARP_REPLY) return packetEnd;
  if (op == OP_RREQUEST || op == OP_IREQUEST || op == OP_DRARP_REQUEST) return tha + hwLen;
  if (op == OP_IREPLY || (op >= OP_MARS_FIRST && op <= OP_MAPOS_UNARP)) return spa + protoLen;
  return sha;
}

function isZero(p: u32, n: u32): bool {
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) != 0) return false;
  return true;
}

function protocolName(op: u32): string {
  if (op == OP_RREQUEST || op == OP_RREPLY) return 'RARP';
  if (op >= OP_DRARP_REQUEST && op <= OP_DRARP_ERROR) return 'DRARP';
  if (op == OP_IREQUEST || op == OP_IREPLY) return 'Inverse ARP';
  if (op >= OP_MARS_FIRST && op <= OP_MARS_LAST) return 'MARS';
  if (op == OP_MAPOS_UNARP) return 'MAPOS';
  return 'ARP';
}

function putHwAddress(p: u32): void {
  if (hwLen == 0) puts('<No address>');
  else if (hwIsEther()) putEther(p);
  else putHexBytes(p, hwLen);
}

function putProtoAddress(p: u32): void {
  if (protoLen == 0) puts('<No address>');
  else if (protoIsIPv4()) putIPv4(p);
  else if (protoType == 0x86dd && protoLen == 16) putIPv6(p);
  else putHexBytes(p, protoLen);
}

const MARS_VERBS: StaticArray<string> = [
  'MARS request', 'MARS MULTI request', 'MARS MSERV request', 'MARS JOIN request',
  'MARS LEAVE', 'MARS NAK', 'MARS UNSERV request', 'MARS SJOIN request',
  'MARS SLEAVE', 'MARS grouplist request', 'MARS grouplist reply', 'MARS redirect map',
];

function writeInfo(op: u32, sha: u32, spa: u32, tha: u32, tpa: u32, gratuitous: bool, announcement: bool, probe: bool): void {
  infoSet();
  if (op == OP_REQUEST) {
    if (announcement) { puts('ARP Announcement for '); putProtoAddress(tpa); }
    else if (gratuitous) { puts('Gratuitous ARP for '); putProtoAddress(tpa); puts(' (Request)'); }
    else if (probe) { puts('Who has '); putProtoAddress(tpa); puts('? (ARP Probe)'); }
    else { puts('Who has '); putProtoAddress(tpa); puts('? Tell '); putProtoAddress(spa); }
  } else if (op == OP_REPLY) {
    if (gratuitous) { puts('Gratuitous ARP for '); putProtoAddress(spa); puts(' (Reply)'); }
    else { putProtoAddress(spa); puts(' is at '); putHwAddress(sha); }
  } else if (op == OP_RREQUEST || op == OP_IREQUEST || op == OP_DRARP_REQUEST) {
    puts('Who is '); putHwAddress(tha); puts('? Tell '); putHwAddress(sha);
  } else if (op == OP_RREPLY || op == OP_DRARP_REPLY) {
    putHwAddress(tha); puts(' is at '); putProtoAddress(tpa);
  } else if (op == OP_DRARP_ERROR) {
    puts('DRARP Error');
  } else if (op == OP_IREPLY) {
    putHwAddress(sha); puts(' is at '); putProtoAddress(spa);
  } else if (op == OP_ATMARP_NAK) {
    puts('ARP NAK');
  } else if (op >= OP_MARS_FIRST && op <= OP_MAPOS_UNARP) {
    puts(op == OP_MAPOS_UNARP ? 'MAPOS UNARP request' : MARS_VERBS[op - OP_MARS_FIRST]);
    puts(' from '); putHwAddress(sha); puts(' at '); putProtoAddress(spa);
  } else if (op == OP_EXP1 || op == OP_EXP2) {
    puts(op == OP_EXP1 ? 'Experimental 1 ( opcode ' : 'Experimental 2 ( opcode '); putDec(op); puts(' )');
  } else if (op == 0 || op == 0xffff) {
    puts('Reserved opcode '); putDec(op);
  } else {
    puts('Unknown ARP opcode '); putHex(op, 4);
  }
  infoDone();
}

/**
 * ATMARP (RFC 2225, hardware type 19): type/length octets for each ATM
 * number and subaddress.  tshark reads the whole header, cuts the packet to
 * its declared size and only then adds fields; here the fields are the
 * header's and the IPv4 protocol addresses.
 */
function dissectAtmArp(start: u32, end: u32): void {
  if (!has(start, end, ATMARP_HEADER_LEN)) { markTruncated(); return; }
  const op = u16at(start + 6, end);
  const shl = u8at(start + 4, end) & 0x3f, ssl = u8at(start + 5, end) & 0x3f;
  const spln = u8at(start + 8, end);
  const thl = u8at(start + 9, end) & 0x3f, tsl = u8at(start + 10, end) & 0x3f;
  const tpln = u8at(start + 11, end);
  const spa = start + ATMARP_HEADER_LEN + shl + ssl;
  const tpa = spa + spln + thl + tsl;
  const packetEnd = tpa + tpln;
  if (packetEnd - start > end - start + bytesCutAfter(end)) { markMalformed(); return; }
  if (end - start > packetEnd - start) end = packetEnd;
  // The info column reads every address before the fields are added.
  if (!has(start, end, packetEnd - start)) { markTruncated(); return; }
  setProtocolColumn(op == OP_RREQUEST || op == OP_RREPLY ? 'ATMRARP'
    : op == OP_IREQUEST || op == OP_IREPLY ? 'Inverse ATMARP' : 'ATMARP');
  beginLayer(PROTO_ARP);
  addNum(F_HW_TYPE, ARPHRD_ATM2225);
  protoType = u16at(start + 2, end);
  addNum(F_PROTO_TYPE, protoType);
  addNum(F_OPCODE, op);
  protoLen = spln;
  if (spln != 0) addBytes(protoIsIPv4() ? F_SRC_PROTO_IPV4 : F_SRC_PROTO, spa, spln);
  protoLen = tpln;
  if (tpln != 0) addBytes(protoIsIPv4() ? F_DST_PROTO_IPV4 : F_DST_PROTO, tpa, tpln);
}

registerEthertype(0x0806, dissectArp);
registerEthertype(0x8035, dissectArp);
