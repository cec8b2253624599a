// SNMP (RFC 1157, 1901, 3412, 3416) on UDP ports 161, 162 and 8161, as tshark 4.0 shows it.
//
// tshark takes a datagram as SNMP when it opens with a universal SEQUENCE
// whose length fits the datagram and whose first element is an INTEGER; it
// reads the version before naming the protocol, so a message cut short
// before that keeps UDP's column.  Versions 0 and 1 (v1, v2c) are a
// community and a PDU, 2 (v2u, historic) parameters and a PDU, 3 a header,
// security parameters (USM parsed) and a scoped PDU, plain or encrypted.
// The info column is cleared when the PDU choice is reached, gets " OID"
// for each variable binding, and the PDU's name in front once the whole PDU
// was read; a read that fails before then leaves only the OIDs.
//
// The message is walked the way tshark's BER code walks it (ber.ts), so that
// the same reads fail: each element of a sequence is read inside its own
// extent, a PDU's content inside its tag's length, each variable binding
// inside its own; constructed OCTET STRINGs are reassembled, and what
// tshark rejects in a variable binding is walked as its unknown-BER code
// walks it.  A variable's name is shown as tshark names OIDs without MIBs
// (oids.ts); values are checked against the lengths tshark accepts.
import { protocol, uint, sint, str, bytes, ipv4, flag, Base, FT, fieldType } from '../fields';
import {
  beginItemLayer, addNum, addBytes, setProtocolColumn, markTruncated, markReadPast, reportedLength, bytesCutAfter, wanted, streamSerial,
  isFragmented, setFragmented,
} from '../packet';
import { registerUdpPortTry, udpSrcPort, udpDstPort, callListed } from '../dispatch';
import { conversationWord, findConversation, convGet, convSet } from '../conversation';
import { shadowUdpConversation } from './udp';
import { infoSet, infoAppend, infoDone, infoPrepend, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putRaw } from '../text';
import { addAscii } from './ascii-text';
import { dissectData } from './frame';
import { oidDecode, putOidResolved } from './oids';
import {
  Read, CLASS_UNIVERSAL, CLASS_APPLICATION, CLASS_CONTEXT, CLASS_PRIVATE, TAG_INTEGER, TAG_OCTET_STRING, TAG_OID, TAG_SEQUENCE,
  FAIL, Ber, berBegin, reach, reachRange, narrow, clampWire, restore, readIdentifier, readLength, readHeader, valueEnd,
  isSequenceHeader, endOfContents, reasonable, checkEnd, failReportedBounds, MAX_NESTING, failure, wireEnd, reportedEnd,
  hClass, hConstructed, hTag, hContent, hLength, hIndefinite,
} from './ber';
// Last: the module that declares the protocol, so that the fields below are SNMP's.
import { PROTO_SNMP, integerReadable, isOverlong, addOid, readVarBinds, walkUnknown } from './snmp-varbind';
import { table } from '../tables';

