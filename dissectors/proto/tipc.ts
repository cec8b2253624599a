// TIPC, Transparent Inter-Process Communication (ethertype 0x88ca, UDP 6118), as
// tshark 4.0 shows it: the user (padded to 12 columns for version 2, as
// "NAME(n) " for versions 0 and 1) and the message type in the info column,
// and TIPC node addresses (zone.cluster.node) in the source and destination
// columns, taken from where each message layout keeps them.  The header is
// walked as far as tshark reads it, so a frame cut inside it is flagged as
// tshark flags it; the payload of data messages goes to the data dissector.
import { protocol, uint } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast, setSourceAddress, setDestinationAddress,
  AddrKind, reportedLength, limitUncaptured } from '../packet';
import { registerEthertype, registerUdpPort } from '../dispatch';
import { dissectData } from './frame';
import { infoAppend, infoSet, infoDone } from '../columns';
import { puts, putc, putDec, putSigned, tableName, textPos, alignLeft } from '../text';
import { has, be32 } from '../cursor';

const PROTO_TIPC = protocol('tipc', 'Transparent Inter Process Communication(TIPC)');
const F_VER = uint('tipc.ver', 'Version');
const F_USR = uint('tipc.usr', 'User');
const F_HDR_SIZE = uint('tipc.hdr_size', 'Header size');
const F_MSG_SIZE = uint('tipc.msg_size', 'Message size');
const F_ORG_PORT = uint('tipc.org_port', 'Originating port');
const F_DST_PORT = uint('tipc.dst_port', 'Destination port');

const V2_LINK_PROTOCOL: u32 = 7;
const V2_CONN_MANAGER: u32 = 8;
const V2_ROUTE_DISTRIBUTOR: u32 = 9;
const V2_NAME_DISTRIBUTOR: u32 = 11;
const V2_NEIGHBOUR_DISCOVERY: u32 = 13;
const V1_NAME_DISTRIBUTOR: u32 = 9;
const V1_NAMED_MSG: u32 = 2;
const V2_MSG_FRAGMENTER: u32 = 12;

/** Whether n bytes at offset of [start, end) are there, marking the packet as tshark would for the read otherwise. */
function readable(start: u32, end: u32, offset: u32, n: u32): bool {
  if (has(start + offset, end, n)) return true;
  markReadPast(end, start + offset + n);
  return false;
}

function dissectTipc(start: u32, end: u32): void {
  setProtocolColumn('TIPC');
  infoSet(); infoDone();
  beginLayer(PROTO_TIPC);
  if (!readable(start, end, 0, 4)) return;
  const w0 = be32(start);
  let version = w0 >> 29;
  const user = (w0 >> 25) & 0xf;
  const hdrSize = (w0 >> 21) & 0xf;
  const msgSize = w0 & 0x1ffff;
  // The message is its declared size when the frame holds that much, else the frame's rest.
  let tipcEnd = end;
  if (reportedLength(start, end) >= msgSize) {
    tipcEnd = start + msgSize < end ? start + msgSize : end;
    if (tipcEnd == end) limitUncaptured(end, msgSize - (end - start));
  }
  if (user == V2_LINK_PROTOCOL) version = 2;
  if (version == 2) { dissectV2(start, end, tipcEnd, w0, user, hdrSize, msgSize); return; }
  let dataHeader = false;
  let msgType: u32 = 0;
  if (version <= 1) {
    if (!readable(start, tipcEnd, 20, 1)) return;
    msgType = <u32>load<u8>(start + 20) >> 4;
    infoAppend();
    putc(32); puts(tableName(V1_USERS, user, 'unknown')); putc(40); putDec(user); puts(') ');
    dataHeader = user < 4;
    const types = v1MessageTypes(user);
    if (types.length != 0) { puts(tableName(types, msgType, 'unknown')); putc(40); putDec(msgType); puts(') '); }
    infoDone();
    if (dataHeader && hdrSize > 5) {
      if (!setSource(start, tipcEnd, 24) || !setDestination(start, tipcEnd, 28)) return;
    } else if (!setSource(start, tipcEnd, 8)) return;
  }
  addWord0(w0);
  walkV1(start, end, tipcEnd, user, hdrSize, msgType);
}

function addWord0(w0: u32): void {
  addNum(F_VER, w0 >> 29);
  addNum(F_USR, (w0 >> 25) & 0xf);
  addNum(F_HDR_SIZE, (w0 >> 21) & 0xf);
  addNum(F_MSG_SIZE, w0 & 0x1ffff);
}

