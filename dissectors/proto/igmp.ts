// IGMP (IP protocol 2), versions 1 (RFC 1112), 2 (RFC 2236) and 3 (RFC 3376):
// queries, reports and leaves with tshark's columns ("IGMPv2", "Membership
// Report group 239.1.2.3", "Membership Report / Join group 239.1.2.3 for any
// sources").  A version 3 record's text is written before its sources are
// read, so a record cut short ends "{" and is malformed, as in tshark.  The
// other message types (DVMRP, multicast router discovery) are shown as
// unknown; mtrace messages get their names.
import { protocol, uint, ipv4, bytes, flag, Base } from '../fields';
import { beginLayer, addCalled, addNum, addBytes, setProtocolColumn, markTruncated, reportedLength } from '../packet';
import { u8at, u16at, u32at, has, cutShort } from '../cursor';
import { registerIpProto } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHex, putIPv4 } from '../text';
import { dissectPimV1 } from './pim';
import { dissectDvmrp } from './dvmrp';

const PROTO_IGMP = protocol('igmp', 'Internet Group Management Protocol');
const F_VERSION = uint('igmp.version', 'IGMP Version', 8);
const F_TYPE = uint('igmp.type', 'Type', 8, Base.HEX);
const F_RESERVED = bytes('igmp.reserved', 'Reserved');
const F_MAX_RESP = uint('igmp.max_resp', 'Max Resp Time', 8);
const F_CHECKSUM = uint('igmp.checksum', 'Checksum', 16, Base.HEX);
const F_GROUP = ipv4('igmp.maddr', 'Multicast Address');
const F_S = flag('igmp.s', 'S');
const F_QRV = uint('igmp.qrv', 'QRV', 8);
const F_QQIC = uint('igmp.qqic', 'QQIC', 8);
const F_NUM_SOURCES = uint('igmp.num_src', 'Num Src', 16);
const F_SOURCE = ipv4('igmp.saddr', 'Source Address');
const F_NUM_RECORDS = uint('igmp.num_grp_recs', 'Num Group Records', 16);
const F_RECORD_TYPE = uint('igmp.record_type', 'Record Type', 8);
const F_AUX_LENGTH = uint('igmp.aux_data_len', 'Aux Data Len', 8);

const IGMP_PROTO: u32 = 2;
const QUERY: u32 = 0x11;
const V1_REPORT: u32 = 0x12;
const V2_REPORT: u32 = 0x16;
const V2_LEAVE: u32 = 0x17;
const V3_REPORT: u32 = 0x22;
const MTRACE_RESPONSE: u32 = 0x1e;
const MTRACE_QUERY: u32 = 0x1f;
/** An mtrace query without response blocks; with them it is a request on its way. */
const MTRACE_HEADER_LEN: u32 = 24;
/** A query this long or longer is version 3's. */
const V3_QUERY_MIN: u32 = 12;
/** Max response and QQI codes from 128 on are floating point; tshark shows those decoded, which is not done here. */
const EXPONENTIAL_CODE: u32 = 128;
const enum Record { IsInclude = 1, IsExclude = 2, ToInclude = 3, ToExclude = 4, AllowNew = 5, BlockOld = 6 }

const PIM_V1: u32 = 0x14;
const DVMRP: u32 = 0x13;

function dissectIgmp(start: u32, end: u32): void {
  // IGMP's dissector hands each type to a handle of the table "igmp.type":
  // PIMv1's and DVMRP's, and IGMP's own for the messages decoded here.
  if (has(start, end, 1) && <u32>load<u8>(start) == PIM_V1) {
    addCalled(PROTO_IGMP);
    dissectPimV1(start, end);
    return;
  }
  setProtocolColumn('IGMP');
  infoSet(); infoDone();
  beginLayer(PROTO_IGMP);
  if (cutShort(start, end, 1)) return;
  const type = u8at(start, end);
  if (type == QUERY || type == V1_REPORT || type == V2_REPORT || type == V2_LEAVE || type == V3_REPORT
    || type == MTRACE_QUERY || type == MTRACE_RESPONSE) addCalled(PROTO_IGMP);
  if (type == QUERY) {
    const maxResp = has(start, end, 2) ? u8at(start + 1, end) : 0;
    if (reportedLength(start, end) >= V3_QUERY_MIN) dissectV3Query(start, end);
    else if (maxResp == 0) dissectV1(start, end, type);
    else dissectV2(start, end, type);
  } else if (type == V1_REPORT) {
    dissectV1(start, end, type);
  } else if (type == V2_REPORT || type == V2_LEAVE) {
    dissectV2(start, end, type);
  } else if (type == V3_REPORT) {
    dissectV3Report(start, end);
  } else if (type == MTRACE_QUERY || type == MTRACE_RESPONSE) {
    infoSet();
    puts(type == MTRACE_RESPONSE ? 'Traceroute Response' : reportedLength(start, end) > MTRACE_HEADER_LEN ? 'Traceroute Request' : 'Traceroute Query');
    infoDone();
    addNum(F_TYPE, type);
    addChecksumAndGroup(start, end);
  } else if (type == DVMRP) {
    dissectDvmrp(start, end);
  } else {
    infoSet();
    puts('Unknown Type:');
    putHex(type, 2);
    infoDone();
    addNum(F_TYPE, type);
  }
}

function begin(version: u32, column: string, type: u32, info: string): void {
  setProtocolColumn(column);
  infoSet();
  puts(info);
  infoDone();
  addNum(F_VERSION, version);
  addNum(F_TYPE, type);
}

function dissectV1(start: u32, end: u32, type: u32): void {
  begin(1, 'IGMPv1', type, type == QUERY ? 'Membership Query' : 'Membership Report');
  if (cutShort(start, end, 2)) return;
  addBytes(F_RESERVED, start + 1, 1);
  addChecksumAndGroup(start, end);
}

