// NetBIOS Datagram Service (RFC 1002) on UDP 138, as tshark 4.0 shows it:
// the message type in the info column; a datagram's header, source and
// destination names (NetBIOS names in DNS form, compression allowed), then
// its payload to SMB (and the browser protocol in a mailslot) or data.
import { protocol, uint, ipv4, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putHexUpper } from '../text';
import { be16, lacks } from '../cursor';
import { readName, nameUsed, resetNameBudget } from './dns-name';
import { dissectNetbiosPayload } from './smb';

const PROTO_NBDGM = protocol('nbdgm', 'NetBIOS Datagram Service');
const F_TYPE = uint('nbdgm.type', 'Message Type', 8);
const F_DGRAM_ID = uint('nbdgm.dgram_id', 'Datagram ID', 16, Base.HEX);
const F_SRC_IP = ipv4('nbdgm.src.ip', 'Source IP');
const F_SRC_PORT = uint('nbdgm.src.port', 'Source Port', 16);

const DIRECT_UNIQUE: u32 = 0x10;
const BROADCAST: u32 = 0x12;
const ERROR: u32 = 0x13;
const QUERY_REQUEST: u32 = 0x14;
const NEG_QUERY_RESPONSE: u32 = 0x16;

function dissectNbdgm(start: u32, end: u32): void {
  setProtocolColumn('NBDS');
  infoSet(); infoDone();
  beginLayer(PROTO_NBDGM);
  if (lacks(start, end, 10)) return;
  const type = <u32>load<u8>(start);
  infoSet();
  if (type >= DIRECT_UNIQUE && type <= NEG_QUERY_RESPONSE) puts(unchecked(TYPES[type - DIRECT_UNIQUE]));
  else { puts('Unknown message type (0x'); putHexUpper(type, 2); puts(')'); }
  infoDone();
  addNum(F_TYPE, type);
  addNum(F_DGRAM_ID, be16(start + 2));
  addBytes(F_SRC_IP, start + 4, 4);
  addNum(F_SRC_PORT, be16(start + 8));
  let p = start + 10;
  resetNameBudget();
  if (type >= DIRECT_UNIQUE && type <= BROADCAST) {
    if (lacks(p, end, 4)) return;
    p += 4;
    if (!readName(start, end, p)) return;
    p += <u32>nameUsed;
    if (!readName(start, end, p)) return;
    p += <u32>nameUsed;
    dissectNetbiosPayload(p, end);
  } else if (type == ERROR) {
    lacks(p, end, 1);
  } else if (type >= QUERY_REQUEST && type <= NEG_QUERY_RESPONSE) {
    readName(start, end, p);
  }
}

const TYPES: StaticArray<string> = ['Direct_unique datagram', 'Direct_group datagram', 'Broadcast datagram', 'Datagram error',
  'Datagram query request', 'Datagram positive query response', 'Datagram negative query response'];

registerUdpPort(138, dissectNbdgm);
