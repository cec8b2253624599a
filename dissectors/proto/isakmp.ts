// ISAKMP / IKE (RFC 2408, RFC 7296) on UDP 500, and on UDP 4500 behind the
// four zero bytes of the non-ESP marker (RFC 3948): the header, named as
// tshark names the exchange.  The payloads are not taken apart (so neither
// is isakmp.nextpayload, which tshark repeats in every payload).
import { protocol, uint, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { dissectData } from './frame';
import { u8at, u32at, has } from '../cursor';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec, tableName } from '../text';

const PROTO_ISAKMP = protocol('isakmp', 'Internet Security Association and Key Management Protocol');
const F_ISPI = bytes('isakmp.ispi', 'Initiator SPI');
const F_RSPI = bytes('isakmp.rspi', 'Responder SPI');
const F_VERSION = uint('isakmp.version', 'Version', 8, Base.HEX);
const F_EXCHANGE = uint('isakmp.exchangetype', 'Exchange type', 8);
const F_FLAGS = uint('isakmp.flags', 'Flags', 8, Base.HEX);
const F_MESSAGE_ID = uint('isakmp.messageid', 'Message ID', 32, Base.HEX);
const F_LENGTH = uint('isakmp.length', 'Length', 32);

const HEADER: u32 = 28;
const FLAG_INITIATOR: u32 = 0x08;
const FLAG_RESPONSE: u32 = 0x20;

/** Dissects an ISAKMP message at [start, end). */
export function dissectIsakmp(start: u32, end: u32): void {
  setProtocolColumn('ISAKMP');
  infoSet(); infoDone();
  // As tshark: less than a header, or a length below one, is not ISAKMP;
  // the columns it already set stay, the bytes are data.
  if (!has(start, end, HEADER) || u32at(start + 24, end) < HEADER) { dissectData(start, end); return; }
  beginLayer(PROTO_ISAKMP);
  addBytes(F_ISPI, start, 8);
  addBytes(F_RSPI, start + 8, 8);
  const version = u8at(start + 17, end);
  addNum(F_VERSION, version);
  const exchange = u8at(start + 18, end);
  addNum(F_EXCHANGE, exchange);
  const flags = u8at(start + 19, end);
  addNum(F_FLAGS, flags);
  const messageId = u32at(start + 20, end);
  addNum(F_MESSAGE_ID, messageId);
  addNum(F_LENGTH, u32at(start + 24, end));
  infoSet();
  putExchange(version >> 4, exchange);
  if (version >> 4 == 2) {
    puts(' MID='); if (messageId < 10) putc(48); putDec(messageId);
    puts(flags & FLAG_INITIATOR ? ' Initiator' : ' Responder');
    puts(flags & FLAG_RESPONSE ? ' Response' : ' Request');
  }
  infoDone();
}

// tshark's names of the exchange types, by major version: IKEv1's from 0 and
// from 32, IKEv2's from 34; tshark writes others as "Unknown N".
function putExchange(major: u32, exchange: u32): void {
  const name = major == 2 ? (exchange >= 34 ? tableName(V2_NAMES, exchange - 34, '') : '')
    : exchange >= 32 ? tableName(V1_NAMES_FROM_32, exchange - 32, '') : tableName(V1_NAMES, exchange, '');
  if (name.length) puts(name);
  else { puts('Unknown '); putDec(exchange); }
}

const V1_NAMES: StaticArray<string> = ['NONE', 'Base', 'Identity Protection (Main Mode)', 'Authentication Only', 'Aggressive', 'Informational', 'Transaction (Config Mode)'];
const V1_NAMES_FROM_32: StaticArray<string> = ['Quick Mode', 'New Group Mode'];
const V2_NAMES: StaticArray<string> = ['IKE_SA_INIT', 'IKE_AUTH', 'CREATE_CHILD_SA', 'INFORMATIONAL', 'IKE_SESSION_RESUME'];

registerUdpPort(500, dissectIsakmp);
