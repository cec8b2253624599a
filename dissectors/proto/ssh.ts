// SSH (RFC 4251-4254) on TCP 22 and 29418, as tshark 4.0 shows it without
// reassembly: each segment is read on its own, message after message, with
// what earlier segments of the conversation left (the version the client's
// banner set, when each side's key exchange began and ended, the algorithms
// both KEXINITs agree on).  The protocol column says the version as it stood
// when the segment arrived; the info column lists the messages, ", "
// between them, behind "Client: " or "Server: ".  A message that runs past
// its segment ends the segment as tshark's exception does: no prefix, and
// "[BoundErrorUnreassembled Packet]" behind what was listed (TCP turns the
// truncation into that).
import { protocol, uint, str, bytes, flag, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated, frameNumber } from '../packet';
import { registerTcpPort, tcpSrcPort, tcpDstPort } from '../dispatch';
import { conversationWord, findConversation, convGet, convSet } from '../conversation';
import { infoSet, infoAppend, infoDone, infoPrepend, infoLength } from '../columns';
import { puts, putc, putDec, putTableName, tableName } from '../text';
import { putFormatText } from '../format-text';
import { has, be32 } from '../cursor';
import { addAscii } from './ascii-text';
import { Proposal, KexTable, CipherFate, proposalFor, proposalOf, storeList, choose, kexTableOf, cipherFateOf } from './ssh-kex';

const PROTO_SSH = protocol('ssh', 'SSH Protocol');
const F_PROTOCOL = str('ssh.protocol', 'Protocol', Base.FINAL_TEXT);
const F_DIRECTION = flag('ssh.direction', 'Direction');
const F_PACKET_LENGTH = uint('ssh.packet_length', 'Packet Length', 32);
const F_PACKET_LENGTH_ENCRYPTED = bytes('ssh.packet_length_encrypted', 'Packet Length (encrypted)');
const F_PADDING_LENGTH = uint('ssh.padding_length', 'Padding Length', 8);
const F_MESSAGE_CODE = uint('ssh.message_code', 'Message Code', 8);
const F_KEX_ALGORITHMS = str('ssh.kex_algorithms', 'kex_algorithms string', Base.FINAL_TEXT);
const F_HOST_KEY_ALGORITHMS = str('ssh.server_host_key_algorithms', 'server_host_key_algorithms string', Base.FINAL_TEXT);
const F_ENC_CLIENT_TO_SERVER = str('ssh.encryption_algorithms_client_to_server', 'encryption_algorithms_client_to_server string', Base.FINAL_TEXT);
const F_ENC_SERVER_TO_CLIENT = str('ssh.encryption_algorithms_server_to_client', 'encryption_algorithms_server_to_client string', Base.FINAL_TEXT);
const F_MAC_CLIENT_TO_SERVER = str('ssh.mac_algorithms_client_to_server', 'mac_algorithms_client_to_server string', Base.FINAL_TEXT);
const F_MAC_SERVER_TO_CLIENT = str('ssh.mac_algorithms_server_to_client', 'mac_algorithms_server_to_client string', Base.FINAL_TEXT);
const F_COMP_CLIENT_TO_SERVER = str('ssh.compression_algorithms_client_to_server', 'compression_algorithms_client_to_server string', Base.FINAL_TEXT);
const F_COMP_SERVER_TO_CLIENT = str('ssh.compression_algorithms_server_to_client', 'compression_algorithms_server_to_client string', Base.FINAL_TEXT);
const F_ENCRYPTED = bytes('ssh.encrypted_packet', 'Encrypted Packet');

const SSH_PORTS: StaticArray<u32> = [22, 29418];
const CLIENT: u32 = 0;
const SERVER: u32 = 1;

