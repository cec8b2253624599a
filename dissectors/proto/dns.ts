// Domain Name System (RFC 1035) over UDP and TCP, and its multicast (mDNS,
// RFC 6762) and link-local (LLMNR, RFC 4795) variants, which report the same
// dns.* fields.  Records are read as Wireshark 4.0 reads them: where it would
// throw (a read past the message), dissection of the message stops there.
import { protocol, uint, flag, str, ipv4, ipv6, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { has } from '../cursor';
import { registerUdpPort, registerTcpPort, registerUdpHeuristic } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putHexDigits, putIPv4, putIPv6, putRaw } from '../text';
import { readName, nameUsed, nameText, nameTextLen, nameRawLen, nameLabelCount, putRawName, resetNameBudget } from './dns-name';

const PROTO_DNS = protocol('dns', 'Domain Name System');
const F_LENGTH = uint('dns.length', 'Length', 16);
const F_ID = uint('dns.id', 'Transaction ID', 16, Base.HEX);
const F_FLAGS = uint('dns.flags', 'Flags', 16, Base.HEX);
const F_RESPONSE = flag('dns.flags.response', 'Response');
const F_OPCODE = uint('dns.flags.opcode', 'Opcode', 16);
const F_AUTHORITATIVE = flag('dns.flags.authoritative', 'Authoritative');
const F_CONFLICT = flag('dns.flags.conflict', 'Conflict');
const F_TRUNCATED = flag('dns.flags.truncated', 'Truncated');
const F_RECDESIRED = flag('dns.flags.recdesired', 'Recursion desired');
const F_TENTATIVE = flag('dns.flags.tentative', 'Tentative');
const F_RECAVAIL = flag('dns.flags.recavail', 'Recursion available');
const F_Z = flag('dns.flags.z', 'Z');
const F_AUTHENTICATED = flag('dns.flags.authenticated', 'Answer authenticated');
const F_CHECKDISABLE = flag('dns.flags.checkdisable', 'Non-authenticated data');
const F_RCODE = uint('dns.flags.rcode', 'Reply code', 16);
const F_QUERIES = uint('dns.count.queries', 'Questions', 16);
const F_ZONES = uint('dns.count.zones', 'Zones', 16);
const F_ANSWERS = uint('dns.count.answers', 'Answer RRs', 16);
const F_PREREQUISITES = uint('dns.count.prerequisites', 'Prerequisites', 16);
const F_AUTH_RR = uint('dns.count.auth_rr', 'Authority RRs', 16);
const F_UPDATES = uint('dns.count.updates', 'Updates', 16);
const F_ADD_RR = uint('dns.count.add_rr', 'Additional RRs', 16);
const F_QRY_NAME = str('dns.qry.name', 'Name');
const F_QRY_NAME_LEN = uint('dns.qry.name.len', 'Name Length', 16);
const F_LABELS = uint('dns.count.labels', 'Label Count', 16);
const F_QRY_TYPE = uint('dns.qry.type', 'Type', 16);
const F_QRY_CLASS = uint('dns.qry.class', 'Class', 16, Base.HEX);
const F_QRY_QU = flag('dns.qry.qu', '"QU" question');
const F_SRV_SERVICE = str('dns.srv.service', 'Service');
const F_SRV_PROTO = str('dns.srv.proto', 'Protocol');
const F_SRV_NAME = str('dns.srv.name', 'Name');
const F_RESP_NAME = str('dns.resp.name', 'Name');
const F_RESP_TYPE = uint('dns.resp.type', 'Type', 16);
const F_RESP_CLASS = uint('dns.resp.class', 'Class', 16, Base.HEX);
const F_CACHE_FLUSH = flag('dns.resp.cache_flush', 'Cache flush');
const F_UDP_PAYLOAD_SIZE = uint('dns.rr.udp_payload_size', 'UDP payload size', 16);
const F_EXT_RCODE = uint('dns.resp.ext_rcode', 'Higher bits in extended RCODE', 8, Base.HEX);
const F_EDNS0_VERSION = uint('dns.resp.edns0_version', 'EDNS0 version', 8);
const F_Z16 = uint('dns.resp.z', 'Z', 16, Base.HEX);
const F_Z_DO = flag('dns.resp.z.do', 'DO bit');
const F_TTL = uint('dns.resp.ttl', 'Time to live');
const F_RDLENGTH = uint('dns.resp.len', 'Data length', 16);
const F_A = ipv4('dns.a', 'Address');
const F_NS = str('dns.ns', 'Name Server');
const F_CNAME = str('dns.cname', 'CNAME');
const F_SOA_MNAME = str('dns.soa.mname', 'Primary name server');
const F_SOA_RNAME = str('dns.soa.rname', 'Responsible authority\'s mailbox');
const F_PTR = str('dns.ptr.domain_name', 'Domain Name');
const F_MX_PREFERENCE = uint('dns.mx.preference', 'Preference', 16);
const F_MX_EXCHANGE = str('dns.mx.mail_exchange', 'Mail Exchange');
const F_AAAA = ipv6('dns.aaaa', 'AAAA Address');
const F_SRV_PRIORITY = uint('dns.srv.priority', 'Priority', 16);
const F_SRV_WEIGHT = uint('dns.srv.weight', 'Weight', 16);
const F_SRV_PORT = uint('dns.srv.port', 'Port', 16);
const F_SRV_TARGET = str('dns.srv.target', 'Target');
const F_DNAME = str('dns.dname', 'Dname');
const PROTO_MDNS = protocol('mdns', 'Multicast Domain Name System');
const PROTO_LLMNR = protocol('llmnr', 'Link-local Multicast Name Resolution');

