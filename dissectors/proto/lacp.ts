// The Slow Protocols (ethertype 0x8809) and LACP (IEEE 802.1AX, subtype 1),
// as tshark 4.0 shows them: "Subtype = N" until a subtype's dissector takes
// over; LACP's line is the version, then actor and partner (system, port,
// key and the eight state flags as letters, '*' for a clear one).  The PDU is
// read at fixed offsets, its 50-byte pad included: one shorter than that is
// malformed, with the text built so far.  The Marker protocol (subtype 2)
// says what it asks or answers; OAM and OSSP (subtypes 3 and 10) are left as
// "Slow Protocols".
import { protocol, uint, ether, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast } from '../packet';
import { registerEthertype } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putEther } from '../text';
import { has, be16, be32, lacks } from '../cursor';

const PROTO_SLOW = protocol('slow', 'Slow Protocols');
const F_SUBTYPE = uint('slow.subtype', 'Slow Protocols subtype', 8, Base.HEX);
const PROTO_LACP = protocol('lacp', 'Link Aggregation Control Protocol');
const F_VERSION = uint('lacp.version', 'LACP Version', 8, Base.HEX);
const F_ACTOR_SYSID = ether('lacp.actor.sysid', 'Actor System ID');
const F_ACTOR_KEY = uint('lacp.actor.key', 'Actor Key', 16);
const F_ACTOR_PORT = uint('lacp.actor.port', 'Actor Port', 16);
const F_ACTOR_STATE = uint('lacp.actor.state', 'Actor State', 8, Base.HEX);
const F_PARTNER_SYSID = ether('lacp.partner.sysid', 'Partner System ID');
const F_PARTNER_KEY = uint('lacp.partner.key', 'Partner Key', 16);
const F_PARTNER_PORT = uint('lacp.partner.port', 'Partner Port', 16);
const F_PARTNER_STATE = uint('lacp.partner.state', 'Partner State', 8, Base.HEX);

const PROTO_MARKER = protocol('marker', 'Link Aggregation - Marker Protocol');
const F_MARKER_PORT = uint('marker.requesterPort', 'Requester Port', 16);
const F_MARKER_SYSTEM = ether('marker.requesterSystem', 'Requester System');
const F_MARKER_TID = uint('marker.requesterTransId', 'Requester Transaction ID', 32);

const SUBTYPE_LACP: u32 = 1;
const SUBTYPE_MARKER: u32 = 2;
/** Version, TLV type and length, port, system, transaction ID: what the info line needs. */
const MARKER_FIELDS_END: u32 = 15;
// Offsets in the LACPDU (after the subtype byte): each side's block starts
// with its TLV type and length; system ID, key, port and state follow.
const ACTOR: u32 = 1;
const PARTNER: u32 = 21;
const BLOCK_STATE_END: u32 = 17; // the state byte's end, from the block's start
/** Version, actor, partner, collector, terminator and the 50-byte pad. */
const PDU_LENGTH: u32 = 109;
const FLAG_LETTERS = 'EFDCSGSA';

function dissectSlow(start: u32, end: u32): void {
  setProtocolColumn('Slow Protocols');
  if (lacks(start, end, 1)) return;
  const subtype = <u32>load<u8>(start);
  infoSet(); puts('Subtype = '); putDec(subtype); infoDone();
  beginLayer(PROTO_SLOW);
  addNum(F_SUBTYPE, subtype);
  if (subtype == SUBTYPE_LACP) dissectLacp(start + 1, end);
  else if (subtype == SUBTYPE_MARKER) dissectMarker(start + 1, end);
  else if (start + 1 < end) dissectData(start + 1, end);
}

function dissectLacp(start: u32, end: u32): void {
  setProtocolColumn('LACP');
  infoSet(); puts('Link Aggregation Control Protocol'); infoDone();
  beginLayer(PROTO_LACP);
  if (lacks(start, end, 1)) return;
  const version = <u32>load<u8>(start);
  addNum(F_VERSION, version);
  infoSet(); putc(118); putDec(version); infoDone();
  if (!side(start + ACTOR, end, ' ACTOR ', F_ACTOR_SYSID, F_ACTOR_KEY, F_ACTOR_PORT, F_ACTOR_STATE)) return;
  if (!side(start + PARTNER, end, ' PARTNER ', F_PARTNER_SYSID, F_PARTNER_KEY, F_PARTNER_PORT, F_PARTNER_STATE)) return;
  if (!has(start, end, PDU_LENGTH)) markReadPast(end, start + PDU_LENGTH);
}

/** A Marker PDU: "Information SysId=02:00:5e:10:00:01, P=22, TId=7", padded to the same 109 bytes as an LACPDU. */
function dissectMarker(start: u32, end: u32): void {
  setProtocolColumn('Marker');
  beginLayer(PROTO_MARKER);
  if (lacks(start, end, MARKER_FIELDS_END)) return;
  const tlv = <u32>load<u8>(start + 1);
  const port = be16(start + 3);
  const tid = be32(start + 11);
  addNum(F_MARKER_PORT, port);
  addNum(F_MARKER_SYSTEM, start + 5);
  addNum(F_MARKER_TID, tid);
  infoSet();
  puts(tlv == 1 ? 'Information' : tlv == 2 ? 'Response' : 'Marker Protocol');
  puts(' SysId='); putEther(start + 5); puts(', P='); putDec(port); puts(', TId='); putDec(tid);
  infoDone();
  if (!has(start, end, PDU_LENGTH)) markReadPast(end, start + PDU_LENGTH);
}

/** One side's block at p: "ACTOR 00:13:c4:12:0f:00 P: 22 K: 13 *FDCSG*A"; false when it is cut. */
function side(p: u32, end: u32, label: string, fSysid: u32, fKey: u32, fPort: u32, fState: u32): bool {
  if (lacks(p, end, BLOCK_STATE_END)) return false;
  const key = be16(p + 10);
  const port = be16(p + 14);
  const state = <u32>load<u8>(p + 16);
  addNum(fSysid, p + 4);
  addNum(fKey, key);
  addNum(fPort, port);
  addNum(fState, state);
  infoAppend();
  puts(label); putEther(p + 4); puts(' P: '); putDec(port); puts(' K: '); putDec(key); putc(32);
  for (let i = 0; i < 8; i++) putc(state & (0x80 >> i) ? <u32>FLAG_LETTERS.charCodeAt(i) : 42);
  infoDone();
  return true;
}

registerEthertype(0x8809, dissectSlow);
