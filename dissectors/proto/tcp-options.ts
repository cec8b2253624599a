// TCP options (RFC 9293 3.2 and the registry's later kinds), read as tshark
// reads them: each option's bytes under the name of its dissector, the info
// column's notes in packet order, and what later segments need from them
// (the window scale announced, the bytes SACK blocks cover, an AccECN option
// seen), left in the exported results for the TCP dissector to keep.
import { uint, bytes, fieldsBelongTo } from '../fields';
import { PROTO_TCP } from './tcp-proto';
import { addCalledItem, addNum, addBytes, setProtocolColumn, markMalformed } from '../packet';
import { u8at, u16at, u32at } from '../cursor';
import { infoAppend, infoDone } from '../columns';
import { puts, putDec, putHexUpper } from '../text';
import { PSEUDO_MPTCP } from '../pseudo-layers';
import { table } from '../tables';

fieldsBelongTo(PROTO_TCP);
const F_OPT_KIND = uint('tcp.option_kind', 'Kind', 8);
const F_OPT_LEN = uint('tcp.option_len', 'Length', 8);
const F_OPTIONS = bytes('tcp.options', 'Options');
const F_MSS = uint('tcp.options.mss_val', 'MSS Value', 16);
const F_WSCALE = uint('tcp.options.wscale.shift', 'Shift count', 8);
const F_WSCALE_MULTIPLIER = uint('tcp.options.wscale.multiplier', 'Multiplier', 16);
const F_SACK_LE = uint('tcp.options.sack_le', 'left edge');
const F_SACK_RE = uint('tcp.options.sack_re', 'right edge');
const F_SACK_COUNT = uint('tcp.options.sack.count', 'TCP SACK Count', 8);
const F_TSVAL = uint('tcp.options.timestamp.tsval', 'Timestamp value');
const F_TSECR = uint('tcp.options.timestamp.tsecr', 'Timestamp echo reply');

// Each option kind's bytes under the name Wireshark gives its option dissector.
const optionField = table<u16>(256);
const F_OPTION_UNKNOWN = bytes('tcp.options.unknown', 'Unknown');
for (let k = 0; k < 256; k++) optionField[k] = <u16>F_OPTION_UNKNOWN;
optionField[0] = <u16>bytes('tcp.options.eol', 'TCP Option - End of Option List (EOL)');
optionField[1] = <u16>bytes('tcp.options.nop', 'TCP Option - No-Operation (NOP)');
optionField[2] = <u16>bytes('tcp.options.mss', 'TCP Option - Maximum segment size');
optionField[3] = <u16>bytes('tcp.options.wscale', 'TCP Option - Window scale');
optionField[4] = <u16>bytes('tcp.options.sack_perm', 'TCP Option - SACK permitted');
optionField[5] = <u16>bytes('tcp.options.sack', 'TCP Option - SACK');
optionField[6] = <u16>bytes('tcp.options.echo', 'TCP Option - Echo');
optionField[7] = <u16>bytes('tcp.options.echoreply', 'TCP Option - Echo reply');
optionField[8] = <u16>bytes('tcp.options.timestamp', 'TCP Option - Timestamps');
optionField[11] = <u16>bytes('tcp.options.cc', 'TCP Option - CC');
optionField[12] = <u16>bytes('tcp.options.ccnew', 'TCP Option - CC.NEW');
optionField[13] = <u16>bytes('tcp.options.ccecho', 'TCP Option - CC.ECHO');
optionField[19] = <u16>bytes('tcp.options.md5', 'TCP Option - TCP MD5 signature');
optionField[20] = <u16>bytes('tcp.options.scps', 'TCP Option - SCPS capabilities');
optionField[21] = <u16>bytes('tcp.options.snack', 'TCP Option - Selective Negative Acknowledgment');
optionField[22] = <u16>bytes('tcp.options.scpsrec', 'TCP Option - SCPS record boundary');
optionField[23] = <u16>bytes('tcp.options.scpscor', 'TCP Option - SCPS corruption experienced');
optionField[27] = <u16>bytes('tcp.options.qs', 'TCP Option - Quick-Start');
optionField[28] = <u16>bytes('tcp.options.user_to', 'TCP Option - User Timeout');
optionField[29] = <u16>bytes('tcp.options.ao', 'TCP Option - TCP AO');
optionField[34] = <u16>bytes('tcp.options.tfo', 'TCP Option - TCP Fast Open');
optionField[76] = <u16>bytes('tcp.options.rvbd.probe', 'TCP Option - Riverbed Probe');
optionField[78] = <u16>bytes('tcp.options.rvbd.trpy', 'TCP Option - Riverbed Transparency');
optionField[0xac] = optionField[0xae] = <u16>bytes('tcp.options.acc_ecn', 'TCP Option - AccECN');
optionField[0xfd] = optionField[0xfe] = <u16>bytes('tcp.options.experimental', 'TCP Option - Experimental');

