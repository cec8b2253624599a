// ASN.1 BER read the way tshark's BER code reads it, bounded as its tvbs are
// (shared by krb5.ts and snmp.ts).
//
// A message is read in [start, ..): `captured` bytes of it are there,
// `onWire` were in the packet, `reported` are claimed.  A read past the
// captured bytes fails as CUT ("[Packet size limited during capture]"), one
// past the packet or past a sub-tvb the walker narrowed to fails as FAILED
// (malformed).  Lengths that run past the reported end are clamped there,
// as tshark clamps the sub-tvbs it makes for an element.
export const enum Read { OK = 0, CUT = 1, FAILED = 2, END = 3 }

export const CLASS_UNIVERSAL: u32 = 0;
export const CLASS_APPLICATION: u32 = 1;
export const CLASS_CONTEXT: u32 = 2;
export const CLASS_PRIVATE: u32 = 3;
export const TAG_INTEGER: u32 = 2;
export const TAG_OCTET_STRING: u32 = 4;
export const TAG_NULL: u32 = 5;
export const TAG_OID: u32 = 6;
export const TAG_SEQUENCE: u32 = 16;
export const FAIL: u64 = 0; // packet bytes never sit at address 0

export let captureEnd: u64 = 0; // the bytes captured end here
export let wireEnd: u64 = 0; // a read past here fails (past the message, a sub-tvb, or a TCP segment)
export let reportedEnd: u64 = 0; // lengths are clamped here: the message's (or sub-tvb's) reported end
export let failure = Read.OK;
export let messageStart: u64 = 0;

/**
 * How closely a walker follows tshark (krb5.ts does without both):
 * MEASURE_INDEFINITE measures an indefinite length as get_ber_length does,
 * walking the elements up to the end-of-contents (else it runs to the end of
 * its tvb); CHECK_START fails a range read (tvb_ensure_bytes_exist,
 * tvb_get_ptr) whose first byte lies past the captured bytes as "size
 * limited" whenever that byte is inside its tvb, as tshark's offset check
 * does before it looks at the read's end (single bytes, read by a fast path,
 * are checked by their end alone: reach()).
 */
export const enum Ber { MEASURE_INDEFINITE = 1, CHECK_START = 2 }
let measureIndefinite = false;
let checkStart = false;
/** How deep tshark's BER code nests before it calls the packet malformed. */
export const MAX_NESTING: u32 = 500;

/** Starts reading a message at `start`. */
export function berBegin(start: u64, captured: u64, onWire: u64, reported: u64, options: u32 = 0): void {
  measureIndefinite = (options & Ber.MEASURE_INDEFINITE) != 0;
  checkStart = (options & Ber.CHECK_START) != 0;
  messageStart = start;
  captureEnd = start + captured;
  wireEnd = start + onWire;
  reportedEnd = start + reported;
  failure = Read.OK;
}

/** A read tshark ends with ReportedBoundsError whatever the bytes (nesting too deep): FAIL. */
export function failReportedBounds(): u64 {
  failure = Read.FAILED;
  return FAIL;
}

export function reach(to: u64): bool {
  if (to <= captureEnd && to <= wireEnd) return true;
  failure = to > wireEnd ? Read.FAILED : Read.CUT;
  return false;
}

/** Whether the bytes [from, to) can be read at once (tvb_ensure_bytes_exist, tvb_get_ptr). */
export function reachRange(from: u64, to: u64): bool {
  if (checkStart && from > captureEnd && from <= wireEnd && !(to <= captureEnd && to <= wireEnd)) {
    failure = Read.CUT;
    return false;
  }
  return reach(to);
}

/** Whether the bytes [from, to) can be read one at a time (tvb_get_guint8, which checks only a read's end): the first missing one decides. */
export function reachBytes(from: u64, to: u64): bool {
  if (to <= captureEnd && to <= wireEnd) return true;
  if (!checkStart) return reach(to);
  const have = captureEnd < wireEnd ? captureEnd : wireEnd;
  const b = from > have ? from : have;
  return reach(b + 1);
}

/** Narrows the reported end to `end` (an element's sub-tvb); gives the old one, for restore() with the old wireEnd. */
export function narrow(end: u64): u64 {
  const saved = reportedEnd;
  if (end < reportedEnd) reportedEnd = end;
  return saved;
}

/** Makes reads past the reported end fail (a sub-tvb ends there). */
export function clampWire(): void {
  if (wireEnd > reportedEnd) wireEnd = reportedEnd;
}

export function restore(savedReported: u64, savedWire: u64): void {
  reportedEnd = savedReported;
  wireEnd = savedWire;
}

