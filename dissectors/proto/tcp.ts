// Transmission Control Protocol (RFC 9293), one segment at a time: no
// reassembly; relative sequence numbers and scaled windows from what the
// conversation's earlier segments showed, as tshark's single pass does.
import { protocol, uint, flag, str, Base } from '../fields';
import { beginLayer, addCalledItem, addNum, setProtocolColumn, markMalformed, markTruncated, reportedLength, inErrorPacket, isFragmented, errors,
  PacketError, bytesCutAfter, truncatedToUnreassembled } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerIpProto, dispatchTcp } from '../dispatch';
import { dissectData } from './frame';
import { addAscii } from './ascii-text';
import { infoSet, infoAppend, infoDone, infoPrependFencedBegin, infoPrependFencedEnd } from '../columns';
import { puts, putDec, putc, putHexUpper } from '../text';
import { conversationWord, findConversation, conversationReversed, clearConversation, convGet, convSet, streamIndex } from '../conversation';
import { scanSegment, PduScan, continuationOf, skipBytes } from './tcp-pdu';
import { Analysis, analyseSegment, noteHandshake, prependAnalysis, restartOnSameSyn } from './tcp-analysis';
import { PSEUDO_MPTCP } from '../pseudo-layers';

const PROTO_TCP = protocol('tcp', 'Transmission Control Protocol');
const F_SRCPORT = uint('tcp.srcport', 'Source Port', 16);
const F_DSTPORT = uint('tcp.dstport', 'Destination Port', 16);
const F_PORT = uint('tcp.port', 'Source or Destination Port', 16);
const F_STREAM = uint('tcp.stream', 'Stream index', 32);
const F_LEN = uint('tcp.len', 'TCP Segment Len');
// tcp.seq and tcp.ack are relative to the first sequence number seen in each
// direction; quoted in an ICMP error tshark keeps no conversation and shows them as is.
const F_SEQ = uint('tcp.seq', 'Sequence Number');
const F_SEQ_RAW = uint('tcp.seq_raw', 'Sequence Number (raw)');
const F_ACK = uint('tcp.ack', 'Acknowledgment Number');
const F_ACK_RAW = uint('tcp.ack_raw', 'Acknowledgment number (raw)');
const F_HDR_LEN = uint('tcp.hdr_len', 'Header Length', 8);
const F_FLAGS = uint('tcp.flags', 'Flags', 16, Base.HEX);
const F_FLAG_RES = flag('tcp.flags.res', 'Reserved');
const F_FLAG_AE = flag('tcp.flags.ae', 'Accurate ECN');
const F_FLAG_CWR = flag('tcp.flags.cwr', 'Congestion Window Reduced');
const F_FLAG_ECE = flag('tcp.flags.ece', 'ECN-Echo');
const F_FLAG_URG = flag('tcp.flags.urg', 'Urgent');
const F_FLAG_ACK = flag('tcp.flags.ack', 'Acknowledgment');
const F_FLAG_PUSH = flag('tcp.flags.push', 'Push');
const F_FLAG_RESET = flag('tcp.flags.reset', 'Reset');
const F_FLAG_SYN = flag('tcp.flags.syn', 'Syn');
const F_FLAG_FIN = flag('tcp.flags.fin', 'Fin');
const F_WINDOW = uint('tcp.window_size_value', 'Window', 16);
const F_WINDOW_SIZE = uint('tcp.window_size', 'Calculated window size');
const F_CHECKSUM = uint('tcp.checksum', 'Checksum', 16, Base.HEX);
const F_URGENT = uint('tcp.urgent_pointer', 'Urgent Pointer', 16);
const F_OPT_KIND = uint('tcp.option_kind', 'Kind', 8);
const F_OPT_LEN = uint('tcp.option_len', 'Length', 8);
const F_MSS = uint('tcp.options.mss_val', 'MSS Value', 16);
const F_WSCALE = uint('tcp.options.wscale.shift', 'Shift count', 8);
const F_SACK_PERM = flag('tcp.options.sack_perm', 'TCP SACK Permitted Option');
const F_TSVAL = uint('tcp.options.timestamp.tsval', 'Timestamp value');
const F_TSECR = uint('tcp.options.timestamp.tsecr', 'Timestamp echo reply');
const F_CONTINUATION_TO = uint('tcp.continuation_to', 'This is a continuation to the PDU in frame');
const F_RESET_CAUSE = str('tcp.reset_cause', 'Reset cause', Base.FINAL_TEXT);

