// TCP sequence analysis as tshark's single pass does it (Wireshark's
// tcp_analyze_sequence_number): each direction's next expected sequence
// number, last acknowledgement, window and duplicate-ACK count decide the
// "[TCP Retransmission] ", "[TCP Dup ACK 7#1] " ... put in front of the
// info column and the tcp.analysis.* fields.  The segments not yet
// acknowledged (tcp-segments.ts), which only the acked-frame, round-trip,
// bytes-in-flight and RTO fields need, are listed only when one of those is
// wanted.  Not kept: MPTCP's exception for duplicate ACKs.
import { conversationWords, convGet, convSet, convGet64, convSet64, conversationSerial } from '../conversation';
import { leaveNote, readNote, learningAhead, NoteTag } from '../frame-notes';
import { frameNumber, frameTime, addNum, wanted } from '../packet';
import { infoPrependFencedBegin, infoPrependFencedEnd } from '../columns';
import { puts, putDec } from '../text';
import { none, uint, timeRel, fieldsBelongTo } from '../fields';
import { PROTO_TCP } from './tcp-proto';
import { listSegment, acknowledge, ackedFrame, ackedAfter, hasSegments, listedSpan, oldestSegment, oldestFrame,
  oldestTime } from './tcp-segments';

fieldsBelongTo(PROTO_TCP);
const F_ANALYSIS = none('tcp.analysis', 'SEQ/ACK analysis');
const F_ACKS_FRAME = uint('tcp.analysis.acks_frame', 'This is an ACK to the segment in frame');
const F_ACK_RTT = timeRel('tcp.analysis.ack_rtt', 'The RTT to ACK the segment was');
const F_INITIAL_RTT = timeRel('tcp.analysis.initial_rtt', 'iRTT');
const F_BYTES_IN_FLIGHT = uint('tcp.analysis.bytes_in_flight', 'Bytes in flight');
const F_PUSH_BYTES_SENT = uint('tcp.analysis.push_bytes_sent', 'Bytes sent since last PSH flag');
const F_FLAGS = none('tcp.analysis.flags', 'TCP Analysis Flags');
const F_REUSED_PORTS = none('tcp.analysis.reused_ports', 'TCP port numbers reused');
const F_RETRANSMISSION = none('tcp.analysis.retransmission', 'Retransmission');
const F_RTO = timeRel('tcp.analysis.rto', 'The RTO for this segment was');
const F_RTO_FRAME = uint('tcp.analysis.rto_frame', 'RTO based on delta from frame');
const F_FAST_RETRANSMISSION = none('tcp.analysis.fast_retransmission', 'Fast Retransmission');
const F_SPURIOUS_RETRANSMISSION = none('tcp.analysis.spurious_retransmission', 'Spurious Retransmission');
const F_OUT_OF_ORDER = none('tcp.analysis.out_of_order', 'Out Of Order');
const F_LOST_SEGMENT = none('tcp.analysis.lost_segment', 'Previous segment(s) not captured');
const F_ACK_LOST_SEGMENT = none('tcp.analysis.ack_lost_segment', 'ACKed segment that wasn\'t captured');
const F_WINDOW_UPDATE = none('tcp.analysis.window_update', 'Window update');
const F_WINDOW_FULL = none('tcp.analysis.window_full', 'Window full');
const F_KEEP_ALIVE = none('tcp.analysis.keep_alive', 'Keep-Alive');
const F_KEEP_ALIVE_ACK = none('tcp.analysis.keep_alive_ack', 'Keep-Alive ACK');
const F_DUPLICATE_ACK = none('tcp.analysis.duplicate_ack', 'Duplicate ACK');
const F_DUPLICATE_ACK_NUM = uint('tcp.analysis.duplicate_ack_num', 'Duplicate ACK #');
const F_DUPLICATE_ACK_FRAME = uint('tcp.analysis.duplicate_ack_frame', 'Duplicate to the ACK in frame');
const F_ZERO_WINDOW_PROBE = none('tcp.analysis.zero_window_probe', 'Zero Window Probe');
const F_ZERO_WINDOW = none('tcp.analysis.zero_window', 'Zero Window');
const F_ZERO_WINDOW_PROBE_ACK = none('tcp.analysis.zero_window_probe_ack', 'Zero Window Probe Ack');

