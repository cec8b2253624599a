// Pragmatic General Multicast (RFC 3208), IP protocol 113, as tshark 4.0
// shows it: 'POLL  sqn 0x0 gsi 83f2d6491cb3 subtype General', the header and
// each type's fields, the options walk with tshark's cursor (which moves by
// what it read, not by an option's length), and ODATA/RDATA payload as data.
// tshark's UDP encapsulation has no default port, so only IP carries PGM.
import { protocol, uint, flag, bytes, ipv4, ipv6, Base } from '../fields';
import { beginItemLayer, addCalled, calledMark, forgetCallsSince, addNum, addBytes, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { has, be16, be32 } from '../cursor';
import { registerIpProtoTry } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec, putHexDigits, putHexBytes } from '../text';
import { ChecksumStatus, onesComplementAdd, foldChecksum } from './inet-cksum';

const PROTO_PGM = protocol('pgm', 'Pragmatic General Multicast');
const F_PORT = uint('pgm.port', 'Port', 16);
const F_SPORT = uint('pgm.hdr.sport', 'Source Port', 16);
const F_DPORT = uint('pgm.hdr.dport', 'Destination Port', 16);
const F_TYPE = uint('pgm.hdr.type', 'Type', 8, Base.HEX);
const F_OPTS = uint('pgm.hdr.opts', 'Options', 8, Base.HEX);
const F_OPTS_OPT = flag('pgm.hdr.opts.opt', 'Options');
const F_OPTS_NETSIG = flag('pgm.hdr.opts.netsig', 'Network Significant Options');
const F_OPTS_VARLEN = flag('pgm.hdr.opts.varlen', 'Variable length Parity Packet Option');
const F_OPTS_PARITY = flag('pgm.hdr.opts.parity', 'Parity');
const F_CKSUM = uint('pgm.hdr.cksum', 'Checksum', 16, Base.HEX);
const F_CKSUM_STATUS = uint('pgm.hdr.cksum.status', 'Checksum Status', 8);
const F_GSI = bytes('pgm.hdr.gsi', 'Global Source Identifier');
const F_TSDULEN = uint('pgm.hdr.tsdulen', 'Transport Service Data Unit Length', 16);
const F_SPM_SQN = uint('pgm.spm.sqn', 'Sequence number', 32, Base.HEX);
const F_SPM_TRAIL = uint('pgm.spm.trail', 'Trailing Edge Sequence Number', 32, Base.HEX);
const F_SPM_LEAD = uint('pgm.spm.lead', 'Leading Edge Sequence Number', 32, Base.HEX);
const F_SPM_PATHAFI = uint('pgm.spm.pathafi', 'Path NLA AFI', 16);
const F_SPM_RES = uint('pgm.spm.res', 'Reserved', 16, Base.HEX);
const F_SPM_PATH = ipv4('pgm.spm.path.ipv4', 'Path NLA');
const F_SPM_PATH6 = ipv6('pgm.spm.path.ipv6', 'Path NLA');
const F_NAK_SQN = uint('pgm.nak.sqn', 'Requested Sequence Number', 32, Base.HEX);
const F_NAK_SRCAFI = uint('pgm.nak.srcafi', 'Source NLA AFI', 16);
const F_NAK_SRCRES = uint('pgm.nak.srcres', 'Reserved', 16, Base.HEX);
const F_NAK_SRC = ipv4('pgm.nak.src.ipv4', 'Source NLA');
const F_NAK_SRC6 = ipv6('pgm.nak.src.ipv6', 'Source NLA');
const F_NAK_GRPAFI = uint('pgm.nak.grpafi', 'Multicast Group AFI', 16);
const F_NAK_GRPRES = uint('pgm.nak.grpres', 'Reserved', 16, Base.HEX);
const F_NAK_GRP = ipv4('pgm.nak.grp.ipv4', 'Multicast Group NLA');
const F_NAK_GRP6 = ipv6('pgm.nak.grp.ipv6', 'Multicast Group NLA');
const F_POLL_SQN = uint('pgm.poll.sqn', 'Sequence Number', 32, Base.HEX);
const F_POLL_ROUND = uint('pgm.poll.round', 'Round', 16);
const F_POLL_SUBTYPE = uint('pgm.poll.subtype', 'Subtype', 16, Base.HEX);
const F_POLL_PATHAFI = uint('pgm.poll.pathafi', 'Path NLA AFI', 16);
const F_POLL_RES = uint('pgm.poll.res', 'Reserved', 16, Base.HEX);
const F_POLL_PATH = ipv4('pgm.poll.path.ipv4', 'Path NLA');
const F_POLL_PATH6 = ipv6('pgm.poll.path.ipv6', 'Path NLA');
const F_POLL_BACKOFF = uint('pgm.poll.backoff_ivl', 'Back-off Interval');
const F_POLL_RAND = uint('pgm.poll.rand_str', 'Random String', 32, Base.HEX);
const F_POLL_BMASK = uint('pgm.poll.matching_bmask', 'Matching Bitmask', 32, Base.HEX);
const F_POLR_SQN = uint('pgm.polr.sqn', 'Sequence Number', 32, Base.HEX);
const F_POLR_ROUND = uint('pgm.polr.round', 'Round', 16);
const F_POLR_RES = uint('pgm.polr.res', 'Reserved', 16, Base.HEX);
const F_ACK_MAXSQN = uint('pgm.ack.maxsqn', 'Maximum Received Sequence Number', 32, Base.HEX);
const F_ACK_BITMAP = uint('pgm.ack.bitmap', 'Packet Bitmap', 32, Base.HEX);
const F_OPT_TYPE = uint('pgm.opts.type', 'Type', 8, Base.HEX);
const F_OPT_LEN = uint('pgm.opts.len', 'Length', 8);
const F_OPT_TLEN = uint('pgm.opts.tlen', 'Total Length', 16);
const F_GENOPT_END = flag('pgm.genopts.end', 'Option end');
const F_GENOPT_TYPE = uint('pgm.genopts.type', 'Type', 8, Base.HEX);
const F_GENOPT_LEN = uint('pgm.genopts.len', 'Length', 8);
const F_GENOPT_OPX = uint('pgm.genopts.opx', 'Option Extensibility Bits', 8, Base.HEX);
// tshark registers the parity group's fields under the parity parameters' names.
const F_PARITY_OP = uint('pgm.opts.parity_prm.op', 'Parity Parameters', 8, Base.HEX);
const F_PARITY_GRP = uint('pgm.opts.parity_prm.prm_grp', 'Transmission Group Size', 32, Base.HEX);
const F_JOIN_RES = uint('pgm.opts.join.res', 'Reserved', 8, Base.HEX);
const F_JOIN_MIN = uint('pgm.opts.join.min_join', 'Minimum Sequence Number', 32, Base.HEX);
const F_NAK_OP = uint('pgm.opts.nak.op', 'Reserved', 8, Base.HEX);
// The congestion control feedback option's fields share the data option's names.
const F_CCDATA_RES = uint('pgm.opts.ccdata.res', 'Reserved', 8);
const F_CCDATA_TSTAMP = uint('pgm.opts.ccdata.tstamp', 'Time Stamp', 16, Base.HEX);
const F_CCDATA_AFI = uint('pgm.opts.ccdata.afi', 'Acker AFI', 16);
const F_CCDATA_RES2 = uint('pgm.opts.ccdata.res2', 'Reserved', 16);
const F_CCDATA_LOSSRATE = uint('pgm.opts.ccdata.lossrate', 'Loss Rate', 16, Base.HEX);
const F_CCDATA_ACKER = ipv4('pgm.opts.ccdata.acker.ipv4', 'Acker');
const F_CCDATA_ACKER6 = ipv6('pgm.opts.ccdata.acker.ipv6', 'Acker');
const F_BO_IVL_RES = uint('pgm.opts.nak_bo_ivl.res', 'Reserved', 8, Base.HEX);
const F_BO_IVL = uint('pgm.opts.nak_bo_ivl.bo_ivl', 'Back-off Interval');
const F_BO_IVL_SQN = uint('pgm.opts.nak_bo_ivl.bo_ivl_sqn', 'Back-off Interval Sequence Number', 32, Base.HEX);
const F_BO_RNG_RES = uint('pgm.opts.nak_bo_rng.res', 'Reserved', 8, Base.HEX);
const F_BO_RNG_MIN = uint('pgm.opts.nak_bo_rng.min_bo_ivl', 'Min Back-off Interval');
const F_BO_RNG_MAX = uint('pgm.opts.nak_bo_rng.max_bo_ivl', 'Max Back-off Interval');
const F_REDIRECT_RES = uint('pgm.opts.redirect.res', 'Reserved', 8);
const F_REDIRECT_AFI = uint('pgm.opts.redirect.afi', 'DLR AFI', 16);
const F_REDIRECT_RES2 = uint('pgm.opts.redirect.res2', 'Reserved', 16, Base.HEX);
const F_REDIRECT_DLR = ipv4('pgm.opts.redirect.dlr.ipv4', 'DLR');
const F_REDIRECT_DLR6 = ipv6('pgm.opts.redirect.dlr.ipv6', 'DLR');
const F_FRAGMENT_RES = uint('pgm.opts.fragment.res', 'Reserved', 8, Base.HEX);
const F_FRAGMENT_FIRST = uint('pgm.opts.fragment.first_sqn', 'First Sequence Number', 32, Base.HEX);
const F_FRAGMENT_OFFSET = uint('pgm.opts.fragment.fragment_offset', 'Fragment Offset');
const F_FRAGMENT_TOTAL = uint('pgm.opts.fragment.total_length', 'Total Length');

