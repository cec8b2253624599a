// Internet Control Message Protocol (RFC 792 and its extensions).  The
// datagram an error quotes is dissected through IPv4 as tshark does, with
// the columns left to the error itself (quoted.ts).
import { uint, sint, ipv4, bytes, flag, str, timeRel, none, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, markReadPast, reportedLength, isFragmented, inErrorPacket, ipv4Ttl, frameTime, wanted,
  nestLayers, unnestLayers } from '../packet';
import { u8at, u16at, u16le, u32at, has } from '../cursor';
import { registerIpProto } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putDec, putHex, textPos, alignLeft } from '../text';
import { PROTO_ICMP, dissectIcmpExtension } from './icmp-ext';
import { dissectQuotedPacket } from './quoted';
import { onesComplementAdd, foldChecksum, ChecksumStatus } from './inet-cksum';
import { putAbsoluteTime } from './abs-time';
import { rememberRequest, matchReply, matchedDelayNs, putMilliseconds, partnerChecksum, addEchoReply } from './echo-match';

const F_TYPE = uint('icmp.type', 'Type', 8);
const F_CODE = uint('icmp.code', 'Code', 8);
const F_CHECKSUM = uint('icmp.checksum', 'Checksum', 16, Base.HEX);
const F_CHECKSUM_STATUS = uint('icmp.checksum.status', 'Checksum Status', 8);
const F_UNUSED = bytes('icmp.unused', 'Unused');
const F_IDENT = uint('icmp.ident', 'Identifier (BE)', 16, Base.DEC_HEX);
const F_IDENT_LE = uint('icmp.ident_le', 'Identifier (LE)', 16, Base.DEC_HEX);
const F_SEQ = uint('icmp.seq', 'Sequence Number (BE)', 16, Base.DEC_HEX);
const F_SEQ_LE = uint('icmp.seq_le', 'Sequence Number (LE)', 16, Base.DEC_HEX);
const F_MTU = uint('icmp.mtu', 'MTU of next hop', 16);
const F_NUM_ADDRS = uint('icmp.num_addrs', 'Number of addresses', 8);
const F_ADDR_ENTRY_SIZE = uint('icmp.addr_entry_size', 'Address entry size', 8);
const F_LIFETIME = uint('icmp.lifetime', 'Lifetime', 16);
const F_POINTER = uint('icmp.pointer', 'Pointer');
const F_ROUTER_ADDRESS = ipv4('icmp.router_address', 'Router address');
const F_PREF_LEVEL = sint('icmp.pref_level', 'Preference level');
const F_ORIGINATE = uint('icmp.originate_timestamp', 'Originate Timestamp');
const F_RECEIVE = uint('icmp.receive_timestamp', 'Receive Timestamp');
const F_TRANSMIT = uint('icmp.transmit_timestamp', 'Transmit Timestamp');
const F_ADDRESS_MASK = ipv4('icmp.address_mask', 'Address Mask');
const F_REDIR_GW = ipv4('icmp.redir_gw', 'Gateway Address');
const F_RESP_IN = uint('icmp.resp_in', 'Response frame');
const F_NO_RESP = none('icmp.no_resp', 'No response seen');
const F_RESP_TO = uint('icmp.resp_to', 'Request frame');
const F_RESPTIME = str('icmp.resptime', 'Response time');
const F_DATA_TIME = str('icmp.data_time', 'Timestamp from icmp data');
const F_DATA_TIME_RELATIVE = timeRel('icmp.data_time_relative', 'Timestamp from icmp data (relative)');
const F_LENGTH = uint('icmp.length', 'Length', 8);
const F_LENGTH_ORIGINAL = uint('icmp.length.original_datagram', 'Length of original datagram', 8);
const F_EXT_ECHO_SEQ = uint('icmp.ext.echo.seq', 'Sequence Number', 8, Base.DEC_HEX);
const F_EXT_ECHO_REQ_RES = uint('icmp.ext.echo.req.res', 'Reserved', 8, Base.HEX);
const F_EXT_ECHO_REQ_LOCAL = flag('icmp.ext.echo.req.local', 'Local bit');
const F_EXT_ECHO_RSP_STATE = uint('icmp.ext.echo.rsp.state', 'State', 8);
const F_EXT_ECHO_RSP_RES = uint('icmp.ext.echo.rsp.res', 'Reserved', 8, Base.HEX);
const F_EXT_ECHO_RSP_ACTIVE = flag('icmp.ext.echo.rsp.active', 'Active bit');
const F_EXT_ECHO_RSP_IPV4 = flag('icmp.ext.echo.rsp.ipv4', 'IPv4 bit');
const F_EXT_ECHO_RSP_IPV6 = flag('icmp.ext.echo.rsp.ipv6', 'IPv6 bit');

