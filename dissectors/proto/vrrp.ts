// Virtual Router Redundancy Protocol, IP protocol 112: version 2 (RFC 3768,
// IPv4, with authentication type and a one-second interval) and version 3
// (RFC 5798, IPv4 or IPv6, a centisecond interval and a checksum over a
// pseudo-header).
import { protocol, uint, str, ipv4, ipv6, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, reportedLength, isFragmented, srcKind, srcPtr, dstPtr, AddrKind } from '../packet';
import { u8at, u16at, has, lacks } from '../cursor';
import { registerIpProto } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { ChecksumStatus, onesComplementAdd, foldChecksum, pseudoHeaderSum } from './inet-cksum';
import { addAscii } from './ascii-text';

const PROTO_VRRP = protocol('vrrp', 'Virtual Router Redundancy Protocol');
const F_TYPEVER = uint('vrrp.typever', 'VRRP message version and type', 8);
const F_VERSION = uint('vrrp.version', 'VRRP protocol version', 8);
const F_TYPE = uint('vrrp.type', 'VRRP packet type', 8);
const F_ROUTER_ID = uint('vrrp.virt_rtr_id', 'Virtual Rtr ID', 8);
const F_PRIORITY = uint('vrrp.prio', 'Priority', 8);
const F_ADDR_COUNT = uint('vrrp.addr_count', 'Addr Count', 8);
const F_AUTH_TYPE = uint('vrrp.auth_type', 'Auth Type', 8);
const F_ADVER_INT = uint('vrrp.adver_int', 'Adver Int', 8);
const F_RESERVED = uint('vrrp.reserved_mbz', 'Reserved', 8);
const F_SHORT_ADVER_INT = uint('vrrp.short_adver_int', 'Adver Int', 16);
const F_CHECKSUM = uint('vrrp.checksum', 'Checksum', 16, Base.HEX);
const F_CHECKSUM_STATUS = uint('vrrp.checksum.status', 'Checksum Status', 8);
const F_IP = ipv4('vrrp.ip_addr', 'IP Address');
const F_IP6 = ipv6('vrrp.ipv6_addr', 'IPv6 Address');
const F_AUTH_STRING = str('vrrp.auth_string', 'Authentication String', Base.FINAL_TEXT);

const IP_PROTO_VRRP: u32 = 112;
const HEADER_LEN: u32 = 8;
const AUTH_SIMPLE_TEXT: u32 = 1;
const AUTH_DATA_LEN: u32 = 8;

function checksumStatus(version: u32, start: u32, end: u32): u32 {
  const len = end - start;
  if (isFragmented() || reportedLength(start, end) != len) return ChecksumStatus.UNVERIFIED;
  // Version 3 sums a pseudo-header (pinfo's addresses, as Wireshark) before the message.
  const pseudo: u64 = version == 3 ? pseudoHeaderSum(srcPtr, dstPtr, srcKind == AddrKind.IPV6 ? 16 : 4, len, IP_PROTO_VRRP) : 0;
  const sum = onesComplementAdd(start, len, pseudo);
  return foldChecksum(sum) == 0 ? ChecksumStatus.GOOD : ChecksumStatus.BAD;
}

// The fields are the ones a tree-building tshark adds, each as long as the
// packet holds it.  The marks are where a summary's tshark, which builds no
// tree, fails a read: it reads bytes 0, 2 and 3, skips to the checksum, then
// the addresses, and never reads the authentication type nor its string.
function dissectVrrp(start: u32, end: u32): void {
  setProtocolColumn('VRRP');
  infoSet(); infoDone();
  if (lacks(start, end, 1)) return;
  const typever = u8at(start, end);
  const version = typever >> 4;
  infoSet(); puts('Announcement (v'); putDec(version); puts(')'); infoDone();
  beginLayer(PROTO_VRRP);
  // The priority and the count are read before any field is added.
  if (lacks(start + 2, end, 2)) return;
  const authType = addHeaderFields(start, end, typever);
  if (lacks(start + 6, end, 2)) return;
  addNum(F_CHECKSUM, u16at(start + 6, end));
  addNum(F_CHECKSUM_STATUS, checksumStatus(version, start, end));
  const v6 = srcKind == AddrKind.IPV6;
  const size: u32 = v6 ? 16 : 4;
  let p = start + HEADER_LEN;
  for (let count = u8at(start + 3, end); count > 0; count--, p += size) {
    if (lacks(p, end, size)) return;
    addBytes(v6 ? F_IP6 : F_IP, p, size);
  }
  if (authType == <i32>AUTH_SIMPLE_TEXT && has(p, end, AUTH_DATA_LEN)) addAscii(F_AUTH_STRING, p, AUTH_DATA_LEN);
}

/** The header's fields up to the checksum (the first four bytes are there), as far as the packet holds them; returns the authentication type (-1 when cut before it). */
function addHeaderFields(start: u32, end: u32, typever: u32): i32 {
  const version = typever >> 4;
  addNum(F_TYPEVER, typever);
  addNum(F_VERSION, version);
  addNum(F_TYPE, typever & 0x0f);
  addNum(F_ROUTER_ID, u8at(start + 1, end));
  addNum(F_PRIORITY, u8at(start + 2, end));
  addNum(F_ADDR_COUNT, u8at(start + 3, end));
  if (version == 3) {
    if (!has(start, end, 6)) return -1;
    addNum(F_RESERVED, u8at(start + 4, end) >> 4);
    addNum(F_SHORT_ADVER_INT, u16at(start + 4, end) & 0x0fff);
    return 0;
  }
  if (!has(start, end, 5)) return -1;
  const authType = u8at(start + 4, end);
  addNum(F_AUTH_TYPE, authType);
  if (has(start, end, 6)) addNum(F_ADVER_INT, u8at(start + 5, end));
  return <i32>authType;
}

registerIpProto(IP_PROTO_VRRP, dissectVrrp);
