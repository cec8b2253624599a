// Cisco Inter-Switch Link: a 26-byte header in front of a whole frame,
// recognised by its destination 01-00-0c-00-00 (or 0c-00-0c-00-00) where
// an 802.3 frame would be.  The encapsulated Ethernet frame keeps its FCS.
import { protocol, uint, flag, ether, Base } from '../fields';
import { addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, u24at, has, clampEnd } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { dissectData } from './frame';

// The ISL fields show inside the Ethernet layer tshark opens for the frame.
protocol('isl', 'Cisco ISL');
const F_DST = ether('isl.dst', 'Destination');
const F_TYPE = uint('isl.type', 'Type', 8);
const F_USER_ETH = uint('isl.user_eth', 'User', 8);
const F_USER = uint('isl.user', 'User', 8, Base.HEX);
const F_ADDR = ether('isl.addr', 'Source or Destination Address');
const F_SRC = ether('isl.src', 'Source');
const F_LEN = uint('isl.len', 'Length', 16);
const F_DSAP = uint('isl.dsap', 'DSAP', 8, Base.HEX);
const F_SSAP = uint('isl.ssap', 'SSAP', 8, Base.HEX);
const F_CONTROL = uint('isl.control', 'Control', 8, Base.HEX);
const F_HSA = uint('isl.hsa', 'HSA', 24, Base.HEX);
const F_VLAN_ID = uint('isl.vlan_id', 'VLAN ID', 16);
const F_BPDU = flag('isl.bpdu', 'BPDU/CDP/VTP');
const F_INDEX = uint('isl.index', 'Index', 16);
const F_RESERVED = uint('isl.reserved', 'Reserved', 16, Base.HEX);

const HEADER_LEN: u32 = 26;
const TYPE_ETHERNET: u32 = 0;

/** Whether an 802.3-looking frame at `start` is ISL. */
export function isIsl(start: u32, end: u32): bool {
  if (!has(start, end, 5)) return false;
  const first = u8at(start, end);
  return (first == 0x01 || first == 0x0c) && u8at(start + 1, end) == 0x00 && u8at(start + 2, end) == 0x0c
    && u8at(start + 3, end) == 0x00 && u8at(start + 4, end) == 0x00;
}

/** `withFcs` dissects the encapsulated Ethernet frame (Ethernet's own entry, passed in to avoid an import cycle). */
export function dissectIsl(start: u32, end: u32, withFcs: (start: u32, end: u32) => void): void {
  setProtocolColumn('ISL');
  if (!has(start, end, 14)) { markTruncated(); return; }
  const type = u8at(start + 5, end) >> 4;
  addBytes(F_DST, start, 6);
  addNum(F_TYPE, type);
  if (type == TYPE_ETHERNET) addNum(F_USER_ETH, u8at(start + 5, end) & 3);
  else addNum(F_USER, u8at(start + 5, end) & 0x0f);
  addBytes(F_ADDR, start, 6);
  addBytes(F_SRC, start + 6, 6);
  addBytes(F_ADDR, start + 6, 6);
  const length = u16at(start + 12, end);
  addNum(F_LEN, length);
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  addNum(F_DSAP, u8at(start + 14, end));
  addNum(F_SSAP, u8at(start + 15, end));
  addNum(F_CONTROL, u8at(start + 16, end));
  addNum(F_HSA, u24at(start + 17, end));
  const vlan = u16at(start + 20, end);
  addNum(F_VLAN_ID, vlan >> 1);
  addNum(F_BPDU, vlan & 1);
  addNum(F_INDEX, u16at(start + 22, end));
  addNum(F_RESERVED, u16at(start + 24, end));
  infoSet(); puts('VLAN ID: '); putDec(vlan >> 1); infoDone();
  const payload = start + HEADER_LEN;
  // The length counts from after itself: 12 more header bytes, then the frame.
  if (type == TYPE_ETHERNET && length >= 12) {
    withFcs(payload, clampEnd(payload, length - 12, end));
    return;
  }
  dissectData(payload, end);
}
