// ES-IS (ISO 9542), NLPID 0x82: the fixed header, then the end system and
// intermediate system hellos and redirects, read field by field as
// Wireshark reads them (it writes the PDU type in the info column only once
// the whole fixed header is read; the options after the addresses are walked
// for their reads, not shown).
import { protocol, uint, str, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { lacks } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts, putHex } from '../text';
import { addNsap, walkOsiOptions } from './osi-utils';

const PROTO_ESIS = protocol('esis', 'ISO 9542 ESIS Routeing Information Exchange Protocol');
const F_NLPI = uint('esis.nlpi', 'Network Layer Protocol Identifier', 8, Base.HEX);
const F_LENGTH = uint('esis.length', 'PDU Length', 8);
const F_VERSION = uint('esis.ver', 'Version', 8);
const F_RESERVED = uint('esis.res', 'Reserved(==0)', 8);
const F_TYPE = uint('esis.type', 'PDU Type', 8);
const F_HOLDING_TIME = uint('esis.htime', 'Holding Time', 16);
const F_CHECKSUM = uint('esis.chksum', 'Checksum', 16, Base.HEX);
const F_SOURCE_COUNT = uint('esis.number_of_source_addresses', 'Number of Source Addresses (SA, Format: NSAP)', 8);
const F_SAL = uint('esis.sal', 'SAL', 8);
const F_SA = str('esis.sa', 'SA');
const F_NETL = uint('esis.netl', 'NETL', 8);
const F_NET = str('esis.net', 'NET');
const F_DAL = uint('esis.dal', 'DAL', 8);
const F_DA = str('esis.da', 'DA');
const F_BSNPAL = uint('esis.bsnpal', 'BSNPAL', 8);

const HEADER_LEN: u32 = 9;
const TYPE_MASK: u32 = 0x1f;
const enum Pdu { EsHello = 2, IsHello = 4, Redirect = 6 }

export function dissectEsis(start: u32, end: u32): void {
  setProtocolColumn('ESIS');
  infoSet(); infoDone();
  beginLayer(PROTO_ESIS);
  if (lacks(start, end, 1)) return;
  addNum(F_NLPI, load<u8>(start));
  if (lacks(start + 1, end, 1)) return;
  const length = <u32>load<u8>(start + 1);
  addNum(F_LENGTH, length);
  if (lacks(start + 2, end, 1)) return;
  addNum(F_VERSION, load<u8>(start + 2));
  if (lacks(start + 3, end, 1)) return;
  addNum(F_RESERVED, load<u8>(start + 3));
  if (lacks(start + 4, end, 1)) return;
  const type = <u32>load<u8>(start + 4) & TYPE_MASK;
  addNum(F_TYPE, type);
  if (lacks(start + 5, end, 2)) return;
  addNum(F_HOLDING_TIME, <u32>bswap<u16>(load<u16>(start + 5)));
  if (lacks(start + 7, end, 2)) return;
  addNum(F_CHECKSUM, <u32>bswap<u16>(load<u16>(start + 7)));
  infoSet();
  if (type == Pdu.EsHello) puts('ES HELLO');
  else if (type == Pdu.IsHello) puts('IS HELLO');
  else if (type == Pdu.Redirect) puts('RD REQUEST');
  else { puts('Unknown ('); putHex(type, 1); puts(')'); }
  infoDone();
  // The length of what follows the fixed header, 8 bits wide as in Wireshark.
  const rest = (length - HEADER_LEN) & 0xff;
  if (type == Pdu.EsHello) dissectEsHello(start, end, rest);
  else if (type == Pdu.IsHello) dissectIsHello(start, end, rest);
  else if (type == Pdu.Redirect) dissectRedirect(start, end, rest);
}

function dissectEsHello(start: u32, end: u32, rest: u32): void {
  let p = start + HEADER_LEN;
  if (lacks(p, end, 1)) return;
  let count = <u32>load<u8>(p);
  addNum(F_SOURCE_COUNT, count);
  p++;
  rest = (rest - 1) & 0xff;
  for (; count > 0; count--) {
    if (lacks(p, end, 1)) return;
    const sal = <u32>load<u8>(p);
    addNum(F_SAL, sal);
    p++;
    if (lacks(p, end, sal)) return;
    addNsap(F_SA, p, sal);
    p += sal;
    rest = (rest - sal - 1) & 0xff;
  }
  walkOsiOptions(rest, start, p, end);
}

function dissectIsHello(start: u32, end: u32, rest: u32): void {
  const p = start + HEADER_LEN;
  const next = dissectNet(p, end);
  if (next == 0) return;
  walkOsiOptions((rest - (next - p)) & 0xff, start, next, end);
}

/**
 * A length byte and the address it counts; returns where they end, 0 past the
 * packet.  Wireshark opens a subtree over both before it adds the length, so
 * a short address leaves the length out too.
 */
function countedPart(p: u32, end: u32): u32 {
  if (lacks(p, end, 1)) return 0;
  const n = <u32>load<u8>(p);
  if (lacks(p, end, n + 1)) return 0;
  return p + 1 + n;
}

/** A NET's length and the NET; returns where it ends, 0 past the packet. */
function dissectNet(p: u32, end: u32): u32 {
  const next = countedPart(p, end);
  if (next == 0) return 0;
  addNum(F_NETL, next - p - 1);
  addNsap(F_NET, p + 1, next - p - 1);
  return next;
}

function dissectRedirect(start: u32, end: u32, rest: u32): void {
  let p = start + HEADER_LEN;
  let next = countedPart(p, end);
  if (next == 0) return;
  addNum(F_DAL, next - p - 1);
  addNsap(F_DA, p + 1, next - p - 1);
  rest = (rest - (next - p)) & 0xff;
  p = next;
  next = countedPart(p, end);
  if (next == 0) return;
  addNum(F_BSNPAL, next - p - 1);
  rest = (rest - (next - p)) & 0xff;
  p = next;
  if (lacks(p, end, 1)) return;
  if (load<u8>(p) == 0) {
    // No NET: the redirect is to an end system.
    p++;
    rest = (rest - 1) & 0xff;
  } else {
    next = dissectNet(p, end);
    if (next == 0) return;
    rest = (rest - (next - p)) & 0xff;
    p = next;
  }
  walkOsiOptions(rest, start, p, end);
}
