// Cisco MetaData (ethertype 0x8909): a security group tag inserted before
// the real ethertype.  In GRE (protocol type 0x8909) the inner type comes
// first: type, version, length, options, SGT.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { registerEthertype, dispatchEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { dissectEthertype } from './eth';
import { dissectData } from './frame';

const PROTO_CMD = protocol('cmd', 'Cisco MetaData');
const F_VERSION = uint('cmd.version', 'Version', 8);
const F_LENGTH = uint('cmd.length', 'Length', 8);
const F_OPTIONS = uint('cmd.options', 'Options', 16, Base.HEX);
const F_SGT = uint('cmd.sgt', 'SGT', 16);
const F_TYPE = uint('cmd.type', 'Type', 16, Base.HEX);

const HEADER_LEN: u32 = 8;

function begin(): void {
  setProtocolColumn('CMD');
  infoSet(); infoDone();
  beginLayer(PROTO_CMD);
}

/** Adds version, length, options and SGT at p; false if they were cut short. */
function addTag(p: u32, end: u32): bool {
  if (!has(p, end, 6)) { markTruncated(); return false; }
  addNum(F_VERSION, u8at(p, end));
  addNum(F_LENGTH, u8at(p + 1, end));
  addNum(F_OPTIONS, u16at(p + 2, end));
  addNum(F_SGT, u16at(p + 4, end));
  return true;
}

export function dissectCmd(start: u32, end: u32): void {
  begin();
  if (!addTag(start, end)) return;
  if (!has(start, end, HEADER_LEN)) { markTruncated(); return; }
  const type = u16at(start + 6, end);
  addNum(F_TYPE, type);
  dissectEthertype(type, start + HEADER_LEN, end);
}

export function dissectCmdInGre(start: u32, end: u32): void {
  begin();
  if (!has(start, end, 2)) { markTruncated(); return; }
  const type = u16at(start, end);
  addNum(F_TYPE, type);
  if (!addTag(start + 2, end)) return;
  const payload = start + HEADER_LEN;
  if (!dispatchEthertype(type, payload, end)) dissectData(payload, end);
}

registerEthertype(0x8909, dissectCmd);
