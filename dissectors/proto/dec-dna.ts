// DECnet Phase IV routing (ethertype 0x6003) and the NSP messages it
// carries, as tshark 4.0 shows them.  A station whose MAC is AA-00-04-00-xx-xx
// is shown by its DECnet address ("1.1") in the address columns.  Control
// messages name themselves ("Routing control, Endnode Hello message"); NSP
// messages say what they are, data segments their number and byte counts,
// with a running total kept across packets from the last beginning of a
// message (tshark keeps one total for the whole capture, not per link).
// The walk reads what tshark reads, in its order, so a message cut short
// keeps the text set before the read that failed.
import { protocol, uint, flag, ether, bytes, str, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, reportedLength, srcKind, srcPtr, dstKind, dstPtr,
  setSourceAddress, setDestinationAddress, AddrKind, streamSerial } from '../packet';
import { registerEthertype } from '../dispatch';
import { infoSet, infoAppend, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putDec, putSigned } from '../text';
import { lacks } from '../cursor';
import { addAscii } from './ascii-text';

const PROTO_DEC_DNA = protocol('dec_dna', 'DEC DNA Routing Protocol');
const F_FLAGS = uint('dec_dna.flags', 'Routing flags', 8, Base.HEX);
const F_CONTROL = flag('dec_dna.flags.control', 'Control packet');
const F_MSGLEN = uint('dec_dna.flags.msglen', 'Data packet format', 8, Base.HEX);
const F_RQR = flag('dec_dna.flags.RQR', 'Return to Sender Request');
const F_RTS = flag('dec_dna.flags.RTS', 'Packet on return trip');
const F_INTRA_ETH = flag('dec_dna.flags.intra_eth', 'Intra-ethernet packet');
const F_DISCARD = flag('dec_dna.flags.discard', 'Discarded packet');
const F_RT_MSG_TYPE = uint('dec_dna.rt.msg_type', 'Routing control message', 8, Base.HEX);
const F_DST_ADDRESS = ether('dec_dna.dst.address', 'Destination Address');
const F_SRC_ADDR = ether('dec_dna.src.addr', 'Source Address');
const F_NL2 = uint('dec_dna.nl2', 'Next level 2 router', 8, Base.HEX);
const F_VISIT_CNT = uint('dec_dna.visit_cnt', 'Visit count', 8, Base.HEX);
const F_SVC_CLS = uint('dec_dna.svc_cls', 'Service class', 8, Base.HEX);
const F_PROTO_TYPE = uint('dec_dna.proto_type', 'Protocol type', 8, Base.HEX);
const F_DST_NODE = uint('dec_dna.dst_node', 'Destination node', 16, Base.HEX);
const F_SRC_NODE = uint('dec_dna.src_node', 'Source node', 16, Base.HEX);
const F_VST_NODE = uint('dec_dna.vst_node', 'Nodes visited ty this package', 8);
const F_TIINFO = uint('dec_dna.ctl.tiinfo', 'Routing information', 8, Base.HEX);
const F_BLK_SIZE = uint('dec_dna.ctl.blk_size', 'Block size', 16);
const F_TIMER = uint('dec_dna.ctl.timer', 'Hello timer(seconds)', 16);
const F_RESERVED = bytes('dec_dna.ctl.reserved', 'Reserved');
const F_FCNVAL = bytes('dec_dna.ctl.fcnval', 'Verification message function value');
const F_TEST_DATA = bytes('dec_dna.ctl.test_data', 'Test message data');
const F_CHECKSUM = uint('dec_dna.ctl.checksum', 'Checksum', 16, Base.HEX);
const F_CTL_ID = ether('dec_dna.ctl.id', 'Transmitting system ID');
const F_NODE_TYPE = uint('dec_dna.ctl.iinfo.node_type', 'Node type', 8, Base.HEX);
const F_VRF = flag('dec_dna.ctl.iinfo.vrf', 'Verification required');
const F_REJ = flag('dec_dna.ctl.iinfo.rej', 'Rejected');
const F_VERF = flag('dec_dna.ctl.iinfo.verf', 'Verification failed');
const F_MTA = flag('dec_dna.ctl.iinfo.mta', 'Accepts multicast traffic');
const F_BLKREQ = flag('dec_dna.ctl.iinfo.blkreq', 'Blocking requested');
const F_PRIO = uint('dec_dna.ctl.prio', 'Routing priority', 8, Base.HEX);
const F_SEED = bytes('dec_dna.ctl.seed', 'Verification seed');
const F_NEIGHBOR = ether('dec_dna.ctl_neighbor', 'Neighbor');
const F_ENAME = bytes('dec_dna.ctl.ename', 'Ethernet name');
const F_ROUTER_ID = ether('dec_dna.ctl.router_id', 'Router ID');
const F_ROUTER_STATE = str('dec_dna.ctl.router_state', 'Router state');
const F_ROUTER_PRIO = uint('dec_dna.ctl.router_prio', 'Router priority', 8, Base.HEX);
const F_NSP_MSG_TYPE = uint('dec_dna.nsp.msg_type', 'DNA NSP message', 8, Base.HEX);
const F_SEGNUM = uint('dec_dna.nsp.segnum', 'Message number', 16);
const F_DELAY = flag('dec_dna.nsp.delay', 'Delayed ACK allowed');
const F_FLOW_CONTROL = uint('dec_dna.nsp.flow_control', 'Flow control', 8, Base.HEX);
const F_SERVICES = uint('dec_dna.nsp.services', 'Requested services', 8, Base.HEX);
const F_INFO = uint('dec_dna.nsp.info', 'Version info', 8, Base.HEX);
const F_SEGSIZE = uint('dec_dna.nsp.segsize', 'Maximum data segment size', 16);
const F_DISC_REASON = uint('dec_dna.nsp.disc_reason', 'Reason for disconnect', 16, Base.HEX);
const F_OBJ_TYPE = uint('dec_dna.sess.obj_type', 'Session Object type', 8, Base.HEX);
const F_GRP_CODE = uint('dec_dna.sess.grp_code', 'Session Group code', 16, Base.HEX);
const F_USR_CODE = uint('dec_dna.sess.usr_code', 'Session User code', 16, Base.HEX);
const F_DST_NAME = str('dec_dna.sess.dst_name', 'Session Destination end user', Base.FINAL_TEXT);
const F_SRC_NAME = str('dec_dna.sess.src_name', 'Session Source end user', Base.FINAL_TEXT);
const F_MENU_VER = str('dec_dna.sess.menu_ver', 'Session Menu version');
const F_RQSTR_ID = str('dec_dna.sess.rqstr_id', 'Session Requestor ID', Base.FINAL_TEXT);

