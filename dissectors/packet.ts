// Per-packet state: the field occurrences found, the protocol layers, the
// summary columns and the error bits.  Fixed-size, reset at every packet.
import { MAX_FIELDS } from './fields';
import { table } from './tables';

export const MAX_ENTRIES: i32 = 32768;
export const MAX_LAYERS: i32 = 64;

export const enum PacketError {
  TRUNCATED = 1, // ran past the captured bytes
  MALFORMED = 2, // the packet contradicts itself
  UNREASSEMBLED = 4, // ran past the end of a segment whose message goes on in later ones
  CONTAINED = 8, // a part whose own length runs past the end of the packet on the wire
  TRAILER_CUT = 16, // an Ethernet trailer's FCS lies past the captured bytes: a second mark, after any other
}

// Field occurrences, in dissection order.
export const entryField = table<u16>(MAX_ENTRIES);
export const entryLayer = table<u8>(MAX_ENTRIES);
export const entryValue = table<u64>(MAX_ENTRIES); // number, or address of the bytes
export const entryLen = table<u32>(MAX_ENTRIES); // byte length for addresses, strings, bytes
export const entryNext = table<i32>(MAX_ENTRIES); // next occurrence of the same field, -1 at the end
export let entryCount: i32 = 0;

// First and last occurrence of each field in this packet; valid when
// fieldSerial[f] == packetSerial, so nothing needs clearing between packets.
const fieldSerial = table<u32>(MAX_FIELDS);
const fieldHead = table<i32>(MAX_FIELDS);
const fieldTail = table<i32>(MAX_FIELDS);
let packetSerial: u32 = 0;

/** A number that grows by one with every packet dissected (state kept across packets compares them). */
export function packetSerialNumber(): u32 { return packetSerial; }

/** 1 where the output asks for the field; entries are recorded only for those. */
export const wanted = table<u8>(MAX_FIELDS);

export const layerProto = table<u16>(MAX_LAYERS);
export let layerCount: i32 = 0;
/** 1 for a layer of a packet quoted in an ICMP error (whose dissection taps nothing). */
export const layerQuoted = table<u8>(MAX_LAYERS);
/**
 * 1 for a layer Wireshark's tree holds inside the item of the protocol that
 * handed it on rather than at the tree's top, which tshark's protocol
 * hierarchy walks: a packet quoted in an ICMP error, ICMP's echo data, an
 * IPv6 extension header.
 */
export const layerNested = table<u8>(MAX_LAYERS);
let nestDepth: i32 = 0;
let topLevelPayload = false;

/** Layers begun until unnestLayers are nested (see layerNested). */
export function nestLayers(): void { nestDepth++; }
export function unnestLayers(): void { if (nestDepth > 0) nestDepth--; }
/** The layer begun last is nested (see layerNested). */
export function nestCurrentLayer(): void { if (layerCount > 0) unchecked(layerNested[layerCount - 1] = 1); }
/** While on, layers begun inside a quoted packet go at the tree's top all the same (a quoted UDP datagram's payload); returns the previous setting. */
export function setTopLevelPayload(on: bool): bool {
  const was = topLevelPayload;
  topLevelPayload = on;
  return was;
}

// The protocols of the dissectors called on the packet, in call order
// (Wireshark's pinfo->layers, which frame.protocols lists): every layer, and
// the pseudo-dissectors that add no layer of their own (ethertype, ...).
export const MAX_CALLED: i32 = 128;
export const calledProto = table<u16>(MAX_CALLED);
export let calledCount: i32 = 0;

export let errors: u32 = 0;

// Summary columns, as tshark's: source, destination, protocol, info.
// LABEL: a fixed text Wireshark shows where a link has no addresses (ptr: a LinkLabel).
/** DECNET: a DECnet Phase IV node's MAC (AA-00-04-00 and the address, little-endian), shown "area.node". */
/** IPX: the 4-byte network then the 6-byte node, shown "a8f87967.000000000001". */
/** GEONW: an 8-byte GeoNetworking address, shown "manual.type.country.mid". */
/** ARCNET: a one-byte station address, shown "0xbe". */
/** TIPC: a 4-byte big-endian TIPC node address, shown "zone.cluster.node". */
/** ETHER_RA, ETHER_TA, ETHER_BSSID: an Ethernet address with the role 802.11 gives it, shown "aa:bb:cc:dd:ee:ff (RA)". */
/** VSOCK: an 8-byte little-endian vsock context ID, shown in decimal, 2 as "host". */
export const enum AddrKind { NONE = 0, ETHER = 1, IPV4 = 2, IPV6 = 3, LABEL = 4, DECNET = 5, GEONW = 6, IPX = 7, ARCNET = 8, TIPC = 9, ETHER_RA = 10, ETHER_TA = 11, ETHER_BSSID = 12, VSOCK = 13, OSI = 14 }
export const enum LinkLabel { NA = 0, DTE = 1, DCE = 2 }
export let srcKind: u32 = AddrKind.NONE;
export let srcPtr: u32 = 0;
export let dstKind: u32 = AddrKind.NONE;
export let dstPtr: u32 = 0;
export let protoColumn: string = '';
/** When >= 0, the protocol column shows this number in hex (an unknown ethertype), as tshark does. */
export let protoColumnHex: i32 = -1;
let fcsBytes: u32 = 0;

