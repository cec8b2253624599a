// Cisco HDLC (link type 104, and PPP link types whose frames start with
// 0x0f / 0x8f): address, control, then a 16-bit protocol that is mostly an
// ethertype.  Wireshark looks it up in its own "chdlc.protocol" table.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, setProtocolColumnHex, markTruncated } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { dissectData } from './frame';

const PROTO_CHDLC = protocol('chdlc', 'Cisco HDLC');
const F_ADDRESS = uint('chdlc.address', 'Address', 8, Base.HEX);
const F_CONTROL = uint('chdlc.control', 'Control', 8, Base.HEX);
const F_PROTOCOL = uint('chdlc.protocol', 'Protocol', 16, Base.HEX);

const HEADER_LEN: u32 = 4;

export function dissectChdlc(start: u32, end: u32): void {
  setProtocolColumn('CHDLC');
  infoSet(); infoDone();
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  beginLayer(PROTO_CHDLC);
  addNum(F_ADDRESS, u8at(start, end));
  addNum(F_CONTROL, u8at(start + 1, end));
  const proto = u16at(start + 2, end);
  addNum(F_PROTOCOL, proto);
  const payload = start + HEADER_LEN;
  // tshark peeks at the first payload byte (for OSI padding) before handing off.
  if (!has(payload, end, 1)) { markTruncated(); return; }
  let claimed = false;
  if (proto == 0x0800 || proto == 0x86dd || proto == 0x8847 || proto == 0x8848) {
    claimed = dispatchEthertype(proto, payload, end);
  }
  if (claimed) return;
  setProtocolColumnHex(proto);
  dissectData(payload, end);
}

registerLinktype(104, dissectChdlc);
