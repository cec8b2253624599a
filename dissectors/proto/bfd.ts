// Bidirectional Forwarding Detection control packets (RFC 5880 on UDP 3784,
// RFC 5883 multihop on 4784, RFC 7130 LAG on 6784, RFC 7880 S-BFD on 7784):
// a 24-byte header, then an optional authentication section.  Version 0 is
// the draft the first implementations spoke, with H/D/P/F flags and no state.
import { protocol, uint, flag, Base } from '../fields';
import { beginItemLayer, addCalled, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u32at, has } from '../cursor';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putHexDigits, tableName } from '../text';

const PROTO_BFD = protocol('bfd', 'BFD Control message');
const F_VERSION = uint('bfd.version', 'Protocol Version', 8);
const F_DIAG = uint('bfd.diag', 'Diagnostic Code', 8, Base.HEX);
const F_STATE = uint('bfd.sta', 'Session State', 8, Base.HEX);
const F_FLAGS = uint('bfd.flags', 'Message Flags', 8, Base.HEX);
const F_FLAG_H = flag('bfd.flags.h', 'I hear you');
const F_FLAG_D = flag('bfd.flags.d', 'Demand');
const F_FLAG_P = flag('bfd.flags.p', 'Poll');
const F_FLAG_F = flag('bfd.flags.f', 'Final');
const F_FLAG_C = flag('bfd.flags.c', 'Control Plane Independent');
const F_FLAG_A = flag('bfd.flags.a', 'Authentication Present');
const F_FLAG_M = flag('bfd.flags.m', 'Multipoint');
const F_MULTIPLIER = uint('bfd.detect_time_multiplier', 'Detect Time Multiplier', 8);
const F_LENGTH = uint('bfd.message_length', 'Message Length', 8);
const F_MY_DISCR = uint('bfd.my_discriminator', 'My Discriminator', 32, Base.HEX);
const F_YOUR_DISCR = uint('bfd.your_discriminator', 'Your Discriminator', 32, Base.HEX);
const F_MIN_TX = uint('bfd.desired_min_tx_interval', 'Desired Min TX Interval', 32);
const F_MIN_RX = uint('bfd.required_min_rx_interval', 'Required Min RX Interval', 32);
const F_MIN_ECHO = uint('bfd.required_min_echo_interval', 'Required Min Echo Interval', 32);
const F_AUTH_TYPE = uint('bfd.auth.type', 'Authentication Type', 8);
const F_AUTH_LEN = uint('bfd.auth.len', 'Authentication Length', 8);
const F_AUTH_KEY = uint('bfd.auth.key', 'Authentication Key ID', 8);
const F_AUTH_SEQ = uint('bfd.auth.seq_num', 'Sequence Number', 32, Base.HEX);

const HEADER_LEN: u32 = 24;
const AUTH_PRESENT: u32 = 0x04;
const AUTH_SIMPLE: u32 = 1;
const AUTH_MET_SHA1: u32 = 5;

const DIAGNOSTICS: StaticArray<string> = [
  'No Diagnostic', 'Control Detection Time Expired', 'Echo Function Failed', 'Neighbor Signaled Session Down',
  'Forwarding Plane Reset', 'Path Down', 'Concatenated Path Down', 'Administratively Down',
  'Reverse Concatenated Path Down', 'Mis-Connectivity Defect',
];
// Version 0 knew only the first eight.
const V0_DIAGNOSTICS: u32 = 8;
const STATES: StaticArray<string> = ['AdminDown', 'Down', 'Init', 'Up'];


function dissectBfdControl(start: u32, end: u32): void {
  addCalled(PROTO_BFD); // listed from the call on; the layer opens once its header is read
  setProtocolColumn('BFD Control');
  infoSet(); infoDone();
  // Every header word is read before the info column is written, as Wireshark does.
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  const first = u8at(start, end);
  const version = first >> 5;
  const diag = first & 0x1f;
  const flags = u8at(start + 1, end);
  infoSet();
  puts('Diag: ');
  if (version == 0) {
    puts(diag < V0_DIAGNOSTICS ? unchecked(DIAGNOSTICS[diag]) : 'Unknown');
  } else {
    puts(tableName(DIAGNOSTICS, diag, 'Unknown'));
    puts(', State: ');
    puts(unchecked(STATES[flags >> 6]));
  }
  puts(', Flags: 0x');
  putHexDigits(version == 0 ? flags : flags & 0x3e, 2);
  infoDone();

  beginItemLayer(PROTO_BFD);
  addNum(F_VERSION, version);
  addNum(F_DIAG, diag);
  if (version == 0) {
    addNum(F_FLAGS, flags);
    addNum(F_FLAG_H, (flags & 0x80) != 0);
    addNum(F_FLAG_D, (flags & 0x40) != 0);
    addNum(F_FLAG_P, (flags & 0x20) != 0);
    addNum(F_FLAG_F, (flags & 0x10) != 0);
  } else {
    addNum(F_STATE, flags >> 6);
    addNum(F_FLAGS, flags);
    addNum(F_FLAG_P, (flags & 0x20) != 0);
    addNum(F_FLAG_F, (flags & 0x10) != 0);
    addNum(F_FLAG_C, (flags & 0x08) != 0);
    addNum(F_FLAG_A, (flags & AUTH_PRESENT) != 0);
    addNum(F_FLAG_D, (flags & 0x02) != 0);
    addNum(F_FLAG_M, (flags & 0x01) != 0);
  }
  addNum(F_MULTIPLIER, u8at(start + 2, end));
  const length = u8at(start + 3, end);
  addNum(F_LENGTH, length);
  addNum(F_MY_DISCR, u32at(start + 4, end));
  addNum(F_YOUR_DISCR, u32at(start + 8, end));
  addNum(F_MIN_TX, u32at(start + 12, end));
  addNum(F_MIN_RX, u32at(start + 16, end));
  addNum(F_MIN_ECHO, u32at(start + 20, end));
  if (version != 0 && (flags & AUTH_PRESENT) != 0 && length > HEADER_LEN) dissectAuthentication(start + HEADER_LEN, end);
}

function dissectAuthentication(p: u32, end: u32): void {
  if (!has(p, end, 3)) { markTruncated(); return; }
  const type = u8at(p, end);
  addNum(F_AUTH_TYPE, type);
  addNum(F_AUTH_LEN, u8at(p + 1, end));
  addNum(F_AUTH_KEY, u8at(p + 2, end));
  if (type > AUTH_SIMPLE && type <= AUTH_MET_SHA1) {
    if (!has(p, end, 8)) { markTruncated(); return; }
    addNum(F_AUTH_SEQ, u32at(p + 4, end));
  }
}

registerUdpPort(3784, dissectBfdControl);
registerUdpPort(4784, dissectBfdControl);
registerUdpPort(6784, dissectBfdControl);
registerUdpPort(7784, dissectBfdControl);
