// Internet Protocol version 4 (RFC 791).
import { protocol, uint, flag, ipv4, str, Base } from '../fields';
import { beginLayer, addNum, addBytes, setAddresses, setSourceAddress, setProtocolColumn, AddrKind, markTruncated,
  isFragmented, setFragmented, setNetworkTtl, reportedLength, limitUncaptured, setDatagramEnd } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerEthertype, registerLinktype, registerIpProto, dispatchIpProto, dispatchEthertype } from '../dispatch';
import { dissectData } from './frame';
import { addAddressAndHost } from './ip-host';
import { infoSet, infoDone } from '../columns';
import { puts, putDec, putHexDigits, putc } from '../text';
import { putIpProtoName } from './ipproto';

export const PROTO_IP = protocol('ip', 'Internet Protocol Version 4');
export const F_VERSION = uint('ip.version', 'Version', 4);
const F_HDR_LEN = uint('ip.hdr_len', 'Header Length', 8);
const F_DSFIELD = uint('ip.dsfield', 'Differentiated Services Field', 8, Base.HEX);
const F_DSCP = uint('ip.dsfield.dscp', 'Differentiated Services Codepoint', 8);
const F_ECN = uint('ip.dsfield.ecn', 'Explicit Congestion Notification', 8);
const F_LEN = uint('ip.len', 'Total Length');
const F_ID = uint('ip.id', 'Identification', 16, Base.HEX_DEC);
const F_FLAGS = uint('ip.flags', 'Flags', 8, Base.HEX);
const F_FLAG_RB = flag('ip.flags.rb', 'Reserved bit');
const F_FLAG_DF = flag('ip.flags.df', "Don't fragment");
const F_FLAG_MF = flag('ip.flags.mf', 'More fragments');
const F_FRAG_OFFSET = uint('ip.frag_offset', 'Fragment Offset');
const F_TTL = uint('ip.ttl', 'Time to Live');
const F_PROTO = uint('ip.proto', 'Protocol', 8);
const F_CHECKSUM = uint('ip.checksum', 'Header Checksum', 16, Base.HEX);
const F_CHECKSUM_STATUS = uint('ip.checksum.status', 'Header checksum status', 8);
const F_SRC = ipv4('ip.src', 'Source Address');
const F_ADDR = ipv4('ip.addr', 'Source or Destination Address');
const F_SRC_HOST = str('ip.src_host', 'Source Host');
const F_HOST = str('ip.host', 'Source or Destination Host');
const F_DST = ipv4('ip.dst', 'Destination Address');
const F_DST_HOST = str('ip.dst_host', 'Destination Host');
const F_OPT_TYPE = uint('ip.opt.type', 'Option Type', 8);
const F_OPT_LEN = uint('ip.opt.len', 'Option Length', 8);