// The last header read.
export let hClass: u32 = 0;
export let hConstructed = false;
export let hTag: u32 = 0;
export let hContent: u64 = 0;
export let hLength: u64 = 0;
export let hIndefinite = false;
let hNext: u64 = 0; // where the identifier read last ends

/** Reads an identifier at p (tshark's get_ber_identifier). */
export function readIdentifier(p: u64): bool {
  if (!reach(p + 1)) return false;
  let b = <u32>load<u8>(<u32>p);
  let q = p + 1;
  hClass = b >> 6;
  hConstructed = (b & 0x20) != 0;
  let tag = b & 0x1f;
  if (tag == 0x1f) {
    tag = 0;
    do {
      if (!reach(q + 1)) return false;
      b = <u32>load<u8>(<u32>q);
      q++;
      tag = (tag << 7) | (b & 0x7f);
    } while ((b & 0x80) != 0);
  }
  hTag = tag;
  hNext = q;
  return true;
}

/** Reads the length after the identifier just read (tshark's get_ber_length). */
export function readLength(): bool {
  const q = lengthAt(hNext, 0);
  if (q == FAIL) return false;
  hIndefinite = lengthIndefinite;
  hContent = q;
  hLength = lengthRead;
  return true;
}

let lengthRead: u32 = 0;
let lengthIndefinite = false;

/**
 * The length at q (into lengthRead, lengthIndefinite); where it ends, or FAIL.
 * A measured indefinite length covers the elements up to and with the
 * end-of-contents, each read as tshark does (nested ones measured in turn).
 */
function lengthAt(q: u64, nesting: u32): u64 {
  if (nesting > MAX_NESTING) return failReportedBounds();
  if (!reach(q + 1)) return FAIL;
  let length = <u32>load<u8>(<u32>q);
  q++;
  let indefinite = false;
  if ((length & 0x80) != 0) {
    const n = length & 0x7f;
    length = 0;
    for (let i: u32 = 0; i < n; i++) {
      if (!reach(q + 1)) return FAIL;
      length = (length << 8) | <u32>load<u8>(<u32>q);
      q++;
    }
    if (n == 0) {
      indefinite = true;
      if (measureIndefinite) {
        // The header being read is put back after its elements' are.
        const cls = hClass, constructed = hConstructed, tag = hTag;
        let r = q;
        for (;;) {
          if (!reach(r + 1)) return FAIL;
          if (load<u8>(<u32>r) == 0) {
            if (!reach(r + 2)) return FAIL;
            if (load<u8>(<u32>r + 1) == 0) break;
          }
          const start = r;
          if (!readIdentifier(r)) return FAIL;
          const content = lengthAt(hNext, nesting + 1);
          if (content == FAIL) return FAIL;
          length += lengthRead + <u32>(content - start);
          r = content + <u64>lengthRead;
          if (!reasonable(start, r)) return FAIL;
        }
        length += 2;
        hClass = cls; hConstructed = constructed; hTag = tag;
      }
    }
  }
  lengthRead = length;
  lengthIndefinite = indefinite;
  return q;
}

export function readHeader(p: u64): bool {
  return readIdentifier(p) && readLength();
}

/** Where the content of the value whose header was just read ends: before its end-of-contents when indefinite (the end of its tvb when not measured). */
export function valueEnd(): u64 {
  if (!hIndefinite) return hContent + hLength;
  return measureIndefinite ? hContent + hLength - 2 : reportedEnd;
}

/** A SEQUENCE's header as tshark takes it: a constructed universal SEQUENCE, or any APPLICATION or PRIVATE tag. */
export function isSequenceHeader(): bool {
  if (hClass == CLASS_APPLICATION || hClass == CLASS_PRIVATE) return true;
  return hClass == CLASS_UNIVERSAL && hTag == TAG_SEQUENCE && hConstructed;
}

/** tshark looks for an end-of-contents pair before each element: FAILED/CUT when the bytes are not there, OK when there is none, else END. */
export function endOfContents(q: u64): Read {
  if (!reach(q + 1)) return failure;
  if (load<u8>(<u32>q) != 0) return Read.OK;
  if (!reach(q + 2)) return failure;
  return load<u8>(<u32>q + 1) == 0 ? Read.END : Read.OK;
}

/** tshark throws when an element's end, as an int offset, does not lie past its start. */
export function reasonable(start: u64, next: u64): bool {
  if (next - messageStart < 0x80000000 && next > start) return true;
  failure = Read.FAILED;
  return false;
}

/** A run of elements that overran its container's end: tshark checks the two bytes before where it stopped. */
export function checkEnd(q: u64, end: u64): bool {
  if (failure != Read.OK) return false;
  return q == end || reachRange(q - 2, q);
}