const enum Variant { DNS = 0, MDNS = 1, LLMNR = 2 }

const RESPONSE: u32 = 0x8000, AUTHENTIC: u32 = 0x20, OPCODE_UPDATE: u32 = 5;
const T_A: u32 = 1, T_NS: u32 = 2, T_CNAME: u32 = 5, T_SOA: u32 = 6, T_PTR: u32 = 12, T_HINFO: u32 = 13,
  T_MX: u32 = 15, T_TXT: u32 = 16, T_AAAA: u32 = 28, T_SRV: u32 = 33, T_DNAME: u32 = 39, T_OPT: u32 = 41;

// The message being read: [msg, end), names' pointers count from msg.
let msg: u32 = 0;
let end: u32 = 0;
let variant: Variant = Variant.DNS;

function need(p: u32, n: u32): bool {
  if (has(p, end, n)) return true;
  markTruncated();
  return false;
}

@inline function be16(p: u32): u32 { return <u32>bswap<u16>(load<u16>(p)); }
@inline function be32(p: u32): u32 { return bswap<u32>(load<u32>(p)); }

/** A message at [start, finish); `prefixed` when TCP's two-byte length comes first. */
function dissectMessage(start: u32, finish: u32, prefixed: bool): void {
  msg = prefixed ? start + 2 : start;
  end = finish;
  resetNameBudget();
  if (!need(msg, 4)) return;
  const id = be16(msg);
  const flags = be16(msg + 2);
  const opcode = (flags >> 11) & 15;
  const response = (flags & RESPONSE) != 0;
  infoSet();
  putOpcodeName(opcode);
  if (response) puts(' response');
  puts(' 0x'); putHexDigits(id, 4);
  if (response && (flags & 15) != 0) { putc(32); putRcodeName(flags & 15); }
  infoDone();
  beginLayer(variant == Variant.MDNS ? PROTO_MDNS : variant == Variant.LLMNR ? PROTO_LLMNR : PROTO_DNS);
  if (prefixed) addNum(F_LENGTH, be16(start));
  addNum(F_ID, id);
  addNum(F_FLAGS, flags);
  addFlags(flags, response);
  const update = opcode == OPCODE_UPDATE;
  if (!need(msg + 4, 2)) return;
  const qd = be16(msg + 4);
  addNum(update ? F_ZONES : F_QUERIES, qd);
  if (!need(msg + 6, 2)) return;
  const an = be16(msg + 6);
  addNum(update ? F_PREREQUISITES : F_ANSWERS, an);
  if (!need(msg + 8, 2)) return;
  const ns = be16(msg + 8);
  addNum(update ? F_UPDATES : F_AUTH_RR, ns);
  if (!need(msg + 10, 2)) return;
  const ar = be16(msg + 10);
  addNum(F_ADD_RR, ar);
  let p = msg + 12;
  for (let i: u32 = 0; i < qd; i++) {
    const used = dissectQuestion(p);
    if (used < 0) return;
    p += <u32>used;
  }
  const records = an + ns + ar;
  for (let i: u32 = 0; i < records; i++) {
    const used = dissectRecord(p);
    if (used < 0) return;
    p += <u32>used;
  }
}

