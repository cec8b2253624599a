// NHRP, the NBMA Next Hop Resolution Protocol (RFC 2332 with Cisco's and
// RFC 2735's extensions), as tshark 4.0 shows it over GRE protocol type
// 0x2001 and IP protocol 54: 'NHRP Registration Request, ID=21', a reply's
// ', Code=Success' for each client entry of its mandatory part, an error
// indication's ', Protocol Error'.  The walk reads what tshark reads, in its
// order, with its quirks: a SNAP protocol type leaves the offset two bytes
// short, a client entry's length fields are whole bytes and its sub-address
// is shown but not skipped, an End extension with bytes after it ends the
// walk only at the top.  An indication's packet is dissected as inside an
// error report (columns kept, a read past the captured bytes ends NHRP too,
// one past the packet only that packet); an error indication's packet is
// NHRP again and adds its request ID to the info column.
import { protocol, uint, flag, ipv4, bytes, Base } from '../fields';
import { beginLayer, beginSingleCall, endSingleCall, addNum, addBytes, setProtocolColumn, markMalformed, markTruncated, bytesCutAfter,
  inErrorPacket, setInErrorPacket, PacketError } from '../packet';
import { lacks, has, be16, be32 } from '../cursor';
import { registerIpProto } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putHexUpper, tableName } from '../text';
import { onesComplementAdd, foldChecksum, ChecksumStatus } from './inet-cksum';
import { registerGreProto } from './gre';
import { dissectReportedPacket } from './quoted';

