// SNMP's variable bindings (snmp.ts reads the message around them): each
// VarBind's name and value as tshark's hand-written dissect_snmp_VarBind
// reads them, and what it rejects walked as its unknown-BER code walks it.
// The SNMP protocol is declared here, the first of its files to be read, so
// that the fields of both belong to it.
import { protocol, uint, sint, str, bytes, ipv4, ipv6, Base } from '../fields';
import { addNum, addBytes, addCalled, wanted } from '../packet';
import { infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { putc } from '../text';
import { oidDecode, putSubids, putOidForInfo } from './oids';
import {
  Read, CLASS_UNIVERSAL, CLASS_APPLICATION, CLASS_CONTEXT, CLASS_PRIVATE, TAG_INTEGER, TAG_OCTET_STRING, TAG_NULL, TAG_OID, TAG_SEQUENCE,
  FAIL, reach, reachRange, reachBytes, narrow, clampWire, restore, readHeader, endOfContents, reasonable, checkEnd,
  failReportedBounds, MAX_NESTING, captureEnd, wireEnd, reportedEnd, messageStart, hClass, hConstructed, hTag, hContent, hLength, hIndefinite,
} from './ber';

export const PROTO_SNMP = protocol('snmp', 'Simple Network Management Protocol');
const F_VALUE_INT = sint('snmp.value.int', 'Value (Integer32)');
const F_VALUE_OCTETS = bytes('snmp.value.octets', 'Value (OctetString)');
const F_VALUE_OID = str('snmp.value.oid', 'Value (OID)', Base.FINAL_TEXT);
const F_VALUE_IPV4 = ipv4('snmp.value.ipv4', 'Value (IpAddress)');
const F_VALUE_IPV6 = ipv6('snmp.value.ipv6', 'Value (IpAddress)');
const F_VALUE_ADDR = bytes('snmp.value.addr', 'Value (IpAddress)');
const F_VALUE_U32 = sint('snmp.value.u32', 'Value (Unsigned32)');
const F_VALUE_G32 = sint('snmp.value.g32', 'Value (Gauge32)');
const F_VALUE_UNKNOWN = bytes('snmp.value.unk', 'Value (Unknown)');
const F_VALUE_COUNTER = uint('snmp.value.counter', 'Value (Counter32)', 64);
const F_VALUE_NSAP = uint('snmp.value.nsap', 'Value (NSAP)', 64);
const F_VALUE_TIMETICKS = uint('snmp.value.timeticks', 'Value (Timeticks)', 64);
const F_VALUE_OPAQUE = bytes('snmp.value.opaque', 'Value (Opaque)');
const F_NAME = str('snmp.name', 'Object Name', Base.FINAL_TEXT);

const TAG_EOC: u32 = 0;

/** Whether the reads tshark's dissect_ber_integer makes of an INTEGER's content succeed: with a field, an over-long one is read whole as bytes. */
export function integerReadable(content: u64, length: u64, hasField: bool): bool {
  if (length == 0) return true;
  if (!reach(content + 1)) return false;
  if (isOverlong(content, length)) return !hasField || reachRange(content, content + length);
  return reachBytes(content, content + length);
}

/** Longer than tshark's 64-bit integers (9 bytes only with a zero first). */
export function isOverlong(content: u64, length: u64): bool {
  return length > 9 || (length == 9 && load<u8>(<u32>content) != 0);
}

/** Adds the decoded OID (count sub-identifiers, -1 when invalid: empty) as a dotted string field. */
export function addOid(f: u32, count: i32): void {
  if (!unchecked(wanted[f])) return;
  const s = scratchBegin();
  if (count > 0) putSubids(0, count);
  addBytes(f, s, scratchEnd(s));
}

/** VarBindList, a SEQUENCE OF VarBind. */
export function readVarBinds(p: u64): u64 {
  if (!readHeader(p)) return FAIL;
  if (hClass != CLASS_APPLICATION && hClass != CLASS_PRIVATE && (!hConstructed || hClass != CLASS_UNIVERSAL || hTag != TAG_SEQUENCE)) {
    return hContent + hLength;
  }
  // A SEQUENCE OF's end, unlike a SEQUENCE's, takes in an indefinite length's end-of-contents.
  const end = hContent + hLength;
  const contentStart = hContent;
  let q = contentStart;
  // tshark first counts the items, reading their headers, when the capture has all of its tvb.
  if (captureEnd >= wireEnd) {
    while (q < end) {
      const eoc = endOfContents(q);
      if (eoc == Read.END) break;
      if (eoc != Read.OK) return FAIL;
      const start = q;
      if (!readHeader(q)) return FAIL;
      q = hContent + hLength;
      // tshark stops counting where the int offset fails to move forward.
      if (q <= start || q - messageStart >= 0x80000000) break;
    }
  }
  q = contentStart;
  while (q < end) {
    const eoc = endOfContents(q);
    if (eoc == Read.END) return q + 2;
    if (eoc != Read.OK) return FAIL;
    const start = q;
    if (!readHeader(q)) return FAIL;
    const next = hContent + hLength;
    if (!reasonable(start, next)) return FAIL;
    if (hClass == CLASS_UNIVERSAL && hTag == TAG_EOC) return next;
    if (hClass == CLASS_UNIVERSAL && hTag == TAG_SEQUENCE) {
      const savedReported = narrow(next), savedWire = wireEnd;
      clampWire();
      const r = readVarBind(start);
      restore(savedReported, savedWire);
      if (r == FAIL) return FAIL;
    }
    q = next;
  }
  return checkEnd(q, end) ? end : FAIL;
}

const enum Value { None, Int, Octets, Oid, Ipv4, Ipv6, Addr, U32, G32, Counter, Timeticks, Opaque, Nsap, Unknown }

/** tshark's value fields: signed 64-bit, unsigned 64-bit, or neither. */
function isSigned(v: Value): bool { return v == Value.Int || v == Value.U32 || v == Value.G32; }
function isUnsigned(v: Value): bool { return v == Value.Counter || v == Value.Timeticks || v == Value.Nsap; }

/** One VarBind, as tshark's hand-written dissect_snmp_VarBind reads it. */
function readVarBind(p: u64): u64 {
  if (!readHeader(p)) return FAIL;
  const end = hContent + hLength;
  if ((!hConstructed && hClass == CLASS_UNIVERSAL && hTag == TAG_SEQUENCE) || hIndefinite) {
    return reachRange(p, end) ? walkUnknown(p, 1) : FAIL; // noted over the whole VarBind
  }
  if (!reachRange(hContent, end)) return FAIL; // the VarBind's subtree
  if (!readHeader(hContent)) return FAIL;
  if (hConstructed || hClass != CLASS_UNIVERSAL || hTag != TAG_OID || hIndefinite) return walkUnknown(p, 1);
  const name = hContent, nameLength = hLength;
  if (!reachRange(name, name + nameLength)) return FAIL;
  const count = oidDecode(<u32>name, <u32>nameLength);
  addOid(F_NAME, count);
  const valueStart = name + nameLength;
  if (!readHeader(valueStart)) return FAIL;
  const cls = hClass, tag = hTag;
  let content = hContent, length = hLength;
  if (hConstructed) return reachRange(valueStart, valueStart + length) ? walkUnknown(valueStart, 1) : FAIL;
  if (count < 0) return walkUnknown(name, 1);
  let wrongLength = false;
  let kindDecodedOid = false;
  if (cls == CLASS_CONTEXT) {
    // noSuchObject, noSuchInstance, endOfMibView
    if (tag > 2) return walkUnknown(valueStart, 1);
    wrongLength = length != 0;
  } else if (cls == CLASS_UNIVERSAL && tag == TAG_INTEGER && length >= 1 && length <= 4) {
    if (!reachBytes(content, content + length)) return FAIL;
    let v: i64 = (load<u8>(<u32>content) & 0x80) != 0 ? -1 : 0;
    for (let q = content; q < content + length; q++) v = (v << 8) | <i64>load<u8>(<u32>q);
    addNum(F_VALUE_INT, <u64>v);
  } else {
    let kind = valueKind(cls, tag, length);
    const isNull = cls == CLASS_UNIVERSAL && tag == TAG_NULL;
    if (cls == CLASS_UNIVERSAL) {
      if (tag == TAG_INTEGER) wrongLength = true;
      else if (tag == TAG_OID) wrongLength = length < 1;
      else if (tag == TAG_NULL) wrongLength = length != 0;
    }
    if (length > 8) {
      if (isUnsigned(kind)) {
        if (length == 9 && !reach(content + 1)) return FAIL;
        if (length > 9 || load<u8>(<u32>content) != 0) kind = Value.None;
        else { length--; content++; }
      } else if (isSigned(kind)) kind = Value.None;
    } else if (length == 0 && (isSigned(kind) || isUnsigned(kind))) kind = Value.None;
    // Its bytes must be there, shown or noted as too long or empty; a NULL's field (FT_NONE) is not checked.
    if (!isNull && !reachRange(content, content + length)) return FAIL;
    addValue(kind, <u32>content, <u32>length);
    if (kind == Value.Octets && isStringVariable(<u32>name, <u32>nameLength)) addCalled(PROTO_SNMP);
    kindDecodedOid = kind == Value.Oid;
  }
  // An OID value decoded since took the name's place.
  if (kindDecodedOid) oidDecode(<u32>name, <u32>nameLength);
  infoAppend();
  putc(32);
  putOidForInfo(count);
  infoDone();
  return wrongLength ? walkUnknown(valueStart, 1) : end;
}

/** The field tshark shows a value of this class, tag and length under (without a MIB). */
/**
 * sysDescr.0 and sysName.0 (1.3.6.1.2.1.1.1.0, 1.3.6.1.2.1.1.5.0): tshark's
 * table "snmp.variable_oid" has SNMP's string dissector for their values, a call listed again.
 */
function isStringVariable(name: u32, n: u32): bool {
  if (n != 8 || load<u32>(name) != 0x0201062b || load<u16>(name + 4) != 0x0101 || load<u8>(name + 7) != 0) return false;
  const leaf = load<u8>(name + 6);
  return leaf == 1 || leaf == 5;
}

function valueKind(cls: u32, tag: u32, length: u64): Value {
  if (cls == CLASS_UNIVERSAL) {
    if (tag == TAG_INTEGER) return Value.Int;
    if (tag == TAG_OCTET_STRING) return Value.Octets;
    if (tag == TAG_OID) return Value.Oid;
    if (tag == TAG_NULL) return Value.None; // a field with no value
    return Value.Unknown;
  }
  if (cls != CLASS_APPLICATION) return Value.Unknown;
  switch (tag) {
    case 0: return length == 4 ? Value.Ipv4 : length == 16 ? Value.Ipv6 : Value.Addr;
    case 1: return Value.Counter;
    case 2: return Value.G32;
    case 3: return Value.Timeticks;
    case 4: return Value.Opaque;
    case 5: return Value.Nsap;
    case 6: return Value.Counter; // Counter64 shares Counter32's field name
    case 7: return Value.U32;
    default: return Value.Unknown;
  }
}

function addValue(kind: Value, p: u32, n: u32): void {
  switch (kind) {
    case Value.Int: case Value.U32: case Value.G32: {
      let v: i64 = (load<u8>(p) & 0x80) != 0 ? -1 : 0;
      for (let i: u32 = 0; i < n; i++) v = (v << 8) | <i64>load<u8>(p + i);
      addNum(kind == Value.Int ? F_VALUE_INT : kind == Value.U32 ? F_VALUE_U32 : F_VALUE_G32, <u64>v);
      break;
    }
    case Value.Counter: case Value.Timeticks: case Value.Nsap: {
      let v: u64 = 0;
      for (let i: u32 = 0; i < n; i++) v = (v << 8) | <u64>load<u8>(p + i);
      addNum(kind == Value.Counter ? F_VALUE_COUNTER : kind == Value.Timeticks ? F_VALUE_TIMETICKS : F_VALUE_NSAP, v);
      break;
    }
    case Value.Octets: addBytes(F_VALUE_OCTETS, p, n); break;
    case Value.Opaque: addBytes(F_VALUE_OPAQUE, p, n); break;
    case Value.Addr: addBytes(F_VALUE_ADDR, p, n); break;
    case Value.Unknown: addBytes(F_VALUE_UNKNOWN, p, n); break;
    case Value.Ipv4: addBytes(F_VALUE_IPV4, p, 4); break;
    case Value.Ipv6: addBytes(F_VALUE_IPV6, p, 16); break;
    case Value.Oid: addOid(F_VALUE_OID, oidDecode(p, n)); break;
    default: break;
  }
}

const TAG_BOOLEAN: u32 = 1;
const TAG_REAL: u32 = 9;
const TAG_ENUMERATED: u32 = 10;

/** Universal tags tshark's unknown-BER walker reads as strings: OCTET STRING and the character and time types it knows. */
function isStringTag(tag: u32): bool {
  return tag == TAG_OCTET_STRING || tag == 12 || (tag >= 18 && tag <= 20) || (tag >= 22 && tag <= 28) || tag == 30;
}

/**
 * tshark's dissect_unknown_ber: the value at p walked as plain BER; where
 * it stops, or FAIL.  A length past the tvb ends every walk around it at the
 * tvb's end; a NULL, an end-of-contents or a BOOLEAN of a length other than
 * one stops after its header.
 */
export function walkUnknown(p: u64, nesting: u32): u64 {
  if (nesting > MAX_NESTING) return failReportedBounds();
  if (!readHeader(p)) return FAIL;
  const content = hContent, end = hContent + hLength;
  if (end > reportedEnd) return reportedEnd;
  if (hConstructed) {
    if (!reachRange(content, end)) return FAIL; // its subtree covers it
    let q = content;
    while (q < end) {
      q = walkUnknown(q, nesting + 1);
      if (q == FAIL) return FAIL;
    }
    return q;
  }
  if (hClass != CLASS_UNIVERSAL) return reachBytes(content, end) ? end : FAIL;
  const tag = hTag;
  if (tag == TAG_EOC || tag == TAG_NULL) return content;
  if (tag == TAG_BOOLEAN) return hLength != 1 ? content : reach(end) ? end : FAIL;
  if (tag == TAG_INTEGER || tag == TAG_ENUMERATED) return integerReadable(content, hLength, true) ? end : FAIL;
  if (tag == TAG_REAL || tag == 3 || tag == TAG_OID || tag == 13 || isStringTag(tag)) return reachRange(content, end) ? end : FAIL;
  return end;
}