export const enum Analysis {
  RETRANSMISSION = 0x1,
  LOST_PACKET = 0x2,
  ACK_LOST_PACKET = 0x4,
  KEEP_ALIVE = 0x8,
  DUPLICATE_ACK = 0x10,
  ZERO_WINDOW = 0x20,
  ZERO_WINDOW_PROBE = 0x40,
  ZERO_WINDOW_PROBE_ACK = 0x80,
  KEEP_ALIVE_ACK = 0x100,
  OUT_OF_ORDER = 0x200,
  FAST_RETRANSMISSION = 0x400,
  WINDOW_UPDATE = 0x800,
  WINDOW_FULL = 0x1000,
  REUSED_PORTS = 0x2000,
  SPURIOUS_RETRANSMISSION = 0x4000,
}

const FIN: u32 = 0x01, SYN: u32 = 0x02, RST: u32 = 0x04, PSH: u32 = 0x08, ACK: u32 = 0x10;

// Per direction, at word + dir.  Sequence numbers are raw; 0 means "none
// yet", as in Wireshark.  A time is nanoseconds in two pairs of words: the
// low halves at time + dir, the high halves at time + 2 + dir.
const W_NEXTSEQ = conversationWords(2);
const W_NEXTSEQ_TIME = conversationWords(4);
const W_NEXTSEQ_FRAME = conversationWords(2);
const W_MAX_TO_BE_ACKED = conversationWords(2);
const W_LASTACK = conversationWords(2);
const W_LASTACK_TIME = conversationWords(4);
const W_LAST_NON_DUP_ACK = conversationWords(2);
const W_DUP_ACKS = conversationWords(2); // i32: -1 after an ACKed unseen segment
// The raw window complemented, so that a fresh conversation (all zero) holds Wireshark's initial G_MAXUINT32.
const W_WINDOW_NOT = conversationWords(2);
// The last segment's analysis flags, and FIRST_ACK for Wireshark's is_first_ack.
const W_LAST_FLAGS = conversationWords(2);
const FIRST_ACK: u32 = 0x8000_0000;
// The conversation's most recent SYN and its first round-trip time (handshake), as [low, high]; 0: none.
const W_SYN_TIME = conversationWords(2);
const W_FIRST_RTT = conversationWords(2);
// Bytes in flight are not reported after a segment was missed, until the other side acknowledges something.
const W_NO_BYTES_IN_FLIGHT = conversationWords(2);
// Bytes sent since the last PSH flag, and whether the direction's last segment with data had PSH.
const W_PUSH_BYTES = conversationWords(2);
const W_PUSH_LAST = conversationWords(2);
// The bytes the direction's last segment reported received out of order (its SACK blocks).
const W_SACKED = conversationWords(2);

/** Out-of-order threshold while no handshake gave a round-trip time. */
const DEFAULT_OOO_NS: i64 = 3_000_000;
const FAST_RETRANSMISSION_NS: i64 = 20_000_000;

let dupAckNumber: u32 = 0;
let dupAckFrame: u32 = 0;

// The current segment's results beside its flags: Wireshark's per-frame tcp_acked.
let analysed = false; // Wireshark made a tcp_acked for the segment: the fields' subtree is shown
let retransmissionTimeout: i64 = 0;
let retransmissionFrom: u32 = 0;
let bytesInFlight: u32 = 0;
let pushBytesSent: u32 = 0;

/** Whether a field that needs the list of unacknowledged segments is wanted. */
function segmentsWanted(): bool {
  return unchecked(wanted[F_ANALYSIS]) || unchecked(wanted[F_ACKS_FRAME]) || unchecked(wanted[F_ACK_RTT])
    || unchecked(wanted[F_BYTES_IN_FLIGHT]) || unchecked(wanted[F_PUSH_BYTES_SENT]) || unchecked(wanted[F_RTO])
    || unchecked(wanted[F_RTO_FRAME]) || unchecked(wanted[F_INITIAL_RTT]);
}

@inline function gt(a: u32, b: u32): bool { return <i32>(a - b) > 0; }
@inline function lt(a: u32, b: u32): bool { return <i32>(a - b) < 0; }
@inline function le(a: u32, b: u32): bool { return <i32>(a - b) <= 0; }

function getTime(slot: i32, time: u32, dir: u32): i64 {
  return <i64>(<u64>convGet(slot, time + dir) | (<u64>convGet(slot, time + 2 + dir) << 32));
}
function setTime(slot: i32, time: u32, dir: u32, t: i64): void {
  convSet(slot, time + dir, <u32>t);
  convSet(slot, time + 2 + dir, <u32>(<u64>t >> 32));
}

