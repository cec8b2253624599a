// Domain Name System (RFC 1035) over UDP and TCP, and its multicast (mDNS,
// RFC 6762) and link-local (LLMNR, RFC 4795) variants, which report the same
// dns.* fields.  Records are read as Wireshark 4.0 reads them: where it would
// throw (a read past the message), dissection of the message stops there.
import { protocol, uint, flag, str, ipv4, ipv6, none, timeRel, Base } from '../fields';
import { beginLayer, addNum, addBytes, inErrorPacket, setProtocolColumn, markTruncated, reportedLength, errors, setErrors, beginSingleCall,
  endSingleCall } from '../packet';
import { messageContinues, addPduSize } from './tcp-pdu';
import { has, be16, be32 } from '../cursor';
import { registerUdpPort, registerTcpPort, registerUdpHeuristic, udpSrcPort, udpDstPort, tcpSrcPort, tcpDstPort } from '../dispatch';
import { matchDnsMessage, dnsMatch } from './dns-transactions';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putHexDigits, putIPv4, putIPv6, putRaw } from '../text';
import { readName, nameUsed, nameText, nameTextLen, nameRawLen, nameLabelCount, putRawName, resetNameBudget,
  putTypeName, putOpcodeName, putRcodeName, readHinfo, walkStrings } from './dns-name';

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
// Wireshark's mDNS variant of this field has the same name but prints in hex; one field per name here.
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
const F_RESPONSE_IN = uint('dns.response_in', 'Response In');
const F_RESPONSE_TO = uint('dns.response_to', 'Request In');
const F_RETRANSMISSION = flag('dns.retransmission', 'Retransmission');
const F_RETRANSMIT_REQUEST = none('dns.retransmit_request', 'DNS query retransmission');
const F_RETRANSMIT_REQUEST_IN = uint('dns.retransmit_request_in', 'Retransmitted request. Original request in');
const F_RETRANSMIT_RESPONSE = none('dns.retransmit_response', 'DNS response retransmission');
const F_RETRANSMIT_RESPONSE_IN = uint('dns.retransmit_response_in', 'Retransmitted response. Original response in');
const F_TIME = timeRel('dns.time', 'Time');
const F_UNSOLICITED = flag('dns.unsolicited', 'Unsolicited');
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

/** Whether n bytes at p are in the message; where not, Wireshark would throw. */
function need(p: u32, n: u32): bool {
  if (!has(p, end, n)) { markTruncated(); return false; }
  return true;
}


/** A message at [start, finish); `prefixed` when TCP's two-byte length comes first. */
function dissectMessage(start: u32, finish: u32, prefixed: bool): void {
  msg = prefixed ? start + 2 : start;
  end = finish;
  resetNameBudget();
  infoSet();
  if (!need(msg, 4)) { infoDone(); return; }
  const id = be16(msg);
  const flags = be16(msg + 2);
  const opcode = (flags >> 11) & 15;
  const response = (flags & RESPONSE) != 0;
  putOpcodeName(opcode);
  if (response) puts(' response');
  puts(' 0x'); putHexDigits(id, 4);
  if (response && (flags & 15) != 0) { putc(32); putRcodeName(flags & 15); }
  infoDone();
  const matched = !inErrorPacket() && (prefixed
    ? matchDnsMessage(true, tcpSrcPort, tcpDstPort, id, response)
    : matchDnsMessage(false, udpSrcPort, udpDstPort, id, response));
  beginLayer(variant == Variant.MDNS ? PROTO_MDNS : variant == Variant.LLMNR ? PROTO_LLMNR : PROTO_DNS);
  if (prefixed) addNum(F_LENGTH, be16(start));
  addNum(F_ID, id);
  addNum(F_FLAGS, flags);
  addFlags(flags, response);
  const update = opcode == OPCODE_UPDATE;
  const qd = addCount(4, update ? F_ZONES : F_QUERIES);
  const an = qd < 0 ? -1 : addCount(6, update ? F_PREREQUISITES : F_ANSWERS);
  const ns = an < 0 ? -1 : addCount(8, update ? F_UPDATES : F_AUTH_RR);
  const ar = ns < 0 ? -1 : addCount(10, F_ADD_RR);
  if (ar < 0) return;
  let p = msg + 12;
  for (let i = 0; i < qd; i++) {
    const used = dissectQuestion(p);
    if (used < 0) return;
    p += <u32>used;
  }
  const records = an + ns + ar;
  for (let i = 0; i < records; i++) {
    const used = dissectRecord(p);
    if (used < 0) return;
    p += <u32>used;
  }
  if (matched) addTransaction(response);
}

