// Virtual eXtensible LAN (RFC 7348, UDP 4789): 8-byte header, then an
// Ethernet frame.  The flags word carries the Group Policy extension bits.
import { protocol, uint, flag, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, u24at, has } from '../cursor';
import { dissectNext as dissectNextProtocol } from './nsh';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { dissectEthernetWithoutFcs } from './eth';

const PROTO_VXLAN = protocol('vxlan', 'Virtual eXtensible Local Area Network');
const F_FLAGS = uint('vxlan.flags', 'Flags', 16, Base.HEX);
const F_FLAG_G = flag('vxlan.flag_g', 'GBP Extension');
const F_FLAG_I = flag('vxlan.flag_i', 'VXLAN Network ID (VNI)');
const F_FLAG_D = flag('vxlan.flag_d', "Don't Learn");
const F_FLAG_A = flag('vxlan.flag_a', 'Policy Applied');
const F_FLAGS_RESERVED = uint('vxlan.flags_reserved', 'Reserved(R)', 16, Base.HEX);
const F_GBP = uint('vxlan.gbp', 'Group Policy ID', 16);
const F_VNI = uint('vxlan.vni', 'VXLAN Network Identifier (VNI)', 24);
const F_RESERVED = uint('vxlan.reserved8', 'Reserved', 8);
const F_GPE_VERSION = uint('vxlan.ver', 'Version', 8);
const F_GPE_I = uint('vxlan.i_bit', 'Instance', 8);
const F_GPE_P = uint('vxlan.p_bit', 'Next Protocol Bit', 8);
const F_GPE_O = uint('vxlan.o_bit', 'OAM bit', 8);
const F_GPE_RESERVED = uint('vxlan.reserved_16', 'Reserved', 16);
const F_GPE_NEXT = uint('vxlan.next_proto', 'Next Protocol', 8);

const HEADER_LEN: u32 = 8;

export function dissectVxlan(start: u32, end: u32): void {
  setProtocolColumn('VXLAN');
  infoSet(); infoDone();
  beginLayer(PROTO_VXLAN);
  if (!has(start, end, 2)) { markTruncated(); return; }
  const flags = u16at(start, end);
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_G, (flags & 0x8000) != 0);
  addNum(F_FLAG_I, (flags & 0x0800) != 0);
  addNum(F_FLAG_D, (flags & 0x0040) != 0);
  addNum(F_FLAG_A, (flags & 0x0008) != 0);
  addNum(F_FLAGS_RESERVED, flags & 0x77b7);
  if (!has(start, end, 4)) { markTruncated(); return; }
  addNum(F_GBP, u16at(start + 2, end));
  if (!has(start, end, 7)) { markTruncated(); return; }
  addNum(F_VNI, u24at(start + 4, end));
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  addNum(F_RESERVED, u8at(start + 7, end));
  dissectEthernetWithoutFcs(start + HEADER_LEN, end);
}

/**
 * VXLAN-GPE (UDP 4790): an 8-bit flags field, then a next-protocol number.
 * Its flags are Wireshark's 8-bit vxlan.flags, which this registry cannot
 * hold beside the 16-bit one of the same name, so they are not shown.
 */
export function dissectVxlanGpe(start: u32, end: u32): void {
  setProtocolColumn('VXLAN');
  infoSet(); infoDone();
  beginLayer(PROTO_VXLAN);
  if (!has(start, end, 1)) { markTruncated(); return; }
  const flags = u8at(start, end);
  addNum(F_GPE_VERSION, (flags >> 4) & 3);
  addNum(F_GPE_I, (flags >> 3) & 1);
  addNum(F_GPE_P, (flags >> 2) & 1);
  addNum(F_GPE_O, flags & 1);
  if (!has(start, end, 3)) { markTruncated(); return; }
  addNum(F_GPE_RESERVED, u16at(start + 1, end));
  if (!has(start, end, 4)) { markTruncated(); return; }
  const next = u8at(start + 3, end);
  addNum(F_GPE_NEXT, next);
  if (!has(start, end, 7)) { markTruncated(); return; }
  addNum(F_VNI, u24at(start + 4, end));
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  addNum(F_RESERVED, u8at(start + 7, end));
  const payload = start + HEADER_LEN;
  dissectNextProtocol(next, payload, end);
}

registerUdpPort(4789, dissectVxlan);
registerUdpPort(4790, dissectVxlanGpe);