// Per conversation: each direction's base sequence number (0: from the lower
// endpoint, 1: from the higher), and a state word of two bytes, one per
// direction: bit 0 base set, bits 1-5 window scale (0 unknown, 31 none, else shift + 1).
const W_BASE = conversationWord();
const W_BASE_REV = conversationWord();
const W_STATE = conversationWord();
const W_STREAM = conversationWord();
const BASE_SET: u32 = 1;
// AccECN (draft-ietf-tcpm-accurate-ecn) as Wireshark tracks it: the SYN and SYN/ACK negotiated it, or an option was seen.
const W_ACCECN = conversationWord();
const ACCECN_SYN: u32 = 1, ACCECN_SYN_ACK: u32 = 2, ACCECN_OPTION: u32 = 4;
const SCALE_UNKNOWN: u32 = 0, SCALE_NONE: u32 = 31;
const MAX_SHIFT: u32 = 14;

/** The window scale shift a WS option in the current segment announced; -1 when it had none. */
let announcedShift: i32 = -1;

const FIN: u32 = 0x01, SYN: u32 = 0x02, RST: u32 = 0x04, PSH: u32 = 0x08, ACK: u32 = 0x10, URG: u32 = 0x20, ECE: u32 = 0x40, CWR: u32 = 0x80;
const AE: u32 = 0x100, RESERVED: u32 = 0xe00;

