// The BSD timed Time Synchronization Protocol on UDP 525: the info column
// names the message type; the header's type, version and sequence are
// fields.  tshark reads the rest (times, hop count, machine name) only into
// its protocol tree, so they cannot mark a summary line and are not kept.
import { protocol, uint } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { lacks, has, u8at, u16at } from '../cursor';

const PROTO_TSP = protocol('tsp', 'Time Synchronization Protocol');
const F_TYPE = uint('tsp.type', 'Type', 8);
const F_VERSION = uint('tsp.version', 'Version', 8);
const F_SEQUENCE = uint('tsp.sequence', 'Sequence', 16);

const TSP_PORT: u32 = 525;
const TYPE_NAMES: StaticArray<string> = [
  'any', 'adjtime', 'ack', 'masterreq', 'masterack', 'settime', 'masterup', 'slaveup', 'election', 'accept', 'refuse',
  'conflict', 'resolve', 'quit', 'date', 'datereq', 'dateack', 'traceon', 'traceoff', 'msite', 'msitereq', 'test',
  'setdate', 'setdatereq', 'loop',
];

function dissectTsp(start: u32, end: u32): void {
  setProtocolColumn('TSP');
  infoSet(); infoDone();
  beginLayer(PROTO_TSP);
  if (lacks(start, end, 1)) return;
  const type = u8at(start, end);
  infoSet();
  if (type < <u32>TYPE_NAMES.length) puts(unchecked(TYPE_NAMES[type]));
  else { puts('Unknown message type ('); putDec(type); puts(')'); }
  infoDone();
  addNum(F_TYPE, type);
  if (has(start, end, 2)) addNum(F_VERSION, u8at(start + 1, end));
  if (has(start, end, 4)) addNum(F_SEQUENCE, u16at(start + 2, end));
}

registerUdpPort(TSP_PORT, dissectTsp);
