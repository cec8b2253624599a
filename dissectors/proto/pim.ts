// Protocol Independent Multicast, version 2 (RFC 7761): the common header,
// and the packet a Register message carries.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerIpProto, dispatchEthertype } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';

const PROTO_PIM = protocol('pim', 'Protocol Independent Multicast');
const F_VERSION = uint('pim.version', 'Version', 4);
const F_TYPE = uint('pim.type', 'Type', 4);
const F_CHECKSUM = uint('pim.cksum', 'Checksum', 16, Base.HEX);
const F_REGISTER_FLAGS = uint('pim.register_flag', 'Flags', 32, Base.HEX);

const TYPE_REGISTER: u32 = 1;

export function dissectPim(start: u32, end: u32): void {
  beginLayer(PROTO_PIM);
  setProtocolColumn('PIMv2');
  if (!has(start, end, 4)) { markTruncated(); return; }
  const vt = u8at(start, end);
  const version = vt >> 4;
  const type = vt & 15;
  addNum(F_VERSION, version);
  addNum(F_TYPE, type);
  addNum(F_CHECKSUM, u16at(start + 2, end));
  infoSet(); puts(typeName(type)); infoDone();
  if (version != 2 || type != TYPE_REGISTER) { dissectData(start + 4, end); return; }
  if (!has(start, end, 8)) { markTruncated(); return; }
  addNum(F_REGISTER_FLAGS, u32at(start + 4, end));
  // The encapsulated multicast packet: IPv4 or IPv6 by its version nibble.
  const inner = start + 8;
  if (!has(inner, end, 1)) return;
  const ipVersion = u8at(inner, end) >> 4;
  if (ipVersion == 4 && dispatchEthertype(0x0800, inner, end)) return;
  if (ipVersion == 6 && dispatchEthertype(0x86dd, inner, end)) return;
  dissectData(inner, end);
}

function typeName(type: u32): string {
  switch (type) {
    case 0: return 'Hello';
    case 1: return 'Register';
    case 2: return 'Register-stop';
    case 3: return 'Join/Prune';
    case 4: return 'Bootstrap';
    case 5: return 'Assert';
    case 6: return 'Graft';
    case 7: return 'Graft-Ack';
    case 8: return 'Candidate-RP-Advertisement';
    default: return 'Unknown';
  }
}

registerIpProto(103, dissectPim);