/**
 * A SYN on a conversation that already has a base sequence number: another
 * ISN starts a new conversation (the caller has cleared it) and is "ports
 * reused"; the same ISN is a retransmitted SYN, and the direction's next
 * sequence number goes back to what was acknowledgeable (RFC 793 3.4's RST).
 */
export function restartOnSameSyn(slot: i32, dir: u32): void {
  convSet(slot, W_NEXTSEQ + dir, convGet(slot, W_MAX_TO_BE_ACKED + dir));
}

/**
 * Analyses a segment with a whole header: `window` is the raw 16-bit field,
 * `rwinScale` the other direction's shift (-1 unknown, -2 none), `base` the
 * direction's base sequence number.  Returns the Analysis flags; `reused`
 * adds REUSED_PORTS from the caller's base bookkeeping.
 */
export function analyseSegment(slot: i32, dir: u32, seq: u32, ack: u32, seglen: u32, flags: u32, window: u32,
  rwinScale: i32, reused: bool, base: u32): u32 {
  const rev = dir ^ 1;
  const now = frameTime();
  const listed = segmentsWanted();
  let ta: u32 = reused ? Analysis.REUSED_PORTS : 0;
  analysed = false;
  retransmissionTimeout = 0;
  bytesInFlight = 0;
  if (flags & ACK) convSet(slot, W_NO_BYTES_IN_FLIGHT + rev, 0);
  const nextseq = convGet(slot, W_NEXTSEQ + dir);
  const fwdWindow = ~convGet(slot, W_WINDOW_NOT + dir);
  const fwdLastack = convGet(slot, W_LASTACK + dir);
  const revWindow = ~convGet(slot, W_WINDOW_NOT + rev);
  const revLastack = convGet(slot, W_LASTACK + rev);
  const revLastFlags = convGet(slot, W_LAST_FLAGS + rev);
  const noControl = (flags & (SYN | FIN | RST)) == 0;
  dupAckNumber = 0;

  // Each test below is one of Wireshark's, in its order; "done" is its goto finished_fwd.
  let done = false;
  if (seglen == 1 && seq == nextseq && revWindow == 0) {
    ta |= Analysis.ZERO_WINDOW_PROBE;
    done = true;
  }
  if (!done) {
    if (window == 0 && noControl) ta |= Analysis.ZERO_WINDOW;
    if (nextseq != 0 && gt(seq, nextseq) && (flags & RST) == 0) {
      ta |= Analysis.LOST_PACKET;
      convSet(slot, W_NO_BYTES_IN_FLIGHT + dir, 1);
    }
    if (seglen <= 1 && seq == nextseq - 1 && noControl) ta |= Analysis.KEEP_ALIVE;
    const sameAck = seglen == 0 && seq == nextseq && ack == fwdLastack && noControl;
    if (sameAck && window != 0 && window != fwdWindow) ta |= Analysis.WINDOW_UPDATE;
    if (seglen > 0 && rwinScale != -1 && noControl) {
      const firstAck = (revLastFlags & FIRST_ACK) != 0;
      const shift: u32 = firstAck || rwinScale == -2 ? 0 : <u32>rwinScale;
      if (seq + seglen == revLastack + (revWindow << shift)) ta |= Analysis.WINDOW_FULL;
    }
    if (sameAck && window != 0 && window == fwdWindow && (revLastFlags & Analysis.KEEP_ALIVE) != 0) {
      ta |= Analysis.KEEP_ALIVE_ACK;
      done = true;
    } else if (sameAck && window == 0 && window == fwdWindow && (revLastFlags & Analysis.ZERO_WINDOW_PROBE) != 0) {
      ta |= Analysis.ZERO_WINDOW_PROBE_ACK;
      done = true;
    } else if (sameAck && window != 0 && window == fwdWindow) {
      const dups = <i32>convGet(slot, W_DUP_ACKS + dir);
      const n = dups == -1 ? 1 : dups + 1;
      convSet(slot, W_DUP_ACKS + dir, <u32>n);
      ta |= Analysis.DUPLICATE_ACK;
      dupAckNumber = <u32>n;
      dupAckFrame = convGet(slot, W_LAST_NON_DUP_ACK + dir);
    }
  }

  if (ack != fwdLastack) {
    convSet(slot, W_LAST_NON_DUP_ACK + dir, frameNumber());
    convSet(slot, W_DUP_ACKS + dir, 0);
  }

  const revMax = convGet(slot, W_MAX_TO_BE_ACKED + rev);
  if (revMax != 0 && gt(ack, revMax) && (flags & ACK) != 0) {
    const revNext = convGet(slot, W_NEXTSEQ + rev);
    if (lt(revMax, revNext)) {
      convSet(slot, W_MAX_TO_BE_ACKED + rev, revNext);
      ta |= Analysis.ACK_LOST_PACKET;
    } else {
      // The other side stalls with pure ACKs: one report for the same lost segment.
      if (convGet(slot, W_DUP_ACKS + rev) == 0) ta |= Analysis.ACK_LOST_PACKET;
      convSet(slot, W_DUP_ACKS + rev, <u32>-1);
    }
  }

  if ((seglen > 0 || (flags & (SYN | FIN)) != 0) && (ta & Analysis.KEEP_ALIVE) == 0) {
    ta |= retransmissionKind(slot, dir, seq, seglen, flags, nextseq, revLastack, now);
    if (ta & Analysis.RETRANSMISSION) timeRetransmission(slot, dir, now, listed);
  }

  let next = seq + seglen;
  if (flags & (SYN | FIN)) next += 1;
  if (listed && (seglen > 0 || (flags & (SYN | FIN)) != 0)) listSegment(slot, dir, frameNumber(), seq, next, now);
  const probe = (ta & Analysis.ZERO_WINDOW_PROBE) != 0;
  if ((gt(next, nextseq) || nextseq == 0) && !probe) {
    convSet(slot, W_NEXTSEQ + dir, next);
    convSet(slot, W_NEXTSEQ_FRAME + dir, frameNumber());
    setTime(slot, W_NEXTSEQ_TIME, dir, now);
  }
  const max = convGet(slot, W_MAX_TO_BE_ACKED + dir);
  if ((seq == max || max == 0) && !probe) convSet(slot, W_MAX_TO_BE_ACKED + dir, convGet(slot, W_NEXTSEQ + dir));

  convSet(slot, W_WINDOW_NOT + dir, ~window);
  convSet(slot, W_LASTACK + dir, ack);
  setTime(slot, W_LASTACK_TIME, dir, now);
  convSet(slot, W_LAST_FLAGS + dir, (convGet(slot, W_LAST_FLAGS + dir) & FIRST_ACK) | ta);
  if (listed) {
    acknowledge(slot, rev, ack, now);
    if (ackedFrame != 0) analysed = true;
    if (seglen != 0 && hasSegments(slot, dir) && convGet(slot, W_NO_BYTES_IN_FLIGHT + dir) == 0) {
      countBytesInFlight(slot, dir, base, seglen, flags);
    }
  }
  if (ta != 0) analysed = true;
  return ta;
}

