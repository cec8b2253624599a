// PPP's control protocols as Wireshark's dissect_cp() reads them all: the
// Link Control Protocol (RFC 1661, 1570), IPCP (RFC 1332, 1877), IPV6CP
// (RFC 5072) and CCP (RFC 1962).  The code, identifier and length every
// packet has, configuration options by type and length (LCP's MRU, async
// map and magic number, IPCP's addresses, IPV6CP's interface identifier
// decoded), and what echo, discard, identification, time-remaining and
// reject packets carry, whichever protocol they come in, as tshark reads
// them.  The packet a Protocol-Reject quotes is not dissected further.
import { protocol, uint, bytes, str, ipv4, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, markTruncated } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { infoSet, infoDone } from '../columns';
import { puts, tableName } from '../text';

const PROTO_LCP = protocol('lcp', 'PPP Link Control Protocol');
const PROTO_IPCP = protocol('ipcp', 'PPP IP Control Protocol');
const PROTO_IPV6CP = protocol('ipv6cp', 'PPP IPv6 Control Protocol');
const PROTO_CCP = protocol('ccp', 'PPP Compression Control Protocol');
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
const F_IPCP_OPT_TYPE = uint('ipcp.opt.type', 'Type', 8);
const F_IPCP_OPT_LENGTH = uint('ipcp.opt.length', 'Length', 8);
const F_IPCP_COMPRESS = uint('ipcp.opt.compress_proto', 'IP Compression Protocol', 16, Base.HEX);
const F_IPCP_ADDRESS = ipv4('ipcp.opt.ip_address', 'IP Address');
const F_IPCP_PRI_DNS = ipv4('ipcp.opt.pri_dns_address', 'Primary DNS Address');
const F_IPCP_PRI_NBNS = ipv4('ipcp.opt.pri_nbns_address', 'Primary NBNS Address');
const F_IPCP_SEC_DNS = ipv4('ipcp.opt.sec_dns_address', 'Secondary DNS Address');
const F_IPCP_SEC_NBNS = ipv4('ipcp.opt.sec_nbns_address', 'Secondary NBNS Address');
const F_IPV6CP_OPT_TYPE = uint('ipv6cp.opt.type', 'Type', 8);
const F_IPV6CP_OPT_LENGTH = uint('ipv6cp.opt.length', 'Length', 8);
const F_IPV6CP_INTERFACE_ID = bytes('ipv6cp.opt.interface_identifier', 'Interface Identifier');
const F_CCP_OPT_TYPE = uint('ccp.opt.type', 'Type', 8);
const F_CCP_OPT_LENGTH = uint('ccp.opt.length', 'Length', 8);

/** The control protocols that share this layout; the tables below are indexed by it. */
export const enum Cp { LCP = 0, IPCP = 1, IPV6CP = 2, CCP = 3 }
const CP_COLUMNS: StaticArray<string> = ['PPP LCP', 'PPP IPCP', 'PPP IPV6CP', 'PPP CCP'];
const CP_PROTOS: StaticArray<u32> = [PROTO_LCP, PROTO_IPCP, PROTO_IPV6CP, PROTO_CCP];
const CP_OPT_TYPES: StaticArray<u32> = [F_OPT_TYPE, F_IPCP_OPT_TYPE, F_IPV6CP_OPT_TYPE, F_CCP_OPT_TYPE];
const CP_OPT_LENGTHS: StaticArray<u32> = [F_OPT_LENGTH, F_IPCP_OPT_LENGTH, F_IPV6CP_OPT_LENGTH, F_CCP_OPT_LENGTH];

const VENDOR: u32 = 0, CONF_REQ: u32 = 1, CONF_REJ: u32 = 4, TERM_REQ: u32 = 5, TERM_ACK: u32 = 6, CODE_REJ: u32 = 7,
  PROT_REJ: u32 = 8, ECHO_REQ: u32 = 9, DISC_REQ: u32 = 11, IDENT: u32 = 12, TIME_REMAINING: u32 = 13;

const CODE_NAMES: StaticArray<string> = [
  'Vendor Specific', 'Configuration Request', 'Configuration Ack', 'Configuration Nak', 'Configuration Reject',
  'Termination Request', 'Termination Ack', 'Code Reject', 'Protocol Reject', 'Echo Request', 'Echo Reply',
  'Discard Request', 'Identification', 'Time Remaining',
];

