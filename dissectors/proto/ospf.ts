// OSPF (IP protocol 89), version 2 (RFC 2328) and 3 (RFC 5340): the common
// header, version 2's authentication, and the packet types' bodies checked
// as far as tshark reads them; the info column is the packet type ("Hello
// Packet", "LS Update").  A packet whose length field runs past the bytes it
// has, or a body too short for its type, is malformed as in tshark.
import { protocol, uint, ipv4, bytes, str, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, reportedLength } from '../packet';
import { u8at, u16at, u32at, has, cutShort } from '../cursor';
import { registerIpProto } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { putTableName } from '../text';
import { addAscii } from './ascii-text';

const PROTO_OSPF = protocol('ospf', 'Open Shortest Path First');
const F_VERSION = uint('ospf.version', 'Version', 8);
const F_MSG = uint('ospf.msg', 'Message Type', 8);
const F_LENGTH = uint('ospf.packet_length', 'Packet Length', 16);
const F_SRC_ROUTER = ipv4('ospf.srcrouter', 'Source OSPF Router');
const F_AREA = ipv4('ospf.area_id', 'Area ID');
const F_CHECKSUM = uint('ospf.checksum', 'Checksum', 16, Base.HEX);
const F_AUTH_TYPE = uint('ospf.auth.type', 'Auth Type', 16);
const F_AUTH_NONE = bytes('ospf.auth.none', 'Auth Data (none)');
const F_AUTH_SIMPLE = str('ospf.auth.simple', 'Auth Data (Simple)', Base.FINAL_TEXT);
const F_AUTH_KEY_ID = uint('ospf.auth.crypt.key_id', 'Auth Crypt Key id', 8);
const F_AUTH_DATA_LENGTH = uint('ospf.auth.crypt.data_length', 'Auth Crypt Data Length', 8);
const F_AUTH_SEQ = uint('ospf.auth.crypt.seq_nbr', 'Auth Crypt Sequence Number', 32);
const F_AUTH_DATA = bytes('ospf.auth.crypt.data', 'Auth Crypt Data');
const F_AUTH_UNKNOWN = bytes('ospf.auth.unknown', 'Auth Unknown');
const F_INSTANCE = uint('ospf.instance_id', 'Instance ID', 8);

const OSPF_PROTO: u32 = 89;
const VERSION_2: u32 = 2;
const VERSION_3: u32 = 3;
const HELLO: u32 = 1;
const LS_REQUEST: u32 = 3;
const LS_UPDATE: u32 = 4;
const LS_ACK: u32 = 5;
const AUTH_NONE: u32 = 0;
const AUTH_SIMPLE: u32 = 1;
const AUTH_CRYPTO: u32 = 2;
const V2_HEADER_LEN: u32 = 24;
const V3_HEADER_LEN: u32 = 16;
const LSA_HEADER_LEN: u32 = 20;
const LS_REQUEST_ENTRY_LEN: u32 = 12;

const TYPE_NAMES: StaticArray<string> = ['', 'Hello Packet', 'DB Description', 'LS Request', 'LS Update', 'LS Acknowledge'];
// The fixed part of each type's body, version 2 then version 3 (index type - 1).
const V2_FIXED: StaticArray<u32> = [20, 8, 0, 4, 0];
const V3_FIXED: StaticArray<u32> = [20, 12, 0, 4, 0];

