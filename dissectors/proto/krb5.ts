// Kerberos 5 (RFC 4120) as tshark 4.0 shows it, on UDP and TCP port 88.
//
// Over UDP a first byte of 0x10 or less is Kerberos v4 (krb4.ts); otherwise
// the datagram must open with an ASN.1 APPLICATION tag tshark knows (KRB-CRED
// is not among them on UDP) or it is not Kerberos.  Over TCP each record
// has a 4-byte record mark (RFC 4120 7.2.2); a segment is read as a run of
// records from its first byte, as tshark does without reassembly.
//
// The info column is the name of the first msg-type read (not the
// APPLICATION tag), replaced by "KRB Error: <code>" when a KRB-ERROR's
// error-code is not 0.  tshark decodes the whole message; this walks it the
// way tshark's BER decoder does so that the same reads fail: the sequences
// of the messages down to tickets and PA-DATA (a PA-TGS-REQ holds an
// AP-REQ) follow the schema, with tshark's handling of optional, missing
// and unknown fields; the values inside them are walked as plain BER
// (headers read, constructed values entered, primitives read as tshark
// reads their type).  An explicitly tagged field and the chosen APPLICATION
// value bound what is inside them, as tshark's sub-tvbs do.  A read past
// the captured bytes is "size limited"; past the message or such a bound it
// is malformed (in a TCP record "[BoundErrorUnreassembled Packet]", and the
// next record is read).  Not done, so a damaged message can still end
// differently: the type tshark expects inside the other fields (it notes a
// wrong one and reads no further), the PA-DATA values other than a
// PA-TGS-REQ's, a constructed OCTET STRING (which tshark reassembles), and
// Microsoft's NT status in a KRB-ERROR's PW-SALT (appended to the info).

// A KDC request sent over UDP to port 88 opens a conversation from the
// client's address and port to the server's address, any port (tshark's
// NO_PORT_B): later datagrams between them are tried as Kerberos first,
// whatever their ports, as when a krb524 client sends a bare ticket to port
// 4444 (tshark shows it KRB5 with an empty info).
import { protocol, uint, sint, flag, str, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated, markReadPast, reportedLength, truncatedToUnreassembled, bytesCutAfter, beginSingleCall, endSingleCall } from '../packet';
import { registerUdpPortTry, registerTcpPort, registerUdpConversation, udpSrcPort, udpDstPort, callListed } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHexDigits, tableName } from '../text';
import { PortlessConversations } from '../portless-conversations';
import { dissectKrb4 } from './krb4';
import { messageContinues, addPduSize } from './tcp-pdu';
import { addAscii } from './ascii-text';
import {
  Read, CLASS_UNIVERSAL, CLASS_APPLICATION, CLASS_CONTEXT, TAG_OCTET_STRING, TAG_SEQUENCE, FAIL, berBegin, reach, narrow, clampWire, restore,
  readHeader, valueEnd, isSequenceHeader, endOfContents, reasonable, checkEnd, failure, captureEnd, wireEnd, reportedEnd,
  hClass, hConstructed, hTag, hContent, hLength, hIndefinite,
} from './ber';

const PROTO_KERBEROS = protocol('kerberos', 'Kerberos');
const F_RM_RESERVED = flag('kerberos.rm.reserved', 'Reserved');
const F_RM_LENGTH = uint('kerberos.rm.length', 'Record Length');
const F_PVNO = uint('kerberos.pvno', 'pvno');
const F_MSG_TYPE = sint('kerberos.msg_type', 'msg-type');
const F_PADATA_TYPE = sint('kerberos.padata_type', 'padata-type');
const F_ERROR_CODE = sint('kerberos.error_code', 'error-code');
const F_TKT_VNO = uint('kerberos.tkt_vno', 'tkt-vno');
const F_REALM = str('kerberos.realm', 'realm', Base.FINAL_TEXT);
const F_CREALM = str('kerberos.crealm', 'crealm', Base.FINAL_TEXT);
const F_E_TEXT = str('kerberos.e_text', 'e-text', Base.FINAL_TEXT);

const KERBEROS_PORT: u32 = 88;
const RECORD_LENGTH_MASK: u32 = 0x7fffffff;
const MAX_RECORD: u32 = 10 * 1024 * 1024;
const PA_TGS_REQ: i64 = 1;