const CCP_RESET_NAMES: StaticArray<string> = ['Reset Request', 'Reset Ack'];

export function dissectLcp(start: u32, end: u32): void { dissectControlProtocol(start, end, Cp.LCP); }
function dissectIpcp(start: u32, end: u32): void { dissectControlProtocol(start, end, Cp.IPCP); }
function dissectIpv6cp(start: u32, end: u32): void { dissectControlProtocol(start, end, Cp.IPV6CP); }
function dissectCcp(start: u32, end: u32): void { dissectControlProtocol(start, end, Cp.CCP); }

/** Dissects the packet when `proto` is one of these control protocols' PPP numbers; whether it was. */
export function dissectControlProtocolNumber(proto: u32, start: u32, end: u32): bool {
  if (proto == 0xc021) dissectLcp(start, end);
  else if (proto == 0x8021) dissectIpcp(start, end);
  else if (proto == 0x8057) dissectIpv6cp(start, end);
  else if (proto == 0x80fd) dissectCcp(start, end);
  else return false;
  return true;
}

/** The code's name in the protocol's table: LCP's runs 0-13, IPCP's and IPV6CP's 1-7, CCP's adds 14-15. */
function codeName(cp: Cp, code: u32): string {
  if (cp == Cp.LCP) return tableName(CODE_NAMES, code, 'Unknown');
  if (code >= CONF_REQ && code <= CODE_REJ) return unchecked(CODE_NAMES[code]);
  if (cp == Cp.CCP && code >= 14 && code <= 15) return unchecked(CCP_RESET_NAMES[code - 14]);
  return 'Unknown';
}

function dissectControlProtocol(start: u32, end: u32, cp: Cp): void {
  setProtocolColumn(unchecked(CP_COLUMNS[cp]));
  if (!has(start, end, 1)) { markTruncated(); return; }
  const code = u8at(start, end);
  infoSet(); puts(codeName(cp, code)); infoDone();
  beginLayer(unchecked(CP_PROTOS[cp]));
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
    dissectOptions(p, stop, end, cp);
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

function dissectOptions(p: u32, stop: u32, end: u32, cp: Cp): void {
  while (p < stop) {
    if (!need(p, stop, end, 2)) return;
    const type = u8at(p, end);
    const len = u8at(p + 1, end);
    addNum(unchecked(CP_OPT_TYPES[cp]), type);
    addNum(unchecked(CP_OPT_LENGTHS[cp]), len);
    if (len < 2) { markTruncated(); return; }
    if (!need(p, stop, end, len)) return;
    if (cp == Cp.LCP) lcpOption(type, p, len, end);
    else if (cp == Cp.IPCP) ipcpOption(type, p, len, end);
    // tshark 4.0's interface identifier item starts at the option's type byte.
    else if (cp == Cp.IPV6CP && type == 1 && len == 10) addBytes(F_IPV6CP_INTERFACE_ID, p, 10);
    p += len;
  }
}

function lcpOption(type: u32, p: u32, len: u32, end: u32): void {
  if (type == 1 && len == 4) addNum(F_OPT_MRU, u16at(p + 2, end));
  else if (type == 2 && len == 6) addNum(F_OPT_ASYNCMAP, u32at(p + 2, end));
  else if (type == 5 && len == 6) addNum(F_OPT_MAGIC, u32at(p + 2, end));
}

/** IPCP's compression protocol, address and the DNS and NBNS servers of RFC 1877. */
function ipcpOption(type: u32, p: u32, len: u32, end: u32): void {
  if (type == 2 && len >= 4) { addNum(F_IPCP_COMPRESS, u16at(p + 2, end)); return; }
  if (len != 6) return;
  const f: i32 = type == 3 ? F_IPCP_ADDRESS : type == 129 ? F_IPCP_PRI_DNS : type == 130 ? F_IPCP_PRI_NBNS
    : type == 131 ? F_IPCP_SEC_DNS : type == 132 ? F_IPCP_SEC_NBNS : -1;
  if (f >= 0) addBytes(<u32>f, p + 2, 4);
}
