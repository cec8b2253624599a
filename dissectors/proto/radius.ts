// RADIUS (RFC 2865, 2866, 5176) on UDP 1645, 1646, 1700, 1812, 1813 and
// 3799, as tshark 4.0 shows it: "Access-Request id=5".  A code tshark does
// not know, or a length field below a header or above 4096, is not RADIUS
// (the datagram stays UDP's); a datagram too short to tell is malformed.
// The attributes must all be there as the length field says; their walk
// stops quietly at one that is broken.  tshark's request/response matching
// ("Duplicate Request", "Duplicate Response") is not done.
import { protocol, uint, bytes } from '../fields';
import { beginLayer, addCalled, addNum, addBytes, setProtocolColumn, markReadPast } from '../packet';
import { registerUdpPortTry } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec, tableName } from '../text';
import { has, be16, lacks } from '../cursor';

const PROTO_RADIUS = protocol('radius', 'RADIUS Protocol');
const F_CODE = uint('radius.code', 'Code', 8);
const F_ID = uint('radius.id', 'Packet identifier', 8);
const F_LENGTH = uint('radius.length', 'Length', 16);
const F_AUTHENTICATOR = bytes('radius.authenticator', 'Authenticator');

const HEADER: u32 = 20;
const MAX_LENGTH: u32 = 4096;
const PORTS: StaticArray<u32> = [1645, 1646, 1700, 1812, 1813, 3799];

function codeName(code: u32): string {
  return code >= 129 && code <= 132 ? unchecked(ALU_CODES[code - 129]) : tableName(CODES, code, '');
}

function dissectRadius(start: u32, end: u32): bool {
  // tshark's check reads the code and the length; too short a datagram breaks it, and the datagram stays UDP's.
  if (lacks(start, end, 4)) { addCalled(PROTO_RADIUS); return true; }
  const code = <u32>load<u8>(start);
  const length = be16(start + 2);
  const name = codeName(code);
  if (name.length == 0 || length < HEADER || length > MAX_LENGTH) return false;
  setProtocolColumn('RADIUS');
  const id = <u32>load<u8>(start + 1);
  infoSet(); puts(name); puts(' id='); putDec(id); infoDone();
  beginLayer(PROTO_RADIUS);
  addNum(F_CODE, code);
  addNum(F_ID, id);
  addNum(F_LENGTH, length);
  if (!has(start + 4, end, 16)) { markReadPast(end, start + HEADER); return true; }
  addBytes(F_AUTHENTICATOR, start + 4, 16);
  // The attribute-value pairs are taken as one block of the length the header gives.
  if (!has(start, end, length)) markReadPast(end, start + length);
  return true;
}

const CODES: StaticArray<string> = [
  '', 'Access-Request', 'Access-Accept', 'Access-Reject', 'Accounting-Request', 'Accounting-Response', 'Accounting-Status',
  'Password-Request', 'Password-Ack', 'Password-Reject', 'Accounting-Message', 'Access-Challenge', 'Status-Server', 'Status-Client',
  '', '', '', '', '', '', '',
  'Resource-Free-Request', 'Resource-Free-Response', 'Resource-Query-Request', 'Query_Response', 'Alternate-Resource-Reclaim-Request',
  'NAS-Reboot-Request', 'NAS-Reboot-Response', '', 'Next-Passcode', 'New-Pin', 'Terminate-Session', 'Password-Expired',
  'Event-Request', 'Event-Response', '', '', '', '', '',
  'Disconnect-Request', 'Disconnect-ACK', 'Disconnect-NAK', 'CoA-Request', 'CoA-ACK', 'CoA-NAK', '', '', '', '',
  'IP-Address-Allocate', 'IP-Address-Release',
];
const ALU_CODES: StaticArray<string> = ['ALU-State-Request', 'ALU-State-Accept', 'ALU-State-Reject', 'ALU-State-Error'];

for (let i = 0; i < PORTS.length; i++) registerUdpPortTry(unchecked(PORTS[i]), dissectRadius);
