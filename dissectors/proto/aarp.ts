// AppleTalk ARP (ethertype 0x80f3): request, reply and probe, with tshark's
// info texts ("Who has 65280.1?  Tell 65280.2").  tshark reads the four
// addresses before it writes the info column, so a cut packet shows none.
// Hardware addresses are Ethernet ones when their type and size say so,
// protocol addresses "net.node" when AppleTalk ones; others are hex.
import { protocol, uint, ether, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { registerEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec, putHex, putEther, putHexBytes } from '../text';
import { lacks, u8at, u16at } from '../cursor';

const PROTO_AARP = protocol('aarp', 'Appletalk Address Resolution Protocol');
const F_HARD_TYPE = uint('aarp.hard.type', 'Hardware type', 16, Base.HEX);
const F_PROTO_TYPE = uint('aarp.proto.type', 'Protocol type', 16, Base.HEX);
const F_HARD_SIZE = uint('aarp.hard.size', 'Hardware size', 8);
const F_PROTO_SIZE = uint('aarp.proto.size', 'Protocol size', 8);
const F_OPCODE = uint('aarp.opcode', 'Opcode', 16);
const F_SRC_HW_MAC = ether('aarp.src.hw_mac', 'Sender MAC address');
const F_DST_HW_MAC = ether('aarp.dst.hw_mac', 'Target MAC address');

const ETHERTYPE_AARP: u32 = 0x80f3, ETHERTYPE_ATALK: u32 = 0x809b;
const HEADER: u32 = 8;

function dissectAarp(start: u32, end: u32): void {
  setProtocolColumn('AARP');
  infoSet(); infoDone();
  beginLayer(PROTO_AARP);
  if (lacks(start, end, HEADER)) return;
  const hrd = u16at(start, end), pro = u16at(start + 2, end);
  const hln = u8at(start + 4, end), pln = u8at(start + 5, end);
  const op = u16at(start + 6, end);
  const sha = start + HEADER, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
  // Every field comes after the addresses are read: a packet cut before their end has none.
  if (lacks(sha, end, 2 * (hln + pln))) return;
  addNum(F_HARD_TYPE, hrd); addNum(F_PROTO_TYPE, pro);
  addNum(F_HARD_SIZE, hln); addNum(F_PROTO_SIZE, pln);
  addNum(F_OPCODE, op);
  const etherHw = (hrd == 1 || hrd == 2) && hln == 6;
  if (etherHw) { addBytes(F_SRC_HW_MAC, sha, 6); addBytes(F_DST_HW_MAC, tha, 6); }
  infoSet();
  // The Linux kernel once rewrote the opcode in place, byte-swapped: tshark reads both.
  const kind = op == 1 || op == 0x100 ? 1 : op == 2 || op == 0x200 ? 2 : op == 3 || op == 0x300 ? 3 : 0;
  if (kind == 1) { puts('Who has '); putProtocolAddress(tpa, pln, pro); puts('?  Tell '); putProtocolAddress(spa, pln, pro); }
  else if (kind == 2) { putProtocolAddress(spa, pln, pro); puts(' is at '); putHardwareAddress(sha, hln, etherHw); }
  else if (kind == 3) { puts('Is there a '); putProtocolAddress(tpa, pln, pro); }
  else { puts('Unknown AARP opcode '); putHex(op, 4); }
  infoDone();
}

function putProtocolAddress(p: u32, len: u32, pro: u32): void {
  if (pro == ETHERTYPE_ATALK && len == 4) {
    putDec((<u32>load<u8>(p + 1) << 8) | <u32>load<u8>(p + 2)); putc(46); putDec(load<u8>(p + 3));
    return;
  }
  putHexBytes(p, len);
}

function putHardwareAddress(p: u32, len: u32, etherHw: bool): void {
  if (etherHw) putEther(p); else putHexBytes(p, len);
}

registerEthertype(ETHERTYPE_AARP, dissectAarp);
