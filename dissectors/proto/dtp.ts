// Cisco's Dynamic Trunking Protocol, in SNAP under Cisco's OUI (protocol
// 0x2004), as tshark 4.0 shows it: always "Dynamic Trunk Protocol".  Its
// TLVs are walked for what can break the packet: each value is read, so
// one cut by the packet's end is malformed.
import { protocol } from '../fields';
import { beginLayer, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { registerCiscoPid } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { has, be16, lacks } from '../cursor';

const PROTO_DTP = protocol('dtp', 'Dynamic Trunking Protocol');

function dissectDtp(start: u32, end: u32): void {
  setProtocolColumn('DTP');
  infoSet(); puts('Dynamic Trunk Protocol'); infoDone();
  beginLayer(PROTO_DTP);
  const reportedEnd = start + reportedLength(start, end);
  let p = start + 1; // the version
  while (p < reportedEnd) {
    if (reportedEnd - p < 4) return;
    if (lacks(p, end, 4)) return;
    const length = be16(p + 2);
    if (length <= 4) return;
    // Each value is read (the domain as text, status and type as a byte, the neighbor as an address).
    if (!has(p + 4, end, length - 4)) { markReadPast(end, p + length); return; }
    p += length;
  }
}

registerCiscoPid(0x2004, dissectDtp);
