// Transmission Control Protocol (RFC 9293), one segment at a time: no
// reassembly; relative sequence numbers and scaled windows from what the
// conversation's earlier segments showed, as tshark's single pass does.
import { uint, sint, flag, str, bytes, none, timeRel, fieldsBelongTo, Base } from '../fields';
import { PROTO_TCP } from './tcp-proto';
import { beginLayer, addNum, addBytes, setProtocolColumn, markMalformed, markTruncated, reportedLength, inErrorPacket, inIcmpQuote, isFragmented, errors,
  PacketError, bytesCutAfter, truncatedToUnreassembled, wanted } from '../packet';
import { u16at, u32at, has } from '../cursor';
import { registerIpProto, dispatchTcp } from '../dispatch';
import { dissectData } from './frame';
import { addAscii } from './ascii-text';
import { infoSet, infoAppend, infoDone, infoPrependFencedBegin, infoPrependFencedEnd, scratchBegin, scratchEnd } from '../columns';
import { puts, putDec, putc } from '../text';
import { conversationWord, findConversation, conversationReversed, clearConversation, convGet, convSet, streamIndex, conversationSerial } from '../conversation';
import { leaveNote, readNote, learningAhead, NoteTag } from '../frame-notes';
import { claimConversationTimes, noteConversationStart, stepConversationTimes, sinceFirst, sincePrevious } from '../conversation-times';
import { scanSegment, PduScan, continuationOf, skipBytes } from './tcp-pdu';
import { Analysis, analyseSegment, noteHandshake, prependAnalysis, restartOnSameSyn, addAnalysisFields,
  addEmptyAnalysis, noteSacked } from './tcp-analysis';
import { dissectOptions, addOptionsBlock, announcedShift, sackedBytes, sawAccEcnOption } from './tcp-options';

fieldsBelongTo(PROTO_TCP);
const F_SRCPORT = uint('tcp.srcport', 'Source Port', 16);
const F_DSTPORT = uint('tcp.dstport', 'Destination Port', 16);
const F_PORT = uint('tcp.port', 'Source or Destination Port', 16);
const F_STREAM = uint('tcp.stream', 'Stream index', 32);
const F_COMPLETENESS = uint('tcp.completeness', 'Conversation completeness', 8);
const F_LEN = uint('tcp.len', 'TCP Segment Len');
// tcp.seq and tcp.ack are relative to the first sequence number seen in each
// direction; quoted in an ICMP error tshark keeps no conversation and shows them as is.
const F_SEQ = uint('tcp.seq', 'Sequence Number');
const F_SEQ_RAW = uint('tcp.seq_raw', 'Sequence Number (raw)');
const F_NXTSEQ = uint('tcp.nxtseq', 'Next Sequence Number');
const F_ACK = uint('tcp.ack', 'Acknowledgment Number');
const F_ACK_NONZERO = none('tcp.ack.nonzero', 'The acknowledgment number field is nonzero while the ACK flag is not set');
const F_ACK_RAW = uint('tcp.ack_raw', 'Acknowledgment number (raw)');
const F_HDR_LEN = uint('tcp.hdr_len', 'Header Length', 8);
const F_FLAGS = uint('tcp.flags', 'Flags', 16, Base.HEX);
const F_FLAG_RES = flag('tcp.flags.res', 'Reserved');
const F_FLAG_AE = flag('tcp.flags.ae', 'Accurate ECN');
const F_FLAG_CWR = flag('tcp.flags.cwr', 'Congestion Window Reduced');
const F_FLAG_ACE = uint('tcp.flags.ace', 'ACE', 8);
const F_FLAG_ECE = flag('tcp.flags.ece', 'ECN-Echo');
const F_FLAG_URG = flag('tcp.flags.urg', 'Urgent');
const F_FLAG_ACK = flag('tcp.flags.ack', 'Acknowledgment');
const F_FLAG_PUSH = flag('tcp.flags.push', 'Push');
const F_FLAG_RESET = flag('tcp.flags.reset', 'Reset');
const F_FLAG_SYN = flag('tcp.flags.syn', 'Syn');
const F_FLAG_FIN = flag('tcp.flags.fin', 'Fin');
const F_FLAGS_STR = str('tcp.flags.str', 'TCP Flags', Base.FINAL_TEXT);
const F_CONNECTION_SYN = none('tcp.connection.syn', 'Connection establish request (SYN)');
const F_CONNECTION_SYNACK = none('tcp.connection.synack', 'Connection establish acknowledge (SYN+ACK)');
const F_CONNECTION_FIN = none('tcp.connection.fin', 'Connection finish (FIN)');
const F_CONNECTION_FIN_ACTIVE = none('tcp.connection.fin_active', 'This frame initiates the connection closing');
const F_CONNECTION_FIN_PASSIVE = none('tcp.connection.fin_passive', 'This frame undergoes the connection closing');
const F_CONNECTION_RST = none('tcp.connection.rst', 'Connection reset (RST)');
const F_WINDOW = uint('tcp.window_size_value', 'Window', 16);
const F_WINDOW_SIZE = uint('tcp.window_size', 'Calculated window size');
const F_SCALEFACTOR = sint('tcp.window_size_scalefactor', 'Window size scaling factor');
const F_CHECKSUM = uint('tcp.checksum', 'Checksum', 16, Base.HEX);
const F_CHECKSUM_STATUS = uint('tcp.checksum.status', 'Checksum Status', 8);
const F_URGENT = uint('tcp.urgent_pointer', 'Urgent Pointer', 16);
const F_CONTINUATION_TO = uint('tcp.continuation_to', 'This is a continuation to the PDU in frame');
const F_RESET_CAUSE = str('tcp.reset_cause', 'Reset cause', Base.FINAL_TEXT);