const ECHO_REPLY: u32 = 0, UNREACH: u32 = 3, SOURCE_QUENCH: u32 = 4, REDIRECT: u32 = 5, ALT_HOST: u32 = 6;
const ECHO: u32 = 8, ROUTER_ADVERT: u32 = 9, TIME_EXCEEDED: u32 = 11, PARAM_PROBLEM: u32 = 12;
const TIMESTAMP: u32 = 13, TIMESTAMP_REPLY: u32 = 14, INFO_REQUEST: u32 = 15, INFO_REPLY: u32 = 16;
const MASK_REQUEST: u32 = 17, MASK_REPLY: u32 = 18, PHOTURIS: u32 = 40, EXT_ECHO: u32 = 42, EXT_ECHO_REPLY: u32 = 43;
const FRAG_NEEDED: u32 = 4;

const TYPE_NAMES: StaticArray<string> = [
  'Echo (ping) reply', 'Reserved', 'Reserved', 'Destination unreachable', 'Source quench (flow control)',
  'Redirect', 'Alternate host address', '', 'Echo (ping) request', 'Router advertisement', 'Router solicitation',
  'Time-to-live exceeded', 'Parameter problem', 'Timestamp request', 'Timestamp reply', 'Information request',
  'Information reply', 'Address mask request', 'Address mask reply', 'Reserved (for security)',
  '', '', '', '', '', '', '', '', '', '',
  'Traceroute', 'Datagram Conversion Error', 'Mobile Host Redirect', 'IPv6 Where-Are-You', 'IPv6 I-Am-Here',
  'Mobile Registration Request', 'Mobile Registration Reply', 'Domain Name Request', 'Domain Name Reply', 'SKIP',
  'Photuris', 'Experimental mobility protocols', 'Extended Echo request', 'Extended Echo reply',
];
const UNREACH_CODES: StaticArray<string> = [
  'Network unreachable', 'Host unreachable', 'Protocol unreachable', 'Port unreachable', 'Fragmentation needed',
  'Source route failed', 'Destination network unknown', 'Destination host unknown', 'Source host isolated',
  'Network administratively prohibited', 'Host administratively prohibited', 'Network unreachable for TOS',
  'Host unreachable for TOS', 'Communication administratively filtered', 'Host precedence violation',
  'Precedence cutoff in effect',
];
const REDIRECT_CODES: StaticArray<string> = [
  'Redirect for network', 'Redirect for host', 'Redirect for TOS and network', 'Redirect for TOS and host',
];
const TIME_EXCEEDED_CODES: StaticArray<string> = ['Time to live exceeded in transit', 'Fragment reassembly time exceeded'];
const PARAM_PROBLEM_CODES: StaticArray<string> = ['Pointer indicates the error', 'Required option missing', 'Bad length'];
const PHOTURIS_CODES: StaticArray<string> = [
  'Bad SPI', 'Authentication Failed', 'Decompression Failed', 'Decryption Failed', 'Need Authentication',
  'Need Authorization',
];
const ALT_HOST_CODES: StaticArray<string> = ['Alternate address for host'];
const EXT_ECHO_CODES: StaticArray<string> = ['No error'];
const EXT_ECHO_REPLY_CODES: StaticArray<string> = [
  'No error', 'Malformed Query', 'No Such Interface', 'No Such Table Entry', 'Multiple Interfaces Satisfy Query',
];

