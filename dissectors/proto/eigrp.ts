// EIGRP (RFC 7868) on IP protocol 88: the 20-byte header and the type and
// length of each TLV after it, whose values are not taken apart.  The info
// column is the opcode as tshark names it, "Hello (Ack)" for a hello that
// acknowledges; a header cut short leaves it empty, and TLVs that run past
// the packet make it malformed.
import { protocol, uint, flag, Base } from '../fields';
import { beginItemLayer, addCalled, addNum, setProtocolColumn, markTruncated, reportedLength } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerIpProto } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putHex, tableName } from '../text';

const PROTO_EIGRP = protocol('eigrp', 'Cisco EIGRP');
const F_VERSION = uint('eigrp.version', 'Version', 8);
const F_OPCODE = uint('eigrp.opcode', 'Opcode', 8);
const F_CHECKSUM = uint('eigrp.checksum', 'Checksum', 16, Base.HEX);
const F_FLAGS = uint('eigrp.flags', 'Flags', 32, Base.HEX);
const F_FLAG_INIT = flag('eigrp.flags.init', 'Init');
const F_FLAG_CONDRECV = flag('eigrp.flags.condrecv', 'Conditional Receive');
const F_FLAG_RESTART = flag('eigrp.flags.restart', 'Restart');
const F_FLAG_EOT = flag('eigrp.flags.eot', 'End Of Table');
const F_SEQUENCE = uint('eigrp.seq', 'Sequence', 32);
const F_ACK = uint('eigrp.ack', 'Acknowledge', 32);
const F_VRID = uint('eigrp.vrid', 'Virtual Router ID', 16);
const F_AS = uint('eigrp.as', 'Autonomous System', 16);
const F_TLV_TYPE = uint('eigrp.tlv_type', 'Type', 16, Base.HEX);
const F_TLV_LENGTH = uint('eigrp.tlv.len', 'Length', 16);

const EIGRP_PROTO: u32 = 88;
const HEADER_LEN: u32 = 20;
const TLV_HEADER_LEN: u32 = 4;
const OPCODE_HELLO: u32 = 5;
// Opcodes 0-11 as tshark names them ('' for unassigned).
const OPCODES: StaticArray<string> = [
  '', 'Update', 'Request', 'Query', 'Reply', 'Hello', 'IPX/SAP Update', 'Route Probe', 'Hello (Ack)', 'Stub-Info',
  'SIA-Query', 'SIA-Reply',
];

function dissectEigrp(start: u32, end: u32): void {
  addCalled(PROTO_EIGRP); // listed from the call on; the layer opens once its header is read
  setProtocolColumn('EIGRP');
  // tshark reads the whole header before it shows anything.
  infoSet(); infoDone();
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  beginItemLayer(PROTO_EIGRP);
  const opcode = u8at(start + 1, end);
  const flags = u32at(start + 4, end);
  const ack = u32at(start + 12, end);
  infoSet();
  const name = opcode == OPCODE_HELLO && ack != 0 ? 'Hello (Ack)' : tableName(OPCODES, opcode, '');
  if (name.length > 0) puts(name);
  else { puts('Unknown OpCode ('); putHex(opcode, 4); puts(')'); }
  infoDone();
  addNum(F_VERSION, u8at(start, end));
  addNum(F_OPCODE, opcode);
  addNum(F_CHECKSUM, u16at(start + 2, end));
  addNum(F_FLAGS, flags);
  addNum(F_FLAG_INIT, flags & 1);
  addNum(F_FLAG_CONDRECV, (flags >> 1) & 1);
  addNum(F_FLAG_RESTART, (flags >> 2) & 1);
  addNum(F_FLAG_EOT, (flags >> 3) & 1);
  addNum(F_SEQUENCE, u32at(start + 8, end));
  addNum(F_ACK, ack);
  addNum(F_VRID, u16at(start + 16, end));
  addNum(F_AS, u16at(start + 18, end));
  const wireEnd = start + reportedLength(start, end);
  for (let p = start + HEADER_LEN; p < wireEnd;) {
    if (wireEnd - p < TLV_HEADER_LEN || !has(p, end, TLV_HEADER_LEN)) { markTruncated(); return; }
    const length = u16at(p + 2, end);
    // tshark takes the TLV's extent before its fields: one that runs past the packet shows neither.
    if (length < TLV_HEADER_LEN || length > wireEnd - p || !has(p, end, length)) { markTruncated(); return; }
    addNum(F_TLV_TYPE, u16at(p, end));
    addNum(F_TLV_LENGTH, length);
    p += length;
  }
}

registerIpProto(EIGRP_PROTO, dissectEigrp);
