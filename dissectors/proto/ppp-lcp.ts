// PPP Link Control Protocol (RFC 1661, 1570): the code, identifier and
// length every packet has, configuration options by type and length (the
// MRU, async map and magic number decoded), and what echo, discard,
// identification, time-remaining and reject packets carry.  The packet a
// Protocol-Reject quotes is not dissected further.
import { protocol, uint, bytes, str, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts, tableName } from '../text';

const PROTO_LCP = protocol('lcp', 'PPP Link Control Protocol');
const F_CODE = uint('ppp.code', 'Code', 8);
const F_IDENTIFIER = uint('ppp.identifier', 'Identifier', 8);
const F_LENGTH = uint('ppp.length', 'Length', 16);
const F_PPP_MAGIC = uint('ppp.magic_number', 'Magic Number', 32, Base.HEX);
const F_PPP_OUI = uint('ppp.oui', 'OUI', 24);
const F_PPP_KIND = uint('ppp.kind', 'Kind', 8);
const F_PPP_DATA = bytes('ppp.data', 'Data');
const F_MAGIC = uint('lcp.magic_number', 'Magic Number', 32, Base.HEX);
const F_DATA = bytes('lcp.data', 'Data');
const F_MESSAGE = str('lcp.message', 'Message');
const F_SECS_REMAINING = uint('lcp.secs_remaining', 'Seconds Remaining');
const F_REJ_PROTO = uint('lcp.rej_proto', 'Rejected Protocol', 16, Base.HEX);
const F_OPT_TYPE = uint('lcp.opt.type', 'Type', 8);
const F_OPT_LENGTH = uint('lcp.opt.length', 'Length', 8);
const F_OPT_MRU = uint('lcp.opt.mru', 'Maximum Receive Unit', 16);
const F_OPT_ASYNCMAP = uint('lcp.opt.asyncmap', 'Async Control Character Map', 32, Base.HEX);
const F_OPT_MAGIC = uint('lcp.opt.magic_number', 'Magic Number', 32, Base.HEX);

const VENDOR: u32 = 0, CONF_REQ: u32 = 1, CONF_REJ: u32 = 4, TERM_REQ: u32 = 5, TERM_ACK: u32 = 6, CODE_REJ: u32 = 7,
  PROT_REJ: u32 = 8, ECHO_REQ: u32 = 9, DISC_REQ: u32 = 11, IDENT: u32 = 12, TIME_REMAINING: u32 = 13;

const CODE_NAMES: StaticArray<string> = [
  'Vendor Specific', 'Configuration Request', 'Configuration Ack', 'Configuration Nak', 'Configuration Reject',
  'Termination Request', 'Termination Ack', 'Code Reject', 'Protocol Reject', 'Echo Request', 'Echo Reply',
  'Discard Request', 'Identification', 'Time Remaining',
];

export function dissectLcp(start: u32, end: u32): void {
  setProtocolColumn('PPP LCP');
  if (!has(start, end, 1)) { markTruncated(); return; }
  const code = u8at(start, end);
  infoSet(); puts(tableName(CODE_NAMES, code, 'Unknown')); infoDone();
  beginLayer(PROTO_LCP);
  addNum(F_CODE, code);
  if (!has(start, end, 4)) { if (has(start, end, 2)) addNum(F_IDENTIFIER, u8at(start + 1, end)); markTruncated(); return; }
  addNum(F_IDENTIFIER, u8at(start + 1, end));
  const length = u16at(start + 2, end);
  addNum(F_LENGTH, length);
  if (length < 4) return;
  // The length bounds the packet; bytes it says are there but the frame lacks are an overrun.
  const stop = start + length;
  const p = start + 4;
  if (code == VENDOR) {
    if (!need(p, stop, end, 8)) return;
    addNum(F_PPP_MAGIC, u32at(p, end));
    addNum(F_PPP_OUI, u32at(p + 3, end) & 0xffffff);
    addNum(F_PPP_KIND, u8at(p + 7, end));
    data(F_PPP_DATA, p + 8, stop, end);
  } else if (code >= CONF_REQ && code <= CONF_REJ) {
    dissectOptions(p, stop, end);
  } else if (code == TERM_REQ || code == TERM_ACK || code == CODE_REJ) {
    data(F_PPP_DATA, p, stop, end);
  } else if (code == PROT_REJ) {
    if (!need(p, stop, end, 2)) return;
    addNum(F_REJ_PROTO, u16at(p, end));
  } else if (code >= ECHO_REQ && code <= DISC_REQ) {
    if (!need(p, stop, end, 4)) return;
    addNum(F_MAGIC, u32at(p, end));
    data(F_DATA, p + 4, stop, end);
  } else if (code == IDENT) {
    if (!need(p, stop, end, 4)) return;
    addNum(F_MAGIC, u32at(p, end));
    if (stop > p + 4 && need(p + 4, stop, end, stop - p - 4)) addBytes(F_MESSAGE, p + 4, stop - p - 4);
  } else if (code == TIME_REMAINING) {
    if (!need(p, stop, end, 8)) return;
    addNum(F_MAGIC, u32at(p, end));
    addNum(F_SECS_REMAINING, u32at(p + 4, end));
  }
}

/** n bytes at p, inside the packet's length and the frame; marks the overrun when not. */
function need(p: u32, stop: u32, end: u32, n: u32): bool {
  if (p > stop || stop - p < n || !has(p, end, n)) { markTruncated(); return false; }
  return true;
}

function data(f: u32, p: u32, stop: u32, end: u32): void {
  if (stop <= p) return;
  if (need(p, stop, end, stop - p)) addBytes(f, p, stop - p);
}

function dissectOptions(p: u32, stop: u32, end: u32): void {
  while (p < stop) {
    if (!need(p, stop, end, 2)) return;
    const type = u8at(p, end);
    const len = u8at(p + 1, end);
    addNum(F_OPT_TYPE, type);
    addNum(F_OPT_LENGTH, len);
    if (len < 2) { markTruncated(); return; }
    if (!need(p, stop, end, len)) return;
    if (type == 1 && len == 4) addNum(F_OPT_MRU, u16at(p + 2, end));
    else if (type == 2 && len == 6) addNum(F_OPT_ASYNCMAP, u32at(p + 2, end));
    else if (type == 5 && len == 6) addNum(F_OPT_MAGIC, u32at(p + 2, end));
    p += len;
  }
}