const IP_PROTO_PGM: u32 = 113;
const T_SPM: u32 = 0x00, T_POLL: u32 = 0x01, T_POLR: u32 = 0x02, T_ODATA: u32 = 0x04, T_RDATA: u32 = 0x05,
  T_NAK: u32 = 0x08, T_NNAK: u32 = 0x09, T_NCF: u32 = 0x0a, T_ACK: u32 = 0x0d;
const AFI_INET: u32 = 1, AFI_INET6: u32 = 2;

const O_NAK_LIST: u32 = 0x02, O_JOIN: u32 = 0x03, O_NAK_BO_IVL: u32 = 0x04, O_NAK_BO_RNG: u32 = 0x05,
  O_REDIRECT: u32 = 0x07, O_PARITY_PRM: u32 = 0x08, O_PARITY_GRP: u32 = 0x09, O_FRAGMENT: u32 = 0x01,
  O_CCDATA: u32 = 0x12, O_CCFEEDBACK: u32 = 0x13;

// Offsets are from the start of PGM, as tshark's cursor's are.
let base: u32 = 0;
let limit: u32 = 0;
let cur: u32 = 0;

/** Whether n bytes at offset o are captured, marking the packet as tshark's failed read would when not. */
function lacking(o: u32, n: u32): bool {
  if (has(base + o, limit, n)) return false;
  markReadPast(limit, base + o + n);
  return true;
}

