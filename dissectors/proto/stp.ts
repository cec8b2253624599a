// Spanning Tree BPDUs (IEEE 802.1D configuration and topology change,
// 802.1w rapid, 802.1s multiple and 802.1aq shortest path trees), under LLC.
// The info column names the BPDU and its CIST root, cost and port, as
// tshark's does; of the MST extension, the CIST part and each MSTI record's
// flags, root and cost.
import { protocol, uint, flag, ether, str, Base } from '../fields';
import { beginItemLayer, addCalled, addNum, addBytes, setProtocolColumn, markTruncated, frameWasCut, wanted } from '../packet';
import { registerCiscoPid } from '../dispatch';
import { u8at, u16at, u32at, has } from '../cursor';
import { infoSet, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putDec, putHex, putEther, putDecPadded } from '../text';

const PROTO_STP = protocol('stp', 'Spanning Tree Protocol');
const F_PROTOCOL = uint('stp.protocol', 'Protocol Identifier', 16, Base.HEX);
const F_VERSION = uint('stp.version', 'Protocol Version Identifier', 8);
const F_TYPE = uint('stp.type', 'BPDU Type', 8, Base.HEX);
const F_FLAGS = uint('stp.flags', 'BPDU flags', 8, Base.HEX);
const F_TCACK = flag('stp.flags.tcack', 'Topology Change Acknowledgment');
const F_AGREEMENT = flag('stp.flags.agreement', 'Agreement');
const F_FORWARDING = flag('stp.flags.forwarding', 'Forwarding');
const F_LEARNING = flag('stp.flags.learning', 'Learning');
const F_PORT_ROLE = uint('stp.flags.port_role', 'Port Role', 8);
const F_PROPOSAL = flag('stp.flags.proposal', 'Proposal');
const F_TC = flag('stp.flags.tc', 'Topology Change');
const F_ROOT_PRIO = uint('stp.root.prio', 'Root Bridge Priority', 16);
const F_ROOT_EXT = uint('stp.root.ext', 'Root Bridge System ID Extension', 16);
const F_ROOT_HW = ether('stp.root.hw', 'Root Bridge System ID');
const F_ROOT_COST = uint('stp.root.cost', 'Root Path Cost', 32);
const F_BRIDGE_PRIO = uint('stp.bridge.prio', 'Bridge Priority', 16);
const F_BRIDGE_EXT = uint('stp.bridge.ext', 'Bridge System ID Extension', 16);
const F_BRIDGE_HW = ether('stp.bridge.hw', 'Bridge System ID');
const F_PORT = uint('stp.port', 'Port identifier', 16, Base.HEX);
const F_MSG_AGE = str('stp.msg_age', 'Message Age', Base.FINAL_TEXT);
const F_MAX_AGE = str('stp.max_age', 'Max Age', Base.FINAL_TEXT);
const F_HELLO = str('stp.hello', 'Hello Time', Base.FINAL_TEXT);
const F_FORWARD = str('stp.forward', 'Forward Delay', Base.FINAL_TEXT);
const F_V1_LEN = uint('stp.version_1_length', 'Version 1 Length', 8);
const F_V3_LEN = uint('mstp.version_3_length', 'Version 3 Length', 16);
const F_CONFIG_FORMAT = uint('mstp.config_format_selector', 'MST Config ID format selector', 8);
const F_CONFIG_REVISION = uint('mstp.config_revision_level', 'MST Config revision', 16);
const F_CIST_COST = uint('mstp.cist_internal_root_path_cost', 'CIST Internal Root Path Cost', 32);
const F_CIST_PRIO = uint('mstp.cist_bridge.prio', 'CIST Bridge Priority', 16);
const F_CIST_EXT = uint('mstp.cist_bridge.ext', 'CIST Bridge Identifier System ID Extension', 16);
const F_CIST_HW = ether('mstp.cist_bridge.hw', 'CIST Bridge Identifier System ID');
const F_CIST_HOPS = uint('mstp.cist_remaining_hops', 'CIST Remaining hops', 8);
const F_MSTI_FLAGS = uint('mstp.msti.flags', 'MSTI flags', 8, Base.HEX);
const F_MSTI_ROOT_HW = ether('mstp.msti.root.hw', 'Regional Root');
const F_MSTI_COST = uint('mstp.msti.root_cost', 'Internal root path cost', 32);
const F_MSTI_HOPS = uint('mstp.msti.remaining_hops', 'Remaining hops', 8);