const FLAG_CONTROL: u32 = 0x01;
const FLAG_LONG: u32 = 0x04;
const FLAG_PAD: u32 = 0x80;

const CTL_INITIALIZATION: u32 = 0;
const CTL_VERIFICATION: u32 = 1;
const CTL_HELLO_TEST: u32 = 2;
const CTL_LEVEL1_ROUTING: u32 = 3;
const CTL_LEVEL2_ROUTING: u32 = 4;
const CTL_ROUTER_HELLO: u32 = 5;
const CTL_ENDNODE_HELLO: u32 = 6;

const NSP_DATA_SEGMENT: u32 = 0x00;
const NSP_DATA_ACK: u32 = 0x04;
const NSP_NOP: u32 = 0x08;
const NSP_LINK_SERVICE: u32 = 0x10;
const NSP_OTHER_DATA_ACK: u32 = 0x14;
const NSP_CONNECT_INITIATE: u32 = 0x18;
const NSP_BEGIN_SEGMENT: u32 = 0x20;
const NSP_CONNECT_ACK: u32 = 0x24;
const NSP_CONNECT_CONFIRM: u32 = 0x28;
const NSP_INTERRUPT: u32 = 0x30;
const NSP_DISCONNECT_INITIATE: u32 = 0x38;
const NSP_END_SEGMENT: u32 = 0x40;
const NSP_DISCONNECT_CONFIRM: u32 = 0x48;
const NSP_BEGIN_END_SEGMENT: u32 = 0x60;

// Bytes of the data segments since the last beginning of a message, in this stream.
let segmentTotal: i32 = 0;
let segmentTotalStream: u32 = 0;