// W_STATE: the version (bits 0-1), the kex table once both KEXINITs chose
// one (bits 2-3, bit 4 set when chosen), each side's cipher fate once a kex
// reply chose the ciphers (bits 5-6 client, 7-8 server, bit 9 set when
// chosen), and the fate in force after each side's NEWKEYS (bits 10-11, 12-13).
const W_STATE = conversationWord();
const VERSION_MASK: u32 = 3;
const KEX_SHIFT: u32 = 2;
const KEX_CHOSEN: u32 = 1 << 4;
const CIPHER_SHIFT: u32 = 5;
const CIPHERS_CHOSEN: u32 = 1 << 9;
const IN_FORCE_SHIFT: u32 = 10;
// Per side, client then server: the frame whose banner line ended the
// banner window; the frames of the first KEXINIT and the first NEWKEYS, and
// where in the latter's segment the NEWKEYS ended (later messages there are encrypted).
const W_BANNER_END: StaticArray<u32> = [conversationWord(), conversationWord()];
const W_KEY_START: StaticArray<u32> = [conversationWord(), conversationWord()];
const W_KEY_END: StaticArray<u32> = [conversationWord(), conversationWord()];
const W_KEY_END_OFFSET: StaticArray<u32> = [conversationWord(), conversationWord()];

const enum Version { UNKNOWN = 0, V1 = 1, V2 = 2 }
const MSG_KEXINIT: u32 = 20;
const MSG_NEWKEYS: u32 = 21;
const MSG_KEX_FIRST: u32 = 30;
const MSG_KEX_LAST: u32 = 39;

// The segment being read.
let slot: i32 = -1;
let side: u32 = CLIENT;
let segment: u32 = 0;
let failed = false;

function isSshPort(port: u32): bool {
  for (let i = 0; i < SSH_PORTS.length; i++) if (unchecked(SSH_PORTS[i]) == port) return true;
  return false;
}

function state(): u32 { return convGet(slot, W_STATE); }
function setState(s: u32): void { convSet(slot, W_STATE, s); }
function sideWord(words: StaticArray<u32>, s: u32): u32 { return convGet(slot, unchecked(words[s])); }
function setSideWord(words: StaticArray<u32>, s: u32, v: u32): void { convSet(slot, unchecked(words[s]), v); }

/** Starts the next item of the info column (col_append_sep_str with ", ": none on an empty column). */
function beginItem(): void {
  const empty = infoLength() == 0;
  infoAppend();
  if (!empty) puts(', ');
}

/** A read past the segment: tshark's exception ends the segment here. */
function fail(end: u32): u32 {
  markTruncated();
  failed = true;
  return end;
}

function dissectSsh(start: u32, end: u32): void {
  const lo = tcpSrcPort < tcpDstPort ? tcpSrcPort : tcpDstPort;
  const match = isSshPort(lo) ? lo : (tcpSrcPort < tcpDstPort ? tcpDstPort : tcpSrcPort);
  side = tcpDstPort != match ? SERVER : CLIENT;
  slot = findConversation(6, tcpSrcPort, tcpDstPort);
  segment = start;
  failed = false;
  let version = state() & VERSION_MASK;
  setProtocolColumn(version == Version.V2 ? 'SSHv2' : version == Version.V1 ? 'SSHv1' : 'SSH');
  infoSet(); infoDone();
  beginLayer(PROTO_SSH);
  const frame = frameNumber();
  let p = start;
  while (p < end && !failed) {
    const bannerEnd = sideWord(W_BANNER_END, side);
    if ((bannerEnd == 0 || bannerEnd == frame) && startsWithSsh(p, end)) {
      const line = p;
      p = dissectBanner(p, end);
      setSideWord(W_BANNER_END, side, frame);
      if (side == CLIENT) {
        version = bannerVersion(line, end, version);
        setState((state() & ~VERSION_MASK) | version);
      }
    } else if (version == Version.V2) p = dissectSsh2(p, end);
    else if (version == Version.V1) p = dissectSsh1(p, end);
    else p = dissectEncrypted(p, end);
  }
  if (failed) return;
  addNum(F_DIRECTION, side);
  infoPrepend(side == SERVER ? 'Server: ' : 'Client: ');
}