export function beginPacket(fcsLen: u32): void {
  packetSerial++;
  fcsBytes = fcsLen;
  protoColumnHex = -1;
  entryCount = 0;
  layerCount = 0;
  calledCount = 0;
  nestDepth = 0;
  topLevelPayload = false;
  singleCallProto = -1;
  nextLayerUnlisted = false;
  errors = 0;
  errorMarkHidden = false;
  fragmentedPayload = false;
  errorPacket = false;
  icmpQuote = false;
  trailerPayload = 0;
  datagramEndAddr = 0;
  networkTtl = -1;
  srcKind = AddrKind.NONE;
  dstKind = AddrKind.NONE;
  protoColumn = '';
}

@inline export function markTruncated(): void { errors |= PacketError.TRUNCATED; }
export function markTrailerCut(): void { errors |= PacketError.TRAILER_CUT; }
// Wireshark's col_set_writable(COL_INFO, FALSE) around an encapsulated
// packet (a PIM Register's): an error inside it ends the dissection while the
// info column takes no more text, so the summary shows no mark for it.
let errorMarkHidden = false;
export function hideErrorMark(): void { errorMarkHidden = true; }
/** A later error the summary does show (after one hidden by hideErrorMark). */
export function showErrorMark(): void { errorMarkHidden = false; }
export function errorMarkShown(): bool { return !errorMarkHidden; }

/** Puts the error bits back (a packet quoted in an ICMP error may be cut short without harm). */
export function setErrors(e: u32): void { errors = e; }

// Wireshark's pinfo->fragmented and pinfo->flags.in_error_pkt: the payload
// being dissected is part of a fragmented datagram / is quoted in an ICMP
// error.  Checksums are then not verified and some checks are relaxed.
let fragmentedPayload = false;
let errorPacket = false;
export function isFragmented(): bool { return fragmentedPayload; }
export function setFragmented(f: bool): void { fragmentedPayload = f; }
export function inErrorPacket(): bool { return errorPacket; }
// Whether that error packet is an ICMP or ICMPv6 error's quote (Wireshark's
// TCP shows less there than inside other error packets, an sFlow sample's).
let icmpQuote = false;
export function inIcmpQuote(): bool { return icmpQuote; }
export function setInIcmpQuote(q: bool): void { icmpQuote = q; }
// An Ethernet II payload being dissected (where it starts) and where the IP
// datagram that is that payload says it ends, when that is before the
// payload does (Wireshark's set_actual_length on the ethertype's tvb): what
// follows is the frame's trailer.  0 when none said so.
let trailerPayload: u32 = 0;
let datagramEndAddr: u32 = 0;
/** An IP layer at `start` ends its datagram at `p`, before the bytes it was handed end. */
export function setDatagramEnd(start: u32, p: u32): void {
  if (start == trailerPayload && datagramEndAddr == 0) datagramEndAddr = p;
}
/** Watches the payload at `payload` for a datagram end; returns what was watched before, for endTrailerWatch. */
export function beginTrailerWatch(payload: u32): u64 {
  const saved = (<u64>trailerPayload << 32) | <u64>datagramEndAddr;
  trailerPayload = payload;
  datagramEndAddr = 0;
  return saved;
}
/** The watched payload's datagram end (0: none), the outer watch restored. */
export function endTrailerWatch(saved: u64): u32 {
  const found = datagramEndAddr;
  trailerPayload = <u32>(saved >> 32);
  datagramEndAddr = <u32>saved;
  return found;
}
// The TTL of the innermost IP header when it is IPv4, -1 after IPv6: ICMP
// echo info shows it ("ttl=64") only over IPv4.
let networkTtl: i32 = -1;
export function setNetworkTtl(ttl: i32): void { networkTtl = ttl; }
export function ipv4Ttl(): i32 { return networkTtl; }
export function setInErrorPacket(e: bool): void { errorPacket = e; }
@inline export function markMalformed(): void { errors |= PacketError.MALFORMED; }
/** Whether `partEnd` lies past the packet [.., end) itself, not only past what the capture kept of it. */
@inline function pastPacket(end: u32, partEnd: u32): bool { return partEnd > end + bytesCutAfter(end); }