function addFlags(flags: u32, response: bool): void {
  addNum(F_RESPONSE, response);
  addNum(F_OPCODE, (flags >> 11) & 15);
  if (variant == Variant.LLMNR) {
    addNum(F_CONFLICT, (flags >> 10) & 1);
    addNum(F_TRUNCATED, (flags >> 9) & 1);
    addNum(F_TENTATIVE, (flags >> 8) & 1);
  } else {
    if (response) addNum(F_AUTHORITATIVE, (flags >> 10) & 1);
    addNum(F_TRUNCATED, (flags >> 9) & 1);
    addNum(F_RECDESIRED, (flags >> 8) & 1);
    if (response) addNum(F_RECAVAIL, (flags >> 7) & 1);
    addNum(F_Z, (flags >> 6) & 1);
    if (response || (flags & AUTHENTIC) != 0) addNum(F_AUTHENTICATED, (flags >> 5) & 1);
    addNum(F_CHECKDISABLE, (flags >> 4) & 1);
  }
  if (response) addNum(F_RCODE, flags & 15);
}

/** Returns the bytes the question takes, or -1 where Wireshark stops. */
function dissectQuestion(p: u32): i32 {
  if (!readName(msg, end, p)) return -1;
  const q = p + <u32>nameUsed;
  if (!need(q, 4)) return -1;
  const type = be16(q);
  let cls = be16(q + 2);
  const qu = cls & 0x8000;
  if (variant == Variant.MDNS) cls &= 0x7fff;
  infoAppend();
  putc(32); putTypeName(type); putc(32); putRaw(nameText, nameTextLen);
  if (variant == Variant.MDNS) puts(qu ? ', "QU" question' : ', "QM" question');
  infoDone();
  addBytes(F_QRY_NAME, nameText, nameTextLen);
  addNum(F_QRY_NAME_LEN, nameRawLen > 1 ? nameRawLen : 0);
  addNum(F_LABELS, nameLabelCount());
  addNum(F_QRY_TYPE, type);
  addNum(F_QRY_CLASS, cls);
  if (variant == Variant.MDNS) addNum(F_QRY_QU, qu != 0);
  return nameUsed + 4;
}

/** Returns the bytes the resource record takes, or -1 where Wireshark stops. */
function dissectRecord(p: u32): i32 {
  if (!readName(msg, end, p)) return -1;
  const q = p + <u32>nameUsed;
  if (!need(q, 10)) return -1;
  const type = be16(q);
  const cls = be16(q + 2);
  const flush = variant == Variant.MDNS && (cls & 0x8000) != 0;
  const rdlength = be16(q + 8);
  infoAppend();
  putc(32); putTypeName(type);
  if (flush) puts(', cache flush');
  infoDone();
  addOwner(type);
  addNum(F_RESP_TYPE, type);
  if (type == T_OPT) {
    addNum(F_UDP_PAYLOAD_SIZE, cls);
    addNum(F_EXT_RCODE, load<u8>(q + 4));
    addNum(F_EDNS0_VERSION, load<u8>(q + 5));
    addNum(F_Z16, be16(q + 6));
    addNum(F_Z_DO, (be16(q + 6) >> 15) & 1);
  } else {
    addNum(F_RESP_CLASS, variant == Variant.MDNS ? cls & 0x7fff : cls);
    if (variant == Variant.MDNS) addNum(F_CACHE_FLUSH, flush);
    addNum(F_TTL, be32(q + 4));
  }
  addNum(F_RDLENGTH, rdlength);
  const used = nameUsed + 10 + <i32>rdlength;
  if (rdlength == 0) return used;
  return dissectRdata(type, q + 10, rdlength) ? used : -1;
}

/** The owner name: SRV owners are split into service, protocol and name. */
function addOwner(type: u32): void {
  if (type != T_SRV || nameTextLen == 0) { addBytes(F_RESP_NAME, nameText, nameTextLen); return; }
  let a = nameText;
  const stop = nameText + nameTextLen;
  let f = F_SRV_SERVICE;
  for (let part = 0; part < 3; part++) {
    let b = a;
    if (part < 2) while (b < stop && load<u8>(b) != 46) b++;
    else b = stop;
    addBytes(f, a, b - a);
    if (b >= stop) return;
    a = b + 1;
    f = part == 0 ? F_SRV_PROTO : F_SRV_NAME;
  }
}

function appendName(): void {
  infoAppend(); putc(32); putRaw(nameText, nameTextLen); infoDone();
}

function appendOwner(): void {
  infoAppend(); putc(32); putRawName(); infoDone();
}

