// What the TLS dissector remembers per TCP conversation, as Wireshark's
// SslSession: the version the session settled on, which side is the server,
// when each side sent ChangeCipherSpec, and a handshake message still
// arriving in later records.  Also the info column's ", "-separated items.
import { conversationWord, convGet, convSet, conversationReversed } from '../conversation';
import { tcpSrcPort } from '../dispatch';
import { inErrorPacket, setProtocolColumn } from '../packet';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts } from '../text';
import { sessionVersionOf, isValidContentType, isVersionSettingHandshake, versionColumn } from './tls-names';

const W_VERSION = conversationWord();
const W_SERVER = conversationWord(); // 0 unknown, 1 the lower endpoint, 2 the higher
const W_CCS_CLIENT = conversationWord(); // packet serial of the last ChangeCipherSpec
const W_CCS_SERVER = conversationWord();
// A handshake message longer than its record: the bytes seen so far (0: none
// pending) and its first four bytes (type and length) as far as they came.
const W_FRAGMENT_SEEN_CLIENT = conversationWord();
const W_FRAGMENT_HEAD_CLIENT = conversationWord();
const W_FRAGMENT_SEEN_SERVER = conversationWord();
const W_FRAGMENT_HEAD_SERVER = conversationWord();

export const TLS_PORTS: StaticArray<u32> = [324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250,
  3251, 3252, 3496, 5061, 5671, 5684, 5868, 8883, 11207, 19999, 27017];

export let slot: i32 = -1;

export function setSession(s: i32): void { slot = s; }

export function sessionVersion(): u32 { return convGet(slot, W_VERSION); }
export function setSessionVersion(v: u32): void { convSet(slot, W_VERSION, v); }

/**
 * Wireshark's ssl_try_set_version: any valid record but a handshake, or a
 * handshake other than ClientHello, settles the session's version.
 */
export function trySetVersion(contentType: u32, handshakeType: u32, version: u32): void {
  const authoritative = contentType == 22 ? isVersionSettingHandshake(handshakeType) : isValidContentType(contentType);
  if (!authoritative) return;
  const v = sessionVersionOf(version);
  if (v != 0) convSet(slot, W_VERSION, v);
}

function isTlsPort(port: u32): bool {
  for (let i = 0; i < TLS_PORTS.length; i++) if (unchecked(TLS_PORTS[i]) == port) return true;
  return false;
}

/** Whether the packet comes from the server: the side a ClientHello went to, else the side on a TLS port. */
export function fromServer(): bool {
  const server = convGet(slot, W_SERVER);
  const srcIsLower = !conversationReversed();
  if (server == 1) return srcIsLower;
  if (server == 2) return !srcIsLower;
  return isTlsPort(tcpSrcPort);
}

/** A ClientHello names the server: the packet's destination. */
export function setServerIsDestination(): void {
  convSet(slot, W_SERVER, conversationReversed() ? 1 : 2);
}

export function ccsPacket(server: bool): u32 { return convGet(slot, server ? W_CCS_SERVER : W_CCS_CLIENT); }
export function setCcsPacket(server: bool, serial: u32): void { convSet(slot, server ? W_CCS_SERVER : W_CCS_CLIENT, serial); }

export function fragmentSeen(server: bool): u32 { return convGet(slot, server ? W_FRAGMENT_SEEN_SERVER : W_FRAGMENT_SEEN_CLIENT); }
export function fragmentHead(server: bool): u32 { return convGet(slot, server ? W_FRAGMENT_HEAD_SERVER : W_FRAGMENT_HEAD_CLIENT); }
export function setFragment(server: bool, seen: u32, head: u32): void {
  convSet(slot, server ? W_FRAGMENT_SEEN_SERVER : W_FRAGMENT_SEEN_CLIENT, seen);
  convSet(slot, server ? W_FRAGMENT_HEAD_SERVER : W_FRAGMENT_HEAD_CLIENT, head);
}

// The info column: items separated by ", " (col_append_sep_str), none while
// inside a packet an ICMP error quotes.
let infoItems: u32 = 0;

export function clearInfo(): void {
  infoItems = 0;
  if (inErrorPacket()) return;
  infoSet(); infoDone();
}

/** Items go on after what the info column already holds (a protocol that carries TLS wrote it). */
export function continueInfo(): void { infoItems = 1; }

/** Starts an info item; returns false when columns are not to be written. Close with infoDone(). */
export function beginInfoItem(): bool {
  if (inErrorPacket()) return false;
  if (infoItems++ == 0) infoSet(); else { infoAppend(); puts(', '); }
  return true;
}

export function infoItem(s: string): void {
  if (beginInfoItem()) { puts(s); infoDone(); }
}

export function setVersionColumn(v: u32): void {
  if (!inErrorPacket()) setProtocolColumn(versionColumn(v));
}