function dissectIcmp(start: u32, end: u32): void {
  setProtocolColumn('ICMP');
  infoSet(); infoDone();
  beginLayer(PROTO_ICMP);
  const ttl = ipv4Ttl();
  // Wireshark reads type, code and the RFC 4884 length byte before showing anything.
  if (!has(start, end, 6)) {
    // The first of those reads to fail: past the datagram it is malformed.
    markReadPast(end, start + (has(start, end, 1) ? (has(start, end, 2) ? 6 : 2) : 1));
    return;
  }
  const type = u8at(start, end);
  const code = u8at(start + 1, end);
  let originalLength = type == ALT_HOST ? 0 : u8at(start + 5, end);
  writeInfo(type, code);
  addNum(F_TYPE, type);
  addNum(F_CODE, code);
  const checksum = u16at(start + 2, end);
  addNum(F_CHECKSUM, checksum);
  const reported = reportedLength(start, end);
  if (!isFragmented() && reported == end - start && !inErrorPacket()) {
    const ok = foldChecksum(onesComplementAdd(start, end - start, 0)) == 0;
    addNum(F_CHECKSUM_STATUS, ok ? ChecksumStatus.GOOD : ChecksumStatus.BAD);
  } else addNum(F_CHECKSUM_STATUS, ChecksumStatus.UNVERIFIED);
  if (!dissectSecondWord(start, end, type, code, originalLength, ttl)) return;

  if (type == UNREACH || type == TIME_EXCEEDED || type == PARAM_PROBLEM || type == SOURCE_QUENCH || type == REDIRECT) {
    dissectQuoted(start, end, type, code, originalLength, reported);
  } else if (type == ECHO || type == ECHO_REPLY) {
    if (!inErrorPacket()) matchEcho(type, checksum, u16at(start + 4, end), u16at(start + 6, end));
    dissectEchoData(start + 8, end);
  } else if (type == ROUTER_ADVERT) {
    dissectRouterAddresses(start, end);
  } else if (type == TIMESTAMP || type == TIMESTAMP_REPLY) {
    if (!has(start, end, 12)) { markTruncated(); return; }
    addNum(F_ORIGINATE, u32at(start + 8, end));
    if (!has(start, end, 16)) { markTruncated(); return; }
    addNum(F_RECEIVE, u32at(start + 12, end));
    if (!has(start, end, 20)) { markTruncated(); return; }
    addNum(F_TRANSMIT, u32at(start + 16, end));
  } else if (type == MASK_REQUEST || type == MASK_REPLY) {
    if (!has(start, end, 12)) { markTruncated(); return; }
    addBytes(F_ADDRESS_MASK, start + 8, 4);
  } else if (type == EXT_ECHO) {
    if (reported > 8) dissectIcmpExtension(start + 8, end);
  }
}

function putTypeName(type: u32, code: u32): void {
  const name = type < <u32>TYPE_NAMES.length ? unchecked(TYPE_NAMES[type]) : '';
  if (type == ROUTER_ADVERT && (code == 0 || code == 16)) puts('Mobile IP Advertisement');
  else puts(name.length > 0 ? name : 'Unknown ICMP (obsolete or malformed?)');
}

function namesCodes(type: u32): bool {
  return type == UNREACH || type == REDIRECT || type == ALT_HOST || type == ROUTER_ADVERT || type == TIME_EXCEEDED
    || type == PARAM_PROBLEM || type == PHOTURIS || type == EXT_ECHO || type == EXT_ECHO_REPLY;
}

function codeTable(type: u32): StaticArray<string> {
  if (type == REDIRECT) return REDIRECT_CODES;
  if (type == TIME_EXCEEDED) return TIME_EXCEEDED_CODES;
  if (type == PARAM_PROBLEM) return PARAM_PROBLEM_CODES;
  if (type == PHOTURIS) return PHOTURIS_CODES;
  if (type == EXT_ECHO_REPLY) return EXT_ECHO_REPLY_CODES;
  if (type == ALT_HOST) return ALT_HOST_CODES;
  if (type == EXT_ECHO) return EXT_ECHO_CODES;
  return UNREACH_CODES;
}

function putCodeName(type: u32, code: u32): void {
  if (type == ROUTER_ADVERT) {
    if (code == 0) { puts('Normal router advertisement'); return; }
    if (code == 16) { puts('Does not route common traffic'); return; }
  } else {
    const table = codeTable(type);
    if (code < <u32>table.length) { puts(unchecked(table[code])); return; }
  }
  puts('Unknown code: '); putDec(code);
}

/** "Type name, padded to 20 (Code name)", as tshark's "%-20s (%s)". */
function writeInfo(type: u32, code: u32): void {
  infoSet();
  const p = textPos();
  putTypeName(type, code);
  alignLeft(p, 20);
  if (namesCodes(type)) { puts(' ('); putCodeName(type, code); putc(41); }
  infoDone();
}

