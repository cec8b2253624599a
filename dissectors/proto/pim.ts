// Protocol Independent Multicast, version 2 (RFC 7761): the common header,
// and the packet a Register message carries.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated, markReadPast } from '../packet';
import { u8at, u16at, u32at, has, lacks, be16 } from '../cursor';
import { registerIpProto } from '../dispatch';
import { dispatchUnderCarrier } from './quoted';
import { infoSet, infoDone } from '../columns';
import { putTableName, puts, putDec, putc } from '../text';

const PROTO_PIM = protocol('pim', 'Protocol Independent Multicast');
const F_VERSION = uint('pim.version', 'Version', 4);
const F_TYPE = uint('pim.type', 'Type', 4);
const F_CHECKSUM = uint('pim.cksum', 'Checksum', 16, Base.HEX);
const F_REGISTER_FLAGS = uint('pim.register_flag', 'Flags', 32, Base.HEX);

const TYPE_HELLO: u32 = 0;
const TYPE_REGISTER: u32 = 1;

export function dissectPim(start: u32, end: u32): void {
  beginLayer(PROTO_PIM);
  setProtocolColumn('PIMv2');
  if (!has(start, end, 1)) { markTruncated(); return; }
  const vt = u8at(start, end);
  const version = vt >> 4;
  const type = vt & 15;
  addNum(F_VERSION, version);
  addNum(F_TYPE, type);
  // tshark names the type before it reads on.
  putInfo(type);
  if (!has(start, end, 4)) { markTruncated(); return; }
  addNum(F_CHECKSUM, u16at(start + 2, end));
  if (version == 2 && type == TYPE_HELLO) { checkHelloOptions(start + 4, end); return; }
  // tshark takes the other messages' bodies apart itself, calling no data dissector (not done here).
  if (version != 2 || type != TYPE_REGISTER) return;
  if (!has(start, end, 8)) { markTruncated(); return; }
  addNum(F_REGISTER_FLAGS, u32at(start + 4, end));
  // The encapsulated multicast packet, IPv4 or IPv6 by its version nibble; as
  // in tshark, its addresses fill the columns, but protocol and info stay the Register's.
  const inner = start + 8;
  if (!has(inner, end, 1)) return;
  const ipVersion = u8at(inner, end) >> 4;
  // Another version is shown as PIM's own bytes, calling no data dissector (not done here).
  if (ipVersion == 4) dispatchUnderCarrier(0x0800, inner, end);
  else if (ipVersion == 6) dispatchUnderCarrier(0x86dd, inner, end);
  putInfo(type);
}

/**
 * A Hello's options, each a type, a length and a value, walked as tshark
 * walks them: the values it knows it reads at their own size whatever the
 * length says, the others at the length; past the packet, it is malformed.
 */
function checkHelloOptions(p: u32, end: u32): void {
  while (p < end) {
    if (end - p < 4) { markReadPast(end, p + 4); return; }
    const type = u16at(p, end);
    const length = u16at(p + 2, end);
    const read = helloValueSize(type, length);
    if (end - (p + 4) < read) { markReadPast(end, p + 4 + read); return; }
    p += 4 + length;
  }
}

function helloValueSize(type: u32, length: u32): u32 {
  switch (type) {
    case 1: return 2; // hold time
    case 2: case 19: case 20: case 21: return 4; // LAN prune delay, DR priority, generation ID, state refresh
    case 22: return 0; // bidirectional capable
    default: return length;
  }
}

function putInfo(type: u32): void {
  infoSet(); putTableName(TYPE_NAMES, type); infoDone();
}

// Wireshark's names for the message types (packet-pim.c).
const TYPE_NAMES: StaticArray<string> = [
  'Hello', 'Register', 'Register-stop', 'Join/Prune', 'Bootstrap', 'Assert', 'Graft', 'Graft-Ack',
  'Candidate-RP-Advertisement', 'State-Refresh', 'DF election', 'ECMP redirect', 'PFM source discovery',
];

registerIpProto(103, dissectPim);

const V1_TYPES: StaticArray<string> = ['Query', 'Register', 'Register-stop', 'Join/Prune', 'RP-Reachable', 'Assert', 'Graft', 'Graft-Ack', 'Mode'];

/**
 * PIMv1, carried in IGMP type 0x14, as tshark 4.0 shows it: the message
 * name, the checksum and version.  The bodies (and a Register's packet)
 * are not dissected or checked.
 */
export function dissectPimV1(start: u32, end: u32): void {
  setProtocolColumn('PIMv1');
  infoSet(); infoDone();
  beginLayer(PROTO_PIM);
  if (lacks(start + 1, end, 1)) return;
  const type = <u32>load<u8>(start + 1);
  infoSet();
  if (type < <u32>V1_TYPES.length) putTableName(V1_TYPES, type);
  else { puts('Unknown ('); putDec(type); putc(0x29); }
  infoDone();
  if (lacks(start + 4, end, 1)) return;
  addNum(F_CHECKSUM, be16(start + 2));
  addNum(F_VERSION, <u32>load<u8>(start + 4) >> 4);
}
