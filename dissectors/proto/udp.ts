// User Datagram Protocol (RFC 768).
import { protocol, uint, bytes, timeRel, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, reportedLength, inErrorPacket, isFragmented, limitUncaptured, bytesCutAfter, wanted,
  setTopLevelPayload } from '../packet';
import { u16at, has } from '../cursor';
import { registerIpProto, dispatchUdp } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoAppend, infoDone } from '../columns';
import { conversationWord, findConversation, streamIndex, convSet } from '../conversation';
import { puts, putDec } from '../text';
import { claimConversationTimes, stepConversationTimes, forgetConversationTimes, sinceFirst, sincePrevious } from '../conversation-times';

const PROTO_UDP = protocol('udp', 'User Datagram Protocol');
const F_SRCPORT = uint('udp.srcport', 'Source Port', 16);
const F_DSTPORT = uint('udp.dstport', 'Destination Port', 16);
const F_PORT = uint('udp.port', 'Source or Destination Port', 16);
const F_LENGTH = uint('udp.length', 'Length', 16);
const F_CHECKSUM = uint('udp.checksum', 'Checksum', 16, Base.HEX);
const F_CHECKSUM_STATUS = uint('udp.checksum.status', 'Checksum Status', 8);
const F_STREAM = uint('udp.stream', 'Stream index', 32);
const F_TIME_RELATIVE = timeRel('udp.time_relative', 'Time since first frame');
const F_TIME_DELTA = timeRel('udp.time_delta', 'Time since previous frame');
const F_PAYLOAD = bytes('udp.payload', 'Payload');
const W_STREAM = conversationWord();
const W_TIMES = claimConversationTimes();

/**
 * The datagram's protocol made a conversation of its own for these ports,
 * as Wireshark's SNMP does for the first message it sees on them: that one
 * shadows UDP's, so the datagrams after this take a new stream index.
 */
export function shadowUdpConversation(slot: i32): void {
  convSet(slot, W_STREAM, 0);
  forgetConversationTimes(slot, W_TIMES);
}

export function dissectUdp(start: u32, end: u32): void {
  beginLayer(PROTO_UDP);
  // tshark names the protocol only once it has read the ports.
  if (has(start, end, 4)) setProtocolColumn('UDP');
  // Each field is shown as long as the capture holds it, as tshark does.
  if (!has(start, end, 2)) { markTruncated(); return; }
  const src = u16at(start, end);
  addNum(F_SRCPORT, src);
  addNum(F_PORT, src);
  if (!has(start, end, 4)) { markTruncated(); return; }
  const dst = u16at(start + 2, end);
  addNum(F_DSTPORT, dst);
  addNum(F_PORT, dst);
  // The ports are in the info column before the length is read.
  infoSet(); putDec(src); puts(' → '); putDec(dst); infoDone();
  if (!has(start, end, 6)) { markTruncated(); return; }
  const length = u16at(start + 4, end);
  addNum(F_LENGTH, length);
  // tshark flags a bad length in the info column and goes on without an exception.
  infoAppend();
  if (length < 8) {
    puts(' [BAD UDP LENGTH '); putDec(length); puts(' < 8]');
    infoDone();
    return;
  }
  if (length > reportedLength(start, end) && !inErrorPacket() && !isFragmented()) { puts(' [BAD UDP LENGTH '); putDec(length); puts(' > IP PAYLOAD LENGTH]'); }
  puts(' Len='); putDec(length - 8);
  infoDone();
  if (!has(start, end, 8)) { markTruncated(); return; }
  const checksum = u16at(start + 6, end);
  addNum(F_CHECKSUM, checksum);
  // Not verified (Wireshark's default): "2", unverified, or "3" for a sender that computed none.
  addNum(F_CHECKSUM_STATUS, checksum == 0 ? 3 : 2);
  // Numbering every conversation costs a lookup per datagram: only when its stream index or times are asked for.
  const slot = unchecked(wanted[F_STREAM]) || unchecked(wanted[F_TIME_RELATIVE]) || unchecked(wanted[F_TIME_DELTA])
    ? findConversation(17, src, dst) : -1;
  if (slot >= 0) addNum(F_STREAM, streamIndex(slot, W_STREAM, 17));
  // The datagram is what the length field covers, within what the IP layer gave us.
  const payloadEnd = end - start > length ? start + length : end;
  if (payloadEnd == end && length >= end - start) limitUncaptured(end, length - (end - start));
  const payload = start + 8;
  // tshark times a datagram when it hands a payload on (even one the capture cut), and not one an ICMP error quotes.
  if (slot >= 0 && !inErrorPacket() && (payload < payloadEnd || bytesCutAfter(payloadEnd) != 0)) {
    stepConversationTimes(slot, W_TIMES);
    addNum(F_TIME_RELATIVE, <u64>sinceFirst);
    addNum(F_TIME_DELTA, <u64>sincePrevious);
  }
  if (payload >= payloadEnd) {
    // A payload the capture cut off entirely goes to no dissector: tshark marks it size limited.
    if (payload == payloadEnd && bytesCutAfter(payloadEnd) != 0) markTruncated();
    return;
  }
  addBytes(F_PAYLOAD, payload, payloadEnd - payload);
  // Even in a packet an ICMP error quotes, Wireshark's tree has the payload at its top.
  const wasTopLevel = setTopLevelPayload(true);
  if (!dispatchUdp(src, dst, payload, payloadEnd)) dissectData(payload, payloadEnd);
  setTopLevelPayload(wasTopLevel);
}

registerIpProto(17, dissectUdp);
