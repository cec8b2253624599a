// BGP-4 (RFC 4271) on TCP 179, as tshark 4.0 shows it without reassembly.
// Its dissector has its own loop, not TCP's PDU tracking: it looks for the
// first marker (16 bytes of 0xff, or a shorter run of them at the very end),
// then reads message after message by their length fields, naming each in
// the info column, ", " between them.  A message whose body the dissector
// would read past the segment or past its own length gets
// "[BoundErrorUnreassembled Packet]" behind its name and the next one is
// read all the same; a header cut short or a length below a header ends the
// segment.  Which bodies are read (and so can fail) is tshark's choice:
// OPEN (its parameters and capabilities) and NOTIFICATION always, UPDATE
// through its withdrawn routes, path attributes and NLRI, KEEPALIVE and
// ROUTE-REFRESH never.  Of the path attributes, those whose reads can run
// past their own length are walked as tshark walks them: AS_PATH and
// AS4_PATH, MP_REACH_NLRI and MP_UNREACH_NLRI (next hop, SNPAs, and the
// NLRI of IPv4 and IPv6 unicast and multicast, labeled unicast, labeled VPN,
// route target constraints and MCAST-VPN route headers), PMSI tunnel, AIGP,
// ATTR_SET and CLUSTER_LIST.
// The walk is split by message part: bgp-read.ts (the reads and their
// checks), bgp-open.ts, bgp-update.ts and bgp-nlri.ts.
import { PROTO_BGP, Read, beginMessage, readStatus, reads } from './bgp-read';
import { uint, bytes } from '../fields';
import { beginItemLayer, addCalled, addNum, addBytes, setProtocolColumn, markTruncated, markMalformed } from '../packet';
import { registerTcpPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHex } from '../text';
import { has, be16 } from '../cursor';
import { readOpen } from './bgp-open';
import { readUpdate } from './bgp-update';

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

const NAMES: StaticArray<string> = ['', 'OPEN Message', 'UPDATE Message', 'NOTIFICATION Message', 'KEEPALIVE Message',
  'ROUTE-REFRESH Message', 'CAPABILITY Message'];

function dissectBgp(start: u32, end: u32): void {
  addCalled(PROTO_BGP); // listed from the call on; the layer opens once its header is read
  setProtocolColumn('BGP');
  infoSet(); infoDone();
  let p = findMarker(start, end);
  if (p == end) return;
  beginItemLayer(PROTO_BGP);
  let names: u32 = 0;
  while (p < end) {
    // The header is read outside tshark's per-message guard: a cut one ends the segment.
    if (!has(p, end, MARKER + 2)) { markTruncated(); return; }
    const length = be16(p + MARKER);
    if (length < HEADER) { markMalformed(); return; }
    addBytes(F_MARKER, p, MARKER);
    addNum(F_LENGTH, length);
    beginMessage(end, p + length);
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
function findMarker(p: u32, end: u32): u32 {
  for (; p < end; p++) {
    const n = end - p < MARKER ? end - p : MARKER;
    let i: u32 = 0;
    while (i < n && load<u8>(p + i) == 0xff) i++;
    if (i == n) return p;
  }
  return end;
}

function readBody(type: u32, p: u32, length: u32): Read {
  if (type == OPEN) readOpen(p);
  else if (type == UPDATE) readUpdate(p);
  // Error code and subcode always; past them, everything the length claims.
  else if (type == NOTIFICATION) { if (reads(p + 21)) reads(p + length); }
  else if (type == CAPABILITY) reads(p + length);
  return readStatus();
}

function putTypeName(type: u32): void {
  if (type >= 1 && type < <u32>NAMES.length) { puts(unchecked(NAMES[type])); return; }
  if (type == 0x80) { puts('Cisco ROUTE-REFRESH Message'); return; }
  puts('Unknown message type ('); putHex(type, 2); puts(')');
}

registerTcpPort(BGP_PORT, dissectBgp);