const TAG_GENERALIZED_TIME: u32 = 24;
const TAG_GENERAL_STRING: u32 = 27;
const MAX_DEPTH: u32 = 64;

const enum App {
  Ticket = 1, Authenticator = 2, EncTicketPart = 3, AsReq = 10, AsRep = 11, TgsReq = 12, TgsRep = 13, ApReq = 14, ApRep = 15,
  Safe = 20, Priv = 21, Cred = 22, EncAsRepPart = 25, EncTgsRepPart = 26, EncApRepPart = 27, EncKrbPrivPart = 28,
  EncKrbCredPart = 29, Error = 30,
}

// --- Plain BER -------------------------------------------------------------

/** Walks one value at p; its end, or FAIL. */
function walkValue(p: u64, depth: u32): u64 {
  if (!readHeader(p)) return FAIL;
  if (!hConstructed || depth >= MAX_DEPTH) {
    const end = hContent + hLength;
    return reach(primitiveReadEnd(end)) ? end : FAIL;
  }
  const explicit = hClass == CLASS_CONTEXT;
  const indefinite = hIndefinite;
  const end = valueEnd();
  const savedReported = explicit ? narrow(end) : reportedEnd, savedWire = wireEnd;
  clampWire();
  let q = hContent;
  let result: u64 = FAIL;
  if (explicit) {
    result = walkValue(q, depth + 1);
    if (result != FAIL) result = indefinite ? result + 2 : end;
  } else {
    result = end;
    while (q < end) {
      const eoc = endOfContents(q);
      if (eoc != Read.OK) { result = eoc == Read.END ? (indefinite ? q + 2 : end) : FAIL; break; }
      const start = q;
      if (!readHeader(q)) { result = FAIL; break; }
      const next = hContent + hLength;
      if (!reasonable(start, next)) { result = FAIL; break; }
      q = walkValue(start, depth + 1);
      if (q == FAIL) { result = FAIL; break; }
      q = next;
    }
    if (result == end && !checkEnd(q, end)) result = FAIL;
  }
  restore(savedReported, savedWire);
  return result;
}

/**
 * How far tshark reads a primitive value ending at `end`: octet and
 * character strings are cut to what their tvb has, a GeneralizedTime of a
 * length it rejects is not read, other values (integers, bit strings, times)
 * are read whole.
 */
function primitiveReadEnd(end: u64): u64 {
  if (hClass != CLASS_UNIVERSAL) return end;
  if (hTag == TAG_OCTET_STRING || hTag == TAG_GENERAL_STRING) return end > reportedEnd ? reportedEnd : end;
  if (hTag == TAG_GENERALIZED_TIME && (hLength < 14 || hLength > 23)) return hContent;
  return end;
}

// --- The messages' sequences ---------------------------------------------

// A sequence is a list of fields: context tag, OPTIONAL, and what is inside.
const OPTIONAL: u32 = 0x100;
const enum Kind {
  Any = 0, Pvno = 1, MsgType = 2, ErrorCode = 3, TktVno = 4, PadataType = 5, PadataValue = 6,
  Ticket = 7, Tickets = 8, Padata = 9, ReqBody = 10, Realm = 11, Crealm = 12, EText = 13,
}
@inline function fieldOf(tag: u32, kind: Kind, optional: bool = false): u32 { return tag | (optional ? OPTIONAL : 0) | (<u32>kind << 16); }

const KDC_REQ: StaticArray<u32> = [fieldOf(1, Kind.Pvno), fieldOf(2, Kind.MsgType), fieldOf(3, Kind.Padata, true), fieldOf(4, Kind.ReqBody)];
const KDC_REP: StaticArray<u32> = [fieldOf(0, Kind.Pvno), fieldOf(1, Kind.MsgType), fieldOf(2, Kind.Padata, true), fieldOf(3, Kind.Crealm),
  fieldOf(4, Kind.Any), fieldOf(5, Kind.Ticket), fieldOf(6, Kind.Any)];
