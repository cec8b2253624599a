// DHCPv6 (RFC 8415) on UDP 546 and 547, as tshark 4.0 shows it: the
// message type, its transaction ID or a relay's link address, then what
// some options say (the client's DUID, each IA address), each piece ending
// in a space.  A relay's Relay Message option holds a whole message, read in
// place.  The option walk ends quietly at an option that overruns its
// container, and such an overrun inside an IA option ends the walks around
// it too (tshark shares one end flag per message); reading past the packet
// is malformed, past the captured bytes "size limited".
import { protocol, uint, str, bytes, ipv6, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, reportedLength, markReadPast } from '../packet';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putDec, putHexDigits, putHexBytes, putIPv6, tableName } from '../text';
import { has, be16, be32, u24at } from '../cursor';

const PROTO_DHCPV6 = protocol('dhcpv6', 'DHCPv6');
const F_MSGTYPE = uint('dhcpv6.msgtype', 'Message type', 8);
const F_HOPCOUNT = uint('dhcpv6.hopcount', 'Hopcount', 8);
const F_XID = uint('dhcpv6.xid', 'Transaction ID', 24, Base.HEX);
const F_LINKADDR = ipv6('dhcpv6.linkaddr', 'Link address');
const F_PEERADDR = ipv6('dhcpv6.peeraddr', 'Peer address');
const F_OPTION_TYPE = uint('dhcpv6.option.type', 'Option', 16);
const F_OPTION_LENGTH = uint('dhcpv6.option.length', 'Length', 16);
const F_DUID_BYTES = bytes('dhcpv6.duid.bytes', 'DUID');
const F_DUID_TYPE = uint('dhcpv6.duid.type', 'DUID Type', 16);
const F_IAID = str('dhcpv6.iaid', 'IAID', Base.FINAL_TEXT);
const F_IAID_T1 = uint('dhcpv6.iaid.t1', 'T1', 32);
const F_IAID_T2 = uint('dhcpv6.iaid.t2', 'T2', 32);
const F_IAADDR = ipv6('dhcpv6.iaaddr.ip', 'IPv6 address');
const F_PREFIX_LENGTH = uint('dhcpv6.iaprefix.pref_len', 'Prefix length', 8);
const F_PREFIX = ipv6('dhcpv6.iaprefix.pref_addr', 'Prefix address');

const RELAY_FORW: u32 = 12;
const RELAY_REPL: u32 = 13;
const enum Option { CLIENT_ID = 1, SERVER_ID = 2, IA_NA = 3, IA_TA = 4, IAADDR = 5, ORO = 6, RELAY_MSG = 9, STATUS_CODE = 13, IA_PD = 25, IAPREFIX = 26 }
/** The most bytes of a DUID tshark shows in the info column before an ellipsis. */
const CID_SHOWN: u32 = 36;
/** Options and relay messages inside one another: deeper ones are not read (tshark gives up at 500 levels). */
const MAX_DEPTH: u32 = 64;

// The packet being read: its captured end; whether an exception ended it;
// whether the current message's option walk was ended by an overrun.
let end: u32 = 0;
let failed = false;
let walkEnded = false;

/** Whether n bytes can be read at p; marks the packet (malformed past its end, else size limited) and ends it when not. */
function readable(p: u32, n: u32): bool {
  if (has(p, end, n)) return true;
  markReadPast(end, p + n);
  failed = true;
  return false;
}

function dissectDhcpv6(start: u32, captured: u32): void {
  setProtocolColumn('DHCPv6');
  infoSet(); infoDone();
  beginLayer(PROTO_DHCPV6);
  end = captured;
  failed = false;
  walkEnded = false;
  dissectMessage(start, start + reportedLength(start, captured), 0);
}

/** A message at p whose options end at walkEnd (its reads may go on to the packet's end, as tshark's do). */
function dissectMessage(p: u32, walkEnd: u32, depth: u32): void {
  if (!readable(p, 1)) return;
  const type = <u32>load<u8>(p);
  addNum(F_MSGTYPE, type);
  infoAppend();
  const name = tableName(MESSAGE_TYPES, type, '');
  if (name.length) puts(name); else { puts('Message Type '); putDec(type); }
  putc(32);
  infoDone();
  if (type == RELAY_FORW || type == RELAY_REPL) {
    if (!readable(p + 1, 17)) return;
    addNum(F_HOPCOUNT, load<u8>(p + 1));
    addNum(F_LINKADDR, p + 2);
    infoAppend(); puts('L: '); putIPv6(p + 2); putc(32); infoDone();
    // Without a protocol tree tshark never reads the peer address, so a short one is no error.
    if (has(p + 18, end, 16)) addNum(F_PEERADDR, p + 18);
    walkOptions(p + 34, walkEnd, depth);
    return;
  }
  if (!readable(p + 1, 3)) return;
  const xid = u24at(p + 1, end);
  addNum(F_XID, xid);
  infoAppend(); puts('XID: 0x'); putHexDigits(xid, 6); putc(32); infoDone();
  walkOptions(p + 4, walkEnd, depth);
}