/**
 * A retransmission's timeout: from the oldest segment still unacknowledged,
 * or without that list from the segment that last advanced the sequence.
 */
function timeRetransmission(slot: i32, dir: u32, now: i64, listed: bool): void {
  if (listed && oldestSegment(slot, dir)) {
    retransmissionTimeout = now - oldestTime;
    retransmissionFrom = oldestFrame;
  } else {
    retransmissionTimeout = now - getTime(slot, W_NEXTSEQ_TIME, dir);
    retransmissionFrom = convGet(slot, W_NEXTSEQ_FRAME + dir);
  }
}

/** Wireshark's default (payload-based) bytes in flight, and the bytes sent since the last PSH. */
function countBytesInFlight(slot: i32, dir: u32, base: u32, seglen: u32, flags: u32): void {
  analysed = true;
  // Data the other side reports received out of order is not in flight.
  const span = listedSpan(slot, dir, base) - convGet(slot, W_SACKED + (dir ^ 1));
  // A SYN's or FIN's sequence number is not a byte in flight.
  if (span > 0 && span < 2_000_000_000) bytesInFlight = flags & (SYN | FIN) ? span - 1 : span;
  const push = (flags & PSH) != 0;
  const lastHadPush = convGet(slot, W_PUSH_LAST + dir) != 0;
  const sent = push || lastHadPush ? seglen : convGet(slot, W_PUSH_BYTES + dir) + seglen;
  // A PSH after data without one still counts that data.
  pushBytesSent = push && !lastHadPush ? convGet(slot, W_PUSH_BYTES + dir) + seglen : sent;
  convSet(slot, W_PUSH_BYTES + dir, pushBytesSent);
  convSet(slot, W_PUSH_LAST + dir, push ? 1 : 0);
}