const AP_REQ: StaticArray<u32> = [fieldOf(0, Kind.Pvno), fieldOf(1, Kind.MsgType), fieldOf(2, Kind.Any), fieldOf(3, Kind.Ticket), fieldOf(4, Kind.Any)];
const AP_REP: StaticArray<u32> = [fieldOf(0, Kind.Pvno), fieldOf(1, Kind.MsgType), fieldOf(2, Kind.Any)];
const KRB_SAFE: StaticArray<u32> = [fieldOf(0, Kind.Pvno), fieldOf(1, Kind.MsgType), fieldOf(2, Kind.Any), fieldOf(3, Kind.Any)];
const KRB_PRIV: StaticArray<u32> = [fieldOf(0, Kind.Pvno), fieldOf(1, Kind.MsgType), fieldOf(3, Kind.Any)];
const KRB_CRED: StaticArray<u32> = [fieldOf(0, Kind.Pvno), fieldOf(1, Kind.MsgType), fieldOf(2, Kind.Tickets), fieldOf(3, Kind.Any)];
const KRB_ERROR: StaticArray<u32> = [fieldOf(0, Kind.Pvno), fieldOf(1, Kind.MsgType), fieldOf(2, Kind.Any, true), fieldOf(3, Kind.Any, true),
  fieldOf(4, Kind.Any), fieldOf(5, Kind.Any), fieldOf(6, Kind.ErrorCode), fieldOf(7, Kind.Crealm, true), fieldOf(8, Kind.Any, true),
  fieldOf(9, Kind.Realm), fieldOf(10, Kind.Any), fieldOf(11, Kind.EText, true), fieldOf(12, Kind.Any, true)];
const TICKET: StaticArray<u32> = [fieldOf(0, Kind.TktVno), fieldOf(1, Kind.Realm), fieldOf(2, Kind.Any), fieldOf(3, Kind.Any)];
const KDC_REQ_BODY: StaticArray<u32> = [fieldOf(0, Kind.Any), fieldOf(1, Kind.Any, true), fieldOf(2, Kind.Realm), fieldOf(3, Kind.Any, true),
  fieldOf(4, Kind.Any, true), fieldOf(5, Kind.Any), fieldOf(6, Kind.Any, true), fieldOf(7, Kind.Any), fieldOf(8, Kind.Any),
  fieldOf(9, Kind.Any, true), fieldOf(10, Kind.Any, true), fieldOf(11, Kind.Tickets, true)];
const PA_DATA: StaticArray<u32> = [fieldOf(1, Kind.PadataType), fieldOf(2, Kind.PadataValue)];

let infoFromMsgType = true; // tshark's gbl_do_col_info: only the first msg-type names the message
let padataType: i64 = 0;
let overTcp = false;

/** A SEQUENCE at p read field by field against `fields`; its end, or FAIL. */
function readSequence(p: u64, fields: StaticArray<u32>, depth: u32): u64 {
  if (!readHeader(p)) return FAIL;
  // tshark notes anything else as an error and goes on after it.
  if (!isSequenceHeader()) return hContent + hLength;
  const indefinite = hIndefinite;
  const end = valueEnd();
  let q = hContent;
  let i = 0;
  const n = fields.length;
  while (q < end) {
    const eoc = endOfContents(q);
    if (eoc != Read.OK) return eoc == Read.END ? (indefinite ? q + 2 : end) : FAIL;
    const start = q;
    if (!readHeader(q)) return FAIL;
    const next = hContent + hLength;
    if (!reasonable(start, next)) return FAIL;
    while (i < n && !(hClass == CLASS_CONTEXT && hTag == (unchecked(fields[i]) & 0xff)) && (unchecked(fields[i]) & OPTIONAL) != 0) i++;
    if (i >= n) { q = next; continue; } // past the definition: skipped
    const field = unchecked(fields[i]);
    i++;
    if (!(hClass == CLASS_CONTEXT && hTag == (field & 0xff))) { q = next; continue; } // a wrong field: skipped
    const fieldIndefinite = hIndefinite;
    const savedReported = narrow(valueEnd()), savedWire = wireEnd;
    clampWire();
    const innerEnd = readField(<Kind>(field >> 16), hContent, depth + 1);
    restore(savedReported, savedWire);
    if (innerEnd == FAIL) return FAIL;
    q = fieldIndefinite ? innerEnd + 2 : next;
  }
  return checkEnd(q, end) ? (indefinite ? q + 2 : end) : FAIL;
}

