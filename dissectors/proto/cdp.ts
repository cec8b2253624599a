// Cisco Discovery Protocol in SNAP (Cisco's OUI, protocol 0x2000), as
// tshark 4.0 shows it: the device ID and port ID TLVs in the info column,
// each as "Device ID: <value>  " (format_text, cut at a NUL).  The TLV walk
// stops quietly at a length below a TLV header; a TLV past the packet is
// malformed; a frame the snap length cut is "size limited" before any TLV,
// since tshark checksums the whole PDU first.  tshark's walk quirks are
// kept: a Port ID TLV not followed by 0x00 or 0x10 is taken as three bytes
// longer.
import { protocol, uint, str, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { registerCiscoPid } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts } from '../text';
import { putFormatText } from '../format-text';
import { has, cStringLength, be16, lacks } from '../cursor';
import { addAscii } from './ascii-text';

const PROTO_CDP = protocol('cdp', 'Cisco Discovery Protocol');
const F_VERSION = uint('cdp.version', 'Version', 8);
const F_TTL = uint('cdp.ttl', 'TTL', 8);
const F_CHECKSUM = uint('cdp.checksum', 'Checksum', 16, Base.HEX);
const F_TLV_TYPE = uint('cdp.tlv.type', 'Type', 16, Base.HEX);
const F_TLV_LEN = uint('cdp.tlv.len', 'Length', 16);
const F_DEVICE_ID = str('cdp.deviceid', 'Device ID', Base.FINAL_TEXT);
const F_PORT_ID = str('cdp.portid', 'Sent through Interface', Base.FINAL_TEXT);
const F_PLATFORM = str('cdp.platform', 'Platform', Base.FINAL_TEXT);

const HEADER: u32 = 4;
const TLV_DEVICE_ID: u32 = 0x0001;
const TLV_PORT_ID: u32 = 0x0003;
const TLV_PLATFORM: u32 = 0x0006;

/** "Device ID: <value>  " in the info column, the value up to its first NUL, as tshark's Cisco discovery dissectors (CDP, UDLD) write it. */
export function appendCiscoId(label: string, value: u32, length: u32): void {
  infoAppend();
  puts(label);
  putFormatText(value, cStringLength(value, length));
  puts('  ');
  infoDone();
}

function dissectCdp(start: u32, end: u32): void {
  setProtocolColumn('CDP');
  infoSet(); infoDone();
  beginLayer(PROTO_CDP);
  const reported = reportedLength(start, end);
  if (reported > end - start) { markReadPast(end, start + reported); return; }
  if (lacks(start, end, HEADER)) return;
  addNum(F_VERSION, load<u8>(start));
  addNum(F_TTL, load<u8>(start + 1));
  addNum(F_CHECKSUM, be16(start + 2));
  let p = start + HEADER;
  while (p < end) {
    if (lacks(p, end, 4)) return;
    const type = be16(p);
    const length = be16(p + 2);
    if (length < 4) { addNum(F_TLV_TYPE, type); addNum(F_TLV_LEN, length); return; }
    const value = p + 4;
    const valueLength = length - 4;
    if (lacks(value, end, valueLength)) return;
    addNum(F_TLV_TYPE, type);
    addNum(F_TLV_LEN, length);
    if (type == TLV_DEVICE_ID || type == TLV_PORT_ID) {
      appendCiscoId(type == TLV_DEVICE_ID ? 'Device ID: ' : 'Port ID: ', value, valueLength);
      addAscii(type == TLV_DEVICE_ID ? F_DEVICE_ID : F_PORT_ID, value, valueLength);
    } else if (type == TLV_PLATFORM) addAscii(F_PLATFORM, value, valueLength);
    let next = p + length;
    if (type == TLV_PORT_ID && has(p, end, length + 3) && load<u8>(p + length) != 0x00 && load<u8>(p + length) != 0x10) next += 3;
    p = next;
  }
}

registerCiscoPid(0x2000, dissectCdp);
