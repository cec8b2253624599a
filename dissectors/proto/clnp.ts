// CLNP (ISO 8473), NLPID 0x81: the fixed part, the addresses (shown in the
// address columns as Wireshark writes NSAPs), the segmentation part and the
// options' reads; "DT NPDU S E " in the info column.  The data goes to no
// transport: tshark hands NSAP selector 0x21 to COTP and CLTP, and IDRP its
// own, which xcap does not take apart; an error report's discarded PDU is
// taken apart as CLNP again.  Segments are reassembled as tshark does.
import { protocol, uint, flag, bytes, Base } from '../fields';
import { beginItemLayer, addCalled, addNum, addBytes, setProtocolColumn, setSourceAddress, setDestinationAddress, reportedLength, AddrKind, inErrorPacket, setInErrorPacket,
  srcKind, srcPtr, dstKind, dstPtr, errors, setErrors } from '../packet';
import { lacks, has } from '../cursor';
import { infoSet, infoDone, infoFreeze, infoUnfreeze } from '../columns';
import { puts, putHex, putDec } from '../text';
import { dissectData } from './frame';
import { walkOsiOptions, fletcherValid } from './osi-utils';
import { addSegment, completedLength } from './clnp-segments';

const PROTO_CLNP = protocol('clnp', 'ISO 8473/X.233 CLNP ConnectionLess Network Protocol');
const F_NLPI = uint('clnp.nlpi', 'Network Layer Protocol Identifier', 8, Base.HEX);
const F_HEADER_LENGTH = uint('clnp.len', 'HDR Length', 8);
const F_VERSION = uint('clnp.version', 'Version', 8);
const F_TTL = uint('clnp.ttl', 'Holding Time', 8);
const F_TYPE = uint('clnp.type', 'PDU Type', 8);
const F_SEGMENTATION = flag('clnp.cnf.segmentation', 'Segmentation permitted');
const F_MORE_SEGMENTS = flag('clnp.cnf.more_segments', 'More segments');
const F_REPORT_ERROR = flag('clnp.cnf.report_error', 'Report error if PDU discarded');
const F_CNF_TYPE = uint('clnp.cnf.type', 'Type', 8);
const F_PDU_LENGTH = uint('clnp.pdu.len', 'PDU length', 16);
const F_CHECKSUM = uint('clnp.checksum', 'Checksum', 16);
const F_DST_LENGTH = uint('clnp.dsap.len', 'DAL', 8);
const F_DST = bytes('clnp.dsap', 'DA');
const F_SRC_LENGTH = uint('clnp.ssap.len', 'SAL', 8);
const F_SRC = bytes('clnp.ssap', 'SA');
const F_DATA_UNIT_ID = uint('clnp.data_unit_identifier', 'Data unit identifier', 16);
const F_SEGMENT_OFFSET = uint('clnp.segment_offset', 'Segment offset', 16);
const F_TOTAL_LENGTH = uint('clnp.total_length', 'Total length', 16);

const VERSION_1: u32 = 1;
const FIXED_PART_LEN: u32 = 9;
const SEGMENTATION_PART_LEN: u32 = 6;
const TYPE_MASK: u32 = 0x1f;
const SEGMENTATION_PERMITTED: u32 = 0x80;
const MORE_SEGMENTS: u32 = 0x40;
const REPORT_ERROR: u32 = 0x20;
const ER_NPDU: u32 = 0x01;

