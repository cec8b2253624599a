// Precision Time Protocol version 2 (IEEE 1588-2008/2019) on UDP 319 (event)
// and 320 (general) and on its own ethertype: the common header of every
// message; the info column is the message type, as tshark's ("Sync Message",
// and "Management Message" where tshark names the management id and action).
// Version 1 messages are left to the carrier.
import { protocol, uint, sint, flag, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markTruncated, setDatagramEnd, reportedLength } from '../packet';
import { u8at, u16at, u32at, has } from '../cursor';
import { registerEthertype, registerUdpPortTry } from '../dispatch';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec, tableName } from '../text';

const PROTO_PTP = protocol('ptp', 'Precision Time Protocol (IEEE1588)');
const F_MAJOR_SDO = uint('ptp.v2.majorsdoid', 'majorSdoId', 8, Base.HEX);
const F_TYPE = uint('ptp.v2.messagetype', 'messageType', 8, Base.HEX);
const F_MINOR_VERSION = uint('ptp.v2.minorversionptp', 'minorVersionPTP', 8);
const F_VERSION = uint('ptp.v2.versionptp', 'versionPTP', 8);
const F_LENGTH = uint('ptp.v2.messagelength', 'messageLength', 16);
const F_DOMAIN = uint('ptp.v2.domainnumber', 'domainNumber', 8);
const F_MINOR_SDO = uint('ptp.v2.minorsdoid', 'minorSdoId', 8);
const F_FLAGS = uint('ptp.v2.flags', 'flags', 16, Base.HEX);
const F_TYPE_SPECIFIC = uint('ptp.v2.messagetypespecific', 'messageTypeSpecific', 32);
const F_CORRECTION_NS = uint('ptp.v2.correction.ns', 'correctionNs', 64);
const F_CLOCK_IDENTITY = uint('ptp.v2.clockidentity', 'ClockIdentity', 64, Base.HEX);
const F_SOURCE_PORT = uint('ptp.v2.sourceportid', 'SourcePortID', 16);
const F_SEQUENCE = uint('ptp.v2.sequenceid', 'sequenceId', 16);
const F_CONTROL = uint('ptp.v2.controlfield', 'controlField', 8);
const F_LOG_PERIOD = sint('ptp.v2.logmessageperiod', 'logMessagePeriod');

// The flag bits as tshark lists them, first octet then second: each field and its mask in the 16-bit word.
const FLAG_FIELDS: StaticArray<u32> = [
  flag('ptp.v2.flags.security', 'PTP_SECURITY'),
  flag('ptp.v2.flags.specific2', 'PTP profile Specific 2'),
  flag('ptp.v2.flags.specific1', 'PTP profile Specific 1'),
  flag('ptp.v2.flags.unicast', 'PTP_UNICAST'),
  flag('ptp.v2.flags.twostep', 'PTP_TWO_STEP'),
  flag('ptp.v2.flags.alternatemaster', 'PTP_ALTERNATE_MASTER'),
  flag('ptp.v2.flags.synchronizationUncertain', 'SYNCHRONIZATION_UNCERTAIN'),
  flag('ptp.v2.flags.frequencytraceable', 'FREQUENCY_TRACEABLE'),
  flag('ptp.v2.flags.timetraceable', 'TIME_TRACEABLE'),
  flag('ptp.v2.flags.timescale', 'PTP_TIMESCALE'),
  flag('ptp.v2.flags.utcreasonable', 'PTP_UTC_REASONABLE'),
  flag('ptp.v2.flags.li59', 'PTP_LI_59'),
  flag('ptp.v2.flags.li61', 'PTP_LI_61'),
];
const FLAG_MASKS: StaticArray<u32> = [0x8000, 0x4000, 0x2000, 0x400, 0x200, 0x100, 0x40, 0x20, 0x10, 0x8, 0x4, 0x2, 0x1];

const EVENT_PORT: u32 = 319;
const GENERAL_PORT: u32 = 320;
const ETHERTYPE_PTP: u32 = 0x88f7;
const VERSION_2: u32 = 2;
const HEADER_LEN: u32 = 34;

// Message types 0-15, as tshark names them.
const TYPE_NAMES: StaticArray<string> = [
  'Sync Message', 'Delay_Req Message', 'Peer_Delay_Req Message', 'Peer_Delay_Resp Message', '', '', '', '',
  'Follow_Up Message', 'Delay_Resp Message', 'Peer_Delay_Resp_Follow_Up Message', 'Announce Message',
  'Signalling Message', 'Management Message', '', '',
];

const MANAGEMENT: u32 = 13;
const TLV_MANAGEMENT: u32 = 1;
const TLV_MANAGEMENT_ERROR: u32 = 2;
// tshark reads these before it names the message: the flags (offset 6), and
// for a management message its action (46), TLV type (48) and id (52).
const NAMED_AFTER: u32 = 8;
const MANAGEMENT_NAMED_AFTER: u32 = 54;

