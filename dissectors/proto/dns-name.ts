// Text in DNS: domain names (RFC 1035 4.1.4), with labels and compression
// pointers expanded the way Wireshark 4.0 expands them, odd cases included, so
// that the text is tshark's; character-strings; and the names of types,
// opcodes and reply codes for the info column.  A domain name is built in a fixed buffer, then
// formatted (control bytes escaped, bad UTF-8 replaced) into scratch space.
import { markTruncated, markMalformed } from '../packet';
import { scratchBegin, scratchEnd, infoAppend, infoDone } from '../columns';
import { has } from '../cursor';
import { putc, puts, putDec, putRaw, tableName } from '../text';

// Wireshark keeps at most 255 bytes of a name, the terminating NUL included.
const MAX_NAME: i32 = 255;
// Followed pointers before a name is called a loop.
const MAX_POINTERS: i32 = 255;

const raw = memory.data(MAX_NAME + 1);

/** Bytes the name occupies where it starts (a pointer ends it there). */
export let nameUsed: i32 = 0;
/** The formatted name, in scratch space. */
export let nameText: u32 = 0;
export let nameTextLen: u32 = 0;
/** Label bytes and dots, as Wireshark counts them (dns.qry.name.len, labels). */
export let nameRawLen: u32 = 0;

// Steps (labels and pointers) allowed per message: Wireshark's walk is bounded
// but can be made very long by a crafted packet; past this we give up as on an error.
const STEP_BUDGET: i32 = 1 << 28;
let steps: i32 = 0;
export function resetNameBudget(): void { steps = STEP_BUDGET; }

let written: i32 = 0;  // bytes in `raw`
let room: i32 = 0;     // Wireshark's `maxname`
let rawLen: u32 = 0;

function setMarker(s: string): void {
  for (let i = 0; i < s.length; i++) store<u8>(raw + <u32>i, <u8>s.charCodeAt(i));
  written = s.length;
  rawLen = <u32>s.length;
}

/** Appends formatted text as snprintf into the remaining room would: all of it or, if it does not fit, nothing more ever. */
function putSnprintf(p: u32, n: i32): void {
  if (room <= 0) return;
  if (n > room) { room = 0; return; }
  memory.copy(raw + <u32>written, p, <u32>n);
  written += n;
  room -= n;
}

const hexBuf = memory.data(16);

/** "\\[x<hex>/<bits>]"; a byte is read only while there is room, as in Wireshark. */
function putBitstring(p: u32, end: u32, bits: u32, bytes: u32): bool {
  store<u8>(hexBuf, 92); store<u8>(hexBuf, 91, 1); store<u8>(hexBuf, 120, 2);
  putSnprintf(hexBuf, 3);
  for (let i: u32 = 0; i < bytes; i++) {
    if (room <= 0) continue;
    if (p + i >= end) return false;
    const b = <u32>load<u8>(p + i);
    store<u8>(hexBuf, <u8>hexChar(b >> 4)); store<u8>(hexBuf, <u8>hexChar(b & 15), 1);
    putSnprintf(hexBuf, 2);
  }
  store<u8>(hexBuf, 47);
  let n: u32 = 1;
  if (bits >= 100) { store<u8>(hexBuf + n, <u8>(48 + bits / 100)); n++; }
  if (bits >= 10) { store<u8>(hexBuf + n, <u8>(48 + (bits / 10) % 10)); n++; }
  store<u8>(hexBuf + n, <u8>(48 + bits % 10));
  store<u8>(hexBuf + n + 1, 93);
  putSnprintf(hexBuf, <i32>n + 2);
  return true;
}

@inline function hexChar(d: u32): u32 { return d < 10 ? 48 + d : 87 + d; }

/**
 * Expands the name at p of the message [msg, end).  Returns false where
 * Wireshark throws (the name runs past the data, or a label type it refuses),
 * after marking the packet.  On success nameUsed, nameText and nameRawLen are set.
 */
