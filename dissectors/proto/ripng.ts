// RIPng (RFC 2080) on UDP 521, as tshark 4.0 shows it: the command and the
// version in the info column (after a space, as tshark writes it), and the
// route table entries (prefix, route tag, prefix length, metric), which
// tshark reads only into its protocol tree: they are fields while the
// capture holds them and never mark the line.
import { protocol, uint, ipv6, bytes, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn } from '../packet';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { lacks, has, be16 } from '../cursor';

const PROTO_RIPNG = protocol('ripng', 'RIPng');
const F_CMD = uint('ripng.cmd', 'Command', 8);
const F_VERSION = uint('ripng.version', 'Version', 8);
const F_RESERVED = bytes('ripng.reserved', 'Reserved');
const F_PREFIX = ipv6('ripng.rte.ipv6_prefix', 'IPv6 Prefix');
const F_ROUTE_TAG = uint('ripng.rte.route_tag', 'Route Tag', 16, Base.HEX);
const F_PREFIX_LENGTH = uint('ripng.rte.prefix_length', 'Prefix Length', 8);
const F_METRIC = uint('ripng.rte.metric', 'Metric', 8);

const RIPNG_PORT: u32 = 521;
const ENTRY: u32 = 20;

function dissectRipng(start: u32, end: u32): void {
  setProtocolColumn('RIPng');
  beginLayer(PROTO_RIPNG);
  // tshark reads both bytes for the info column before writing it: without them the column keeps UDP's text.
  if (lacks(start, end, 2)) return;
  const command = <u32>load<u8>(start);
  const version = <u32>load<u8>(start + 1);
  infoSet();
  puts(' Command ');
  if (command == 1) puts('Request'); else if (command == 2) puts('Response'); else { puts('Unknown ('); putDec(command); puts(')'); }
  puts(', Version '); putDec(version);
  infoDone();
  addNum(F_CMD, command);
  addNum(F_VERSION, version);
  if (!has(start, end, 4)) return;
  addBytes(F_RESERVED, start + 2, 2);
  for (let p = start + 4; has(p, end, ENTRY); p += ENTRY) {
    addBytes(F_PREFIX, p, 16);
    addNum(F_ROUTE_TAG, be16(p + 16));
    addNum(F_PREFIX_LENGTH, load<u8>(p + 18));
    addNum(F_METRIC, load<u8>(p + 19));
  }
}

registerUdpPort(RIPNG_PORT, dissectRipng);
