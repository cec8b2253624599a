// Connectivity Fault Management (IEEE 802.1ag) and Ethernet OAM (ITU-T
// Y.1731), ethertype 0x8902, as tshark 4.0 shows it: "Type " and the opcode's
// name ("Type Continuity Check Message (CCM)", "Type Unknown (0xcc)").  Each
// known opcode's fixed fields are read one by one, then the TLVs from where
// they end (tshark ignores the first-TLV offset there; an unknown opcode has
// no fields, so its TLVs start right after the opcode).  tshark's TLV walk
// checks each TLV's whole extent but moves on by what it read of the value,
// not by the TLV's length, so the value of each TLV type is measured as it
// does; it stops at an End TLV.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { registerEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putHex } from '../text';
import { lacks, be16, be32 } from '../cursor';

const PROTO_CFM = protocol('cfm', 'CFM EOAM 802.1ag/ITU Protocol');
const F_MD_LEVEL = uint('cfm.md.level', 'CFM MD Level', 8);
const F_VERSION = uint('cfm.version', 'CFM Version', 8);
const F_OPCODE = uint('cfm.opcode', 'CFM OpCode', 8);
const F_FLAGS = uint('cfm.flags', 'Flags', 8, Base.HEX);
const F_FIRST_TLV_OFFSET = uint('cfm.first.tlv.offset', 'First TLV Offset', 8);
const F_CCM_SEQUENCE = uint('cfm.ccm.seq.num', 'Sequence Number', 32);
const F_LB_TRANSACTION = uint('cfm.lb.transaction.id', 'Loopback Transaction Identifier', 32);
const F_LT_TRANSACTION = uint('cfm.lt.transaction.id', 'Linktrace Transaction Identifier', 32);
const F_LT_TTL = uint('cfm.lt.ttl', 'Linktrace TTL', 8);
const F_TLV_TYPE = uint('cfm.tlv.type', 'TLV Type', 8);
const F_TLV_LENGTH = uint('cfm.tlv.length', 'TLV Length', 16);

const ETHERTYPE_CFM: u32 = 0x8902;
const enum Op {
  Reserved = 0x00, CCM = 0x01, LBR = 0x02, LBM = 0x03, LTR = 0x04, LTM = 0x05,
  GNM = 0x20, AIS = 0x21, LCK = 0x23, TST = 0x25, APS = 0x27, RAPS = 0x28, MCC = 0x29, LMR = 0x2a, LMM = 0x2b,
  ODM = 0x2d, DMR = 0x2e, DMM = 0x2f, EXR = 0x30, EXM = 0x31, VSR = 0x32, VSM = 0x33, CSF = 0x34, OSL = 0x35, SLR = 0x36, SLM = 0x37,
}
const enum Tlv { End = 0, SenderId = 1, PortStatus = 2, InterfaceStatus = 4, ReplyIngress = 5, ReplyEgress = 6, LtmEgressId = 7, LtrEgressId = 8, Test = 32, TestId = 36 }
const GNM_BNM: u32 = 1;
const MAID_LEN: u32 = 48;
const TEST_ID_LEN: u32 = 4;
const MD_NAME_NONE: u32 = 1;

function opcodeName(op: u32): string {
  switch (op) {
    case Op.Reserved: return 'Reserved for IEEE 802.1';
    case Op.CCM: return 'Continuity Check Message (CCM)';
    case Op.LBR: return 'Loopback Reply (LBR)';
    case Op.LBM: return 'Loopback Message (LBM)';
    case Op.LTR: return 'Linktrace Reply (LTR)';
    case Op.LTM: return 'Linktrace Message (LTM)';
    case Op.GNM: return 'Generic Notification Message (GNM)';
    case Op.AIS: return 'Alarm Indication Signal (AIS)';
    case Op.LCK: return 'Lock Signal (LCK)';
    case Op.TST: return 'Test Signal (TST)';
    case Op.APS: return 'Automatic Protection Switching (APS)';
    case Op.RAPS: return 'Ring-Automatic Protection Switching (R-APS)';
    case Op.MCC: return 'Maintenance Communication Channel (MCC)';
    case Op.LMR: return 'Loss Measurement Reply (LMR)';
    case Op.LMM: return 'Loss Measurement Message (LMM)';
    case Op.ODM: return 'One Way Delay Measurement (1DM)';
    case Op.DMR: return 'Delay Measurement Reply (DMR)';
    case Op.DMM: return 'Delay Measurement Message (DMM)';
    case Op.EXR: return 'Experimental OAM Reply (EXR)';
    case Op.EXM: return 'Experimental OAM Message (EXM)';
    case Op.VSR: return 'Vendor Specific Reply (VSR)';
    case Op.VSM: return 'Vendor Specific Message (VSM)';
    case Op.CSF: return 'Client Signal Fail (CSF)';
    case Op.OSL: return 'One Way Synthetic Loss Measurement (1SL)';
    case Op.SLR: return 'Synthetic Loss Reply (SLR)';
    case Op.SLM: return 'Synthetic Loss Message (SLM)';
  }
  return '';
}