/** The fields of bytes 4-7; false when they run out. */
function dissectSecondWord(start: u32, end: u32, type: u32, code: u32, originalLength: u32, ttl: i32): bool {
  if (type == ECHO || type == ECHO_REPLY || (type >= TIMESTAMP && type <= MASK_REPLY)) {
    addNum(F_IDENT, u16at(start + 4, end));
    addNum(F_IDENT_LE, u16le(start + 4, end));
    if (!has(start, end, 8)) { markTruncated(); return false; }
    const seq = u16at(start + 6, end);
    addNum(F_SEQ, seq);
    addNum(F_SEQ_LE, u16le(start + 6, end));
    infoAppend();
    puts(' id='); putHex(u16at(start + 4, end), 4);
    puts(', seq='); putDec(seq); putc(47); putDec(u16le(start + 6, end));
    if (ttl >= 0) { puts(', ttl='); putDec(ttl); }
    infoDone();
    return true;
  }
  if (type == UNREACH || type == TIME_EXCEEDED) {
    if (originalLength > 0) {
      addBytes(F_UNUSED, start + 4, 1);
      addNum(F_LENGTH, originalLength);
      addNum(F_LENGTH_ORIGINAL, originalLength * 4);
      if (!has(start, end, 8)) { markTruncated(); return false; }
      if (type == UNREACH && code == FRAG_NEEDED) addNum(F_MTU, u16at(start + 6, end));
      else addBytes(F_UNUSED, start + 6, 2);
    } else if (type == UNREACH && code == FRAG_NEEDED) {
      addBytes(F_UNUSED, start + 4, 2);
      if (!has(start, end, 8)) { markTruncated(); return false; }
      addNum(F_MTU, u16at(start + 6, end));
    } else {
      if (!has(start, end, 8)) { markTruncated(); return false; }
      addBytes(F_UNUSED, start + 4, 4);
    }
  } else if (type == ROUTER_ADVERT) {
    addNum(F_NUM_ADDRS, u8at(start + 4, end));
    addNum(F_ADDR_ENTRY_SIZE, u8at(start + 5, end));
    if (!has(start, end, 8)) { markTruncated(); return false; }
    addNum(F_LIFETIME, u16at(start + 6, end));
  } else if (type == PARAM_PROBLEM) {
    addNum(F_POINTER, u8at(start + 4, end));
    if (originalLength > 0) {
      addNum(F_LENGTH, originalLength);
      addNum(F_LENGTH_ORIGINAL, originalLength * 4);
    }
    if (!has(start, end, 8)) { markTruncated(); return false; }
    if (originalLength > 0) addBytes(F_UNUSED, start + 6, 2);
    else addBytes(F_UNUSED, start + 5, 3);
  } else if (type == REDIRECT) {
    if (!has(start, end, 8)) { markTruncated(); return false; }
    addBytes(F_REDIR_GW, start + 4, 4);
  } else if (type == EXT_ECHO || type == EXT_ECHO_REPLY) {
    addNum(F_IDENT, u16at(start + 4, end));
    addNum(F_IDENT_LE, u16le(start + 4, end));
    addNum(F_EXT_ECHO_SEQ, u8at(start + 6, end));
    if (!has(start, end, 8)) { markTruncated(); return false; }
    const bits = u8at(start + 7, end);
    if (type == EXT_ECHO) {
      addNum(F_EXT_ECHO_REQ_RES, bits >> 1);
      addNum(F_EXT_ECHO_REQ_LOCAL, bits & 1);
    } else {
      addNum(F_EXT_ECHO_RSP_STATE, bits >> 5);
      addNum(F_EXT_ECHO_RSP_RES, (bits >> 3) & 3);
      addNum(F_EXT_ECHO_RSP_ACTIVE, (bits >> 2) & 1);
      addNum(F_EXT_ECHO_RSP_IPV4, (bits >> 1) & 1);
      addNum(F_EXT_ECHO_RSP_IPV6, bits & 1);
    }
  }
  return true;
}

/** The quoted datagram and, after it, any RFC 4884 extension objects. */
function dissectQuoted(start: u32, end: u32, type: u32, code: u32, originalLength: u32, reported: u32): void {
  if (!has(start, end, 8)) { markTruncated(); return; }
  const quote = start + 8;
  let quoteEnd = end;
  if (type == REDIRECT) {
    // No length field: the header and the 64 bits of data RFC 792 promises.
    if (!has(quote, end, 1)) { markTruncated(); return; }
    quoteEnd = clamp(quote, (u8at(quote, end) & 0x0f) * 4 + 8, end);
  } else if (originalLength > 0 && reported > 8 + originalLength * 4) {
    if (!has(quote, end, 4)) { markTruncated(); return; }
    if (u16at(quote + 2, end) > originalLength * 4) {
      quoteEnd = clamp(quote, ((u8at(quote, end) & 0x0f) + originalLength) * 4, end);
    }
  }
  dissectQuotedPacket(0x0800, quote, quoteEnd);
  writeInfo(type, code);
  if (reported > 8 + 128) {
    if (!has(quote, end, 4)) { markTruncated(); return; }
    if (u16at(quote + 2, end) <= 128) {
      const extOffset = (originalLength * 4 > 128 ? originalLength * 4 : 128) + 8;
      if (extOffset > end - start) { markTruncated(); return; }
      dissectIcmpExtension(start + extOffset, end);
    }
  }
}