const TYPE_CONFIG: u32 = 0x00;
const TYPE_RST: u32 = 0x02;
const TYPE_TCN: u32 = 0x80;
// Through the port identifier: what the info column needs of a configuration or rapid BPDU.
const INFO_LEN: u32 = 27;
const CONFIG_LEN: u32 = 35;
// The version 3 length, then the MST configuration identifier and the CIST part.
const V3_LEN_AT: u32 = 36;
const MCID_AT: u32 = 38;
const MST_CIST_END: u32 = 102;
const MSTI_LEN: u32 = 16;
const MSTI_BASE_LEN: u32 = 64;
const VERSION_MST: u32 = 3;
// Format selector, 32-byte name, revision, 16-byte digest.
const MCID_LEN: u32 = 51;
const MCID_REVISION_AT: u32 = 33;

export function dissectStp(start: u32, end: u32): void {
  addCalled(PROTO_STP); // listed from the call on; the layer opens once its header is read
  setProtocolColumn('STP');
  infoSet(); infoDone();
  if (!has(start, end, 4)) { markTruncated(); return; }
  const version = u8at(start + 2, end);
  const type = u8at(start + 3, end);
  const rapid = type == TYPE_RST;
  // Configuration and rapid BPDUs carry the root, cost and port the info line names.
  const carriesRoot = type == TYPE_CONFIG || rapid;
  // tshark reads every value of the line before it writes it: a shorter BPDU leaves the column empty.
  if (carriesRoot && !has(start, end, INFO_LEN)) { markTruncated(); return; }
  const flags = carriesRoot ? u8at(start + 4, end) : 0;
  if (type == TYPE_TCN) {
    infoSet(); puts('Topology Change Notification'); infoDone();
  } else if (carriesRoot) {
    infoSet();
    puts(!rapid ? 'Conf. ' : version == 2 ? 'RST. ' : version == VERSION_MST ? 'MST. ' : 'SPT. ');
    if (flags & 1) puts('TC + ');
    puts('Root = ');
    putBridgeId(start + 5, end);
    puts('  Cost = '); putDec(u32at(start + 13, end));
    puts('  Port = '); putHex(u16at(start + 25, end), 4);
    infoDone();
  } else {
    infoSet(); puts('Unknown BPDU type ('); putDec(type); putc(0x29); infoDone();
  }

  beginItemLayer(PROTO_STP);
  addNum(F_PROTOCOL, u16at(start, end));
  addNum(F_VERSION, version);
  addNum(F_TYPE, type);
  if (!carriesRoot) return;
  if (!has(start, end, CONFIG_LEN)) { markTruncated(); return; }
  addNum(F_FLAGS, flags);
  addFlags(flags, rapid);
  addBridgeId(F_ROOT_PRIO, F_ROOT_EXT, F_ROOT_HW, start + 5, end);
  addNum(F_ROOT_COST, u32at(start + 13, end));
  addBridgeId(F_BRIDGE_PRIO, F_BRIDGE_EXT, F_BRIDGE_HW, start + 17, end);
  addNum(F_PORT, u16at(start + 25, end));
  addTimer(F_MSG_AGE, u16at(start + 27, end));
  addTimer(F_MAX_AGE, u16at(start + 29, end));
  addTimer(F_HELLO, u16at(start + 31, end));
  addTimer(F_FORWARD, u16at(start + 33, end));
  if (!rapid) return;
  if (!has(start, end, CONFIG_LEN + 1)) { markTruncated(); return; }
  addNum(F_V1_LEN, u8at(start + 35, end));
  if (version < VERSION_MST) return;
  if (!has(start, end, MCID_AT)) { markTruncated(); return; }
  const v3len = u16at(start + V3_LEN_AT, end);
  // tshark leaves the whole extension out when its length runs past the bytes there are: quietly
  // in a whole frame, as cut short in a frame the capture did not keep whole.
  if (start + MCID_AT + v3len > end) {
    if (frameWasCut()) markTruncated();
    return;
  }
  addNum(F_V3_LEN, v3len);
  if (!has(start, end, MST_CIST_END)) { markTruncated(); return; }
  addMcid(start + MCID_AT, end);
  addNum(F_CIST_COST, u32at(start + 89, end));
  addBridgeId(F_CIST_PRIO, F_CIST_EXT, F_CIST_HW, start + 93, end);
  addNum(F_CIST_HOPS, u8at(start + 101, end));
  const mstis = v3len > MSTI_BASE_LEN ? (v3len - MSTI_BASE_LEN) / MSTI_LEN : 0;
  for (let i: u32 = 0; i < mstis; i++) {
    const m = start + MST_CIST_END + i * MSTI_LEN;
    if (!has(m, end, MSTI_LEN)) { markTruncated(); return; }
    const flags = u8at(m, end);
    addNum(F_MSTI_FLAGS, flags);
    addFlags(flags, true);
    addBytes(F_MSTI_ROOT_HW, m + 3, 6);
    addNum(F_MSTI_COST, u32at(m + 9, end));
    addNum(F_MSTI_HOPS, u8at(m + 15, end));
  }
  // SPT BPDUs: a version 4 length, then an auxiliary configuration identifier laid out as the first.
  const aux = start + MST_CIST_END + mstis * MSTI_LEN + 2;
  if (version > VERSION_MST && has(aux, end, MCID_LEN)) addMcid(aux, end);
}