export function dissectTcp(start: u32, end: u32): void {
  beginLayer(PROTO_TCP);
  // tshark names the protocol only once it has read the ports.
  if (!has(start, end, 4)) { markTruncated(); return; }
  setProtocolColumn('TCP');
  const src = u16at(start, end);
  const dst = u16at(start + 2, end);
  addNum(F_SRCPORT, src);
  addNum(F_DSTPORT, dst);
  addNum(F_PORT, src);
  addNum(F_PORT, dst);
  // Lengths follow the segment's reported length (what the IP layer said
  // was there), not what the capture kept, as tshark's do.
  const reported = reportedLength(start, end);
  // At the top level tshark shows the ports in the info column, then reads
  // the whole fixed header before showing any more of it; quoted in an ICMP
  // error, it shows what is there.
  if (!has(start, end, 20)) {
    if (inErrorPacket()) {
      if (has(start, end, 8)) addNum(seqField(), u32at(start + 4, end));
      if (has(start, end, 12)) addNum(F_ACK_RAW, u32at(start + 8, end));
    } else {
      infoSet(); putDec(src); puts(' → '); putDec(dst); infoDone();
    }
    markTruncated();
    return;
  }
  const seq = u32at(start + 4, end);
  const ack = u32at(start + 8, end);
  const offFlags = u16at(start + 12, end);
  const hlen = (offFlags >> 12) * 4;
  const flags = offFlags & 0x0fff;
  // A header longer than the segment is a "short segment": tshark still shows
  // the fixed header fields, but no segment length, and goes no further.
  const short = hlen > reported;
  const segmentLen = short ? 0 : reported - hlen;
  const quoted = inErrorPacket();
  // Like Wireshark, no segment length and no sequence analysis (relative
  // numbers, window scaling) in a quoted segment or a first fragment.
  const analysed = !quoted && !isFragmented();
  const slot = quoted ? -1 : findConversation(6, src, dst);
  const dir: u32 = conversationReversed() ? 1 : 0;
  const reused = analysed && noteBases(slot, dir, seq, ack, flags);
  // A quoted segment's conversation is numbered too, though not analysed.
  const streamSlot = quoted ? findConversation(6, src, dst) : slot;
  if (streamSlot >= 0) addNum(F_STREAM, streamIndex(streamSlot, W_STREAM, 6));
  if (!short && analysed) addNum(F_LEN, segmentLen);
  const relSeq = analysed ? seq - convGet(slot, W_BASE + dir) : seq;
  const relAck = analysed && (flags & ACK) ? ack - convGet(slot, W_BASE + (dir ^ 1)) : ack;
  if (!quoted) addNum(F_SEQ, relSeq);
  addNum(seqField(), seq);
  addNum(F_HDR_LEN, hlen);
  // Only a payload tshark hands on (whole header, analysed segment) is looked up among the stream's messages.
  const tracked = analysed && hlen >= 20 && !short && segmentLen > 0 && has(start, end, hlen);
  const pdu = scanSegment(tracked ? slot : -1, dir, seq, segmentLen);
  const window = u16at(start + 14, end);
  if (hlen < 20) {
    // tshark reports this in the info column and stops, without an exception.
    writeInfo(src, dst, relSeq, relAck, flags, false, window, -1, -1);
    infoAppend(); puts(', bogus TCP header length ('); putDec(hlen); puts(', must be at least 20)'); infoDone();
    return;
  }
  if (short) markMalformed();
  const analysis = analysed && !short
    ? analyseSegment(slot, dir, seq, ack, segmentLen, flags, window, windowShift(slot, dir ^ 1), reused) : 0;
  if (analysed && !short) noteHandshake(slot, dir, flags);
  addNum(F_ACK, relAck);
  addNum(F_ACK_RAW, ack);
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_RES, (flags >> 9) & 7);
  addNum(F_FLAG_AE, (flags >> 8) & 1);
  addNum(F_FLAG_CWR, (flags & CWR) != 0);
  addNum(F_FLAG_ECE, (flags & ECE) != 0);
  addNum(F_FLAG_URG, (flags & URG) != 0);
  addNum(F_FLAG_ACK, (flags & ACK) != 0);
  addNum(F_FLAG_PUSH, (flags & PSH) != 0);
  addNum(F_FLAG_RESET, (flags & RST) != 0);
  addNum(F_FLAG_SYN, (flags & SYN) != 0);
  addNum(F_FLAG_FIN, (flags & FIN) != 0);
  addNum(F_WINDOW, window);
  const calculated = analysed ? scaledWindow(slot, dir, window, flags) : window;
  addNum(F_WINDOW_SIZE, calculated);
  addNum(F_CHECKSUM, u16at(start + 16, end));
  const urgent = u16at(start + 18, end);
  addNum(F_URGENT, urgent);
  const ace = analysed && usesAce(slot, flags);
  writeInfo(src, dst, relSeq, relAck, flags, ace, calculated, flags & URG ? <i32>urgent : -1, short ? -1 : <i32>segmentLen);
  if (short) return;
  announcedShift = -1;
  // SACK edges are relative to the other direction's base sequence number.
  const sackBase = analysed ? convGet(slot, W_BASE + (dir ^ 1)) : 0;
  // A header the capture cut is walked as far as it goes, as tshark walks it.
  if (!has(start, end, hlen)) { dissectOptions(start + 20, start + hlen, end, sackBase, analysed ? slot : -1); markTruncated(); return; }
  dissectOptions(start + 20, start + hlen, start + hlen, sackBase, analysed ? slot : -1);
  if (analysed) noteWindowScale(slot, dir, flags);
  prependAnalysis(analysis);
  // RFC 1122 lets a reset carry text saying why: Wireshark shows the bytes
  // captured as that text and hands them to no dissector, so a cut one is not marked.
  if (flags & RST) {
    if (start + hlen < end) addAscii(F_RESET_CAUSE, start + hlen, end - start - hlen);
    return;
  }
  if (continuationOf != 0) {
    addNum(F_CONTINUATION_TO, continuationOf);
    const p = infoPrependFencedBegin();
    puts('[Continuation to #'); putDec(continuationOf); puts('] ');
    infoPrependFencedEnd(p);
  }
  if (pdu == PduScan.CONTINUATION) return;
  const payload = start + hlen + skipBytes;
  if (payload >= end) return;
  const before = errors;
  // As Wireshark, no dissector, not even data's, sees a keep-alive's byte or
  // a segment it resent or reordered: TCP shows it as its own payload (not done here).
  if ((analysis & (Analysis.KEEP_ALIVE | Analysis.RETRANSMISSION | Analysis.OUT_OF_ORDER)) == 0 && !dispatchTcp(src, dst, payload, end)) {
    dissectData(payload, end);
  }
  // Without reassembly tshark reads a segment's payload as a fragment of the
  // stream: running out of it is "unreassembled", not malformed (unless the
  // snap length cut the segment, which is "size limited" as anywhere).
  if (analysed && (errors & ~before & PacketError.TRUNCATED) != 0 && bytesCutAfter(end) == 0) truncatedToUnreassembled();
}

