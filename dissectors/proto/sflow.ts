// sFlow versions 2, 4 and 5 on UDP 6343, as tshark 4.0 shows it:
// "V5, agent 192.0.2.1, sub-agent ID 0, seq 7, 3 samples".  tshark walks
// every sample (at most 255) and every record in it (at most 255 each), and
// a read past the datagram anywhere in that walk marks the packet, so the
// walk below repeats each of tshark's reads at the offset tshark uses, its
// quirks included: a v5 sample moves on by its length field whatever its
// records held, an unknown record format of the standard enterprise is not
// skipped at all, a sample of another enterprise ends the walk at the
// captured end, offsets are 32-bit signed (a negative one counts from the
// end).  A sampled packet header is dissected as tshark does it: with every
// column kept, as inside an error packet (no TCP analysis), and any error
// in it caught, so it never shows in the summary line.
import { protocol, uint, ipv4, ipv6 } from '../fields';
import { beginItemLayer, addNum, addBytes, setProtocolColumn, markTruncated, markMalformed, reportedLength } from '../packet';
import { has, be32 } from '../cursor';
import { registerUdpPortTry, callListed } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { dissectReportedPacket, ETHERNET_FRAME } from './quoted';
import { puts, putDec, putIPv4, putIPv6 } from '../text';

const PROTO_SFLOW = protocol('sflow', 'InMon sFlow');
const F_VERSION = uint('sflow_245.version', 'Datagram version', 32);
const F_AGENT_TYPE = uint('sflow_245.agenttype', 'Agent address type', 32);
const F_AGENT = ipv4('sflow_245.agent', 'Agent address');
const F_AGENT_V6 = ipv6('sflow_245.agent.v6', 'Agent address');
const F_SUB_AGENT = uint('sflow_245.sub_agent_id', 'Sub-agent ID', 32);
const F_SEQUENCE = uint('sflow_245.sequence_number', 'Sequence number', 32);
const F_UPTIME = uint('sflow_245.sysuptime', 'SysUptime', 32);
const F_NUM_SAMPLES = uint('sflow_245.numsamples', 'NumSamples', 32);
const F_SAMPLE_TYPE = uint('sflow_245.sampletype', 'sFlow sample type', 32);
const F_SAMPLE_LENGTH = uint('sflow_5.sample_length', 'Sample length (byte)', 32);
const F_FLOW_FORMAT = uint('sflow_245.flow_record_format', 'Format', 32);
const F_COUNTERS_FORMAT = uint('sflow_245.counters_record_format', 'Format', 32);
const F_DATA_LENGTH = uint('sflow_5.flow_data_length', 'Flow data length (byte)', 32);
const F_HEADER_PROTOCOL = uint('sflow_245.header_protocol', 'Header protocol', 32);
const F_FRAME_LENGTH = uint('sflow_245.header.frame_length', 'Frame Length', 32);
const F_STRIPPED = uint('sflow_245.header.payload_stripped', 'Payload stripped', 32);
const F_HEADER_LENGTH = uint('sflow_245.header.sampled_header_length', 'Sampled header length', 32);

const PORT: u32 = 6343;
const ADDR_UNKNOWN: u32 = 0;
const ADDR_IPV4: u32 = 1;
const ADDR_IPV6: u32 = 2;

// The sizes of the items tshark adds, in order, for the fixed counter records.
const GENERIC_INTERFACE: StaticArray<u8> = [4, 4, 8, 4, 4, 8, 4, 4, 4, 4, 4, 4, 8, 4, 4, 4, 4, 4, 4];
const ETHERNET_INTERFACE: StaticArray<u8> = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4];
const TOKEN_RING: StaticArray<u8> = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4];
const VG_INTERFACE: StaticArray<u8> = [4, 8, 4, 8, 4, 4, 4, 4, 4, 8, 4, 8, 8, 8];
const VLAN: StaticArray<u8> = [4, 8, 4, 4, 4, 4];
const IEEE80211_COUNTERS: StaticArray<u8> = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4];
const LAG: StaticArray<u8> = [6, 2, 6, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4];
const PROCESSOR: StaticArray<u8> = [4, 4, 4, 8, 8];
const RADIO: StaticArray<u8> = [4, 4, 4];
const LAG_PORT_STATS: StaticArray<u8> = [6, 6, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4];
const ETHERNET_COUNTERS_SIZE: i32 = 52;