export function dissectClnp(start: u32, end: u32): void {
  addCalled(PROTO_CLNP); // listed from the call on; its layer opens once the version is known
  setProtocolColumn('CLNP');
  infoSet(); infoDone();
  // Wireshark reads the version before anything else and leaves other versions to data.
  if (lacks(start + 2, end, 1)) return;
  if (load<u8>(start + 2) != VERSION_1) { dissectData(start, end); return; }
  const headerLength = <u32>load<u8>(start + 1);
  beginItemLayer(PROTO_CLNP);
  addNum(F_NLPI, load<u8>(start));
  addNum(F_HEADER_LENGTH, headerLength);
  if (headerLength < FIXED_PART_LEN) return;
  addNum(F_VERSION, VERSION_1);
  if (lacks(start + 3, end, 1)) return;
  addNum(F_TTL, load<u8>(start + 3));
  if (lacks(start + 4, end, 1)) return;
  const type = <u32>load<u8>(start + 4);
  addNum(F_TYPE, type);
  addNum(F_SEGMENTATION, (type & SEGMENTATION_PERMITTED) != 0);
  addNum(F_MORE_SEGMENTS, (type & MORE_SEGMENTS) != 0);
  addNum(F_REPORT_ERROR, (type & REPORT_ERROR) != 0);
  addNum(F_CNF_TYPE, type & TYPE_MASK);
  // A header longer than the packet: tshark names the PDU before the read that fails.
  if (reportedLength(start, end) < headerLength) putTypeInfo(type);
  if (lacks(start + 5, end, 2)) return;
  const segmentLength = <u32>bswap<u16>(load<u16>(start + 5));
  addNum(F_PDU_LENGTH, segmentLength);
  if (segmentLength < headerLength) return;
  if (lacks(start + 7, end, 2)) return;
  const checksum = <u32>bswap<u16>(load<u16>(start + 7));
  addNum(F_CHECKSUM, checksum);

  // What is left of the header, 8 bits wide as in Wireshark.
  let left = (headerLength - FIXED_PART_LEN) & 0xff;
  let p = start + FIXED_PART_LEN;
  if (left < 1) return;
  if (lacks(p, end, 1)) return;
  const dstLength = <u32>load<u8>(p);
  addNum(F_DST_LENGTH, dstLength);
  p++; left--;
  if (left < dstLength) return;
  // The NSAP selector (the address's last byte) is read first.
  if (dstLength > 0 && lacks(p + dstLength - 1, end, 1)) return;
  if (lacks(p, end, dstLength)) return;
  const dstAt = p - 1;
  setDestinationAddress(AddrKind.OSI, dstAt);
  addBytes(F_DST, p, dstLength);
  p += dstLength; left -= dstLength;
  if (left < 1) return;
  if (lacks(p, end, 1)) return;
  const srcLength = <u32>load<u8>(p);
  addNum(F_SRC_LENGTH, srcLength);
  p++; left--;
  if (left < srcLength) return;
  if (lacks(p, end, srcLength)) return;
  const srcAt = p - 1;
  setSourceAddress(AddrKind.OSI, srcAt);
  addBytes(F_SRC, p, srcLength);
  p += srcLength; left -= srcLength;

  let dataUnitId: u32 = 0, segmentOffset: u32 = 0;
  const segmenting = (type & SEGMENTATION_PERMITTED) != 0;
  if (segmenting) {
    if (left < SEGMENTATION_PART_LEN) return;
    if (lacks(p, end, 2)) return;
    dataUnitId = <u32>bswap<u16>(load<u16>(p));
    addNum(F_DATA_UNIT_ID, dataUnitId);
    if (lacks(p + 2, end, 2)) return;
    segmentOffset = <u32>bswap<u16>(load<u16>(p + 2));
    addNum(F_SEGMENT_OFFSET, segmentOffset);
    if (lacks(p + 4, end, 2)) return;
    const totalLength = <u32>bswap<u16>(load<u16>(p + 4));
    addNum(F_TOTAL_LENGTH, totalLength);
    if (totalLength < segmentLength) return;
    p += SEGMENTATION_PART_LEN; left -= SEGMENTATION_PART_LEN;
  }
  if (!walkOsiOptions(left, start, p, end)) return;
  const payload = p + left;
  const dataLength = segmentLength - headerLength;

  let next = payload, nextEnd = end - payload > dataLength ? payload + dataLength : end;
  const more = (type & MORE_SEGMENTS) != 0;
  if (segmenting && (more || segmentOffset != 0) && has(payload, end, dataLength) && dataLength > 0
    && checksumValid(start, end, headerLength, checksum)) {
    next = addSegment(srcAt, dstAt, dataUnitId, segmentOffset, payload, dataLength, more);
    if (next == 0) { putFragmentInfo(type, segmentOffset, payload, end); return; }
    // This segment completes the PDU: what follows is its whole data.
    nextEnd = next + completedLength();
  } else if (segmenting && segmentOffset != 0) {
    putFragmentInfo(type, segmentOffset, payload, end);
    return;
  } else if (lacks(payload, end, 0)) {
    // The payload's own buffer, as long as the segment says, must start within the captured bytes.
    return;
  }
  if ((type & TYPE_MASK) == ER_NPDU && payload < end) {
    putTypeInfo(type);
    if (reportedLength(payload, end) == 0) return;
    dissectDiscardedPdu(next, nextEnd);
    return;
  }
  putTypeInfo(type);
  dissectData(next, nextEnd);
}

/** Whether the header's checksum is absent, right, or cannot be checked (not all captured). */
function checksumValid(start: u32, end: u32, headerLength: u32, checksum: u32): bool {
  return checksum == 0 || !has(start, end, headerLength) || fletcherValid(start, headerLength);
}

/** A segment that is not (or does not complete) a whole PDU: named as one, the rest of the packet as data. */
function putFragmentInfo(type: u32, segmentOffset: u32, payload: u32, end: u32): void {
  infoSet();
  puts('Fragmented '); putTypeName(type); puts(' NPDU '); putFlags(type);
  puts('(off='); putDec(segmentOffset); puts(')');
  infoDone();
  if (!lacks(payload, end, 0)) dissectData(payload, end);
}

/**
 * An error report's discarded PDU: CLNP again, inside an error packet, so
 * (as Wireshark calls a dissector there) the summary columns stay as the
 * report set them and running out of bytes ends the PDU without a mark.
 */
function dissectDiscardedPdu(start: u32, end: u32): void {
  const savedErrors = errors;
  const wasInError = inErrorPacket();
  const savedSrcKind = srcKind, savedSrc = srcPtr, savedDstKind = dstKind, savedDst = dstPtr;
  setInErrorPacket(true);
  infoFreeze();
  dissectClnp(start, end);
  infoUnfreeze();
  setProtocolColumn('CLNP');
  setSourceAddress(savedSrcKind, savedSrc);
  setDestinationAddress(savedDstKind, savedDst);
  setInErrorPacket(wasInError);
  setErrors(savedErrors);
}

function putTypeInfo(type: u32): void {
  infoSet();
  putTypeName(type); puts(' NPDU '); putFlags(type);
  infoDone();
}

function putTypeName(type: u32): void {
  switch (type & TYPE_MASK) {
    case 0x1c: puts('DT'); return;
    case 0x1d: puts('MD'); return;
    case ER_NPDU: puts('ER'); return;
    case 0x1e: puts('ERQ'); return;
    case 0x1f: puts('ERP'); return;
    default: puts('Unknown ('); putHex(type & TYPE_MASK, 2); puts(')');
  }
}

function putFlags(type: u32): void {
  if (type & SEGMENTATION_PERMITTED) puts('S ');
  if (type & MORE_SEGMENTS) puts('M ');
  if (type & REPORT_ERROR) puts('E ');
}

