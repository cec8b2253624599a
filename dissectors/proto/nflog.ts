// Linux netfilter NFLOG (link type 239): a 4-byte header (address family,
// version, resource ID), then TLVs whose length and type are in the
// capturing host's byte order (little-endian here, as tshark assumes on x86),
// each padded to 4 bytes.  The NFULA_PAYLOAD TLV holds the IP packet.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated, markMalformed } from '../packet';
import { u8at, u16at, u16le, has } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { dissectData } from './frame';

const PROTO_NFLOG = protocol('nflog', 'Linux Netfilter NFLOG');
const F_FAMILY = uint('nflog.family', 'Family', 8);
const F_VERSION = uint('nflog.version', 'Version', 8);
const F_RES_ID = uint('nflog.res_id', 'Resource id', 16);
const F_TLV_LENGTH = uint('nflog.tlv_length', 'Length', 16);
const F_TLV_TYPE = uint('nflog.tlv_type', 'Type', 16);
const F_HW_PROTOCOL = uint('nflog.protocol', 'HW protocol', 16, Base.HEX);
const F_HOOK = uint('nflog.hook', 'Netfilter hook', 8);

const HEADER_LEN: u32 = 4;
const TLV_HEADER_LEN: u32 = 4;
const NFULA_PACKET_HDR: u32 = 1;
const NFULA_PAYLOAD: u32 = 9;
const LINUX_AF_INET: u32 = 2;
const LINUX_AF_INET6: u32 = 10;

export function dissectNflog(start: u32, end: u32): void {
  setProtocolColumn('NFLOG');
  infoSet(); puts('NFLOG'); infoDone();
  beginLayer(PROTO_NFLOG);
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  const family = u8at(start, end);
  addNum(F_FAMILY, family);
  addNum(F_VERSION, u8at(start + 1, end));
  addNum(F_RES_ID, u16at(start + 2, end));
  let p = start + HEADER_LEN;
  // Each TLV moves p on by at least 4 bytes.
  while (end - p >= TLV_HEADER_LEN) {
    const len = u16le(p, end);
    const type = u16le(p + 2, end) & 0x7fff;
    if (len < TLV_HEADER_LEN) { markMalformed(); return; }
    addNum(F_TLV_LENGTH, len);
    addNum(F_TLV_TYPE, type);
    const value = p + TLV_HEADER_LEN;
    const valueLen = len - TLV_HEADER_LEN;
    if (type == NFULA_PACKET_HDR && valueLen >= 3) {
      if (!has(value, end, 3)) { markTruncated(); return; }
      addNum(F_HW_PROTOCOL, u16at(value, end));
      addNum(F_HOOK, u8at(value + 2, end));
    } else if (type == NFULA_PAYLOAD) {
      const payloadEnd = end - value > valueLen ? value + valueLen : end;
      dissectPayload(family, value, payloadEnd);
    }
    if (end - p < ((len + 3) & ~3)) return;
    p += (len + 3) & ~3;
  }
}

function dissectPayload(family: u32, start: u32, end: u32): void {
  let claimed = false;
  if (family == LINUX_AF_INET) claimed = dispatchEthertype(0x0800, start, end);
  else if (family == LINUX_AF_INET6) claimed = dispatchEthertype(0x86dd, start, end);
  if (!claimed) dissectData(start, end);
}

registerLinktype(239, dissectNflog);
