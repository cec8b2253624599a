// IPX RIP (socket 0x0453), as tshark 4.0 shows it: 'Request', 'Response' or
// 'Unknown', then, in the tree, each 8-byte route (network, hops, ticks) up to
// the datagram's length.  The routes are read only while a tree is built, so a
// cut route ends the fields without a mark on the summary line.
import { protocol, uint, flag, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { u16at, u32at, has, lacks } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';

const PROTO_IPXRIP = protocol('ipxrip', 'IPX Routing Information Protocol');
const F_PACKET_TYPE = uint('ipxrip.packet_type', 'RIP packet type', 16);
const F_REQUEST = flag('ipxrip.request', 'Request');
const F_RESPONSE = flag('ipxrip.response', 'Response');
const F_ROUTE_VECTOR = uint('ipxrip.route_vector', 'Route Vector', 32, Base.HEX);
const F_HOPS = uint('ipxrip.hops', 'Hops', 16);
const F_TICKS = uint('ipxrip.ticks', 'Ticks', 16);

const REQUEST: u32 = 1;
const RESPONSE: u32 = 2;

export function dissectIpxRip(start: u32, end: u32): void {
  setProtocolColumn('IPX RIP');
  infoSet(); infoDone();
  if (lacks(start, end, 2)) return;
  const operation = u16at(start, end);
  infoSet();
  puts(operation == REQUEST ? 'Request' : operation == RESPONSE ? 'Response' : 'Unknown');
  infoDone();
  beginLayer(PROTO_IPXRIP);
  addNum(F_PACKET_TYPE, operation);
  if (operation == REQUEST) addNum(F_REQUEST, 1);
  else if (operation == RESPONSE) addNum(F_RESPONSE, 1);
  for (let p = start + 2; p < end; p += 8) {
    if (!has(p, end, 8)) break;
    addNum(F_ROUTE_VECTOR, u32at(p, end));
    addNum(F_HOPS, u16at(p + 4, end));
    addNum(F_TICKS, u16at(p + 6, end));
  }
}
