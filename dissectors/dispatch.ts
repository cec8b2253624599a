// Hand-off tables, after Wireshark's dissector tables: a protocol registers
// itself under a link type, ethertype, IP protocol or port at module start,
// and its parent looks the number up.  Heuristic dissectors are tried in
// registration order after the port tables; a heuristic returns false,
// touching nothing, on anything it does not recognise.

import { markMalformed, addCalled, calledMark, forgetCallsSince } from './packet';
import { table } from './tables';

export type Dissector = (start: u32, end: u32) => void;
export type Heuristic = (start: u32, end: u32) => bool;

const byLinktype = table<Dissector | null>(65536);
const byEthertype = table<Dissector | null>(65536);
const byIpProto = table<Dissector | null>(256);
const byUdpPort = table<Dissector | null>(65536);
const byTcpPort = table<Dissector | null>(65536);
// Protocols Cisco numbers under its own OUI in SNAP (Wireshark's llc.cisco_pid).
const byCiscoPid = table<Dissector | null>(65536);
const byTcpPortTry = table<Heuristic | null>(65536);
const byIpProtoTry = table<Heuristic | null>(256);
const byUdpPortTry = table<Heuristic | null>(65536);
const udpHeuristics = new Array<Heuristic>();
// Wireshark's conversation dissectors: a protocol that recognises the
// datagram's endpoints (a TFTP transfer on ports it moved to) goes before the port tables.
const udpConversations = new Array<Heuristic>();
const tcpHeuristics = new Array<Heuristic>();

export function registerLinktype(lt: u32, d: Dissector): void { byLinktype[lt & 0xffff] = d; }
export function registerEthertype(t: u32, d: Dissector): void { byEthertype[t & 0xffff] = d; }
export function registerIpProto(p: u32, d: Dissector): void { byIpProto[p & 0xff] = d; }
export function registerUdpPort(port: u32, d: Dissector): void { byUdpPort[port & 0xffff] = d; }
export function registerTcpPort(port: u32, d: Dissector): void { byTcpPort[port & 0xffff] = d; }
export function registerCiscoPid(pid: u32, d: Dissector): void { byCiscoPid[pid & 0xffff] = d; }
// SNAP protocols of other organisations (Wireshark's llc.<org>_pid tables): few, so a list of (OUI << 16 | PID).
const snapKeys = new Array<u64>();
const snapDissectors = new Array<Dissector>();
export function registerSnapPid(oui: u32, pid: u32, d: Dissector): void {
  snapKeys.push((<u64>oui << 16) | <u64>(pid & 0xffff));
  snapDissectors.push(d);
}
/**
 * A TCP or UDP port dissector that may decline, returning false without adding
 * anything (TLS on 443 refuses plain text): the next choice, the other port
 * and then the heuristics, is tried, as when a Wireshark dissector returns 0.
 */
export function registerTcpPortTry(port: u32, h: Heuristic): void { byTcpPortTry[port & 0xffff] = h; }
export function registerUdpPortTry(port: u32, h: Heuristic): void { byUdpPortTry[port & 0xffff] = h; }
/** An IP protocol dissector that may decline (PGM below its minimum length): the IP layer then shows the payload as an unknown protocol's. */
export function registerIpProtoTry(p: u32, h: Heuristic): void { byIpProtoTry[p & 0xff] = h; }
export function registerUdpHeuristic(h: Heuristic): void { udpHeuristics.push(h); }
// SCTP DATA payloads: by payload protocol identifier (few, a list) and by port (Wireshark's sctp.ppi and sctp.port).
const sctpPpids = new Array<u32>();
const sctpPpidDissectors = new Array<Dissector>();
const bySctpPort = table<Dissector | null>(65536);
export function registerSctpPpid(ppid: u32, d: Dissector): void { sctpPpids.push(ppid); sctpPpidDissectors.push(d); }
export function registerSctpPort(port: u32, d: Dissector): void { bySctpPort[port & 0xffff] = d; }
export function registerUdpConversation(h: Heuristic): void { udpConversations.push(h); }
export function registerTcpHeuristic(h: Heuristic): void { tcpHeuristics.push(h); }

// Hand-offs nested inside one another (IP in IP in GRE ...).  Past this depth
// a packet is called malformed, as tshark does past its tree depth limit;
// unbounded, a crafted packet would exhaust the Wasm stack, which is no trap
// the host can recover from.
const MAX_NESTING: i32 = 499;
let nesting: i32 = 0;

function call(d: Dissector | null, start: u32, end: u32): bool {
  if (d === null) return false;
  if (nesting >= MAX_NESTING) { markMalformed(); return true; }
  nesting++;
  (d as Dissector)(start, end);
  nesting--;
  return true;
}

