// PPP's authentication protocols as tshark 4.0 shows them: PAP (RFC 1334),
// whose request carries the peer ID and password and whose answers carry a
// message, each with a one-byte length, quoted in the info column; and CHAP
// (RFC 1994), whose challenge and response carry a value and a name
// (`NAME='...', VALUE=0x...`, the name cut to 20 characters) and whose
// success and failure carry a message.
import { protocol, uint, bytes, str, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { lacks, be16 } from '../cursor';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHexBytes, tableName } from '../text';
import { putFormatText } from '../format-text';
import { addAscii } from './ascii-text';

const PROTO_PAP = protocol('pap', 'PPP Password Authentication Protocol');
const F_PAP_CODE = uint('pap.code', 'Code', 8);
const F_PAP_IDENTIFIER = uint('pap.identifier', 'Identifier', 8);
const F_PAP_LENGTH = uint('pap.length', 'Length', 16);
const F_PAP_PEER_ID_LENGTH = uint('pap.peer_id.length', 'Peer-ID-Length', 8);
const F_PAP_PEER_ID = str('pap.peer_id', 'Peer-ID', Base.FINAL_TEXT);
const F_PAP_PASSWORD_LENGTH = uint('pap.password.length', 'Password-Length', 8);
const F_PAP_PASSWORD = str('pap.password', 'Password', Base.FINAL_TEXT);
const F_PAP_MESSAGE_LENGTH = uint('pap.message.length', 'Message-Length', 8);
const F_PAP_MESSAGE = str('pap.message', 'Message', Base.FINAL_TEXT);

const PROTO_CHAP = protocol('chap', 'PPP Challenge Handshake Authentication Protocol');
const F_CHAP_CODE = uint('chap.code', 'Code', 8);
const F_CHAP_IDENTIFIER = uint('chap.identifier', 'Identifier', 8);
const F_CHAP_LENGTH = uint('chap.length', 'Length', 16);
const F_CHAP_VALUE_SIZE = uint('chap.value_size', 'Value Size', 8);
const F_CHAP_VALUE = bytes('chap.value', 'Value');
const F_CHAP_NAME = str('chap.name', 'Name', Base.FINAL_TEXT);
const F_CHAP_MESSAGE = str('chap.message', 'Message', Base.FINAL_TEXT);

// Code 1 first.
const PAP_NAMES: StaticArray<string> = ['Authenticate-Request', 'Authenticate-Ack', 'Authenticate-Nak'];
const CHAP_NAMES: StaticArray<string> = ['Challenge', 'Response', 'Success', 'Failure'];
const REQUEST: u32 = 1, ACK: u32 = 2, NAK: u32 = 3;
const CHALLENGE: u32 = 1, RESPONSE: u32 = 2, SUCCESS: u32 = 3, FAILURE: u32 = 4;
const MAX_NAME_SHOWN: u32 = 20;

/** Code, identifier and length, each read as tshark reads it; false once a read failed. */
function header(start: u32, end: u32, fCode: u32, fIdentifier: u32, fLength: u32, names: StaticArray<string>): bool {
  if (lacks(start, end, 1)) return false;
  const code = <u32>load<u8>(start);
  infoSet(); puts(code >= 1 ? tableName(names, code - 1, 'Unknown') : 'Unknown'); infoDone();
  addNum(fCode, code);
  if (lacks(start + 1, end, 1)) return false;
  addNum(fIdentifier, load<u8>(start + 1));
  if (lacks(start + 2, end, 2)) return false;
  addNum(fLength, be16(start + 2));
  return true;
}

/** A string with a one-byte length in front: the length, then the text; its start, or 0 once a read failed. */
function counted(p: u32, end: u32, fLength: u32, fText: u32): u32 {
  if (lacks(p, end, 1)) return 0;
  const n = <u32>load<u8>(p);
  addNum(fLength, n);
  if (lacks(p + 1, end, n)) return 0;
  addAscii(fText, p + 1, n);
  return p + 1;
}

export function dissectPap(start: u32, end: u32): void {
  setProtocolColumn('PPP PAP');
  beginLayer(PROTO_PAP);
  if (!header(start, end, F_PAP_CODE, F_PAP_IDENTIFIER, F_PAP_LENGTH, PAP_NAMES)) return;
  const code = <u32>load<u8>(start);
  let p = start + 4;
  if (code == REQUEST) {
    const peer = counted(p, end, F_PAP_PEER_ID_LENGTH, F_PAP_PEER_ID);
    if (peer == 0) return;
    const peerLength = <u32>load<u8>(p);
    p = peer + peerLength;
    const password = counted(p, end, F_PAP_PASSWORD_LENGTH, F_PAP_PASSWORD);
    if (password == 0) return;
    infoAppend(); puts(" (Peer-ID='"); putFormatText(peer, peerLength);
    puts("', Password='"); putFormatText(password, <u32>load<u8>(p)); puts("')"); infoDone();
  } else if (code == ACK || code == NAK) {
    const message = counted(p, end, F_PAP_MESSAGE_LENGTH, F_PAP_MESSAGE);
    if (message == 0) return;
    infoAppend(); puts(" (Message='"); putFormatText(message, <u32>load<u8>(p)); puts("')"); infoDone();
  }
}

export function dissectChap(start: u32, end: u32): void {
  setProtocolColumn('PPP CHAP');
  beginLayer(PROTO_CHAP);
  if (!header(start, end, F_CHAP_CODE, F_CHAP_IDENTIFIER, F_CHAP_LENGTH, CHAP_NAMES)) return;
  const code = <u32>load<u8>(start);
  const length = be16(start + 2);
  if (length < 4) return;
  let p = start + 4;
  let left = length - 4;
  if (code == CHALLENGE || code == RESPONSE) {
    if (left == 0) return;
    // tshark shows the whole body as one item before it reads the value size.
    if (lacks(p, end, left)) return;
    left--;
    const valueSize = <u32>load<u8>(p);
    addNum(F_CHAP_VALUE_SIZE, valueSize);
    // A value longer than the packet ends the dissection without a mark.
    if (valueSize > left) return;
    p++;
    if (left == 0) return;
    const value = p;
    addBytes(F_CHAP_VALUE, value, valueSize);
    p += valueSize;
    left -= valueSize;
    let nameSize: u32 = 0;
    if (left > 0) {
      addAscii(F_CHAP_NAME, p, left);
      nameSize = left;
    }
    infoAppend();
    puts(" (NAME='"); putFormatText(p, nameSize > MAX_NAME_SHOWN ? MAX_NAME_SHOWN : nameSize);
    if (nameSize > MAX_NAME_SHOWN) puts('...');
    puts("', VALUE=0x"); putHexBytes(value, valueSize); puts(')');
    infoDone();
  } else if (code == SUCCESS || code == FAILURE) {
    if (left > 0) { if (lacks(p, end, left)) return; addAscii(F_CHAP_MESSAGE, p, left); }
    infoAppend(); puts(" (MESSAGE='"); putFormatText(p, left); puts("')"); infoDone();
  }
}
