// PPTP (RFC 2637) control connection on TCP port 1723: the info column names
// the control message.  Only the common header is reported as fields; the
// message bodies tshark shows only in a tree, and so throws on only there.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { has, cutShort, be16, be32 } from '../cursor';
import { registerTcpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { dissectData } from './frame';

const PROTO_PPTP = protocol('pptp', 'Point-to-Point Tunnelling Protocol');
const F_LENGTH = uint('pptp.length', 'Length', 16);
const F_TYPE = uint('pptp.type', 'Message type', 16);
const F_MAGIC = uint('pptp.magic_cookie', 'Magic Cookie', 32, Base.HEX);
const F_CONTROL_TYPE = uint('pptp.control_message_type', 'Control Message Type', 16);

const CONTROL_MESSAGE_NAMES: StaticArray<string> = [
  '', 'Start-Control-Connection-Request', 'Start-Control-Connection-Reply',
  'Stop-Control-Connection-Request', 'Stop-Control-Connection-Reply', 'Echo-Request', 'Echo-Reply',
  'Outgoing-Call-Request', 'Outgoing-Call-Reply', 'Incoming-Call-Request', 'Incoming-Call-Reply',
  'Incoming-Call-Connected', 'Call-Clear-Request', 'Call-Disconnect-Notify', 'WAN-Error-Notify',
  'Set-Link-Info',
];
const HEADER_LENGTH: u32 = 12;

function dissectPptp(start: u32, end: u32): void {
  setProtocolColumn('PPTP');
  infoSet();
  // tshark reads the length, cookie and message type before writing the column.
  // Past the segment TCP turns this "truncated" into tshark's unreassembled mark.
  if (!has(start, end, 10)) { infoDone(); beginLayer(PROTO_PPTP); cutShort(start, end, 10); return; }
  const type = be16(start + 8);
  if (type >= 1 && type < <u32>CONTROL_MESSAGE_NAMES.length) puts(unchecked(CONTROL_MESSAGE_NAMES[type]));
  else { puts('Unknown control type ('); putDec(type); puts(')'); }
  infoDone();
  beginLayer(PROTO_PPTP);
  addNum(F_LENGTH, be16(start));
  addNum(F_TYPE, be16(start + 2));
  addNum(F_MAGIC, be32(start + 4));
  addNum(F_CONTROL_TYPE, type);
  const known = type >= 1 && type < <u32>CONTROL_MESSAGE_NAMES.length;
  // Without a tree a known message reads nothing more; an unknown one hands the rest on as data.
  if (!has(start + 10, end, 2)) { if (!known) cutShort(start + 10, end, 2); return; }
  if (!known) dissectData(start + HEADER_LENGTH, end);
}

registerTcpPort(1723, dissectPptp);