/** An item of n bytes (1 to 4) at the cursor, added as field f; false when its read threw. */
function num(f: u32, n: u32): bool {
  if (lacking(cur, n)) return false;
  const p = base + cur;
  const v: u32 = n == 1 ? <u32>load<u8>(p) : n == 2 ? be16(p) : be32(p);
  addNum(f, v);
  cur += n;
  return true;
}

function raw(f: u32, n: u32): bool {
  if (lacking(cur, n)) return false;
  addBytes(f, base + cur, n);
  cur += n;
  return true;
}

/** An AFI and its 16-bit neighbour, then the address it names; -1 when a read threw, else the AFI. */
function address(afiField: u32, nextField: u32, v4: u32, v6: u32): i32 {
  if (lacking(cur, 2)) return -1;
  const afi = be16(base + cur);
  if (!num(afiField, 2) || !num(nextField, 2)) return -1;
  if (afi == AFI_INET) { if (!raw(v4, 4)) return -1; }
  else if (afi == AFI_INET6) { if (!raw(v6, 16)) return -1; }
  return <i32>afi;
}

/** The name of a type tshark writes an info line for; '' for the others. */
function typeName(type: u32): string {
  switch (type) {
    case T_SPM: return 'SPM';
    case T_POLL: return 'POLL';
    case T_POLR: return 'POLR';
    case T_ODATA: return 'ODATA';
    case T_RDATA: return 'RDATA';
    case T_NAK: return 'NAK';
    case T_NNAK: return 'NNAK';
    case T_NCF: return 'NCF';
    case T_ACK: return 'ACK';
    default: return '';
  }
}