function setSource(start: u32, end: u32, offset: u32): bool {
  if (!readable(start, end, offset, 4)) return false;
  setSourceAddress(AddrKind.TIPC, start + offset);
  return true;
}

function setDestination(start: u32, end: u32, offset: u32): bool {
  if (!readable(start, end, offset, 4)) return false;
  setDestinationAddress(AddrKind.TIPC, start + offset);
  return true;
}

function v1MessageTypes(user: u32): StaticArray<string> {
  if (user < 4) return V1_DATA_TYPES;
  if (user == 8) return V1_ROUTING_TYPES;
  if (user == 9) return V1_NAME_DIST_TYPES;
  if (user == 10) return V1_CONN_MANAGER_TYPES;
  if (user == 11) return V1_LINK_TYPES;
  if (user == 13) return V1_CHANGEOVER_TYPES;
  if (user == 14) return V1_SEGMENT_TYPES;
  return NO_TYPES;
}

/** Versions other than 2: the common words, then the data header as far as its size says. */
function walkV1(start: u32, end: u32, tipcEnd: u32, user: u32, hdrSize: u32, msgType: u32): void {
  if (!readable(start, tipcEnd, 4, 8)) return;
  if (user == 8 || user == 11 || user >= 13) {
    // Internal users: words 3 to 6; bundles, segments and changeover contents are not walked.
    readable(start, tipcEnd, 12, 16);
    return;
  }
  if (!readable(start, tipcEnd, 12, 4)) return;
  addNum(F_ORG_PORT, be32(start + 12));
  if (user != V1_NAME_DISTRIBUTOR) {
    if (!readable(start, tipcEnd, 16, 4)) return;
    addNum(F_DST_PORT, be32(start + 16));
  }
  if (hdrSize <= 6) return;
  let offset: u32 = 20;
  if (!readable(start, tipcEnd, offset, 12)) return;
  offset += 12;
  if (hdrSize > 8) {
    if (user == V1_NAME_DISTRIBUTOR) {
      offset += 8;
      const items = start + offset;
      if (items > tipcEnd) { markReadPast(tipcEnd, items); return; }
      // Publications of five words each, read while any bytes are left.
      let p = items;
      while (p < tipcEnd) {
        if (!has(p, tipcEnd, 20)) { markReadPast(tipcEnd, p + 20); return; }
        p += 20;
      }
      return;
    }
    if (!readable(start, tipcEnd, offset, 8)) return;
    offset += 8;
  }
  if (user < 4) {
    if (start + offset > tipcEnd) { markReadPast(tipcEnd, start + offset); return; }
    // A named message's own 14-byte header comes first.
    if (msgType == V1_NAMED_MSG && !readable(start, tipcEnd, offset, 14)) return;
    dissectData(start + offset, end);
  }
}

function dissectV2(start: u32, end: u32, tipcEnd: u32, w0: u32, user: u32, hdrSize: u32, msgSize: u32): void {
  if (!readable(start, tipcEnd, 4, 1)) return;
  const msgType = <u32>load<u8>(start + 4) >> 5;
  const dataHeader = user < 4;
  infoAppend();
  const p0 = textPos();
  puts(tableName(V2_USERS_SHORT, user, 'unknown'));
  alignLeft(p0, 12);
  const complete = appendV2Info(start, end, user, msgType, hdrSize);
  infoDone();
  if (!complete) return;
  if (dataHeader) {
    if (hdrSize > 6) {
      if (!setSource(start, tipcEnd, 24) || !setDestination(start, tipcEnd, 28)) return;
    } else if (!setSource(start, tipcEnd, 12)) return;
  } else if (user != V2_NEIGHBOUR_DISCOVERY) {
    if (!setSource(start, tipcEnd, 24) || !setDestination(start, tipcEnd, 28)) return;
  } else {
    if (!setDestination(start, tipcEnd, 8) || !setSource(start, tipcEnd, 12)) return;
  }
  addWord0(w0);
  if (!dataHeader) { walkV2Internal(start, tipcEnd, user, hdrSize, msgSize); return; }
  if (!readable(start, tipcEnd, 4, 12)) return;
  let size = hdrSize;
  const optionsPosition = <u32>load<u8>(start + 5) & 7;
  if (optionsPosition != 0) size = (size - (optionsPosition << 2)) & 0xff;
  if (!readable(start, tipcEnd, 16, 4)) return;
  addNum(F_ORG_PORT, be32(start + 16));
  if (!readable(start, tipcEnd, 20, 4)) return;
  addNum(F_DST_PORT, be32(start + 20));
  let offset: u32 = 24;
  if (size > 6) {
    if (!readable(start, tipcEnd, offset, 8)) return;
    offset += 8;
    if (size > 8) {
      if (!readable(start, tipcEnd, offset, 4)) return;
      offset += 4;
      if (size > 9) {
        if (!readable(start, tipcEnd, offset, 4)) return;
        offset += 4;
        if (size > 10) {
          if (!readable(start, tipcEnd, offset, 4)) return;
          offset += 4;
        }
      }
    }
  }
  if (optionsPosition != 0) {
    if (optionsPosition >= 4 && !readable(start, tipcEnd, offset, 1)) return;
    offset += optionsPosition << 2;
  }
  const dataStart = start + offset;
  if (dataStart > tipcEnd) { markReadPast(tipcEnd, dataStart); return; }
  const declared = <i32>msgSize - <i32>(hdrSize << 2);
  if (declared < 0) return;
  const dataEnd = tipcEnd - dataStart > <u32>declared ? dataStart + <u32>declared : tipcEnd;
  dissectData(dataStart, dataEnd);
}

