// Microsoft Network Load Balancing heartbeats, ethertype 0x886f, as tshark
// 4.0 shows them: "MS NLB heartbeat", then " - " and the signature's name
// once the whole 20-byte header (signature, version, host ID, cluster and
// host addresses) has been read and at least one byte follows it; a capture
// that stops inside the header or right after it leaves only "MS NLB
// heartbeat".  The cluster membership heartbeat's fixed body and the
// extended heartbeat's entries are read for their marks, field by field as
// tshark adds them.
import { protocol, uint, ipv4, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, reportedLength, markReadPast } from '../packet';
import { registerEthertype } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putDec } from '../text';
import { lacks } from '../cursor';

const PROTO_MSNLB = protocol('msnlb', 'MS Network Load Balancing');
const F_SIGNATURE = uint('msnlb.signature', 'Signature', 32, Base.HEX);
const F_UNIQUE_HOST_ID = uint('msnlb.unique_host_id', 'Unique Host ID', 32);
const F_CLUSTER_IP = ipv4('msnlb.cluster_ip', 'Cluster IP');
const F_HOST_IP = ipv4('msnlb.host_ip', 'Host IP');
const F_MY_HOST_ID = uint('msnlb.my_host_ip', 'My Host id', 16);
const F_DEFAULT_HOST_ID = uint('msnlb.default_host_ip', 'Default Host id', 16);
const F_CONVERGENCE_STATE = uint('msnlb.convergence_state', 'Convergence State', 16);
const F_PORT_RULES = uint('msnlb.number_of_port_rules', 'Number of Port Rules', 16);
const F_UNIQUE_HOST_CODE = uint('msnlb.unique_host_code', 'Unique Host Code', 32);
const F_PACKETS_HANDLED = uint('msnlb.packets_handled', 'Packets Handled', 32);

const ETHERTYPE_MSNLB: u32 = 0x886f;
const HEADER_LEN: u32 = 20;
const CLUSTER_MEMBERSHIP_HB: u32 = 0xc0de01bf;
const EXTENDED_HB: u32 = 0xc0de01c0;
const RELIABLE_PROTOCOL: u32 = 0xc0de01de;
const RULES: u32 = 33;
/** The membership heartbeat's tables after its counters, teaming word and reserved word: each one's entry width. */
const TABLE_WIDTHS: StaticArray<u32> = [4, 8, 8, 8, 8, 4, 4];
const EXT_HOST_NAME: u32 = 1;
const EXT_ADDRESS: u32 = 2;
const AF_INET: u32 = 0x2;
const AF_INET6: u32 = 0x17;

function dissectMsnlb(start: u32, end: u32): void {
  setProtocolColumn('MS NLB');
  infoSet(); puts('MS NLB heartbeat'); infoDone();
  beginLayer(PROTO_MSNLB);
  if (lacks(start, end, 4)) return;
  const signature = load<u32>(start);
  addNum(F_SIGNATURE, signature);
  // The version (shown as "2.6"), then the host ID and the two addresses.
  if (lacks(start + 4, end, 4) || lacks(start + 8, end, 4)) return;
  addNum(F_UNIQUE_HOST_ID, load<u32>(start + 8));
  if (lacks(start + 12, end, 4)) return;
  addBytes(F_CLUSTER_IP, start + 12, 4);
  if (lacks(start + 16, end, 4)) return;
  addBytes(F_HOST_IP, start + 16, 4);
  // tshark's item for the signature data runs to the end and needs a byte of it.
  const body = start + HEADER_LEN;
  if (lacks(body, end, 1)) return;
  infoAppend();
  puts(' - ');
  if (signature == CLUSTER_MEMBERSHIP_HB) puts('NLB Cluster Membership HeartBeat');
  else if (signature == EXTENDED_HB) puts('NLB Extended HeartBeat');
  else if (signature == RELIABLE_PROTOCOL) puts('NLB Reliable Protocol');
  else { puts('Unknown ('); putDec(signature); puts(')'); }
  infoDone();
  if (signature == CLUSTER_MEMBERSHIP_HB) dissectMembership(body, end);
  else if (signature == EXTENDED_HB) walkExtended(body, end, start + reportedLength(start, end));
}

/** Four 16-bit host and rule numbers, the host code, the packet count, then fixed tables of 33 entries each. */
function dissectMembership(p: u32, end: u32): void {
  const fields: StaticArray<u32> = [F_MY_HOST_ID, F_DEFAULT_HOST_ID, F_CONVERGENCE_STATE, F_PORT_RULES];
  for (let i = 0; i < 4; i++, p += 2) {
    if (lacks(p, end, 2)) return;
    addNum(fields[i], load<u16>(p));
  }
  if (lacks(p, end, 4)) return;
  addNum(F_UNIQUE_HOST_CODE, load<u32>(p));
  if (lacks(p + 4, end, 4)) return;
  addNum(F_PACKETS_HANDLED, load<u32>(p + 4));
  p += 8;
  for (let i = 0; i < 2; i++, p += 4) if (lacks(p, end, 4)) return;
  for (let t = 0; t < TABLE_WIDTHS.length; t++) {
    const width = TABLE_WIDTHS[t];
    for (let i: u32 = 0; i < RULES; i++, p += width) if (lacks(p, end, width)) return;
  }
}

/**
 * Extended heartbeat entries while captured bytes are left (tshark 4.0's
 * loop tests what was captured): a host name (UTF-16) or an address, each
 * after a type, a length and six reserved bytes.
 */
function walkExtended(p: u32, end: u32, packetEnd: u32): void {
  while (p < end) {
    const type = <u32>load<u8>(p);
    p += 1;
    // An unknown entry's bytes run to the end of the packet, and tshark wants one of them.
    if (type != EXT_HOST_NAME && type != EXT_ADDRESS) { needByteAt(p, end); return; }
    if (lacks(p, end, 1) || lacks(p + 1, end, 2) || lacks(p + 3, end, 4)) return;
    p += 7;
    if (type == EXT_HOST_NAME) {
      // The name runs to its 16-bit NUL; six bytes follow it.
      for (;;) {
        if (lacks(p, end, 2)) return;
        const unit = <u32>load<u16>(p);
        p += 2;
        if (unit == 0) break;
      }
      p += 6;
      continue;
    }
    if (lacks(p, end, 2)) return;
    const family = <u32>load<u16>(p);
    p += 2;
    // An address, or for an unknown family the rest of the packet; the padding
    // after it runs to the end too, and tshark wants a byte of it.
    if (family == AF_INET || family == AF_INET6) {
      const length: u32 = family == AF_INET ? 4 : 16;
      if (lacks(p, end, length)) return;
      p += length;
    } else {
      if (lacks(p, end, 1)) return;
      p = packetEnd;
    }
    needByteAt(p, end);
    return;
  }
}

/**
 * An item from q to the end of the packet: tshark wants a byte of it when q is
 * the captured end, and past that only that q is within the packet.
 */
function needByteAt(q: u32, end: u32): void {
  if (q > end) markReadPast(end, q);
  else lacks(q, end, 1);
}

registerEthertype(ETHERTYPE_MSNLB, dissectMsnlb);