/** What request/response matching found, after the records, as Wireshark shows it. */
function addTransaction(response: bool): void {
  const m = dnsMatch;
  if (!response) {
    if (m.retransmission && m.requestFrame != 0) {
      addNum(F_RETRANSMIT_REQUEST, 0);
      addNum(F_RETRANSMIT_REQUEST_IN, m.requestFrame);
      addNum(F_RETRANSMISSION, 1);
    } else if (m.responseIn != 0) addNum(F_RESPONSE_IN, m.responseIn);
    return;
  }
  if (m.requestFrame == 0) {
    if (!m.retransmission) addNum(F_UNSOLICITED, 1);
    return;
  }
  if (m.retransmission) {
    addNum(F_RETRANSMIT_RESPONSE, 0);
    addNum(F_RETRANSMIT_RESPONSE_IN, m.responseFrame);
    addNum(F_RETRANSMISSION, 1);
    return;
  }
  addNum(F_RESPONSE_TO, m.requestFrame);
  addNum(F_TIME, <u64>m.delayNs);
}

function addCount(offset: u32, f: u32): i32 {
  if (!need(msg + offset, 2)) return -1;
  const n = be16(msg + offset);
  addNum(f, n);
  return <i32>n;
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
  // Wireshark's subtree for the record spans its data: a record longer than
  // the message stops dissection before any of its fields.
  if (!need(p, <u32>nameUsed + 10 + rdlength)) return -1;
  addOwner(type);
  addNum(F_RESP_TYPE, type);
  if (type == T_OPT) {
    addNum(F_UDP_PAYLOAD_SIZE, variant == Variant.MDNS ? cls & 0x7fff : cls);
    if (variant == Variant.MDNS) addNum(F_CACHE_FLUSH, flush);
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
  const stop = nameText + nameTextLen;
  let a = nameText;
  for (let part = 0; part < 3 && a <= stop; part++) {
    let b = a;
    while (part < 2 && b < stop && load<u8>(b) != 46) b++;
    addBytes(part == 0 ? F_SRV_SERVICE : part == 1 ? F_SRV_PROTO : F_SRV_NAME, a, (part < 2 ? b : stop) - a);
    if (b >= stop) return;
    a = b + 1;
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
    case T_HINFO: return readHinfo(p, end);
    case T_TXT: case 99: return walkStrings(p, len, end); // TXT, SPF
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

// Hand-offs: the ports tshark registers, and its UDP heuristic.

function dissectAs(v: Variant, column: string, start: u32, finish: u32): void {
  variant = v;
  setProtocolColumn(column);
  dissectMessage(start, finish, false);
}

function dissectDnsUdp(start: u32, finish: u32): void { dissectAs(Variant.DNS, 'DNS', start, finish); }
function dissectMdns(start: u32, finish: u32): void { dissectAs(Variant.MDNS, 'MDNS', start, finish); }
function dissectLlmnr(start: u32, finish: u32): void { dissectAs(Variant.LLMNR, 'LLMNR', start, finish); }

// Over TCP each message has a two-byte length.  Without reassembly a segment
// is taken as a run of messages from its first byte, as tshark does with
// desegmentation off; a message cut by the segment end is read as far as it goes.
function dissectDnsTcp(start: u32, finish: u32): void {
  const call = beginSingleCall(PROTO_DNS);
  dissectTcpMessages(start, finish);
  endSingleCall(call);
}

function dissectTcpMessages(start: u32, finish: u32): void {
  variant = Variant.DNS;
  const reported = reportedLength(start, finish);
  for (let done: u32 = 0; done < reported;) {
    const p = start + done;
    // The length is read even where the snap length cut the segment.
    if (!has(p, finish, 2)) { markTruncated(); return; }
    setProtocolColumn('DNS');
    const size = be16(p) + 2;
    addPduSize(size);
    const before = errors;
    dissectMessage(p, finish - p > size ? p + size : finish, true);
    // A message that goes on in later segments says where the next one starts.
    if (size > reported - done) messageContinues(size - (reported - done));
    // tshark shows a broken message only in its tree when another follows:
    // the next one's info replaces the error text.
    else if (size < reported - done) setErrors(before);
    done += size;
  }
}

// UDP ports tshark 4.0 gives to some dissector (tshark -G decodes): the
// heuristic never sees those datagrams there, so it must not take them here.
const TSHARK_UDP_PORTS: StaticArray<u16> = [
  7, 13, 19, 37, 49, 67, 68, 69, 88, 111, 123, 137, 138, 161, 162, 173, 177, 213, 269, 319, 320, 389, 427, 434,
  464, 473, 496, 500, 502, 513, 514, 520, 521, 524, 525, 539, 546, 547, 573, 623, 631, 646, 654, 664, 698, 699,
  701, 750, 853, 854, 910, 921, 925, 1001, 1044, 1052, 1069, 1089, 1090, 1091, 1101, 1113, 1153, 1194, 1293,
  1547, 1628, 1629, 1645, 1646, 1700, 1701, 1718, 1719, 1745, 1755, 1812, 1813, 1900, 1985, 2029, 2048, 2055,
  2067, 2099, 2123, 2152, 2157, 2190, 2221, 2222, 2231, 2246, 2268, 2269, 2313, 2345, 2424, 2427, 2428, 2727,
  2887, 2944, 2945, 2948, 2949, 2960, 3000, 3121, 3130, 3205, 3222, 3250, 3333, 3343, 3357, 3386, 3389, 3452,
  3455, 3478, 3483, 3503, 3540, 3544, 3567, 3622, 3671, 3784, 3785, 3792, 3799, 3804, 3819, 3863, 3956, 4000,
  4011, 4058, 4305, 4306, 4307, 4341, 4342, 4500, 4533, 4534, 4551, 4555, 4556, 4569, 4665, 4672, 4713, 4729,
  4739, 4754, 4784, 4789, 4790, 4791, 4991, 5000, 5001, 5031, 5050, 5060, 5072, 5094, 5246, 5247, 5264, 5265,
  5350, 5351, 5404, 5405, 5436, 5555, 5567, 5678, 5683, 5684, 5868, 6060, 6073, 6081, 6084, 6087, 6118, 6160,
  6343, 6543, 6635, 6666, 6696, 6784, 6970, 7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007, 7008, 7009, 7010,
  7021, 7074, 7075, 7255, 7275, 7784, 8000, 8116, 8161, 8200, 8211, 8600, 8611, 8612, 8613, 8614, 8755, 8767,
  8805, 8848, 9003, 9200, 9201, 9202, 9203, 9214, 9600, 9875, 9877, 9899, 9901, 9955, 9956, 9996, 9999, 10253,
  10500, 11211, 11273, 11898, 12000, 12001, 12002, 12003, 12004, 12220, 12222, 12223, 13400, 13819, 13907,
  13910, 17220, 17500, 17754, 17755, 17756, 18246, 19132, 19788, 19948, 19999, 20000, 20561, 22222, 23272,
  24576, 24577, 25826, 26000, 27036, 27500, 27910, 27950, 27951, 27952, 27953, 27960, 27961, 27962, 27963,
  30030, 32000, 32512, 34962, 34980, 37008, 41170, 44818, 45564, 47000, 47808, 49999, 54328, 56000, 56001,
  56500, 56501, 57000, 57001, 57032, 57033, 57500, 57501, 57532, 57533, 59000, 59001, 59032, 59033, 59500,
  59501, 59532, 59533, 60001
];

function portTakenByTshark(port: u32): bool {
  let lo = 0, hi = TSHARK_UDP_PORTS.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = <u32>unchecked(TSHARK_UDP_PORTS[mid]);
    if (v == port) return true;
    if (v < port) lo = mid + 1; else hi = mid - 1;
  }
  return false;
}

// Wireshark's heuristic: a standard query with one question and no records,
// or a response with few, on any UDP port no other dissector claimed.
function dnsHeuristic(start: u32, finish: u32): bool {
  if (reportedLength(start, finish) <= 12 || !has(start, finish, 12)) return false;
  if (portTakenByTshark(udpSrcPort) || portTakenByTshark(udpDstPort)) return false;
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
