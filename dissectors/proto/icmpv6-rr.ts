// ICMPv6 router renumbering (RFC 2894): the header, then for a command its
// match-prefix part and use-prefix parts, for a result its match results.
import { uint, flag, ipv6, Base } from '../fields';
import { addNum, addBytes, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { F_ICMPV6_RESERVED } from './icmpv6-nd';

const F_SEQUENCE = uint('icmpv6.rr.sequence_number', 'Sequence Number');
const F_SEGMENT = uint('icmpv6.rr.segment_number', 'Segment Number', 8);
const F_FLAG = uint('icmpv6.rr.flag', 'Flags', 8, Base.HEX);
const F_FLAG_T = flag('icmpv6.rr.flag.t', 'Test Command');
const F_FLAG_R = flag('icmpv6.rr.flag.r', 'Result requested');
const F_FLAG_A = flag('icmpv6.rr.flag.a', 'All Interfaces');
const F_FLAG_S = flag('icmpv6.rr.flag.s', 'Site-specific');
const F_FLAG_P = flag('icmpv6.rr.flag.p', 'Processed previously');
const F_FLAG_RSV = uint('icmpv6.rr.flag.rsv', 'Reserved', 8);
const F_MAXDELAY = uint('icmpv6.rr.maxdelay', 'Max Delay', 16);
const F_MP = flag('icmpv6.rr.pco.mp', 'Match-Prefix Part');
const F_MP_OPCODE = uint('icmpv6.rr.pco.mp.opcode', 'OpCode', 8);
const F_MP_OPLENGTH = uint('icmpv6.rr.pco.mp.oplength', 'OpLength', 8);
const F_MP_ORDINAL = uint('icmpv6.rr.pco.mp.ordinal', 'Ordinal', 8, Base.HEX);
const F_MP_MATCHLEN = uint('icmpv6.rr.pco.mp.matchlen', 'MatchLen', 8);
const F_MP_MINLEN = uint('icmpv6.rr.pco.mp.minlen', 'MinLen', 8);
const F_MP_MAXLEN = uint('icmpv6.rr.pco.mp.maxlen', 'MaxLen', 8);
const F_MP_MATCHPREFIX = ipv6('icmpv6.rr.pco.mp.matchprefix', 'MatchPrefix');
const F_UP = flag('icmpv6.rr.pco.up', 'Use-Prefix Part');
const F_UP_USELEN = uint('icmpv6.rr.pco.up.uselen', 'UseLen', 8);
const F_UP_KEEPLEN = uint('icmpv6.rr.pco.up.keeplen', 'KeepLen', 8);
const F_UP_FLAGMASK = uint('icmpv6.rr.pco.up.flagmask', 'FlagMask', 8, Base.HEX);
const F_UP_FLAGMASK_L = flag('icmpv6.rr.pco.up.flagmask.l', 'On-link flag(L)');
const F_UP_FLAGMASK_A = flag('icmpv6.rr.pco.up.flagmask.a', 'Autonomous address-configuration flag(A)');
const F_UP_FLAGMASK_RESERVED = uint('icmpv6.rr.pco.up.flagmask.reserved', 'Reserved', 8);
const F_UP_RAFLAGS = uint('icmpv6.rr.pco.up.raflags', 'RaFlags', 8, Base.HEX);
const F_UP_VALID = uint('icmpv6.rr.pco.up.validlifetime', 'Valid Lifetime');
const F_UP_PREFERRED = uint('icmpv6.rr.pco.up.preferredlifetime', 'Preferred Lifetime');
const F_UP_FLAG = uint('icmpv6.rr.pco.up.flag', 'Flags', 32, Base.HEX);
const F_UP_FLAG_V = flag('icmpv6.rr.pco.up.flag.v', 'Decrement valid lifetime');
const F_UP_FLAG_P = flag('icmpv6.rr.pco.up.flag.p', 'Decrement preferred lifetime');
const F_UP_FLAG_RESERVED = uint('icmpv6.rr.pco.up.flag.reserved', 'Reserved');
const F_UP_USEPREFIX = ipv6('icmpv6.rr.pco.up.useprefix', 'UsePrefix');
const F_RM = flag('icmpv6.rr.rm', 'Result Message');
const F_RM_FLAG = uint('icmpv6.rr.rm.flag', 'Flags', 16, Base.HEX);
const F_RM_FLAG_B = flag('icmpv6.rr.rm.flag.b', 'Bounds');
const F_RM_FLAG_F = flag('icmpv6.rr.rm.flag.f', 'Forbidden');
const F_RM_FLAG_RESERVED = uint('icmpv6.rr.rm.flag.reserved', 'Reserved', 16);
const F_RM_ORDINAL = uint('icmpv6.rr.rm.ordinal', 'Ordinal', 8, Base.HEX);
const F_RM_MATCHEDLEN = uint('icmpv6.rr.rm.matchedlen', 'MatchedLen', 8);
const F_RM_INTERFACEINDEX = uint('icmpv6.rr.rm.interfaceindex', 'InterfaceIndex');
const F_RM_MATCHEDPREFIX = ipv6('icmpv6.rr.rm.matchedprefix', 'MatchedPrefix');

const COMMAND: u32 = 0, RESULT: u32 = 1;

function need(p: u32, n: u32, end: u32): bool {
  if (has(p, end, n)) return true;
  markTruncated();
  return false;
}

/** The body after the ICMPv6 checksum. */
export function dissectRouterRenumbering(p: u32, end: u32, code: u32): void {
  if (!need(p, 4, end)) return;
  addNum(F_SEQUENCE, u32at(p, end));
  if (!need(p + 4, 1, end)) return;
  addNum(F_SEGMENT, u8at(p + 4, end));
  if (!need(p + 5, 1, end)) return;
  const flags = u8at(p + 5, end);
  addNum(F_FLAG, flags);
  addNum(F_FLAG_T, flags >> 7);
  addNum(F_FLAG_R, (flags >> 6) & 1);
  addNum(F_FLAG_A, (flags >> 5) & 1);
  addNum(F_FLAG_S, (flags >> 4) & 1);
  addNum(F_FLAG_P, (flags >> 3) & 1);
  addNum(F_FLAG_RSV, flags & 7);
  if (!need(p + 6, 2, end)) return;
  addNum(F_MAXDELAY, u16at(p + 6, end));
  if (!need(p + 8, 4, end)) return;
  addBytes(F_ICMPV6_RESERVED, p + 8, 4);
  let o = p + 12;
  if (o >= end) return;
  if (code == COMMAND) {
    // The parts are shown field by field as far as their bytes go.
    addNum(F_MP, 1);
    if (!byte(F_MP_OPCODE, o, end) || !byte(F_MP_OPLENGTH, o + 1, end) || !byte(F_MP_ORDINAL, o + 2, end)
      || !byte(F_MP_MATCHLEN, o + 3, end) || !byte(F_MP_MINLEN, o + 4, end) || !byte(F_MP_MAXLEN, o + 5, end)) return;
    if (!need(o + 6, 2, end)) return;
    addBytes(F_ICMPV6_RESERVED, o + 6, 2);
    if (!need(o + 8, 16, end)) return;
    addBytes(F_MP_MATCHPREFIX, o + 8, 16);
    // Use-prefix parts, 32 bytes each, to the end of the message.
    for (o += 24; o < end; o += 32) {
      addNum(F_UP, 1);
      if (!byte(F_UP_USELEN, o, end) || !byte(F_UP_KEEPLEN, o + 1, end)) return;
      if (!need(o + 2, 1, end)) return;
      addFlagMask(F_UP_FLAGMASK, u8at(o + 2, end));
      if (!need(o + 3, 1, end)) return;
      // Wireshark shows the RA flags' bits under the flag mask's names.
      addFlagMask(F_UP_RAFLAGS, u8at(o + 3, end));
      if (!need(o + 4, 4, end)) return;
      addNum(F_UP_VALID, u32at(o + 4, end));
      if (!need(o + 8, 4, end)) return;
      addNum(F_UP_PREFERRED, u32at(o + 8, end));
      if (!need(o + 12, 4, end)) return;
      const upFlags = u32at(o + 12, end);
      addNum(F_UP_FLAG, upFlags);
      addNum(F_UP_FLAG_V, upFlags >> 31);
      addNum(F_UP_FLAG_P, (upFlags >> 30) & 1);
      addNum(F_UP_FLAG_RESERVED, upFlags & 0x3fffffff);
      if (!need(o + 16, 16, end)) return;
      addBytes(F_UP_USEPREFIX, o + 16, 16);
    }
  } else if (code == RESULT) {
    for (; o < end; o += 24) {
      addNum(F_RM, 1);
      if (!need(o, 2, end)) return;
      const rmFlags = u16at(o, end);
      addNum(F_RM_FLAG, rmFlags);
      addNum(F_RM_FLAG_B, (rmFlags >> 1) & 1);
      addNum(F_RM_FLAG_F, rmFlags & 1);
      addNum(F_RM_FLAG_RESERVED, rmFlags >> 2);
      if (!byte(F_RM_ORDINAL, o + 2, end) || !byte(F_RM_MATCHEDLEN, o + 3, end)) return;
      if (!need(o + 4, 4, end)) return;
      addNum(F_RM_INTERFACEINDEX, u32at(o + 4, end));
      if (!need(o + 8, 16, end)) return;
      addBytes(F_RM_MATCHEDPREFIX, o + 8, 16);
    }
  }
}

/** A one-byte field at p; false when it is not there. */
function byte(f: u32, p: u32, end: u32): bool {
  if (!need(p, 1, end)) return false;
  addNum(f, u8at(p, end));
  return true;
}

function addFlagMask(f: u32, bits: u32): void {
  addNum(f, bits);
  addNum(F_UP_FLAGMASK_L, bits >> 7);
  addNum(F_UP_FLAGMASK_A, (bits >> 6) & 1);
  addNum(F_UP_FLAGMASK_RESERVED, bits & 0x3f);
}
