// Solaris ipnet (link type 226): a 24-byte header whose address family says
// IPv4 (2) or IPv6 (26).
import { protocol, uint } from '../fields';
import { beginLayer, addNum, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { dissectData } from './frame';

const PROTO_IPNET = protocol('ipnet', 'Solaris IPNET');
const F_VERSION = uint('ipnet.version', 'Header version', 8);
const F_FAMILY = uint('ipnet.family', 'Address family', 8);
const F_HTYPE = uint('ipnet.htype', 'Hook type', 16);
const F_PKTLEN = uint('ipnet.pktlen', 'Data length');
const F_IFINDEX = uint('ipnet.ifindex', 'Interface index');
const F_GRIFINDEX = uint('ipnet.grifindex', 'Group interface index');
const F_ZSRC = uint('ipnet.zsrc', 'Source Zone ID');
const F_ZDST = uint('ipnet.zdst', 'Destination Zone ID');

const HEADER_LEN: u32 = 24;

export function dissectIpnet(start: u32, end: u32): void {
  beginLayer(PROTO_IPNET);
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  addNum(F_VERSION, u8at(start, end));
  const family = u8at(start + 1, end);
  addNum(F_FAMILY, family);
  addNum(F_HTYPE, u16at(start + 2, end));
  addNum(F_PKTLEN, u32at(start + 4, end));
  addNum(F_IFINDEX, u32at(start + 8, end));
  addNum(F_GRIFINDEX, u32at(start + 12, end));
  addNum(F_ZSRC, u32at(start + 16, end));
  addNum(F_ZDST, u32at(start + 20, end));
  const payload = start + HEADER_LEN;
  let claimed = false;
  if (family == 2) claimed = dispatchEthertype(0x0800, payload, end);
  else if (family == 26) claimed = dispatchEthertype(0x86dd, payload, end);
  if (!claimed) dissectData(payload, end);
}

registerLinktype(226, dissectIpnet);
