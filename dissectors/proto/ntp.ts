// NTP on UDP port 123: the time packet of modes 0-5 (RFC 5905) with its
// extension fields and MAC, the header of mode 6 control messages (RFC 1305
// appendix B) and of ntpd's mode 7 private requests.  tshark's info line:
// "NTP Version 4, client", "..., control", "..., private, Request, PEER_LIST".
import { protocol, uint, str, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, reportedLength, wanted } from '../packet';
import { u8at, u16at, u32at, has, cutShort } from '../cursor';
import { registerUdpPortTry } from '../dispatch';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, tableName } from '../text';
import { putAbsoluteTime } from './abs-time';

const PROTO_NTP = protocol('ntp', 'Network Time Protocol');
const F_FLAGS = uint('ntp.flags', 'Flags', 8, Base.HEX);
const F_LI = uint('ntp.flags.li', 'Leap Indicator', 8);
const F_VN = uint('ntp.flags.vn', 'Version number', 8);
const F_MODE = uint('ntp.flags.mode', 'Mode', 8);
const F_STRATUM = uint('ntp.stratum', 'Peer Clock Stratum', 8);
const F_PPOLL = uint('ntp.ppoll', 'Peer Polling Interval', 8);
const F_PRECISION = uint('ntp.precision', 'Peer Clock Precision', 8);
const F_ROOTDELAY = uint('ntp.rootdelay', 'Root Delay', 32);
const F_ROOTDISPERSION = uint('ntp.rootdispersion', 'Root Dispersion', 32);
const F_REFID = bytes('ntp.refid', 'Reference ID');
const F_REFTIME = str('ntp.reftime', 'Reference Timestamp');
const F_ORG = str('ntp.org', 'Origin Timestamp');
const F_REC = str('ntp.rec', 'Receive Timestamp');
const F_XMT = str('ntp.xmt', 'Transmit Timestamp');
const F_EXT_TYPE = uint('ntp.ext.type', 'Field Type', 16, Base.HEX);
const F_EXT_LENGTH = uint('ntp.ext.length', 'Length', 16);
const F_EXT_VALUE = bytes('ntp.ext.value', 'Value');
const F_KEYID = bytes('ntp.keyid', 'Key ID');
const F_MAC = bytes('ntp.mac', 'Message Authentication Code');
const F_CTRL_FLAGS2 = uint('ntp.ctrl.flags2', 'Flags 2', 8, Base.HEX);
const F_CTRL_R = uint('ntp.ctrl.flags2.r', 'Response bit', 8);
const F_CTRL_ERROR = uint('ntp.ctrl.flags2.error', 'Error bit', 8);
const F_CTRL_MORE = uint('ntp.ctrl.flags2.more', 'More bit', 8);
const F_CTRL_OPCODE = uint('ntp.ctrl.flags2.opcode', 'Opcode', 8);
const F_CTRL_SEQUENCE = uint('ntp.ctrl.sequence', 'Sequence', 16);
const F_CTRL_STATUS = uint('ntp.ctrl.status', 'Status', 16, Base.HEX);
const F_CTRL_ASSOCID = uint('ntp.ctrl.associd', 'AssociationID', 16);
const F_CTRL_OFFSET = uint('ntp.ctrl.offset', 'Offset', 16);
const F_CTRL_COUNT = uint('ntp.ctrl.count', 'Count', 16);
const F_PRIV_R = uint('ntp.priv.flags.r', 'Response bit', 8);
const F_PRIV_MORE = uint('ntp.priv.flags.more', 'More bit', 8);
const F_PRIV_AUTH_SEQ = uint('ntp.priv.auth_seq', 'Auth, sequence', 8);
const F_PRIV_AUTH = uint('ntp.priv.auth', 'Auth bit', 8);
const F_PRIV_SEQ = uint('ntp.priv.seq', 'Sequence number', 8);
const F_PRIV_IMPL = uint('ntp.priv.impl', 'Implementation', 8);
const F_PRIV_REQCODE = uint('ntp.priv.reqcode', 'Request code', 8);
const F_PRIV_ERR = uint('ntp.priv.err', 'Err', 8, Base.HEX);
const F_PRIV_NUMITEMS = uint('ntp.priv.numitems', 'Number of data items', 16);
const F_PRIV_RESERVED = uint('ntp.priv.reserved', 'Reserved', 8, Base.HEX);
const F_PRIV_ITEMSIZE = uint('ntp.priv.itemsize', 'Size of data item', 16);

const PORT: u32 = 123;
const MODE_CONTROL: u32 = 6;
const MODE_PRIVATE: u32 = 7;
const TIME_PACKET_LEN: u32 = 48;
const CONTROL_HEADER_LEN: u32 = 12;
const OPCODE_READ_STATUS: u32 = 1;
const PRIVATE_HEADER_LEN: u32 = 8;
/** Extension fields (RFC 7822) are at least this long; a MAC is a key id and at least a 16-byte MD5 digest. */
const MIN_EXTENSION_LEN: u32 = 16;
const MIN_MAC_LEN: u32 = 20;
/** Seconds from 1900 (NTP's era 0) to 1970; era 1 starts in 2036, when the 32-bit seconds wrap. */
const NTP_UNIX_OFFSET: i64 = 2_208_988_800;

