// ARCNET (link types 7, BSD, and 129, Linux with a 2-byte offset field):
// source, destination, a protocol ID, and for RFC 1201 protocols a split
// flag and sequence number.  IDs name IPv4 / ARP / RARP / IPv6.
import { protocol, uint, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, setProtocolColumnHex, markTruncated, setAddresses, AddrKind } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { dissectData } from './frame';

const PROTO_ARCNET = protocol('arcnet', 'ARCNET');
const F_SRC = uint('arcnet.src', 'Source', 8, Base.HEX);
const F_DST = uint('arcnet.dst', 'Dest', 8, Base.HEX);
const F_OFFSET = bytes('arcnet.offset', 'Offset');
const F_PROTOCOL_ID = uint('arcnet.protID', 'Protocol ID', 8, Base.HEX);
const F_SPLIT_FLAG = uint('arcnet.split_flag', 'Split Flag', 8);
const F_EXCEPTION_FLAG = uint('arcnet.exception_flag', 'Exception Flag', 8, Base.HEX);
const F_SEQUENCE = uint('arcnet.sequence', 'Sequence', 16);

// Protocol IDs without the RFC 1201 fragmentation fields.
const ID_IP_1051: u32 = 0xf0, ID_ARP_1051: u32 = 0xf1, ID_DIAGNOSE: u32 = 0x80, ID_BACNET: u32 = 0xcd, ID_IPX: u32 = 0xfa;

function dissectArcnet(start: u32, end: u32, hasOffset: bool): void {
  setProtocolColumn('ARCNET');
  infoSet(); puts('ARCNET'); infoDone();
  if (!has(start, end, 2)) { markTruncated(); return; }
  setAddresses(AddrKind.ARCNET, start, start + 1);
  beginLayer(PROTO_ARCNET);
  addNum(F_SRC, u8at(start, end));
  addNum(F_DST, u8at(start + 1, end));
  let p = start + 2;
  if (hasOffset) {
    if (!has(p, end, 2)) { markTruncated(); return; }
    addBytes(F_OFFSET, p, 2);
    p += 2;
  }
  if (!has(p, end, 1)) { markTruncated(); return; }
  let id = u8at(p, end);
  addNum(F_PROTOCOL_ID, id);
  p++;
  if (id != ID_IP_1051 && id != ID_ARP_1051 && id != ID_DIAGNOSE && id != ID_BACNET && id != ID_IPX) {
    if (!has(p, end, 1)) { markTruncated(); return; }
    const split = u8at(p, end);
    addNum(F_SPLIT_FLAG, split);
    p++;
    if (split == 0xff) {
      // An exception packet: flag, two bytes of padding, then the real protocol ID and split flag.
      if (!has(p, end, 5)) { markTruncated(); return; }
      addNum(F_EXCEPTION_FLAG, u8at(p, end));
      id = u8at(p + 3, end);
      addNum(F_PROTOCOL_ID, id);
      addNum(F_SPLIT_FLAG, u8at(p + 4, end));
      p += 5;
    }
    if (!has(p, end, 2)) { markTruncated(); return; }
    addNum(F_SEQUENCE, u16at(p, end));
    p += 2;
  }
  const type = ethertypeOf(id);
  if (type != 0 && dispatchEthertype(type, p, end)) return;
  setProtocolColumnHex(id);
  dissectData(p, end);
}

/** The ethertype of what an ARCNET protocol ID carries, or 0. */
function ethertypeOf(id: u32): u32 {
  switch (id) {
    case 0xd4: case 0xf0: return 0x0800;
    case 0xd5: case 0xf1: return 0x0806;
    case 0xd6: return 0x8035;
    case 0xc4: return 0x86dd;
    default: return 0;
  }
}

function dissectArcnetBsd(start: u32, end: u32): void { dissectArcnet(start, end, false); }
function dissectArcnetLinux(start: u32, end: u32): void { dissectArcnet(start, end, true); }

registerLinktype(7, dissectArcnetBsd);
registerLinktype(129, dissectArcnetLinux);