function startsWithSsh(p: u32, end: u32): bool {
  if (!has(p, end, 4)) return false;
  return (load<u8>(p) | 0x20) == 0x73 && (load<u8>(p + 1) | 0x20) == 0x73 && (load<u8>(p + 2) | 0x20) == 0x68 && load<u8>(p + 3) == 0x2d;
}

/** The version line: up to its LF (one CR before it dropped) or the segment's end. */
function dissectBanner(p: u32, end: u32): u32 {
  let q = p;
  while (q < end && load<u8>(q) != 10) q++;
  const next = q < end ? q + 1 : end;
  if (q < end && q > p && load<u8>(q - 1) == 13) q--;
  addAscii(F_PROTOCOL, p, q - p);
  beginItem(); puts('Protocol ('); putFormatText(p, q - p); putc(41); infoDone();
  return next;
}

function startsWith(p: u32, end: u32, s: string): bool {
  if (!has(p, end, <u32>s.length)) return false;
  for (let i = 0; i < s.length; i++) {
    let c = <u32>load<u8>(p + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c != <u32>s.charCodeAt(i)) return false;
  }
  return true;
}

/** What the client's version line at p makes of the conversation's version (a line it does not know leaves it). */
function bannerVersion(p: u32, end: u32, version: u32): u32 {
  if (startsWith(p, end, 'ssh-2.') || startsWith(p, end, 'ssh-1.99-')) return Version.V2;
  if (startsWith(p, end, 'ssh-1.')) return Version.V1;
  return version;
}

/** The rest of the segment as one encrypted packet, or nothing where tshark 4.0 swallows it (see CipherFate). */
function dissectEncrypted(p: u32, end: u32): u32 {
  const fate = (state() >> (IN_FORCE_SHIFT + 2 * side)) & 3;
  if (fate == CipherFate.SILENT) return end;
  if (has(p, end, 4)) {
    addBytes(F_PACKET_LENGTH_ENCRYPTED, p, 4);
    addBytes(F_ENCRYPTED, p + 4, end - p - 4);
  }
  beginItem(); puts('Encrypted packet (len='); putDec(end - p); putc(41); infoDone();
  return end;
}

/** Whether the message at p is still part of this side's key exchange (plaintext). */
function inKeyExchange(p: u32): bool {
  if (sideWord(W_KEY_START, side) == 0) return true;
  const keyEnd = sideWord(W_KEY_END, side);
  if (keyEnd == 0) return true;
  return keyEnd == frameNumber() && p - segment < sideWord(W_KEY_END_OFFSET, side);
}

function dissectSsh2(p: u32, end: u32): u32 {
  return inKeyExchange(p) ? dissectMessage(p, end) : dissectEncrypted(p, end);
}

/** One binary packet in the clear: length, padding length, message code, the message. */
function dissectMessage(p: u32, end: u32): u32 {
  if (!has(p, end, 4)) return fail(end);
  let length = be32(p);
  addNum(F_PACKET_LENGTH, length);
  // tshark takes a length of 0xffff or more as "overly large" and reads on to the segment's end.
  if (length >= 0xffff) length = end - p - 4;
  if (!has(p + 4, end, 1)) return fail(end);
  const padding = <u32>load<u8>(p + 4);
  addNum(F_PADDING_LENGTH, padding);
  if (!has(p + 4, end, length) || !has(p + 5, end, 1)) return fail(end);
  const code = <u32>load<u8>(p + 5);
  addNum(F_MESSAGE_CODE, code);
  beginItem(); putMessageName(code); infoDone();
  const body = p + 6;
  let ok = true;
  if (code == MSG_KEXINIT) ok = dissectKexInit(body, end);
  else if (code == MSG_NEWKEYS) noteNewKeys(body);
  else if (code >= MSG_KEX_FIRST && code <= MSG_KEX_LAST) ok = dissectKexMessage(code, body, end);
  // A padding as long as the packet leaves the payload a negative length.
  if (!ok || padding >= length) return fail(end);
  return p + 4 + length;
}

