// Link Management Protocol (RFC 4204) on UDP 701, as tshark 4.0 shows it
// without a tree: the protocol column and the message type's name, which
// tshark's table writes with a trailing ". " ('Config Message. ',
// 'Unknown (249). ').  Only the version, flags and type bytes are read, as
// in tshark's summary; the length, checksum and objects are read only
// while tshark builds a tree, and are not shown or checked here (see
// docs/accuracy.md).
import { protocol, uint } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast } from '../packet';
import { registerUdpPort } from '../dispatch';
import { has } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';

const PROTO_LMP = protocol('lmp', 'Link Management Protocol (LMP)');
const F_MSG = uint('lmp.msg', 'Message', 8);

const LMP_PORT: u32 = 701;
const HEADER: u32 = 12;

function dissectLmp(start: u32, end: u32): void {
  setProtocolColumn('LMP');
  infoSet(); infoDone();
  beginLayer(PROTO_LMP);
  if (!has(start, end, 4)) {
    // tshark reads byte 0, then 2, then 3: the first of them missing throws.
    const firstMissing: u32 = !has(start, end, 1) ? 0 : !has(start, end, 3) ? 2 : 3;
    markReadPast(end, start + firstMissing + 1);
    return;
  }
  const type = <u32>load<u8>(start + 3);
  infoSet(); putMessageName(type); infoDone();
  // tshark adds the type as a field in its tree, after the 12-byte header it shows whole.
  if (has(start, end, HEADER)) addNum(F_MSG, type);
}

function putMessageName(type: u32): void {
  for (let i = 0; i < MESSAGE_TYPES.length; i++) {
    if (<u32>unchecked(MESSAGE_TYPES[i]) == type) { puts(unchecked(MESSAGE_NAMES[i])); return; }
  }
  puts('Unknown ('); putDec(type); puts('). ');
}

// tshark's message_type_vals.
const MESSAGE_TYPES: StaticArray<u8> = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 50, 51, 52, 241, 242, 243];
const MESSAGE_NAMES: StaticArray<string> = [
  'Config Message. ', 'ConfigAck Message. ', 'ConfigNack Message. ', 'Hello Message. ', 'BeginVerify Message. ',
  'BeginVerifyAck Message. ', 'BeginVerifyNack Message. ', 'EndVerify Message. ', 'EndVerifyAck Message. ',
  'Test Message. ', 'TestStatusSuccess Message. ', 'TestStatusFailure Message. ', 'TestStatusAck Message. ',
  'LinkSummary Message. ', 'LinkSummaryAck Message. ', 'LinkSummaryNack Message. ', 'ChannelStatus Message. ',
  'ChannelStatusAck Message. ', 'ChannelStatusRequest Message. ', 'ChannelStatusResponse Message. ',
  'TraceMonitor Message. ', 'TraceMonitorAck Message. ', 'TraceMonitorNack Message. ', 'TraceMismatch Message. ',
  'TraceMismatchAck Message. ', 'TraceRequest Message. ', 'TraceReport Message. ', 'TraceReportNack Message. ',
  'InsertTrace Message. ', 'InsertTraceAck Message. ', 'InsertTraceNack Message. ', 'ServiceConfig Message. ',
  'ServiceConfigAck Message. ', 'ServiceConfigNack Message. ', 'DiscoveryResponse Message. ',
  'DiscoveryResponseAck Message. ', 'DiscoveryResponseNack Message. '
];

registerUdpPort(LMP_PORT, dissectLmp);