const PROTO_NHRP = protocol('nhrp', 'NBMA Next Hop Resolution Protocol');
const F_AFN = uint('nhrp.hdr.afn', 'Address Family Number', 16, Base.HEX_DEC);
const F_PRO_TYPE = uint('nhrp.hdr.pro.type', 'Protocol Type (short form)', 16, Base.HEX_DEC);
const F_HOPCNT = uint('nhrp.hdr.hopcnt', 'Hop Count', 8);
const F_PKTSZ = uint('nhrp.hdr.pktsz', 'Packet Length', 16);
const F_CHKSUM = uint('nhrp.hdr.chksum', 'NHRP Packet Checksum', 16, Base.HEX);
const F_CHKSUM_STATUS = uint('nhrp.hdr.chksum.status', 'NHRP Packet Checksum Status', 8);
const F_EXTOFF = uint('nhrp.hdr.extoff', 'Extension Offset', 16);
const F_VERSION = uint('nhrp.hdr.version', 'Version', 8);
const F_OP_TYPE = uint('nhrp.hdr.op.type', 'NHRP Packet Type', 8);
const F_SHTL = uint('nhrp.hdr.shtl', 'Source Address Type/Len', 8);
const F_SHTL_TYPE = uint('nhrp.hdr.shtl.type', 'Type', 8);
const F_SHTL_LEN = uint('nhrp.hdr.shtl.len', 'Length', 8);
const F_SSTL = uint('nhrp.hdr.sstl', 'Source SubAddress Type/Len', 8);
const F_SSTL_TYPE = uint('nhrp.hdr.sstl.type', 'Type', 8);
const F_SSTL_LEN = uint('nhrp.hdr.sstl.len', 'Length', 8);
const F_SRC_PROTO_LEN = uint('nhrp.src.prot.len', 'Source Protocol Len', 16);
const F_DST_PROTO_LEN = uint('nhrp.dst.prot.len', 'Destination Protocol Len', 16);
const F_FLAGS = uint('nhrp.flags', 'Flags', 16, Base.HEX);
const F_FLAG_Q = flag('nhrp.flag.q', 'Is Router');
const F_FLAG_N = flag('nhrp.flag.n', 'Expected Purge Reply');
const F_FLAG_A = flag('nhrp.flag.a', 'Authoritative');
const F_FLAG_D = flag('nhrp.flag.d', 'Stable Association');
const F_FLAG_U = flag('nhrp.flag.u', 'Uniqueness Bit');
const F_FLAG_S = flag('nhrp.flag.s', 'Stable Binding');
const F_FLAG_NAT = flag('nhrp.flag.nat', 'Cisco NAT Supported');
const F_SRC_NBMA_ADDR = ipv4('nhrp.src.nbma.addr', 'Source NBMA Address');
const F_SRC_NBMA_SADDR = bytes('nhrp.src.nbma.saddr', 'Source NBMA Sub Address');
const F_SRC_PROT_ADDR = ipv4('nhrp.src.prot.addr', 'Source Protocol Address');
const F_DST_PROT_ADDR = ipv4('nhrp.dst.prot.addr', 'Destination Protocol Address');
const F_REQUEST_ID = uint('nhrp.reqid', 'Request ID', 32, Base.HEX_DEC);
const F_CODE = uint('nhrp.code', 'Code', 8);
const F_PREFIX = uint('nhrp.prefix', 'Prefix Length', 8);
const F_UNUSED = uint('nhrp.unused', 'Unused', 16);
const F_MTU = uint('nhrp.mtu', 'Max Transmission Unit', 16);
const F_HOLDING_TIME = uint('nhrp.htime', 'Holding Time (s)', 16);
const F_CLI_ADDR_TL = uint('nhrp.cli.addr_tl', 'Client Address Type/Len', 8);
const F_CLI_ADDR_TL_TYPE = uint('nhrp.cli.addr_tl.type', 'Type', 8);
const F_CLI_ADDR_TL_LEN = uint('nhrp.cli.addr_tl.len', 'Length', 8);
const F_CLI_SADDR_TL = uint('nhrp.cli.saddr_tl', 'Client Sub Address Type/Len', 8);
const F_CLI_SADDR_TL_TYPE = uint('nhrp.cli.saddr_tl.type', 'Type', 8);
const F_CLI_SADDR_TL_LEN = uint('nhrp.cli.saddr_tl.len', 'Length', 8);
const F_CLI_PROT_LEN = uint('nhrp.prot.len', 'Client Protocol Length', 8);
const F_PREF = uint('nhrp.pref', 'CIE Preference Value', 8);
const F_CLIENT_NBMA_ADDR = ipv4('nhrp.client.nbma.addr', 'Client NBMA Address');
const F_CLIENT_NBMA_SADDR = bytes('nhrp.client.nbma.saddr', 'Client NBMA Sub Address');
const F_CLIENT_PROT_ADDR = ipv4('nhrp.client.prot.addr', 'Client Protocol Address');
const F_EXT_C = flag('nhrp.ext.c', 'Compulsory Flag');
const F_EXT_TYPE = uint('nhrp.ext.type', 'Extension Type', 16, Base.HEX);
const F_EXT_LEN = uint('nhrp.ext.len', 'Extension length', 16);
const F_ERROR_CODE = uint('nhrp.err.code', 'Error Code', 16);
const F_ERROR_OFFSET = uint('nhrp.err.offset', 'Error Offset', 16);
const F_AUTH_RESERVED = uint('nhrp.auth_ext.reserved', 'Reserved', 16);
const F_AUTH_SPI = uint('nhrp.auth_ext.spi', 'SPI', 16);
const F_AUTH_SRC_ADDR = ipv4('nhrp.auth_ext.src_addr', 'Source Address');
const F_VENDOR_ID = uint('nhrp.vendor_ext.id', 'Vendor ID', 24);
const F_DEVCAP_SRCCAP = uint('nhrp.devcap_ext.srccap', 'Source Capabilities', 32, Base.HEX);
const F_DEVCAP_SRCCAP_V = flag('nhrp.devcap_ext.srccap.V', 'VPN-aware');
const F_DEVCAP_DSTCAP = uint('nhrp.devcap_ext.dstcap', 'Destination Capabilities', 32, Base.HEX);
const F_DEVCAP_DSTCAP_V = flag('nhrp.devcap_ext.dstcap.V', 'VPN-aware');
const F_UNKNOWN_EXT_VALUE = bytes('nhrp.unknown_ext.value', 'Extension Value');
const F_PROTOCOL_TYPE = bytes('nhrp.protocol_type', 'Protocol Type (long form)');
const F_CLIENT_NBMA_ADDR_BYTES = bytes('nhrp.client.nbma.addr_bytes', 'Client NBMA Address');
const F_CLIENT_PROT_ADDR_BYTES = bytes('nhrp.client.prot.addr_bytes', 'Client Protocol Address');
const F_SRC_NBMA_ADDR_BYTES = bytes('nhrp.src.nbma.addr_bytes', 'Source NBMA Address');
const F_SRC_PROT_ADDR_BYTES = bytes('nhrp.src.prot.addr_bytes', 'Source Protocol Address');
// Wireshark's own spelling.
const F_DST_PROT_ADDR_BYTES = bytes('nhrp.dst.prot.addr_byets', 'Destination Protocol Address');
const F_AUTH_SRC_ADDR_BYTES = bytes('nhrp.auth_ext.src_addr_bytes', 'Source Address');
const F_AUTH_DATA = bytes('nhrp.auth_ext.data', 'Data');
const F_VENDOR_DATA = bytes('nhrp.vendor_ext.data', 'Data');

