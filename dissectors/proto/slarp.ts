// Cisco SLARP (Cisco HDLC protocol 0x8035) as tshark 4.0 shows it: "Line
// keepalive, outgoing sequence 5, returned sequence 2", "Request, from
// 198.18.0.1, mask 255.255.255.0", or "Unknown packet type 0x00000007".
// tshark reads the sequence numbers or addresses, and a keepalive's
// reliability word, whether or not it builds a tree: a message cut short
// leaves the info column empty (or, past the sequence numbers, set) and is
// malformed.
import { protocol, uint, ipv4, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { u32at, u16at, has } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts, putDec, putIPv4, putHexUpper } from '../text';
import { dissectData } from './frame';

const PROTO_SLARP = protocol('slarp', 'Cisco SLARP');
const F_PTYPE = uint('slarp.ptype', 'Packet type', 32);
const F_ADDRESS = ipv4('slarp.address', 'Address');
const F_NETMASK = ipv4('slarp.netmask', 'Netmask');
const F_MYSEQ = uint('slarp.mysequence', 'Outgoing sequence number', 32);
const F_YOURSEQ = uint('slarp.yoursequence', 'Returned sequence number', 32);
const F_RELIABILITY = uint('slarp.reliability', 'Reliability', 16, Base.HEX);

const REQUEST: u32 = 0, REPLY: u32 = 1, LINECHECK: u32 = 2;

export function dissectSlarp(start: u32, end: u32): void {
  setProtocolColumn('SLARP');
  infoSet(); infoDone();
  beginLayer(PROTO_SLARP);
  if (!has(start, end, 4)) { markTruncated(); return; }
  const code = u32at(start, end);
  if (code == REQUEST || code == REPLY) {
    if (!has(start, end, 12)) { markTruncated(); return; }
    infoSet();
    puts(code == REQUEST ? 'Request' : 'Reply');
    puts(', from '); putIPv4(start + 4);
    puts(', mask '); putIPv4(start + 8);
    infoDone();
    addNum(F_PTYPE, code);
    addBytes(F_ADDRESS, start + 4, 4);
    addBytes(F_NETMASK, start + 8, 4);
  } else if (code == LINECHECK) {
    if (!has(start, end, 12)) { markTruncated(); return; }
    const mine = u32at(start + 4, end);
    const yours = u32at(start + 8, end);
    infoSet();
    puts('Line keepalive, outgoing sequence '); putDec(mine);
    puts(', returned sequence '); putDec(yours);
    infoDone();
    addNum(F_PTYPE, code);
    addNum(F_MYSEQ, mine);
    addNum(F_YOURSEQ, yours);
    if (!has(start, end, 14)) { markTruncated(); return; }
    addNum(F_RELIABILITY, u16at(start + 12, end));
  } else {
    infoSet(); puts('Unknown packet type 0x'); putHexUpper(code, 8); infoDone();
    addNum(F_PTYPE, code);
    dissectData(start + 4, end);
  }
}
