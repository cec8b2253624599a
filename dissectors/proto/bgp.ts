// BGP-4 (RFC 4271) on TCP 179, as tshark 4.0 shows it without reassembly.
// Its dissector has its own loop, not TCP's PDU tracking: it looks for the
// first marker (16 bytes of 0xff, or a shorter run of them at the very end),
// then reads message after message by their length fields, naming each in
// the info column, ", " between them.  A message whose body the dissector
// would read past the segment or past its own length gets
// "[BoundErrorUnreassembled Packet]" behind its name and the next one is
// read all the same; a header cut short or a length below a header ends the
// segment.  Which bodies are read (and so can fail) is tshark's choice:
// OPEN and NOTIFICATION always, UPDATE up to its NLRI, KEEPALIVE and
// ROUTE-REFRESH never.  Path attributes are bounds-checked, not decoded.
import { protocol, uint, bytes } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, markMalformed, bytesCutAfter } from '../packet';
import { registerTcpPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHex } from '../text';
import { has, be16 } from '../cursor';

const PROTO_BGP = protocol('bgp', 'Border Gateway Protocol');
const F_MARKER = bytes('bgp.marker', 'Marker');
const F_LENGTH = uint('bgp.length', 'Length', 16);
const F_TYPE = uint('bgp.type', 'Type', 8);

const BGP_PORT: u32 = 179;
const MARKER: u32 = 16;
const HEADER: u32 = 19;
/** tshark reads no body of a message longer than this. */
const MAX_MESSAGE: u32 = 4096;

const OPEN: u32 = 1;
const UPDATE: u32 = 2;
const NOTIFICATION: u32 = 3;
const CAPABILITY: u32 = 6;

/** Where a body read stands: fine, failed inside the message (tshark catches it), or cut by the snap length (it does not). */
const enum Read { OK = 0, FAILED = 1, CUT = 2 }

// The segment's captured end and the message being read.
let end: u32 = 0;
let messageEnd: u32 = 0;

function dissectBgp(start: u32, segmentEnd: u32): void {
  setProtocolColumn('BGP');
  infoSet(); infoDone();
  end = segmentEnd;
  let p = findMarker(start);
  if (p == end) return;
  beginLayer(PROTO_BGP);
  let names: u32 = 0;
  while (p < end) {
    // The header is read outside tshark's per-message guard: a cut one ends the segment.
    if (!has(p, end, MARKER + 2)) { markTruncated(); return; }
    const length = be16(p + MARKER);
    if (length < HEADER) { markMalformed(); return; }
    addBytes(F_MARKER, p, MARKER);
    addNum(F_LENGTH, length);
    messageEnd = p + length;
    // The type is read inside the guard: without it the message gets the error text and no name.
    if (!has(p + HEADER - 1, end, 1)) { infoAppend(); puts('[BoundErrorUnreassembled Packet]'); infoDone(); return; }
    const type = <u32>load<u8>(p + HEADER - 1);
    if (length <= MAX_MESSAGE) addNum(F_TYPE, type);
    infoAppend();
    if (names++ > 0) puts(', ');
    putTypeName(type);
    infoDone();
    const read = length > MAX_MESSAGE ? Read.OK : readBody(type, p, length);
    if (read == Read.CUT) { markTruncated(); return; }
    if (read == Read.FAILED) { infoAppend(); puts('[BoundErrorUnreassembled Packet]'); infoDone(); }
    if (length > end - p) return;
    p += length;
  }
}

/** The first marker at or after p: 16 bytes of 0xff, or fewer of them that end the segment; `end` when there is none. */
function findMarker(p: u32): u32 {
  for (; p < end; p++) {
    const n = end - p < MARKER ? end - p : MARKER;
    let i: u32 = 0;
    while (i < n && load<u8>(p + i) == 0xff) i++;
    if (i == n) return p;
  }
  return end;
}