/** The options in [p, end), of which the capture holds those before `captured`; the walk stops where the capture does. */
export function dissectOptions(p: u32, end: u32, captured: u32, sackBase: u32): void {
  announcedShift = -1;
  sackedBytes = 0;
  sawAccEcnOption = false;
  if (p < end) addBytes(F_OPTIONS, p, min(end, captured) - p);
  let listEnded = false;
  while (p < end) {
    if (p >= captured) return;
    const kind = <u32>load<u8>(p);
    // tshark reads the padding after an end-of-list option as more of them, up to a byte that is not zero.
    if (listEnded && kind != 0) return;
    if (kind <= 1) addBytes(unchecked(optionField[kind]), p, 1);
    addNum(F_OPT_KIND, kind);
    if (kind <= 1) { listEnded = kind == 0; p++; continue; }
    if (end - p < 2) { markMalformed(); return; }
    if (p + 1 >= captured) return;
    const len = <u32>load<u8>(p + 1);
    addNum(F_OPT_LEN, len);
    if (len < 2 || len > end - p) { markMalformed(); return; }
    if (kind == MPTCP) addCalledItem(PSEUDO_MPTCP);
    // tshark names TCP-AO (without a space before it) before reading its value, so even a cut one shows.
    if (kind == TCP_AO) { infoAppend(); puts('TCP AO'); infoDone(); }
    if (p + len > captured) return;
    addBytes(unchecked(optionField[kind]), p, len);
    // The info column notes these options in packet order, as tshark does.
    if (kind == 2 && len == 4) {
      const mss = u16at(p + 2, end);
      addNum(F_MSS, mss);
      infoAppend(); puts(' MSS='); putDec(mss); infoDone();
    } else if (kind == 3 && len == 3) {
      const shift = u8at(p + 2, end);
      addNum(F_WSCALE, shift);
      addNum(F_WSCALE_MULTIPLIER, <u64>1 << <u64>(shift < 14 ? shift : 14));
      announcedShift = <i32>shift;
      infoAppend(); puts(' WS='); putDec(<u64>1 << <u64>(shift < 14 ? shift : 14)); infoDone();
    } else if (kind == 4 && len == 2) {
      infoAppend(); puts(' SACK_PERM'); infoDone();
    } else if (kind == 5) {
      // Edges in pairs; a pair cut short ends the list.
      let blocks: u32 = 0;
      for (let q = p + 2; q + 8 <= p + len; q += 8) {
        const le = u32at(q, end) - sackBase, re = u32at(q + 4, end) - sackBase;
        addNum(F_SACK_LE, le);
        addNum(F_SACK_RE, re);
        sackedBytes += re - le;
        infoAppend(); puts(' SLE='); putDec(le); puts(' SRE='); putDec(re); infoDone();
        blocks++;
      }
      addNum(F_SACK_COUNT, blocks);
    } else if (kind == 19) {
      infoAppend(); puts(' MD5'); infoDone();
    } else if (kind == TFO) {
      infoAppend(); puts(len > 2 ? ' TFO=C' : ' TFO=R'); infoDone();
    } else if (kind == ACCECN_ORDER_0 || kind == ACCECN_ORDER_1) {
      if (len == 2 || len == 5 || len == 8 || len == 11) accEcnOption(p + 2, len - 2, kind == ACCECN_ORDER_0, end);
    } else if ((kind == EXPERIMENT_1 || kind == EXPERIMENT_2) && len >= 4) {
      experimentalOption(p, len, end);
    } else if (kind == MPTCP) {
      // Multipath TCP: tshark names the protocol after the option (its subtypes are not decoded here).
      setProtocolColumn('MPTCP');
    } else if (kind == 8 && len == 10) {
      const tsval = u32at(p + 2, end);
      const tsecr = u32at(p + 6, end);
      addNum(F_TSVAL, tsval);
      addNum(F_TSECR, tsecr);
      infoAppend(); puts(' TSval='); putDec(tsval); puts(' TSecr='); putDec(tsecr); infoDone();
    }
    p += len;
  }
}

