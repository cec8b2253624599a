// QUIC's frames in a decrypted Initial packet, as tshark 4.0 walks them:
// their types in the info column, CRYPTO data handed to the TLS handshake
// dissector once per offset (a retransmission is not dissected again).
import { uint, fieldsBelongTo } from '../fields';
import { addNum, setProtocolColumn, markMalformed, errors } from '../packet';
import { infoAppend, infoDone, infoFreeze, infoUnfreeze } from '../columns';
import { puts, putDec } from '../text';
import { connCryptoNext } from './quic-connections';
import { varint, varintLen } from './quic-varint';
import { dissectTlsHandshakeMessages } from './tls';
import { PROTO_QUIC } from './quic-proto';

fieldsBelongTo(PROTO_QUIC);
const F_FRAME_TYPE = uint('quic.frame_type', 'Frame Type', 64);
const F_CRYPTO_OFFSET = uint('quic.crypto.offset', 'Offset', 64);
const F_CRYPTO_LENGTH = uint('quic.crypto.length', 'Length', 64);

const enum Ft { PADDING = 0x00, PING = 0x01, ACK = 0x02, ACK_ECN = 0x03, RESET_STREAM = 0x04, STOP_SENDING = 0x05,
  CRYPTO = 0x06, NEW_TOKEN = 0x07, CC_TRANSPORT = 0x1c, CC_APP = 0x1d, HANDSHAKE_DONE = 0x1e }

/** Varint reads in decrypted data: a read past it is a malformed packet, as tshark's exception there. */
let framesFailed = false;
function frameVarint(q: u32, end: u32): u64 {
  const v = varint(q, end);
  if (varintLen == 0) { framesFailed = true; markMalformed(); }
  return v;
}

/** The frames of a decrypted Initial packet; `cryptoSlot` is where connCryptoNext keeps this connection and direction's CRYPTO offset. */
export function dissectFrames(start: u32, end: u32, cryptoSlot: u32): void {
  framesFailed = false;
  let q = start;
  while (q < end && !framesFailed) {
    const type = frameVarint(q, end);
    if (framesFailed) return;
    addNum(F_FRAME_TYPE, type);
    q += varintLen;
    infoAppend();
    if (type == Ft.PADDING) {
      puts(', PADDING');
      while (q < end && load<u8>(q) == 0) q++;
    } else if (type == Ft.PING) {
      puts(', PING');
    } else if (type == Ft.ACK || type == Ft.ACK_ECN) {
      puts(type == Ft.ACK ? ', ACK' : ', ACK_ECN');
      infoDone();
      q = skipAck(q, end, type == Ft.ACK_ECN);
      continue;
    } else if (type == Ft.RESET_STREAM || type == Ft.STOP_SENDING) {
      puts(type == Ft.RESET_STREAM ? ', RS' : ', SS');
      const id = frameVarint(q, end);
      if (framesFailed) { infoDone(); return; }
      q += varintLen;
      puts('('); putDec(id); puts(')');
      infoDone();
      q = skipVarints(q, end, type == Ft.RESET_STREAM ? 2 : 1);
      continue;
    } else if (type == Ft.CRYPTO) {
      puts(', CRYPTO');
      infoDone();
      q = cryptoFrame(q, end, cryptoSlot);
      continue;
    } else if (type == Ft.NEW_TOKEN) {
      puts(', NT');
      infoDone();
      const n = frameVarint(q, end);
      if (framesFailed) return;
      q += varintLen;
      if (n > <u64>(end - q)) { framesFailed = true; markMalformed(); return; }
      q += <u32>n;
      continue;
    } else if (type == Ft.CC_TRANSPORT || type == Ft.CC_APP) {
      puts(', CC');
      infoDone();
      q = skipVarints(q, end, type == Ft.CC_TRANSPORT ? 2 : 1);
      const n = frameVarint(q, end);
      if (framesFailed) return;
      q += varintLen;
      if (n > <u64>(end - q)) { framesFailed = true; markMalformed(); return; }
      q += <u32>n;
      continue;
    } else if (type == Ft.HANDSHAKE_DONE) {
      puts(', DONE');
    } else {
      // Frames an Initial packet may not carry: their layout is not followed here.
      infoDone();
      return;
    }
    infoDone();
  }
}

function skipVarints(q: u32, end: u32, n: u32): u32 {
  for (let i: u32 = 0; i < n && !framesFailed; i++) {
    frameVarint(q, end);
    q += varintLen;
  }
  return q;
}

function skipAck(q: u32, end: u32, ecn: bool): u32 {
  q = skipVarints(q, end, 2);
  let ranges = frameVarint(q, end);
  if (framesFailed) return q;
  q += varintLen;
  q = skipVarints(q, end, 1);
  // Each range takes at least two bytes, so the count is bounded by the bytes left.
  while (ranges > 0 && !framesFailed) {
    q = skipVarints(q, end, 2);
    ranges--;
  }
  if (ecn) q = skipVarints(q, end, 3);
  return q;
}

function cryptoFrame(q: u32, end: u32, at: u32): u32 {
  const offset = frameVarint(q, end);
  if (framesFailed) return q;
  addNum(F_CRYPTO_OFFSET, offset);
  q += varintLen;
  const length = frameVarint(q, end);
  if (framesFailed) return q;
  addNum(F_CRYPTO_LENGTH, length);
  q += varintLen;
  if (length > <u64>(end - q)) { framesFailed = true; markMalformed(); return end; }
  let data = q;
  let n = <u32>length;
  const next = q + n;
  // Bytes already seen at this level are a retransmission; a gap waits for bytes that never come here.
  const seen = unchecked(connCryptoNext[at]);
  if (offset + length <= seen) return next;
  if (offset > seen) return next;
  const overlap = <u32>(seen - offset);
  data += overlap;
  n -= overlap;
  unchecked(connCryptoNext[at] = offset + length);
  const errorsBefore = errors;
  infoFreeze();
  dissectTlsHandshakeMessages(data, data + n);
  infoUnfreeze();
  // TLS's exception ends tshark's walk of the packet too.
  if (errors != errorsBefore) framesFailed = true;
  setProtocolColumn('QUIC'); // the columns stay QUIC's while TLS reads the handshake
  return next;
}