const FIXED_HEADER: u32 = 20;
const AFN_IPV4: u32 = 1;
const NLPID_SNAP: u32 = 0x80;
const NLPID_IP: u32 = 0xcc;
const NLPID_IP6: u32 = 0x8e;

const RESOLUTION_REQUEST: u32 = 1;
const RESOLUTION_REPLY: u32 = 2;
const REGISTRATION_REQUEST: u32 = 3;
const REGISTRATION_REPLY: u32 = 4;
const PURGE_REQUEST: u32 = 5;
const PURGE_REPLY: u32 = 6;
const ERROR_INDICATION: u32 = 7;
const TRAFFIC_INDICATION: u32 = 8;

const EXT_END: u32 = 0;
const EXT_RESPONDER_ADDRESS: u32 = 3;
const EXT_FORWARD_RECORD: u32 = 4;
const EXT_REVERSE_RECORD: u32 = 5;
const EXT_AUTH: u32 = 7;
const EXT_VENDOR_PRIVATE: u32 = 8;
// Cisco's NAT address extension, or RFC 2735's device capabilities when 8 bytes long.
const EXT_NAT_ADDRESS: u32 = 9;
const EXT_MOBILE_AUTH: u32 = 10;

// Error indications nested in error indications: each costs a call level.
const MAX_NESTED: i32 = 200;
let nestedDepth: i32 = 0;

function dissectNhrpPacket(start: u32, end: u32): void {
  // One call, whatever packets it holds (an error indication quotes one).
  const call = beginSingleCall(PROTO_NHRP);
  dissectNhrp(start, end, false);
  endSingleCall(call);
}

