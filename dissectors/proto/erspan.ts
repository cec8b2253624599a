// Cisco ERSPAN inside GRE: type I (GRE 0x88be without a sequence number,
// no header), type II (0x88be, 8-byte header) and type III (0x22eb, 12 bytes
// and an optional 8-byte platform sub-header).  The mirrored frame follows.
import { protocol, uint, flag } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u16at, u32at, has } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { dissectData } from './frame';
import { dissectEthernetWithoutFcs } from './eth';

const PROTO_ERSPAN = protocol('erspan', 'Encapsulated Remote Switch Packet ANalysis');
const F_VERSION = uint('erspan.version', 'Version', 16);
const F_VLAN = uint('erspan.vlan', 'Vlan', 16);
const F_COS = uint('erspan.cos', 'COS', 16);
const F_ENCAP = uint('erspan.encap', 'Encap', 16);
const F_BSO = uint('erspan.bso', 'Bad/Short/Oversized', 16);
const F_TRUNCATED = uint('erspan.truncated', 'Truncated', 16);
const F_SPANID = uint('erspan.spanid', 'SpanID', 16);
const F_RESERVED = uint('erspan.reserved', 'Reserved');
const F_INDEX = uint('erspan.index', 'Index');
const F_TIMESTAMP = uint('erspan.timestamp', 'Timestamp');
const F_SGT = uint('erspan.sgt', 'Security Group Tag', 16);
const F_P = uint('erspan.p', 'Has Ethernet PDU', 16);
const F_FT = uint('erspan.ft', 'Frame Type', 16);
const F_HW = uint('erspan.hw', 'Hardware ID', 16);
const F_DIRECTION = flag('erspan.direction', 'Direction');
const F_GRA = uint('erspan.gra', 'Timestamp granularity', 16);
const F_O = uint('erspan.o', 'Optional Sub headers', 16);
const F_PLATID = uint('erspan.platid', 'Platform ID');

const FRAME_TYPE_ETHERNET: u32 = 0;

function setColumns(): void {
  setProtocolColumn('ERSPAN');
  infoSet(); puts('ERSPAN:'); infoDone();
}

/** Type I: no ERSPAN header at all, the mirrored Ethernet frame right after GRE. */
export function dissectErspanType1(start: u32, end: u32): void {
  beginLayer(PROTO_ERSPAN);
  setColumns();
  dissectEthernetWithoutFcs(start, end);
}

export function dissectErspan(start: u32, end: u32): void {
  beginLayer(PROTO_ERSPAN);
  setColumns();
  if (!has(start, end, 2)) { markTruncated(); return; }
  const word0 = u16at(start, end);
  const version = word0 >> 12;
  addNum(F_VERSION, version);
  let p = start;
  let frameType = FRAME_TYPE_ETHERNET;
  if (version == 1) {
    addNum(F_VLAN, word0 & 0x0fff);
    if (!has(p, end, 4)) { markTruncated(); return; }
    const word1 = u16at(p + 2, end);
    addNum(F_COS, word1 >> 13);
    addNum(F_ENCAP, (word1 >> 11) & 3);
    addNum(F_TRUNCATED, (word1 >> 10) & 1);
    addNum(F_SPANID, word1 & 0x03ff);
    if (!has(p, end, 8)) { markTruncated(); return; }
    const word2 = u32at(p + 4, end);
    addNum(F_RESERVED, word2 >> 20);
    addNum(F_INDEX, word2 & 0x000fffff);
    p += 8;
  } else if (version == 2) {
    addNum(F_VLAN, word0 & 0x0fff);
    if (!has(p, end, 4)) { markTruncated(); return; }
    const word1 = u16at(p + 2, end);
    addNum(F_COS, word1 >> 13);
    addNum(F_BSO, (word1 >> 11) & 3);
    addNum(F_TRUNCATED, (word1 >> 10) & 1);
    addNum(F_SPANID, word1 & 0x03ff);
    if (!has(p, end, 8)) { markTruncated(); return; }
    addNum(F_TIMESTAMP, u32at(p + 4, end));
    if (!has(p, end, 10)) { markTruncated(); return; }
    addNum(F_SGT, u16at(p + 8, end));
    if (!has(p, end, 12)) { markTruncated(); return; }
    const flags = u16at(p + 10, end);
    frameType = (flags >> 10) & 0x1f;
    addNum(F_P, flags >> 15);
    addNum(F_FT, frameType);
    addNum(F_HW, (flags >> 4) & 0x3f);
    addNum(F_DIRECTION, (flags >> 3) & 1);
    addNum(F_GRA, (flags >> 1) & 3);
    addNum(F_O, flags & 1);
    p += 12;
    if (flags & 1) {
      // The platform-specific sub-header is 8 bytes whatever its platform ID.
      if (!has(p, end, 4)) { markTruncated(); return; }
      addNum(F_PLATID, u32at(p, end) >> 26);
      if (!has(p, end, 8)) { markTruncated(); return; }
      p += 8;
    }
  } else {
    // tshark adds the version a second time here, with an "unknown version" note.
    addNum(F_VERSION, version);
    return;
  }
  if (frameType == FRAME_TYPE_ETHERNET) dissectEthernetWithoutFcs(p, end);
  else dissectData(p, end);
}