function readField(kind: Kind, p: u64, depth: u32): u64 {
  switch (kind) {
    case Kind.Pvno: case Kind.TktVno: case Kind.MsgType: case Kind.ErrorCode: case Kind.PadataType:
      return readInteger(kind, p);
    case Kind.Ticket: return readTicket(p, depth);
    case Kind.Tickets: return readSequenceOf(p, Kind.Ticket, depth);
    case Kind.Padata: return readSequenceOf(p, Kind.Padata, depth);
    case Kind.ReqBody:
      if (!overTcp && udpDstPort == KERBEROS_PORT && clients.find(udpSrcPort, udpDstPort) < 0) clients.open(udpSrcPort);
      return readSequence(p, KDC_REQ_BODY, depth);
    case Kind.PadataValue: return readPadataValue(p, depth);
    case Kind.Realm: return readString(F_REALM, p);
    case Kind.Crealm: return readString(F_CREALM, p);
    case Kind.EText: return readString(F_E_TEXT, p);
    default: return walkValue(p, depth);
  }
}

/** A GeneralString: read whole; another type is only noted. */
function readString(f: u32, p: u64): u64 {
  if (!readHeader(p)) return FAIL;
  const end = hContent + hLength;
  if (hClass != CLASS_UNIVERSAL || hTag != TAG_GENERAL_STRING) return end;
  const shown = primitiveReadEnd(end);
  if (!reach(shown)) return FAIL;
  addAscii(f, <u32>hContent, <u32>(shown - hContent));
  return end;
}

/** An INTEGER: all its bytes must be there (tshark reads them one by one). */
function readInteger(kind: Kind, p: u64): u64 {
  if (!readHeader(p)) return FAIL;
  const end = hContent + hLength;
  if (!reach(end)) return FAIL;
  const signed = kind == Kind.MsgType || kind == Kind.ErrorCode || kind == Kind.PadataType;
  let v: i64 = 0;
  if (hLength > 0 && signed && (load<u8>(<u32>hContent) & 0x80) != 0) v = -1;
  for (let q = hContent; q < end; q++) v = (v << 8) | <i64>load<u8>(<u32>q);
  // tshark shows no field for an empty or over-long integer, but takes its value (0 when empty) all the same.
  const shown = hLength > 0 && hLength <= 8;
  if (!shown && hLength > 8) return end;
  const v32 = <i64><i32>v;
  switch (kind) {
    case Kind.Pvno: if (shown) addNum(F_PVNO, <u64><u32>v); break;
    case Kind.TktVno: if (shown) addNum(F_TKT_VNO, <u64><u32>v); break;
    case Kind.PadataType: if (shown) addNum(F_PADATA_TYPE, <u64>v32); padataType = v32; break;
    case Kind.MsgType:
      if (shown) addNum(F_MSG_TYPE, <u64>v32);
      if (infoFromMsgType) {
        infoSet();
        const name = tableName(MSG_TYPES, <u32>v32, '');
        if (v32 >= 0 && name.length > 0) puts(name); else { puts('Unknown msg type '); putAlternateHex(<u32>v32); }
        infoDone();
      }
      infoFromMsgType = false;
      break;
    case Kind.ErrorCode:
      if (shown) addNum(F_ERROR_CODE, <u64>v32);
      if (v32 != 0) {
        infoSet();
        puts('KRB Error: ');
        const name = tableName(ERROR_CODES, <u32>v32, '');
        if (v32 > 0 && name.length > 0) puts(name); else { puts('Unknown error code '); putAlternateHex(<u32>v32); }
        infoDone();
      }
      break;
    default: break;
  }
  return end;
}

/** v as C's "%#x" prints it: "0" for zero, else "0x" and lowercase hex. */
function putAlternateHex(v: u32): void {
  if (v == 0) puts('0'); else { puts('0x'); putHexDigits(v, 1); }
}

/** A Ticket: [APPLICATION 1] around its SEQUENCE (a wrong tag there is only noted). */
function readTicket(p: u64, depth: u32): u64 {
  if (!readHeader(p)) return FAIL;
  return readSequence(hContent, TICKET, depth + 1);
}

