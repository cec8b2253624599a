// Raw IP link types (101, and 12 / 14 as libpcap's platform DLT_RAW values):
// no link header, the IP version nibble says IPv4 or IPv6.  Wireshark first
// looks for PPP framing that some old Linux and ISDN drivers left in front.
// Linux's Classical IP over ATM (link type 106) carries IP with no header
// at all.  Both name their link ends N/A until a network layer sets them.
import { protocol } from '../fields';
import { beginLayer, addCalled, setProtocolColumn, markTruncated, setAddresses, srcKind, AddrKind, LinkLabel } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerLinktype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { dissectData } from './frame';
import { dissectPppHdlc } from './ppp';
import { PROTO_IP } from './ipv4';

const PROTO_RAW = protocol('raw', 'Raw packet data');
const PROTO_CLIP = protocol('clip', 'Classical IP frame');

/** tshark's N/A in the link-layer address columns, which an IP layer inside replaces. */
function linkEndsUnknown(): void {
  if (srcKind == AddrKind.NONE) setAddresses(AddrKind.LABEL, LinkLabel.NA, LinkLabel.NA);
}

export function dissectRaw(start: u32, end: u32): void {
  linkEndsUnknown();
  setProtocolColumn('N/A');
  infoSet(); puts('Raw packet data'); infoDone();
  beginLayer(PROTO_RAW);
  // tshark reads the bytes at 0 and at 6 before deciding, so a frame shorter
  // than 8 bytes (not starting with ff 03) fails there.
  if (!has(start, end, 2)) { markTruncated(); return; }
  if (u16at(start, end) == 0xff03) { dissectPppHdlc(start, end); return; }
  if (!has(start, end, 8)) { markTruncated(); return; }
  // The Linux ISDN driver's fake MAC address (6 bytes) or single byte before the PPP header.
  if (u16at(start + 6, end) == 0xff03) { dissectPppHdlc(start + 6, end); return; }
  if (u16at(start + 1, end) == 0xff03) { dissectPppHdlc(start + 1, end); return; }
  // ...and ten zero bytes in their place while the link is down.
  if (has(start, end, 10) && isZero(start, 10)) { dissectIp(start + 10, end); return; }
  const version = u8at(start, end) >> 4;
  if (version == 4) dispatchEthertype(0x0800, start, end);
  else if (version == 6 && dispatchEthertype(0x86dd, start, end)) return;
  else dissectData(start, end);
}

function dissectClip(start: u32, end: u32): void {
  linkEndsUnknown();
  setProtocolColumn('CLIP');
  infoSet(); puts('Classical IP frame'); infoDone();
  beginLayer(PROTO_CLIP);
  dissectIp(start, end);
}

/** tshark's "ip" handle: IPv4, or IPv6 by the version nibble; any other version is named as bogus. */
function dissectIp(start: u32, end: u32): void {
  if (!has(start, end, 1)) { dispatchEthertype(0x0800, start, end); return; }
  const version = u8at(start, end) >> 4;
  if (version == 4) { dispatchEthertype(0x0800, start, end); return; }
  // The handle is IPv4's protocol, listed before IPv6's or the bogus version's name.
  addCalled(PROTO_IP);
  if (version == 6 && dispatchEthertype(0x86dd, start, end)) return;
  setProtocolColumn('IP');
  infoSet(); puts('Bogus IP version ('); putDec(version); puts(')'); infoDone();
}

function isZero(p: u32, n: u32): bool {
  for (let i: u32 = 0; i < n; i++) if (load<u8>(p + i) != 0) return false;
  return true;
}

registerLinktype(101, dissectRaw);
registerLinktype(12, dissectRaw);
registerLinktype(14, dissectRaw);
registerLinktype(106, dissectClip);