/** One NHRP packet at [start, end); false when a read ran out of bytes (tshark's exception: the whole dissection ends). */
function dissectNhrp(start: u32, end: u32, nested: bool): bool {
  if (!nested) { setProtocolColumn('NHRP'); infoSet(); infoDone(); }
  if (lacks(start + 17, end, 1)) return false;
  const op = <u32>load<u8>(start + 17);
  if (!nested) { infoSet(); putOpName(op); infoDone(); }
  beginLayer(PROTO_NHRP);
  const afn = be16(start);
  const proType = be16(start + 2);
  addNum(F_AFN, afn);
  addNum(F_PRO_TYPE, proType);
  let snapOui: u32 = 0, snapPid: u32 = 0;
  let p: u32;
  if (proType == NLPID_SNAP) {
    snapOui = (<u32>load<u8>(start + 4) << 16) | be16(start + 5);
    snapPid = be16(start + 7);
    // tshark does not move past the PID: the rest of the header is read two bytes early.
    p = start + 7;
  } else {
    addBytes(F_PROTOCOL_TYPE, start + 4, 5);
    p = start + 9;
  }
  addNum(F_HOPCNT, load<u8>(p));
  const packetSize = be16(p + 1);
  addNum(F_PKTSZ, packetSize);
  if (packetSize < FIXED_HEADER) return true;
  addNum(F_CHKSUM, be16(p + 3));
  if (has(start, end, packetSize)) {
    const good = foldChecksum(onesComplementAdd(start, packetSize, 0)) == 0;
    addNum(F_CHKSUM_STATUS, good ? ChecksumStatus.GOOD : ChecksumStatus.BAD);
  } else {
    addNum(F_CHKSUM_STATUS, ChecksumStatus.UNVERIFIED);
  }
  const extOffset = be16(p + 5);
  addNum(F_EXTOFF, extOffset);
  addNum(F_VERSION, load<u8>(p + 7));
  addNum(F_OP_TYPE, load<u8>(p + 8));
  if (lacks(p + 9, end, 1)) return false;
  const shtl = <u32>load<u8>(p + 9);
  addNum(F_SHTL, shtl); addNum(F_SHTL_TYPE, (shtl & 0x40) >> 6); addNum(F_SHTL_LEN, shtl & 0x3f);
  if (lacks(p + 10, end, 1)) return false;
  const sstl = <u32>load<u8>(p + 10);
  addNum(F_SSTL, sstl); addNum(F_SSTL_TYPE, (sstl & 0x40) >> 6); addNum(F_SSTL_LEN, sstl & 0x3f);
  p += 11;
  let mandatoryLength: u32, extensionsLength: u32 = 0;
  if (extOffset != 0) {
    if (extOffset < FIXED_HEADER || extOffset > packetSize) return true;
    mandatoryLength = extOffset - FIXED_HEADER;
    extensionsLength = packetSize - extOffset;
  } else {
    mandatoryLength = packetSize - FIXED_HEADER;
  }

  let sourceLength: u32 = 0;
  if (mandatoryLength != 0) {
    const mandatoryEnd = p + mandatoryLength;
    const isRequest = op == RESOLUTION_REQUEST || op == REGISTRATION_REQUEST || op == PURGE_REQUEST;
    const isError = op == ERROR_INDICATION;
    const isIndication = isError || op == TRAFFIC_INDICATION;
    if (lacks(p, end, 1)) return false;
    sourceLength = <u32>load<u8>(p);
    addNum(F_SRC_PROTO_LEN, sourceLength);
    if (lacks(p + 1, end, 1)) return false;
    const destinationLength = <u32>load<u8>(p + 1);
    addNum(F_DST_PROTO_LEN, destinationLength);
    if (!isIndication) {
      // tshark reads the flags only while building a tree; the request ID after them is read either way.
      if (has(p + 2, end, 2)) addFlags(op, be16(p + 2));
      if (lacks(p + 4, end, 4)) return false;
      const requestId = be32(p + 4);
      infoAppend(); puts(', ID='); putDec(requestId); infoDone();
      addNum(F_REQUEST_ID, requestId);
    } else if (isError) {
      if (lacks(p + 4, end, 2)) return false;
      const code = be16(p + 4);
      infoAppend(); puts(', '); putErrorName(code); infoDone();
      addNum(F_ERROR_CODE, code);
      if (lacks(p + 6, end, 2)) return false;
      addNum(F_ERROR_OFFSET, be16(p + 6));
    }
    p += 8;
    const nbmaLength = shtl & 0x3f;
    if (nbmaLength != 0) {
      if (lacks(p, end, nbmaLength)) return false;
      if (afn == AFN_IPV4 && nbmaLength == 4) addNum(F_SRC_NBMA_ADDR, p);
      else addBytes(F_SRC_NBMA_ADDR_BYTES, p, nbmaLength);
      p += nbmaLength;
    }
    const subaddressLength = sstl & 0x3f;
    if (subaddressLength != 0) {
      if (lacks(p, end, subaddressLength)) return false;
      addBytes(F_SRC_NBMA_SADDR, p, subaddressLength);
      p += subaddressLength;
    }
    if (sourceLength != 0) {
      if (lacks(p, end, sourceLength)) return false;
      if (sourceLength == 4) addNum(F_SRC_PROT_ADDR, p);
      else addBytes(F_SRC_PROT_ADDR_BYTES, p, sourceLength);
      p += sourceLength;
    }
    if (destinationLength != 0) {
      if (lacks(p, end, destinationLength)) return false;
      if (destinationLength == 4) addNum(F_DST_PROT_ADDR, p);
      else addBytes(F_DST_PROT_ADDR_BYTES, p, destinationLength);
      p += destinationLength;
    }
    if (isIndication) {
      if (!dissectIndicated(isError, proType, snapOui, snapPid, p, end)) return false;
      p = mandatoryEnd;
    }
    if (!dissectClientEntries(p, mandatoryEnd, end, afn, isRequest, !nested)) return false;
    p = mandatoryEnd;
  }
  if (extensionsLength != 0) return dissectExtensions(p, p + extensionsLength, end, afn, sourceLength, nested);
  return true;
}