function readSequenceOf(p: u64, item: Kind, depth: u32): u64 {
  if (!readHeader(p)) return FAIL;
  if (!isSequenceHeader()) return hContent + hLength;
  const end = valueEnd();
  const contentStart = hContent;
  let q = contentStart;
  // tshark first counts the items, reading their headers, when the capture has all of its tvb.
  if (captureEnd >= wireEnd) {
    while (q < end) {
      const eoc = endOfContents(q);
      if (eoc != Read.OK) { if (eoc == Read.END) break; return FAIL; }
      const start = q;
      if (!readHeader(q)) return FAIL;
      q = hContent + hLength;
      if (q <= start) break;
    }
  }
  q = contentStart;
  while (q < end) {
    const eoc = endOfContents(q);
    if (eoc != Read.OK) return eoc == Read.END ? q + 2 : FAIL;
    const start = q;
    if (!readHeader(q)) return FAIL;
    const next = hContent + hLength;
    if (!reasonable(start, next)) return FAIL;
    const wanted = item == Kind.Ticket ? hClass == CLASS_APPLICATION && hTag == <u32>App.Ticket
      : hClass == CLASS_UNIVERSAL && hTag == TAG_SEQUENCE;
    if (wanted) {
      // Each item is read inside its own extent.
      const savedReported = narrow(next), savedWire = wireEnd;
      clampWire();
      const r = item == Kind.Ticket ? readTicket(start, depth + 1) : readSequence(start, PA_DATA, depth + 1);
      restore(savedReported, savedWire);
      if (r == FAIL) return FAIL;
    }
    q = next;
  }
  return checkEnd(q, end) ? end : FAIL;
}

/** A PA-DATA's value: an OCTET STRING, read as a Kerberos message inside for PA-TGS-REQ. */
function readPadataValue(p: u64, depth: u32): u64 {
  if (padataType != PA_TGS_REQ || depth >= MAX_DEPTH) return walkValue(p, depth);
  if (!readHeader(p)) return FAIL;
  const end = hContent + hLength;
  const inside = end < reportedEnd ? end : reportedEnd;
  if (!reach(inside)) return FAIL;
  const savedReported = narrow(inside), savedWire = wireEnd;
  clampWire();
  const r = readApplication(hContent, depth + 1);
  restore(savedReported, savedWire);
  return r == FAIL ? FAIL : end;
}

// The APPLICATION tags of tshark's Applications CHOICE: 1-3, 10-15, 20-22 and 25-30.
const APPLICATION_TAGS: u32 = 0b0111_1110_0111_0000_1111_1100_0000_1110;

function isApplication(tag: u32): bool {
  return tag < 32 && ((APPLICATION_TAGS >> tag) & 1) != 0;
}

/** tshark's Applications CHOICE at p; its end, or FAIL. */
function readApplication(p: u64, depth: u32): u64 {
  if (p >= reportedEnd) return p; // an empty choice is only noted
  if (!readHeader(p)) return FAIL;
  if (hClass != CLASS_APPLICATION || !isApplication(hTag)) return p;
  const tag = hTag;
  const end = valueEnd();
  const savedReported = narrow(end), savedWire = wireEnd;
  clampWire();
  const content = hContent;
  let r: u64;
  switch (<i32>tag) {
    case App.AsReq: case App.TgsReq: r = readSequence(content, KDC_REQ, depth + 1); break;
    case App.AsRep: case App.TgsRep: r = readSequence(content, KDC_REP, depth + 1); break;
    case App.ApReq: r = readSequence(content, AP_REQ, depth + 1); break;
    case App.ApRep: r = readSequence(content, AP_REP, depth + 1); break;
    case App.Safe: r = readSequence(content, KRB_SAFE, depth + 1); break;
    case App.Priv: r = readSequence(content, KRB_PRIV, depth + 1); break;
    case App.Cred: r = readSequence(content, KRB_CRED, depth + 1); break;
    case App.Error: r = readSequence(content, KRB_ERROR, depth + 1); break;
    case App.Ticket: r = readSequence(content, TICKET, depth + 1); break;
    default: r = walkValue(content, depth + 1);
  }
  restore(savedReported, savedWire);
  return r;
}

/** Reads one message in [start, ..): `captured` bytes of it are there, `onWire` in this packet, `reported` claimed. */
function readMessage(start: u32, captured: u64, onWire: u64, reported: u64): Read {
  berBegin(start, captured, onWire, reported);
  padataType = 0;
  infoFromMsgType = true;
  readApplication(start, 0);
  return failure;
}

// --- Hand-offs -------------------------------------------------------------

const clients = new PortlessConversations();