/** Whether the 6-byte MAC at p is a DECnet Phase IV node's (AA-00-04-00-xx-xx). */
function isDecnetMac(p: u32): bool {
  return load<u32>(p) == 0x000400aa;
}

@inline function le16(p: u32): u32 { return <u32>load<u16>(p); }

function dissectDecDna(start: u32, end: u32): void {
  setProtocolColumn('DEC DNA');
  infoSet(); infoDone();
  if (srcKind == AddrKind.ETHER && isDecnetMac(srcPtr)) setSourceAddress(AddrKind.DECNET, srcPtr);
  if (dstKind == AddrKind.ETHER && isDecnetMac(dstPtr)) setDestinationAddress(AddrKind.DECNET, dstPtr);
  const reportedEnd = start + reportedLength(start, end);
  // The first two bytes (a length) are stepped over unread.
  let p = start + 2;
  if (lacks(p, end, 1)) return;
  let flags = <u32>load<u8>(p);
  beginLayer(PROTO_DEC_DNA);
  if (flags & FLAG_PAD) p += flags & 0x7f;
  if (lacks(p, end, 1)) return;
  flags = <u32>load<u8>(p);
  addNum(F_FLAGS, flags);
  if (flags & FLAG_CONTROL) {
    const type = (flags >> 1) & 7;
    addNum(F_CONTROL, 1);
    addNum(F_RT_MSG_TYPE, type);
    // The message header repeats the type through the same mask, so it shows shifted once more.
    addNum(F_RT_MSG_TYPE, (type & 0x0e) >> 1);
    p++;
    if (type == CTL_INITIALIZATION) initializationMessage(p, end);
    else if (type == CTL_VERIFICATION) verificationMessage(p, end);
    else if (type == CTL_HELLO_TEST) helloTestMessage(p, end, reportedEnd);
    else if (type == CTL_LEVEL1_ROUTING || type == CTL_LEVEL2_ROUTING) routingMessage(p, end, reportedEnd, type);
    else if (type == CTL_ROUTER_HELLO || type == CTL_ENDNODE_HELLO) helloMessage(p, end, type);
    return;
  }
  if (flags & FLAG_LONG) {
    addNum(F_MSGLEN, (flags & 0x06) >> 1);
    addNum(F_RQR, flags & 0x08);
    addNum(F_RTS, flags & 0x10);
    addNum(F_INTRA_ETH, flags & 0x20);
    addNum(F_DISCARD, flags & 0x40);
    p += 3;
    if (lacks(p, end, 6)) return;
    addBytes(F_DST_ADDRESS, p, 6);
    p += 8;
    if (lacks(p, end, 6)) return;
    addBytes(F_SRC_ADDR, p, 6);
    p += 6;
    addNum(F_NL2, 0);
    p++;
    if (lacks(p, end, 1)) return;
    addNum(F_VISIT_CNT, load<u8>(p));
    addNum(F_SVC_CLS, 0);
    addNum(F_PROTO_TYPE, 0);
    p += 3;
  } else {
    addNum(F_MSGLEN, (flags & 0x06) >> 1);
    addNum(F_RQR, flags & 0x08);
    addNum(F_RTS, flags & 0x10);
    p++;
    if (lacks(p, end, 2)) return;
    addNum(F_DST_NODE, le16(p));
    p += 2;
    if (lacks(p, end, 2)) return;
    addNum(F_SRC_NODE, le16(p));
    p += 2;
    if (lacks(p, end, 1)) return;
    addNum(F_VST_NODE, load<u8>(p));
    p++;
  }
  if (lacks(p, end, 1)) return;
  const nspType = <u32>load<u8>(p);
  addNum(F_NSP_MSG_TYPE, nspType);
  if (nspType == NSP_NOP) return;
  p++;
  if (lacks(p, end, 2)) return;
  addNum(F_DST_NODE, le16(p));
  p += 2;
  if (nspType == NSP_CONNECT_ACK) { infoSet(); puts('NSP connect acknowledgement'); infoDone(); return; }
  if (lacks(p, end, 2)) return;
  addNum(F_SRC_NODE, le16(p));
  p += 2;
  nspMessage(p, end, reportedEnd, nspType);
}