/** The message type text after the user; false when a read for it ran past the bytes (no addresses then). */
function appendV2Info(start: u32, end: u32, user: u32, msgType: u32, hdrSize: u32): bool {
  if (user < 4) {
    putc(32); puts(tableName(V2_DATA_TYPES, msgType, 'unknown'));
    if (!readable(start, end, 4, 4)) return false;
    const error = (be32(start + 4) >> 25) & 0xf;
    if (error > 0) { putc(32); puts(tableName(V2_ERRORS_SHORT, error, 'unknown')); }
    if (hdrSize > 8) {
      if (!readable(start, end, 32, 4)) return false;
      puts(' type:'); putSigned(<i32>be32(start + 32));
      if (hdrSize > 9) {
        if (!readable(start, end, 36, 4)) return false;
        puts(' inst:'); putSigned(<i32>be32(start + 36));
        if (hdrSize > 10) {
          if (!readable(start, end, 40, 4)) return false;
          putc(45); putSigned(<i32>be32(start + 40));
        }
      }
    }
    return true;
  }
  if (user == V2_CONN_MANAGER) {
    if (!readable(start, end, 4, 4)) return false;
    const error = (be32(start + 4) >> 25) & 0xf;
    if (error > 0) { putc(32); puts(tableName(V2_ERRORS_SHORT, error, 'unknown')); }
    putc(32); puts(tableName(V2_CONN_MANAGER_TYPES, msgType, 'unknown'));
    return true;
  }
  if (user == V2_NAME_DISTRIBUTOR) {
    if (!readable(start, end, 40, 12)) return false;
    const nameType = <i32>be32(start + 40);
    const low = <i32>be32(start + 44);
    const high = <i32>be32(start + 48);
    putc(32); puts(tableName(V2_NAMING_TYPES, msgType, 'unknown'));
    puts(' type:'); putSigned(nameType);
    if (low == high) { puts(' inst:'); putSigned(low); }
    else { puts(' seq:'); putSigned(low); putc(45); putSigned(high); }
    return true;
  }
  const types = v2MessageTypes(user);
  if (types.length != 0) { putc(32); puts(tableName(types, msgType, 'unknown')); }
  return true;
}

function v2MessageTypes(user: u32): StaticArray<string> {
  if (user == 5) return V2_BCAST_TYPES;
  if (user == V2_LINK_PROTOCOL) return V2_LINK_TYPES;
  if (user == V2_ROUTE_DISTRIBUTOR) return V2_ROUTE_TYPES;
  if (user == 10) return V2_CHANGEOVER_TYPES;
  if (user == 12) return V2_FRAGMENTER_TYPES;
  if (user == V2_NEIGHBOUR_DISCOVERY) return V2_NEIGHBOUR_TYPES;
  return NO_TYPES;
}