/** tshark's Kerberos on UDP: false, with nothing added, when the datagram is neither KRB4 nor KRB5. */
function dissectKerberosUdp(start: u32, end: u32): bool {
  // Kerberos hands these to KRB4's dissector; when that declines, so does Kerberos.
  if (end > start && load<u8>(start) <= 0x10) return callListed(PROTO_KERBEROS, dissectKrb4, start, end);
  // The first identifier is read before anything else.
  if (end <= start) { markReadPast(end, start + 1); return true; }
  const first = <u32>load<u8>(start);
  if ((first >> 6) != CLASS_APPLICATION) return false;
  let tag = first & 0x1f;
  if (tag == 0x1f) {
    tag = 0;
    for (let q = start + 1; q < end; q++) {
      const b = <u32>load<u8>(q);
      tag = (tag << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) break;
    }
  }
  if (!isApplication(tag) || tag == <u32>App.Cred) return false;
  setProtocolColumn('KRB5');
  infoSet(); infoDone();
  beginLayer(PROTO_KERBEROS);
  overTcp = false;
  const reported = <u64>reportedLength(start, end);
  const read = readMessage(start, end - start, reported, reported);
  if (read == Read.CUT) markTruncated();
  // Past the message or a part of it: what tshark shows for a read past the datagram.
  else if (read == Read.FAILED) markReadPast(end, end + bytesCutAfter(end) + 1);
  return true;
}

function dissectKerberosConversation(start: u32, end: u32): bool {
  if (clients.find(udpSrcPort, udpDstPort) < 0) return false;
  return dissectKerberosUdp(start, end);
}

/** A failure that ends the segment, outside tshark's per-record guard. */
function markUnreassembled(): void { markTruncated(); truncatedToUnreassembled(); }

function dissectKerberosTcp(start: u32, end: u32): void {
  const call = beginSingleCall(PROTO_KERBEROS);
  dissectRecords(start, end);
  endSingleCall(call);
}

function dissectRecords(start: u32, end: u32): void {
  setProtocolColumn('KRB5');
  infoSet(); infoDone();
  overTcp = true;
  const reported = <u64>reportedLength(start, end);
  const captured = <u64>(end - start);
  let offset: u64 = 0;
  // tshark's loop stops quietly once the offset passes the captured bytes.
  while (offset < reported && offset <= captured) {
    const left = reported - offset;
    if (offset + 4 > captured) {
      if (left >= 4) markTruncated(); else markUnreassembled();
      return;
    }
    const p = start + <u32>offset;
    const mark = bswap<u32>(load<u32>(p));
    const recordLength = mark & RECORD_LENGTH_MASK;
    const size = <u64>recordLength + 4;
    // tshark cannot make a record of a length that is negative as an int.
    if (size > 0x7fffffff) { markUnreassembled(); return; }
    addPduSize(<u32>size);
    if (size > left) messageContinues(<u32>(size - left));
    if (recordLength > MAX_RECORD) {
      infoSet(); puts('Continuation'); infoDone();
    } else {
      beginLayer(PROTO_KERBEROS);
      addNum(F_RM_RESERVED, mark >> 31);
      addNum(F_RM_LENGTH, recordLength);
      const inCapture = captured - offset - 4;
      const onWire = left - 4;
      const read = readMessage(p + 4, min(inCapture, <u64>recordLength), min(onWire, <u64>recordLength), <u64>recordLength);
      if (read == Read.CUT) { markTruncated(); return; }
      if (read == Read.FAILED) { infoAppend(); puts('[BoundErrorUnreassembled Packet]'); infoDone(); }
    }
    if (size > left) return;
    offset += size;
  }
}

const MSG_TYPES: StaticArray<string> = [
  '', 'Ticket', 'Authenticator', 'EncTicketPart', '', '', '', '', '', '', 'AS-REQ', 'AS-REP', 'TGS-REQ', 'TGS-REP', 'AP-REQ', 'AP-REP',
  'TGT-REQ', 'TGT-REP', '', '', 'KRB-SAFE', 'KRB-PRIV', 'KRB-CRED', '', '', 'EncASRepPart', 'EncTGSRepPart', 'EncAPRepPart',
  'EncKrbPrivPart', 'EncKrbCredPart', 'KRB-ERROR',
];