function initializationMessage(p: u32, end: u32): void {
  infoSet(); puts('Routing control, initialization message'); infoDone();
  if (lacks(p, end, 2)) return;
  addNum(F_SRC_NODE, le16(p));
  if (lacks(p + 2, end, 2)) return;
  addNum(F_TIINFO, le16(p + 2));
  if (lacks(p + 4, end, 2)) return;
  addNum(F_BLK_SIZE, le16(p + 4));
  if (lacks(p + 6, end, 3)) return; // the version
  if (lacks(p + 9, end, 2)) return;
  addNum(F_TIMER, le16(p + 9));
  if (lacks(p + 11, end, 1)) return;
  const count = <u32>load<u8>(p + 11);
  // The reserved bytes are taken from the count byte on, as tshark does.
  if (count != 0) {
    if (lacks(p + 11, end, count)) return;
    addBytes(F_RESERVED, p + 11, count);
  }
}

function verificationMessage(p: u32, end: u32): void {
  infoSet(); puts('Routing control, verification message'); infoDone();
  if (lacks(p, end, 2)) return;
  addNum(F_SRC_NODE, le16(p));
  if (lacks(p + 2, end, 1)) return;
  const count = <u32>load<u8>(p + 2);
  // The function value is taken from the count byte on, as tshark does.
  if (count != 0) {
    if (lacks(p + 2, end, count)) return;
    addBytes(F_FCNVAL, p + 2, count);
  }
}

function helloTestMessage(p: u32, end: u32, reportedEnd: u32): void {
  infoSet(); puts('Routing control, hello/test message'); infoDone();
  if (lacks(p, end, 2)) return;
  addNum(F_SRC_NODE, le16(p));
  p += 2;
  const count = p < reportedEnd ? reportedEnd - p : 0;
  if (count != 0) {
    if (lacks(p, end, count)) return;
    addBytes(F_TEST_DATA, p, count);
  }
}

function routingMessage(p: u32, end: u32, reportedEnd: u32, type: u32): void {
  if (lacks(p, end, 2)) return;
  addNum(F_SRC_NODE, le16(p));
  p += 3;
  // tshark's count of what is left is unsigned: below one segment it wraps and the walk runs on to the end.
  let left: u32 = p < reportedEnd ? reportedEnd - p : 0;
  let more = true;
  while (more) {
    if (lacks(p, end, 6)) return;
    infoSet();
    puts(type == CTL_LEVEL1_ROUTING ? 'Routing control, Level 1 routing message' : 'Routing control, Level 2 routing message');
    infoDone();
    p += 6;
    left -= 6;
    more = left > 6;
  }
  p += left - 2;
  if (lacks(p, end, 2)) return;
  addNum(F_CHECKSUM, le16(p));
}

function helloMessage(p: u32, end: u32, type: u32): void {
  if (lacks(p, end, 3)) return; // the version
  p += 3;
  if (lacks(p, end, 6)) return;
  addBytes(F_CTL_ID, p, 6);
  p += 6;
  if (lacks(p, end, 1)) return;
  const info = <u32>load<u8>(p);
  addNum(F_TIINFO, info);
  addNum(F_NODE_TYPE, info & 0x03);
  addNum(F_VRF, info & 0x04);
  addNum(F_REJ, info & 0x08);
  addNum(F_VERF, info & 0x10);
  addNum(F_MTA, info & 0x20);
  addNum(F_BLKREQ, info & 0x40);
  p++;
  if (lacks(p, end, 2)) return;
  addNum(F_BLK_SIZE, le16(p));
  p += 2;
  if (type == CTL_ROUTER_HELLO) {
    infoSet(); puts('Routing control, Ethernet Router Hello  message'); infoDone();
    if (lacks(p, end, 1)) return;
    addNum(F_PRIO, load<u8>(p));
    p++;
  }
  p++; // the area
  if (type == CTL_ENDNODE_HELLO) {
    infoSet(); puts('Routing control, Endnode Hello message'); infoDone();
    if (lacks(p, end, 8)) return;
    addBytes(F_SEED, p, 8);
    p += 8;
    if (lacks(p, end, 6)) return;
    addBytes(F_NEIGHBOR, p, 6);
    p += 6;
  }
  if (lacks(p, end, 2)) return;
  addNum(F_TIMER, le16(p));
  p += 3;
  if (type != CTL_ROUTER_HELLO) return;
  if (lacks(p, end, 1)) return;
  // tshark counts the list's bytes in a byte, and each router's in another, both wrapping below zero.
  let listLeft = <u32>load<u8>(p);
  p++;
  if (lacks(p, end, listLeft)) return;
  while (listLeft != 0) {
    if (lacks(p, end, 7)) return;
    addBytes(F_ENAME, p, 7);
    p += 7;
    listLeft = (listLeft - 7) & 0xff;
    if (lacks(p, end, 1)) return;
    let routersLeft = <u32>load<u8>(p);
    p++;
    listLeft = (listLeft - 1) & 0xff;
    while (routersLeft != 0) {
      if (lacks(p, end, 6)) return;
      addBytes(F_ROUTER_ID, p, 6);
      p += 6;
      if (lacks(p, end, 1)) return;
      const state = <u32>load<u8>(p);
      addConstantText(F_ROUTER_STATE, state & 0x80 ? 'known 2-way' : 'unknown');
      addNum(F_ROUTER_PRIO, state & 0x7f);
      p++;
      routersLeft = (routersLeft - 7) & 0xff;
      listLeft = (listLeft - 7) & 0xff;
    }
  }
}

