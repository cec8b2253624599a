// The packet an ICMP or ICMPv6 error quotes (and, below, a packet whose
// carrier keeps the summary, as a PIM Register's).  It is dissected like any
// other, except that, as in Wireshark, it cannot change the summary columns,
// the dissectors know they are inside an error packet (inErrorPacket(), which
// relaxes their length checks), and running out of bytes there ends only the
// quoted packet: the frame is not marked malformed for it.
import { srcKind, srcPtr, dstKind, dstPtr, protoColumn, protoColumnHex, errors, setErrors, setAddresses,
  setSourceAddress, setProtocolColumn, setProtocolColumnHex, inErrorPacket, setInErrorPacket, inIcmpQuote, setInIcmpQuote, setTopLevelPayload, hideErrorMark } from '../packet';
import { dispatchEthertype } from '../dispatch';
import { infoFreeze, infoUnfreeze } from '../columns';
import { dissectData } from './frame';
import { dissectEthernetWithoutFcs } from './eth';

/** Not an ethertype: what dissectReportedPacket takes for an Ethernet frame without FCS (an sFlow sampled header). */
export const ETHERNET_FRAME: i32 = 0x10000;

/** Dissects [start, end) as the protocol `ethertype` names (0x0800 or 0x86dd), quoted by an ICMP error, columns left as they are. */
export function dissectQuotedPacket(ethertype: u32, start: u32, end: u32): void {
  const savedErrors = errors;
  const wasInError = inErrorPacket(), wasQuote = inIcmpQuote();
  // A UDP payload outside (a tunnel's) does not lift this packet's layers to the tree's top.
  const wasTopLevel = setTopLevelPayload(false);
  setInErrorPacket(true);
  setInIcmpQuote(true);
  dispatchKeepingColumns(ethertype, start, end);
  setInIcmpQuote(wasQuote);
  setInErrorPacket(wasInError);
  setTopLevelPayload(wasTopLevel);
  setErrors(savedErrors);
}

/**
 * The packet an NHRP indication reports (or an sFlow sample's header), as
 * Wireshark dissects a packet inside an error report: every column kept,
 * data where no dissector takes `ethertype` (-1 for none; ETHERNET_FRAME
 * for an Ethernet frame).  Returns the error bits the packet raised,
 * leaving the frame's as they were: the caller decides which end it too.
 */
export function dissectReportedPacket(ethertype: i32, start: u32, end: u32): u32 {
  const savedErrors = errors;
  setErrors(0);
  const wasInError = inErrorPacket();
  const wasTopLevel = setTopLevelPayload(false);
  setInErrorPacket(true);
  infoFreeze();
  if (ethertype < 0 || !dispatchKeepingColumns(<u32>ethertype, start, end)) dissectData(start, end);
  infoUnfreeze();
  setInErrorPacket(wasInError);
  setTopLevelPayload(wasTopLevel);
  const raised = errors;
  setErrors(savedErrors);
  return raised;
}

/** Dispatches by ethertype with the protocol and address columns kept as they are; false when nothing took it. */
function dispatchKeepingColumns(ethertype: u32, start: u32, end: u32): bool {
  const savedSrcKind = srcKind, savedSrc = srcPtr, savedDstKind = dstKind, savedDst = dstPtr;
  const taken = dispatchKeepingProtocol(ethertype, start, end);
  setAddresses(savedDstKind, savedSrc, savedDst);
  setSourceAddress(savedSrcKind, savedSrc);
  return taken;
}

/**
 * Dispatches by ethertype as a carrier that keeps the summary does (Wireshark's
 * col_set_writable(FALSE) on protocol and info around the packet it carries):
 * the inner packet's addresses fill the columns, the protocol column stays,
 * and an error inside leaves no mark in the info column, which the caller
 * writes after.  False when nothing took it.
 */
export function dispatchUnderCarrier(ethertype: u32, start: u32, end: u32): bool {
  const errorsBefore = errors;
  const taken = dispatchKeepingProtocol(ethertype, start, end);
  if (errors != errorsBefore) hideErrorMark();
  return taken;
}

/** Dispatches by ethertype (or ETHERNET_FRAME) with the protocol column kept as it is; false when nothing took it. */
function dispatchKeepingProtocol(ethertype: u32, start: u32, end: u32): bool {
  const savedProtocol = protoColumn, savedProtocolHex = protoColumnHex;
  let taken = true;
  if (ethertype == <u32>ETHERNET_FRAME) dissectEthernetWithoutFcs(start, end);
  else taken = dispatchEthertype(ethertype, start, end);
  setProtocolColumn(savedProtocol);
  if (savedProtocolHex >= 0) setProtocolColumnHex(<u32>savedProtocolHex);
  return taken;
}