/** Retransmission, fast retransmission, spurious retransmission or out-of-order, for a segment that carries sequence space. */
function retransmissionKind(slot: i32, dir: u32, seq: u32, seglen: u32, flags: u32, nextseq: u32, revLastack: u32, now: i64): u32 {
  let notAdvanced = nextseq != 0 && lt(seq, nextseq);
  // One byte before the next expected one, with new data behind it (after a zero window probe).
  if (seglen > 1 && nextseq - 1 == seq) notAdvanced = false;
  if (seglen > 0 && revLastack != 0 && le(seq + seglen, revLastack)) return Analysis.SPURIOUS_RETRANSMISSION;
  const rev = dir ^ 1;
  // Wireshark compares these times as unsigned 64-bit: one before the reference is never "close".
  const sinceDupAck = now - getTime(slot, W_LASTACK_TIME, rev);
  if (notAdvanced && <i32>convGet(slot, W_DUP_ACKS + rev) >= 2 && revLastack == seq && <u64>sinceDupAck < <u64>FAST_RETRANSMISSION_NS) {
    return Analysis.FAST_RETRANSMISSION;
  }
  const sinceNext = now - getTime(slot, W_NEXTSEQ_TIME, dir);
  const rtt = convGet64(slot, W_FIRST_RTT);
  const threshold = rtt != 0 ? rtt : DEFAULT_OOO_NS;
  const extra: u32 = flags & (SYN | FIN) ? 1 : 0;
  if (notAdvanced && <u64>sinceNext < <u64>threshold && nextseq != seq + seglen + extra) return Analysis.OUT_OF_ORDER;
  return notAdvanced ? Analysis.RETRANSMISSION : 0;
}

/**
 * After the analysis, as Wireshark's flag handling does: a SYN records its
 * time and makes its direction's next pure ACK the first; the first pure
 * ACK after a SYN gives the handshake's round-trip time.
 */
export function noteHandshake(slot: i32, dir: u32, flags: u32): void {
  const now = frameTime();
  if (flags & SYN) {
    if (!(flags & ACK)) convSet64(slot, W_SYN_TIME, now);
    convSet(slot, W_LAST_FLAGS + dir, convGet(slot, W_LAST_FLAGS + dir) | FIRST_ACK);
  }
  if ((flags & (SYN | ACK)) != ACK) return;
  const syn = convGet64(slot, W_SYN_TIME);
  if (syn != 0 && convGet64(slot, W_FIRST_RTT) == 0) {
    convSet64(slot, W_FIRST_RTT, now - syn);
    if (learningAhead()) leaveNote(conversationSerial(slot), NoteTag.TCP_INITIAL_RTT, <u64>(now - syn));
  }
  convSet(slot, W_LAST_FLAGS + dir, convGet(slot, W_LAST_FLAGS + dir) & ~FIRST_ACK);
}

function prepend(s: string): void {
  const p = infoPrependFencedBegin();
  puts(s);
  infoPrependFencedEnd(p);
}

/** The analysis texts in front of the info column, each put in front of the last, in Wireshark's order. */
export function prependAnalysis(ta: u32): void {
  if (ta == 0) return;
  if (ta & Analysis.REUSED_PORTS) prepend('[TCP Port numbers reused] ');
  if (ta & Analysis.RETRANSMISSION) prepend('[TCP Retransmission] ');
  if (ta & Analysis.FAST_RETRANSMISSION) prepend('[TCP Fast Retransmission] ');
  if (ta & Analysis.SPURIOUS_RETRANSMISSION) prepend('[TCP Spurious Retransmission] ');
  if (ta & Analysis.OUT_OF_ORDER) prepend('[TCP Out-Of-Order] ');
  if (ta & Analysis.LOST_PACKET) prepend('[TCP Previous segment not captured] ');
  if (ta & Analysis.ACK_LOST_PACKET) prepend('[TCP ACKed unseen segment] ');
  if (ta & Analysis.WINDOW_UPDATE) prepend('[TCP Window Update] ');
  if (ta & Analysis.WINDOW_FULL) prepend('[TCP Window Full] ');
  if (ta & Analysis.KEEP_ALIVE) prepend('[TCP Keep-Alive] ');
  if (ta & Analysis.KEEP_ALIVE_ACK) prepend('[TCP Keep-Alive ACK] ');
  if ((ta & Analysis.DUPLICATE_ACK) && dupAckNumber != 0) {
    const p = infoPrependFencedBegin();
    puts('[TCP Dup ACK '); putDec(dupAckFrame); puts('#'); putDec(dupAckNumber); puts('] ');
    infoPrependFencedEnd(p);
  }
  if (ta & Analysis.ZERO_WINDOW_PROBE) prepend('[TCP ZeroWindowProbe] ');
  if (ta & Analysis.ZERO_WINDOW) prepend('[TCP ZeroWindow] ');
  if (ta & Analysis.ZERO_WINDOW_PROBE_ACK) prepend('[TCP ZeroWindowProbeAck] ');
}