function dissectRdata(type: u32, p: u32, len: u32): bool {
  switch (type) {
    case T_A:
      if (!need(p, 4)) return false;
      infoAppend(); putc(32); putIPv4(p); infoDone();
      addBytes(F_A, p, 4);
      return true;
    case T_AAAA:
      if (!need(p, 16)) return false;
      infoAppend(); putc(32); putIPv6(p); infoDone();
      addBytes(F_AAAA, p, 16);
      return true;
    case T_NS: return nameField(p, F_NS);
    case T_CNAME: return nameField(p, F_CNAME);
    case T_PTR: return nameField(p, F_PTR);
    case T_DNAME: return nameField(p, F_DNAME);
    case 30: case 47: return nameField(p, 0); // NXT, NSEC: the next name; the type bitmap is not read
    case T_SOA:
      if (!nameField(p, F_SOA_MNAME)) return false;
      p += <u32>nameUsed;
      if (!readName(msg, end, p)) return false;
      addBytes(F_SOA_RNAME, nameText, nameTextLen);
      return need(p + <u32>nameUsed, 20);
    case T_MX: {
      if (!need(p, 2)) return false;
      const preference = be16(p);
      if (!readName(msg, end, p + 2)) return false;
      infoAppend(); putc(32); putDec(preference); putc(32); putRaw(nameText, nameTextLen); infoDone();
      addNum(F_MX_PREFERENCE, preference);
      addBytes(F_MX_EXCHANGE, nameText, nameTextLen);
      return true;
    }
    case T_SRV: {
      if (!need(p, 6)) return false;
      addNum(F_SRV_PRIORITY, be16(p));
      addNum(F_SRV_WEIGHT, be16(p + 2));
      addNum(F_SRV_PORT, be16(p + 4));
      if (!readName(msg, end, p + 6)) return false;
      addBytes(F_SRV_TARGET, nameText, nameTextLen);
      infoAppend();
      putc(32); putDec(be16(p)); putc(32); putDec(be16(p + 2)); putc(32); putDec(be16(p + 4));
      putc(32); putRaw(nameText, nameTextLen);
      infoDone();
      return true;
    }
    case T_HINFO: return dissectHinfo(p);
    case T_TXT: case 99: return walkStrings(p, len); // TXT, SPF
    case T_OPT: return walkOptions(p, len);
    // Types whose info entry is the owner name as it was before formatting.
    case 3: case 4: case 7: case 8: case 9: case 10: case 14: case 17: case 18: case 19: case 20:
    case 21: case 22: case 23: case 26: case 27: case 42: case 49: case 51: case 52: case 55:
      appendOwner();
      return need(p, len);
    default:
      return need(p, len);
  }
}

function nameField(p: u32, f: u32): bool {
  if (!readName(msg, end, p)) return false;
  appendName();
  if (f) addBytes(f, nameText, nameTextLen);
  return true;
}

function dissectHinfo(p: u32): bool {
  if (!need(p, 1)) return false;
  const cpu = p + 1, cpuLen = <u32>load<u8>(p);
  if (!need(cpu, cpuLen + 1)) return false;
  const os = cpu + cpuLen + 1, osLen = <u32>load<u8>(cpu + cpuLen);
  if (!need(os, osLen)) return false;
  infoAppend(); putc(32); putRaw(cpu, cpuLen); putc(32); putRaw(os, osLen); infoDone();
  return true;
}

// Character strings until the data length is used up exactly; a string that
// overruns it makes Wireshark read on past the record until the message ends.
function walkStrings(p: u32, len: u32): bool {
  let left = <i32>len;
  while (left != 0) {
    if (!need(p, 1)) return false;
    const n = <u32>load<u8>(p);
    if (!need(p + 1, n)) return false;
    p += 1 + n;
    left -= 1 + <i32>n;
  }
  return true;
}

// EDNS options: code, length, value; each must lie within the message.
function walkOptions(p: u32, len: u32): bool {
  let left = <i32>len;
  while (left > 0) {
    if (!need(p, 4)) return false;
    const code = be16(p);
    const n = be16(p + 2);
    if (!need(p + 4, n)) return false;
    if (code == 10 && n < 8) { markTruncated(); return false; } // a cookie shorter than its client part
    p += 4 + n;
    left -= 4 + <i32>n;
  }
  return true;
}

// Names of codes for the info column, as Wireshark's value strings.
const TYPES_0_65 = 'Unused A NS MD MF CNAME SOA MB MG MR NULL WKS PTR HINFO MINFO MX TXT RP AFSDB X25 ISDN RT ' +
  'NSAP NSAP-PTR SIG KEY PX GPOS AAAA LOC NXT EID NIMLOC SRV ATMA NAPTR KX CERT A6 DNAME SINK OPT APL DS SSHFP ' +
  'IPSECKEY RRSIG NSEC DNSKEY DHCID NSEC3 NSEC3PARAM TLSA - - HIP - RKEY TALINK CDS CDNSKEY OPENPGPKEY CSYNC ZONEMD SVCB HTTPS';
