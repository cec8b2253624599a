// IEEE 802.1AE MACsec: the security tag, and the protected frame's payload
// when it is integrity-only (not encrypted), which Wireshark dissects.
import { protocol, uint, ether, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerEthertype } from '../dispatch';
import { dissectEthertype } from './eth';
import { dissectData } from './frame';

const PROTO_MACSEC = protocol('macsec', '802.1AE Security tag');
const F_TCI = uint('macsec.TCI', 'TCI', 8, Base.HEX);
const F_AN = uint('macsec.AN', 'AN', 8, Base.HEX);
const F_SL = uint('macsec.SL', 'Short length', 8);
const F_PN = uint('macsec.PN', 'Packet number');
const F_SCI_SYSTEM = ether('macsec.SCI.system_identifier', 'System Identifier');
const F_SCI_PORT = uint('macsec.SCI.port_identifier', 'Port Identifier', 16);
const F_ETYPE = uint('macsec.etype', 'Ethertype', 16, Base.HEX);
const F_ICV = bytes('macsec.ICV', 'ICV');

const TCI_SC: u32 = 0x20, TCI_E: u32 = 0x08, TCI_C: u32 = 0x04;
const ICV_LEN: u32 = 16;

export function dissectMacsec(start: u32, end: u32): void {
  beginLayer(PROTO_MACSEC);
  setProtocolColumn('MACSEC');
  if (!has(start, end, 6)) { markTruncated(); return; }
  const tciAn = u8at(start, end);
  const tci = tciAn & 0xfc;
  addNum(F_TCI, tci >> 2);
  addNum(F_AN, tciAn & 3);
  const shortLen = u8at(start + 1, end) & 0x3f;
  addNum(F_SL, shortLen);
  addNum(F_PN, u32at(start + 2, end));
  let p = start + 6;
  if (tci & TCI_SC) {
    if (!has(p, end, 8)) { markTruncated(); return; }
    addBytes(F_SCI_SYSTEM, p, 6);
    addNum(F_SCI_PORT, u16at(p + 6, end));
    p += 8;
  }
  if (!has(p, end, ICV_LEN)) { markTruncated(); return; }
  // The secure data runs up to the ICV, or for the short length given when it fits.
  let dataEnd = end - ICV_LEN;
  if (shortLen != 0 && shortLen < dataEnd - p) dataEnd = p + shortLen;
  if (tci & (TCI_E | TCI_C) || dataEnd - p < 2) {
    dissectData(p, dataEnd);
  } else {
    const etype = u16at(p, end);
    addNum(F_ETYPE, etype);
    dissectEthertype(etype, p + 2, dataEnd);
  }
  addBytes(F_ICV, end - ICV_LEN, ICV_LEN);
}

registerEthertype(0x88e5, dissectMacsec);