/**
 * The widths of an opcode's fields after the flags and first-TLV offset, in
 * tshark's order, as one number of 4-bit nibbles (lowest first; 0 ends),
 * with 0xf standing for 48 (CCM's MEG ID) and 0xe for 24 (R-APS's reserved).
 */
function fieldWidths(op: u32): u64 {
  switch (op) {
    case Op.CCM: return 0x4444f24;
    case Op.LBR: case Op.LBM: case Op.TST: return 0x4;
    case Op.LTR: return 0x114;
    case Op.LTM: return 0x6614;
    case Op.APS: return 0x1111;
    case Op.RAPS: return 0xe611;
    case Op.LMR: case Op.LMM: return 0x444;
    case Op.ODM: return 0x88;
    case Op.DMR: case Op.DMM: return 0x8888;
    case Op.OSL: case Op.SLR: case Op.SLM: return 0x44422;
    case Op.MCC: case Op.EXR: case Op.EXM: case Op.VSR: case Op.VSM: return 0x13;
    case Op.GNM: return 0x1;
  }
  return 0;
}

function dissectCfm(start: u32, end: u32): void {
  setProtocolColumn('CFM');
  infoSet(); infoDone();
  if (lacks(start + 1, end, 1)) return;
  const op = <u32>load<u8>(start + 1);
  infoSet();
  puts('Type ');
  const name = opcodeName(op);
  if (name.length > 0) puts(name);
  else { puts('Unknown ('); putHex(op, 2); puts(')'); }
  infoDone();
  beginLayer(PROTO_CFM);
  addNum(F_MD_LEVEL, load<u8>(start) >> 5);
  addNum(F_VERSION, load<u8>(start) & 0x1f);
  addNum(F_OPCODE, op);
  let p = start + 2;
  if (name.length > 0 && op != Op.Reserved) {
    p = dissectFields(start, end, op);
    if (p == 0) return;
  }
  walkTlvs(p, end);
}

/** The opcode's flags, first-TLV offset and fixed fields; where the TLVs start, or 0 when a field is missing. */
function dissectFields(start: u32, end: u32, op: u32): u32 {
  let p = start + 2;
  if (lacks(p, end, 1)) return 0;
  addNum(F_FLAGS, load<u8>(p));
  if (lacks(p + 1, end, 1)) return 0;
  const firstTlvOffset = <u32>load<u8>(p + 1);
  addNum(F_FIRST_TLV_OFFSET, firstTlvOffset);
  p += 2;
  let widths = fieldWidths(op);
  for (let i = 0; widths != 0; i++, widths >>= 4) {
    const nibble = <u32>(widths & 0xf);
    const width: u32 = nibble == 0xf ? MAID_LEN : nibble == 0xe ? 24 : nibble;
    // The MEG ID's names are read before its padding reaches the end of its 48 bytes.
    if (width == MAID_LEN && !maidReadable(p, end)) return 0;
    if (lacks(p, end, width)) return 0;
    if (i == 0 && op == Op.CCM) addNum(F_CCM_SEQUENCE, be32(p));
    else if (i == 0 && (op == Op.LBM || op == Op.LBR)) addNum(F_LB_TRANSACTION, be32(p));
    else if (i == 0 && (op == Op.LTM || op == Op.LTR)) addNum(F_LT_TRANSACTION, be32(p));
    else if (i == 1 && (op == Op.LTM || op == Op.LTR)) addNum(F_LT_TTL, load<u8>(p));
    p += width;
  }
  // GNM's bandwidth notification carries three 32-bit numbers; the data of
  // MCC and the experimental and vendor messages reach to the first TLV.
  if (op == Op.GNM && load<u8>(p - 1) == GNM_BNM) {
    if (lacks(p, end, 12)) return 0;
    p += 12;
  } else if ((op == Op.MCC || op == Op.EXR || op == Op.EXM || op == Op.VSR || op == Op.VSM) && firstTlvOffset > 4) {
    if (lacks(p, end, firstTlvOffset - 4)) return 0;
    p += firstTlvOffset - 4;
  }
  return p;
}

