// Kerberos v4 as tshark 4.0 shows it: on UDP 750, and on Kerberos' UDP 88
// when the first byte is 0x10 or less (krb5.ts hands those over: a
// Kerberos 5 message starts with an ASN.1 application tag, 0x60 or more).  Version 4 (or Transarc's 0x63) and
// a known message type, or the datagram is not KRB4.  The info column is the
// message type; requests and replies are walked for their fields, and a
// string without its NUL or a length past the end stops the walk as
// tshark's exception does.  The times (local-time absolute values in tshark)
// are not kept as fields.
import { protocol, uint, str, bytes, Base } from '../fields';
import { beginLayer, addCalled, addNum, addBytes, setProtocolColumn, markReadPast } from '../packet';
import { registerUdpPortTry } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putTableName } from '../text';
import { has } from '../cursor';
import { addAscii } from './ascii-text';

const PROTO_KRB4 = protocol('krb4', 'Kerberos v4');
const F_VERSION = uint('krb4.version', 'Version', 8);
const F_AUTH_MSG_TYPE = uint('krb4.auth_msg_type', 'Msg Type', 8, Base.HEX);
const F_M_TYPE = uint('krb4.m_type', 'M Type', 8, Base.HEX);
const F_BYTE_ORDER = uint('krb4.byte_order', 'Byte Order', 8, Base.HEX);
const F_NAME = str('krb4.name', 'Name', Base.FINAL_TEXT);
const F_INSTANCE = str('krb4.instance', 'Instance', Base.FINAL_TEXT);
const F_REALM = str('krb4.realm', 'Realm', Base.FINAL_TEXT);
const F_LIFETIME = uint('krb4.lifetime', 'Lifetime', 8);
const F_S_NAME = str('krb4.s_name', 'Service Name', Base.FINAL_TEXT);
const F_S_INSTANCE = str('krb4.s_instance', 'Service Instance', Base.FINAL_TEXT);
const F_KVNO = uint('krb4.kvno', 'Kvno', 8);
const F_LENGTH = uint('krb4.length', 'Length');
const F_TICKET_LENGTH = uint('krb4.ticket.length', 'Ticket Length', 8);
const F_REQUEST_LENGTH = uint('krb4.request.length', 'Request Length', 8);
const F_TICKET_BLOB = bytes('krb4.ticket.blob', 'Ticket Blob');
const F_REQUEST_BLOB = bytes('krb4.request.blob', 'Request Blob');
const F_ENCRYPTED_BLOB = bytes('krb4.encrypted_blob', 'Encrypted Blob');
const F_TRANSARC_BLOB = bytes('krb4.unknown_transarc_blob', 'Unknown Transarc Blob');

const KRB4_PORT: u32 = 750;
const TRANSARC_VERSION: u32 = 0x63;
const enum Msg { KdcRequest = 1, KdcReply = 2, ApplRequest = 3, ApplRequestMutual = 4, ErrReply = 5, Private = 6, Safe = 7, ApplErr = 8, Die = 63 }
const MESSAGE_NAMES: StaticArray<string> = ['', 'KDC Request', 'KDC Reply', 'Appl Request', 'Appl Request Mutual', 'Err Reply', 'Private', 'Safe', 'Appl Err'];

function knownMessage(type: u32): bool {
  return (type >= <u32>Msg.KdcRequest && type <= <u32>Msg.ApplErr) || type == <u32>Msg.Die;
}