// Management ids, as tshark's info column names them, in their four ranges.
const MANAGEMENT_IDS: StaticArray<string> = [
  'Null management', 'Clock description', 'User description', 'Save in non volatile storage',
  'Reset non volatile storage', 'Initialize', 'Fault log', 'Fault log reset',
];
const MANAGEMENT_IDS_0X2000: StaticArray<string> = [
  'Default dataset', 'Current dataset', 'Parent dataset', 'Time properties dataset', 'Port dataset', 'Priority 1',
  'Priority 2', 'Domain', 'Slave only', 'Log announce interval', 'Announce receipt timeout', 'Log sync interval',
  'Version number', 'Enable port', 'Disable port', 'Time', 'Clock accuracy', 'UTC properties', 'Traceability properties',
  'Timescale properties', 'Unicast negotiation enable', 'Path trace list', 'Path trace enable',
  'Grandmaster cluster table', 'Unicast master table', 'Unicast master max table size', 'Acceptable master table',
  'Acceptable master table enabled', 'Acceptable master max table size', 'Alternate master',
  'Alternate time offset enable', 'Alternate time offset name', 'Alternate time offset max key',
  'Alternate time offset properties',
];
const MANAGEMENT_IDS_0X4000: StaticArray<string> = ['Transparent clock default dataset', 'Transparent clock port dataset', 'Primary domain'];
const MANAGEMENT_IDS_0X6000: StaticArray<string> = ['Delay mechanism', 'Log min pdelay req. interval'];
const ACTIONS: StaticArray<string> = ['GET', 'SET', 'RESPONSE', 'COMMAND', 'ACKNOWLEDGE'];
const ERROR_IDS: StaticArray<string> = [
  'Reserved', 'RESPONSE_TOO_BIG', 'NO_SUCH_ID', 'WRONG_LENGTH', 'WRONG_VALUE', 'NOT_SETABLE', 'NOT_SUPPORTED', 'Reserved',
];

function managementIdName(id: u32): string {
  const range = id & 0xff00;
  const table = range == 0 ? MANAGEMENT_IDS : range == 0x2000 ? MANAGEMENT_IDS_0X2000
    : range == 0x4000 ? MANAGEMENT_IDS_0X4000 : range == 0x6000 ? MANAGEMENT_IDS_0X6000 : null;
  return table === null ? '' : tableName(table, id & 0xff, '');
}

function errorIdName(id: u32): string {
  return id == 0xfffe ? 'GENERAL_ERROR' : id == 0xffff ? 'Reserved' : tableName(ERROR_IDS, id, '');
}

/** The info column of a management message of at least MANAGEMENT_NAMED_AFTER bytes. */
function writeManagementInfo(start: u32, end: u32): void {
  const tlv = u16at(start + 48, end);
  const id = u16at(start + 52, end);
  infoSet();
  if (tlv == TLV_MANAGEMENT) {
    puts('Management (');
    const name = managementIdName(id);
    if (name.length != 0) puts(name); else { puts('Unknown management Id '); putDec(id); }
    puts(') ');
    const action = u8at(start + 46, end) & 0xf;
    const actionName = tableName(ACTIONS, action, '');
    if (actionName.length != 0) puts(actionName); else { puts('Unknown Action '); putDec(action); }
  } else if (tlv == TLV_MANAGEMENT_ERROR) {
    puts('Management Error Message (');
    const name = errorIdName(id);
    if (name.length != 0) puts(name); else { puts('Unknown Error Id '); putDec(id); }
    putc(41);
  } else {
    puts(unchecked(TYPE_NAMES[MANAGEMENT]));
  }
  infoDone();
}

function dissectPtp(start: u32, end: u32): bool {
  if (!has(start, end, 2) || (u8at(start + 1, end) & 0xf) != VERSION_2) return false;
  const first = u8at(start, end);
  const type = first & 0xf;
  setProtocolColumn('PTPv2');
  beginLayer(PROTO_PTP);
  // Shorter than what tshark reads before naming the message: its read fails
  // before the info column or any field is set.
  if (!has(start, end, type == MANAGEMENT ? MANAGEMENT_NAMED_AFTER : NAMED_AFTER)) { markTruncated(); return true; }
  if (type == MANAGEMENT) writeManagementInfo(start, end);
  else { infoSet(); puts(tableName(TYPE_NAMES, type, 'Reserved')); infoDone(); }
  addNum(F_MAJOR_SDO, first >> 4);
  addNum(F_TYPE, type);
  const second = u8at(start + 1, end);
  addNum(F_MINOR_VERSION, second >> 4);
  addNum(F_VERSION, second & 0xf);
  // tshark reads the rest only while building a tree, so a message cut short is malformed in its fields
  // (-T fields, -V) but not in its summary line; this follows the summary line: the fields that fit, no mark.
  const length = u16at(start + 2, end);
  addNum(F_LENGTH, length);
  // tshark's PTP returns the message length: what follows in an Ethernet frame is its trailer.
  if (length < reportedLength(start, end)) setDatagramEnd(start, start + length);
  addNum(F_DOMAIN, u8at(start + 4, end));
  addNum(F_MINOR_SDO, u8at(start + 5, end));
  const flags = u16at(start + 6, end);
  addNum(F_FLAGS, flags);
  for (let i = 0; i < FLAG_FIELDS.length; i++) addNum(unchecked(FLAG_FIELDS[i]), (flags & unchecked(FLAG_MASKS[i])) != 0 ? 1 : 0);
  if (!has(start, end, 16)) return true;
  addNum(F_CORRECTION_NS, ((<u64>u32at(start + 8, end) << 32) | <u64>u32at(start + 12, end)) >> 16);
  if (!has(start, end, 20)) return true;
  addNum(F_TYPE_SPECIFIC, u32at(start + 16, end));
  if (!has(start, end, 28)) return true;
  addNum(F_CLOCK_IDENTITY, (<u64>u32at(start + 20, end) << 32) | <u64>u32at(start + 24, end));
  if (!has(start, end, HEADER_LEN)) return true;
  addNum(F_SOURCE_PORT, u16at(start + 28, end));
  addNum(F_SEQUENCE, u16at(start + 30, end));
  addNum(F_CONTROL, u8at(start + 32, end));
  addNum(F_LOG_PERIOD, <u64><i64><i8>u8at(start + 33, end));
  return true;
}

registerUdpPortTry(EVENT_PORT, dissectPtp);
registerUdpPortTry(GENERAL_PORT, dissectPtp);
registerEthertype(ETHERTYPE_PTP, (start: u32, end: u32): void => { dissectPtp(start, end); });
