// RPL control messages (RFC 6550): the DIS, DIO, DAO and DAO-ACK bases and
// their options' framing.  Of the options only padding and the target
// prefix are decoded; the secured forms are left out.
import { uint, flag, ipv6, Base } from '../fields';
import { addNum, addBytes, markTruncated } from '../packet';
import { u8at, u16at, has } from '../cursor';
import { scratchBegin, scratchEnd } from '../columns';
import { putc } from '../text';
import { F_ICMPV6_RESERVED, F_ICMPV6_DATA, F_ICMPV6_OPT, F_ICMPV6_UNKNOWN_DATA } from './icmpv6-nd';

const F_DIS_FLAGS = uint('icmpv6.rpl.dis.flags', 'Flags', 8);
const F_DIO_INSTANCE = uint('icmpv6.rpl.dio.instance', 'RPLInstanceID', 8);
const F_DIO_VERSION = uint('icmpv6.rpl.dio.version', 'Version', 8);
const F_DIO_RANK = uint('icmpv6.rpl.dio.rank', 'Rank', 16);
const F_DIO_FLAG = uint('icmpv6.rpl.dio.flag', 'Flag', 8, Base.HEX);
const F_DIO_FLAG_G = flag('icmpv6.rpl.dio.flag.g', 'Grounded (G)');
const F_DIO_FLAG_0 = flag('icmpv6.rpl.dio.flag.0', 'Zero');
const F_DIO_FLAG_MOP = uint('icmpv6.rpl.dio.flag.mop', 'Mode of Operation (MOP)', 8, Base.HEX);
const F_DIO_FLAG_PREFERENCE = uint('icmpv6.rpl.dio.flag.preference', 'DODAG Preference', 8);
const F_DIO_DTSN = uint('icmpv6.rpl.dio.dtsn', 'Destination Advertisement Trigger Sequence Number (DTSN)', 8);
const F_DIO_DAGID = ipv6('icmpv6.rpl.dio.dagid', 'DODAGID');
const F_DAO_INSTANCE = uint('icmpv6.rpl.dao.instance', 'RPLInstanceID', 8);
const F_DAO_FLAG = uint('icmpv6.rpl.dao.flag', 'Flag', 8, Base.HEX);
const F_DAO_FLAG_K = flag('icmpv6.rpl.dao.flag.k', 'DAO-ACK Request (K)');
const F_DAO_FLAG_D = flag('icmpv6.rpl.dao.flag.d', 'DODAGID Present (D)');
const F_DAO_FLAG_RSV = uint('icmpv6.rpl.dao.flag.rsv', 'Reserved', 8);
const F_DAO_SEQUENCE = uint('icmpv6.rpl.dao.sequence', 'DAO Sequence', 8);
const F_DAO_DODAGID = ipv6('icmpv6.rpl.dao.dodagid', 'DODAGID');
const F_DAOACK_INSTANCE = uint('icmpv6.rpl.daoack.instance', 'RPLInstanceID', 8);
const F_DAOACK_FLAG = uint('icmpv6.rpl.daoack.flag', 'Flag', 8, Base.HEX);
const F_DAOACK_FLAG_D = flag('icmpv6.rpl.daoack.flag.d', 'DODAGID Present (D)');
const F_DAOACK_FLAG_RSV = uint('icmpv6.rpl.daoack.flag.rsv', 'Reserved', 8);
const F_DAOACK_SEQUENCE = uint('icmpv6.rpl.daoack.sequence', 'DAO-ACK Sequence', 8);
const F_DAOACK_STATUS = uint('icmpv6.rpl.daoack.status', 'Status', 8);
const F_DAOACK_DODAGID = ipv6('icmpv6.rpl.daoack.dodagid', 'DODAGID');
const F_OPT_TYPE = uint('icmpv6.rpl.opt.type', 'Type', 8);
const F_OPT_LENGTH = uint('icmpv6.rpl.opt.length', 'Length', 8);
const F_OPT_PADN = flag('icmpv6.rpl.opt.padn', 'Paddn');
const F_OPT_TARGET_FLAG = flag('icmpv6.rpl.opt.target.flag', 'Reserved');
const F_OPT_TARGET_PREFIX_LENGTH = uint('icmpv6.rpl.opt.target.prefix_length', 'Target Length', 8);
const F_OPT_TARGET_PREFIX = ipv6('icmpv6.rpl.opt.target.prefix', 'Target');

const DIS: u32 = 0, DIO: u32 = 1, DAO: u32 = 2, DAO_ACK: u32 = 3;
const OPT_PAD1: u32 = 0, OPT_PADN: u32 = 1, OPT_TARGET: u32 = 5;

function need(p: u32, n: u32, end: u32): bool {
  if (has(p, end, n)) return true;
  markTruncated();
  return false;
}