/** An MST configuration identifier's format selector and revision (the name and digest are not reported). */
function addMcid(p: u32, end: u32): void {
  addNum(F_CONFIG_FORMAT, u8at(p, end));
  addNum(F_CONFIG_REVISION, u16at(p + MCID_REVISION_AT, end));
}

// A bridge identifier's first 16 bits: a priority in steps of 4096, then the system ID extension.
const PRIORITY_MASK: u32 = 0xf000;
const EXTENSION_MASK: u32 = 0x0fff;

/** A bridge identifier as tshark's info column has it: priority/system ID extension/MAC. */
function putBridgeId(p: u32, end: u32): void {
  const prio = u16at(p, end);
  putDec(prio & PRIORITY_MASK); putc(0x2f);
  putDec(prio & EXTENSION_MASK); putc(0x2f);
  putEther(p + 2);
}

function addBridgeId(fPrio: u32, fExt: u32, fHw: u32, p: u32, end: u32): void {
  const prio = u16at(p, end);
  addNum(fPrio, prio & PRIORITY_MASK);
  addNum(fExt, prio & EXTENSION_MASK);
  addBytes(fHw, p + 2, 6);
}

/** A configuration BPDU has only the two topology change flags; the rapid ones and MSTI records all seven. */
function addFlags(flags: u32, rapid: bool): void {
  addNum(F_TCACK, (flags >> 7) & 1);
  if (rapid) {
    addNum(F_AGREEMENT, (flags >> 6) & 1);
    addNum(F_FORWARDING, (flags >> 5) & 1);
    addNum(F_LEARNING, (flags >> 4) & 1);
    addNum(F_PORT_ROLE, (flags >> 2) & 3);
    addNum(F_PROPOSAL, (flags >> 1) & 1);
  }
  addNum(F_TC, flags & 1);
}

/** A timer in 1/256 s, printed as tshark prints the double it makes of it. */
function addTimer(f: u32, units: u32): void {
  if (!unchecked(wanted[f])) return;
  const s = scratchBegin();
  putDec(units >> 8);
  const frac = units & 0xff;
  if (frac != 0) {
    // frac/256 has at most eight decimals: frac * 390625 is them as an integer.
    let digits: u32 = frac * 390625;
    let width: u32 = 8;
    while (digits % 10 == 0) { digits /= 10; width--; }
    putc(0x2e);
    putDecPadded(digits, width);
  }
  addBytes(f, s, scratchEnd(s));
}

// Cisco's per-VLAN spanning tree (PVST+) BPDUs come in SNAP under Cisco's OUI.
registerCiscoPid(0x010b, dissectStp);