// tshark's info words for each mode, and its names for the versions and mode 7 request codes.
const MODE_NAMES: StaticArray<string> = [
  'reserved', 'symmetric active', 'symmetric passive', 'client', 'server', 'broadcast', 'control', 'private',
];
const REQUEST_CODES: StaticArray<string> = [
  'PEER_LIST', 'PEER_LIST_SUM', 'PEER_INFO', 'PEER_STATS', 'SYS_INFO', 'SYS_STATS', 'IO_STATS', 'MEM_STATS',
  'LOOP_INFO', 'TIMER_STATS', 'CONFIG', 'UNCONFIG', 'SET_SYS_FLAG', 'CLR_SYS_FLAG', 'MONITOR', 'NOMONITOR',
  'GET_RESTRICT', 'RESADDFLAGS', 'RESSUBFLAGS', 'UNRESTRICT', 'MON_GETLIST', 'RESET_STATS', 'RESET_PEER',
  'REREAD_KEYS', 'DO_DIRTY_HACK', 'DONT_DIRTY_HACK', 'TRUSTKEY', 'UNTRUSTKEY', 'AUTHINFO', 'TRAPS', 'ADD_TRAP',
  'CLR_TRAP', 'REQUEST_KEY', 'CONTROL_KEY', 'GET_CTLSTATS', 'GET_LEAPINFO', 'GET_CLOCKINFO', 'SET_CLKFUDGE',
  'GET_KERNEL', 'GET_CLKBUGINFO', '', 'SET_PRECISION', 'MON_GETLIST_1', 'HOSTNAME_ASSOCID', 'IF_STATS', 'IF_RELOAD',
];
const TIMESTAMP_FIELDS: StaticArray<u32> = [F_REFTIME, F_ORG, F_REC, F_XMT];

function dissectNtp(start: u32, end: u32): bool {
  // An empty datagram is not NTP: UDP keeps it.
  if (reportedLength(start, end) == 0) return false;
  setProtocolColumn('NTP');
  beginLayer(PROTO_NTP);
  const flags = u8at(start, end);
  const version = (flags >> 3) & 7;
  const mode = flags & 7;
  infoSet();
  if (version >= 1 && version <= 4) { puts('NTP Version '); putc(0x30 + version); }
  else puts('reserved');
  puts(', ');
  puts(unchecked(MODE_NAMES[mode]));
  infoDone();
  addNum(F_FLAGS, flags);
  if (mode == MODE_PRIVATE) {
    addNum(F_PRIV_R, flags >> 7);
    addNum(F_PRIV_MORE, (flags >> 6) & 1);
  } else {
    addNum(F_LI, flags >> 6);
  }
  addNum(F_VN, version);
  addNum(F_MODE, mode);
  if (mode == MODE_CONTROL) dissectControl(start, end);
  else if (mode == MODE_PRIVATE) dissectPrivate(start, end, flags);
  else dissectTimePacket(start, end);
  return true;
}

function dissectTimePacket(start: u32, end: u32): void {
  if (cutShort(start, end, 2)) return;
  addNum(F_STRATUM, u8at(start + 1, end));
  if (cutShort(start, end, 3)) return;
  addNum(F_PPOLL, u8at(start + 2, end));
  if (cutShort(start, end, 4)) return;
  addNum(F_PRECISION, u8at(start + 3, end));
  if (cutShort(start, end, 8)) return;
  addNum(F_ROOTDELAY, u32at(start + 4, end));
  if (cutShort(start, end, 12)) return;
  addNum(F_ROOTDISPERSION, u32at(start + 8, end));
  if (cutShort(start, end, 16)) return;
  addBytes(F_REFID, start + 12, 4);
  for (let i: u32 = 0; i < 4; i++) {
    const at = start + 16 + 8 * i;
    if (cutShort(start, end, 24 + 8 * i)) return;
    addTimestamp(unchecked(TIMESTAMP_FIELDS[i]), u32at(at, end), u32at(at + 4, end));
  }
  dissectTrailer(start + TIME_PACKET_LEN, end, start + reportedLength(start, end));
}

/** An NTP timestamp as tshark shows it: "NULL" when zero, else UTC, era 0 when the top bit is set and era 1 when not. */
function addTimestamp(f: u32, seconds: u32, fraction: u32): void {
  if (!unchecked(wanted[f])) return;
  const text = scratchBegin();
  if (seconds == 0 && fraction == 0) {
    puts('NULL');
  } else {
    const era: i64 = seconds & 0x8000_0000 ? 0 : 1;
    putAbsoluteTime(<i64>seconds + (era << 32) - NTP_UNIX_OFFSET, <u32>((<u64>fraction * 1_000_000_000) >> 32));
  }
  addBytes(f, text, scratchEnd(text));
}

/**
 * After the 48 bytes: extension fields while they look valid, then a MAC
 * (key id, digest) in whatever is left, as tshark decides between them: a
 * remainder too short for a MAC was the last "extension field"'s end.
 */