const F_TIME_RELATIVE = timeRel('tcp.time_relative', 'Time since first frame in this TCP stream');
const F_TIME_DELTA = timeRel('tcp.time_delta', 'Time since previous frame in this TCP stream');
const F_PAYLOAD = bytes('tcp.payload', 'TCP payload');

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
// Wireshark's conversation completeness: the kinds of segment seen so far.
const W_COMPLETENESS = conversationWord();
const COMPLETE_SYN: u32 = 1, COMPLETE_SYN_ACK: u32 = 2, COMPLETE_ACK: u32 = 4, COMPLETE_DATA: u32 = 8, COMPLETE_FIN: u32 = 16,
  COMPLETE_RST: u32 = 32;
const W_TIMES = claimConversationTimes();
// Which direction sent a FIN first (bit 0: from the lower endpoint, bit 1: from the higher).
const W_FIN_SENT = conversationWord();
const ACCECN_SYN: u32 = 1, ACCECN_SYN_ACK: u32 = 2, ACCECN_OPTION: u32 = 4;
const SCALE_UNKNOWN: u32 = 0, SCALE_NONE: u32 = 31;
const MAX_SHIFT: u32 = 14;


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
  const opening = analysed && noteConversationStart(slot, W_TIMES);
  // A quoted segment's conversation is numbered too, though not analysed.
  const streamSlot = quoted ? findConversation(6, src, dst) : slot;
  const streamDir: u32 = quoted ? (conversationReversed() ? 1 : 0) : dir;
  if (streamSlot >= 0) addNum(F_STREAM, streamIndex(streamSlot, W_STREAM, 6));
  // The completeness so far (the second pass of -2 knows the whole); this segment's part is added once its header proves whole.
  if (streamSlot >= 0) {
    const whole = <u32>readNote(conversationSerial(streamSlot), NoteTag.TCP_COMPLETENESS);
    addNum(F_COMPLETENESS, whole != 0 ? whole - 1 : convGet(streamSlot, W_COMPLETENESS));
  }
  if (!short && analysed) addNum(F_LEN, segmentLen);
  const relSeq = analysed ? seq - convGet(slot, W_BASE + dir) : seq;
  const relAck = analysed && (flags & ACK) ? ack - convGet(slot, W_BASE + (dir ^ 1)) : ack;
  // In an error packet other than an ICMP quote the number is shown twice, raw both times.
  if (!quoted || !inIcmpQuote()) addNum(F_SEQ, relSeq);
  addNum(seqField(), seq);
  if (!short && analysed && hlen >= 20) addNum(F_NXTSEQ, relSeq + segmentLen + (flags & (SYN | FIN) ? 1 : 0));
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
  else if (analysed) noteCompleteness(slot, flags, segmentLen, opening);
  const analysis = analysed && !short
    ? analyseSegment(slot, dir, seq, ack, segmentLen, flags, window, windowShift(slot, dir ^ 1), reused,
      convGet(slot, W_BASE + dir))
    : 0;
  if (analysed && !short) noteHandshake(slot, dir, flags);
  addNum(F_ACK, relAck);
  addNum(F_ACK_RAW, ack);
  if ((flags & ACK) == 0 && ack != 0) addNum(F_ACK_NONZERO, 0);
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_RES, (flags >> 9) & 7);
  const ace = analysed && usesAce(slot, flags);
  // Under AccECN the three ECN bits are one counter, a field of its own.
  if (ace) addNum(F_FLAG_ACE, aceCounter(flags));
  else {
    addNum(F_FLAG_AE, (flags >> 8) & 1);
    addNum(F_FLAG_CWR, (flags & CWR) != 0);
    addNum(F_FLAG_ECE, (flags & ECE) != 0);
  }
  addNum(F_FLAG_URG, (flags & URG) != 0);
  addNum(F_FLAG_ACK, (flags & ACK) != 0);
  addNum(F_FLAG_PUSH, (flags & PSH) != 0);
  addNum(F_FLAG_RESET, (flags & RST) != 0);
  addNum(F_FLAG_SYN, (flags & SYN) != 0);
  addNum(F_FLAG_FIN, (flags & FIN) != 0);
  addFlagsString(flags, ace);
  addConnectionFields(analysed ? slot : -1, dir, flags);
  addNum(F_WINDOW, window);
  const calculated = analysed ? scaledWindow(slot, dir, window, flags) : window;
  addNum(F_WINDOW_SIZE, calculated);
  // A first fragment has its conversation too, though not analysed: its scaling is what the conversation knows;
  // so has a segment inside an error packet other than an ICMP quote (an sFlow sample's).
  if (!inIcmpQuote() && (flags & SYN) == 0) addNum(F_SCALEFACTOR, <u64>scaleFactor(windowShift(streamSlot, streamDir)));
  addNum(F_CHECKSUM, u16at(start + 16, end));
  // Checksums are not verified (Wireshark's default): "2", unverified.
  addNum(F_CHECKSUM_STATUS, 2);
  const urgent = u16at(start + 18, end);
  addNum(F_URGENT, urgent);
  writeInfo(src, dst, relSeq, relAck, flags, ace, calculated, flags & URG ? <i32>urgent : -1, short ? -1 : <i32>segmentLen);
  if (short) {
    // tshark reads the options the capture holds until it runs out of them.
    if (start + 20 < end) addOptionsBlock(start + 20, min(end, start + hlen) - start - 20);
    if (analysed) addTimestamps(slot);
    return;
  }
  // SACK edges are relative to the other direction's base sequence number.
  const sackBase = analysed ? convGet(slot, W_BASE + (dir ^ 1)) : 0;
  // A header the capture cut is walked as far as it goes, as tshark walks it.
  if (!has(start, end, hlen)) {
    dissectOptions(start + 20, start + hlen, end, sackBase);
    if (analysed) { noteOptions(slot, dir); addTimestamps(slot); }
    markTruncated();
    return;
  }
  dissectOptions(start + 20, start + hlen, start + hlen, sackBase);
  if (analysed) {
    noteOptions(slot, dir);
    noteWindowScale(slot, dir, flags);
    addTimestamps(slot);
    addAnalysisFields(slot, analysis);
  } else if (!quoted) {
    addTimestamps(slot);
  } else if (streamSlot >= 0) {
    // A quoted segment takes its conversation's times, and in an ICMP quote an analysis subtree with nothing in it.
    addTimestamps(streamSlot);
    if (inIcmpQuote()) addEmptyAnalysis();
  }
  prependAnalysis(analysis);
  // RFC 1122 lets a reset carry text saying why: Wireshark shows the bytes
  // captured as that text and hands them to no dissector, so a cut one is not marked.
  if (flags & RST) {
    if (start + hlen < end) addAscii(F_RESET_CAUSE, start + hlen, end - start - hlen);
    return;
  }
  if (segmentLen > 0 && start + hlen < end) addBytes(F_PAYLOAD, start + hlen, end - start - hlen);
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
  // a segment it resent or reordered: TCP shows it only as its own payload (tcp.payload).
  if ((analysis & (Analysis.KEEP_ALIVE | Analysis.RETRANSMISSION | Analysis.OUT_OF_ORDER)) == 0 && !dispatchTcp(src, dst, payload, end)) {
    dissectData(payload, end);
  }
  // Without reassembly tshark reads a segment's payload as a fragment of the
  // stream: running out of it is "unreassembled", not malformed (unless the
  // snap length cut the segment, which is "size limited" as anywhere).
  if (analysed && (errors & ~before & PacketError.TRUNCATED) != 0 && bytesCutAfter(end) == 0) truncatedToUnreassembled();
}

