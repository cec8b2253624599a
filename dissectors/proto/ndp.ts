// Nortel Discovery Protocol (SNAP, Nortel's OUI, PIDs 0x01a1 and 0x01a2) as
// tshark 4.0 shows it: "Segment Hello" or "FlatNet Hello" after the last
// byte of the destination MAC (0 or 1), and the six fixed fields.  tshark
// reads the fields only while building a tree; as for PTP, xcap follows
// the summary line: the fields that fit, no mark for a message cut short.
import { protocol, uint, ipv4, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, dstKind, dstPtr, AddrKind } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerSnapPid } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';

const PROTO_NDP = protocol('ndp', 'Nortel Discovery Protocol');
const F_IP = ipv4('ndp.ipaddress', 'IP address');
const F_SEGMENT = uint('ndp.segmentident', 'Segment Identifier', 24, Base.HEX);
const F_CHASSIS = uint('ndp.chassis', 'Chassis type', 8);
const F_BACKPLANE = uint('ndp.backplane', 'Backplane type', 8);
const F_STATE = uint('ndp.state', 'State', 8);
const F_LINKS = uint('ndp.numberoflinks', 'Number of links', 8);

const OUI_NORTEL: u32 = 0x000081;

function dissectNdp(start: u32, end: u32): void {
  setProtocolColumn('NDP');
  infoSet();
  if (dstKind == AddrKind.ETHER) {
    const last = <u32>load<u8>(dstPtr + 5);
    if (last == 0) puts('Segment ');
    else if (last == 1) puts('FlatNet ');
  }
  puts('Hello');
  infoDone();
  beginLayer(PROTO_NDP);
  if (!has(start, end, 4)) return;
  addBytes(F_IP, start, 4);
  if (!has(start, end, 7)) return;
  addNum(F_SEGMENT, (u8at(start + 4, end) << 16) | u16at(start + 5, end));
  if (!has(start, end, 8)) return;
  addNum(F_CHASSIS, u8at(start + 7, end));
  if (!has(start, end, 9)) return;
  addNum(F_BACKPLANE, u8at(start + 8, end));
  if (!has(start, end, 10)) return;
  addNum(F_STATE, u8at(start + 9, end));
  if (!has(start, end, 11)) return;
  addNum(F_LINKS, u8at(start + 10, end));
}

registerSnapPid(OUI_NORTEL, 0x01a1, dissectNdp);
registerSnapPid(OUI_NORTEL, 0x01a2, dissectNdp);