function dissectTrailer(p: u32, end: u32, wireEnd: u32): void {
  let fieldsEnd = p;
  let lastLength: u32 = 0;
  while (wireEnd - fieldsEnd >= MIN_EXTENSION_LEN) {
    const length = u16at(fieldsEnd + 2, end);
    if (length < MIN_EXTENSION_LEN || wireEnd - fieldsEnd < length) break;
    fieldsEnd += length;
    lastLength = length;
  }
  const macLength = wireEnd - fieldsEnd;
  const cryptoNak = macLength == 4 && u32at(fieldsEnd, end) == 0;
  if (macLength > 0 && !cryptoNak && macLength < MIN_MAC_LEN) fieldsEnd -= lastLength;
  while (p < fieldsEnd) {
    const length = u16at(p + 2, end);
    addNum(F_EXT_TYPE, u16at(p, end));
    addNum(F_EXT_LENGTH, length);
    // A length that is no multiple of four ends the packet's dissection.
    if (length % 4 != 0) return;
    if (!has(p + 4, end, length - 4)) { markTruncated(); return; }
    addBytes(F_EXT_VALUE, p + 4, length - 4);
    p += length;
  }
  if (wireEnd - p >= 4) {
    if (!has(p, end, 4)) { markTruncated(); return; }
    addBytes(F_KEYID, p, 4);
  }
  p += 4;
  if (p < wireEnd) {
    if (!has(p, end, wireEnd - p)) { markTruncated(); return; }
    addBytes(F_MAC, p, wireEnd - p);
  }
}

function dissectControl(start: u32, end: u32): void {
  if (cutShort(start, end, 2)) return;
  const flags2 = u8at(start + 1, end);
  addNum(F_CTRL_FLAGS2, flags2);
  addNum(F_CTRL_R, flags2 >> 7);
  addNum(F_CTRL_ERROR, (flags2 >> 6) & 1);
  addNum(F_CTRL_MORE, (flags2 >> 5) & 1);
  addNum(F_CTRL_OPCODE, flags2 & 0x1f);
  // tshark reads the association id before it shows the status: the header is all there or the packet is cut.
  if (cutShort(start, end, 8)) return;
  addNum(F_CTRL_SEQUENCE, u16at(start + 2, end));
  addNum(F_CTRL_STATUS, u16at(start + 4, end));
  addNum(F_CTRL_ASSOCID, u16at(start + 6, end));
  if (cutShort(start, end, 10)) return;
  addNum(F_CTRL_OFFSET, u16at(start + 8, end));
  if (cutShort(start, end, CONTROL_HEADER_LEN)) return;
  const count = u16at(start + 10, end);
  addNum(F_CTRL_COUNT, count);
  if (cutShort(start + CONTROL_HEADER_LEN, end, count)) return;
  // A system status reply lists an association id and its status word per peer.
  if ((flags2 & 0x1f) != OPCODE_READ_STATUS || u16at(start + 6, end) != 0) return;
  let p = start + CONTROL_HEADER_LEN;
  for (let left = count; left > 0; left -= 4, p += 4) {
    if (left < 4) { markTruncated(); return; }
    addNum(F_CTRL_ASSOCID, u16at(p, end));
    addNum(F_CTRL_STATUS, u16at(p + 2, end));
  }
}

function dissectPrivate(start: u32, end: u32, flags: u32): void {
  if (cutShort(start, end, 2)) return;
  const authSeq = u8at(start + 1, end);
  addNum(F_PRIV_AUTH_SEQ, authSeq);
  addNum(F_PRIV_AUTH, authSeq >> 7);
  addNum(F_PRIV_SEQ, authSeq & 0x7f);
  if (cutShort(start, end, 3)) return;
  addNum(F_PRIV_IMPL, u8at(start + 2, end));
  if (cutShort(start, end, 4)) return;
  const code = u8at(start + 3, end);
  infoAppendPrivate(flags >> 7 != 0, code);
  addNum(F_PRIV_REQCODE, code);
  // The error and the item count share a 16-bit word (4 + 12 bits), as do a reserved nibble and the item size.
  if (cutShort(start, end, 5)) return;
  addNum(F_PRIV_ERR, u8at(start + 4, end) >> 4);
  if (cutShort(start, end, 6)) return;
  const items = u16at(start + 4, end) & 0xfff;
  addNum(F_PRIV_NUMITEMS, items);
  if (cutShort(start, end, 7)) return;
  addNum(F_PRIV_RESERVED, u8at(start + 6, end) >> 4);
  if (cutShort(start, end, PRIVATE_HEADER_LEN)) return;
  const itemSize = u16at(start + 6, end) & 0xfff;
  addNum(F_PRIV_ITEMSIZE, itemSize);
  cutShort(start + PRIVATE_HEADER_LEN, end, items * itemSize);
}

function infoAppendPrivate(response: bool, code: u32): void {
  infoAppend();
  puts(response ? ', Response, ' : ', Request, ');
  puts(tableName(REQUEST_CODES, code, 'Unknown'));
  infoDone();
}

registerUdpPortTry(PORT, dissectNtp);
