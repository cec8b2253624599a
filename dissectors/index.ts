// The Wasm module's interface to the host.  The host calls init() once, which
// lays out every region; then, per batch, it fills the frame index and the
// frame arena and calls dissectBatch(), which writes text into the output
// region.  Nothing here allocates after init().
import { FRAME_ENTRY_SIZE, frameDataPtr, frameCaplen, frameOriglen, frameLinktype, frameIfaceId,
  frameTsSec, frameTsNsec, frameTsDigits, frameFlags, frameFcsLen } from './batch';
import { fieldNames, fieldLabels, fieldType, fieldProto, fieldCount as registeredFieldCount, MAX_FIELDS } from './fields';
import { beginPacket, wanted, errors, PacketError, newStream, errorMarkShown, setErrors } from './packet';
import { layoutColumns, resetColumns, infoAppend, infoDone, setInfoWanted } from './columns';
import { setTarget, textPos, textOverflowed, rewindTo, popAllTargets, puts, putc, putDec } from './text';
import { dissectFrame, addMalformedLayer, addShortLayer, addUnreassembledLayer, shownLength, frameDisplayed, resetFrameTimes } from './proto/frame';
import { configureFields, addOutputField as addField, writeFieldsLine, writeStatsLine, COLUMN_FIELD_BASE } from './out-fields';
import { writeSummaryLine, setColumnFrame, Column } from './out-summary';
import { setTimeFormat } from './time-column';
import { writeJsonPacket, writeEkPacket, writeTreePacket } from './out-json';
import { writeHexDump } from './out-hex';
import { resetConversations } from './conversation';
import { layoutEpbs, EPB_MAP_ENTRIES } from './pcapng-epb';
import { layoutXsk, XSK_SCRATCH_DESCRIPTORS } from './xsk-index';
import { layoutDisplayFilter, displayFilterActive, displayFilterPasses } from './display-filter';
import './protocols';
import { table } from './tables';

export { encodeEpbs, epbBlocksPtr, epbBlocksLen, epbMapPtr, epbMapEntries } from './pcapng-epb';
export { indexXskFrames, xskScratchPtr, xskScratchDescriptors } from './xsk-index';
export { displayFilterPtr, displayFilterSize, setDisplayFilter, clearDisplayFilter } from './display-filter';
export { setReadPass } from './frame-notes';
export { tzTransitionsPtr, tzTransitionTypesPtr, tzOffsetsPtr, tzNamesPtr, tzCapacity, tzSetCounts } from './local-time';

// Must match OutputMode in src/dissect/engine.ts.
const enum Mode { NONE = 0, SUMMARY = 1, FIELDS = 2, JSON = 3, EK = 4, TREE = 5, JSONL = 6, STATS = 7 }

// tshark's COL_MAX_INFO_LEN, 4096 with its terminating NUL: the column holds 4095 bytes.
const INFO_SIZE: u32 = 4095;
const SCRATCH_SIZE: u32 = 256 * 1024;
const EPB_BLOCKS_SIZE: u32 = 2 * 1024 * 1024;
const DISPLAY_FILTER_SIZE: u32 = 64 * 1024;
// A packet is begun only when this much output room is left; one that still
// overflows an otherwise empty region is cut short rather than lost.
const PACKET_OUTPUT_RESERVE: u32 = 1024 * 1024;

let indexBase: u32 = 0;
let indexCapacity: u32 = 0;
let arenaBase: u32 = 0;
let arenaSize: u32 = 0;
let outBase: u32 = 0;
let outSize: u32 = 0;
// 1 where frame i of the batch passed the display filter (or there is none).
let passedBase: u32 = 0;
let mode: i32 = Mode.SUMMARY;

let originSec: i64 = 0;
let originNsec: i64 = 0;
let jsonFirst = true;

let truncatedPackets: u32 = 0;
let malformedPackets: u32 = 0;
export function truncatedCount(): u32 { return truncatedPackets; }
export function malformedCount(): u32 { return malformedPackets; }

function alloc(size: u32): u32 {
  return <u32>heap.alloc(<usize>size);
}