const F_VERSION = sint('snmp.version', 'version');
const F_COMMUNITY = str('snmp.community', 'community', Base.FINAL_TEXT);
const F_DATA = uint('snmp.data', 'data');
const F_PARAMETERS = bytes('snmp.parameters', 'parameters');
const F_ENCRYPTED = bytes('snmp.encrypted', 'encrypted');
const F_MSG_VERSION = sint('snmp.msgVersion', 'msgVersion');
const F_MSG_ID = uint('snmp.msgID', 'msgID');
const F_MSG_MAX_SIZE = uint('snmp.msgMaxSize', 'msgMaxSize');
const F_MSG_FLAGS = bytes('snmp.msgFlags', 'msgFlags');
const F_FLAG_REPORT = flag('snmp.v3.flags.report', 'Reportable');
const F_FLAG_CRYPT = flag('snmp.v3.flags.crypt', 'Encrypted');
const F_FLAG_AUTH = flag('snmp.v3.flags.auth', 'Authenticated');
const F_MSG_SECURITY_MODEL = uint('snmp.msgSecurityModel', 'msgSecurityModel');
const F_MSG_SECURITY_PARAMETERS = bytes('snmp.msgSecurityParameters', 'msgSecurityParameters');
const F_ENGINE_ID = bytes('snmp.msgAuthoritativeEngineID', 'msgAuthoritativeEngineID');
const F_ENGINE_BOOTS = uint('snmp.msgAuthoritativeEngineBoots', 'msgAuthoritativeEngineBoots');
const F_ENGINE_TIME = uint('snmp.msgAuthoritativeEngineTime', 'msgAuthoritativeEngineTime');
const F_USER_NAME = str('snmp.msgUserName', 'msgUserName', Base.FINAL_TEXT);
const F_AUTH_PARAMETERS = bytes('snmp.msgAuthenticationParameters', 'msgAuthenticationParameters');
const F_PRIV_PARAMETERS = bytes('snmp.msgPrivacyParameters', 'msgPrivacyParameters');
const F_MSG_DATA = uint('snmp.msgData', 'msgData');
const F_ENCRYPTED_PDU = bytes('snmp.encryptedPDU', 'encryptedPDU');
const F_CONTEXT_ENGINE_ID = bytes('snmp.contextEngineID', 'contextEngineID');
const F_CONTEXT_NAME = str('snmp.contextName', 'contextName', Base.FINAL_TEXT);
const F_REQUEST_ID = sint('snmp.request_id', 'request-id');
const F_ERROR_STATUS = sint('snmp.error_status', 'error-status');
const F_ERROR_INDEX = sint('snmp.error_index', 'error-index');
const F_NON_REPEATERS = uint('snmp.non_repeaters', 'non-repeaters');
const F_MAX_REPETITIONS = uint('snmp.max_repetitions', 'max-repetitions');
const F_ENTERPRISE = str('snmp.enterprise', 'enterprise', Base.FINAL_TEXT);
const F_AGENT_ADDR = ipv4('snmp.agent_addr', 'agent-addr');
const F_GENERIC_TRAP = sint('snmp.generic_trap', 'generic-trap');
const F_SPECIFIC_TRAP = sint('snmp.specific_trap', 'specific-trap');
const F_TIME_STAMP = uint('snmp.time_stamp', 'time-stamp');

const SNMP_PORT: u32 = 161;
const SNMP_TRAP_PORT: u32 = 162;
const SNMP_PATROL_PORT: u32 = 8161;
const SECURITY_MODEL_USM: u32 = 3;
const FLAG_AUTH: u32 = 1;
const FLAG_CRYPT: u32 = 2;
const FLAG_REPORT: u32 = 4;
/** No field: an INTEGER read only for its value. */
const NO_FIELD: u32 = u32.MAX_VALUE;

// What a sequence's element is: the class and tag it must have (ANY for a choice) and how it is read.
const enum Kind {
  Version, Community, Pdus, Parameters, Datav2u, MsgVersion, HeaderData, SecurityParameters, MsgData,
  MsgID, MsgMaxSize, MsgFlags, SecurityModel, EngineID, EngineBoots, EngineTime, UserName, AuthParameters, PrivParameters,
  ContextEngineID, ContextName, RequestID, ErrorStatus, ErrorIndex, NonRepeaters, MaxRepetitions, VarBinds,
  Enterprise, AgentAddr, GenericTrap, SpecificTrap, TimeStamp,
}
const ANY: u32 = 0xff;
@inline function element(cls: u32, tag: u32, kind: Kind): u32 { return (cls << 24) | (tag << 8) | <u32>kind; }
@inline function int(kind: Kind): u32 { return element(CLASS_UNIVERSAL, TAG_INTEGER, kind); }
@inline function octets(kind: Kind): u32 { return element(CLASS_UNIVERSAL, TAG_OCTET_STRING, kind); }
@inline function choice(kind: Kind): u32 { return element(ANY, 0, kind); }

const MESSAGE: StaticArray<u32> = [int(Kind.Version), octets(Kind.Community), choice(Kind.Pdus)];
const MESSAGE_V2U: StaticArray<u32> = [int(Kind.Version), octets(Kind.Parameters), choice(Kind.Datav2u)];
const MESSAGE_V3: StaticArray<u32> = [int(Kind.MsgVersion), element(CLASS_UNIVERSAL, TAG_SEQUENCE, Kind.HeaderData),
  octets(Kind.SecurityParameters), choice(Kind.MsgData)];
