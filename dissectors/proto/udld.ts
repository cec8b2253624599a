// Cisco's UniDirectional Link Detection, in SNAP under Cisco's OUI
// (protocol 0x0111), as tshark 4.0 shows it: "Device ID: X  Port ID: Y  "
// from its TLVs, each value up to its first NUL.  The walk stops at a TLV
// length below a header (and at another TLV of no value); a Port ID not
// followed by a zero byte is taken as three bytes longer, tshark's quirk.
import { protocol } from '../fields';
import { beginLayer, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { registerCiscoPid } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoDone } from '../columns';
import { has, be16, lacks } from '../cursor';
import { appendCiscoId } from './cdp';

const PROTO_UDLD = protocol('udld', 'Unidirectional Link Detection');
const HEADER: u32 = 4;
const TLV_DEVICE_ID: u32 = 1;
const TLV_PORT_ID: u32 = 2;

function dissectUdld(start: u32, end: u32): void {
  setProtocolColumn('UDLD');
  infoSet(); infoDone();
  beginLayer(PROTO_UDLD);
  const reportedEnd = start + reportedLength(start, end);
  let p = start + HEADER;
  // Without a tree tshark steps over the header unread; the first TLV is then read past a short packet.
  if (p > reportedEnd) { markReadPast(end, p + 4); return; }
  while (p < reportedEnd) {
    if (lacks(p, end, 4)) return;
    const type = be16(p);
    const length = be16(p + 2);
    if (length < 4) {
      // tshark steps over the TLV header and hands the rest to data: past the packet that is malformed.
      p += 4;
      if (p > reportedEnd) { markReadPast(end, p); return; }
      break;
    }
    if (type == TLV_DEVICE_ID || type == TLV_PORT_ID) {
      let next = p + length;
      if (type == TLV_PORT_ID) {
        if (lacks(next, end, 1)) return;
        if (load<u8>(next) != 0) next += 3;
      }
      if (!has(p + 4, end, length - 4)) { markReadPast(end, p + length); return; }
      appendCiscoId(type == TLV_DEVICE_ID ? 'Device ID: ' : 'Port ID: ', p + 4, length - 4);
      p = next;
      continue;
    }
    if (length == 4) return;
    // Any other value is read whole.
    if (!has(p + 4, end, length - 4)) { markReadPast(end, p + length); return; }
    p += length;
  }
  if (p < end) dissectData(p, end);
}

registerCiscoPid(0x0111, dissectUdld);