/** The packet an indication carries, to the end of the NHRP packet; false when a read there ends the whole dissection. */
function dissectIndicated(isError: bool, proType: u32, snapOui: u32, snapPid: u32, p: u32, end: u32): bool {
  const wasInError = inErrorPacket();
  setInErrorPacket(true);
  let ok = true;
  if (isError) {
    if (nestedDepth >= MAX_NESTED) { markMalformed(); ok = false; }
    else {
      nestedDepth++;
      ok = dissectNhrp(p, end, true);
      nestedDepth--;
    }
  } else {
    // Only a read past the captured bytes ends NHRP too; one past the packet ends the reported packet alone.
    const raised = dissectReportedPacket(indicatedEthertype(proType, snapOui, snapPid), p, end);
    if (raised & PacketError.TRUNCATED) { markTruncated(); ok = false; }
  }
  setInErrorPacket(wasInError);
  return ok;
}

/** The ethertype of the protocol an indication's packet is in, -1 for data. */
function indicatedEthertype(proType: u32, snapOui: u32, snapPid: u32): i32 {
  if (proType == NLPID_SNAP) return snapOui == 0 ? <i32>snapPid : -1;
  if (proType == NLPID_IP) return 0x0800;
  if (proType == NLPID_IP6) return 0x86dd;
  return proType >= 0x600 ? <i32>proType : -1;
}

function addFlags(op: u32, flags: u32): void {
  addNum(F_FLAGS, flags);
  if (op == RESOLUTION_REQUEST || op == RESOLUTION_REPLY) {
    addNum(F_FLAG_Q, (flags & 0x8000) != 0);
    addNum(F_FLAG_A, (flags & 0x4000) != 0);
    addNum(F_FLAG_D, (flags & 0x2000) != 0);
    addNum(F_FLAG_U, (flags & 0x1000) != 0);
    addNum(F_FLAG_S, (flags & 0x0800) != 0);
  } else if (op == REGISTRATION_REQUEST || op == REGISTRATION_REPLY) {
    addNum(F_FLAG_U, (flags & 0x8000) != 0);
  } else if (op == PURGE_REQUEST || op == PURGE_REPLY) {
    addNum(F_FLAG_N, (flags & 0x8000) != 0);
  }
  addNum(F_FLAG_NAT, (flags & 0x0002) != 0);
}