/** The smallest length tshark accepts for an option it dissects field by field; 0 for those it checks no size of. */
function minimumSize(type: u32): u32 {
  switch (type) {
    case O_JOIN: case O_PARITY_PRM: case O_PARITY_GRP: return 8;
    case O_NAK_BO_IVL: case O_NAK_BO_RNG: case O_REDIRECT: return 12;
    case O_FRAGMENT: case O_CCDATA: case O_CCFEEDBACK: return 16;
    default: return 0;
  }
}

function knownOption(type: u32): bool {
  return type == O_NAK_LIST || minimumSize(type) != 0;
}

/** The option extension walk; false when a read threw. */
function options(): bool {
  if (lacking(cur, 1)) return false;
  const first = <u32>load<u8>(base + cur);
  if (!num(F_OPT_TYPE, 1)) return false;
  if (first != 0) return true;
  if (!num(F_OPT_LEN, 1)) return false;
  if (lacking(cur, 2)) return false;
  let total = be16(base + cur);
  if (!num(F_OPT_TLEN, 2)) return false;
  if (total < 4) return true;
  total -= 4;
  let last = false;
  // Each pass takes at least 4 from a 16-bit total, so at most 16384 passes.
  while (!last && total != 0) {
    if (total < 4) break;
    if (lacking(cur, 1) || lacking(cur + 1, 1)) return false;
    let type = <u32>load<u8>(base + cur);
    const len = <u32>load<u8>(base + cur + 1);
    if (type & 0x80) { type &= 0x7f; last = true; }
    // tshark's subtree for the option makes sure its bytes are there before checking its length.
    if (lacking(cur, len)) return false;
    if (len < 4 || total < len) return true;
    if (!knownOption(type)) {
      cur += len;
      total -= len;
      continue;
    }
    if (lacking(cur, 1)) return false;
    addNum(F_GENOPT_END, (<u32>load<u8>(base + cur) & 0x80) != 0 ? 1 : 0);
    addNum(F_GENOPT_TYPE, <u32>load<u8>(base + cur) & 0x7f);
    cur++;
    const size = minimumSize(type);
    if (size != 0 && len < size) {
      addNum(F_GENOPT_LEN, len);
      total -= len;
      continue;
    }
    if (!num(F_GENOPT_LEN, 1) || !num(F_GENOPT_OPX, 1)) return false;
    if (!optionBody(type)) return false;
    total -= len;
  }
  return true;
}