/** Whether the bytes [from, to) of the message can be read. */
function reach(to: u32): Read {
  if (to <= messageEnd && to <= end) return Read.OK;
  // Past the captured bytes of a frame the snap length cut, but within the message: tshark's uncaught "size limited".
  if (to <= messageEnd && bytesCutAfter(end) > 0) return Read.CUT;
  return Read.FAILED;
}

function readBody(type: u32, p: u32, length: u32): Read {
  if (type == OPEN) return readOpen(p);
  if (type == UPDATE) return readUpdate(p);
  if (type == NOTIFICATION) {
    // Error code and subcode always; past them, everything the length claims.
    const r = reach(p + 21);
    return r != Read.OK || length <= 21 ? r : reach(p + length);
  }
  if (type == CAPABILITY) return reach(p + length);
  return Read.OK;
}

/** OPEN: version, AS, hold time, identifier, the parameters' length, and then all of them at once. */
function readOpen(p: u32): Read {
  const r = reach(p + 29);
  if (r != Read.OK) return r;
  return reach(p + 29 + <u32>load<u8>(p + 28));
}

/** UPDATE: withdrawn routes, path attributes and, when there are attributes, the NLRI up to the message's end. */
function readUpdate(p: u32): Read {
  let r = reach(p + 21);
  if (r != Read.OK) return r;
  const withdrawn = p + 21;
  const withdrawnEnd = withdrawn + be16(p + 19);
  r = reach(withdrawnEnd);
  if (r != Read.OK) return r;
  // A prefix longer than 32 bits makes tshark give up on the message without an error.
  for (let q = withdrawn; q < withdrawnEnd;) {
    const bits = <u32>load<u8>(q);
    if (bits > 32) return Read.OK;
    q += 1 + (bits + 7) / 8;
    r = reach(q);
    if (r != Read.OK) return r;
  }
  r = reach(withdrawnEnd + 2);
  if (r != Read.OK) return r;
  const attributes = withdrawnEnd + 2;
  const attributesLength = be16(withdrawnEnd);
  const attributesEnd = attributes + attributesLength;
  r = reach(attributesEnd);
  if (r != Read.OK) return r;
  let q = attributes;
  while (q < attributesEnd) {
    // Flags, type, a length of one byte or (extended) two, the value: each attribute is checked whole first.
    r = reach(q + 3);
    if (r != Read.OK) return r;
    const extended = (load<u8>(q) & 0x10) != 0;
    if (extended) { r = reach(q + 4); if (r != Read.OK) return r; }
    const valueLength = extended ? be16(q + 2) : <u32>load<u8>(q + 2);
    const next = q + (extended ? 4 : 3) + valueLength;
    r = reach(next);
    if (r != Read.OK) return r;
    // One that runs past the attributes' length is only an expert note in tshark, and the walk ends.
    if (next > attributesEnd) return Read.OK;
    q = next;
  }
  if (attributesLength == 0) return Read.OK;
  // The NLRI: from here to the message's end, all of it first, then prefix by prefix.
  if (q > messageEnd) return Read.FAILED;
  r = reach(messageEnd);
  if (r != Read.OK) return r;
  while (q < messageEnd) {
    const bits = <u32>load<u8>(q);
    if (bits > 32) return Read.OK;
    q += 1 + (bits + 7) / 8;
    if (q > messageEnd) return Read.FAILED;
  }
  return Read.OK;
}

const NAMES: StaticArray<string> = ['', 'OPEN Message', 'UPDATE Message', 'NOTIFICATION Message', 'KEEPALIVE Message',
  'ROUTE-REFRESH Message', 'CAPABILITY Message'];

function putTypeName(type: u32): void {
  if (type >= 1 && type < <u32>NAMES.length) { puts(unchecked(NAMES[type])); return; }
  if (type == 0x80) { puts('Cisco ROUTE-REFRESH Message'); return; }
  puts('Unknown message type ('); putHex(type, 2); puts(')');
}

registerTcpPort(BGP_PORT, dissectBgp);
