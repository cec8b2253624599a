// NetBIOS over IPX (socket 0x0455) and Microsoft's name management protocol
// NMPI (sockets 0x0551 and 0x0553), as tshark 4.0 shows them (both in
// packet-nbipx.c, whose field names are nmpi.* for both).  NBIPX: eight router
// networks first on a WAN broadcast (packet type 0x14) or on a 50-byte packet
// whose byte 33 is a name operation; then a name operation ('Find name
// INDIA-IT<1c>'), a session header, a directed datagram, or another data stream
// type by name.  NMPI: the opcode and the requested name ('Mailslot write to
// INDIA-IT<00>').  What a datagram, session or mailslot write carries goes to
// NetBIOS's payload dissector (smb.ts, smb-browse.ts: SMB Trans requests and the
// browser protocol in their mailslots), else to data.  Fields a tree-building tshark reads and a tree-less one
// skips (routers, connection control, names) stop where its read would throw,
// without a mark on the summary line.
import { protocol, uint, flag, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, reportedLength } from '../packet';
import { u8at, u16le, u32at, has, lacks } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putHexDigits } from '../text';
import { ipxPacketType } from './ipx';
import { dissectNetbiosPayload } from './smb';

const PROTO_NBIPX = protocol('nbipx', 'NetBIOS over IPX');
const F_PACKET_TYPE = uint('nmpi.packettype', 'Packet Type', 8, Base.HEX);
const F_NAME_FLAGS = uint('nmpi.name_flags', 'Name type flag', 8, Base.HEX);
const F_NAME_GROUP = flag('nmpi.name_flags.group', 'Name');
const F_NAME_IN_USE = flag('nmpi.name_flags.in_use', 'In use');
const F_NAME_REGISTERED = flag('nmpi.name_flags.registered', 'Registered');
const F_NAME_DUPLICATED = flag('nmpi.name_flags.duplicated', 'Duplicated');
const F_NAME_DEREGISTERED = flag('nmpi.name_flags.deregistered', 'Deregistered');
const F_CONN_CONTROL = uint('nmpi.conn_control', 'Connection control', 8, Base.HEX);
const F_CONN_SYS = flag('nmpi.conn_control.sys_packet', 'Packet');
const F_CONN_ACK = flag('nmpi.conn_control.ack', 'Acknowledgement');
const F_CONN_ATTENTION = flag('nmpi.conn_control.attention', 'Attention');
const F_CONN_END_MSG = flag('nmpi.conn_control.end_msg', 'End of message');
const F_CONN_RESEND = flag('nmpi.conn_control.resend', 'Resend');
const F_SRC_CONN_ID = uint('nmpi.session.src_conn_id', 'Source Connection ID', 16, Base.HEX);
const F_DST_CONN_ID = uint('nmpi.session.dest_conn_id', 'Destination Connection ID', 16, Base.HEX);
const F_SEND_SEQ = uint('nmpi.session.send_seq_number', 'Send Sequence Number', 16);
const F_TOTAL_LEN = uint('nmpi.session.total_data_length', 'Total data length', 16);
const F_OFFSET = uint('nmpi.session.offset', 'Offset', 16);
const F_DATA_LEN = uint('nmpi.session.data_length', 'Data length', 16);
const F_RECV_SEQ = uint('nmpi.session.recv_seq_number', 'Receive Sequence Number', 16);
const F_BYTES_RECEIVED = uint('nmpi.session.bytes_received', 'Bytes Received', 16);
const F_IPX_NETWORK = uint('nmpi.ipx_network', 'IPX Network', 32, Base.HEX);
const SESSION_FIELDS: StaticArray<u32> = [F_SRC_CONN_ID, F_DST_CONN_ID, F_SEND_SEQ, F_TOTAL_LEN, F_OFFSET, F_DATA_LEN, F_RECV_SEQ, F_BYTES_RECEIVED];
const SESSION_WORDS: u32 = 8;

const PROTO_NMPI = protocol('nmpi', 'Name Management Protocol over IPX');
const F_OPCODE = uint('nmpi.opcode', 'Opcode', 8, Base.HEX);
const F_NAME_TYPE = uint('nmpi.name_type', 'Name Type', 8, Base.HEX);
const F_MESSAGE_ID = uint('nmpi.messageid', 'Message ID', 16, Base.HEX);

const NETBIOS_NAME_LEN: u32 = 16;
const ROUTERS_LEN: u32 = 32;
const WAN_BROADCAST: u32 = 0x14;
const NAME_REPLY_LEN: u32 = 50;
const DEREGISTER_NAME: u32 = 5;
const SESSION_DATA: u32 = 6;
const SESSION_END_ACK: u32 = 8;
const DIRECTED_DATAGRAM: u32 = 11;
const MAILSLOT_SEND: u32 = 0xfc;

const STREAM_TYPES: StaticArray<string> = ['', 'Find name', 'Name recognized', 'Check name', 'Name in use', 'Deregister name',
  'Session data', 'Session end', 'Session end ACK', 'Status query', 'Status response', 'Directed datagram'];

function isNameOperation(t: u32): bool { return t >= 1 && t <= DEREGISTER_NAME; }

function putStreamType(t: u32): void {
  puts(t < <u32>STREAM_TYPES.length && t > 0 ? unchecked(STREAM_TYPES[t]) : 'Unknown');
}

/** A 16-byte NetBIOS name as tshark writes it: "INDIA-IT<1c>", unprintable bytes as <xx>, trailing spaces dropped. */
function putNetbiosName(p: u32): void {
  let shown: u32 = 15;
  while (shown > 0 && load<u8>(p + shown - 1) == 32) shown--;
  if (shown == 0) shown = 15;
  for (let i: u32 = 0; i < shown; i++) {
    const b = <u32>load<u8>(p + i);
    if (b >= 0x20 && b <= 0x7e) putc(b); else { putc(60); putHexDigits(b, 2); putc(62); }
  }
  putc(60); putHexDigits(load<u8>(p + 15), 2); putc(62);
}

