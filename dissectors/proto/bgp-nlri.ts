// BGP's NLRI: prefixes, with tshark's guess at RFC 7911 path identifiers,
// and the prefixes of the address families MP_REACH_NLRI and
// MP_UNREACH_NLRI carry (labeled, VPN, route target constraint, MCAST-VPN).
import { Read, reads, readStatus } from './bgp-read';
import { uint, bytes } from '../fields';
import { addNum, addBytes, wanted } from '../packet';
import { scratchBegin, scratchEnd } from '../columns';
import { putRaw, putc } from '../text';
import { be16, be32 } from '../cursor';

const F_ORIGINATING_AS = uint('bgp.originating_as', 'Originating AS', 32);
const AFI_IPV4: u32 = 1;
const AFI_IPV6: u32 = 2;
const SAFI_UNICAST: u32 = 1;
const SAFI_UNICAST_MULTICAST: u32 = 3;
const SAFI_LABELED: u32 = 4;
const SAFI_MCAST_VPN: u32 = 5;
const SAFI_VPN_UNICAST: u32 = 128;
const SAFI_VPN_MULTICAST: u32 = 129;
const SAFI_ROUTE_TARGET: u32 = 132;
const ROUTE_DISTINGUISHER: u32 = 8;

// tshark's guess at path identifiers: none, present, or a read failed while guessing.
const PLAIN: u32 = 0;
export const ADD_PATH: u32 = 1;
export const GUESS_FAILED: u32 = 2;

/**
 * The NLRI of an MP attribute, [p, to): prefixes of the address families
 * walked here until one tshark finds invalid; other families are not read.
 */
export function readMpNlri(afi: u32, safi: u32, p: u32, to: u32, ipv4Field: u32, ipv6Field: u32): bool {
  if (afi != AFI_IPV4 && afi != AFI_IPV6) return true;
  const maxBits: u32 = afi == AFI_IPV4 ? 32 : 128;
  const field = afi == AFI_IPV4 ? ipv4Field : ipv6Field;
  const plain = safi >= SAFI_UNICAST && safi <= SAFI_UNICAST_MULTICAST;
  while (p < to) {
    // Unlike the UPDATE's own prefixes, each of these gets tshark's add-path guess over the rest of the NLRI.
    if (plain) {
      const addPath = looksAddPath(p, to, maxBits);
      p = addPath == GUESS_FAILED ? 0 : readPrefix(p, maxBits, addPath == ADD_PATH, field);
    } else if (safi == SAFI_LABELED) {
      // The guess here takes any length as valid.
      const addPath = looksAddPath(p, to, 255);
      p = addPath == GUESS_FAILED ? 0 : readLabeledPrefix(p + (addPath == ADD_PATH ? 4 : 0), maxBits, 0, field);
    }
    else if (safi == SAFI_VPN_UNICAST || safi == SAFI_VPN_MULTICAST) p = readLabeledPrefix(p, maxBits, ROUTE_DISTINGUISHER, field);
    else if (safi == SAFI_ROUTE_TARGET && afi == AFI_IPV4) p = readRouteTargetPrefix(p);
    // RFC 6514 routes: type and length; what tshark reads inside them is not modelled.
    else if (safi == SAFI_MCAST_VPN) p = reads(p + 2) ? p + 2 + <u32>load<u8>(p + 1) : 0;
    else return true;
    if (p == 0) return readStatus() == Read.OK;
  }
  return true;
}

/**
 * tshark's guess that prefixes [p, to) carry RFC 7911 path identifiers: they
 * read well with a 4-byte identifier before each, and not without (a zero
 * length in a run of more than one byte counts as not).  The guess reads
 * only as far as it needs, and those reads can fail.
 */
export function looksAddPath(p: u32, to: u32, maxBits: u32): u32 {
  for (let q = p + 4; q < to; q += 4) {
    if (!reads(q + 1)) return GUESS_FAILED;
    const bits = <u32>load<u8>(q);
    if (bits > maxBits) return PLAIN;
    q += 1 + (bits + 7) / 8;
    if (q > to) return PLAIN;
    const past = bitsPastPrefix(q, bits);
    if (past != PLAIN) return past == ADD_PATH ? PLAIN : GUESS_FAILED;
  }
  for (let q = p; q < to;) {
    if (!reads(q + 1)) return GUESS_FAILED;
    const bits = <u32>load<u8>(q);
    if ((bits == 0 && to - p > 1) || bits > maxBits) return ADD_PATH;
    q += 1 + (bits + 7) / 8;
    if (q > to) return ADD_PATH;
    const past = bitsPastPrefix(q, bits);
    if (past != PLAIN) return past;
  }
  return PLAIN;
}