const HEADER_DATA: StaticArray<u32> = [int(Kind.MsgID), int(Kind.MsgMaxSize), octets(Kind.MsgFlags), int(Kind.SecurityModel)];
const USM_PARAMETERS: StaticArray<u32> = [octets(Kind.EngineID), int(Kind.EngineBoots), int(Kind.EngineTime), octets(Kind.UserName),
  octets(Kind.AuthParameters), octets(Kind.PrivParameters)];
const SCOPED_PDU: StaticArray<u32> = [octets(Kind.ContextEngineID), octets(Kind.ContextName), choice(Kind.Pdus)];
const PDU: StaticArray<u32> = [int(Kind.RequestID), int(Kind.ErrorStatus), int(Kind.ErrorIndex), element(CLASS_UNIVERSAL, TAG_SEQUENCE, Kind.VarBinds)];
const BULK_PDU: StaticArray<u32> = [int(Kind.RequestID), int(Kind.NonRepeaters), int(Kind.MaxRepetitions), element(CLASS_UNIVERSAL, TAG_SEQUENCE, Kind.VarBinds)];
const TRAP_PDU: StaticArray<u32> = [element(CLASS_UNIVERSAL, TAG_OID, Kind.Enterprise), element(CLASS_APPLICATION, 0, Kind.AgentAddr),
  int(Kind.GenericTrap), int(Kind.SpecificTrap), element(CLASS_APPLICATION, 3, Kind.TimeStamp), element(CLASS_UNIVERSAL, TAG_SEQUENCE, Kind.VarBinds)];

const PDU_NAMES: StaticArray<string> = [
  'get-request', 'get-next-request', 'get-response', 'set-request', 'trap', 'getBulkRequest', 'informRequest', 'snmpV2-trap', 'report',
];
const PDU_TRAP: u32 = 4;
const PDU_BULK: u32 = 5;

// tshark's msgSecurityModel is a global it never resets: a message whose
// header is skipped reads its security parameters by the last one read (in
// this capture).
let securityModel: i64 = 0;
let securityModelStream: u32 = 0;
let lastInteger: i64 = 0;

/** A SEQUENCE at p (its header read unless implicit: then it is the rest of the tvb) read against `fields`; its end, or FAIL. */
function readSequence(p: u64, fields: StaticArray<u32>, implicit: bool): u64 {
  let end = reportedEnd;
  let indefinite = false;
  let q = p;
  if (!implicit) {
    if (!readHeader(p)) return FAIL;
    indefinite = hIndefinite;
    end = valueEnd();
    // tshark notes anything else as an error and goes on after it.
    if (!isSequenceHeader()) return end;
    q = hContent;
  }
  let i = 0;
  const n = fields.length;
  while (q < end) {
    const eoc = endOfContents(q);
    if (eoc == Read.END) return end;
    if (eoc != Read.OK) return FAIL;
    const start = q;
    if (!readHeader(q)) return FAIL;
    const next = hContent + hLength;
    if (!reasonable(start, next)) return FAIL;
    q = next;
    if (i >= n) continue; // past the definition: skipped
    const field = unchecked(fields[i]);
    i++;
    const cls = field >> 24;
    if (cls != ANY && (cls != hClass || ((field >> 8) & 0xffff) != hTag)) continue; // a wrong field: skipped
    // Each element is read inside its own extent.
    const savedReported = narrow(next), savedWire = wireEnd;
    clampWire();
    const r = readElement(<Kind>(field & 0xff), start);
    restore(savedReported, savedWire);
    if (r == FAIL) return FAIL;
  }
  if (!checkEnd(q, end)) return FAIL;
  return indefinite ? end + 2 : end;
}