/** An option's fields after its type, length and extensibility bits; false when a read threw. */
function optionBody(type: u32): bool {
  switch (type) {
    case O_JOIN:
      return num(F_JOIN_RES, 1) && num(F_JOIN_MIN, 4);
    case O_PARITY_PRM:
    case O_PARITY_GRP:
      return num(F_PARITY_OP, 1) && num(F_PARITY_GRP, 4);
    case O_NAK_LIST: {
      if (lacking(cur - 2, 1)) return false;
      const listLen = (<u32>load<u8>(base + cur - 2) - 4) & 0xff;
      if (!num(F_NAK_OP, 1)) return false;
      if (lacking(cur, listLen)) return false;
      // The list's fields hold tshark's text of the numbers, not the numbers: not shown.
      cur += (listLen / 4) * 4;
      return true;
    }
    case O_CCDATA:
    case O_CCFEEDBACK: {
      if (!num(F_CCDATA_RES, 1) || lacking(cur, 4)) return false;
      // A 16-bit field read from 4 bytes: tshark keeps the low 16 bits.
      addNum(F_CCDATA_TSTAMP, be32(base + cur) & 0xffff);
      cur += 4;
      return address(F_CCDATA_AFI, type == O_CCDATA ? F_CCDATA_RES2 : F_CCDATA_LOSSRATE, F_CCDATA_ACKER, F_CCDATA_ACKER6) >= 0;
    }
    case O_NAK_BO_IVL:
      return num(F_BO_IVL_RES, 1) && num(F_BO_IVL, 4) && num(F_BO_IVL_SQN, 4);
    case O_NAK_BO_RNG:
      return num(F_BO_RNG_RES, 1) && num(F_BO_RNG_MIN, 4) && num(F_BO_RNG_MAX, 4);
    case O_REDIRECT:
      if (!num(F_REDIRECT_RES, 1)) return false;
      return address(F_REDIRECT_AFI, F_REDIRECT_RES2, F_REDIRECT_DLR, F_REDIRECT_DLR6) >= 0;
    case O_FRAGMENT:
      return num(F_FRAGMENT_RES, 1) && num(F_FRAGMENT_FIRST, 4) && num(F_FRAGMENT_OFFSET, 4) && num(F_FRAGMENT_TOTAL, 4);
  }
  return true;
}

// The reads tshark makes before writing the info column, in order, as offsets they end at.
const HEADER_READ_ENDS: StaticArray<u32> = [2, 4, 5, 6, 8, 14, 16, 20];