/**
 * In a segment quoted by an ICMP error tshark shows the sequence number once,
 * as is (tcp.seq), instead of relative with a raw copy.
 */
function seqField(): u32 {
  return inIcmpQuote() ? F_SEQ : F_SEQ_RAW;
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
      // tshark's new conversation starts out having seen this SYN.
      convSet(slot, W_COMPLETENESS, COMPLETE_SYN);
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

/** What the segment's options leave for later segments: its SACK report, and AccECN in use. */
function noteOptions(slot: i32, dir: u32): void {
  noteSacked(slot, dir, sackedBytes);
  if (sawAccEcnOption) convSet(slot, W_ACCECN, convGet(slot, W_ACCECN) | ACCECN_OPTION);
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

/**
 * Adds what the segment brings to its conversation's completeness: tshark
 * counts an ACK only without data, and nothing of the segment that opened
 * the conversation unless it is a SYN.
 */
function noteCompleteness(slot: i32, flags: u32, segmentLen: u32, opening: bool): void {
  if (opening && (flags & SYN) == 0) return;
  const seen = convGet(slot, W_COMPLETENESS);
  let add: u32 = 0;
  if (flags & SYN) add |= flags & ACK ? COMPLETE_SYN_ACK : COMPLETE_SYN;
  else if ((flags & ACK) && segmentLen == 0) add |= COMPLETE_ACK;
  if (segmentLen > 0) add |= COMPLETE_DATA;
  if (flags & FIN) add |= COMPLETE_FIN;
  if (flags & RST) add |= COMPLETE_RST;
  convSet(slot, W_COMPLETENESS, seen | add);
  if (learningAhead()) leaveNote(conversationSerial(slot), NoteTag.TCP_COMPLETENESS, (seen | add) + 1);
}

/**
 * tcp.flags.str: the twelve flag bits from the most significant, a letter
 * when set, "·" when not; AccECN's three bits as their counter ("-5-").
 */
function addFlagsString(flags: u32, ace: bool): void {
  if (!unchecked(wanted[F_FLAGS_STR])) return;
  const s = scratchBegin();
  for (let bit = 11; bit >= 0; bit--) {
    if (ace && bit >= 6 && bit <= 8) {
      if (bit == 8) { putc(45); putDec(aceCounter(flags)); putc(45); }
      continue;
    }
    if (flags & (1 << bit)) putc(load<u8>(changetype<usize>(FLAG_LETTERS) + <usize>(11 - bit)));
    else { putc(0xc2); putc(0xb7); }
  }
  addBytes(F_FLAGS_STR, s, scratchEnd(s));
}
const FLAG_LETTERS = memory.data<u8>([82, 82, 82, 65, 67, 69, 85, 65, 80, 82, 83, 70]); // RRRACEUAPRSF

/** The expert items a SYN, SYN/ACK, FIN or RST carries; a FIN says whether its side closes first. */
function addConnectionFields(slot: i32, dir: u32, flags: u32): void {
  if (flags & SYN) addNum(flags & ACK ? F_CONNECTION_SYNACK : F_CONNECTION_SYN, 0);
  if (flags & FIN) {
    addNum(F_CONNECTION_FIN, 0);
    if (slot >= 0) {
      const sent = convGet(slot, W_FIN_SENT);
      if (sent & (1 << (dir ^ 1))) addNum(F_CONNECTION_FIN_PASSIVE, 0);
      else { convSet(slot, W_FIN_SENT, sent | (1 << dir)); addNum(F_CONNECTION_FIN_ACTIVE, 0); }
    }
  }
  if (flags & RST) addNum(F_CONNECTION_RST, 0);
}

/** AccECN's counter: the AE, CWR and ECE bits read as one number. */
function aceCounter(flags: u32): u32 { return (flags >> 6) & 7; }

/** tcp.window_size_scalefactor: the multiplier, or -1 while unknown and -2 when no scaling is used. */
function scaleFactor(shift: i32): i64 {
  return shift < 0 ? <i64>shift : <i64>1 << <i64>shift;
}

/** tcp.time_relative and tcp.time_delta: since the conversation's first frame and since its last. */
function addTimestamps(slot: i32): void {
  stepConversationTimes(slot, W_TIMES);
  addNum(F_TIME_RELATIVE, <u64>sinceFirst);
  addNum(F_TIME_DELTA, <u64>sincePrevious);
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
    puts(', ACE='); putDec(aceCounter(flags));
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

registerIpProto(6, dissectTcp);