/** ADD_PATH when the last byte before prefixEnd has bits set past a `bits`-long prefix, PLAIN when not, GUESS_FAILED when it cannot be read. */
function bitsPastPrefix(prefixEnd: u32, bits: u32): u32 {
  if (bits % 8 == 0) return PLAIN;
  if (!reads(prefixEnd)) return GUESS_FAILED;
  return (<u32>load<u8>(prefixEnd - 1) & (0xff >> (bits % 8))) != 0 ? ADD_PATH : PLAIN;
}

/** Prefixes from p on while p < to: where the walk ended (past `to` when the last one ran over it), or 0 when tshark stopped (a failed read leaves `status` set). */
export function readPrefixes(p: u32, to: u32, maxBits: u32, addPath: bool, field: u32): u32 {
  while (p < to && p != 0) p = readPrefix(p, maxBits, addPath, field);
  return p;
}

/** One prefix at p, behind a path identifier when addPath: where it ends, or 0 when tshark stops. */
function readPrefix(p: u32, maxBits: u32, addPath: bool, field: u32): u32 {
  if (addPath) p += 4;
  if (!reads(p + 1)) return 0;
  const bits = <u32>load<u8>(p);
  if (bits > maxBits) return 0;
  const length = (bits + 7) / 8;
  if (!reads(p + 1 + length)) return 0;
  addPrefix(field, p + 1, bits, maxBits / 8);
  return p + 1 + length;
}

/**
 * A labeled prefix (RFC 8277), with a route distinguisher between label and
 * address when rdLength is 8 (RFC 4364): labels up to the one with the bottom
 * bit, or a single one when the first is 0 or 0x800000 (withdrawn).
 */
function readLabeledPrefix(p: u32, maxBits: u32, rdLength: u32, field: u32): u32 {
  if (!reads(p + 1)) return 0;
  let bits = <u32>load<u8>(p);
  let q = p + 1;
  let label: u32 = 0;
  do {
    if (!reads(q + 3)) return 0;
    label = be16(q) << 8 | <u32>load<u8>(q + 2);
    q += 3;
  } while ((label & 1) == 0 && !(q == p + 4 && (label == 0 || label == 0x800000)));
  const labelBits = (q - p - 1) * 8;
  if (bits <= labelBits || bits - labelBits < rdLength * 8) return 0;
  bits -= labelBits + rdLength * 8;
  if (bits > maxBits) return 0;
  const address = q + rdLength;
  if (!reads(address + (bits + 7) / 8)) return 0;
  addPrefix(field, address, bits, maxBits / 8);
  return address + (bits + 7) / 8;
}

/**
 * A route target constraint (RFC 4684): a length of 0, or of 32 to 96 bits
 * over an origin AS and a route target.  tshark reads the route target's
 * 2-byte type whatever the length, and the whole 8-byte route target when the
 * type is one of the three route targets.
 */
function readRouteTargetPrefix(p: u32): u32 {
  if (!reads(p + 1)) return 0;
  const bits = <u32>load<u8>(p);
  if (bits == 0) return p + 1;
  if (bits < 32 || bits > 96) return 0;
  if (!reads(p + 7)) return 0;
  const type = be16(p + 5);
  if ((type == 0x0002 || type == 0x0102 || type == 0x0202) && !reads(p + 13)) return 0;
  addNum(F_ORIGINATING_AS, be32(p + 1));
  return p + 1 + (bits + 7) / 8;
}

/** An address field holding the first `bits` of the prefix at p, zero-filled to `size` bytes as tshark masks it. */
function addPrefix(field: u32, p: u32, bits: u32, size: u32): void {
  if (!unchecked(wanted[field])) return;
  const length = (bits + 7) / 8;
  const s = scratchBegin();
  putRaw(p, length);
  for (let i = length; i < size; i++) putc(0);
  scratchEnd(s);
  if (bits % 8 != 0) store<u8>(s + length - 1, <u32>load<u8>(s + length - 1) & (0xff << (8 - bits % 8)));
  addBytes(field, s, size);
}