/**
 * In a segment quoted by an ICMP error tshark keeps no conversation, so it
 * shows the sequence number as is (tcp.seq) instead of relative with a raw
 * copy, and no segment length.
 */
function seqField(): u32 {
  return inErrorPacket() ? F_SEQ : F_SEQ_RAW;
}

function directionState(state: u32, dir: u32): u32 { return (state >> (dir * 8)) & 0xff; }
function withDirectionState(state: u32, dir: u32, v: u32): u32 { return (state & ~(<u32>0xff << (dir * 8))) | (v << (dir * 8)); }

/**
 * Wireshark's base sequence numbers: a direction's first segment sets its
 * own (the ISN on a SYN, one less than the sequence number otherwise), the
 * first ACK sets the other direction's if still unknown.  A SYN with another
 * ISN on a known conversation starts a new one, and a SYN/ACK with another
 * ISN takes it as its base: both are "ports reused" (the result).
 */
function noteBases(slot: i32, dir: u32, seq: u32, ack: u32, flags: u32): bool {
  let state = convGet(slot, W_STATE);
  let reused = false;
  const ownBaseSet = (directionState(state, dir) & BASE_SET) != 0;
  if ((flags & (SYN | ACK)) == SYN && ownBaseSet) {
    if (seq != convGet(slot, W_BASE + dir)) {
      clearConversation(slot);
      state = 0;
      reused = true;
    } else {
      restartOnSameSyn(slot, dir);
    }
  } else if ((flags & (SYN | ACK)) == (SYN | ACK) && ownBaseSet && seq != convGet(slot, W_BASE + dir)) {
    convSet(slot, W_BASE + dir, seq);
    reused = true;
  }
  const own = directionState(state, dir);
  if (!(own & BASE_SET)) {
    convSet(slot, W_BASE + dir, flags & SYN ? seq : seq - 1);
    state = withDirectionState(state, dir, own | BASE_SET);
  }
  const other = directionState(state, dir ^ 1);
  if (!(other & BASE_SET) && (flags & ACK)) {
    convSet(slot, W_BASE + (dir ^ 1), ack - 1);
    state = withDirectionState(state, dir ^ 1, other | BASE_SET);
  }
  convSet(slot, W_STATE, state);
  return reused;
}

/** A direction's window scale as Wireshark keeps it: the shift, -1 while unknown, -2 when not used. */
function windowShift(slot: i32, dir: u32): i32 {
  const scale = directionState(convGet(slot, W_STATE), dir) >> 1;
  return scale == SCALE_UNKNOWN ? -1 : scale == SCALE_NONE ? -2 : <i32>scale - 1;
}

/**
 * Whether the flags show AccECN's counter: not on a SYN, and only once the
 * handshake negotiated it or an AccECN option was seen (the SYN and SYN/ACK
 * record their ECN bits here first, as Wireshark does before the flags).
 */
function usesAce(slot: i32, flags: u32): bool {
  let state = convGet(slot, W_ACCECN);
  if ((flags & (SYN | ACK)) == SYN) {
    state = (state & ~ACCECN_SYN) | ((flags & (AE | CWR | ECE)) == (AE | CWR | ECE) ? ACCECN_SYN : 0);
  } else if ((flags & (SYN | ACK)) == (SYN | ACK)) {
    const negotiated = (flags & (AE | CWR)) == CWR || (flags & (AE | ECE)) == AE;
    state = (state & ~ACCECN_SYN_ACK) | (negotiated ? ACCECN_SYN_ACK : 0);
  }
  convSet(slot, W_ACCECN, state);
  if (flags & SYN) return false;
  return (state & (ACCECN_SYN | ACCECN_SYN_ACK)) == (ACCECN_SYN | ACCECN_SYN_ACK) || (state & ACCECN_OPTION) != 0;
}

/** The window in bytes: scaled by the shift its sender announced, never on a SYN, as is while the shift is unknown or unused. */
function scaledWindow(slot: i32, dir: u32, window: u32, flags: u32): u32 {
  if (flags & SYN) return window;
  const scale = directionState(convGet(slot, W_STATE), dir) >> 1;
  return scale == SCALE_UNKNOWN || scale == SCALE_NONE ? window : window << (scale - 1);
}