function readElement(kind: Kind, p: u64): u64 {
  switch (kind) {
    case Kind.Version: return readInteger(p, F_VERSION);
    case Kind.MsgVersion: return readInteger(p, F_MSG_VERSION);
    case Kind.MsgID: return readInteger(p, F_MSG_ID);
    case Kind.MsgMaxSize: return readInteger(p, F_MSG_MAX_SIZE);
    case Kind.SecurityModel: {
      const r = readInteger(p, F_MSG_SECURITY_MODEL);
      securityModel = lastInteger;
      return r;
    }
    case Kind.EngineBoots: return readInteger(p, F_ENGINE_BOOTS);
    case Kind.EngineTime: return readInteger(p, F_ENGINE_TIME);
    case Kind.RequestID: return readInteger(p, F_REQUEST_ID);
    case Kind.ErrorStatus: return readInteger(p, F_ERROR_STATUS);
    case Kind.ErrorIndex: return readInteger(p, F_ERROR_INDEX);
    case Kind.NonRepeaters: return readInteger(p, F_NON_REPEATERS);
    case Kind.MaxRepetitions: return readInteger(p, F_MAX_REPETITIONS);
    case Kind.GenericTrap: return readInteger(p, F_GENERIC_TRAP);
    case Kind.SpecificTrap: return readInteger(p, F_SPECIFIC_TRAP);
    case Kind.TimeStamp: return readTaggedInteger(p, F_TIME_STAMP);
    case Kind.Community: return readOctetString(p, F_COMMUNITY, true);
    case Kind.UserName: return readOctetString(p, F_USER_NAME, true);
    case Kind.ContextName: return readOctetString(p, F_CONTEXT_NAME, true);
    case Kind.Parameters: return readOctetString(p, F_PARAMETERS, false);
    case Kind.EngineID: return readOctetString(p, F_ENGINE_ID, false);
    case Kind.AuthParameters: return readOctetString(p, F_AUTH_PARAMETERS, false);
    case Kind.PrivParameters: return readOctetString(p, F_PRIV_PARAMETERS, false);
    case Kind.ContextEngineID: return readOctetString(p, F_CONTEXT_ENGINE_ID, false);
    case Kind.MsgFlags: return readMsgFlags(p);
    case Kind.HeaderData: return readSequence(p, HEADER_DATA, false);
    case Kind.SecurityParameters: return readSecurityParameters(p);
    case Kind.MsgData: return readMsgData(p);
    case Kind.Pdus: return readPdus(p, F_DATA);
    case Kind.Datav2u: return readDatav2u(p);
    case Kind.VarBinds: return readVarBinds(p);
    case Kind.Enterprise: return readEnterprise(p);
    case Kind.AgentAddr: return readAgentAddr(p);
    default: return walkUnknown(p, 1);
  }
}

/** An INTEGER at p (tshark's dissect_ber_integer): every byte is read; a field only for 1 to 8 bytes (or 9 with a zero first). */
function readInteger(p: u64, f: u32): u64 {
  if (!readHeader(p)) return FAIL;
  return readIntegerContent(hContent, hLength, f);
}

/** An INTEGER's content; f is its field (NO_FIELD: none). An over-long one leaves lastInteger 0. */
function readIntegerContent(content: u64, length: u64, f: u32): u64 {
  const end = content + length;
  lastInteger = 0;
  if (!integerReadable(content, length, f != NO_FIELD)) return FAIL;
  if (length == 0 || isOverlong(content, length)) return end;
  // Only a signed field (or none) extends the sign.
  const signed = f == NO_FIELD || unchecked(fieldType[f]) == FT.INT;
  let v: i64 = signed && (load<u8>(<u32>content) & 0x80) != 0 ? -1 : 0;
  for (let q = content; q < end; q++) v = (v << 8) | <i64>load<u8>(<u32>q);
  lastInteger = v;
  if (f != NO_FIELD) addNum(f, signed ? <u64><i64><i32>v : <u64><u32>v);
  return end;
}

/** [APPLICATION n] IMPLICIT INTEGER: the content, inside the tag's length, is the integer. */
function readTaggedInteger(p: u64, f: u32): u64 {
  if (!readHeader(p)) return FAIL;
  const content = hContent, end = hContent + hLength;
  const savedReported = narrow(end), savedWire = wireEnd;
  clampWire();
  const r = readIntegerContent(content, reportedEnd - content, f);
  restore(savedReported, savedWire);
  return r == FAIL ? FAIL : end;
}