/** tshark's KRB4 dissector: false, with nothing added, when the datagram is not KRB4. */
export function dissectKrb4(start: u32, end: u32): bool {
  if (!has(start, end, 1)) return false;
  const version = <u32>load<u8>(start);
  if (version != 4 && version != TRANSARC_VERSION) return false;
  // tshark reads the message type before deciding, so a lone version byte is an exception in UDP.
  if (!has(start, end, 2)) { addCalled(PROTO_KRB4); markReadPast(end, start + 2); return true; }
  const opcode = <u32>load<u8>(start + 1);
  const type = opcode >> 1;
  if (!knownMessage(type)) return false;
  setProtocolColumn('KRB4');
  beginLayer(PROTO_KRB4);
  addNum(F_VERSION, version);
  addNum(F_AUTH_MSG_TYPE, opcode);
  addNum(F_M_TYPE, type);
  addNum(F_BYTE_ORDER, opcode & 1);
  infoSet();
  if (version == TRANSARC_VERSION) puts('TRANSARC-');
  if (type == Msg.Die) puts('Die'); else putTableName(MESSAGE_NAMES, type);
  infoDone();
  const littleEndian = (opcode & 1) != 0;
  const p = start + 2;
  if (type == Msg.KdcRequest) kdcRequest(p, end, version == TRANSARC_VERSION);
  else if (type == Msg.KdcReply) kdcReply(p, end, littleEndian);
  else if (type == Msg.ApplRequest) applRequest(p, end);
  return true;
}

// Each step returns where the next field starts, or 0 once a read went past the end.

function stringz(f: u32, p: u32, end: u32): u32 {
  if (p == 0) return 0;
  for (let q = p; q < end; q++) {
    if (load<u8>(q) == 0) { addAscii(f, p, q - p); return q + 1; }
  }
  markReadPast(end, end + 1);
  return 0;
}

function skip(n: u32, p: u32, end: u32): u32 {
  if (p == 0) return 0;
  if (!has(p, end, n)) { markReadPast(end, p + n); return 0; }
  return p + n;
}

function byte(f: u32, p: u32, end: u32): u32 {
  if (skip(1, p, end) == 0) return 0;
  addNum(f, load<u8>(p));
  return p + 1;
}

function blob(f: u32, n: u32, p: u32, end: u32): u32 {
  if (skip(n, p, end) == 0) return 0;
  addBytes(f, p, n);
  return p + n;
}

function kdcRequest(p: u32, end: u32, transarc: bool): void {
  if (transarc) p = blob(F_TRANSARC_BLOB, 8, p, end);
  p = stringz(F_NAME, p, end);
  p = stringz(F_INSTANCE, p, end);
  p = stringz(F_REALM, p, end);
  p = skip(4, p, end);
  p = byte(F_LIFETIME, p, end);
  p = stringz(F_S_NAME, p, end);
  stringz(F_S_INSTANCE, p, end);
}

function kdcReply(p: u32, end: u32, littleEndian: bool): void {
  p = stringz(F_NAME, p, end);
  p = stringz(F_INSTANCE, p, end);
  p = stringz(F_REALM, p, end);
  p = skip(4, p, end);
  // tshark steps over one byte here without reading it, so it can lie past the end.
  if (p != 0) p++;
  p = skip(4, p, end);
  p = byte(F_KVNO, p, end);
  if (skip(2, p, end) == 0) return;
  const length = littleEndian ? <u32>load<u16>(p) : <u32>bswap<u16>(load<u16>(p));
  addNum(F_LENGTH, length);
  blob(F_ENCRYPTED_BLOB, length, p + 2, end);
}

function applRequest(p: u32, end: u32): void {
  p = byte(F_KVNO, p, end);
  p = stringz(F_REALM, p, end);
  if (skip(2, p, end) == 0) return;
  const ticketLength = <u32>load<u8>(p), requestLength = <u32>load<u8>(p + 1);
  addNum(F_TICKET_LENGTH, ticketLength);
  addNum(F_REQUEST_LENGTH, requestLength);
  p = blob(F_TICKET_BLOB, ticketLength, p + 2, end);
  p = blob(F_REQUEST_BLOB, requestLength, p, end);
  p = skip(4, p, end);
  p = byte(F_LIFETIME, p, end);
  p = stringz(F_S_NAME, p, end);
  stringz(F_S_INSTANCE, p, end);
}

registerUdpPortTry(KRB4_PORT, dissectKrb4);
