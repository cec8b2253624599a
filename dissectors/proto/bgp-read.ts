// BGP's reads of a message's body, shared by the files that walk it: each
// read is checked against the message's length and the captured bytes, and
// `status` says how the last refused one fails (tshark catches a read past
// the message; a read past the snap length it does not).  The BGP protocol
// is declared here, the first of its files to be read, so that the fields
// of all of them belong to it.
import { protocol } from '../fields';
import { addNum, bytesCutAfter } from '../packet';
import { be16 } from '../cursor';

export const PROTO_BGP = protocol('bgp', 'Border Gateway Protocol');

/** Where a body read stands: fine, failed inside the message (tshark catches it), or cut by the snap length (it does not). */
export const enum Read { OK = 0, FAILED = 1, CUT = 2 }

// The segment's captured end and the message being read.
let end: u32 = 0;
let messageEnd: u32 = 0;

/** How the last read that `reads` refused fails. */
let status: Read = Read.OK;

/** A message [.., messageEnd) of the segment whose captured bytes end at segmentEnd is read next. */
export function beginMessage(segmentEnd: u32, messageEndAt: u32): void {
  end = segmentEnd;
  messageEnd = messageEndAt;
  status = Read.OK;
}

export function currentMessageEnd(): u32 { return messageEnd; }

/** How the last read went: OK, or how it fails. */
export function readStatus(): Read { return status; }

/** Whether the message's bytes up to `to` can be read; when not, `status` says how the read fails. */
export function reads(to: u32): bool {
  if (to <= messageEnd && to <= end) { status = Read.OK; return true; }
  // Past the captured bytes of a frame the snap length cut, but within the message: tshark's uncaught "size limited".
  status = to <= messageEnd && bytesCutAfter(end) > 0 ? Read.CUT : Read.FAILED;
  return false;
}

/** A one-byte field at p, when it can be read. */
export function byteField(field: u32, p: u32): bool {
  if (!reads(p + 1)) return false;
  addNum(field, load<u8>(p));
  return true;
}

/** A two-byte field at p, when it can be read. */
export function shortField(field: u32, p: u32): bool {
  if (!reads(p + 2)) return false;
  addNum(field, be16(p));
  return true;
}
