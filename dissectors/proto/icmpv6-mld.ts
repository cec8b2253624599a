// Multicast listener discovery: MLDv1 (RFC 2710) messages, MLDv2 (RFC 3810)
// queries and reports.
import { uint, flag, ipv6, bytes, Base } from '../fields';
import { addNum, addBytes, markTruncated } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { F_ICMPV6_RESERVED } from './icmpv6-nd';

const F_MRD = uint('icmpv6.mld.maximum_response_delay', 'Maximum Response Delay [ms]', 16);
const F_MULTICAST_ADDRESS = ipv6('icmpv6.mld.multicast_address', 'Multicast Address');
const F_MRC = uint('icmpv6.mld.maximum_response_code', 'Maximum Response Code', 16);
const F_FLAG = uint('icmpv6.mld.flag', 'Flags', 8, Base.HEX);
const F_FLAG_S = flag('icmpv6.mld.flag.s', 'Suppress Router-Side Processing');
const F_FLAG_QRV = uint('icmpv6.mld.flag.qrv', "QRV (Querier's Robustness Variable)", 8);
const F_FLAG_RESERVED = uint('icmpv6.mld.flag.reserved', 'Reserved', 8);
const F_QQI = uint('icmpv6.mld.qqi', "QQIC (Querier's Query Interval Code)", 8);
const F_NB_SOURCES = uint('icmpv6.mld.nb_sources', 'Number of Sources', 16);
const F_SOURCE_ADDRESS = ipv6('icmpv6.mld.source_address', 'Source Address');
const F_NB_RECORDS = uint('icmpv6.mldr.nb_mcast_records', 'Number of Multicast Address Records', 16);
const F_MAR = flag('icmpv6.mldr.mar', 'Multicast Address Record Changed to exclude');
const F_MAR_TYPE = uint('icmpv6.mldr.mar.record_type', 'Record Type', 8);
const F_MAR_AUX_LEN = uint('icmpv6.mldr.mar.aux_data_len', 'Aux Data Len', 8);
const F_MAR_NB_SOURCES = uint('icmpv6.mldr.mar.nb_sources', 'Number of Sources', 16);
const F_MAR_ADDRESS = ipv6('icmpv6.mldr.mar.multicast_address', 'Multicast Address');
const F_MAR_SOURCE = ipv6('icmpv6.mldr.mar.source_address', 'Source Address');
const F_MAR_AUX_DATA = bytes('icmpv6.mldr.mar.auxiliary_data', 'Aux Data');

function need(p: u32, n: u32, end: u32): bool {
  if (has(p, end, n)) return true;
  markTruncated();
  return false;
}

/** A query, report or done at p; `v2` for a query long enough to be MLDv2. */
export function dissectMld(p: u32, end: u32, v2: bool): void {
  if (!need(p, 2, end)) return;
  let code = u16at(p, end);
  if (v2) {
    // Codes from 32768 are a floating-point value (RFC 3810 section 5.1.3).
    if (code >= 32768) code = ((code & 0x0fff) | 0x1000) << (((code & 0x7000) >> 12) + 3);
    addNum(F_MRC, code);
  } else addNum(F_MRD, code);
  if (!need(p + 2, 2, end)) return;
  addBytes(F_ICMPV6_RESERVED, p + 2, 2);
  if (!need(p + 4, 16, end)) return;
  addBytes(F_MULTICAST_ADDRESS, p + 4, 16);
  if (!v2) return;
  if (!need(p + 20, 1, end)) return;
  const flags = u8at(p + 20, end);
  addNum(F_FLAG, flags);
  addNum(F_FLAG_S, (flags >> 3) & 1);
  addNum(F_FLAG_QRV, flags & 7);
  addNum(F_FLAG_RESERVED, flags >> 4);
  if (!need(p + 21, 1, end)) return;
  let qqi = u8at(p + 21, end);
  if (qqi >= 128) qqi = ((qqi & 0x0f) | 0x10) << (((qqi & 0x70) >> 4) + 3);
  addNum(F_QQI, qqi);
  if (!need(p + 22, 2, end)) return;
  const sources = u16at(p + 22, end);
  addNum(F_NB_SOURCES, sources);
  for (let i: u32 = 0; i < sources; i++) {
    const a = p + 24 + i * 16;
    if (!need(a, 16, end)) return;
    addBytes(F_SOURCE_ADDRESS, a, 16);
  }
}

/** An MLDv2 report: records of a multicast address and its sources. */
export function dissectMldReport(p: u32, end: u32): void {
  if (!need(p, 2, end)) return;
  addBytes(F_ICMPV6_RESERVED, p, 2);
  if (!need(p + 2, 2, end)) return;
  const records = u16at(p + 2, end);
  addNum(F_NB_RECORDS, records);
  let r = p + 4;
  // A record is shown field by field as far as its bytes go (its own item is not checked).
  for (let i: u32 = 0; i < records; i++) {
    if (!need(r, 4, end)) return;
    const auxLen = u8at(r + 1, end) * 4;
    const sources = u16at(r + 2, end);
    addNum(F_MAR, 1);
    addNum(F_MAR_TYPE, u8at(r, end));
    addNum(F_MAR_AUX_LEN, auxLen / 4);
    addNum(F_MAR_NB_SOURCES, sources);
    if (!need(r + 4, 16, end)) return;
    addBytes(F_MAR_ADDRESS, r + 4, 16);
    let s = r + 20;
    for (let k: u32 = 0; k < sources; k++, s += 16) {
      if (!need(s, 16, end)) return;
      addBytes(F_MAR_SOURCE, s, 16);
    }
    if (auxLen > 0) {
      if (!need(s, auxLen, end)) return;
      addBytes(F_MAR_AUX_DATA, s, auxLen);
    }
    r = s + auxLen;
  }
}