// The datagram: its start, captured and reported lengths, and whether a read has thrown.
let base: u32 = 0;
let captured: i32 = 0;
let reported: i32 = 0;
let ok = true;
let version: u32 = 0;
// Whether a tshark building a tree is still dissecting: it stops with a
// dissector bug where a flow record ends before it started (an MPLS label
// count that wraps the offset), which the tree-less summary walk ignores.
let treeAlive = true;

function report(f: u32, v: u64): void {
  if (treeAlive) addNum(f, v);
}

function fail(truncated: bool): bool {
  if (truncated) markTruncated(); else markMalformed();
  ok = false;
  return false;
}

/** Resolves tshark's signed offset to one from the start, or -1 having marked the packet as tshark's exception would. */
function resolve(off: i32): i32 {
  if (off >= 0) {
    if (off <= captured) return off;
    fail(off <= reported);
    return -1;
  }
  const back = -<i64>off;
  if (back <= <i64>captured) return captured + off;
  fail(back <= <i64>reported);
  return -1;
}

/** Whether tshark finds `len` bytes at `off` (an item of that length, a tvb_get); -1 asks for at least one byte, other negative lengths throw. */
function need(off: i32, len: i32): bool {
  if (!ok) return false;
  if (len < -1) return fail(false);
  const at = resolve(off);
  if (at < 0) return false;
  if (len == -1) {
    if (at < captured) return true;
    return fail(at < reported);
  }
  const stop = <i64>at + <i64>len;
  if (stop <= <i64>captured) return true;
  return fail(stop <= <i64>reported);
}

/** A 32-bit big-endian read at `off`, 0 once the walk has thrown. */
function get32(off: i32): u32 {
  if (!need(off, 4)) return 0;
  return be32(base + <u32>resolve(off));
}

/** Reads a 32-bit field at `off` and reports it as `f`; false once the walk has thrown. */
function field(f: u32, off: i32): bool {
  const v = get32(off);
  if (ok) report(f, v);
  return ok;
}

/** tshark's check that `len` bytes follow `off`, where any negative length throws. */
function ensure(off: i32, len: i32): void {
  if (len < 0) { if (ok) fail(false); return; }
  need(off, len);
}

/** Consecutive items of the sizes in `sizes` from `off`; the offset after them. */
function items(off: i32, sizes: StaticArray<u8>): i32 {
  for (let i = 0; i < sizes.length; i++) {
    const n = <i32>unchecked(sizes[i]);
    if (!need(off, n)) return off;
    off += n;
  }
  return off;
}

/** `count` consecutive 4-byte items from `off`. */
function words(off: i32, count: i32): i32 {
  for (let i = 0; i < count; i++) {
    if (!need(off, 4)) return off;
    off += 4;
  }
  return off;
}

/** An XDR string or opaque of `length` bytes at `off` shown as one item; the offset after its padding. */
function opaque(off: i32, length: u32): i32 {
  if (!need(off, <i32>length)) return off;
  off += <i32>length;
  if (length % 4 != 0) off += <i32>(4 - length % 4);
  return off;
}

/** A counted string: its length word, then the string. */
function countedString(off: i32): i32 {
  const length = get32(off);
  if (!need(off, 4)) return off;
  return opaque(off + 4, length);
}

function address(off: i32): i32 {
  const type = get32(off);
  off += 4;
  if (type == ADDR_IPV4) { need(off, 4); return off + 4; }
  if (type == ADDR_IPV6) { need(off, 16); return off + 16; }
  return off;
}

