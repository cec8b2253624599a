// Network Service Header (RFC 8300): base and service path headers, then
// the packet it carries, by next protocol.
import { protocol, uint } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated, markMalformed } from '../packet';
import { u8at, u16at, u24at, has } from '../cursor';
import { registerEthertype, dispatchEthertype } from '../dispatch';
import { dissectData } from './frame';
import { dissectEthernetWithoutFcs } from './eth';

const PROTO_NSH = protocol('nsh', 'Network Service Header');
const F_VERSION = uint('nsh.version', 'Version', 2);
const F_TTL = uint('nsh.ttl', 'Time to live', 6);
const F_LENGTH = uint('nsh.length', 'Length', 6);
const F_MD_TYPE = uint('nsh.mdtype', 'MD Type', 4);
const F_NEXT = uint('nsh.nextproto', 'Next Protocol', 8);
const F_SPI = uint('nsh.spi', 'Service Path Identifier', 24);
const F_SI = uint('nsh.si', 'Service Index', 8);

export function dissectNsh(start: u32, end: u32): void {
  beginLayer(PROTO_NSH);
  setProtocolColumn('NSH');
  if (!has(start, end, 8)) { markTruncated(); return; }
  const w = u16at(start, end);
  addNum(F_VERSION, w >> 14);
  addNum(F_TTL, (w >> 6) & 0x3f);
  const words = w & 0x3f;
  addNum(F_LENGTH, words);
  addNum(F_MD_TYPE, u8at(start + 2, end) & 15);
  const next = u8at(start + 3, end);
  addNum(F_NEXT, next);
  addNum(F_SPI, u24at(start + 4, end));
  addNum(F_SI, u8at(start + 7, end));
  const headerLen = words * 4;
  if (headerLen < 8) { markMalformed(); return; }
  if (!has(start, end, headerLen)) { markTruncated(); return; }
  const payload = start + headerLen;
  dissectNext(next, payload, end);
}

/** The next-protocol numbers NSH and VXLAN-GPE share. */
export function dissectNext(next: u32, start: u32, end: u32): void {
  if (next == 3) { dissectEthernetWithoutFcs(start, end); return; }
  const type: u32 = next == 1 ? 0x0800 : next == 2 ? 0x86dd : next == 4 ? 0x894f : next == 5 ? 0x8847 : 0;
  if (type != 0 && dispatchEthertype(type, start, end)) return;
  dissectData(start, end);
}

registerEthertype(0x894f, dissectNsh);
