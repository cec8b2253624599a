// TFTP (RFC 1350, options RFC 2347-2349) as tshark 4.0 shows it: on UDP 69,
// and then on whatever ports the transfer moves to.  A well-formed read or
// write request (printable strings, a known mode) opens a transfer between
// the client's address and port and the server's address, any server port,
// as Wireshark's conversation does; every later datagram between them is
// TFTP, in both directions.  A request found on another port opens one too
// (tshark's heuristic, which does not look at the opcode).  Data blocks
// count past 65535 and say "(last)" when shorter than the block size an
// option acknowledgement set.  A string without its NUL, or a block number
// or error code that is not there, is malformed.
import { protocol, uint, str, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast } from '../packet';
import { PortlessConversations, CONVERSATION_CAPACITY } from '../portless-conversations';
import { registerUdpPort, registerUdpConversation, registerUdpHeuristic, udpSrcPort, udpDstPort } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec, putHex, tableName, putTableName } from '../text';
import { putFormatText } from '../format-text';
import { has, be16, lacks } from '../cursor';
import { addAscii } from './ascii-text';
import { dissectData } from './frame';
import { table } from '../tables';

const PROTO_TFTP = protocol('tftp', 'Trivial File Transfer Protocol');
const F_OPCODE = uint('tftp.opcode', 'Opcode', 16);
const F_SOURCE_FILE = str('tftp.source_file', 'Source File', Base.FINAL_TEXT);
const F_DESTINATION_FILE = str('tftp.destination_file', 'Destination File', Base.FINAL_TEXT);
const F_TYPE = str('tftp.type', 'Type', Base.FINAL_TEXT);
const F_BLOCK = uint('tftp.block', 'Block', 16);
const F_ERROR_CODE = uint('tftp.error.code', 'Error code', 16);
const F_ERROR_MESSAGE = str('tftp.error.message', 'Error message', Base.FINAL_TEXT);

const TFTP_PORT: u32 = 69;
const enum Op { RRQ = 1, WRQ = 2, DATA = 3, ACK = 4, ERROR = 5, OACK = 6, INFO = 255 }
const DEFAULT_BLOCK_SIZE: u32 = 512;

// Transfers in progress, and the block size and last block (counted past 65535) of each.
const transfers = new PortlessConversations();
const blockSize = table<u32>(CONVERSATION_CAPACITY);
const lastBlock = table<u32>(CONVERSATION_CAPACITY);
let transfer: i32 = -1; // the current datagram's

function findTransfer(): i32 { return transfers.find(udpSrcPort, udpDstPort); }

/** A request from this datagram's source opens a transfer. */
function openTransfer(): i32 {
  const t = transfers.open(udpSrcPort);
  if (t < 0) return t;
  unchecked(blockSize[t] = DEFAULT_BLOCK_SIZE);
  unchecked(lastBlock[t] = 0);
  return t;
}

function isMode(p: u32, n: u32): bool {
  return isWord(p, n, 'netascii') || isWord(p, n, 'octet') || isWord(p, n, 'mail');
}

function isWord(p: u32, n: u32, w: string): bool {
  if (n != <u32>w.length) return false;
  for (let i: u32 = 0; i < n; i++) if ((<u32>load<u8>(p + i) | 0x20) != <u32>w.charCodeAt(i)) return false;
  return true;
}

/** tshark's test for a request: printable strings, an even number (two at least) of NULs, a known mode second. */
function looksLikeRequest(start: u32, end: u32): bool {
  if (!has(start, end, 4)) return false;
  let nuls: u32 = 0;
  let second: u32 = 0;
  for (let p = start + 2; p < end; p++) {
    const c = <u32>load<u8>(p);
    if (c == 0) { nuls++; if (nuls == 1) second = p + 1; continue; }
    if (c < 0x20 || c > 0x7e) return false;
  }
  if (nuls < 2 || (nuls & 1) != 0) return false;
  let q = second;
  while (q < end && load<u8>(q) != 0) q++;
  return isMode(second, q - second);
}

function dissectPort69(start: u32, end: u32): void {
  // tftpConversation found no transfer for this datagram before the port tables were tried.
  transfer = -1;
  const opcode = has(start, end, 2) ? be16(start) : 0;
  if ((opcode == Op.RRQ || opcode == Op.WRQ) && udpDstPort == TFTP_PORT && looksLikeRequest(start, end)) transfer = openTransfer();
  dissectTftp(start, end);
}

/** A datagram of a transfer already open, whatever its ports. */
function tftpConversation(start: u32, end: u32): bool {
  transfer = findTransfer();
  if (transfer < 0) return false;
  dissectTftp(start, end);
  return true;
}

/** A request on a port no dissector claimed opens a transfer there. */
function tftpHeuristic(start: u32, end: u32): bool {
  if (!looksLikeRequest(start, end)) return false;
  transfer = openTransfer();
  dissectTftp(start, end);
  return true;
}

/** A NUL-terminated string at p: its end (the NUL), or 0 when the datagram ends first. */
function stringEnd(p: u32, end: u32): u32 {
  for (let q = p; q < end; q++) if (load<u8>(q) == 0) return q;
  return 0;
}