function nspMessage(p: u32, end: u32, reportedEnd: u32, type: u32): void {
  if (type == NSP_DATA_SEGMENT || type == NSP_BEGIN_SEGMENT || type == NSP_END_SEGMENT || type == NSP_BEGIN_END_SEGMENT) {
    if (lacks(p, end, 2)) return;
    if (le16(p) & 0x8000) {
      p += 2; // the acknowledged number
      if (lacks(p, end, 2)) return;
      if (le16(p) & 0x8000) p += 2; // the other subchannel's
    }
    if (lacks(p, end, 2)) return;
    const segment = le16(p);
    if (segmentTotalStream != streamSerial()) { segmentTotalStream = streamSerial(); segmentTotal = 0; }
    if (type == NSP_BEGIN_SEGMENT || type == NSP_BEGIN_END_SEGMENT) segmentTotal = 0;
    infoAppend();
    puts('msg nr. ');
    putDec(segment & 0xfff);
    if (type == NSP_BEGIN_SEGMENT) puts(': start of segment');
    else if (type == NSP_DATA_SEGMENT) puts(': continuation segment ');
    else if (type == NSP_END_SEGMENT) puts(': end of segment');
    else puts(' single segment');
    infoDone();
    addNum(F_SEGNUM, segment & 0xfff);
    addNum(F_DELAY, segment & 0x1000);
    p += 2;
    const length = p < reportedEnd ? reportedEnd - p : 0;
    segmentTotal += <i32>length;
    infoAppend();
    puts(', bytes this segment: '); putDec(length);
    puts(', total so far:'); putSigned(segmentTotal);
    infoDone();
    return;
  }
  if (type == NSP_INTERRUPT || type == NSP_LINK_SERVICE) {
    infoSet(); puts(type == NSP_INTERRUPT ? 'NSP interrupt message' : 'NSP link control message'); infoDone();
    if (lacks(p, end, 2)) return;
    if (le16(p) & 0x8000) {
      p += 2;
      if (lacks(p, end, 2)) return;
      if (le16(p) & 0x8000) p += 2;
    } else {
      // Without an acknowledgement the number is the last field tshark reads.
      addNum(F_SEGNUM, le16(p) & 0xfff);
      addNum(F_DELAY, le16(p) & 0x1000);
      return;
    }
    if (lacks(p, end, 2)) return;
    addNum(F_SEGNUM, le16(p) & 0xfff);
    addNum(F_DELAY, le16(p) & 0x1000);
    p += 2;
    if (type == NSP_INTERRUPT) return;
    if (lacks(p, end, 1)) return;
    const lsFlags = <u32>load<u8>(p);
    infoAppend();
    if (lsFlags == 0) puts('(no change)');
    else if (lsFlags == 1) puts('(stop)');
    else if (lsFlags == 2) puts('(go)');
    infoDone();
    if (lacks(p + 1, end, 1)) return;
    addNum(F_FLOW_CONTROL, lsFlags & 0x03);
    return;
  }
  if (type == NSP_DATA_ACK || type == NSP_OTHER_DATA_ACK) {
    if (type == NSP_OTHER_DATA_ACK) { infoSet(); puts('NSP other data ACK message'); infoDone(); }
    if (lacks(p, end, 2)) return;
    const ack = le16(p);
    if (type == NSP_DATA_ACK) {
      infoAppend();
      puts(ack & 0x1000 ? 'NSP data NAK message(' : 'NSP data ACK message(');
      putDec(ack & 0xfff);
      puts(')');
      infoDone();
    }
    p += 2;
    if (p < reportedEnd) lacks(p, end, 2);
    return;
  }
  if (type == NSP_CONNECT_CONFIRM || type == NSP_CONNECT_INITIATE) {
    infoSet(); puts('NSP connect confirm/initiate message'); infoDone();
    if (lacks(p, end, 1)) return;
    addNum(F_SERVICES, (<u32>load<u8>(p) & 0x0c) >> 2);
    if (lacks(p + 1, end, 1)) return;
    addNum(F_INFO, <u32>load<u8>(p + 1) & 0x03);
    if (lacks(p + 2, end, 2)) return;
    addNum(F_SEGSIZE, le16(p + 2));
    connectContents(p + 4, end);
    return;
  }
  if (type == NSP_DISCONNECT_INITIATE || type == NSP_DISCONNECT_CONFIRM) {
    infoSet(); puts('NSP disconnect initiate/confirm message'); infoDone();
    if (lacks(p, end, 2)) return;
    addNum(F_DISC_REASON, le16(p));
  }
}