const TYPES_99_109 = 'SPF UINFO UID GID UNSPEC NID L32 L64 LP EUI48 EUI64';
// 253 and 254 are swapped in Wireshark 4.0's table; kept so the text matches.
const TYPES_249_257 = 'TKEY TSIG IXFR AXFR MAILA MAILB ANY URI CAA';
const OPCODES = 'Standard query|Inverse query|Server status request|-|Zone change notification|Dynamic update|DNS Stateful operations (DSO)';
const RCODES = 'No error|Format error|Server failure|No such name|Not implemented|Refused|Name exists|RRset exists|' +
  'RRset does not exist|Not authoritative|Name out of zone|DSO-Type not implemented';

/** Writes word `index` of a `sep`-separated table; false when there is none ("-" marks a gap). */
function putWord(table: string, sep: u32, index: u32): bool {
  let i = 0;
  const n = table.length;
  for (let k: u32 = 0; k < index; k++) {
    while (i < n && <u32>table.charCodeAt(i) != sep) i++;
    if (i >= n) return false;
    i++;
  }
  if (i >= n || (table.charCodeAt(i) == 45 && (i + 1 >= n || <u32>table.charCodeAt(i + 1) == sep))) return false;
  for (; i < n && <u32>table.charCodeAt(i) != sep; i++) putc(table.charCodeAt(i));
  return true;
}

function putTypeName(t: u32): void {
  let known = false;
  if (t <= 65) known = putWord(TYPES_0_65, 32, t);
  else if (t >= 99 && t <= 109) known = putWord(TYPES_99_109, 32, t - 99);
  else if (t >= 249 && t <= 257) known = putWord(TYPES_249_257, 32, t - 249);
  else if (t == 32768) { puts('TA'); known = true; }
  else if (t == 32769) { puts('DLV'); known = true; }
  else if (t == 65281) { puts('WINS'); known = true; }
  else if (t == 65282) { puts('WINS-R'); known = true; }
  else if (t == 65422) { puts('XPF'); known = true; }
  if (!known) { puts('Unknown ('); putDec(t); putc(41); }
}

function putOpcodeName(op: u32): void {
  if (!putWord(OPCODES, 124, op)) { puts('Unknown operation ('); putDec(op); putc(41); }
}

function putRcodeName(rc: u32): void {
  if (!putWord(RCODES, 124, rc)) { puts('Unknown error ('); putDec(rc); putc(41); }
}

// Hand-offs: the ports tshark registers, and its UDP heuristic.

function dissectDnsUdp(start: u32, finish: u32): void {
  variant = Variant.DNS;
  setProtocolColumn('DNS');
  dissectMessage(start, finish, false);
}

function dissectMdns(start: u32, finish: u32): void {
  variant = Variant.MDNS;
  setProtocolColumn('MDNS');
  dissectMessage(start, finish, false);
}

function dissectLlmnr(start: u32, finish: u32): void {
  variant = Variant.LLMNR;
  setProtocolColumn('LLMNR');
  dissectMessage(start, finish, false);
}

// Over TCP each message has a two-byte length.  Without reassembly a segment
// is taken as a run of messages from its first byte, as tshark does with
// desegmentation off; a message cut by the segment end is read as far as it goes.
function dissectDnsTcp(start: u32, finish: u32): void {
  variant = Variant.DNS;
  let p = start;
  while (p < finish) {
    if (finish - p < 2) { markTruncated(); return; }
    setProtocolColumn('DNS');
    const size = be16(p) + 2;
    const messageEnd = finish - p > size ? p + size : finish;
    dissectMessage(p, messageEnd, true);
    if (finish - p <= size) return;
    p += size;
  }
}

// Wireshark's heuristic: a standard query with one question and no records,
// or a response with few, on any UDP port no other dissector claimed.
function dnsHeuristic(start: u32, finish: u32): bool {
  if (!has(start, finish, 13)) return false;
  const flags = be16(start + 2);
  if ((flags & 0x7800) != 0) return false;
  const qd = be16(start + 4), an = be16(start + 6), ns = be16(start + 8), ar = be16(start + 10);
  if ((flags & RESPONSE) == 0) {
    if (qd != 1 || an != 0 || ns != 0) return false;
  } else if (qd > 1 || an > 100 || ns > 10) {
    return false;
  }
  if (ar > 10) return false;
  dissectDnsUdp(start, finish);
  return true;
}

registerUdpPort(53, dissectDnsUdp);
registerUdpPort(5353, dissectMdns);
registerUdpPort(5355, dissectLlmnr);
registerTcpPort(53, dissectDnsTcp);
registerTcpPort(5353, dissectDnsTcp);
registerUdpHeuristic(dnsHeuristic);