const ERROR_CODES: StaticArray<string> = [
  '', 'KRB5KDC_ERR_NAME_EXP', 'KRB5KDC_ERR_SERVICE_EXP', 'KRB5KDC_ERR_BAD_PVNO', 'KRB5KDC_ERR_C_OLD_MAST_KVNO',
  'KRB5KDC_ERR_S_OLD_MAST_KVNO', 'KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN', 'KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN',
  'KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE', 'KRB5KDC_ERR_NULL_KEY', 'KRB5KDC_ERR_CANNOT_POSTDATE', 'KRB5KDC_ERR_NEVER_VALID',
  'KRB5KDC_ERR_POLICY', 'KRB5KDC_ERR_BADOPTION', 'KRB5KDC_ERR_ETYPE_NOSUPP', 'KRB5KDC_ERR_SUMTYPE_NOSUPP',
  'KRB5KDC_ERR_PADATA_TYPE_NOSUPP', 'KRB5KDC_ERR_TRTYPE_NOSUPP', 'KRB5KDC_ERR_CLIENT_REVOKED', 'KRB5KDC_ERR_SERVICE_REVOKED',
  'KRB5KDC_ERR_TGT_REVOKED', 'KRB5KDC_ERR_CLIENT_NOTYET', 'KRB5KDC_ERR_SERVICE_NOTYET', 'KRB5KDC_ERR_KEY_EXP',
  'KRB5KDC_ERR_PREAUTH_FAILED', 'KRB5KDC_ERR_PREAUTH_REQUIRED', 'KRB5KDC_ERR_SERVER_NOMATCH', 'KRB5KDC_ERR_MUST_USE_USER2USER',
  'KRB5KDC_ERR_PATH_NOT_ACCEPTED', 'KRB5KDC_ERR_SVC_UNAVAILABLE', '', 'KRB5KRB_AP_ERR_BAD_INTEGRITY',
  'KRB5KRB_AP_ERR_TKT_EXPIRED', 'KRB5KRB_AP_ERR_TKT_NYV', 'KRB5KRB_AP_ERR_REPEAT', 'KRB5KRB_AP_ERR_NOT_US',
  'KRB5KRB_AP_ERR_BADMATCH', 'KRB5KRB_AP_ERR_SKEW', 'KRB5KRB_AP_ERR_BADADDR', 'KRB5KRB_AP_ERR_BADVERSION',
  'KRB5KRB_AP_ERR_MSG_TYPE', 'KRB5KRB_AP_ERR_MODIFIED', 'KRB5KRB_AP_ERR_BADORDER', 'KRB5KRB_AP_ERR_ILL_CR_TKT',
  'KRB5KRB_AP_ERR_BADKEYVER', 'KRB5KRB_AP_ERR_NOKEY', 'KRB5KRB_AP_ERR_MUT_FAIL', 'KRB5KRB_AP_ERR_BADDIRECTION',
  'KRB5KRB_AP_ERR_METHOD', 'KRB5KRB_AP_ERR_BADSEQ', 'KRB5KRB_AP_ERR_INAPP_CKSUM', 'KRB5KDC_AP_PATH_NOT_ACCEPTED',
  'KRB5KRB_ERR_RESPONSE_TOO_BIG', '', '', '', '', '', '', '', 'KRB5KRB_ERR_GENERIC', 'KRB5KRB_ERR_FIELD_TOOLONG',
  'KDC_ERROR_CLIENT_NOT_TRUSTED', 'KDC_ERROR_KDC_NOT_TRUSTED', 'KDC_ERROR_INVALID_SIG', 'KDC_ERR_KEY_TOO_WEAK',
  'KDC_ERR_CERTIFICATE_MISMATCH', 'KRB_AP_ERR_NO_TGT', 'KDC_ERR_WRONG_REALM', 'KRB_AP_ERR_USER_TO_USER_REQUIRED',
  'KDC_ERR_CANT_VERIFY_CERTIFICATE', 'KDC_ERR_INVALID_CERTIFICATE', 'KDC_ERR_REVOKED_CERTIFICATE',
  'KDC_ERR_REVOCATION_STATUS_UNKNOWN', 'KDC_ERR_REVOCATION_STATUS_UNAVAILABLE', 'KDC_ERR_CLIENT_NAME_MISMATCH',
  'KDC_ERR_KDC_NAME_MISMATCH', '', '', '', '', '', '', '', '', '', '', '', '', '', 'KDC_ERR_PREAUTH_EXPIRED',
  'KDC_ERR_MORE_PREAUTH_DATA_REQUIRED', 'KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET', 'KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS',
];

registerUdpPortTry(KERBEROS_PORT, dissectKerberosUdp);
registerUdpConversation(dissectKerberosConversation);
registerTcpPort(KERBEROS_PORT, dissectKerberosTcp);