/** The body after the ICMPv6 checksum. */
export function dissectRplControl(p: u32, end: u32, code: u32): void {
  let o = p;
  if (code == DIS) {
    if (!need(o, 2, end)) return;
    addNum(F_DIS_FLAGS, u8at(o, end));
    addBytes(F_ICMPV6_RESERVED, o + 1, 1);
    o += 2;
  } else if (code == DIO) {
    if (!need(o, 24, end)) return;
    addNum(F_DIO_INSTANCE, u8at(o, end));
    addNum(F_DIO_VERSION, u8at(o + 1, end));
    addNum(F_DIO_RANK, u16at(o + 2, end));
    const flags = u8at(o + 4, end);
    addNum(F_DIO_FLAG, flags);
    addNum(F_DIO_FLAG_G, flags >> 7);
    addNum(F_DIO_FLAG_0, (flags >> 6) & 1);
    addNum(F_DIO_FLAG_MOP, (flags >> 3) & 7);
    addNum(F_DIO_FLAG_PREFERENCE, flags & 7);
    addNum(F_DIO_DTSN, u8at(o + 5, end));
    // The second flags byte reuses the first's field, as in Wireshark.
    addNum(F_DIO_FLAG, u8at(o + 6, end));
    addBytes(F_ICMPV6_RESERVED, o + 7, 1);
    addBytes(F_DIO_DAGID, o + 8, 16);
    o += 24;
  } else if (code == DAO) {
    if (!need(o, 4, end)) return;
    addNum(F_DAO_INSTANCE, u8at(o, end));
    const flags = u8at(o + 1, end);
    addNum(F_DAO_FLAG, flags);
    addNum(F_DAO_FLAG_K, flags >> 7);
    addNum(F_DAO_FLAG_D, (flags >> 6) & 1);
    addNum(F_DAO_FLAG_RSV, flags & 0x3f);
    addBytes(F_ICMPV6_RESERVED, o + 2, 1);
    addNum(F_DAO_SEQUENCE, u8at(o + 3, end));
    o += 4;
    if (flags & 0x40) {
      if (!need(o, 16, end)) return;
      addBytes(F_DAO_DODAGID, o, 16);
      o += 16;
    }
  } else if (code == DAO_ACK) {
    if (!need(o, 4, end)) return;
    addNum(F_DAOACK_INSTANCE, u8at(o, end));
    const flags = u8at(o + 1, end);
    addNum(F_DAOACK_FLAG, flags);
    addNum(F_DAOACK_FLAG_D, flags >> 7);
    addNum(F_DAOACK_FLAG_RSV, flags & 0x7f);
    addNum(F_DAOACK_SEQUENCE, u8at(o + 2, end));
    addNum(F_DAOACK_STATUS, u8at(o + 3, end));
    o += 4;
    if (flags & 0x80) {
      if (!need(o, 16, end)) return;
      addBytes(F_DAOACK_DODAGID, o, 16);
      o += 16;
    }
  } else return;
  dissectRplOptions(o, end);
}

function dissectRplOptions(p: u32, end: u32): void {
  while (p < end) {
    addNum(F_ICMPV6_OPT, 1);
    const type = u8at(p, end);
    addNum(F_OPT_TYPE, type);
    if (type == OPT_PAD1) { p += 1; continue; }
    if (!need(p, 2, end)) return;
    const len = u8at(p + 1, end);
    addNum(F_OPT_LENGTH, len);
    const d = p + 2;
    let parsedTo = d;
    if (type == OPT_PADN) {
      if (!need(d, len, end)) return;
      addNum(F_OPT_PADN, 1);
      parsedTo = d + len;
    } else if (type == OPT_TARGET) {
      if (!need(d, 2, end)) return;
      addNum(F_OPT_TARGET_FLAG, 1);
      const bits = u8at(d + 1, end);
      addNum(F_OPT_TARGET_PREFIX_LENGTH, bits);
      const bytes = (bits + 7) / 8;
      parsedTo = d + 2;
      // The prefix is decoded only when the option is exactly as long as it needs.
      if (len == 2 + bytes && bytes <= 16) {
        if (!need(d + 2, bytes, end)) return;
        const a = scratchBegin();
        for (let i: u32 = 0; i < 16; i++) putc(i < bytes ? <u32>load<u8>(d + 2 + i) : 0);
        scratchEnd(a);
        addBytes(F_OPT_TARGET_PREFIX, a, 16);
        parsedTo += bytes;
      }
    } else {
      if (!need(d, len, end)) return;
      addBytes(F_ICMPV6_DATA, d, len);
      parsedTo = d + len;
    }
    if (parsedTo < d + len) {
      if (!need(parsedTo, d + len - parsedTo, end)) return;
      addBytes(F_ICMPV6_UNKNOWN_DATA, parsedTo, d + len - parsedTo);
    }
    p = d + len;
  }
}