function kexTable(): KexTable {
  const s = state();
  return s & KEX_CHOSEN ? <KexTable>((s >> KEX_SHIFT) & 3) : KexTable.DH;
}

function putMessageName(code: u32): void {
  if (code < MSG_KEX_FIRST || code > MSG_KEX_LAST) { putTableName(MESSAGES, code); return; }
  const table = kexTable();
  const names = table == KexTable.GROUP_EXCHANGE ? GROUP_EXCHANGE_MESSAGES : table == KexTable.ECDH ? ECDH_MESSAGES : DH_MESSAGES;
  const name = tableName(names, code - MSG_KEX_FIRST, '');
  if (name.length) puts(name);
  else { puts('Unknown ('); putDec(code); putc(41); }
}

/** A string (32-bit length, bytes) at p: the offset after it, or 0 when it runs past the segment. */
function skipString(p: u32, end: u32): u32 {
  if (!has(p, end, 4)) return 0;
  const n = be32(p);
  return has(p + 4, end, n) ? p + 4 + n : 0;
}

/** A name-list as a string field; the offset after it, or 0. */
function nameList(p: u32, end: u32, f: u32): u32 {
  const next = skipString(p, end);
  if (next != 0) addAscii(f, p + 4, next - p - 4);
  return next;
}

const NAME_LIST_FIELDS: StaticArray<u32> = [F_KEX_ALGORITHMS, F_HOST_KEY_ALGORITHMS, F_ENC_CLIENT_TO_SERVER, F_ENC_SERVER_TO_CLIENT,
  F_MAC_CLIENT_TO_SERVER, F_MAC_SERVER_TO_CLIENT, F_COMP_CLIENT_TO_SERVER, F_COMP_SERVER_TO_CLIENT];
const LANGUAGE_LISTS: u32 = 2;

/** KEXINIT: cookie, ten name-lists, first_kex_packet_follows, reserved; the lists that negotiate are kept. */
function dissectKexInit(p: u32, end: u32): bool {
  const frame = frameNumber();
  if (sideWord(W_KEY_START, side) == 0) setSideWord(W_KEY_START, side, frame);
  const mine = proposalFor(slot, side, sideWord(W_KEY_START, side));
  if (!has(p, end, 16)) return false;
  p += 16;
  for (let i = 0; i < NAME_LIST_FIELDS.length; i++) {
    const next = nameList(p, end, unchecked(NAME_LIST_FIELDS[i]));
    if (next == 0) return false;
    if (i == 0) storeList(mine, Proposal.KEX, p + 4, next - p - 4);
    else if (i == 2) storeList(mine, Proposal.ENC_CLIENT_TO_SERVER, p + 4, next - p - 4);
    else if (i == 3) storeList(mine, Proposal.ENC_SERVER_TO_CLIENT, p + 4, next - p - 4);
    p = next;
  }
  for (let i: u32 = 0; i < LANGUAGE_LISTS; i++) {
    p = skipString(p, end);
    if (p == 0) return false;
  }
  chooseKex();
  return has(p, end, 5);
}

// Both sides' proposals, found by findProposals() (module state: no allocation per packet).
let clientProposal: i32 = -1;
let serverProposal: i32 = -1;

function findProposals(): void {
  clientProposal = proposalOf(slot, CLIENT, sideWord(W_KEY_START, CLIENT));
  serverProposal = proposalOf(slot, SERVER, sideWord(W_KEY_START, SERVER));
}

