// RIP (RFC 1058, RFC 2453) on UDP 520, as tshark 4.0 shows it: the command
// as the info column and the version in the protocol column ("RIP" for one
// other than 1 or 2, which is then read as version 1).  Every 20-byte entry
// must be there whole: a partial one at the end is malformed, or size
// limited where the capture cut it.  An authentication entry (family
// 0xffff) first in the packet may announce a keyed-MD5 trailer, which the
// entry walk then leaves alone.
import { protocol, uint, ipv4 } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast, reportedLength } from '../packet';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec, putc, tableName } from '../text';
import { be16, be32, lacks } from '../cursor';

const PROTO_RIP = protocol('rip', 'Routing Information Protocol');
const F_COMMAND = uint('rip.command', 'Command', 8);
const F_VERSION = uint('rip.version', 'Version', 8);
const F_FAMILY = uint('rip.family', 'Address Family', 16);
const F_ROUTE_TAG = uint('rip.route_tag', 'Route Tag', 16);
const F_IP = ipv4('rip.ip', 'IP Address');
const F_NETMASK = ipv4('rip.netmask', 'Netmask');
const F_NEXT_HOP = ipv4('rip.next_hop', 'Next Hop');
const F_METRIC = uint('rip.metric', 'Metric', 32);

const ENTRY: u32 = 20;
const FAMILY_UNSPECIFIED: u32 = 0;
const FAMILY_IP: u32 = 2;
const FAMILY_AUTH: u32 = 0xffff;
const AUTH_KEYED_MD5: u32 = 3;
const MD5_TRAILER: u32 = 20;


function dissectRip(start: u32, end: u32): void {
  setProtocolColumn('RIP');
  infoSet(); infoDone();
  beginLayer(PROTO_RIP);
  if (lacks(start, end, 2)) return;
  const command = <u32>load<u8>(start);
  const version = <u32>load<u8>(start + 1);
  if (version == 1) setProtocolColumn('RIPv1');
  else if (version == 2) setProtocolColumn('RIPv2');
  infoSet();
  const name = tableName(COMMANDS, command, '');
  if (name.length) puts(name); else { puts('Unknown command ('); putDec(command); putc(41); }
  infoDone();
  addNum(F_COMMAND, command);
  addNum(F_VERSION, version);
  const reportedEnd = start + reportedLength(start, end);
  let trailer: u32 = 0;
  for (let p = start + 4; reportedEnd - p > trailer; p += ENTRY) {
    if (lacks(p, end, ENTRY)) return;
    const family = be16(p);
    if (family == FAMILY_AUTH) {
      if (p == start + 4 && be16(p + 2) == AUTH_KEYED_MD5) {
        trailer = <u32>load<u8>(p + 7);
        // The trailer sits where the digest offset says; one outside the packet is malformed.
        const at = start + be16(p + 4);
        if (at > reportedEnd || reportedEnd - at < MD5_TRAILER) { markReadPast(end, at + MD5_TRAILER); return; }
      }
      continue;
    }
    // tshark notes another family as an expert item only, with no field.
    if (family != FAMILY_UNSPECIFIED && family != FAMILY_IP) continue;
    addNum(F_FAMILY, family);
    if (version == 2) addNum(F_ROUTE_TAG, be16(p + 2));
    if (family == FAMILY_IP) addNum(F_IP, p + 4);
    if (version == 2) { addNum(F_NETMASK, p + 8); addNum(F_NEXT_HOP, p + 12); }
    addNum(F_METRIC, be32(p + 16));
  }
}

const COMMANDS: StaticArray<string> = ['', 'Request', 'Response', 'Traceon', 'Traceoff', 'Vendor specific (Sun)'];

registerUdpPort(520, dissectRip);