/** Lays out the regions; the host must re-create its views of memory afterwards. */
export function init(maxFrames: u32, arenaBytes: u32, outBytes: u32): void {
  indexCapacity = maxFrames;
  indexBase = alloc(maxFrames * FRAME_ENTRY_SIZE);
  arenaSize = arenaBytes;
  arenaBase = alloc(arenaBytes);
  outSize = outBytes;
  outBase = alloc(outBytes + PACKET_OUTPUT_RESERVE);
  const info = alloc(INFO_SIZE);
  const scratch = alloc(SCRATCH_SIZE);
  layoutColumns(info, INFO_SIZE, scratch, SCRATCH_SIZE);
  layoutEpbs(alloc(EPB_BLOCKS_SIZE), EPB_BLOCKS_SIZE, alloc(EPB_MAP_ENTRIES * 4));
  layoutXsk(alloc(XSK_SCRATCH_DESCRIPTORS * 16));
  layoutDisplayFilter(alloc(DISPLAY_FILTER_SIZE), DISPLAY_FILTER_SIZE);
  passedBase = alloc(maxFrames);
  setTarget(outBase, outBase);
}

export function indexPtr(): u32 { return indexBase; }
/** Where the module's start-time tables begin (they end where init() put the index). */
export function heapBase(): u32 { return <u32>__heap_base; }
export function indexCap(): u32 { return indexCapacity; }
export function arenaPtr(): u32 { return arenaBase; }
export function arenaLen(): u32 { return arenaSize; }
export function outPtr(): u32 { return outBase; }
export function passedPtr(): u32 { return passedBase; }
export function outLen(): u32 { return textPos() - outBase; }
export function outReset(): void { setTarget(outBase, outBase + outSize + PACKET_OUTPUT_RESERVE); }

export function setMode(m: i32): void {
  mode = m;
  setInfoWanted(m == Mode.SUMMARY);
}

/** tshark's -t and -u: the Time column's format (TimeFormat) and hours and minutes for spans. */
export function setTimeColumn(format: u32, hms: bool): void { setTimeFormat(format, hms); }

/** The first of the ids -T fields takes for columns (COLUMN_FIELD_BASE + Column). */
export function columnFieldBase(): u32 { return COLUMN_FIELD_BASE; }

// -x: each frame's bytes follow its summary line or tree, or stand alone.
let hexDump = false;
export function setHexDump(on: bool): void { hexDump = on; }

/** Starts a new output stream: JSON starts a new array, counters restart. */
export function resetStream(): void {
  resetConversations();
  resetFrameTimes();
  newStream();
  jsonFirst = true;
  truncatedPackets = 0;
  malformedPackets = 0;
}

/** After a restart mid-stream, JSON output goes on with a separator. */
export function setJsonContinued(): void { jsonFirst = false; }

/** Relative times count from here (tshark: the first frame). */
export function setTimeOrigin(sec: f64, nsec: u32): void {
  originSec = <i64>sec;
  originNsec = <i64>nsec;
}

export function wantAll(): void { memory.fill(changetype<usize>(wanted), 1, MAX_FIELDS); }
export function wantNone(): void { memory.fill(changetype<usize>(wanted), 0, MAX_FIELDS); }
export function wantField(f: u32): void { if (f < MAX_FIELDS) unchecked(wanted[f] = 1); }

export function fieldsConfigure(sep: u32, agg: u32, occ: u32, quote: u32): void { configureFields(sep, agg, occ, quote); }
export function fieldsAdd(f: u32): void {
  addField(f);
  if (f < COLUMN_FIELD_BASE) wantField(f);
  else if (f - COLUMN_FIELD_BASE == Column.INFO) setInfoWanted(true);
}

export function fieldCount(): u32 { return registeredFieldCount(); }

/** Writes the registry into the output region: "name\tlabel\ttype\tprotocol\n" per field. */
export function dumpFields(): u32 {
  outReset();
  for (let f: u32 = 0; f < registeredFieldCount(); f++) {
    puts(fieldNames[f]); putc(9);
    puts(fieldLabels[f]); putc(9);
    putDec(unchecked(fieldType[f])); putc(9);
    puts(fieldNames[unchecked(fieldProto[f])]); putc(10);
  }
  return outLen();
}

/**
 * Dissects frames [from, count) of the batch, numbering the first one
 * `firstNumber`.  Returns the index of the first frame not done: count when
 * all are done, less when the output region is full (the host flushes,
 * calls outReset() and calls again from there).
 */