/** Once both sides' kex lists are in, the table for messages 30-49 is settled for the conversation. */
function chooseKex(): void {
  const s = state();
  if (s & KEX_CHOSEN) return;
  findProposals();
  const i = choose(clientProposal, serverProposal, Proposal.KEX);
  if (i < 0) return;
  setState(s | KEX_CHOSEN | (<u32>kexTableOf(clientProposal, i) << KEX_SHIFT));
}

/** At a DH or ECDH reply (not a group exchange's) tshark 4.0 picks each direction's cipher from both KEXINITs. */
function chooseCiphers(): void {
  findProposals();
  const toServer = cipherFateOf(clientProposal, Proposal.ENC_CLIENT_TO_SERVER, choose(clientProposal, serverProposal, Proposal.ENC_CLIENT_TO_SERVER));
  const toClient = cipherFateOf(clientProposal, Proposal.ENC_SERVER_TO_CLIENT, choose(clientProposal, serverProposal, Proposal.ENC_SERVER_TO_CLIENT));
  const s = state() & ~(15 << CIPHER_SHIFT);
  setState(s | CIPHERS_CHOSEN | (<u32>toServer << CIPHER_SHIFT) | (<u32>toClient << (CIPHER_SHIFT + 2)));
}

/** NEWKEYS: this side's key exchange ends after the code byte, and its chosen cipher is in force from there. */
function noteNewKeys(body: u32): void {
  if (sideWord(W_KEY_END, side) != 0) return;
  setSideWord(W_KEY_END, side, frameNumber());
  setSideWord(W_KEY_END_OFFSET, side, body - segment);
  const s = state();
  if (s & CIPHERS_CHOSEN) setState(s | (((s >> (CIPHER_SHIFT + 2 * side)) & 3) << (IN_FORCE_SHIFT + 2 * side)));
}

/** A host key or signature blob: a string holding its type's name and, for the kinds tshark takes apart, strings after it. */
function skipKeyBlob(p: u32, end: u32): u32 {
  const next = skipString(p, end);
  if (next == 0) return 0;
  const inner = p + 4;
  const kind = skipString(inner, end);
  // tshark takes the rest of the blob after the type's name as the key's data: a name past the blob leaves it a negative length.
  if (kind == 0 || kind > next) return 0;
  let parts: i32 = 0;
  if (isName(inner + 4, kind - inner - 4, 'ssh-ed25519')) parts = 1;
  else if (isName(inner + 4, kind - inner - 4, 'ssh-ed448')) parts = 1;
  else if (isName(inner + 4, kind - inner - 4, 'ssh-rsa')) parts = 2;
  else if (isName(inner + 4, kind - inner - 4, 'ssh-dss')) parts = 4;
  else if (startsWith(inner + 4, kind, 'ecdsa-sha2-')) parts = 2;
  let q = kind;
  for (let i = 0; i < parts; i++) {
    q = skipString(q, end);
    if (q == 0) return 0;
  }
  return next;
}

function isName(p: u32, n: u32, s: string): bool {
  if (n != <u32>s.length) return false;
  for (let i = 0; i < s.length; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(i)) return false;
  return true;
}

/** A key exchange's reply: host key, f (or the server's ephemeral key), signature. */
function skipReply(p: u32, end: u32): u32 {
  let q = skipKeyBlob(p, end);
  if (q) q = skipString(q, end);
  if (q) q = skipKeyBlob(q, end);
  return q;
}

/** Messages 30-39 of the negotiated key exchange; false when one runs past the segment. */
function dissectKexMessage(code: u32, p: u32, end: u32): bool {
  const table = kexTable();
  const number = code - MSG_KEX_FIRST;
  let q = p;
  if (table == KexTable.GROUP_EXCHANGE) {
    if (number == 0) q = has(q, end, 4) ? q + 4 : 0; // request (old): n
    else if (number == 1) { q = skipString(q, end); if (q) q = skipString(q, end); } // group: p, g
    else if (number == 2) q = skipString(q, end); // init: e
    else if (number == 3) q = skipReply(q, end); // reply: tshark 4.0 chooses no cipher here
    else if (number == 4) q = has(q, end, 12) ? q + 12 : 0; // request: min, n, max
  } else if (number == 0) q = skipString(q, end); // init: e, or the client's ephemeral key
  else if (number == 1) {
    q = skipReply(q, end);
    if (q) chooseCiphers();
  }
  return q != 0;
}

