// Encapsulating Security Payload (RFC 4303) on IP protocol 50 and inside UDP
// on port 4500 (RFC 3948): the SPI and sequence number; the rest is
// ciphertext, which tshark leaves alone without keys.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u32at, has, lacks } from '../cursor';
import { registerIpProto, registerUdpPortTry } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putHexDigits } from '../text';
import { dissectIsakmp } from './isakmp';

const PROTO_ESP = protocol('esp', 'Encapsulating Security Payload');
const PROTO_UDPENCAP = protocol('udpencap', 'UDP Encapsulation of IPsec Packets');
const F_SPI = uint('esp.spi', 'ESP SPI', 32, Base.HEX_DEC);
const F_SEQUENCE = uint('esp.sequence', 'ESP Sequence', 32);

function dissectEsp(start: u32, end: u32): void {
  beginLayer(PROTO_ESP);
  setProtocolColumn('ESP');
  // tshark clears the info column, then reads both words before it writes it.
  infoSet(); infoDone();
  if (!has(start, end, 4)) { markTruncated(); return; }
  const spi = u32at(start, end);
  addNum(F_SPI, spi);
  if (!has(start, end, 8)) { markTruncated(); return; }
  addNum(F_SEQUENCE, u32at(start + 4, end));
  infoSet(); puts('ESP (SPI=0x'); putHexDigits(spi, 8); putc(41); infoDone();
}

/**
 * UDP 4500 carries a NAT keepalive (the one byte 0xff), IKE behind four zero
 * bytes (the non-ESP marker), or ESP.
 */
function tryUdpEncapsulated(start: u32, end: u32): bool {
  beginLayer(PROTO_UDPENCAP);
  if (end - start == 1 && u8at(start, end) == 0xff) {
    setProtocolColumn('UDPENCAP');
    infoSet(); puts('NAT-keepalive'); infoDone();
    return true;
  }
  // tshark names the layer, then reads the four bytes that say which: a
  // shorter datagram is malformed, a cut one size limited.
  if (!has(start, end, 4)) {
    setProtocolColumn('UDPENCAP');
    infoSet(); infoDone();
    lacks(start, end, 4);
    return true;
  }
  if (u32at(start, end) == 0) dissectIsakmp(start + 4, end);
  else dissectEsp(start, end);
  return true;
}

registerIpProto(50, dissectEsp);
registerUdpPortTry(4500, tryUdpEncapsulated);