export function dissectIPv4(start: u32, end: u32): void {
  beginLayer(PROTO_IP);
  setProtocolColumn('IPv4');
  // As tshark's IPv4 dissector: what the link layer put in the info column goes.
  infoSet(); infoDone();
  const vhl = u8at(start, end);
  if (!has(start, end, 1)) return;
  const version = vhl >> 4;
  const hlen = (vhl & 15) * 4;
  addNum(F_VERSION, version);
  if (version != 4) {
    // tshark hands a header that says version 6 on to IPv6.
    if (version == 6 && dispatchEthertype(0x86dd, start, end)) return;
    infoSet(); puts('Bogus IPv4 version ('); putDec(version); puts(', must be 4)'); infoDone();
    return;
  }
  addNum(F_HDR_LEN, hlen);
  // tshark names these two in the info column and stops, without an exception.
  if (hlen < 20) {
    infoSet(); puts('Bogus IP header length ('); putDec(hlen); puts(', must be at least 20)'); infoDone();
    return;
  }
  // Each field is shown as long as the capture holds it, as tshark does.
  if (!fits(start, end, 2)) return;
  const tos = u8at(start + 1, end);
  addNum(F_DSFIELD, tos);
  addNum(F_DSCP, tos >> 2);
  addNum(F_ECN, tos & 3);
  if (!fits(start, end, 4)) return;
  let totalLen = u16at(start + 2, end);
  // A zero total length is what segmentation offload (TSO, BIG TCP) leaves in
  // captures: tshark then takes the length the frame reports.
  if (totalLen == 0) totalLen = reportedLength(start, end);
  addNum(F_LEN, totalLen);
  if (totalLen < hlen) {
    infoSet(); puts('Bogus IP length ('); putDec(totalLen); puts(', less than header length '); putDec(hlen); putc(41); infoDone();
    return;
  }
  if (totalLen < reportedLength(start, end)) setDatagramEnd(start, start + totalLen);
  if (!fits(start, end, 6)) return;
  const id = u16at(start + 4, end);
  addNum(F_ID, id);
  if (!fits(start, end, 8)) return;
  const fragWord = u16at(start + 6, end);
  const flags = fragWord >> 13;
  // -T fields shows the offset field as is (units of 8 bytes); the info column shows bytes.
  const fragOffset = (fragWord & 0x1fff) * 8;
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_RB, (flags >> 2) & 1);
  addNum(F_FLAG_DF, (flags >> 1) & 1);
  addNum(F_FLAG_MF, flags & 1);
  addNum(F_FRAG_OFFSET, fragWord & 0x1fff);
  if (!fits(start, end, 9)) return;
  const ttl = u8at(start + 8, end);
  addNum(F_TTL, ttl);
  setNetworkTtl(<i32>ttl);
  if (!fits(start, end, 10)) return;
  const proto = u8at(start + 9, end);
  addNum(F_PROTO, proto);
  if (!fits(start, end, 12)) return;
  addNum(F_CHECKSUM, u16at(start + 10, end));
  // Header checksums are not verified (Wireshark's default): "2", unverified.
  addNum(F_CHECKSUM_STATUS, 2);
  if (!fits(start, end, 16)) return;
  addAddressAndHost(F_SRC, F_ADDR, F_SRC_HOST, F_HOST, start + 12, false);
  setSourceAddress(AddrKind.IPV4, start + 12);
  if (!fits(start, end, 20)) return;
  addAddressAndHost(F_DST, F_ADDR, F_DST_HOST, F_HOST, start + 16, false);
  setAddresses(AddrKind.IPV4, start + 12, start + 16);
  if (!has(start, end, hlen)) { markTruncated(); return; }
  dissectOptions(start + 20, start + hlen);

  // The datagram ends where its total length says, or where the capture ends.
  const payloadEnd = end - start > totalLen ? start + totalLen : end;
  if (payloadEnd == end) limitUncaptured(end, totalLen - (end - start));
  const payload = start + hlen;
  if (fragOffset > 0) {
    setProtocolColumn('IPv4');
    infoSet();
    puts('Fragmented IP protocol (proto='); putIpProtoName(proto); putc(32); putDec(proto);
    puts(', off='); putDec(fragOffset); puts(', ID='); putHexDigits(id, 4); puts(')');
    infoDone();
    dissectData(payload, payloadEnd);
    return;
  }
  // Nothing after the header (a PIM Null-Register's packet): tshark hands no
  // payload on, and the info column stays empty.
  if (totalLen == hlen) return;
  // A first fragment is dissected, but its checksums cannot be verified.
  const wasFragmented = isFragmented();
  if (flags & 1) setFragmented(true);
  if (!dispatchIpProto(proto, payload, payloadEnd)) {
    // As tshark shows a protocol it has no dissector for (one disabled): its name and number.
    infoSet(); putIpProtoName(proto); puts(' ('); putDec(proto); putc(41); infoDone();
    dissectData(payload, payloadEnd);
  }
  setFragmented(wasFragmented);
}

function dissectOptions(p: u32, end: u32): void {
  // Each option: type, and for all but EOL (0) and NOP (1) a length covering type and length.
  while (p < end) {
    const type = <u32>load<u8>(p);
    addNum(F_OPT_TYPE, type);
    if (type == 0) return;
    if (type == 1) { p++; continue; }
    // tshark notes a length byte past the options, a length below 2 or past
    // the options in its tree and stops the walk, without an exception.
    if (end - p < 2) return;
    const len = <u32>load<u8>(p + 1);
    addNum(F_OPT_LEN, len);
    if (len < 2 || len > end - p) return;
    p += len;
  }
}

registerEthertype(0x0800, dissectIPv4);
registerLinktype(228, dissectIPv4);
registerIpProto(4, dissectIPv4);

/** True when the header's first n bytes were captured; otherwise marks the packet truncated. */
function fits(start: u32, end: u32, n: u32): bool {
  if (has(start, end, n)) return true;
  markTruncated();
  return false;
}
