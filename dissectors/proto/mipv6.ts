// The Mobile IPv6 mobility header (RFC 6275 section 6.1): its fixed part and
// message type.  The message bodies and mobility options are not decoded.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerIpProto } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec } from '../text';

const PROTO_MIPV6 = protocol('mipv6', 'Mobile IPv6');
const F_PROTO = uint('mip6.proto', 'Payload protocol', 8);
const F_HLEN = uint('mip6.hlen', 'Header length', 8);
const F_MHTYPE = uint('mip6.mhtype', 'Mobility Header Type', 8);
const F_RESERVED = uint('mip6.reserved', 'Reserved', 8, Base.HEX);
const F_CSUM = uint('mip6.csum', 'Checksum', 16, Base.HEX);

const MH_TYPES: StaticArray<string> = [
  'Binding Refresh Request', 'Home Test Init', 'Care-of Test Init', 'Home Test', 'Care-of Test', 'Binding Update',
  'Binding Acknowledgement', 'Binding Error', 'Fast Binding Update', 'Fast Binding Acknowledgment',
  'Fast Neighbor Advertisement', 'Experimental Mobility Header', 'Home Agent Switch', 'Heartbeat',
  'Handover Initiate', 'Handover Acknowledge', 'Binding Revocation', 'Localized Routing Initiation',
  'Localized Routing Acknowledgment',
];

function dissectMobilityHeader(start: u32, end: u32): void {
  beginLayer(PROTO_MIPV6);
  if (!has(start, end, 2)) { markTruncated(); return; }
  setProtocolColumn('MIPv6');
  addNum(F_PROTO, u8at(start, end));
  addNum(F_HLEN, u8at(start + 1, end));
  if (!has(start, end, 3)) { markTruncated(); return; }
  addNum(F_MHTYPE, u8at(start + 2, end));
  if (!has(start, end, 4)) { markTruncated(); return; }
  addNum(F_RESERVED, u8at(start + 3, end));
  if (!has(start, end, 6)) { markTruncated(); return; }
  addNum(F_CSUM, u16at(start + 4, end));
  const type = u8at(start + 2, end);
  infoSet();
  if (type < <u32>MH_TYPES.length) puts(unchecked(MH_TYPES[type]));
  else { puts('Unknown Mobility Header ('); putDec(type); putc(41); }
  infoDone();
  // The message body is not decoded, but tshark's decoding stops where the bytes do.
  const length = (u8at(start + 1, end) + 1) * 8;
  if (!has(start, end, length)) markTruncated();
}

registerIpProto(135, dissectMobilityHeader);
// The number the header had before RFC 6275 (draft versions of Mobile IPv6).
registerIpProto(62, dissectMobilityHeader);