export function readName(msg: u32, end: u32, p: u32): bool {
  const start = p;
  let used: i32 = -1;
  let pointers: i32 = 0;
  written = 0;
  room = MAX_NAME;
  rawLen = 0;
  let marker = false;
  for (;;) {
    if (--steps < 0) { markMalformed(); return false; }
    if (p >= end) { markTruncated(); return false; }
    const c = <u32>load<u8>(p);
    p++;
    if (c == 0) break;
    const kind = c & 0xc0;
    if (kind == 0) {
      if (written != 0) {
        if (room > 0) { store<u8>(raw + <u32>written, 46); written++; rawLen++; room--; }
      } else {
        room--;
      }
      // Label bytes past the room are skipped unread, as Wireshark does.
      const take: u32 = room > 0 ? min(c, <u32>room) : 0;
      if (p + take > end) { markTruncated(); return false; }
      memory.copy(raw + <u32>written, p, take);
      written += <i32>take; rawLen += take; room -= <i32>take;
      p += c;
    } else if (kind == 0x40) {
      if ((c & 0x3f) != 1) {
        // An extended label of unknown length ends the name where it stands.
        setMarker('<Unknown extended label>');
        used = <i32>(p - start);
        if (used < 1) { markMalformed(); return false; }
        marker = true;
        break;
      }
      if (p >= end) { markTruncated(); return false; }
      const bits = <u32>load<u8>(p);
      p++;
      const bytes: u32 = bits == 0 ? 1 : (bits - 1) / 8 + 1;
      if (!putBitstring(p, end, bits, bytes)) { markTruncated(); return false; }
      p += bytes;
    } else if (kind == 0x80) {
      markMalformed();
      return false;
    } else {
      if (p >= end) { markTruncated(); return false; }
      const target = msg + (((c & 0x3f) << 8) | <u32>load<u8>(p));
      p++;
      pointers++;
      if (used < 0) used = <i32>(p - start);
      // Wireshark's self-pointer test looks two bytes past the pointer; kept as is.
      if (target == p + 2 || pointers > MAX_POINTERS) {
        setMarker('<Name contains a pointer that loops>');
        marker = true;
        break;
      }
      p = target;
    }
  }
  if (!marker && room <= 0) setMarker('<Name too long>');
  if (used < 0) used = <i32>(p - start);
  nameUsed = used;
  const empty = !marker && room > 0 && (written == 0 || load<u8>(raw) == 0);
  if (empty && used <= 2) {
    setMarker('<Root>');
  } else if (used < 2 || (used > 2 && rawLen == 0)) {
    markMalformed();
    return false;
  }
  nameRawLen = rawLen;
  const t = scratchBegin();
  putFormattedText(raw, rawLen);
  nameTextLen = scratchEnd(t);
  nameText = t;
  return true;
}

/** Wireshark's label count: the dots of the raw name plus one, 0 for a name of one byte or none. */
export function nameLabelCount(): u32 {
  if (rawLen <= 1) return 0;
  let n: u32 = 1;
  for (let i: u32 = 0; i < rawLen; i++) if (load<u8>(raw + i) == 46) n++;
  return n;
}

/** The raw (unformatted) name, which some info column entries show. */
export function putRawName(): void {
  for (let i: u32 = 0; i < rawLen; i++) {
    const c = <u32>load<u8>(raw + i);
    if (c == 0) return; // a C string ends at its first NUL
    putc(c);
  }
}

// Wireshark's format_text(): printable ASCII as is, other ASCII as C escapes
// (\n, \t ... or octal \ooo), UTF-8 sequences decoded permissively (overlong
// forms accepted) and re-encoded, broken ones as U+FFFD, and code points that
// are not printable as \uXXXX / \UXXXXXXXX.
const REPLACEMENT: u32 = 0xfffd;