/**
 * Calls h as Wireshark calls a dissector of protocol p: frame.protocols lists
 * p from the call on (a read that fails inside keeps it), unless h declines.
 */
export function callListed(p: u32, h: Heuristic, start: u32, end: u32): bool {
  const mark = calledMark();
  addCalled(p);
  if (h(start, end)) return true;
  forgetCallsSince(mark);
  return false;
}

export function dispatchLinktype(lt: u32, start: u32, end: u32): bool {
  return call(unchecked(byLinktype[lt & 0xffff]), start, end);
}

/** Whether a dissector is registered for ethertype t (tshark's table is larger: some of its ethertypes are not here). */
export function hasEthertypeDissector(t: u32): bool {
  return unchecked(byEthertype[t & 0xffff]) !== null;
}

export function dispatchEthertype(t: u32, start: u32, end: u32): bool {
  return call(unchecked(byEthertype[t & 0xffff]), start, end);
}

export function dispatchCiscoPid(pid: u32, start: u32, end: u32): bool {
  return call(unchecked(byCiscoPid[pid & 0xffff]), start, end);
}

export function dispatchSnapPid(oui: u32, pid: u32, start: u32, end: u32): bool {
  const key = (<u64>oui << 16) | <u64>(pid & 0xffff);
  for (let i = 0; i < snapKeys.length; i++) {
    if (unchecked(snapKeys[i]) == key) return call(unchecked(snapDissectors[i]), start, end);
  }
  return false;
}

/** A DATA chunk's payload: its PPID's dissector first, then the lower port's, then the higher's (tshark's order with default tables). */
export function dispatchSctp(ppid: u32, src: u32, dst: u32, start: u32, end: u32): bool {
  for (let i = 0; i < sctpPpids.length; i++) {
    if (unchecked(sctpPpids[i]) == ppid) return call(unchecked(sctpPpidDissectors[i]), start, end);
  }
  const low = src < dst ? src : dst;
  const high = src < dst ? dst : src;
  if (low != 0 && call(unchecked(bySctpPort[low & 0xffff]), start, end)) return true;
  return high != 0 && call(unchecked(bySctpPort[high & 0xffff]), start, end);
}

export function dispatchIpProto(p: u32, start: u32, end: u32): bool {
  if (call(unchecked(byIpProto[p & 0xff]), start, end)) return true;
  return callTry(unchecked(byIpProtoTry[p & 0xff]), start, end);
}

function callTry(h: Heuristic | null, start: u32, end: u32): bool {
  if (h === null) return false;
  if (nesting >= MAX_NESTING) { markMalformed(); return true; }
  nesting++;
  const taken = (h as Heuristic)(start, end);
  nesting--;
  return taken;
}

function dispatchPorts(table: StaticArray<Dissector | null>, tries: StaticArray<Heuristic | null> | null,
  heuristics: Array<Heuristic>, src: u32, dst: u32, start: u32, end: u32): bool {
  // Wireshark tries the lower port first, then the higher, then heuristics.
  const lo = src < dst ? src : dst;
  const hi = src < dst ? dst : src;
  if (call(unchecked(table[lo]), start, end)) return true;
  if (tries !== null && callTry(unchecked(tries[lo]), start, end)) return true;
  if (hi != lo && call(unchecked(table[hi]), start, end)) return true;
  if (hi != lo && tries !== null && callTry(unchecked(tries[hi]), start, end)) return true;
  for (let i = 0, n = heuristics.length; i < n; i++) {
    if (unchecked(heuristics[i])(start, end)) return true;
  }
  return false;
}

/** The ports of the UDP datagram being dispatched, for heuristics that must know them. */
export let udpSrcPort: u32 = 0;
export let udpDstPort: u32 = 0;

export function dispatchUdp(src: u32, dst: u32, start: u32, end: u32): bool {
  udpSrcPort = src;
  udpDstPort = dst;
  for (let i = 0, n = udpConversations.length; i < n; i++) {
    if (unchecked(udpConversations[i])(start, end)) return true;
  }
  return dispatchPorts(byUdpPort, byUdpPortTry, udpHeuristics, src, dst, start, end);
}

/** The ports of the TCP segment being dispatched (Wireshark's pinfo->srcport, destport). */
export let tcpSrcPort: u32 = 0;
export let tcpDstPort: u32 = 0;

/** Puts back the ports of the segment being dispatched after a segment carried inside it was dispatched. */
export function setTcpPorts(src: u32, dst: u32): void {
  tcpSrcPort = src;
  tcpDstPort = dst;
}
export function dispatchTcp(src: u32, dst: u32, start: u32, end: u32): bool {
  tcpSrcPort = src;
  tcpDstPort = dst;
  return dispatchPorts(byTcpPort, byTcpPortTry, tcpHeuristics, src, dst, start, end);
}
