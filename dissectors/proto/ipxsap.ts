// IPX SAP (socket 0x0452), as tshark 4.0 shows it: the query type as the info
// ('General Response', 'Unknown Packet Type'), then in the tree each 64-byte
// server entry of a response, or the queried server type.  tshark's hidden
// request/response flags are the other way round (a response sets
// ipxsap.request), and that is what it prints.  Server entries are read only
// while a tree is built, so a cut entry ends the fields without a mark on the
// summary line.
import { protocol, uint, flag, ether, str, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { u16at, u32at, has, lacks } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { addAscii } from './ascii-text';

const PROTO_IPXSAP = protocol('ipxsap', 'Service Advertisement Protocol');
const F_REQUEST = flag('ipxsap.request', 'Request');
const F_RESPONSE = flag('ipxsap.response', 'Response');
const F_PACKET_TYPE = uint('ipxsap.packet_type', 'SAP packet type', 16);
const F_SERVER_TYPE = uint('ipxsap.server.type', 'Server Type', 16, Base.HEX);
const F_SERVER_NAME = str('ipxsap.server.name', 'Server Name', Base.FINAL_TEXT);
const F_SERVER_NETWORK = uint('ipxsap.server.network', 'Network', 32, Base.HEX);
const F_SERVER_NODE = ether('ipxsap.server.node', 'Node');
const F_SERVER_SOCKET = uint('ipxsap.server.socket', 'Socket', 16, Base.HEX);
const F_SERVER_HOPS = uint('ipxsap.server.intermediate_networks', 'Intermediate Networks', 16);

const GENERAL_QUERY: u32 = 1;
const GENERAL_RESPONSE: u32 = 2;
const NEAREST_QUERY: u32 = 3;
const NEAREST_RESPONSE: u32 = 4;
const ENTRY_LEN: u32 = 64;

export function dissectIpxSap(start: u32, end: u32): void {
  setProtocolColumn('IPX SAP');
  infoSet(); infoDone();
  if (lacks(start, end, 4)) return;
  const queryType = u16at(start, end);
  infoSet();
  puts(queryType == GENERAL_QUERY ? 'General Query' : queryType == GENERAL_RESPONSE ? 'General Response'
    : queryType == NEAREST_QUERY ? 'Nearest Query' : queryType == NEAREST_RESPONSE ? 'Nearest Response' : 'Unknown Packet Type');
  infoDone();
  beginLayer(PROTO_IPXSAP);
  addNum(F_PACKET_TYPE, queryType);
  if (queryType == GENERAL_QUERY || queryType == NEAREST_QUERY) addNum(F_RESPONSE, 1);
  else if (queryType == GENERAL_RESPONSE || queryType == NEAREST_RESPONSE) addNum(F_REQUEST, 1);
  if (queryType != GENERAL_RESPONSE && queryType != NEAREST_RESPONSE) {
    addNum(F_SERVER_TYPE, u16at(start + 2, end));
    return;
  }
  // Each entry's items are checked one by one (the entry itself is not), so a cut entry keeps its first values.
  for (let p = start + 2; p < end; p += ENTRY_LEN) {
    if (!has(p, end, 2)) return;
    addNum(F_SERVER_TYPE, u16at(p, end));
    if (!has(p, end, 50)) return;
    addAscii(F_SERVER_NAME, p + 2, 48);
    if (!has(p, end, 54)) return;
    addNum(F_SERVER_NETWORK, u32at(p + 50, end));
    if (!has(p, end, 60)) return;
    addBytes(F_SERVER_NODE, p + 54, 6);
    if (!has(p, end, 62)) return;
    addNum(F_SERVER_SOCKET, u16at(p + 60, end));
    if (!has(p, end, ENTRY_LEN)) return;
    addNum(F_SERVER_HOPS, u16at(p + 62, end));
  }
}
