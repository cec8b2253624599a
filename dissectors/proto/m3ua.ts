// M3UA, MTP3 User Adaptation (RFC 4666), in SCTP DATA chunks with payload
// protocol identifier 3 or on port 2905, as tshark 4.0 shows it with its
// default (RFC) version: protocol column 'M3UA (RFC 4666)', the message's
// acronym and a space in the info column ('DATA ', 'ASPUP ', 'reserved '),
// then the parameter walk as tshark does it without a tree (tag and length
// of each, moving by the length rounded to 4).  A Protocol Data parameter's
// routing label is read and its SS7 message shown as data: the MTP3 users
// (ISUP, SCCP) and the point-code addresses tshark shows are not done.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { registerSctpPpid, registerSctpPort } from '../dispatch';
import { has, be16, be32, clampEnd, lacks } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts, tableName } from '../text';
import { dissectData } from './frame';

const PROTO_M3UA = protocol('m3ua', 'MTP 3 User Adaptation Layer');
const F_VERSION = uint('m3ua.version', 'Version', 8);
const F_RESERVED = uint('m3ua.reserved', 'Reserved', 8, Base.HEX);
const F_CLASS = uint('m3ua.message_class', 'Message class', 8);
const F_TYPE = uint('m3ua.message_type', 'Message Type', 8);
const F_LENGTH = uint('m3ua.message_length', 'Message length', 32);
const F_PARAMETER_TAG = uint('m3ua.parameter_tag', 'Parameter Tag', 16);
const F_PARAMETER_LENGTH = uint('m3ua.parameter_length', 'Parameter length', 16);

const HEADER: u32 = 8;
const PROTOCOL_DATA: u32 = 0x0210;
const ROUTING_LABEL: u32 = 12;

function dissectM3ua(start: u32, end: u32): void {
  setProtocolColumn('M3UA (RFC 4666)');
  beginLayer(PROTO_M3UA);
  if (lacks(start, end, HEADER)) return;
  const messageClass = <u32>load<u8>(start + 2);
  const messageType = <u32>load<u8>(start + 3);
  infoSet(); puts(acronym(messageClass, messageType)); puts(' '); infoDone();
  addNum(F_VERSION, load<u8>(start));
  addNum(F_RESERVED, load<u8>(start + 1));
  addNum(F_CLASS, messageClass);
  addNum(F_TYPE, messageType);
  addNum(F_LENGTH, be32(start + 4));
  const packetEnd = start + reportedLength(start, end);
  let p = start + HEADER;
  // Each pass moves on by at least 4 bytes or stops.
  while (p < packetEnd) {
    if (lacks(p + 2, end, 2)) return;
    const length = be16(p + 2);
    let total = (length + 3) & ~(<u32>3);
    const remaining = packetEnd - p;
    if (remaining >= length && total > remaining) total = remaining;
    // A parameter of length 0 has its tag past its end; one longer than what is left is read as far as it goes.
    if (total == 0) { markReadPast(p, p + 2); return; }
    const parameterEnd = clampEnd(p, total, end);
    if (lacks(p, parameterEnd, 4)) return;
    const tag = be16(p);
    addNum(F_PARAMETER_TAG, tag);
    addNum(F_PARAMETER_LENGTH, length);
    if (tag == PROTOCOL_DATA && !protocolData(p, length, total, parameterEnd)) return;
    p += total;
  }
}

/** The routing label, then the SS7 message as data; false when a read ran past the parameter. */
function protocolData(p: u32, length: u32, total: u32, end: u32): bool {
  if (lacks(p + 4, end, ROUTING_LABEL)) return false;
  const messageLength = (length - 4 - ROUTING_LABEL) & 0xffff;
  const message = p + 4 + ROUTING_LABEL;
  if (<u32>4 + ROUTING_LABEL + messageLength > total) { markReadPast(p, p + 1); return false; }
  if (messageLength > 0 && message < end) dissectData(message, clampEnd(message, messageLength, end));
  return true;
}

function acronym(messageClass: u32, messageType: u32): string {
  const table = acronyms(messageClass);
  return tableName(table, messageType, 'reserved');
}

function acronyms(messageClass: u32): StaticArray<string> {
  switch (messageClass) {
    case 0: return MGMT;
    case 1: return TRANSFER;
    case 2: return SSNM;
    case 3: return ASPSM;
    case 4: return ASPTM;
    case 9: return RKM;
    default: return NONE;
  }
}

const NONE: StaticArray<string> = [];
const MGMT: StaticArray<string> = ['ERR', 'NTFY'];
const TRANSFER: StaticArray<string> = ['', 'DATA'];
const SSNM: StaticArray<string> = ['', 'DUNA', 'DAVA', 'DAUD', 'SCON', 'DUPU', 'DRST'];
const ASPSM: StaticArray<string> = ['', 'ASPUP', 'ASPDN', 'BEAT', 'ASPUP_ACK', 'ASPDN_ACK', 'BEAT_ACK'];
const ASPTM: StaticArray<string> = ['', 'ASPAC', 'ASPIA', 'ASPAC_ACK', 'ASPIA_ACK'];
const RKM: StaticArray<string> = ['', 'REG_REQ', 'REG_RSP', 'DEREG_REQ', 'DEREG_RSP'];

registerSctpPpid(3, dissectM3ua);
registerSctpPort(2905, dissectM3ua);