function walkOptions(p: u32, walkEnd: u32, depth: u32): void {
  if (depth >= MAX_DEPTH) return;
  while (!failed && !walkEnded && p < walkEnd) {
    if (walkEnd - p < 4) { walkEnded = true; return; }
    if (!readable(p, 4)) return;
    const code = be16(p);
    const length = be16(p + 2);
    const body = p + 4;
    if (length > walkEnd - body) { walkEnded = true; return; }
    addNum(F_OPTION_TYPE, code);
    addNum(F_OPTION_LENGTH, length);
    // tshark takes each option whole: one cut by the capture ends the packet, whatever its code.
    if (!readable(body, length)) return;
    dissectOption(code, body, length, depth);
    p = body + length;
  }
}

function dissectOption(code: u32, body: u32, length: u32, depth: u32): void {
  switch (code) {
    case Option.CLIENT_ID:
      if (length == 0) return;
      infoAppend();
      puts('CID: ');
      putHexBytes(body, length < CID_SHOWN ? length : CID_SHOWN);
      if (length > CID_SHOWN) puts('\u2026');
      putc(32);
      infoDone();
      addDuid(body, length);
      return;
    case Option.SERVER_ID:
      if (length > 0) addDuid(body, length);
      return;
    case Option.IA_NA:
    case Option.IA_PD:
      if (length < 12) return;
      addIaid(body);
      addNum(F_IAID_T1, be32(body + 4));
      addNum(F_IAID_T2, be32(body + 8));
      walkOptions(body + 12, body + length, depth + 1);
      return;
    case Option.IA_TA:
      if (length < 4) return;
      walkOptions(body + 4, body + length, depth + 1);
      return;
    case Option.IAADDR:
      if (length < 24) return;
      addNum(F_IAADDR, body);
      infoAppend(); puts('IAA: '); putIPv6(body); putc(32); infoDone();
      walkOptions(body + 24, body + length, depth + 1);
      return;
    case Option.IAPREFIX:
      if (length < 25) return;
      addNum(F_PREFIX_LENGTH, load<u8>(body + 8));
      addNum(F_PREFIX, body + 9);
      walkOptions(body + 25, body + length, depth + 1);
      return;
    case Option.RELAY_MSG: {
      if (length == 0) return;
      // The relayed message has its own end flag: an overrun inside it leaves the relay's walk going.
      const outer = walkEnded;
      walkEnded = false;
      dissectMessage(body, body + length, depth + 1);
      walkEnded = outer;
      return;
    }
    // These read past a body too short for them; only at the packet's end is that an error.
    case Option.STATUS_CODE:
      readable(body, 2);
      return;
    case Option.ORO:
      readable(body, (length + 1) & ~1);
      return;
    default:
      return;
  }
}

function addDuid(p: u32, length: u32): void {
  addBytes(F_DUID_BYTES, p, length);
  if (length >= 2) addNum(F_DUID_TYPE, be16(p));
}

/** The IAID as tshark shows it: a string of eight hex digits. */
function addIaid(p: u32): void {
  const text = scratchBegin();
  putHexDigits(be32(p), 8);
  addBytes(F_IAID, text, scratchEnd(text));
}

const MESSAGE_TYPES: StaticArray<string> = ['', 'Solicit', 'Advertise', 'Request', 'Confirm', 'Renew', 'Rebind', 'Reply', 'Release',
  'Decline', 'Reconfigure', 'Information-request', 'Relay-forw', 'Relay-reply', 'Leasequery', 'Leasequery-reply',
  'Leasequery-done', 'Leasequery-data', 'Reconfigure-request', 'Reconfigure-reply'];

registerUdpPort(546, dissectDhcpv6);
registerUdpPort(547, dissectDhcpv6);