/**
 * CCM's MEG ID: the MD name's format, then (unless there is none) its length
 * and bytes, then the short MA name's format, length and bytes.  tshark
 * reads the names as long as they say, past the 48 bytes if need be.
 */
function maidReadable(p: u32, end: u32): bool {
  if (lacks(p, end, 1)) return false;
  let q = p + 1;
  if (load<u8>(p) != MD_NAME_NONE) {
    if (lacks(q, end, 1)) return false;
    const mdLength = <u32>load<u8>(q);
    if (lacks(q + 1, end, mdLength)) return false;
    q += 1 + mdLength;
  }
  if (lacks(q, end, 2)) return false;
  return !lacks(q + 2, end, <u32>load<u8>(q + 1));
}

function walkTlvs(p: u32, end: u32): void {
  for (;;) {
    if (lacks(p, end, 1)) return;
    const type = <u32>load<u8>(p);
    if (type == Tlv.End) { addNum(F_TLV_TYPE, type); return; }
    if (lacks(p + 1, end, 2)) return;
    const lengthField = be16(p + 1);
    // tshark 4.0 takes a Test ID TLV's value as its four bytes whatever its length says.
    const length = type == Tlv.TestId ? TEST_ID_LEN : lengthField;
    if (lacks(p, end, 3 + length)) return;
    addNum(F_TLV_TYPE, type);
    addNum(F_TLV_LENGTH, lengthField);
    p += 3;
    if (length == 0) continue;
    const used = valueRead(type, p, end, length);
    if (used < 0) return;
    p += <u32>used;
  }
}

/** How much of a TLV's value tshark reads (it moves on by that much), or -1 once a read fails. */
function valueRead(type: u32, p: u32, end: u32, length: u32): i32 {
  switch (type) {
    case Tlv.PortStatus: case Tlv.InterfaceStatus: return 1;
    case Tlv.LtmEgressId: return lacks(p, end, 8) ? -1 : 8;
    case Tlv.LtrEgressId: return lacks(p, end, 16) ? -1 : 16;
    case Tlv.Test: {
      // A test pattern type tshark knows (0 to 3) covers the rest of the value.
      const pattern = <u32>load<u8>(p);
      return pattern <= 3 && length > 1 ? <i32>length : 1;
    }
    case Tlv.ReplyIngress: case Tlv.ReplyEgress: {
      // Action and MAC address, then (beyond seven bytes) a port ID: its length, subtype and bytes.
      if (lacks(p, end, 7)) return -1;
      if (length <= 7) return 7;
      return lengthPrefixed(p + 7, end, 1, 7);
    }
    case Tlv.SenderId: return senderIdRead(p, end, length);
  }
  return <i32>length;
}

/**
 * A length byte at q then, when it is not zero, `extra` bytes and that many
 * more; the total from the value's start, `before` bytes ahead of q.
 */
function lengthPrefixed(q: u32, end: u32, extra: u32, before: u32): i32 {
  if (lacks(q, end, 1)) return -1;
  const n = <u32>load<u8>(q);
  if (n == 0) return <i32>(before + 1);
  if (lacks(q + 1, end, extra + n)) return -1;
  return <i32>(before + 1 + extra + n);
}

/** Sender ID: the chassis ID (length, subtype, bytes), then as the TLV length allows a management address domain and a management address, each a length and its bytes. */
function senderIdRead(p: u32, end: u32, length: u32): i32 {
  const chassisLength = <u32>load<u8>(p);
  let used = lengthPrefixed(p, end, 1, 0);
  if (used < 0 || length <= 2 + chassisLength) return used;
  const domainLength = <u32>u8after(p + <u32>used, end);
  used = lengthPrefixed(p + <u32>used, end, 0, <u32>used);
  if (used < 0 || length <= 2 + chassisLength + 1 + domainLength) return used;
  return lengthPrefixed(p + <u32>used, end, 0, <u32>used);
}

/** The byte at q, or 0 when it is not captured (the caller's next read marks that). */
function u8after(q: u32, end: u32): u32 {
  return q < end ? <u32>load<u8>(q) : 0;
}

registerEthertype(ETHERTYPE_CFM, dissectCfm);