const TFO: u32 = 34;
const MPTCP: u32 = 30;
const TCP_AO: u32 = 29;
const ACCECN_ORDER_0: u32 = 0xac, ACCECN_ORDER_1: u32 = 0xae;
const EXPERIMENT_1: u32 = 0xfd, EXPERIMENT_2: u32 = 0xfe;
const EXID_FAST_OPEN: u32 = 0xf989, EXID_ACCECN_0: u32 = 0xacc0, EXID_ACCECN_1: u32 = 0xacc1, EXID_TARR: u32 = 0x00ac;

/** An RFC 6994 experimental option: Fast Open, AccECN and ACK Rate Request by their ExID, other ExIDs named in hex. */
function experimentalOption(p: u32, len: u32, end: u32): void {
  const exid = u16at(p + 2, end);
  if (exid == EXID_FAST_OPEN) {
    infoAppend(); puts(len - 2 > 2 ? ' TFO=C' : ' TFO=R'); infoDone();
  } else if (exid == EXID_ACCECN_0 || exid == EXID_ACCECN_1) {
    if (len == 4 || len == 7 || len == 10 || len == 13) accEcnOption(p + 4, len - 4, exid == EXID_ACCECN_0, end);
  } else if (exid == EXID_TARR) {
    // ACK Rate Request: its rate in the 7 high bits of one optional byte.
    if (len == 4) { infoAppend(); puts(' TARR'); infoDone(); }
    else if (len == 5) { infoAppend(); puts(' TARR='); putDec(u8at(p + 4, end) >> 1); infoDone(); }
  } else {
    infoAppend(); puts(' ExID='); putHexUpper(exid, exid < 0x10 ? 1 : exid < 0x100 ? 2 : exid < 0x1000 ? 3 : 4); infoDone();
  }
}

/** AccECN's byte counters, in the option's order (EE0B first for order 0); the segment shows AccECN in use. */
function accEcnOption(p: u32, n: u32, order0: bool, end: u32): void {
  infoAppend();
  if (n == 0) puts(' AccECN');
  for (let i: u32 = 0; i + 3 <= n; i += 3) {
    const name = i == 3 ? ' ECEB=' : (i == 0) == order0 ? ' EE0B=' : ' EE1B=';
    puts(name); putDec((<u32>u8at(p + i, end) << 16) | <u32>u16at(p + i + 1, end));
  }
  infoDone();
  sawAccEcnOption = true;
}

/** The options block of a header longer than its segment, as far as the capture holds it (tshark goes no further). */
export function addOptionsBlock(p: u32, len: u32): void { addBytes(F_OPTIONS, p, len); }

// What the last dissectOptions() found.
/** The window scale shift a WS option announced; -1 when there was none. */
export let announcedShift: i32 = -1;
/** The bytes the SACK blocks cover. */
export let sackedBytes: u32 = 0;
/** An AccECN option (or its RFC 6994 experiment) was seen. */
export let sawAccEcnOption = false;