/**
 * A read of [.., end) reaches `partEnd`: past the captured bytes only, or
 * past the packet (tshark's ReportedBoundsError: malformed, or, in the
 * payload of a first IP fragment, "[BoundErrorUnreassembled Packet]").
 */
export function markReadPast(end: u32, partEnd: u32): void {
  if (fragmentedPayload && pastPacket(end, partEnd)) { errors |= PacketError.UNREASSEMBLED; return; }
  errors |= pastPacket(end, partEnd) ? PacketError.MALFORMED : PacketError.TRUNCATED;
}

/** A part of [.., end) claims to reach `partEnd`: past the captured bytes only, or past the packet itself. */
export function markOverrun(end: u32, partEnd: u32): void {
  errors |= pastPacket(end, partEnd) ? PacketError.CONTAINED : PacketError.TRUNCATED;
}
/** The overrun just marked truncated is past the end of a message's first segment, not past the capture. */
export function truncatedToUnreassembled(): void { errors = (errors & ~PacketError.TRUNCATED) | PacketError.UNREASSEMBLED; }

export function setAddresses(kind: u32, src: u32, dst: u32): void {
  srcKind = kind; srcPtr = src;
  dstKind = kind; dstPtr = dst;
}

/** Sets the source column alone (a header cut short after its source address). */
export function setSourceAddress(kind: u32, src: u32): void {
  srcKind = kind; srcPtr = src;
}

/** Sets the destination column alone (a header cut short after its destination address). */
export function setDestinationAddress(kind: u32, dst: u32): void {
  dstKind = kind; dstPtr = dst;
}

// Where the frame's captured bytes end and how many bytes on the wire were not
// captured: a layer that runs to the end of the capture was that much longer
// on the wire (Wireshark's reported length, as opposed to the captured one).
let frameEndAddr: u32 = 0;
let uncapturedBytes: u32 = 0;
let frameTimeNs: i64 = 0;

let frameWireLength: u32 = 0;
let frameNumberValue: u32 = 0;
let streamSerialValue: u32 = 0;

export function setFrameExtent(end: u32, uncaptured: u32, epochNs: i64, number: u32, wireLength: u32): void {
  frameEndAddr = end;
  frameWireLength = wireLength;
  uncapturedBytes = uncaptured;
  frameTimeNs = epochNs;
  frameNumberValue = number;
}

/**
 * A layer whose own length field says it ends `bytes` past `end` (where the
 * capture stopped) caps what the layers inside it may count as uncaptured.
 */
export function limitUncaptured(end: u32, bytes: u32): void {
  if (end == frameEndAddr && bytes < uncapturedBytes) uncapturedBytes = bytes;
}

/** Whether the capture kept less of this frame than was on the wire. */
export function frameWasCut(): bool { return uncapturedBytes > 0; }

/** The whole frame's length on the wire (Wireshark's pinfo->fd->pkt_len). */
export function frameLengthOnWire(): u32 { return frameWireLength; }

/** The frame's number in its capture (1-based). */
export function frameNumber(): u32 { return frameNumberValue; }

/** Changes at each new output stream: state kept across frames (request/response matching) is stale then. */
export function streamSerial(): u32 { return streamSerialValue; }
export function newStream(): void { streamSerialValue++; }

/** The frame's capture time, nanoseconds since the epoch. */
export function frameTime(): i64 { return frameTimeNs; }

/** The length of [start, end) on the wire: more than end - start when it runs into the snap length. */
export function reportedLength(start: u32, end: u32): u32 {
  return end - start + (end == frameEndAddr ? uncapturedBytes : 0);
}

export function setProtocolColumn(name: string): void {
  protoColumn = name;
  protoColumnHex = -1;
}

export function setProtocolColumnHex(v: u32): void {
  protoColumnHex = <i32>v;
}

/** Bytes the packet had past `end` but the capture lacks: the snap length's cut when `end` is where the capture stops, else 0. */
export function bytesCutAfter(end: u32): u32 {
  return end == frameEndAddr ? uncapturedBytes : 0;
}

/** Bytes of frame check sequence the capture says end this frame. */
export function frameFcsBytes(): u32 { return fcsBytes; }

/** Opens a protocol layer; the fields added after it belong to it. */
export function beginLayer(protoField: u32): void {
  if (nextLayerUnlisted) nextLayerUnlisted = false;
  else if (<i32>protoField != singleCallProto) addCalled(protoField);
  beginItemLayer(protoField);
}