/** Client information entries from p while 12 bytes fit before entriesEnd; `showCode` puts each code in the info column. */
function dissectClientEntries(p: u32, entriesEnd: u32, end: u32, afn: u32, isRequest: bool, showCode: bool): bool {
  // Each entry moves p on by at least 12 bytes.
  while (p + 12 <= entriesEnd) {
    if (lacks(p + 8, end, 1) || lacks(p + 9, end, 1) || lacks(p + 10, end, 1)) return false;
    const code = <u32>load<u8>(p);
    // tshark takes the whole type/length bytes as lengths.
    const addressLength = <u32>load<u8>(p + 8);
    const subaddressLength = <u32>load<u8>(p + 9);
    const protocolLength = <u32>load<u8>(p + 10);
    if (!isRequest && showCode) { infoAppend(); puts(', Code='); putCodeName(code); infoDone(); }
    addNum(F_CODE, code);
    addNum(F_PREFIX, load<u8>(p + 1));
    addNum(F_UNUSED, be16(p + 2));
    addNum(F_MTU, be16(p + 4));
    addNum(F_HOLDING_TIME, be16(p + 6));
    addNum(F_CLI_ADDR_TL, addressLength);
    addNum(F_CLI_ADDR_TL_TYPE, (addressLength & 0x40) >> 6);
    addNum(F_CLI_ADDR_TL_LEN, addressLength & 0x3f);
    addNum(F_CLI_SADDR_TL, subaddressLength);
    addNum(F_CLI_SADDR_TL_TYPE, (subaddressLength & 0x40) >> 6);
    addNum(F_CLI_SADDR_TL_LEN, subaddressLength & 0x3f);
    addNum(F_CLI_PROT_LEN, protocolLength);
    if (lacks(p + 11, end, 1)) return false;
    addNum(F_PREF, load<u8>(p + 11));
    p += 12;
    if (addressLength != 0) {
      if (lacks(p, end, addressLength)) return false;
      if (afn == AFN_IPV4 && addressLength == 4) addNum(F_CLIENT_NBMA_ADDR, p);
      else addBytes(F_CLIENT_NBMA_ADDR_BYTES, p, addressLength);
      p += addressLength;
    }
    // Shown where the protocol address starts, and not skipped (as tshark).
    if (subaddressLength != 0) {
      if (lacks(p, end, subaddressLength)) return false;
      addBytes(F_CLIENT_NBMA_SADDR, p, subaddressLength);
    }
    if (protocolLength != 0) {
      if (lacks(p, end, protocolLength)) return false;
      if (protocolLength == 4) addNum(F_CLIENT_PROT_ADDR, p);
      else addBytes(F_CLIENT_PROT_ADDR_BYTES, p, protocolLength);
      p += protocolLength;
    }
  }
  return true;
}

/** The extensions from p while 4 bytes fit before extensionsEnd. */
function dissectExtensions(p: u32, extensionsEnd: u32, end: u32, afn: u32, sourceLength: u32, nested: bool): bool {
  const reportedEnd = end + bytesCutAfter(end);
  // Each extension moves p on by at least 4 bytes.
  while (p + 4 <= extensionsEnd) {
    if (lacks(p, end, 2)) return false;
    const typeAndFlag = be16(p);
    const type = typeAndFlag & 0x3fff;
    if (lacks(p + 2, end, 2)) return false;
    const length = be16(p + 2);
    addNum(F_EXT_C, (typeAndFlag & 0x8000) != 0);
    addNum(F_EXT_TYPE, type);
    addNum(F_EXT_LEN, length);
    p += 4;
    if (length != 0 && type != EXT_END) {
      if (!dissectExtensionValue(type, p, length, end, afn, sourceLength)) return false;
      p += length;
    }
    // At the top, bytes after an End extension end the walk (tshark counts none past the captured ones).
    if (!nested && type == EXT_END && p <= end && reportedEnd > p) break;
  }
  return true;
}

