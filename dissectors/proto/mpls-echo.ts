// MPLS Echo (LSP ping, RFC 8029) on UDP port 3503: a fixed header of 16
// bytes (32 for Echo Request and Reply, which carry two NTP timestamps), then
// TLVs.  Version 1 only: anything else is left to the other port.
import { protocol, uint, flag, Base } from '../fields';
import { beginLayer, beginItemLayer, addNum, setProtocolColumn, markTruncated, reportedLength } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerUdpPortTry } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putHexUpper } from '../text';
import { dissectData } from './frame';

const PROTO_MPLS_ECHO = protocol('mpls-echo', 'Multiprotocol Label Switching Echo');
const F_VERSION = uint('mpls_echo.version', 'Version', 16);
const F_FLAGS = uint('mpls_echo.flags', 'Global Flags', 16, Base.HEX);
const F_FLAG_SBZ = uint('mpls_echo.flag_sbz', 'Reserved', 16, Base.HEX);
const F_FLAG_V = flag('mpls_echo.flag_v', 'Validate FEC Stack');
const F_FLAG_T = flag('mpls_echo.flag_t', 'Respond only if TTL expired');
const F_FLAG_R = flag('mpls_echo.flag_r', 'Validate Reverse Path');
const F_MBZ = uint('mpls_echo.mbz', 'MBZ', 16, Base.HEX);
const F_MSG_TYPE = uint('mpls_echo.msg_type', 'Message Type', 8);
const F_REPLY_MODE = uint('mpls_echo.reply_mode', 'Reply Mode', 8);
const F_RETURN_CODE = uint('mpls_echo.return_code', 'Return Code', 8);
const F_RETURN_SUBCODE = uint('mpls_echo.return_subcode', 'Return Subcode', 8);
const F_HANDLE = uint('mpls_echo.sender_handle', "Sender's Handle", 32, Base.HEX);
const F_SEQUENCE = uint('mpls_echo.sequence', 'Sequence Number', 32);

const MPLS_ECHO_PORT: u32 = 3503;
const ECHO_HEADER_LEN: u32 = 32;
const OTHER_HEADER_LEN: u32 = 16;
const TLV_HEADER_LEN: u32 = 4;

const MESSAGE_TYPES: StaticArray<string> = [
  '', 'MPLS Echo Request', 'MPLS Echo Reply', 'MPLS Data Plane Verification Request', 'MPLS Data Plane Verification Reply',
];

function isEcho(type: u32): bool { return type == 1 || type == 2; }

function dissectMplsEcho(start: u32, end: u32): bool {
  // Wireshark decides on the captured bytes: five for the version and message type.
  if (!has(start, end, 5) || u16at(start, end) != 1) return false;
  setProtocolColumn('MPLS ECHO');
  infoSet(); infoDone();
  const type = u8at(start + 4, end);
  const headerLen = isEcho(type) ? ECHO_HEADER_LEN : OTHER_HEADER_LEN;
  const reported = reportedLength(start, end);
  if (reported < headerLen) {
    // Wireshark refuses the datagram after naming it, so it ends as data.
    infoSet(); puts('Malformed Message'); infoDone();
    beginItemLayer(PROTO_MPLS_ECHO); // the item stays, the call (which returned 0) is not listed
    dissectData(start, end);
    return true;
  }
  infoSet();
  if (type >= 1 && type < <u32>MESSAGE_TYPES.length) puts(unchecked(MESSAGE_TYPES[type]));
  else { puts('Unknown Message Type (0x'); putHexUpper(type, 2); puts(')'); }
  infoDone();

  beginLayer(PROTO_MPLS_ECHO);
  addNum(F_VERSION, 1);
  if (!has(start, end, 8)) { markTruncated(); return true; }
  const flags = u16at(start + 2, end);
  if (isEcho(type)) {
    addNum(F_FLAGS, flags);
    addNum(F_FLAG_SBZ, flags >> 3);
    addNum(F_FLAG_V, (flags & 1) != 0);
    addNum(F_FLAG_T, (flags & 2) != 0);
    addNum(F_FLAG_R, (flags & 4) != 0);
  } else {
    addNum(F_MBZ, flags);
  }
  addNum(F_MSG_TYPE, type);
  addNum(F_REPLY_MODE, u8at(start + 5, end));
  addNum(F_RETURN_CODE, u8at(start + 6, end));
  addNum(F_RETURN_SUBCODE, u8at(start + 7, end));
  if (!has(start, end, 12)) { markTruncated(); return true; }
  addNum(F_HANDLE, u32at(start + 8, end));
  if (!has(start, end, 16)) { markTruncated(); return true; }
  addNum(F_SEQUENCE, u32at(start + 12, end));
  if (!has(start, end, headerLen)) { markTruncated(); return true; }
  walkTlvs(start + headerLen, end, reported - headerLen);
  return true;
}

/**
 * The TLVs' extent: each one's length is cut to what the datagram has left,
 * so the walk never passes the datagram, only the captured bytes.  The
 * bodies are not shown.
 */
function walkTlvs(p: u32, end: u32, left: u32): void {
  while (left >= TLV_HEADER_LEN) {
    if (!has(p, end, TLV_HEADER_LEN)) { markTruncated(); return; }
    let length = u16at(p + 2, end);
    if (length > left - TLV_HEADER_LEN) length = left - TLV_HEADER_LEN;
    if (!has(p + TLV_HEADER_LEN, end, length)) { markTruncated(); return; }
    p += TLV_HEADER_LEN + length;
    left -= TLV_HEADER_LEN + length;
  }
}

registerUdpPortTry(MPLS_ECHO_PORT, dissectMplsEcho);
