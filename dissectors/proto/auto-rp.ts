// Cisco Auto-RP on UDP 496: the info column says the packet type, version
// and number of RPs ("RP announcement (v1 or 1+) for 2 RPs"); the fixed
// header is kept as fields.  The RP maps that follow are read by tshark only
// into its protocol tree, so they cannot mark a summary line; xcap does not
// walk them.
import { protocol, uint } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { lacks, has, u8at, u16at } from '../cursor';

const PROTO_AUTO_RP = protocol('auto_rp', 'Cisco Auto-RP');
const F_VERSION = uint('auto_rp.version', 'Protocol version', 8);
const F_TYPE = uint('auto_rp.type', 'Packet type', 8);
const F_RP_COUNT = uint('auto_rp.rp_count', 'RP count', 8);
const F_HOLDTIME = uint('auto_rp.holdtime', 'Holdtime', 16);

const AUTO_RP_PORT: u32 = 496;
const TYPE_ANNOUNCEMENT: u32 = 1, TYPE_MAPPING: u32 = 2;
const VERSION_1_PLUS: u32 = 1;

function dissectAutoRp(start: u32, end: u32): void {
  setProtocolColumn('Auto-RP');
  infoSet(); infoDone();
  beginLayer(PROTO_AUTO_RP);
  if (lacks(start, end, 2)) return;
  const verType = u8at(start, end);
  const count = u8at(start + 1, end);
  const type = verType & 0x0f;
  infoSet();
  puts(type == TYPE_ANNOUNCEMENT ? 'RP announcement' : type == TYPE_MAPPING ? 'RP mapping' : 'Unknown');
  puts(verType >> 4 == VERSION_1_PLUS ? ' (v1 or 1+) for ' : ' (vUnknown) for ');
  putDec(count);
  puts(count == 1 ? ' RP' : ' RPs');
  infoDone();
  addNum(F_VERSION, verType >> 4);
  addNum(F_TYPE, type);
  addNum(F_RP_COUNT, count);
  if (has(start, end, 4)) addNum(F_HOLDTIME, u16at(start + 2, end));
}

registerUdpPort(AUTO_RP_PORT, dissectAutoRp);
