// IEEE 802.1AE MACsec (ethertype 0x88e5): the SecTAG, then either the
// protected frame's ethertype and payload (integrity only) or data
// (encrypted or changed text).  A 16-byte ICV ends the frame.
import { protocol, uint, flag, ether, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, setProtocolColumnHex, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerEthertype } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts } from '../text';
import { dissectEthertype } from './eth';
import { dissectData } from './frame';

const PROTO_MACSEC = protocol('macsec', '802.1AE Security tag');
const F_TCI = uint('macsec.TCI', 'TCI', 8, Base.HEX);
const F_TCI_V = uint('macsec.TCI.V', 'VER', 8, Base.HEX);
const F_TCI_ES = flag('macsec.TCI.ES', 'ES');
const F_TCI_SC = flag('macsec.TCI.SC', 'SC');
const F_TCI_SCB = flag('macsec.TCI.SCB', 'SCB');
const F_TCI_E = flag('macsec.TCI.E', 'E');
const F_TCI_C = flag('macsec.TCI.C', 'C');
const F_AN = uint('macsec.AN', 'AN', 8, Base.HEX);
const F_SL = uint('macsec.SL', 'Short length', 8);
const F_PN = uint('macsec.PN', 'Packet number');
const F_SYSTEM_ID = ether('macsec.SCI.system_identifier', 'System Identifier');
const F_PORT_ID = uint('macsec.SCI.port_identifier', 'Port Identifier', 16);
const F_ETYPE = uint('macsec.etype', 'Ethertype', 16, Base.HEX);

const ICV_LEN: u32 = 16;
const TCI_V: u32 = 0x80, TCI_ES: u32 = 0x40, TCI_SC: u32 = 0x20, TCI_SCB: u32 = 0x10, TCI_E: u32 = 0x08, TCI_C: u32 = 0x04;

export function dissectMacsec(start: u32, end: u32): void {
  if (!has(start, end, 1)) { markTruncated(); return; }
  const tci = u8at(start, end);
  const sectagLen: u32 = (tci & TCI_SC) != 0 ? 14 : 6;
  // tshark's dissector declines version 1 and frames too short for a tag and ICV.
  if ((tci & TCI_V) != 0 || end - start <= sectagLen + ICV_LEN) {
    setProtocolColumnHex(0x88e5);
    dissectData(start, end);
    return;
  }
  setProtocolColumn('MACSEC');
  infoSet(); puts('MACsec frame'); infoDone();
  beginLayer(PROTO_MACSEC);
  // Masked fields print shifted down to their lowest bit, as in tshark.
  addNum(F_TCI, (tci & 0xfc) >> 2);
  addNum(F_TCI_V, tci >> 7);
  addNum(F_TCI_ES, (tci & TCI_ES) != 0);
  addNum(F_TCI_SC, (tci & TCI_SC) != 0);
  addNum(F_TCI_SCB, (tci & TCI_SCB) != 0);
  addNum(F_TCI_E, (tci & TCI_E) != 0);
  addNum(F_TCI_C, (tci & TCI_C) != 0);
  addNum(F_AN, tci & 3);
  addNum(F_SL, u8at(start + 1, end));
  addNum(F_PN, u32at(start + 2, end));
  if (sectagLen == 14) {
    addBytes(F_SYSTEM_ID, start + 6, 6);
    addNum(F_PORT_ID, u16at(start + 12, end));
  }
  const data = start + sectagLen;
  if ((tci & (TCI_E | TCI_C)) != 0) {
    dissectData(data, end - ICV_LEN);
    return;
  }
  const type = u16at(data, end);
  addNum(F_ETYPE, type);
  dissectEthertype(type, data + 2, end);
}

registerEthertype(0x88e5, dissectMacsec);
