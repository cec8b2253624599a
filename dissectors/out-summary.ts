// The one-line summary tshark prints by default:
// number, time, source → destination, protocol, length, info; and each of
// these columns alone for -T fields (_ws.col.Info and the like).
import { srcKind, srcPtr, dstKind, dstPtr, protoColumn, protoColumnHex, AddrKind, frameNumber, frameTime } from './packet';
import { putc, puts, putDec, putHex, putHexDigits, putHexBytes, putIPv4, putIPv6, putEther, textPos, alignRight, alignLeft, putRaw } from './text';
import { infoPtr, infoLength } from './columns';
import { putTimeColumn } from './time-column';
import { frameDeltaNs, frameDeltaDisplayedNs } from './proto/frame';
import { noteGeonwAddressShown } from './proto/geonw';
import { putNsap } from './proto/osi-utils';

function putAddress(kind: u32, p: u32): void {
  if (kind == AddrKind.IPV4) putIPv4(p);
  else if (kind == AddrKind.IPV6) putIPv6(p);
  else if (kind == AddrKind.ETHER) putEther(p);
  else if (kind == AddrKind.LABEL) puts(unchecked(LINK_LABELS[p]));
  else if (kind == AddrKind.DECNET) putDecnetAddress(p);
  else if (kind == AddrKind.GEONW) putGeonwAddress(p);
  else if (kind == AddrKind.IPX) putIpxAddress(p);
  else if (kind == AddrKind.ARCNET) { puts('0x'); putHexDigits(<u32>load<u8>(p), 2); }
  else if (kind == AddrKind.TIPC) putTipcAddress(p);
  // An OSI address points at its length byte, as CLNP carries it.
  else if (kind == AddrKind.OSI) putNsap(p + 1, <u32>load<u8>(p));
  else if (kind == AddrKind.VSOCK) { const cid = load<u64>(p); if (cid == 2) puts('host'); else putDec(cid); }
  else if (kind >= <u32>AddrKind.ETHER_RA && kind <= <u32>AddrKind.ETHER_BSSID) {
    putEther(p); puts(' ('); puts(unchecked(ADDRESS_ROLES[kind - <u32>AddrKind.ETHER_RA])); putc(41);
  }
}

function putTipcAddress(p: u32): void {
  const a = bswap<u32>(load<u32>(p));
  putDec(a >> 24); putc(46); putDec((a >> 12) & 0xfff); putc(46); putDec(a & 0xfff);
}

// Indexed by kind - AddrKind.ETHER_RA.
const ADDRESS_ROLES: StaticArray<string> = ['RA', 'TA', 'BSSID'];

function putGeonwAddress(p: u32): void {
  noteGeonwAddressShown(p);
  const b = <u32>load<u8>(p);
  putc(b & 0x80 ? 49 : 48); putc(46);
  putDec((b & 0x7c) >> 2); putc(46);
  putDec(((b & 3) << 8) | <u32>load<u8>(p + 1)); putc(46);
  putEther(p + 2);
}

/** An IPX address as tshark writes it: the network, a dot, the node, in lowercase hex. */
export function putIpxAddress(p: u32): void {
  putHexDigits(bswap<u32>(load<u32>(p)), 8); putc(46); putHexBytes(p + 4, 6);
}

function putDecnetAddress(mac: u32): void {
  const address = <u32>load<u16>(mac + 4);
  putDec(address >> 10); putc(46); putDec(address & 0x3ff);
}

// Indexed by LinkLabel.
const LINK_LABELS: StaticArray<string> = ['N/A', 'DTE', 'DCE'];

// What the columns need beyond what packet.ts keeps of the frame (its number
// and time): set before anything of the frame is written.
let columnRelNs: i64 = 0;
let columnDigits: u32 = 0;
let columnLength: u32 = 0;

export function setColumnFrame(relNs: i64, digits: u32, shownLength: u32): void {
  columnRelNs = relNs;
  columnDigits = digits;
  columnLength = shownLength;
}

/** tshark's default columns, in their order; -T fields names them _ws.col.No. and so on. */
export enum Column { NUMBER, TIME, SOURCE, DESTINATION, PROTOCOL, LENGTH, INFO, COUNT }

/** One column's text, unpadded. */
export function putColumn(c: u32): void {
  switch (c) {
    case Column.NUMBER: putDec(frameNumber()); break;
    case Column.TIME: putTimeColumn(frameTime(), columnRelNs, frameDeltaNs, frameDeltaDisplayedNs, columnDigits); break;
    case Column.SOURCE: putAddress(srcKind, srcPtr); break;
    case Column.DESTINATION: putAddress(dstKind, dstPtr); break;
    case Column.PROTOCOL: if (protoColumnHex >= 0) putHex(<u64>protoColumnHex, 4); else puts(protoColumn); break;
    case Column.LENGTH: putDec(columnLength); break;
    case Column.INFO: putRaw(infoPtr(), infoLength()); break;
    default: break;
  }
}

export function writeSummaryLine(): void {
  let p0 = textPos();
  putColumn(Column.NUMBER);
  alignRight(p0, 5);
  putc(32);
  p0 = textPos();
  putColumn(Column.TIME);
  alignRight(p0, 10);
  putc(32);
  p0 = textPos();
  putColumn(Column.SOURCE);
  alignRight(p0, 12);
  puts(' → ');
  p0 = textPos();
  putColumn(Column.DESTINATION);
  alignLeft(p0, 12);
  putc(32);
  putColumn(Column.PROTOCOL);
  putc(32);
  putColumn(Column.LENGTH);
  putc(32);
  putColumn(Column.INFO);
  putc(10);
}