function putFormattedText(p: u32, n: u32): void {
  const end = p + n;
  while (p < end) {
    // A run of printable ASCII, most names, goes out in one copy.
    let q = p;
    while (q < end && <u32>load<u8>(q) - 0x20 < 0x5f) q++;
    if (q > p) { putRaw(p, q - p); p = q; continue; }
    let c = <u32>load<u8>(p++);
    if (c < 0x80) { putAsciiEscape(c); continue; }
    let more: i32 = -1;
    let cp: u32 = 0;
    if ((c & 0xe0) == 0xc0) { more = 1; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { more = 2; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { more = 3; cp = c & 0x07; }
    else if ((c & 0xfc) == 0xf8) { more = 4; cp = c & 0x03; }
    else if ((c & 0xfe) == 0xfc) { more = 5; cp = c & 0x01; }
    if (more < 0) cp = REPLACEMENT;
    for (let i = 0; i < more; i++) {
      if (p >= end) { cp = REPLACEMENT; break; }
      c = <u32>load<u8>(p);
      // A byte that does not continue the sequence starts the next character.
      if ((c & 0xc0) != 0x80) { cp = REPLACEMENT; break; }
      p++;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = REPLACEMENT;
    if (isPrintable(cp)) putUtf8(cp);
    else putUniversalName(cp);
  }
}

function putAsciiEscape(c: u32): void {
  putc(92);
  switch (c) {
    case 7: putc(97); return;
    case 8: putc(98); return;
    case 12: putc(102); return;
    case 10: putc(110); return;
    case 13: putc(114); return;
    case 9: putc(116); return;
    case 11: putc(118); return;
    default: putc(48 + ((c >> 6) & 3)); putc(48 + ((c >> 3) & 7)); putc(48 + (c & 7));
  }
}

function putUtf8(cp: u32): void {
  if (cp < 0x80) { putc(cp); return; }
  if (cp < 0x800) { putc(0xc0 | (cp >> 6)); putc(0x80 | (cp & 0x3f)); return; }
  if (cp < 0x10000) { putc(0xe0 | (cp >> 12)); putc(0x80 | ((cp >> 6) & 0x3f)); putc(0x80 | (cp & 0x3f)); return; }
  putc(0xf0 | (cp >> 18)); putc(0x80 | ((cp >> 12) & 0x3f)); putc(0x80 | ((cp >> 6) & 0x3f)); putc(0x80 | (cp & 0x3f));
}

function putUniversalName(cp: u32): void {
  putc(92);
  const digits: i32 = cp <= 0xffff ? 4 : 8;
  putc(digits == 4 ? 117 : 85);
  for (let i = digits - 1; i >= 0; i--) {
    const d = (cp >> (<u32>i * 4)) & 15;
    putc(d < 10 ? 48 + d : 55 + d);
  }
}

// GLib's g_unichar_isprint() is false for control, format, unassigned and
// surrogate code points.  Controls, the format characters and the
// noncharacters are listed here; other unassigned code points print as
// themselves (a known, rare difference).
function isPrintable(cp: u32): bool {
  if (cp < 0xa0) return cp >= 0x20 && cp < 0x7f;
  if (cp == 0xad || cp == 0x61c || cp == 0x6dd || cp == 0x70f || cp == 0x8e2 || cp == 0x180e || cp == 0xfeff) return false;
  if (cp >= 0x600 && cp <= 0x605) return false;
  if (cp >= 0x200b && cp <= 0x200f) return false;
  if (cp >= 0x202a && cp <= 0x202e) return false;
  if (cp >= 0x2060 && cp <= 0x206f) return false; // format, and U+2065 unassigned
  if (cp >= 0xfdd0 && cp <= 0xfdef) return false;
  if ((cp & 0xfffe) == 0xfffe) return false;
  if (cp >= 0xfff9 && cp <= 0xfffb) return false;
  if (cp == 0x110bd || cp == 0x110cd || cp == 0xe0001) return false;
  if (cp >= 0x13430 && cp <= 0x13438) return false;
  if (cp >= 0x1bca0 && cp <= 0x1bca3) return false;
  if (cp >= 0x1d173 && cp <= 0x1d17a) return false;
  if (cp >= 0xe0020 && cp <= 0xe007f) return false;
  return true;
}

// Character-strings (a length byte, then the bytes), which TXT, SPF and HINFO hold.

function need(end: u32, p: u32, n: u32): bool {
  if (!has(p, end, n)) { markTruncated(); return false; }
  return true;
}

/** HINFO: two character-strings, CPU and OS, shown in the info column. */
export function readHinfo(p: u32, end: u32): bool {
  if (!need(end, p, 1)) return false;
  const cpu = p + 1, cpuLen = <u32>load<u8>(p);
  if (!need(end, cpu, cpuLen + 1)) return false;
  const os = cpu + cpuLen + 1, osLen = <u32>load<u8>(cpu + cpuLen);
  if (!need(end, os, osLen)) return false;
  infoAppend(); putc(32); putRaw(cpu, cpuLen); putc(32); putRaw(os, osLen); infoDone();
  return true;
}

// Character strings until the data length is used up exactly; a string that
// overruns it makes Wireshark read on past the record until the message ends.
export function walkStrings(p: u32, len: u32, end: u32): bool {
  let left = <i32>len;
  while (left != 0) {
    if (!need(end, p, 1)) return false;
    const n = <u32>load<u8>(p);
    if (!need(end, p + 1, n)) return false;
    p += 1 + n;
    left -= 1 + <i32>n;
  }
  return true;
}

// Names of codes for the info column, as Wireshark's value strings ('' where it has none).
const TYPES_0_65: StaticArray<string> = [
  'Unused', 'A', 'NS', 'MD', 'MF', 'CNAME', 'SOA', 'MB', 'MG', 'MR', 'NULL', 'WKS', 'PTR', 'HINFO', 'MINFO',
  'MX', 'TXT', 'RP', 'AFSDB', 'X25', 'ISDN', 'RT', 'NSAP', 'NSAP-PTR', 'SIG', 'KEY', 'PX', 'GPOS', 'AAAA',
  'LOC', 'NXT', 'EID', 'NIMLOC', 'SRV', 'ATMA', 'NAPTR', 'KX', 'CERT', 'A6', 'DNAME', 'SINK', 'OPT', 'APL',
  'DS', 'SSHFP', 'IPSECKEY', 'RRSIG', 'NSEC', 'DNSKEY', 'DHCID', 'NSEC3', 'NSEC3PARAM', 'TLSA', '', '', 'HIP',
  '', 'RKEY', 'TALINK', 'CDS', 'CDNSKEY', 'OPENPGPKEY', 'CSYNC', 'ZONEMD', 'SVCB', 'HTTPS'
];
const TYPES_99_109: StaticArray<string> = [
  'SPF', 'UINFO', 'UID', 'GID', 'UNSPEC', 'NID', 'L32', 'L64', 'LP', 'EUI48', 'EUI64'
];
// 253 and 254 are swapped in Wireshark 4.0's table; kept so the text matches.
const TYPES_249_257: StaticArray<string> = [
  'TKEY', 'TSIG', 'IXFR', 'AXFR', 'MAILA', 'MAILB', 'ANY', 'URI', 'CAA'
];
const OPCODES: StaticArray<string> = [
  'Standard query', 'Inverse query', 'Server status request', '', 'Zone change notification', 'Dynamic update',
  'DNS Stateful operations (DSO)'
];
const RCODES: StaticArray<string> = [
  'No error', 'Format error', 'Server failure', 'No such name', 'Not implemented', 'Refused', 'Name exists',
  'RRset exists', 'RRset does not exist', 'Not authoritative', 'Name out of zone', 'DSO-Type not implemented'
];

/** Writes entry `index` of a table; false when there is none. */
function putName(table: StaticArray<string>, index: u32): bool {
  const name = tableName(table, index, '');
  puts(name);
  return name.length != 0;
}

export function putTypeName(t: u32): void {
  let known = false;
  if (t <= 65) known = putName(TYPES_0_65, t);
  else if (t >= 99 && t <= 109) known = putName(TYPES_99_109, t - 99);
  else if (t >= 249 && t <= 257) known = putName(TYPES_249_257, t - 249);
  else if (t == 32768) { puts('TA'); known = true; }
  else if (t == 32769) { puts('DLV'); known = true; }
  else if (t == 65281) { puts('WINS'); known = true; }
  else if (t == 65282) { puts('WINS-R'); known = true; }
  else if (t == 65422) { puts('XPF'); known = true; }
  if (!known) { puts('Unknown ('); putDec(t); putc(41); }
}

export function putOpcodeName(op: u32): void {
  if (!putName(OPCODES, op)) { puts('Unknown operation ('); putDec(op); putc(41); }
}

export function putRcodeName(rc: u32): void {
  if (!putName(RCODES, rc)) { puts('Unknown error ('); putDec(rc); putc(41); }
}