/** An OCTET STRING at p: what its tvb has of it must be captured; as text (ENC_ASCII) or bytes (a constructed one: no field). */
function readOctetString(p: u64, f: u32, text: bool): u64 {
  if (!readHeader(p)) return FAIL;
  const end = hContent + hLength;
  if (hConstructed) {
    fragments = 0;
    reassembledShown = false;
    if (reassemble(hContent, hLength, hIndefinite, 1) == FAIL) return FAIL;
    if (reassembledShown) addReassembled(f, text);
    return end;
  }
  const shown = end > reportedEnd ? reportedEnd : end;
  if (!reachRange(hContent, shown)) return FAIL;
  const n = <u32>(shown - hContent);
  if (text) addAscii(f, <u32>hContent, n); else addBytes(f, <u32>hContent, n);
  return end;
}

// tshark marks the packet fragmented while it reassembles a constructed OCTET
// STRING: a read past the packet then shows as "[BoundErrorUnreassembled Packet]".
let fragmentedBefore = false;
let reassembling = false;

// The primitive fragments a reassembly read, in order: shown as one value
// (tshark shows none for an empty string, or a lone fragment itself constructed).
const MAX_FRAGMENTS: i32 = 64;
const fragmentStart = table<u32>(MAX_FRAGMENTS);
const fragmentLength = table<u32>(MAX_FRAGMENTS);
let fragments: i32 = 0;
let reassembledShown = false;

function addReassembled(f: u32, text: bool): void {
  if (!unchecked(wanted[f]) || fragments > MAX_FRAGMENTS) return;
  const s = scratchBegin();
  for (let i = 0; i < fragments; i++) putRaw(unchecked(fragmentStart[i]), unchecked(fragmentLength[i]));
  const n = scratchEnd(s);
  if (text) addAscii(f, s, n); else addBytes(f, s, n);
}

/**
 * tshark's reassemble_octet_string over the content at p (conLength bytes):
 * the fragments are read one by one, each an OCTET STRING (or string type),
 * until the end-of-contents or the length is reached; where it stops, or FAIL.
 */
function reassemble(p: u64, conLength: u64, indefinite: bool, nesting: u32): u64 {
  if (nesting > MAX_NESTING) return failReportedBounds();
  if (conLength == 0) return p;
  if (!reassembling) { fragmentedBefore = isFragmented(); reassembling = true; setFragmented(true); }
  let q = p;
  let first = true;
  for (;;) {
    const start = q;
    if (!readHeader(q)) return FAIL;
    const cls = hClass, tag = hTag, content = hContent, length = hLength;
    q = content + length;
    if (cls != CLASS_APPLICATION && cls != CLASS_PRIVATE && (cls != CLASS_UNIVERSAL || (tag < 18 && tag != TAG_OCTET_STRING && tag != 12))) {
      // Not a string: noted, and the fragment it should have given is missing.
      return reachRange(start, start + 2) ? failReportedBounds() : FAIL;
    }
    let shownLength = length;
    const constructed = hConstructed;
    if (constructed) {
      if (reassemble(content, length, hIndefinite, nesting + 1) == FAIL) return FAIL;
    } else {
      const shown = q > reportedEnd ? reportedEnd : q;
      if (!reachRange(content, shown)) return FAIL;
      shownLength = shown - content;
      if (fragments < MAX_FRAGMENTS) {
        unchecked(fragmentStart[fragments] = <u32>content);
        unchecked(fragmentLength[fragments] = <u32>shownLength);
      }
      fragments++;
    }
    let last: bool;
    if (indefinite) {
      const eoc = endOfContents(q);
      if (eoc != Read.OK && eoc != Read.END) return FAIL;
      last = eoc == Read.END;
      if (last) q += 2;
    } else {
      last = q - p >= conLength;
    }
    if (last && first) {
      if (nesting == 1) reassembledShown = !constructed;
      break;
    }
    if (nesting == 1) reassembledShown = true;
    if (shownLength < 1) return failReportedBounds();
    first = false;
    if (last) break;
  }
  if (nesting == 1) { reassembling = false; setFragmented(fragmentedBefore); }
  return q;
}

