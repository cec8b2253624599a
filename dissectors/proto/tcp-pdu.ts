// Where the messages of a TCP stream begin, for protocols that carry their
// own message lengths (DNS over TCP), tracked as Wireshark does when it does
// not reassemble: a message that runs past the end of its segment leaves,
// per direction, the sequence number where the next one starts.  A later
// segment that lies wholly inside that message is a continuation and is not
// dissected ("[Continuation to #N]"); one that reaches past it is dissected
// from the boundary on.  Only the last such message of each direction is
// kept (Wireshark keeps them all, which matters only for segments that
// arrive out of order).
import { conversationWord, convGet, convSet } from '../conversation';
import { frameNumber, addNum } from '../packet';
import { uint, fieldsBelongTo } from '../fields';
import { PROTO_TCP } from './tcp-proto';

fieldsBelongTo(PROTO_TCP);
const F_PDU_SIZE = uint('tcp.pdu.size', 'PDU Size');

/** A message of `length` bytes begins (tshark's tcp_dissect_pdus shows each one's size under TCP). */
export function addPduSize(length: u32): void { addNum(F_PDU_SIZE, length); }

// Per direction: the segment the message began in, where the next message
// starts (both raw sequence numbers), and that segment's frame (0: none).
const W_SEGMENT_SEQ = conversationWord();
const W_SEGMENT_SEQ_REV = conversationWord();
const W_NEXT_PDU = conversationWord();
const W_NEXT_PDU_REV = conversationWord();
const W_FIRST_FRAME = conversationWord();
const W_FIRST_FRAME_REV = conversationWord();

let slot: i32 = -1;
let dir: u32 = 0;
let segmentSeq: u32 = 0;
let segmentEnd: u32 = 0;

@inline function after(a: u32, b: u32): bool { return <i32>(a - b) > 0; }

/** Where a scanned segment's payload goes. */
export const enum PduScan { DISSECT = 0, CONTINUATION = 1 }
/** After scan(): the frame of the message this segment continues (0: none). */
export let continuationOf: u32 = 0;
/** After scan(): payload bytes that belong to the previous message and are not dissected. */
export let skipBytes: u32 = 0;

/**
 * Looks up the current segment (raw seq, payload length) in its stream's
 * direction; slot -1 (no conversation, or a segment tshark does not analyse)
 * tracks nothing.
 */
export function scanSegment(conversation: i32, direction: u32, seq: u32, len: u32): PduScan {
  slot = conversation;
  dir = direction;
  segmentSeq = seq;
  segmentEnd = seq + len;
  continuationOf = 0;
  skipBytes = 0;
  if (slot < 0) return PduScan.DISSECT;
  const first = convGet(slot, W_FIRST_FRAME + dir);
  if (first == 0) return PduScan.DISSECT;
  const pduSeq = convGet(slot, W_SEGMENT_SEQ + dir);
  const next = convGet(slot, W_NEXT_PDU + dir);
  if (!after(seq, pduSeq)) return PduScan.DISSECT;
  if (after(next, seq)) continuationOf = first;
  if (!after(segmentEnd, next)) return PduScan.CONTINUATION;
  if (after(next, seq)) skipBytes = next - seq;
  return PduScan.DISSECT;
}

/** The message being dissected runs `bytes` past the end of the current segment. */
export function messageContinues(bytes: u32): void {
  if (slot < 0) return;
  convSet(slot, W_SEGMENT_SEQ + dir, segmentSeq);
  convSet(slot, W_NEXT_PDU + dir, segmentEnd + bytes);
  convSet(slot, W_FIRST_FRAME + dir, frameNumber());
}

// What scanSegment() last set, for a dissector that hands a segment carried
// inside the current one (an OpenFlow PACKET_IN's frame) back to TCP: it
// saves these first and puts them back after, so that a later message of
// the outer segment still tracks the outer stream.
export function scanSlot(): i32 { return slot; }
export function scanDirection(): u32 { return dir; }
export function scanSegmentSeq(): u32 { return segmentSeq; }
export function scanSegmentEnd(): u32 { return segmentEnd; }

export function restoreScan(savedSlot: i32, savedDir: u32, savedSeq: u32, savedEnd: u32): void {
  slot = savedSlot;
  dir = savedDir;
  segmentSeq = savedSeq;
  segmentEnd = savedEnd;
}