/** Remembers a request; shows which request a reply answers and how long after. */
function matchEcho(type: u32, checksum: u32, ident: u32, seq: u32): void {
  const key1 = (ident << 16) | seq;
  if (type == ECHO) { addEchoReply(rememberRequest(1, partnerChecksum(checksum, 0x0800), key1), F_RESP_IN, F_NO_RESP); return; }
  const request = matchReply(1, checksum == 0xffff ? 0 : checksum, key1);
  if (request == 0) return;
  addNum(F_RESP_TO, request);
  if (unchecked(wanted[F_RESPTIME])) {
    const text = scratchBegin();
    putMilliseconds(matchedDelayNs());
    addBytes(F_RESPTIME, text, scratchEnd(text));
  }
  infoAppend(); puts(' (request in '); putDec(request); putc(41); infoDone();
}

function clamp(p: u32, n: u32, end: u32): u32 {
  return end - p > n ? p + n : end;
}

function dissectRouterAddresses(start: u32, end: u32): void {
  const count = u8at(start + 4, end);
  if (u8at(start + 5, end) != 2) { dissectData(start + 8, end); return; }
  for (let i: u32 = 0; i < count; i++) {
    const a = start + 8 + i * 8;
    if (!has(a, end, 4)) { markTruncated(); return; }
    addBytes(F_ROUTER_ADDRESS, a, 4);
    if (!has(a, end, 8)) { markTruncated(); return; }
    addNum(F_PREF_LEVEL, <u64><i64><i32>u32at(a + 4, end));
  }
}

// The best guess at a timeval in an echo's data (what ping puts there), as
// tshark 4.0 guesses it: 32-bit seconds and microseconds in either byte
// order, whichever lies closest to the frame's time, and within a day of it.
let guessSec: i64 = 0;
let guessUsec: i64 = 0;
let guessDeltaNs: i64 = 0;

function tryTimestamp(sec: i64, usec: i64, frameNs: i64): bool {
  if (usec >= 1_000_000) return false;
  let delta = frameNs - (sec * 1_000_000_000 + usec * 1000);
  if (delta < 0) delta = -delta;
  if (delta >= guessDeltaNs) return false;
  guessDeltaNs = delta; guessSec = sec; guessUsec = usec;
  return true;
}

/** 8 when the first 8 bytes at p look like the time the frame was sent, else 0. */
function guessTimestamp(p: u32, frameNs: i64): u32 {
  guessDeltaNs = 86_400 * 1_000_000_000;
  let found = tryTimestamp(<i64>load<u32>(p), <i64>load<u32>(p + 4), frameNs);
  if (tryTimestamp(<i64>bswap<u32>(load<u32>(p)), <i64>bswap<u32>(load<u32>(p + 4)), frameNs)) found = true;
  return found ? 8 : 0;
}

/** Echo data, which Wireshark's tree holds inside the ICMP item. */
function dissectEchoData(p: u32, end: u32): void {
  nestLayers();
  dissectEchoPayload(p, end);
  unnestLayers();
}

function dissectEchoPayload(p: u32, end: u32): void {
  if (p >= end) return;
  if (end - p < 8) { dissectData(p, end); return; }
  const frameNs = frameTime();
  const len = guessTimestamp(p, frameNs);
  if (len == 0) { dissectData(p, end); return; }
  if (unchecked(wanted[F_DATA_TIME])) {
    const text = scratchBegin();
    putAbsoluteTime(guessSec, <u32>guessUsec * 1000);
    addBytes(F_DATA_TIME, text, scratchEnd(text));
  }
  addNum(F_DATA_TIME_RELATIVE, <u64>(frameNs - (guessSec * 1_000_000_000 + guessUsec * 1000)));
  dissectData(p + len, end);
}

registerIpProto(1, dissectIcmp);
