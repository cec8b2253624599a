// IP over InfiniBand as libpcap records it (link type 242): a 40-byte
// pseudo header (the GRH, or just the destination address when its first
// word is zero), then type and reserved words, then IPv4, IPv6 or ARP.
import { protocol, uint, ipv6, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { u16at, u24at, has } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';

const PROTO_IPOIB = protocol('ipoib', 'IP over Infiniband');
const F_DADDR_QPN = uint('ipoib.daddr.qpn', 'Destination QPN', 24, Base.HEX);
const F_DGID = ipv6('ipoib.dgid', 'Destination GID');
const F_SQPN = uint('ipoib.grh.sqpn', 'Source QPN', 24, Base.HEX);
const F_SGID = ipv6('ipoib.grh.sgid', 'Source GID');
const F_TYPE = uint('ipoib.type', 'Type', 16, Base.HEX);
const F_RESERVED = uint('ipoib.reserved', 'Reserved', 16, Base.HEX);

const GRH_LEN: u32 = 40;

export function dissectIpoib(start: u32, end: u32): void {
  setProtocolColumn('IPoIB');
  infoSet(); puts('IP over Infiniband'); infoDone();
  beginLayer(PROTO_IPOIB);
  if (!has(start, end, GRH_LEN)) { markTruncated(); return; }
  if (u16at(start, end) == 0) {
    addNum(F_DADDR_QPN, u24at(start + 21, end));
  } else {
    addNum(F_SQPN, u24at(start + 5, end));
    addBytes(F_SGID, start + 8, 16);
  }
  addBytes(F_DGID, start + 24, 16);
  if (!has(start, end, GRH_LEN + 4)) { markTruncated(); return; }
  const type = u16at(start + GRH_LEN, end);
  addNum(F_TYPE, type);
  addNum(F_RESERVED, u16at(start + GRH_LEN + 2, end));
  // Only IPv4, IPv6 and ARP are handed on; anything else stays undissected.
  if (type == 0x0800 || type == 0x86dd || type == 0x0806 || type == 0x8035) {
    dispatchEthertype(type, start + GRH_LEN + 4, end);
  }
}

registerLinktype(242, dissectIpoib);