/** Records the bytes a segment's SACK blocks cover (0 without any), as its direction's latest report. */
export function noteSacked(slot: i32, dir: u32, bytes: u32): void { convSet(slot, W_SACKED + dir, bytes); }

/** The analysis subtree tshark shows, empty, for a segment an ICMP error quotes. */
export function addEmptyAnalysis(): void { addNum(F_ANALYSIS, 0); }

/** The tcp.analysis subtree of a segment that has one, in Wireshark's order; `ta` is analyseSegment's result. */
export function addAnalysisFields(slot: i32, ta: u32): void {
  if (!analysed) return;
  addNum(F_ANALYSIS, 0);
  if (ackedFrame != 0) {
    addNum(F_ACKS_FRAME, ackedFrame);
    if (ackedAfter != 0) addNum(F_ACK_RTT, <u64>ackedAfter);
  }
  // The second pass of -2 shows the round-trip time the first found from the conversation's start.
  const found = <i64>readNote(conversationSerial(slot), NoteTag.TCP_INITIAL_RTT);
  const firstRtt = found != 0 ? found : convGet64(slot, W_FIRST_RTT);
  if (firstRtt != 0) addNum(F_INITIAL_RTT, <u64>firstRtt);
  if (bytesInFlight != 0) {
    addNum(F_BYTES_IN_FLIGHT, bytesInFlight);
    addNum(F_PUSH_BYTES_SENT, pushBytesSent);
  }
  if (ta == 0) return;
  addNum(F_FLAGS, 0);
  // Each expert item is a field of its own: a fast or spurious retransmission is also a retransmission.
  if (ta & Analysis.REUSED_PORTS) addNum(F_REUSED_PORTS, 0);
  if (ta & Analysis.RETRANSMISSION) {
    addNum(F_RETRANSMISSION, 0);
    if (retransmissionTimeout != 0) {
      addNum(F_RTO, <u64>retransmissionTimeout);
      addNum(F_RTO_FRAME, retransmissionFrom);
    }
  }
  if (ta & Analysis.FAST_RETRANSMISSION) { addNum(F_FAST_RETRANSMISSION, 0); addNum(F_RETRANSMISSION, 0); }
  if (ta & Analysis.SPURIOUS_RETRANSMISSION) { addNum(F_SPURIOUS_RETRANSMISSION, 0); addNum(F_RETRANSMISSION, 0); }
  if (ta & Analysis.OUT_OF_ORDER) addNum(F_OUT_OF_ORDER, 0);
  if (ta & Analysis.LOST_PACKET) addNum(F_LOST_SEGMENT, 0);
  if (ta & Analysis.ACK_LOST_PACKET) addNum(F_ACK_LOST_SEGMENT, 0);
  if (ta & Analysis.WINDOW_UPDATE) addNum(F_WINDOW_UPDATE, 0);
  if (ta & Analysis.WINDOW_FULL) addNum(F_WINDOW_FULL, 0);
  if (ta & Analysis.KEEP_ALIVE) addNum(F_KEEP_ALIVE, 0);
  if (ta & Analysis.KEEP_ALIVE_ACK) addNum(F_KEEP_ALIVE_ACK, 0);
  if ((ta & Analysis.DUPLICATE_ACK) && dupAckNumber != 0) {
    // The item, then the number and frame, the last carrying the expert item of the same name.
    addNum(F_DUPLICATE_ACK, 0);
    addNum(F_DUPLICATE_ACK_NUM, dupAckNumber);
    addNum(F_DUPLICATE_ACK_FRAME, dupAckFrame);
    addNum(F_DUPLICATE_ACK, 0);
  }
  if (ta & Analysis.ZERO_WINDOW_PROBE) addNum(F_ZERO_WINDOW_PROBE, 0);
  if (ta & Analysis.ZERO_WINDOW) addNum(F_ZERO_WINDOW, 0);
  if (ta & Analysis.ZERO_WINDOW_PROBE_ACK) addNum(F_ZERO_WINDOW_PROBE_ACK, 0);
}