function dissectPgm(start: u32, end: u32): bool {
  if (reportedLength(start, end) < 18) return false;
  const mark = calledMark();
  addCalled(PROTO_PGM);
  base = start;
  limit = end;
  setProtocolColumn('PGM');
  infoSet(); infoDone();
  if (!has(start, end, 20)) {
    for (let i = 0; i < HEADER_READ_ENDS.length; i++) {
      if (lacking(0, unchecked(HEADER_READ_ENDS[i]))) break;
    }
    return true;
  }
  const type = <u32>load<u8>(start + 4);
  const opts = <u32>load<u8>(start + 5);
  const cksum = be16(start + 6);
  const sqn = be32(start + 16);
  let pollSubtype: u32 = 0;
  if (type == T_POLL) {
    if (lacking(22, 2)) return true;
    pollSubtype = be16(start + 22);
  }
  const isData = type == T_ODATA || type == T_RDATA;
  const name = typeName(type);
  // tshark takes an unknown type without showing anything of it (its dissector returns 0, so it is not listed).
  if (name.length == 0) { forgetCallsSince(mark); return true; }
  infoSet();
  puts(name);
  for (let n = name.length; n < 5; n++) putc(32);
  puts(' sqn 0x'); putHexDigits(sqn, 1);
  puts(' gsi '); putHexBytes(start + 8, 6);
  if (isData) { puts(' tsdulen '); putDec(be16(start + 14)); }
  if (type == T_POLL) {
    puts(' subtype ');
    if (pollSubtype == 0) puts('General');
    else if (pollSubtype == 1) puts('DLR');
    else { puts('Unknown (0x'); putHexDigits(pollSubtype, 2); puts(')'); }
  }
  infoDone();

  beginItemLayer(PROTO_PGM);
  addNum(F_PORT, be16(start));
  addNum(F_PORT, be16(start + 2));
  cur = 0;
  num(F_SPORT, 2); num(F_DPORT, 2); num(F_TYPE, 1);
  addNum(F_OPTS, opts);
  addNum(F_OPTS_OPT, opts & 0x01 ? 1 : 0);
  addNum(F_OPTS_NETSIG, opts & 0x02 ? 1 : 0);
  addNum(F_OPTS_VARLEN, opts & 0x40 ? 1 : 0);
  addNum(F_OPTS_PARITY, opts & 0x80 ? 1 : 0);
  cur = 6;
  if (!isData && cksum == 0) {
    addNum(F_CKSUM, 0);
    addNum(F_CKSUM_STATUS, ChecksumStatus.NOT_PRESENT);
  } else if (end - start >= reportedLength(start, end)) {
    // tshark hands its checksum routine the status field for the checksum
    // too: the status shows the checksum's first byte, then the verdict.
    addNum(F_CKSUM_STATUS, <u32>load<u8>(start + 6));
    const good = foldChecksum(onesComplementAdd(start, end - start, 0)) == 0;
    addNum(F_CKSUM_STATUS, good ? ChecksumStatus.GOOD : ChecksumStatus.BAD);
  } else {
    addNum(F_CKSUM, cksum);
    addNum(F_CKSUM_STATUS, ChecksumStatus.UNVERIFIED);
  }
  cur = 8;
  raw(F_GSI, 6);
  num(F_TSDULEN, 2);

  switch (type) {
    case T_SPM: {
      if (!num(F_SPM_SQN, 4) || !num(F_SPM_TRAIL, 4) || !num(F_SPM_LEAD, 4)) return true;
      const afi = address(F_SPM_PATHAFI, F_SPM_RES, F_SPM_PATH, F_SPM_PATH6);
      if (afi != <i32>AFI_INET && afi != <i32>AFI_INET6) return true;
      break;
    }
    case T_ODATA: case T_RDATA:
      if (!num(F_SPM_SQN, 4) || !num(F_SPM_TRAIL, 4)) return true;
      break;
    case T_NAK: case T_NNAK: case T_NCF: {
      if (!num(F_NAK_SQN, 4)) return true;
      if (address(F_NAK_SRCAFI, F_NAK_SRCRES, F_NAK_SRC, F_NAK_SRC6) < 0) return true;
      const afi = address(F_NAK_GRPAFI, F_NAK_GRPRES, F_NAK_GRP, F_NAK_GRP6);
      if (afi != <i32>AFI_INET && afi != <i32>AFI_INET6) return true;
      break;
    }
    case T_POLL:
      if (!num(F_POLL_SQN, 4) || !num(F_POLL_ROUND, 2) || !num(F_POLL_SUBTYPE, 2)) return true;
      if (address(F_POLL_PATHAFI, F_POLL_RES, F_POLL_PATH, F_POLL_PATH6) < 0) return true;
      if (!num(F_POLL_BACKOFF, 4) || !num(F_POLL_RAND, 4) || !num(F_POLL_BMASK, 4)) return true;
      break;
    case T_POLR:
      if (!num(F_POLR_SQN, 4) || !num(F_POLR_ROUND, 2) || !num(F_POLR_RES, 2)) return true;
      break;
    case T_ACK:
      if (!num(F_ACK_MAXSQN, 4) || !num(F_ACK_BITMAP, 4)) return true;
      break;
  }
  if ((opts & 0x01) != 0 && !options()) return true;
  if (isData) {
    // The payload starts where the cursor stopped, even past the captured bytes.
    if (cur > end - start) { markReadPast(end, start + cur); return true; }
    dissectData(start + cur, end);
  }
  return true;
}

registerIpProtoTry(IP_PROTO_PGM, dissectPgm);