/** Internal users: words 1 to 9, with the ports of a connection manager message; bodies are not walked. */
function walkV2Internal(start: u32, tipcEnd: u32, user: u32, hdrSize: u32, msgSize: u32): void {
  if (user == V2_CONN_MANAGER) {
    if (!readable(start, tipcEnd, 4, 12)) return;
    if (!readable(start, tipcEnd, 16, 4)) return;
    addNum(F_ORG_PORT, be32(start + 16));
    if (!readable(start, tipcEnd, 20, 4)) return;
    addNum(F_DST_PORT, be32(start + 20));
    readable(start, tipcEnd, 24, 16);
    return;
  }
  if (user == 4 || user >= 14) return;
  if (!readable(start, tipcEnd, 4, 36)) return;
  if (user == V2_MSG_FRAGMENTER) {
    // Fragments are not reassembled: each shows its number and its bytes as data.
    infoAppend(); puts(' (Message fragment '); putDec(be32(start + 16) >> 16); putc(41); infoDone();
    const declared = <i32>msgSize - <i32>(hdrSize << 2);
    const dataStart = start + 40;
    if (declared > 0) dissectData(dataStart, tipcEnd - dataStart > <u32>declared ? dataStart + <u32>declared : tipcEnd);
  }
}

const NO_TYPES: StaticArray<string> = [];
const V1_USERS: StaticArray<string> = ['DATA_PRIO_0', 'DATA_PRIO_1', 'DATA_PRIO_2', 'DATA_NON_REJECTABLE', '', '', '', '',
  'ROUTING_MANAGER', 'NAME_DISTRIBUTOR', 'CONNECTION_MANAGER', 'LINK_PROTOCOL', '', 'CHANGEOVER_PROTOCOL',
  'SEGMENTATION_MANAGER', 'MSG_BUNDLER'];
const V1_DATA_TYPES: StaticArray<string> = ['CONN_MSG', '', 'NAMED_MSG', 'DIRECT_MSG', 'OVERLOAD_W_MSG'];
const V1_ROUTING_TYPES: StaticArray<string> = ['EXT_ROUTING_TABLE', 'LOCAL_ROUTING_TABLE', 'DP_ROUTING_TABLE',
  'ROUTE_ADDITION', 'ROUTE_REMOVAL'];
const V1_NAME_DIST_TYPES: StaticArray<string> = ['PUBLICATION', 'WITHDRAWAL'];
const V1_CONN_MANAGER_TYPES: StaticArray<string> = ['CONNECTION_PROBE', 'CONNECTION_PROBE_REPLY'];
const V1_LINK_TYPES: StaticArray<string> = ['', '', '', '', '', '', '', '', '', '', 'RESET_MSG', 'ACTIVATE_MSG', 'STATE_MSG'];
const V1_CHANGEOVER_TYPES: StaticArray<string> = ['DUPLICATE_MSG', 'ORIGINAL_MSG', 'INFO_MSG'];
const V1_SEGMENT_TYPES: StaticArray<string> = ['', 'FIRST_SEGMENT', 'SEGMENT'];

const V2_USERS_SHORT: StaticArray<string> = ['Payld:Low', 'Payld:Normal', 'Payld:High', 'Payld:NoRej', '',
  'Broadcast', 'Bundler', 'Link State', 'Conn Mgr', 'Route Dist', 'Changeover', 'Name Dist', 'Fragmenter', 'Ngbr Disc'];
const V2_DATA_TYPES: StaticArray<string> = ['ConnMsg', 'McastMsg', 'NamedMsg', 'DirectMsg'];
const V2_ERRORS_SHORT: StaticArray<string> = ['OK', 'ErrNoName', 'ErrNoPort', 'ErrNoNode', 'ErrOverload', 'ConnShutdown', 'ConnError'];
const V2_BCAST_TYPES: StaticArray<string> = ['Bcast'];
const V2_LINK_TYPES: StaticArray<string> = ['State', 'Reset', 'Activate'];
const V2_CONN_MANAGER_TYPES: StaticArray<string> = ['Probe', 'ProbeReply', 'Ack'];
const V2_ROUTE_TYPES: StaticArray<string> = ['Dist Publish', 'Dist Withdraw', 'Dist Purge'];
const V2_CHANGEOVER_TYPES: StaticArray<string> = ['Duplicate', 'Original'];
const V2_NAMING_TYPES: StaticArray<string> = ['Publication', 'Withdrawal'];
const V2_FRAGMENTER_TYPES: StaticArray<string> = ['First', 'Fragment', 'Last'];
const V2_NEIGHBOUR_TYPES: StaticArray<string> = ['Request', 'Response'];

registerEthertype(0x88ca, dissectTipc);
registerUdpPort(6118, dissectTipc);