/** The eight router networks, those that are not 0; false where a tree-building read runs out. */
function addRouters(p: u32, end: u32): bool {
  for (let i: u32 = 0; i < 8; i++) {
    if (!has(p, end, 4)) return false;
    const network = u32at(p, end);
    if (network != 0) addNum(F_IPX_NETWORK, network);
    p += 4;
  }
  return true;
}

function addConnectionControl(p: u32, end: u32): void {
  const c = u8at(p, end);
  addNum(F_CONN_CONTROL, c);
  addNum(F_CONN_SYS, (c >> 7) & 1);
  addNum(F_CONN_ACK, (c >> 6) & 1);
  addNum(F_CONN_ATTENTION, (c >> 5) & 1);
  addNum(F_CONN_END_MSG, (c >> 4) & 1);
  addNum(F_CONN_RESEND, (c >> 3) & 1);
}

export function dissectNbipx(start: u32, end: u32): void {
  setProtocolColumn('NBIPX');
  infoSet(); infoDone();
  let hasRoutes = ipxPacketType == WAN_BROADCAST;
  if (!hasRoutes && reportedLength(start, end) == NAME_REPLY_LEN) {
    if (lacks(start, end, ROUTERS_LEN + 2)) return;
    hasRoutes = isNameOperation(u8at(start + ROUTERS_LEN + 1, end));
  }
  beginLayer(PROTO_NBIPX);
  let p = start;
  let treeAlive = true;
  if (hasRoutes) {
    treeAlive = addRouters(start, end);
    p += ROUTERS_LEN;
  }
  if (lacks(p, end, 2)) return;
  const type = u8at(p + 1, end);
  if (isNameOperation(type)) {
    if (lacks(p + 2, end, NETBIOS_NAME_LEN)) return;
    infoSet(); putStreamType(type); putc(32); putNetbiosName(p + 2); infoDone();
    if (!treeAlive) return;
    const f = u8at(p, end);
    addNum(F_NAME_FLAGS, f);
    addNum(F_NAME_GROUP, (f >> 7) & 1);
    addNum(F_NAME_IN_USE, (f >> 6) & 1);
    addNum(F_NAME_REGISTERED, (f >> 2) & 1);
    addNum(F_NAME_DUPLICATED, (f >> 1) & 1);
    addNum(F_NAME_DEREGISTERED, f & 1);
    addNum(F_PACKET_TYPE, type);
    return;
  }
  infoSet(); putStreamType(type); infoDone();
  if (type >= SESSION_DATA && type <= SESSION_END_ACK) {
    if (treeAlive) {
      addConnectionControl(p, end);
      addNum(F_PACKET_TYPE, type);
    }
    if (addSessionHeader(p + 2, end)) dissectPayload(p + 18, end);
    return;
  }
  if (type == DIRECTED_DATAGRAM) {
    if (treeAlive) {
      addConnectionControl(p, end);
      addNum(F_PACKET_TYPE, type);
    }
    dissectPayload(p + 2 + 2 * NETBIOS_NAME_LEN, end);
    return;
  }
  if (treeAlive) addNum(F_PACKET_TYPE, type);
}

/** The session header's little-endian words: tshark adds each with its bytes checked, tree or not. */
function addSessionHeader(p: u32, end: u32): bool {
  for (let i: u32 = 0; i < SESSION_WORDS; i++) {
    if (lacks(p + 2 * i, end, 2)) return false;
    addNum(unchecked(SESSION_FIELDS[i]), u16le(p + 2 * i, end));
  }
  return true;
}

/** What NetBIOS carries, when any of it was captured: offered to SMB, else data. */
function dissectPayload(p: u32, end: u32): void {
  if (p < end) dissectNetbiosPayload(p, end);
}

/** NMPI: eight router networks, opcode, name type, message ID, the requested and source names. */
export function dissectNmpi(start: u32, end: u32): void {
  setProtocolColumn('NMPI');
  infoSet(); infoDone();
  beginLayer(PROTO_NMPI);
  const treeAlive = addRouters(start, end);
  const p = start + ROUTERS_LEN;
  // Both names are read before the info is written.
  if (lacks(p, end, 4 + 2 * NETBIOS_NAME_LEN)) return;
  const opcode = u8at(p, end);
  const name = p + 4;
  infoSet();
  switch (opcode) {
    case 0xf1: puts('Claim name '); putNetbiosName(name); break;
    case 0xf2: puts('Delete name '); putNetbiosName(name); break;
    case 0xf3: puts('Query name '); putNetbiosName(name); break;
    case 0xf4: puts('Name '); putNetbiosName(name); puts(' found'); break;
    case 0xf5: puts('Messenger hangup on '); putNetbiosName(name); break;
    case MAILSLOT_SEND: puts('Mailslot write to '); putNetbiosName(name); break;
    case 0xfd: puts('Find mailslot name '); putNetbiosName(name); break;
    case 0xfe: puts('Mailslot name '); putNetbiosName(name); puts(' found'); break;
    default: puts('Unknown NMPI op 0x'); putHexDigits(opcode, 2); puts(': name '); putNetbiosName(name);
  }
  infoDone();
  if (treeAlive) {
    addNum(F_OPCODE, opcode);
    addNum(F_NAME_TYPE, u8at(p + 1, end));
    addNum(F_MESSAGE_ID, u16le(p + 2, end));
  }
  if (opcode == MAILSLOT_SEND) dissectPayload(p + 4 + 2 * NETBIOS_NAME_LEN, end);
}
