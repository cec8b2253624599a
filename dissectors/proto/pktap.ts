// Apple PKTAP (link type 258, and 149 / DLT_USER2 as macOS writes it): a
// little-endian header naming the link type of the packet that follows.
import { protocol, uint } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u32le, has } from '../cursor';
import { registerLinktype, dispatchLinktype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { dissectData } from './frame';

const PROTO_PKTAP = protocol('pktap', 'PKTAP packet header');
const F_HDRLEN = uint('pktap.hdrlen', 'Header length');
const F_RECTYPE = uint('pktap.rectype', 'Record type');
const F_DLT = uint('pktap.dlt', 'DLT');
const F_PID = uint('pktap.pid', 'Process ID');
const PROTO_PCAP_PKTDATA = protocol('pcap_pktdata', 'pcap/pcapng packet data');

const MIN_HEADER_LEN: u32 = 108;
const RECORD_PACKET: u32 = 1;

export function dissectPktap(start: u32, end: u32): void {
  setProtocolColumn('PKTAP');
  beginLayer(PROTO_PKTAP);
  if (!has(start, end, 4)) { markTruncated(); return; }
  const headerLen = u32le(start, end);
  infoSet(); puts('PKTAP, '); putDec(headerLen); puts(' byte header'); infoDone();
  addNum(F_HDRLEN, headerLen);
  // tshark notes a too-short header and stops there.
  if (headerLen < MIN_HEADER_LEN) return;
  if (!has(start, end, MIN_HEADER_LEN)) { markTruncated(); return; }
  const recordType = u32le(start + 4, end);
  const dlt = u32le(start + 8, end);
  addNum(F_RECTYPE, recordType);
  addNum(F_DLT, dlt);
  addNum(F_PID, u32le(start + 52, end));
  if (recordType != RECORD_PACKET) return;
  if (end - start < headerLen) { markTruncated(); return; }
  const payload = start + headerLen;
  beginLayer(PROTO_PCAP_PKTDATA);
  if (!dispatchLinktype(dlt, payload, end)) dissectData(payload, end);
}

registerLinktype(258, dissectPktap);
registerLinktype(149, dissectPktap);