export function dissectBatch(from: u32, count: u32, firstNumber: u32): u32 {
  const limit = outBase + outSize;
  for (let i = from; i < count; i++) {
    if ((mode != Mode.NONE || hexDump) && textPos() > limit && textPos() != outBase) return i;
    const e = indexBase + i * FRAME_ENTRY_SIZE;
    const start = textPos();
    unchecked(progress[0] = i);
    unchecked(progress[1] = start - outBase);
    store<u8>(passedBase + i, 0);
    if (dissectOne(e, firstNumber + (i - from))) store<u8>(passedBase + i, 1);
    if (textOverflowed()) {
      if (start != outBase) { rewindTo(start); return i; }
      putc(10);
    }
  }
  return count;
}

/** Dissects one frame and writes its output; false when the display filter drops it (nothing written). */
function dissectOne(e: u32, number: u32): bool {
  if (number == trapAtNumber) unreachable();
  const sec = frameTsSec(e);
  const nsec = <i64>frameTsNsec(e);
  const epochNs = sec * 1_000_000_000 + nsec;
  const relNs = (sec - originSec) * 1_000_000_000 + (nsec - originNsec);
  const digits = frameTsDigits(e);
  const caplen = frameCaplen(e);
  const origlen = frameOriglen(e);

  beginPacket(frameFcsLen(e));
  resetColumns();
  dissectFrame(number, frameIfaceId(e), digits != 0, epochNs, relNs, frameLinktype(e), frameFlags(e),
    frameDataPtr(e), caplen, origlen);
  popAllTargets();
  // As tshark: running past the captured bytes of a frame cut by the snap
  // length is "size limited", past the first segment of a TCP message
  // "unreassembled"; any other overrun or contradiction is malformed.
  const trailerCut = (errors & PacketError.TRAILER_CUT) != 0;
  setErrors(errors & ~PacketError.TRAILER_CUT);
  if (errors & PacketError.UNREASSEMBLED) {
    // tshark's text for a FragmentBoundsError, as it prints it.
    addUnreassembledLayer();
    putErrorMark('[BoundErrorUnreassembled Packet]');
  } else if (errors & PacketError.CONTAINED) {
    // tshark's ContainedBoundsError, as it prints it.
    malformedPackets++;
    addMalformedLayer();
    putErrorMark('[Malformed Packet: length of contained item exceeds length of containing item]');
  } else if (errors & PacketError.TRUNCATED && caplen < origlen) {
    truncatedPackets++;
    addShortLayer();
    putErrorMark('[Packet size limited during capture]');
  } else if (errors) {
    malformedPackets++;
    addMalformedLayer();
    putErrorMark('[Malformed Packet]');
  }
  // tshark's Ethernet layer reads the trailer after catching its payload's exception.
  if (trailerCut) {
    truncatedPackets++;
    addShortLayer();
    putErrorMark('[Packet size limited during capture]');
  }
  if (displayFilterActive() && !displayFilterPasses(frameDataPtr(e), caplen)) return false;
  setColumnFrame(relNs, digits, shownLength(frameLinktype(e), origlen));
  frameDisplayed();

  switch (mode) {
    case Mode.SUMMARY: writeSummaryLine(); break;
    case Mode.FIELDS: writeFieldsLine(); break;
    case Mode.STATS: writeStatsLine(); break;
    case Mode.JSON: writeJsonPacket(jsonFirst, sec); jsonFirst = false; break;
    case Mode.EK: writeEkPacket(sec, <u32>nsec, true); break;
    case Mode.JSONL: writeEkPacket(sec, <u32>nsec, false); break;
    case Mode.TREE: writeTreePacket(); break;
    default: break;
  }
  if (hexDump) {
    // tshark sets the dump apart by a blank line (a tree ends in one).
    if (mode == Mode.SUMMARY) putc(10);
    writeHexDump(frameDataPtr(e), caplen);
    putc(10);
  }
  return true;
}

// Progress record the host reads after a trap: the frame being dissected and
// how much output was complete before it.
const progress = table<u32>(2);
export function progressPtr(): u32 { return changetype<u32>(progress); }

// Test hook: trap (as a faulty dissector would) on frame number `n`; 0 disables.
let trapAtNumber: u32 = 0;
export function debugTrapAt(n: u32): void { trapAtNumber = n; }

/** Appends tshark's mark for an error to the info column, unless the error happened where the column took no text. */
function putErrorMark(s: string): void {
  if (!errorMarkShown()) return;
  infoAppend();
  puts(s);
  infoDone();
}