function readMsgFlags(p: u64): u64 {
  const end = readOctetString(p, F_MSG_FLAGS, false);
  if (end == FAIL) return FAIL;
  if (!readHeader(p)) return FAIL;
  if (hConstructed) {
    // tshark reads the first byte of the reassembled string: its first fragment's (an empty lone one has none).
    if (hLength == 0 || fragments == 0) return end;
    if (unchecked(fragmentLength[0]) == 0) return failReportedBounds();
    addFlags(<u32>load<u8>(unchecked(fragmentStart[0])));
    return end;
  }
  // tshark reads the first byte of the string (its sub-tvb) whatever its length.
  const flags = hContent;
  const savedReported = narrow(flags + hLength), savedWire = wireEnd;
  clampWire();
  const readable = reach(flags + 1);
  restore(savedReported, savedWire);
  if (!readable) return FAIL;
  addFlags(<u32>load<u8>(<u32>flags));
  return end;
}

function addFlags(v: u32): void {
  addNum(F_FLAG_REPORT, (v & FLAG_REPORT) != 0 ? 1 : 0);
  addNum(F_FLAG_CRYPT, (v & FLAG_CRYPT) != 0 ? 1 : 0);
  addNum(F_FLAG_AUTH, (v & FLAG_AUTH) != 0 ? 1 : 0);
}

/** USM's parameters are a SEQUENCE inside the OCTET STRING (its header skipped unchecked); another model's are bytes. */
function readSecurityParameters(p: u64): u64 {
  if (<u32>securityModel != SECURITY_MODEL_USM) return readOctetString(p, F_MSG_SECURITY_PARAMETERS, false);
  if (!readHeader(p)) return FAIL;
  return readSequence(hContent, USM_PARAMETERS, false);
}

/** A choice's branch, read inside the extent its header gives (clamped to its tvb). */
function enterChoice(): u64 {
  const saved = narrow(hContent + hLength);
  clampWire();
  return saved;
}

/** ScopedPduData: a plain ScopedPDU or an encrypted one. */
function readMsgData(p: u64): u64 {
  if (p >= reportedEnd) return p;
  if (!readHeader(p)) return FAIL;
  if (hClass != CLASS_UNIVERSAL || (hTag != TAG_SEQUENCE && hTag != TAG_OCTET_STRING)) return p;
  const encrypted = hTag == TAG_OCTET_STRING;
  const end = hContent + hLength;
  addNum(F_MSG_DATA, encrypted ? 1 : 0);
  const savedReported = enterChoice(), savedWire = wireEnd;
  const r = encrypted ? readOctetString(p, F_ENCRYPTED_PDU, false) : readSequence(p, SCOPED_PDU, false);
  restore(savedReported, savedWire);
  if (r == FAIL) return FAIL;
  if (encrypted) { infoSet(); puts('encryptedPDU: privKey Unknown'); infoDone(); }
  return end;
}

/** SNMPv2u's data: a PDU, or encrypted bytes. */
function readDatav2u(p: u64): u64 {
  if (p >= reportedEnd) return p;
  if (!readHeader(p)) return FAIL;
  if (hClass == CLASS_UNIVERSAL && hTag == TAG_OCTET_STRING) {
    const savedReported = enterChoice(), savedWire = wireEnd;
    const r = readOctetString(p, F_ENCRYPTED, false);
    restore(savedReported, savedWire);
    return r;
  }
  // tshark shows this choice under v2u's own field, not snmp.data.
  return readPdus(p, NO_FIELD);
}

/** The PDUs choice: the info column is cleared, and gets the PDU's name in front once the PDU was read. */
function readPdus(p: u64, dataField: u32): u64 {
  infoSet(); infoDone();
  if (p >= reportedEnd) return p; // an empty choice is only noted
  if (!readHeader(p)) return FAIL;
  if (hClass != CLASS_CONTEXT || hTag >= <u32>PDU_NAMES.length) return p;
  const type = hTag;
  const end = hContent + hLength;
  if (dataField != NO_FIELD) addNum(dataField, type);
  const savedReported = enterChoice(), savedWire = wireEnd;
  const r = readPdu(type, p);
  restore(savedReported, savedWire);
  if (r == FAIL) return FAIL;
  infoPrepend(unchecked(PDU_NAMES[type]));
  return end;
}

/** [n] IMPLICIT PDU: the content, inside the tag's length, is the sequence's. */
function readPdu(type: u32, p: u64): u64 {
  if (!readHeader(p)) return FAIL;
  const end = hContent + hLength;
  const savedReported = narrow(end), savedWire = wireEnd;
  clampWire();
  const fields = type == PDU_TRAP ? TRAP_PDU : type == PDU_BULK ? BULK_PDU : PDU;
  const r = readSequence(hContent, fields, true);
  restore(savedReported, savedWire);
  return r == FAIL ? FAIL : end;
}