/** A WS option records its sender's shift; a SYN then settles whether scaling is in use (Wireshark's verify_tcp_window_scaling). */
function noteWindowScale(slot: i32, dir: u32, flags: u32): void {
  let state = convGet(slot, W_STATE);
  let own = directionState(state, dir);
  if (announcedShift >= 0) {
    own = (own & BASE_SET) | ((<u32>min(announcedShift, <i32>MAX_SHIFT) + 1) << 1);
    state = withDirectionState(state, dir, own);
  }
  if (flags & SYN) {
    const other = directionState(state, dir ^ 1);
    if ((own >> 1) == SCALE_UNKNOWN) {
      state = withDirectionState(state, dir, (own & BASE_SET) | (SCALE_NONE << 1));
      state = withDirectionState(state, dir ^ 1, (other & BASE_SET) | (SCALE_NONE << 1));
    } else if ((flags & ACK) && (other >> 1) == SCALE_NONE) {
      state = withDirectionState(state, dir, (own & BASE_SET) | (SCALE_NONE << 1));
    }
  }
  convSet(slot, W_STATE, state);
}

function putFlag(name: string, first: bool): bool {
  if (!first) puts(', ');
  puts(name);
  return false;
}

/** tshark's TCP info; `urgent` (URG clear) and `len` (header longer than the segment) are left out when -1. */
function writeInfo(src: u32, dst: u32, seq: u32, ack: u32, flags: u32, ace: bool, window: u32, urgent: i32, len: i32): void {
  infoSet();
  putDec(src); puts(' → '); putDec(dst);
  // tshark's order: the eight classic flags, AE (the old NS bit), then any reserved bit as one word.
  puts(' [');
  let first = true;
  if (flags & FIN) first = putFlag('FIN', first);
  if (flags & SYN) first = putFlag('SYN', first);
  if (flags & RST) first = putFlag('RST', first);
  if (flags & PSH) first = putFlag('PSH', first);
  if (flags & ACK) first = putFlag('ACK', first);
  if (flags & URG) first = putFlag('URG', first);
  if (ace) {
    // The three ECN bits read as one counter.
    puts(', ACE='); putDec(((flags & AE) ? 4 : 0) + ((flags & CWR) ? 2 : 0) + ((flags & ECE) ? 1 : 0));
    first = false;
  } else {
    if (flags & ECE) first = putFlag('ECE', first);
    if (flags & CWR) first = putFlag('CWR', first);
    if (flags & AE) first = putFlag('AE', first);
  }
  if (flags & RESERVED) first = putFlag('Reserved', first);
  if (first) puts('<None>');
  putc(93);
  puts(' Seq='); putDec(seq);
  if (flags & ACK) { puts(' Ack='); putDec(ack); }
  puts(' Win='); putDec(window);
  if (urgent >= 0) { puts(' Urg='); putDec(<u32>urgent); }
  if (len >= 0) { puts(' Len='); putDec(len); }
  infoDone();
}