function sampledHeader(off: i32): i32 {
  const protocolNumber = get32(off);
  if (!field(F_HEADER_PROTOCOL, off)) return off;
  off += 4;
  const frameLength = get32(off);
  if (!field(F_FRAME_LENGTH, off)) return off;
  off += 4;
  if (version == 5) {
    if (!field(F_STRIPPED, off)) return off;
    off += 4;
  }
  let headerLength = get32(off);
  if (!ok) return off;
  report(F_HEADER_LENGTH, headerLength);
  off += 4;
  if (headerLength % 4 != 0) headerLength += 4 - headerLength % 4;
  if (!need(off, <i32>headerLength)) return off;
  // The header's tvb takes the frame length as its reported length.
  if (<i32>frameLength < -1) { fail(false); return off; }
  // The dissectors see the header with its XDR padding, whatever the frame length says.
  const start = base + <u32>resolve(off);
  dissectReportedPacket(sampledProtocol(protocolNumber), start, start + headerLength);
  return off + <i32>headerLength;
}

/** What tshark 4.0 hands a sampled header of each header_protocol to (its sflow_245.header_protocol table, as xcap has them). */
function sampledProtocol(headerProtocol: u32): i32 {
  switch (headerProtocol) {
    case 1: return ETHERNET_FRAME;
    case 11: return 0x0800;
    case 12: return 0x86dd;
    case 13: return 0x8847;
    default: return -1;
  }
}

function gateway(off: i32): i32 {
  if (version == 5) off = address(off);
  let len: i32 = 0;
  for (let i = 0; i < 3 && ok; i++) { need(off + len, 4); len += 4; }
  const destinations = <i32>get32(off + len);
  len += 4;
  for (let i: i32 = 0; i < destinations && ok; i++) {
    let segment: i32 = 1;
    if (version >= 4) {
      get32(off + len);
      len += 4;
      segment = <i32>get32(off + len);
      len += 4;
    }
    for (let j: i32 = 0; j < segment && ok; j++) { need(off + len, 4); len += 4; }
  }
  if (version >= 4 && ok) {
    const communities = <i32>get32(off + len);
    len += 4;
    for (let i: i32 = 0; i < communities && ok; i++) { need(off + len, 4); len += 4; }
    need(off + len, 4);
    len += 4;
  }
  return off + len;
}

function mplsStack(off: i32): i32 {
  const count = get32(off);
  if (!need(off, 4)) return off;
  off += 4;
  if (!need(off, -1)) return off;
  for (let i: u32 = 0; i < (count & 0xff) && ok; i++) get32(off + <i32>(i * 4));
  return off + <i32>(count * 4);
}

function ieee80211Payload(off: i32): i32 {
  const suite = get32(off);
  off += 3;
  if (suite >> 8 == 0x000fac) need(off, 1);
  off++;
  const length = get32(off);
  if (!need(off, 4)) return off;
  return opaque(off + 4, length);
}

function ieee80211Rx(off: i32): i32 {
  const ssid = get32(off);
  off = opaque(off + 4, ssid);
  if (!need(off, 6)) return off;
  off = words(off + 8, 2);
  if (!need(off, 8)) return off;
  off = words(off + 8, 2);
  if (get32(off) != 0) need(off, 4);
  return off + 4;
}

function ieee80211Tx(off: i32): i32 {
  let ssid = get32(off);
  if (ssid > 32) ssid = 32;
  off = opaque(off + 4, ssid);
  if (!need(off, 6)) return off;
  off = words(off + 8, 1);
  get32(off);
  off += 4;
  for (let i = 0; i < 2 && ok; i++) {
    if (get32(off) != 0) need(off, 4);
    off += 4;
  }
  off = words(off, 1);
  if (!need(off, 8)) return off;
  return words(off + 8, 1);
}

function otherEnterprise(off: i32): i32 {
  off += 4;
  const length = get32(off);
  if (!need(off, 4)) return off;
  return opaque(off + 4, length);
}