/**
 * An end user in a connect message: format, object type, group and user
 * codes for format 2, and a name; the end after it, or 0 where a read failed.
 */
function endUser(p: u32, end: u32, named: u32, nameField: u32, isSource: bool): u32 {
  if (lacks(p, end, 1)) return 0;
  const format = <u32>load<u8>(p);
  p++;
  if (lacks(p, end, 1)) return 0;
  addNum(F_OBJ_TYPE, load<u8>(p));
  p++;
  if (format == 2) {
    if (lacks(p, end, 2)) return 0;
    addNum(F_GRP_CODE, le16(p));
    p += 2;
    if (lacks(p, end, 2)) return 0;
    addNum(F_USR_CODE, le16(p));
    p += 2;
  }
  // tshark decides whether the source end user has a name by the destination's format.
  const withName = isSource ? named != 0 : format != 0;
  if (withName) {
    if (lacks(p, end, 1)) return 0;
    const n = <u32>load<u8>(p);
    p++;
    if (lacks(p, end, n)) return 0;
    addAscii(nameField, p, n);
    p += n;
  }
  return p;
}

let destinationFormat: u32 = 0;

function connectContents(p: u32, end: u32): void {
  if (lacks(p, end, 1)) return;
  destinationFormat = <u32>load<u8>(p);
  p = endUser(p, end, 0, F_DST_NAME, false);
  if (p == 0) return;
  p = endUser(p, end, destinationFormat, F_SRC_NAME, true);
  if (p == 0) return;
  if (lacks(p, end, 1)) return;
  const menu = <u32>load<u8>(p);
  if (menu == 1 || menu == 3) {
    addConstantText(F_MENU_VER, 'Version 1.0: RQSTRID, PASSWRD and ACCOUNT fields included');
    p++;
    for (let i = 0; i < 3; i++) {
      if (lacks(p, end, 1)) return;
      const n = <u32>load<u8>(p);
      p++;
      if (lacks(p, end, n)) return;
      addAscii(F_RQSTR_ID, p, n);
      p += n;
    }
  } else if (menu == 2) {
    addConstantText(F_MENU_VER, 'Version 1.0: USRDATA field included');
  } else {
    addConstantText(F_MENU_VER, 'Session control version 1.0');
  }
}

function addConstantText(f: u32, s: string): void {
  const t = scratchBegin();
  puts(s);
  addBytes(f, t, scratchEnd(t));
}

registerEthertype(0x6003, dissectDecDna);