function dissectOspf(start: u32, end: u32): void {
  setProtocolColumn('OSPF');
  // The info column is cleared before the type is read.
  infoSet(); infoDone();
  beginLayer(PROTO_OSPF);
  // tshark reads the version and the type before it shows either.
  if (cutShort(start, end, 2)) return;
  const version = u8at(start, end);
  addNum(F_VERSION, version);
  const type = u8at(start + 1, end);
  infoSet();
  putTableName(TYPE_NAMES, type);
  infoDone();
  addNum(F_MSG, type);
  if (cutShort(start, end, 4)) return;
  const length = u16at(start + 2, end);
  addNum(F_LENGTH, length);
  if (cutShort(start, end, 8)) return;
  addBytes(F_SRC_ROUTER, start + 4, 4);
  if (cutShort(start, end, 12)) return;
  addBytes(F_AREA, start + 8, 4);
  if (cutShort(start, end, 14)) return;
  addNum(F_CHECKSUM, u16at(start + 12, end));
  let headerLen: u32 = 14;
  if (version == VERSION_2) {
    if (!dissectAuth(start, end, length)) return;
    headerLen = V2_HEADER_LEN;
  } else if (version == VERSION_3) {
    if (cutShort(start, end, V3_HEADER_LEN)) return;
    addNum(F_INSTANCE, u8at(start + 14, end));
    headerLen = V3_HEADER_LEN;
  } else {
    return;
  }
  checkBody(start, end, version, type, length, headerLen);
}

/** Version 2's authentication type and data; false when the packet ends inside them. */
function dissectAuth(start: u32, end: u32, length: u32): bool {
  if (cutShort(start, end, 16)) return false;
  const auth = u16at(start + 14, end);
  addNum(F_AUTH_TYPE, auth);
  if (cutShort(start, end, V2_HEADER_LEN)) return false;
  if (auth == AUTH_NONE) {
    addBytes(F_AUTH_NONE, start + 16, 8);
  } else if (auth == AUTH_SIMPLE) {
    addAscii(F_AUTH_SIMPLE, start + 16, 8);
  } else if (auth == AUTH_CRYPTO) {
    const dataLength = u8at(start + 19, end);
    addNum(F_AUTH_KEY_ID, u8at(start + 18, end));
    addNum(F_AUTH_DATA_LENGTH, dataLength);
    addNum(F_AUTH_SEQ, u32at(start + 20, end));
    // The digest follows the packet, after its length.
    if (cutShort(start + length, end, dataLength)) return false;
    addBytes(F_AUTH_DATA, start + length, dataLength);
  } else {
    addBytes(F_AUTH_UNKNOWN, start + 16, 8);
  }
  return true;
}

/**
 * What tshark reads of the body: the fixed part, then records up to the
 * length field (neighbours, LSA headers, requests) or, in an LS Update, as
 * many LSAs as it counts.  Marks the packet where those reads run out.
 */
function checkBody(start: u32, end: u32, version: u32, type: u32, length: u32, headerLen: u32): void {
  const wire = reportedLength(start, end);
  if (length < headerLen || length > wire) { markTruncated(); return; }
  if (type < HELLO || type > LS_ACK) return;
  const fixed = version == VERSION_2 ? unchecked(V2_FIXED[type - 1]) : unchecked(V3_FIXED[type - 1]);
  if (length - headerLen < fixed || !has(start, end, headerLen + fixed)) { markTruncated(); return; }
  const body = start + headerLen;
  const bodyEnd = start + length;
  if (type == LS_UPDATE) {
    if (!checkLsas(body + 4, bodyEnd, end, (<u32>u16at(body, end) << 16) | u16at(body + 2, end))) return;
  } else {
    const record = type == LS_REQUEST ? LS_REQUEST_ENTRY_LEN : type == HELLO ? 4 : LSA_HEADER_LEN;
    if ((bodyEnd - body - fixed) % record != 0) { markTruncated(); return; }
  }
  if (!has(start, end, length)) markTruncated();
}

/** An LS Update's LSAs: each a 20-byte header whose length (at least that) runs within the packet; false once marked. */
function checkLsas(p: u32, bodyEnd: u32, end: u32, count: u32): bool {
  for (let i: u32 = 0; i < count; i++) {
    if (p > bodyEnd || bodyEnd - p < LSA_HEADER_LEN || !has(p, end, LSA_HEADER_LEN)) { markTruncated(); return false; }
    const lsaLength = u16at(p + 18, end);
    if (lsaLength < LSA_HEADER_LEN || lsaLength > bodyEnd - p) { markTruncated(); return false; }
    p += lsaLength;
  }
  return true;
}

registerIpProto(OSPF_PROTO, dissectOspf);