function dissectExtensionValue(type: u32, p: u32, length: u32, end: u32, afn: u32, sourceLength: u32): bool {
  if (type == EXT_NAT_ADDRESS && length == 8) {
    if (lacks(p, end, 4)) return false;
    const source = be32(p);
    if (lacks(p + 4, end, 4)) return false;
    const destination = be32(p + 4);
    addNum(F_DEVCAP_SRCCAP, source); addNum(F_DEVCAP_SRCCAP_V, (source & 1) != 0);
    addNum(F_DEVCAP_DSTCAP, destination); addNum(F_DEVCAP_DSTCAP_V, (destination & 1) != 0);
    return true;
  }
  switch (type) {
    case EXT_RESPONDER_ADDRESS: case EXT_FORWARD_RECORD: case EXT_REVERSE_RECORD: case EXT_NAT_ADDRESS:
      return dissectClientEntries(p, p + length, end, afn, false, false);
    case EXT_AUTH: case EXT_MOBILE_AUTH: {
      // Shorter than its header and source address: an expert note only.
      if (length < 4 + sourceLength) return true;
      if (lacks(p, end, 2)) return false;
      addNum(F_AUTH_RESERVED, be16(p));
      if (lacks(p + 2, end, 2)) return false;
      addNum(F_AUTH_SPI, be16(p + 2));
      if (sourceLength != 0) {
        if (lacks(p + 4, end, sourceLength)) return false;
        if (sourceLength == 4) addNum(F_AUTH_SRC_ADDR, p + 4);
        else addBytes(F_AUTH_SRC_ADDR_BYTES, p + 4, sourceLength);
      }
      if (length > 4 + sourceLength) {
        const data = p + 4 + sourceLength;
        if (lacks(data, end, length - 4 - sourceLength)) return false;
        addBytes(F_AUTH_DATA, data, length - 4 - sourceLength);
      }
      return true;
    }
    case EXT_VENDOR_PRIVATE:
      if (length < 3) return true;
      if (lacks(p, end, 3)) return false;
      addNum(F_VENDOR_ID, (<u32>load<u8>(p) << 16) | be16(p + 1));
      if (length > 3) {
        if (lacks(p + 3, end, length - 3)) return false;
        addBytes(F_VENDOR_DATA, p + 3, length - 3);
      }
      return true;
    default:
      if (lacks(p, end, length)) return false;
      addBytes(F_UNKNOWN_EXT_VALUE, p, length);
      return true;
  }
}

const OP_NAMES: StaticArray<string> = ['', 'NHRP Resolution Request', 'NHRP Resolution Reply',
  'NHRP Registration Request', 'NHRP Registration Reply', 'NHRP Purge Request', 'NHRP Purge Reply',
  'NHRP Error Indication', 'NHRP Traffic Indication'];

function putOpName(op: u32): void {
  const name = tableName(OP_NAMES, op, '');
  if (name.length != 0) { puts(name); return; }
  puts('0x'); putHexUpper(op, 2); puts(' - unknown');
}

function putErrorName(code: u32): void {
  switch (code) {
    case 0x01: puts('Unrecognized Extension'); return;
    case 0x03: puts('NHRP Loop Detected'); return;
    case 0x06: puts('Protocol Address Unreachable'); return;
    case 0x07: puts('Protocol Error'); return;
    case 0x08: puts('NHRP SDU Size Exceeded'); return;
    case 0x09: puts('Invalid Extension'); return;
    case 0x0a: puts('Invalid NHRP Resolution Reply Received'); return;
    case 0x0b: puts('Authentication Failure'); return;
    case 0x0f: puts('Hop Count Exceeded'); return;
    case 0x10: puts('VPN Mismatch'); return;
    case 0x11: puts('VPN Unsupported'); return;
    default: puts('Unknown Error ('); putDec(code); putc(41); return;
  }
}

function putCodeName(code: u32): void {
  switch (code) {
    case 0x00: puts('Success'); return;
    case 0x04: puts('Administratively Prohibited'); return;
    case 0x05: puts('Insufficient Resources'); return;
    case 0x0c: puts('No Interworking Layer Address to NBMA Address Binding Exists'); return;
    case 0x0d: puts('Binding Exists But Is Not Unique'); return;
    case 0x0e: puts('Unique Internetworking Layer Address Already Registered'); return;
    default: puts('Unknown ('); putDec(code); putc(41); return;
  }
}

registerGreProto(0x2001, dissectNhrpPacket);
registerIpProto(54, dissectNhrpPacket);