// SSH-1: length, 8 - length % 8 bytes of padding, type.  tshark names the
// messages of the first segment each side sends after its version line and
// shows every later one as encrypted.  The frame of that first segment is
// kept in the key exchange's start word, which SSH-1 has no other use for.
const W_SSH1_FIRST: StaticArray<u32> = W_KEY_START;

function dissectSsh1(p: u32, end: u32): u32 {
  const frame = frameNumber();
  const first = sideWord(W_SSH1_FIRST, side);
  if (first == 0) setSideWord(W_SSH1_FIRST, side, frame);
  if (!has(p, end, 4)) return fail(end);
  let length = be32(p);
  const padding = 8 - (length & 7);
  addNum(F_PACKET_LENGTH, length);
  // The padding and the type byte after it must be there before anything is counted from them.
  if (!has(p + 4, end, padding + 1)) return fail(end);
  if (length >= 0xffff) length = end - p - 4 - padding;
  const next = p + 4 + padding + length;
  if (!has(p + 4, end, padding + length)) return fail(end);
  addNum(F_PADDING_LENGTH, padding);
  if (first != 0 && first != frame) {
    beginItem(); puts('Encrypted packet (len='); putDec(length); putc(41); infoDone();
    return next;
  }
  const code = <u32>load<u8>(p + 4 + padding);
  addNum(F_MESSAGE_CODE, code);
  beginItem(); putTableName(SSH1_MESSAGES, code); infoDone();
  return next;
}

// tshark's names: the generic messages by code ('' where it has none, which
// prints as "Unknown (N)"), and codes 30-39 by key exchange.
const MESSAGES: StaticArray<string> = [
  '', 'Disconnect', 'Ignore', 'Unimplemented', 'Debug', 'Service Request', 'Service Accept', '', '', '',
  '', '', '', '', '', '', '', '', '', '',
  'Key Exchange Init', 'New Keys', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '',
  'User Authentication Request', 'User Authentication Failure', 'User Authentication Success', 'User Authentication Banner', '', '', '', '', '', '',
  'Public Key algorithm accepted', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '',
  'Global Request', 'Request Success', 'Request Failure', '', '', '', '', '', '', '',
  'Channel Open', 'Channel Open Confirmation', 'Channel Open Failure', 'Window Adjust', 'Channel Data', 'Channel Extended Data',
  'Channel EOF', 'Channel Close', 'Channel Request', 'Channel Success', 'Channel Failure',
];
const DH_MESSAGES: StaticArray<string> = ['Diffie-Hellman Key Exchange Init', 'Diffie-Hellman Key Exchange Reply'];
const GROUP_EXCHANGE_MESSAGES: StaticArray<string> = ['Diffie-Hellman Group Exchange Request (Old)', 'Diffie-Hellman Group Exchange Group',
  'Diffie-Hellman Group Exchange Init', 'Diffie-Hellman Group Exchange Reply', 'Diffie-Hellman Group Exchange Request'];
const ECDH_MESSAGES: StaticArray<string> = ['Elliptic Curve Diffie-Hellman Key Exchange Init', 'Elliptic Curve Diffie-Hellman Key Exchange Reply'];
const SSH1_MESSAGES: StaticArray<string> = ['No Message', 'Disconnect', 'Public Key', 'Session Key', 'User'];

for (let i = 0; i < SSH_PORTS.length; i++) registerTcpPort(unchecked(SSH_PORTS[i]), dissectSsh);
