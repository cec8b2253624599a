// What ES-IS and CLNP share: NSAPs and NETs written as Wireshark's
// print_nsap_net does (also the text of CLNP's address columns), and the
// option part (ISO 8473 7.5), walked only for the reads Wireshark makes, so
// a packet cut short stops where tshark's exception stops it.
import { addBytes, wanted } from '../packet';
import { lacks } from '../cursor';
import { scratchBegin, scratchEnd } from '../columns';
import { puts, putc, putHexDigits } from '../text';

const MAX_NSAP_LEN: u32 = 30;
const MAX_AREA_LEN: u32 = 30;
// RFC 1237 NSAPs: a 13-byte area, a 6-byte system ID, a selector (and, one longer, one more byte).
const RFC1237_NSAP_LEN: u32 = 20;
const RFC1237_FULLAREA_LEN: u32 = 13;
const RFC1237_SYSTEMID_LEN: u32 = 6;
const RFC1237_AREA_LEN: u32 = 3;
const AFI_ISO_DCC: u32 = 0x39;
const AFI_GOSIP2: u32 = 0x47;

@inline function putByte(p: u32): void {
  putHexDigits(<u32>load<u8>(p), 2);
}

/** An NSAP or NET of n bytes at p. */
export function putNsap(p: u32, n: u32): void {
  if (n == 0 || n > MAX_NSAP_LEN) { puts('<Invalid length of NSAP>'); return; }
  if (n != RFC1237_NSAP_LEN && n != RFC1237_NSAP_LEN + 1) { putArea(p, n); return; }
  putArea(p, RFC1237_FULLAREA_LEN);
  const id = p + RFC1237_FULLAREA_LEN;
  for (let i: u32 = 0; i < RFC1237_SYSTEMID_LEN; i++) {
    if (i == 2 || i == 4) putc(46);
    putByte(id + i);
  }
  putc(91); putByte(id + RFC1237_SYSTEMID_LEN); putc(93);
  if (n == RFC1237_NSAP_LEN + 1) { putc(45); putByte(p + n - 1); }
}

function putArea(p: u32, n: u32): void {
  if (n == 0 || n > MAX_AREA_LEN) { puts('<Invalid length of AREA>'); return; }
  const afi = <u32>load<u8>(p);
  if ((afi == AFI_ISO_DCC || afi == AFI_GOSIP2) && (n == RFC1237_FULLAREA_LEN || n == RFC1237_FULLAREA_LEN + 1)) {
    // [AFI|IDI][DFI|AA|Rsvd][RD|Area], then a longer area's last byte.
    putc(91); putByte(p); putc(124); putByte(p + 1); putc(58); putByte(p + 2); putc(93);
    putc(91); putByte(p + 3); putc(124); putByte(p + 4); putc(58); putByte(p + 5); putc(58); putByte(p + 6);
    putc(124); putByte(p + 7); putc(58); putByte(p + 8); putc(93);
    putc(91); putByte(p + 9); putc(58); putByte(p + 10); putc(124); putByte(p + 11); putc(58); putByte(p + 12); putc(93);
    if (n == RFC1237_FULLAREA_LEN + 1) { puts('-['); putByte(p + RFC1237_FULLAREA_LEN); putc(93); }
    return;
  }
  if (n == RFC1237_AREA_LEN) { putByte(p); putc(46); putByte(p + 1); putByte(p + 2); return; }
  if (n == 4) { for (let i: u32 = 0; i < 4; i++) putByte(p + i); return; }
  // Wireshark means a dot after every four bytes, but counts bytes against groups:
  // one dotted group below 20 bytes, two from 20 on.
  let i: u32 = 0;
  for (; i < n / 4; i += 4) {
    putByte(p + i); putByte(p + i + 1); putByte(p + i + 2); putByte(p + i + 3); putc(46);
  }
  for (; i < n; i++) putByte(p + i);
}

/** A string field holding the NSAP at p as text. */
export function addNsap(f: u32, p: u32, n: u32): void {
  if (!unchecked(wanted[f])) return;
  const text = scratchBegin();
  putNsap(p, n);
  addBytes(f, text, scratchEnd(text));
}