/** A Trap-PDU's enterprise: its name, resolved as tshark resolves it, goes to the info column. */
function readEnterprise(p: u64): u64 {
  if (!readHeader(p)) return FAIL;
  const end = hContent + hLength;
  if (!reachRange(hContent, end)) return FAIL;
  const count = oidDecode(<u32>hContent, <u32>hLength);
  addOid(F_ENTERPRISE, count);
  infoAppend();
  putc(32);
  // An empty or undecodable OID is an empty string to tshark, which it cannot resolve.
  if (hLength == 0 || count < 0) puts('*** Malformed OID ***'); else putOidResolved(count);
  infoDone();
  return end;
}

function readAgentAddr(p: u64): u64 {
  if (!readHeader(p)) return FAIL;
  const end = hContent + hLength;
  // An IpAddress of another length (after clamping to its tvb) is only noted.
  const shown = end > reportedEnd ? reportedEnd : end;
  if (shown - hContent != 4) return end;
  if (!reachRange(hContent, shown)) return FAIL;
  addBytes(F_AGENT_ADDR, <u32>hContent, 4);
  return end;
}

// Set once SNMP has made its own conversation for these ports (tshark's snmp_find_conversation_and_get_conv_data).
const W_SNMP_OWNED = conversationWord();

/** tshark's SNMP on UDP: false, with nothing added, when the datagram does not look like SNMP. */
function dissectSnmpUdp(start: u32, end: u32): bool {
  return callListed(PROTO_SNMP, dissectMessage, start, end);
}

function dissectMessage(start: u32, end: u32): bool {
  const reported = <u64>reportedLength(start, end);
  berBegin(start, end - start, reported, reported, Ber.MEASURE_INDEFINITE | Ber.CHECK_START);
  if (!readIdentifier(start)) return readFailed(end);
  if (hClass != CLASS_UNIVERSAL || hTag != TAG_SEQUENCE) return false;
  if (!readLength()) return readFailed(end);
  if (hLength > <u64>start + reported - hContent) return false;
  if (!readIdentifier(hContent)) return readFailed(end);
  if (hClass != CLASS_UNIVERSAL || hTag != TAG_INTEGER) return false;
  // The version is read before the protocol is named.
  if (!readHeader(start)) return readFailed(end);
  lastInteger = 0;
  if (!readHeader(hContent) || readIntegerContent(hContent, hLength, NO_FIELD) == FAIL) return readFailed(end);
  const version = <u32>lastInteger;
  setProtocolColumn('SNMP');
  beginItemLayer(PROTO_SNMP);
  const slot = findConversation(17, udpSrcPort, udpDstPort);
  if (slot >= 0 && convGet(slot, W_SNMP_OWNED) == 0) {
    convSet(slot, W_SNMP_OWNED, 1);
    shadowUdpConversation(slot);
  }
  if (securityModelStream != streamSerial()) { securityModel = 0; securityModelStream = streamSerial(); }
  let read: u64 = FAIL;
  if (version <= 1) read = readSequence(start, MESSAGE, false);
  else if (version == 2) read = readSequence(start, MESSAGE_V2U, false);
  else if (version == 3) read = readSequence(start, MESSAGE_V3, false);
  else return true; // an unknown version is only noted
  if (read == FAIL) return readFailed(end);
  // What follows the message is data.
  if (read < <u64>end) dissectData(<u32>read, end);
  return true;
}

/** A read that failed: what tshark shows for it past the captured bytes, or past the datagram. */
function readFailed(end: u32): bool {
  if (failure == Read.CUT) markTruncated();
  else markReadPast(end, end + bytesCutAfter(end) + 1);
  if (reassembling) { reassembling = false; setFragmented(fragmentedBefore); }
  return true;
}

registerUdpPortTry(SNMP_PORT, dissectSnmpUdp);
registerUdpPortTry(SNMP_TRAP_PORT, dissectSnmpUdp);
registerUdpPortTry(SNMP_PATROL_PORT, dissectSnmpUdp);
