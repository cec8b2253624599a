// DVMRP, IGMP type 0x13, as tshark 4.0 shows it: version 3 whenever eight or
// more bytes are captured (tshark's strict-v3 check is off by default), else
// version 1; the info column is "V3 Neighbors 2" and the like.  Only what
// tshark reads whatever the tree can mark a line: the code, the checksum, a
// probe's or neighbor list's capabilities byte, a v3 report's routes and
// the neighbor counts of a Neighbors 2 message, and v1's command bytes.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, reportedLength } from '../packet';
import { infoSet, infoDone } from '../columns';
import { puts, putHex } from '../text';
import { has, lacks, u8at, u16at } from '../cursor';

const PROTO_DVMRP = protocol('dvmrp', 'Distance Vector Multicast Routing Protocol');
const F_VERSION = uint('dvmrp.version', 'DVMRP Version', 8);
const F_TYPE = uint('dvmrp.type', 'Type', 8, Base.HEX);
const F_CODE_V1 = uint('dvmrp.v1.code', 'Code', 8, Base.HEX);
const F_CODE_V3 = uint('dvmrp.v3.code', 'Code', 8, Base.HEX);
const F_CHECKSUM = uint('dvmrp.checksum', 'Checksum', 16, Base.HEX);

const V3_MIN: u32 = 8;
const enum V3 { PROBE = 1, REPORT = 2, ASK_NEIGHBORS = 3, NEIGHBORS = 4, ASK_NEIGHBORS_2 = 5, NEIGHBORS_2 = 6, PRUNE = 7, GRAFT = 8, GRAFT_ACK = 9 }
const V3_NAMES: StaticArray<string> = ['', 'Probe', 'Report', 'Ask Neighbors', 'Neighbors', 'Ask Neighbors 2', 'Neighbors 2', 'Prune', 'Graft', 'Graft ACK'];
const V1_NAMES: StaticArray<string> = ['', 'Response', 'Request', 'Non membership report', 'Non membership cancellation'];
const enum V1Command { NULL = 0, AFI = 2, SUBNETMASK = 3, METRIC = 4, FLAGS0 = 5, INFINITY = 6, DA = 7, RDA = 8, NMR = 9, NMR_CANCEL = 10 }

export function dissectDvmrp(start: u32, end: u32): void {
  setProtocolColumn('DVMRP');
  infoSet(); infoDone();
  beginLayer(PROTO_DVMRP);
  const v3 = has(start, end, V3_MIN);
  addNum(F_VERSION, v3 ? 3 : 1);
  addNum(F_TYPE, 0x13);
  if (lacks(start + 1, end, 1)) return;
  const code = u8at(start + 1, end);
  addNum(v3 ? F_CODE_V3 : F_CODE_V1, code);
  infoSet();
  puts(v3 ? 'V3 ' : 'V1 ');
  const names = v3 ? V3_NAMES : V1_NAMES;
  if (code != 0 && code < <u32>names.length) puts(unchecked(names[code]));
  else { puts('Unknown Type:'); putHex(code, 2); }
  infoDone();
  if (lacks(start + 2, end, 2)) return;
  addNum(F_CHECKSUM, u16at(start + 2, end));
  const wireEnd = start + reportedLength(start, end);
  if (v3) walkV3(code, start, end, wireEnd); else walkV1(start + 4, end, wireEnd);
}

function walkV3(code: u32, start: u32, end: u32, wireEnd: u32): void {
  if ((code == V3.PROBE || code == V3.NEIGHBORS_2) && lacks(start + 5, end, 1)) return;
  let p = start + 8;
  if (code == V3.REPORT) {
    // Routes: a three-byte mask, then source networks (one byte, plus one per non-zero mask byte) and metrics
    // until a metric's top bit ends the list.
    while (p < wireEnd) {
      if (lacks(p, end, 3)) return;
      const significant = 1 + (load<u8>(p) != 0 ? 1 : 0) + (load<u8>(p + 1) != 0 ? 1 : 0) + (load<u8>(p + 2) != 0 ? 1 : 0);
      p += 3;
      while (true) {
        if (lacks(p, end, significant + 1)) return;
        const metric = <u32>load<u8>(p + significant);
        p += significant + 1;
        if (metric & 0x80) break;
      }
    }
  } else if (code == V3.NEIGHBORS_2) {
    while (wireEnd > p && wireEnd - p >= 12) {
      if (lacks(p + 7, end, 1)) return;
      let count = <u32>load<u8>(p + 7);
      p += 8;
      while (wireEnd > p && wireEnd - p >= 4 && count > 0) { p += 4; count--; }
    }
  }
}

/** Version 1's commands, read byte by byte as tshark reads them. */
function walkV1(p: u32, end: u32, wireEnd: u32): void {
  while (p < wireEnd) {
    if (lacks(p, end, 1)) return;
    const command = <u32>load<u8>(p);
    p++;
    switch (command) {
      case V1Command.NULL: p++; break;
      case V1Command.AFI: case V1Command.METRIC: case V1Command.FLAGS0: case V1Command.INFINITY:
        if (lacks(p, end, 1)) return;
        p++;
        break;
      case V1Command.SUBNETMASK: {
        if (lacks(p, end, 1)) return;
        const count = <u32>load<u8>(p);
        p++;
        if (count != 0) p += 4;
        break;
      }
      case V1Command.DA: case V1Command.RDA: case V1Command.NMR: case V1Command.NMR_CANCEL: {
        if (lacks(p, end, 1)) return;
        const count = <u32>load<u8>(p);
        p += 1 + count * (command == V1Command.NMR ? 8 : 4);
        break;
      }
      default: break;
    }
  }
}