/** The options in [p, end), of which the capture holds those before `captured`; the walk stops where the capture does. */
function dissectOptions(p: u32, end: u32, captured: u32, sackBase: u32, slot: i32): void {
  while (p < end) {
    if (p >= captured) return;
    const kind = <u32>load<u8>(p);
    addNum(F_OPT_KIND, kind);
    if (kind == 0) return;
    if (kind == 1) { p++; continue; }
    if (end - p < 2) { markMalformed(); return; }
    if (p + 1 >= captured) return;
    const len = <u32>load<u8>(p + 1);
    addNum(F_OPT_LEN, len);
    if (len < 2 || len > end - p) { markMalformed(); return; }
    if (kind == MPTCP) addCalledItem(PSEUDO_MPTCP);
    // tshark names TCP-AO (without a space before it) before reading its value, so even a cut one shows.
    if (kind == TCP_AO) { infoAppend(); puts('TCP AO'); infoDone(); }
    if (p + len > captured) return;
    // The info column notes these options in packet order, as tshark does.
    if (kind == 2 && len == 4) {
      const mss = u16at(p + 2, end);
      addNum(F_MSS, mss);
      infoAppend(); puts(' MSS='); putDec(mss); infoDone();
    } else if (kind == 3 && len == 3) {
      const shift = u8at(p + 2, end);
      addNum(F_WSCALE, shift);
      announcedShift = <i32>shift;
      infoAppend(); puts(' WS='); putDec(<u64>1 << <u64>(shift < 14 ? shift : 14)); infoDone();
    } else if (kind == 4 && len == 2) {
      addNum(F_SACK_PERM, 1);
      infoAppend(); puts(' SACK_PERM'); infoDone();
    } else if (kind == 5) {
      // Edges in pairs; a pair cut short ends the list.
      for (let q = p + 2; q + 8 <= p + len; q += 8) {
        infoAppend();
        puts(' SLE='); putDec(u32at(q, end) - sackBase);
        puts(' SRE='); putDec(u32at(q + 4, end) - sackBase);
        infoDone();
      }
    } else if (kind == 19) {
      infoAppend(); puts(' MD5'); infoDone();
    } else if (kind == TFO) {
      infoAppend(); puts(len > 2 ? ' TFO=C' : ' TFO=R'); infoDone();
    } else if (kind == ACCECN_ORDER_0 || kind == ACCECN_ORDER_1) {
      if (len == 2 || len == 5 || len == 8 || len == 11) accEcnOption(p + 2, len - 2, kind == ACCECN_ORDER_0, slot, end);
    } else if ((kind == EXPERIMENT_1 || kind == EXPERIMENT_2) && len >= 4) {
      experimentalOption(p, len, slot, end);
    } else if (kind == MPTCP) {
      // Multipath TCP: tshark names the protocol after the option (its subtypes are not decoded here).
      setProtocolColumn('MPTCP');
    } else if (kind == 8 && len == 10) {
      const tsval = u32at(p + 2, end);
      const tsecr = u32at(p + 6, end);
      addNum(F_TSVAL, tsval);
      addNum(F_TSECR, tsecr);
      infoAppend(); puts(' TSval='); putDec(tsval); puts(' TSecr='); putDec(tsecr); infoDone();
    }
    p += len;
  }
}

const TFO: u32 = 34;
const MPTCP: u32 = 30;
const TCP_AO: u32 = 29;
const ACCECN_ORDER_0: u32 = 0xac, ACCECN_ORDER_1: u32 = 0xae;
const EXPERIMENT_1: u32 = 0xfd, EXPERIMENT_2: u32 = 0xfe;
const EXID_FAST_OPEN: u32 = 0xf989, EXID_ACCECN_0: u32 = 0xacc0, EXID_ACCECN_1: u32 = 0xacc1, EXID_TARR: u32 = 0x00ac;

/** An RFC 6994 experimental option: Fast Open, AccECN and ACK Rate Request by their ExID, other ExIDs named in hex. */
function experimentalOption(p: u32, len: u32, slot: i32, end: u32): void {
  const exid = u16at(p + 2, end);
  if (exid == EXID_FAST_OPEN) {
    infoAppend(); puts(len - 2 > 2 ? ' TFO=C' : ' TFO=R'); infoDone();
  } else if (exid == EXID_ACCECN_0 || exid == EXID_ACCECN_1) {
    if (len == 4 || len == 7 || len == 10 || len == 13) accEcnOption(p + 4, len - 4, exid == EXID_ACCECN_0, slot, end);
  } else if (exid == EXID_TARR) {
    // ACK Rate Request: its rate in the 7 high bits of one optional byte.
    if (len == 4) { infoAppend(); puts(' TARR'); infoDone(); }
    else if (len == 5) { infoAppend(); puts(' TARR='); putDec(u8at(p + 4, end) >> 1); infoDone(); }
  } else {
    infoAppend(); puts(' ExID='); putHexUpper(exid, exid < 0x10 ? 1 : exid < 0x100 ? 2 : exid < 0x1000 ? 3 : 4); infoDone();
  }
}

/** AccECN's byte counters, in the option's order (EE0B first for order 0); marks the conversation as using AccECN. */
function accEcnOption(p: u32, n: u32, order0: bool, slot: i32, end: u32): void {
  infoAppend();
  if (n == 0) puts(' AccECN');
  for (let i: u32 = 0; i + 3 <= n; i += 3) {
    const name = i == 3 ? ' ECEB=' : (i == 0) == order0 ? ' EE0B=' : ' EE1B=';
    puts(name); putDec((<u32>u8at(p + i, end) << 16) | <u32>u16at(p + i + 1, end));
  }
  infoDone();
  convSet(slot, W_ACCECN, convGet(slot, W_ACCECN) | ACCECN_OPTION);
}

registerIpProto(6, dissectTcp);