const OPT_REASON_FOR_DISCARD: u32 = 0xc1;
const OPT_QOS_MAINTENANCE: u32 = 0xc3;
const OPT_SECURITY: u32 = 0xc5;
const OPT_ES_CONFIG_TIMER: u32 = 0xc6;
const OPT_SOURCE_ROUTING: u32 = 0xc8;
const OPT_RECORD_OF_ROUTE: u32 = 0xcb;
const OPT_PADDING: u32 = 0xcc;
const OPT_PRIORITY: u32 = 0xcd;
const OPT_ADDRESS_MASK: u32 = 0xe1;
const OPT_SNPA_MASK: u32 = 0xe2;
// Record of route's "last hop" values that mean nothing is recorded.
const ROUTE_NOT_BEGUN: u32 = 0x03;
const ROUTE_FULL: u32 = 0xff;

/**
 * The option part: `length` bytes (an 8-bit count that wraps as Wireshark's
 * does) of parameters at p, in a PDU starting at `pdu`.  Returns false when a
 * read went past the packet (the packet is marked).  The source routing and
 * record of route options read at offsets Wireshark takes from the PDU's
 * start rather than the option's; their reads are kept as they are.
 */
export function walkOsiOptions(length: u32, pdu: u32, p: u32, end: u32): bool {
  let left = length & 0xff;
  while (left > 0) {
    if (lacks(p, end, 1) || lacks(p + 1, end, 1)) return false;
    const type = <u32>load<u8>(p);
    const size = <u32>load<u8>(p + 1);
    const value = p + 2;
    switch (type) {
      case OPT_QOS_MAINTENANCE: case OPT_SECURITY: case OPT_PRIORITY:
        if (lacks(value, end, 1)) return false;
        break;
      case OPT_ES_CONFIG_TIMER:
        if (lacks(value, end, 2)) return false;
        break;
      case OPT_ADDRESS_MASK: case OPT_SNPA_MASK: case OPT_PADDING:
        if (lacks(value, end, size)) return false;
        break;
      case OPT_SOURCE_ROUTING: {
        if (lacks(value + 1, end, 1)) return false;
        const nextHop = <u32>load<u8>(value + 1);
        if (lacks(pdu + nextHop + 2, end, 1) || lacks(value, end, 1)) return false;
        break;
      }
      case OPT_RECORD_OF_ROUTE:
        if (!walkRecordedRoute(size, pdu, value, end)) return false;
        break;
      case OPT_REASON_FOR_DISCARD:
        if (lacks(value, end, 1) || lacks(value + 1, end, 1)) return false;
        break;
    }
    left = (left - size - 2) & 0xff;
    p = value + size;
  }
  return true;
}

function walkRecordedRoute(size: u32, pdu: u32, value: u32, end: u32): bool {
  if (lacks(value, end, 1) || lacks(value + 1, end, 1)) return false;
  const lastHop = <u32>load<u8>(value + 1);
  const offset = <i32>(value - pdu);
  // Wireshark's hop offset is 16 bits wide.
  let hop: u32 = lastHop == ROUTE_NOT_BEGUN || lastHop == ROUTE_FULL ? size + 1 : <u32>(offset + 2) & 0xffff;
  while (<i32>hop < offset + <i32>lastHop - 2) {
    if (lacks(pdu + hop, end, 1)) return false;
    const netLength = <u32>load<u8>(pdu + hop);
    if (lacks(pdu + hop + 1, end, netLength)) return false;
    hop = (hop + 1 + netLength) & 0xffff;
  }
  return true;
}

/** ISO 8473's Fletcher checksum over bytes that include their check octets: valid when both sums are zero. */
export function fletcherValid(p: u32, n: u32): bool {
  let c0: u32 = 0;
  let c1: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    c0 = (c0 + <u32>load<u8>(p + i)) % 255;
    c1 = (c1 + c0) % 255;
  }
  return c0 == 0 && c1 == 0;
}