// Wireshark's dissector_try_uint_new(..., add_proto_name = FALSE) (IPX's
// socket table, EAPOL's type table): the dissector it calls is not listed,
// those that one calls are.
let nextLayerUnlisted = false;

/** While on, the next layer opened is not recorded as a call; the caller turns it off after the dissector returns. */
export function unlistNextLayer(on: bool): void { nextLayerUnlisted = on; }

// A dissector called once that opens a layer for each message it finds (DNS
// over TCP, LDP ...): frame.protocols lists the call once.
let singleCallProto: i32 = -1;

/** Records a call of protocol p's dissector, whose layers of p until endSingleCall are not further calls; returns what endSingleCall restores. */
export function beginSingleCall(p: u32): i32 {
  addCalled(p);
  const outer = singleCallProto;
  singleCallProto = <i32>p;
  return outer;
}

export function endSingleCall(outer: i32): void { singleCallProto = outer; }

/** As beginSingleCall for a call already recorded (its first layer is open): later layers of p are not further calls. */
export function continueSingleCall(p: u32): i32 {
  const outer = singleCallProto;
  singleCallProto = <i32>p;
  return outer;
}

/** Opens a layer without recording a dissector call: a message after the first of a single call. */
export function beginItemLayer(protoField: u32): void {
  if (layerCount < MAX_LAYERS) {
    unchecked(layerProto[layerCount] = <u16>protoField);
    unchecked(layerQuoted[layerCount] = <u8>errorPacket);
    unchecked(layerNested[layerCount] = <u8>(nestDepth > 0 || (errorPacket && !topLevelPayload)));
    layerCount++;
  }
  addEntry(protoField, 0, 0);
}

/** A dissector that adds no layer of its own was called (Wireshark's ethertype, data-text-lines ...). */
export function addCalled(protoField: u32): void {
  if (calledCount < MAX_CALLED) {
    unchecked(calledProto[calledCount] = <u16>protoField);
    calledCount++;
  }
}

/** The calls recorded so far, for forgetCallsSince. */
export function calledMark(): i32 { return calledCount; }

/** A dissector that declines after recording calls forgets them, as Wireshark drops a rejecting dissector's layers. */
export function forgetCallsSince(mark: i32): void {
  if (mark < calledCount) calledCount = mark;
}

/** A dissector that adds an item of its protocol but no layer was called: display filters see the protocol. */
export function addCalledItem(protoField: u32): void {
  addCalled(protoField);
  addEntry(protoField, 0, 0);
}

/** Adds an occurrence of field f to the first layer (the frame's), after everything else was dissected. */
export function addFrameBytes(f: u32, p: u32, len: u32): void {
  if (unchecked(wanted[f])) addEntryTo(0, f, <u64>p, len);
}

export function currentLayer(): i32 {
  return layerCount > 0 ? layerCount - 1 : 0;
}

function addEntry(f: u32, value: u64, len: u32): void {
  addEntryTo(currentLayer(), f, value, len);
}

function addEntryTo(layer: i32, f: u32, value: u64, len: u32): void {
  if (!unchecked(wanted[f]) || entryCount >= MAX_ENTRIES) return;
  const e = entryCount++;
  unchecked(entryField[e] = <u16>f);
  unchecked(entryLayer[e] = <u8>layer);
  unchecked(entryValue[e] = value);
  unchecked(entryLen[e] = len);
  unchecked(entryNext[e] = -1);
  if (unchecked(fieldSerial[f]) != packetSerial) {
    unchecked(fieldSerial[f] = packetSerial);
    unchecked(fieldHead[f] = e);
  } else {
    unchecked(entryNext[unchecked(fieldTail[f])] = e);
  }
  unchecked(fieldTail[f] = e);
}

/** Adds a numeric occurrence of field f. */
@inline export function addNum(f: u32, v: u64): void {
  if (unchecked(wanted[f])) addEntry(f, v, 0);
}

/**
 * Adds a numeric occurrence of a hex field printed with `digits` digits rather
 * than its declared width: Wireshark registers some names twice, at two widths
 * (llc.control.ftype is 16 bits on I and S frames, 8 on U frames).
 */
@inline export function addNumHexWidth(f: u32, v: u64, digits: u32): void {
  if (unchecked(wanted[f])) addEntry(f, v, digits);
}

/** Adds an occurrence whose value is `len` bytes at address p (address, string, bytes). */
@inline export function addBytes(f: u32, p: u32, len: u32): void {
  if (unchecked(wanted[f])) addEntry(f, <u64>p, len);
}

/** First entry of field f in this packet, or -1. */
export function firstEntry(f: u32): i32 {
  return unchecked(fieldSerial[f]) == packetSerial ? unchecked(fieldHead[f]) : -1;
}
