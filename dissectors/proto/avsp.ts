// Arista Vendor Specific Protocol (ethertype 0xd28b): Arista switches insert
// it between the MAC addresses and the real ethertype to carry a hardware
// timestamp (subtype 1; versions 0x10 / 0x110 are 64-bit, 0x20 / 0x120 48-bit).
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u16at, u32at, has } from '../cursor';
import { registerEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { dissectEthertype } from './eth';

const PROTO_AVSP = protocol('avsp', 'Arista Vendor Specific Protocol');
const F_SUB_TYPE = uint('avsp.sub_type', 'Sub Type', 16);
const F_VERSION = uint('avsp.ver', 'Version', 16, Base.HEX);
const F_64_SEC = uint('avsp.64sec', 'Seconds');
const F_64_NS = uint('avsp.64ns', 'Nanoseconds');
const F_48_SEC = uint('avsp.48sec', 'Seconds', 16);
const F_48_NS = uint('avsp.48ns', 'Nanoseconds');
const F_ETYPE = uint('avsp.etype', 'Type', 16, Base.HEX);

const SUBTYPE_TIMESTAMP: u32 = 1;

export function dissectAvsp(start: u32, end: u32): void {
  setProtocolColumn('AVSP');
  infoSet(); infoDone();
  beginLayer(PROTO_AVSP);
  if (!has(start, end, 2)) { markTruncated(); return; }
  const subtype = u16at(start, end);
  addNum(F_SUB_TYPE, subtype);
  let p = start + 2;
  if (subtype == SUBTYPE_TIMESTAMP) {
    if (!has(p, end, 2)) { markTruncated(); return; }
    const version = u16at(p, end);
    addNum(F_VERSION, version);
    p += 2;
    const wide = version == 0x10 || version == 0x110;
    const narrow = version == 0x20 || version == 0x120;
    // An unknown timestamp layout ends the dissection here, as in tshark.
    if (!wide && !narrow) return;
    infoSet();
    puts(wide ? '64bit ' : '48bit '); puts((version & 0x100) != 0 ? 'UTC' : 'TAI'); puts(' timestamp');
    infoDone();
    const secondsLen: u32 = wide ? 4 : 2;
    if (!has(p, end, secondsLen)) { markTruncated(); return; }
    addNum(wide ? F_64_SEC : F_48_SEC, wide ? u32at(p, end) : u16at(p, end));
    p += secondsLen;
    if (!has(p, end, 4)) { markTruncated(); return; }
    addNum(wide ? F_64_NS : F_48_NS, u32at(p, end));
    p += 4;
  }
  if (!has(p, end, 2)) { markTruncated(); return; }
  const type = u16at(p, end);
  addNum(F_ETYPE, type);
  dissectEthertype(type, p + 2, end);
}

registerEthertype(0xd28b, dissectAvsp);