function flowRecord(off: i32): i32 {
  const enterpriseFormat = get32(off);
  if (!ok) return off;
  const next = flowRecordBody(off, enterpriseFormat);
  if (ok && next < resolve(off)) treeAlive = false;
  return next;
}

function flowRecordBody(off: i32, enterpriseFormat: u32): i32 {
  if (enterpriseFormat >> 12 != 0) return otherEnterprise(off);
  report(F_FLOW_FORMAT, enterpriseFormat);
  off += 4;
  if (!field(F_DATA_LENGTH, off)) return off;
  off += 4;
  switch (enterpriseFormat & 0xfff) {
    case 1: return sampledHeader(off);
    case 2: {
      if (!need(off, 4) || !need(off + 4, 6) || !need(off + 12, 6)) return off;
      return words(off + 20, 1);
    }
    case 3: {
      off = words(off, 6);
      if (!need(off, 1) || !need(off + 4, 1)) return off;
      return off + 8;
    }
    case 4: {
      off = words(off, 2);
      if (!need(off, 16) || !need(off + 16, 16)) return off;
      off = words(off + 32, 2);
      if (!need(off, 1)) return off;
      return words(off + 4, 1);
    }
    case 1001: return words(off, 4);
    case 1002: return words(address(off), 2);
    case 1003: return gateway(off);
    case 1004: {
      off = countedString(words(off, 1));
      return countedString(words(off, 1));
    }
    case 1005: {
      get32(off);
      off = countedString(off + 4);
      return countedString(off);
    }
    case 1006: return mplsStack(mplsStack(address(off)));
    case 1007: return address(address(off));
    case 1008:
    case 1009: return words(countedString(off), 2);
    case 1010: return words(countedString(off), 1);
    case 1011: return words(off, 1);
    case 1012: {
      const layers = get32(off);
      if (!need(off, 4)) return off;
      off += 4;
      for (let i: u32 = 0; i < layers && ok; i++) { need(off, 4); off += 4; }
      return off;
    }
    case 1013: return ieee80211Payload(off);
    case 1014: return ieee80211Rx(off);
    case 1015: return ieee80211Tx(off);
    default: return off;
  }
}

function countersRecord(off: i32): i32 {
  const enterpriseFormat = get32(off);
  if (!ok) return off;
  if (enterpriseFormat >> 12 != 0) return otherEnterprise(off);
  report(F_COUNTERS_FORMAT, enterpriseFormat & 0xfff);
  off += 4;
  if (!field(F_DATA_LENGTH, off)) return off;
  off += 4;
  switch (enterpriseFormat & 0xfff) {
    case 1: return items(off, GENERIC_INTERFACE);
    case 2: return items(off, ETHERNET_INTERFACE);
    case 3: return items(off, TOKEN_RING);
    case 4: return items(off, VG_INTERFACE);
    case 5: return items(off, VLAN);
    case 6: return items(off, IEEE80211_COUNTERS);
    case 7: return items(off, LAG);
    case 1001: return items(off, PROCESSOR);
    case 1002: return items(off, RADIO);
    default: return off;
  }
}

/** A v5 sample's body: `header` words before the record count, then the records. */
function records(off: i32, header: i32, flows: bool): void {
  off = words(off, header);
  const count = get32(off);
  off += 4;
  for (let i: u32 = 0; i < (count & 0xff) && ok; i++) off = flows ? flowRecord(off) : countersRecord(off);
}

function sampleV5(off: i32): i32 {
  const sampleType = get32(off);
  if (!ok) return off;
  if (sampleType >> 12 != 0) return captured;
  report(F_SAMPLE_TYPE, sampleType & 0xfff);
  off += 4;
  const length = get32(off);
  if (!ok) return off;
  report(F_SAMPLE_LENGTH, length);
  off += 4;
  switch (sampleType & 0xfff) {
    case 1: records(off, 7, true); break;
    case 2: records(off, 2, false); break;
    case 3: records(off, 10, true); break;
    case 4: records(off, 3, false); break;
    case 7: items(off, LAG_PORT_STATS); break;
    default: break;
  }
  ensure(off, <i32>length);
  return off + <i32>length;
}