/** The checksum (bytes 2-3) and the group (4-7) that versions 1 and 2, queries and mtrace share; false when cut before the group's end. */
function addChecksumAndGroup(start: u32, end: u32): bool {
  if (cutShort(start, end, 4)) return false;
  addNum(F_CHECKSUM, u16at(start + 2, end));
  if (cutShort(start, end, 8)) return false;
  addBytes(F_GROUP, start + 4, 4);
  return true;
}

/** A query's target in the info column: ", general", or ", specific for group G". */
function putQueryTarget(group: u32, end: u32): void {
  if (u32at(group, end) == 0) puts(', general');
  else { puts(', specific for group '); putIPv4(group); }
}
function dissectV2(start: u32, end: u32, type: u32): void {
  begin(2, 'IGMPv2', type, type == QUERY ? 'Membership Query' : type == V2_REPORT ? 'Membership Report' : 'Leave Group');
  if (cutShort(start, end, 2)) return;
  addNum(F_MAX_RESP, u8at(start + 1, end));
  if (!addChecksumAndGroup(start, end)) return;
  const group = start + 4;
  infoAppend();
  if (type == V2_REPORT) { puts(' group '); putIPv4(group); }
  else if (type == V2_LEAVE) { puts(' '); putIPv4(group); }
  else putQueryTarget(group, end);
  infoDone();
}

function dissectV3Query(start: u32, end: u32): void {
  begin(3, 'IGMPv3', QUERY, 'Membership Query');
  // Long enough on the wire to be version 3, but the capture may hold less: field by field.
  if (cutShort(start, end, 2)) return;
  const maxResp = u8at(start + 1, end);
  if (maxResp < EXPONENTIAL_CODE) addNum(F_MAX_RESP, maxResp);
  if (!addChecksumAndGroup(start, end)) return;
  infoAppend();
  putQueryTarget(start + 4, end);
  infoDone();
  if (cutShort(start, end, 9)) return;
  const flags = u8at(start + 8, end);
  addNum(F_S, (flags >> 3) & 1);
  addNum(F_QRV, flags & 7);
  if (cutShort(start, end, 10)) return;
  const qqic = u8at(start + 9, end);
  if (qqic < EXPONENTIAL_CODE) addNum(F_QQIC, qqic);
  if (cutShort(start, end, V3_QUERY_MIN)) return;
  const count = u16at(start + 10, end);
  addNum(F_NUM_SOURCES, count);
  if (count == 0) return;
  infoAppend();
  puts(count == 1 ? ', source {' : ', sources {');
  infoDone();
  addSources(start + 12, end, count);
}

/** Adds `count` source addresses from p on and lists them in the info column, then "}"; false when they run out. */
function addSources(p: u32, end: u32, count: u32): bool {
  for (let i: u32 = 0; i < count; i++, p += 4) {
    if (!has(p, end, 4)) { markTruncated(); return false; }
    addBytes(F_SOURCE, p, 4);
    infoAppend();
    if (i > 0) puts(', ');
    putIPv4(p);
    infoDone();
  }
  infoAppend();
  puts('}');
  infoDone();
  return true;
}

function dissectV3Report(start: u32, end: u32): void {
  begin(3, 'IGMPv3', V3_REPORT, 'Membership Report');
  if (cutShort(start, end, 2)) return;
  addBytes(F_RESERVED, start + 1, 1);
  if (cutShort(start, end, 4)) return;
  addNum(F_CHECKSUM, u16at(start + 2, end));
  if (cutShort(start, end, 6)) return;
  addBytes(F_RESERVED, start + 4, 2);
  if (cutShort(start, end, 8)) return;
  const records = u16at(start + 6, end);
  addNum(F_NUM_RECORDS, records);
  if (records == 0) {
    infoAppend();
    puts(' - General query');
    infoDone();
    return;
  }
  let p = start + 8;
  for (let i: u32 = 0; i < records; i++) {
    if (cutShort(p, end, 8)) return;
    const recordType = u8at(p, end);
    const auxWords = u8at(p + 1, end);
    const count = u16at(p + 2, end);
    addNum(F_RECORD_TYPE, recordType);
    addNum(F_AUX_LENGTH, auxWords);
    addNum(F_NUM_SOURCES, count);
    addBytes(F_GROUP, p + 4, 4);
    infoAppend();
    puts(' / ');
    const listed = putRecordText(recordType, p + 4, count);
    infoDone();
    if (listed && !addSources(p + 8, end, count)) return;
    p += 8 + 4 * count + 4 * auxWords;
  }
}

/** What tshark says of a group record, up to the "{" of its sources; true when the sources follow. */
function putRecordText(recordType: u32, group: u32, count: u32): bool {
  const one = count == 1;
  if (recordType == Record.IsInclude || recordType == Record.ToInclude) {
    if (count == 0) { puts('Leave group '); putIPv4(group); return false; }
    puts('Join group '); putIPv4(group);
    puts(one ? ' for source {' : ' for sources in {');
  } else if (recordType == Record.IsExclude || recordType == Record.ToExclude) {
    puts('Join group '); putIPv4(group);
    if (count == 0) { puts(' for any sources'); return false; }
    puts(one ? ', for source not {' : ', for sources not in {');
  } else {
    puts('Group '); putIPv4(group);
    if (recordType == Record.AllowNew) puts(one ? ', new source {' : ', new sources {');
    else if (recordType == Record.BlockOld) puts(one ? ', block source {' : ', block sources {');
    else { puts(', unknown record type (?)'); if (count == 0) return false; puts(', sources {'); }
  }
  return true;
}

registerIpProto(IGMP_PROTO, dissectIgmp);