function dissectTftp(start: u32, end: u32): void {
  setProtocolColumn('TFTP');
  beginLayer(PROTO_TFTP);
  // A lone byte is no opcode: the columns stay UDP's.
  if (lacks(start, end, 2)) return;
  const opcode = be16(start);
  addNum(F_OPCODE, opcode);
  infoSet();
  const name = opcode == Op.INFO ? 'Information (MSDP)' : tableName(OPCODES, opcode, '');
  if (name.length) puts(name); else { puts('Unknown ('); putHex(opcode, 4); puts(')'); }
  infoDone();
  const p = start + 2;
  switch (opcode) {
    case Op.RRQ:
    case Op.WRQ: readRequest(opcode, p, end); return;
    case Op.DATA:
    case Op.ACK: readBlock(opcode, p, end); return;
    case Op.ERROR: readError(p, end); return;
    case Op.OACK:
    case Op.INFO: readOptions(p, end, true); return;
    default: return;
  }
}

/** Appends ", <label><string>" for the string at p; its end, or 0 (and malformed) when it has no NUL. */
function putString(label: string, p: u32, end: u32): u32 {
  const e = stringEnd(p, end);
  if (e == 0) { markReadPast(end, end + 1); return 0; }
  infoAppend(); puts(label); putFormatText(p, e - p); infoDone();
  return e;
}

function readRequest(opcode: u32, p: u32, end: u32): void {
  const fileEnd = putString(', File: ', p, end);
  if (fileEnd == 0) return;
  addAscii(opcode == Op.RRQ ? F_SOURCE_FILE : F_DESTINATION_FILE, p, fileEnd - p);
  const modeEnd = putString(', Transfer type: ', fileEnd + 1, end);
  if (modeEnd == 0) return;
  addAscii(F_TYPE, fileEnd + 1, modeEnd - fileEnd - 1);
  readOptions(modeEnd + 1, end, false);
}

/** Option name and value pairs: ", name=value" each; an acknowledgement's blksize sets the transfer's block size. */
function readOptions(p: u32, end: u32, acknowledged: bool): void {
  while (p < end) {
    const nameEnd = stringEnd(p, end);
    const valueEnd = nameEnd == 0 ? 0 : stringEnd(nameEnd + 1, end);
    if (valueEnd == 0) { markReadPast(end, end + 1); return; }
    infoAppend();
    puts(', ');
    putFormatText(p, nameEnd - p); puts('='); putFormatText(nameEnd + 1, valueEnd - nameEnd - 1);
    infoDone();
    if (acknowledged && transfer >= 0 && isWord(p, nameEnd - p, 'blksize')) {
      const size = decimal(nameEnd + 1, valueEnd);
      if (size >= 8 && size <= 65464) unchecked(blockSize[transfer] = size);
    }
    p = valueEnd + 1;
  }
}

function decimal(p: u32, end: u32): u32 {
  let v: u32 = 0;
  for (; p < end; p++) {
    const d = <u32>load<u8>(p) - 48;
    if (d > 9 || v > 100000) return 0;
    v = v * 10 + d;
  }
  return v;
}

function readBlock(opcode: u32, p: u32, end: u32): void {
  if (lacks(p, end, 2)) return;
  const raw = be16(p);
  addNum(F_BLOCK, raw);
  // The block number goes on past 65535 as the transfer wraps.
  let block = raw;
  if (transfer >= 0) {
    const last = unchecked(lastBlock[transfer]);
    block = (last & ~0xffff) | raw;
    if (block + 0x8000 < last) block += 0x10000;
    unchecked(lastBlock[transfer] = block);
  }
  infoAppend(); puts(', Block: '); putDec(block);
  if (opcode == Op.DATA && end - p - 2 < (transfer >= 0 ? unchecked(blockSize[transfer]) : DEFAULT_BLOCK_SIZE)) puts(' (last)');
  infoDone();
  if (opcode == Op.DATA) dissectData(p + 2, end);
}

function readError(p: u32, end: u32): void {
  if (lacks(p, end, 2)) return;
  const code = be16(p);
  addNum(F_ERROR_CODE, code);
  infoAppend(); puts(', Code: ');
  putTableName(ERRORS, code);
  infoDone();
  const e = putString(', Message: ', p + 2, end);
  if (e != 0) addAscii(F_ERROR_MESSAGE, p + 2, e - p - 2);
}

const OPCODES: StaticArray<string> = ['', 'Read Request', 'Write Request', 'Data Packet', 'Acknowledgement', 'Error Code', 'Option Acknowledgement'];
const ERRORS: StaticArray<string> = ['Not defined', 'File not found', 'Access violation', 'Disk full or allocation exceeded',
  'Illegal TFTP Operation', 'Unknown transfer ID', 'File already exists', 'No such user', 'Option negotiation failed'];

registerUdpPort(TFTP_PORT, dissectPort69);
registerUdpConversation(tftpConversation);
registerUdpHeuristic(tftpHeuristic);
