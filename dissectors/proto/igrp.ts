// Cisco's IGRP (IP protocol 9), as tshark 4.0 shows it: "Response" or
// "Request" for version 1's two opcodes, "Unknown version or opcode"
// otherwise.  The header and the route entries are read only into tshark's
// protocol tree, so here they are fields while the capture holds them and
// never mark the line.  An interior route's network takes its first byte
// from the datagram's source address, as IGRP's classful encoding means;
// system and exterior routes carry the first three bytes.
import { protocol, uint, ipv4, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, srcKind, srcPtr, AddrKind } from '../packet';
import { registerIpProto } from '../dispatch';
import { infoSet, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc } from '../text';
import { lacks, has, be16, u24at } from '../cursor';

const PROTO_IGRP = protocol('igrp', 'Cisco Interior Gateway Routing Protocol');
const F_VERSION = uint('igrp.version', 'IGRP Version', 8);
const F_COMMAND = uint('igrp.command', 'Command', 8);
const F_UPDATE = uint('igrp.update', 'Update Release', 8);
const F_AS = uint('igrp.as', 'Autonomous System', 16);
const F_INTERIOR = uint('igrp.interior_routes', 'Interior routes', 16);
const F_SYSTEM = uint('igrp.system_routes', 'System routes', 16);
const F_EXTERIOR = uint('igrp.exterior_routes', 'Exterior routes', 16);
const F_CHECKSUM = uint('igrp.checksum', 'Checksum', 16, Base.HEX);
const F_NETWORK = ipv4('igrp.network', 'Network');
const F_DELAY = uint('igrp.delay', 'Delay', 24);
const F_BANDWIDTH = uint('igrp.bandwidth', 'Bandwidth', 24);
const F_MTU = uint('igrp.mtu', 'MTU', 16);
const F_RELIABILITY = uint('igrp.reliability', 'Reliability', 8);
const F_LOAD = uint('igrp.load', 'Load', 8);
const F_HOP_COUNT = uint('igrp.hop_count', 'Hop count', 8);

const IP_PROTO_IGRP: u32 = 9;
const HEADER: u32 = 12;
const ENTRY: u32 = 14;

function dissectIgrp(start: u32, end: u32): void {
  setProtocolColumn('IGRP');
  infoSet(); infoDone();
  beginLayer(PROTO_IGRP);
  if (lacks(start, end, 1)) return;
  const versionOpcode = <u32>load<u8>(start);
  infoSet();
  puts(versionOpcode == 0x11 ? 'Response' : versionOpcode == 0x12 ? 'Request' : 'Unknown version or opcode');
  infoDone();
  addNum(F_VERSION, versionOpcode >> 4);
  addNum(F_COMMAND, versionOpcode & 0xf);
  if (!has(start, end, 2)) return;
  addNum(F_UPDATE, load<u8>(start + 1));
  if (!has(start, end, 4)) return;
  addNum(F_AS, be16(start + 2));
  if (!has(start, end, 6)) return;
  const interior = be16(start + 4);
  addNum(F_INTERIOR, interior);
  let p = start + HEADER;
  const firstByte = srcKind == AddrKind.IPV4 ? <u32>load<u8>(srcPtr) : 0;
  for (let i: u32 = 0; i < interior; i++, p += ENTRY) if (!entry(p, end, true, firstByte)) return;
  if (!has(start, end, 8)) return;
  const system = be16(start + 6);
  addNum(F_SYSTEM, system);
  for (let i: u32 = 0; i < system; i++, p += ENTRY) if (!entry(p, end, false, 0)) return;
  if (!has(start, end, 10)) return;
  const exterior = be16(start + 8);
  addNum(F_EXTERIOR, exterior);
  for (let i: u32 = 0; i < exterior; i++, p += ENTRY) if (!entry(p, end, false, 0)) return;
  if (!has(start, end, 12)) return;
  addNum(F_CHECKSUM, be16(start + 10));
}

/** One route entry at p; false when the capture does not hold it. */
function entry(p: u32, end: u32, interior: bool, firstByte: u32): bool {
  if (!has(p, end, ENTRY)) return false;
  const network = scratchBegin();
  if (interior) { putc(firstByte); putc(load<u8>(p)); putc(load<u8>(p + 1)); putc(load<u8>(p + 2)); }
  else { putc(load<u8>(p)); putc(load<u8>(p + 1)); putc(load<u8>(p + 2)); putc(0); }
  if (scratchEnd(network) == 4) addBytes(F_NETWORK, network, 4);
  addNum(F_DELAY, u24at(p + 3, end));
  addNum(F_BANDWIDTH, u24at(p + 6, end));
  addNum(F_MTU, be16(p + 9));
  addNum(F_RELIABILITY, load<u8>(p + 11));
  addNum(F_LOAD, load<u8>(p + 12));
  addNum(F_HOP_COUNT, load<u8>(p + 13));
  return true;
}

registerIpProto(IP_PROTO_IGRP, dissectIgrp);