function flowSampleV24(off: i32): i32 {
  off = words(off, 7);
  const packetType = get32(off);
  off += 4;
  if (!ok) return off;
  if (packetType == 1) off = sampledHeader(off);
  const extended = get32(off);
  off += 4;
  for (let i: u32 = 0; i < extended && ok; i++) {
    const type = get32(off);
    off += 4;
    if (type == 1) off = words(off, 4);
    else if (type == 2) off = words(address(off), 2);
    else if (type == 3) off = gateway(off);
  }
  return off;
}

function countersSampleV24(off: i32): i32 {
  off = words(off, 4);
  if (!ok) return off;
  const type = get32(off - 4);
  if (type >= 1 && type <= 6) off = items(off, GENERIC_INTERFACE);
  if (type == 2) off += ETHERNET_COUNTERS_SIZE;
  else if (type == 3) off = items(off, TOKEN_RING);
  else if (type == 5) off = items(off, VG_INTERFACE);
  else if (type == 7) off = items(off, VLAN);
  return off;
}

function sampleV24(off: i32): i32 {
  const sampleType = get32(off);
  if (!ok) return off;
  report(F_SAMPLE_TYPE, sampleType);
  off += 4;
  if (sampleType == 1) return flowSampleV24(off);
  if (sampleType == 2) return countersSampleV24(off);
  return off;
}

function dissectSflow(start: u32, end: u32): bool {
  base = start;
  captured = <i32>(end - start);
  reported = <i32>reportedLength(start, end);
  ok = true;
  treeAlive = true;
  // tshark reads the version and address type before deciding; too short a datagram throws there.
  const v = get32(0);
  if (!ok) return true;
  if (v != 2 && v != 4 && v != 5) return false;
  const addressType = get32(4);
  if (!ok) return true;
  if (addressType > ADDR_IPV6) return false;
  version = v;
  setProtocolColumn('sFlow');
  beginItemLayer(PROTO_SFLOW);
  infoSet(); puts('V'); putDec(version); infoDone();
  addNum(F_VERSION, version);
  addNum(F_AGENT_TYPE, addressType);
  let off: i32 = 8;
  if (addressType == ADDR_IPV4) {
    if (!need(off, 4)) return true;
    addBytes(F_AGENT, start + 8, 4);
    infoAppend(); puts(', agent '); putIPv4(start + 8); infoDone();
    off += 4;
  } else if (addressType == ADDR_IPV6) {
    if (!need(off, 16)) return true;
    addBytes(F_AGENT_V6, start + 8, 16);
    infoAppend(); puts(', agent '); putIPv6(start + 8); infoDone();
    off += 16;
  }
  if (version == 5) {
    const subAgent = get32(off);
    if (!ok) return true;
    infoAppend(); puts(', sub-agent ID '); putDec(subAgent); infoDone();
    addNum(F_SUB_AGENT, subAgent);
    off += 4;
  }
  const sequence = get32(off);
  if (!ok) return true;
  infoAppend(); puts(', seq '); putDec(sequence); infoDone();
  addNum(F_SEQUENCE, sequence);
  off += 4;
  const uptime = get32(off);
  if (!ok) return true;
  addNum(F_UPTIME, uptime);
  off += 4;
  const samples = get32(off);
  if (!ok) return true;
  infoAppend(); puts(', '); putDec(samples); puts(' samples'); infoDone();
  addNum(F_NUM_SAMPLES, samples);
  off += 4;
  for (let i: u32 = 0; i < (samples & 0xff) && ok; i++) off = version == 5 ? sampleV5(off) : sampleV24(off);
  return true;
}

registerUdpPortTry(PORT, (start: u32, end: u32): bool => callListed(PROTO_SFLOW, dissectSflow, start, end));
