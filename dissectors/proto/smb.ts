// SMB (version 1), as tshark 4.0 shows it over NetBIOS (NBSS on TCP 139 and
// 445, NBDS datagrams, NBIPX): the 32-byte header as fields, the command's
// name with Request or Response in the info column, and of the commands only
// Trans (its mailslot, in smb-browse.ts) and Trans2: the subcommand
// ('Trans2 Request, QUERY_FS_INFO'), the information level of QUERY_FS_INFO,
// QUERY_FILE_INFO and SET_FILE_INFO with their FID, and a response's
// subcommand taken from its request (matched by PID and MID as tshark's
// conversation table does), else '<unknown>'.  What other commands append to
// the info column, and the error a response carries, are left out: see
// docs/accuracy.md.
import { beginLayer, addNum, setProtocolColumn, markReadPast, markTruncated, truncatedToUnreassembled } from '../packet';
import { has } from '../cursor';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putHexDigits, tableName } from '../text';
import { dissectData } from './frame';
import { dissectTransRequest } from './smb-browse';
import { dissectSmb2 } from './smb2';
import { PROTO_SMB, F_CMD, F_NT_STATUS, F_ERROR_CLASS, F_ERROR_CODE, F_FLAGS, F_FLAGS2, F_PID_HIGH, F_TID, F_PID, F_UID, F_MID,
  F_WCT, F_BCC, F_TRANS2_CMD, F_QFSI_LOI, F_QPI_LOI, F_FID } from './smb-fields';
import { rememberRequest, matchReply, matchedDatum } from './echo-match';

const SMB_HEADER: u32 = 32;
const COM_TRANSACTION: u32 = 0x25;
const COM_TRANSACTION2: u32 = 0x32;
const FLAGS_RESPONSE: u32 = 0x80;
const FLAGS2_NT_ERROR: u32 = 0x4000;
const MATCH_PROTOCOL: u32 = 0x53;
// What a request leaves for its response (the matching datum): the command,
// the Trans2 subcommand (NO_SUBCMD: none was read) and the information level.
const NO_SUBCMD: u32 = 0xff;
const NO_LEVEL: u32 = 0xffff;
const QUERY_FS_INFO: u32 = 3;
const QUERY_PATH_INFO: u32 = 5;
const QUERY_FILE_INFO: u32 = 7;
const SET_FILE_INFO: u32 = 8;

// Over TCP a read past the message is tshark's unreassembled error; in a datagram it is malformed.
let overStream = false;
// The transport conversation's ports, part of the request/response matching key.
let portKey: u32 = 0;

/** Whether [p, p + n) of [.., end) is there, marking the packet as tshark would otherwise. */
function readable(p: u32, end: u32, n: u32): bool {
  if (has(p, end, n)) return true;
  if (overStream) markTruncated(); else markReadPast(end, p + n);
  return false;
}

/** A read tshark makes while it takes the transaction for a fragment of a larger one: unreassembled, wherever it fails. */
function fragmentReadFails(): void {
  markTruncated();
  truncatedToUnreassembled();
}

/**
 * NetBIOS's payload: SMB or SMB2 when it starts with their magic (tshark's
 * heuristics for them), else data.  `stream` says it came in a TCP segment,
 * `ports` identifies the transport conversation.
 */
export function dissectNetbiosPayload(start: u32, end: u32, stream: bool = false, ports: u32 = 0): void {
  const magic = has(start, end, 4) ? load<u32>(start) : 0;
  if (magic == 0x424d53ff) {
    overStream = stream;
    portKey = ports & 0xffffff;
    dissectSmb(start, end);
    overStream = false;
  } else if (magic == 0x424d53fe) {
    dissectSmb2(start, end, stream);
  } else if (start < end) dissectData(start, end);
}

function dissectSmb(s: u32, end: u32): void {
  setProtocolColumn('SMB');
  infoSet(); infoDone();
  beginLayer(PROTO_SMB);
  if (!readable(s, end, SMB_HEADER)) return;
  const cmd = <u32>load<u8>(s + 4);
  const flags = <u32>load<u8>(s + 9);
  const flags2 = <u32>load<u16>(s + 10);
  const request = (flags & FLAGS_RESPONSE) == 0;
  const pid = <u32>load<u16>(s + 26);
  const mid = <u32>load<u16>(s + 30);
  infoSet();
  const cmdName = tableName(SMB_COMMANDS, cmd, '');
  if (cmdName.length != 0) puts(cmdName); else { puts('Unknown (0x'); putHexDigits(cmd, 2); putc(41); }
  puts(request ? ' Request' : ' Response');
  infoDone();
  addNum(F_CMD, cmd);
  if (flags2 & FLAGS2_NT_ERROR) addNum(F_NT_STATUS, load<u32>(s + 5));
  else { addNum(F_ERROR_CLASS, load<u8>(s + 5)); addNum(F_ERROR_CODE, load<u16>(s + 7)); }
  addNum(F_FLAGS, flags);
  addNum(F_FLAGS2, flags2);
  addNum(F_PID_HIGH, load<u16>(s + 12));
  addNum(F_TID, load<u16>(s + 24));
  addNum(F_PID, pid);
  addNum(F_UID, load<u16>(s + 28));
  addNum(F_MID, mid);
  const key = (pid << 16) | mid;
  let requestDatum: u32 = 0;
  let matched = false;
  if (request) {
    rememberRequest(MATCH_PROTOCOL, portKey, key, cmd | (NO_SUBCMD << 8) | (NO_LEVEL << 16));
  } else if (matchReply(MATCH_PROTOCOL, portKey, key) != 0 && (matchedDatum() & 0xff) == cmd) {
    matched = true;
    requestDatum = matchedDatum();
  }
  if (cmd == COM_TRANSACTION2) {
    if (request) trans2Request(s, end, key);
    else trans2Response(s, end, matched, requestDatum);
  } else if (cmd == COM_TRANSACTION && request) {
    dissectTransRequest(s, end);
  } else {
    wordAndByteCounts(s, end);
  }
}

/**
 * The word and byte counts of a command not walked here.  Its words are
 * taken to be as many as it says (tshark reads each command's own words),
 * so a byte count that is not there is left unread.
 */
function wordAndByteCounts(s: u32, end: u32): void {
  const p = s + SMB_HEADER;
  if (!readable(p, end, 1)) return;
  const wc = <u32>load<u8>(p);
  addNum(F_WCT, wc);
  const bcAt = p + 1 + 2 * wc;
  if (wc == 0 ? readable(bcAt, end, 2) : has(bcAt, end, 2)) addNum(F_BCC, load<u16>(bcAt));
}

/** The subcommand's name as tshark's table has it, `missing` when it has none. */
function putSubcommand(subcmd: u32, missing: string): void {
  const name = tableName(TRANS2_COMMANDS, subcmd, '');
  if (name.length != 0) { puts(name); return; }
  puts(missing); putHexDigits(subcmd, 2); puts(missing.charCodeAt(0) == 60 ? ')>' : ')');
}

function trans2Request(s: u32, end: u32, key: u32): void {
  let p = s + SMB_HEADER;
  if (!readable(p, end, 1)) return;
  const wc = <u32>load<u8>(p);
  addNum(F_WCT, wc);
  p += 1;
  let pc: u32 = 0, po: u32 = 0, dc: u32 = 0, od: u32 = 0;
  let subcmd: u32 = NO_SUBCMD;
  if (wc != 0) {
    // A secondary request (8 words) takes another path, not walked here.
    if (wc == 8) return;
    if (!readable(p, end, 28)) return;
    pc = <u32>load<u16>(p + 18);
    po = <u32>load<u16>(p + 20);
    dc = <u32>load<u16>(p + 22);
    od = <u32>load<u16>(p + 24);
    const sc = <u32>load<u8>(p + 26);
    p += 28;
    if (sc != 0) {
      if (!readable(p, end, 2)) return;
      const word = <u32>load<u16>(p);
      addNum(F_TRANS2_CMD, word);
      infoAppend(); puts(', '); putSubcommand(word, 'Unknown (0x'); infoDone();
      subcmd = word < NO_SUBCMD ? word : NO_SUBCMD;
      rememberRequest(MATCH_PROTOCOL, portKey, key, COM_TRANSACTION2 | (subcmd << 8) | (NO_LEVEL << 16));
      p += sc * 2;
    }
  }
  if (!readable(p, end, 2)) return;
  let bc = <u32>load<u16>(p);
  addNum(F_BCC, bc);
  p += 2;
  if (bc == 0 || pc == 0) return;
  if (s + po > p) { const pad = min(s + po - p, bc); p += pad; bc -= pad; }
  if (bc < pc) return;
  const level = trans2RequestParameters(p, end, pc, subcmd);
  if (level != NO_LEVEL) rememberRequest(MATCH_PROTOCOL, portKey, key, COM_TRANSACTION2 | (subcmd << 8) | (level << 16));
}

/**
 * A Trans2 request's parameters at p, `count` bytes as the request says
 * (a walk stops silently where they end): what tshark shows of the three
 * subcommands read here.  Returns the information level read, or NO_LEVEL.
 */
function trans2RequestParameters(p: u32, end: u32, count: u32, subcmd: u32): u32 {
  if (subcmd == QUERY_FS_INFO) {
    if (count < 2 || !readable(p, end, 2)) return NO_LEVEL;
    const level = <u32>load<u16>(p);
    addNum(F_QFSI_LOI, level);
    infoAppend(); puts(', '); putLevel(QFSI_LEVELS, QFSI_NAMES, level, true); infoDone();
    return level;
  }
  if (subcmd == QUERY_PATH_INFO) {
    if (count < 2 || !readable(p, end, 2)) return NO_LEVEL;
    const level = <u32>load<u16>(p);
    addNum(F_QPI_LOI, level);
    infoAppend(); puts(', '); putLevel(QPI_LEVELS, QPI_NAMES, level, false); infoDone();
    return level;
  }
  if (subcmd != QUERY_FILE_INFO && subcmd != SET_FILE_INFO) return NO_LEVEL;
  if (count < 2 || !readable(p, end, 2)) return NO_LEVEL;
  const fid = <u32>load<u16>(p);
  addNum(F_FID, fid);
  infoAppend(); puts(', FID: 0x'); putHexDigits(fid, 4); infoDone();
  if (count < 4 || !readable(p + 2, end, 2)) return NO_LEVEL;
  const level = <u32>load<u16>(p + 2);
  if (subcmd == QUERY_FILE_INFO) {
    addNum(F_QPI_LOI, level);
    infoAppend(); puts(', '); putLevel(QPI_LEVELS, QPI_NAMES, level, false); infoDone();
  }
  return level;
}

function putLevel(levels: StaticArray<u16>, names: StaticArray<string>, level: u32, hex: bool): void {
  for (let i = 0; i < levels.length; i++) {
    if (<u32>unchecked(levels[i]) == level) { puts(unchecked(names[i])); return; }
  }
  if (hex) { puts('Unknown (0x'); putHexDigits(level, 2); putc(41); }
  else { puts('Unknown ('); putDec(level); putc(41); }
}

function trans2Response(s: u32, end: u32, matched: bool, datum: u32): void {
  const subcmd = (datum >> 8) & 0xff;
  const level = datum >> 16;
  if (!matched || subcmd == NO_SUBCMD) {
    addNum(F_TRANS2_CMD, 0xffff);
    infoAppend(); puts('<unknown>'); infoDone();
  } else {
    addNum(F_TRANS2_CMD, subcmd);
    if (subcmd == QUERY_FILE_INFO || subcmd == QUERY_PATH_INFO) addNum(F_QPI_LOI, level);
    else if (subcmd == QUERY_FS_INFO) addNum(F_QFSI_LOI, level);
    infoAppend(); puts(', '); putSubcommand(subcmd, '<unknown (0x'); infoDone();
  }
  let p = s + SMB_HEADER;
  if (!readable(p, end, 1)) return;
  const wc = <u32>load<u8>(p);
  addNum(F_WCT, wc);
  p += 1;
  let tp: u32 = 0, td: u32 = 0, pc: u32 = 0, po: u32 = 0, pd: u32 = 0, dc: u32 = 0, od: u32 = 0, dd: u32 = 0;
  if (wc != 0) {
    if (!readable(p, end, 20)) return;
    tp = <u32>load<u16>(p);
    td = <u32>load<u16>(p + 2);
    pc = <u32>load<u16>(p + 6);
    po = <u32>load<u16>(p + 8);
    pd = <u32>load<u16>(p + 10);
    dc = <u32>load<u16>(p + 12);
    od = <u32>load<u16>(p + 14);
    dd = <u32>load<u16>(p + 16);
    p += 20 + 2 * <u32>load<u8>(p + 18);
  }
  if (!readable(p, end, 2)) return;
  let bc = <u32>load<u16>(p);
  addNum(F_BCC, bc);
  p += 2;
  if (bc == 0) return;
  // A part of a larger transaction (its counts short of the totals) goes to
  // reassembly, which refuses a part that reaches past the total.
  const captured = end - s;
  if (td != dc || tp != pc) {
    const total = td + tp;
    if (pc != 0 && captured >= po && captured - po >= pc && pd + pc > total) { fragmentReadFails(); return; }
    if (dc != 0 && captured >= od && captured - od >= dc && dd + tp + dc > total) { fragmentReadFails(); return; }
  }
  // Without reassembly the first part's parameters and data are read where they are.
  const firstPart = pd == 0 && dd == 0;
  const hasParameters = firstPart && pc != 0 && po < captured;
  const hasData = firstPart && dc != 0 && od < captured;
  // tshark shows the parameters and the data whole, whether or not it knows the subcommand.
  if (s + po > p) { const pad = min(s + po - p, bc); p += pad; bc -= pad; }
  if (hasParameters && !readable(s + po, end, pc)) return;
  p += pc;
  bc = (bc - pc) & 0xffff;
  if (s + od > p) { const pad = min(s + od - p, bc); p += pad; bc -= pad; }
  if (hasData && !readable(s + od, end, dc)) return;
  const counted = min(dc, bc);
  p += counted;
  bc -= counted;
  if (!hasParameters && !hasData) { infoAppend(); puts('[transact continuation]'); infoDone(); }
  if (bc != 0 && p <= end && !has(p, end, bc)) readable(p, end, bc);
}

// SMB command names, indexed by command (tshark's smb_cmd_vals).
const SMB_COMMANDS: StaticArray<string> = [
  'Create Directory', 'Delete Directory', 'Open', 'Create', 'Close', 'Flush', 'Delete', 'Rename',
  'Query Information', 'Set Information', 'Read', 'Write', 'Lock Byte Range', 'Unlock Byte Range', 'Create Temp',
  'Create New', 'Check Directory', 'Process Exit', 'Seek', 'Lock And Read', 'Write And Unlock', 'unknown-0x15',
  'unknown-0x16', 'unknown-0x17', 'unknown-0x18', 'unknown-0x19', 'Read Raw', 'Read MPX', 'Read MPX Secondary',
  'Write Raw', 'Write MPX', 'Write MPX Secondary', 'Write Complete', 'Query Server (reserved)', 'Set Information2',
  'Query Information2', 'Locking AndX', 'Trans', 'Trans Secondary', 'IOCTL', 'IOCTL Secondary', 'Copy', 'Move',
  'Echo', 'Write And Close', 'Open AndX', 'Read AndX', 'Write AndX', 'New File Size (reserved)',
  'Close And Tree Disconnect', 'Trans2', 'Trans2 Secondary', 'Find Close2', 'Find Notify Close', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 'Tree Connect',
  'Tree Disconnect', 'Negotiate Protocol', 'Session Setup AndX', 'Logoff AndX', 'Tree Connect AndX', '', '', '', '',
  '', '', '', '', '', '', 'Query Information Disk', 'Search', 'Find', 'Find Unique', 'Find Close', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 'NT Trans',
  'NT Trans Secondary', 'NT Create AndX', 'unknown-0xA3', 'NT Cancel', 'NT Rename', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 'Open Print File', 'Write Print File',
  'Close Print File', 'Get Print Queue', '', '', '', '', '', '', '', '', '', '', '', '', 'Send Single Block Message',
  'Send Broadcast Message', 'Forward User Name', 'Cancel Forward', 'Get Machine Name',
  'Send Start of Multi-block Message', 'Send End of Multi-block Message', 'Send Text of Multi-block Message',
  'SMBreadbulk', 'SMBwritebulk', 'SMBwritebulkdata', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '',
  '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 'SMBinvalid'];


// Trans2 subcommand names, indexed by subcommand (tshark's trans2_cmd_vals).
const TRANS2_COMMANDS: StaticArray<string> = ['OPEN2', 'FIND_FIRST2', 'FIND_NEXT2', 'QUERY_FS_INFO', 'SET_FS_INFO', 'QUERY_PATH_INFO', 'SET_PATH_INFO', 'QUERY_FILE_INFO', 'SET_FILE_INFO', 'FSCTL', 'IOCTL2', 'FIND_NOTIFY_FIRST', 'FIND_NOTIFY_NEXT', 'CREATE_DIRECTORY', 'SESSION_SETUP', 'Unknown (0x0f)', 'GET_DFS_REFERRAL', 'REPORT_DFS_INCONSISTENCY'];
// Information levels of QUERY_FS_INFO (tshark's qfsi_vals).
const QFSI_LEVELS: StaticArray<u16> = [1, 2, 257, 258, 259, 260, 261, 512, 514, 769, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008];
const QFSI_NAMES: StaticArray<string> = [
  'Info Allocation', 'Info Volume', 'Query FS Label Info', 'Query FS Volume Info', 'Query FS Size Info',
  'Query FS Device Info', 'Query FS Attribute Info', 'Unix Query FS Info', 'Unix Query POSIX whoami',
  'Mac Query FS Info', 'Query FS Label Info', 'Query FS Volume Info', 'Query FS Size Info', 'Query FS Device Info',
  'Query FS Attribute Info', 'Query FS Quota Info', 'Query Full FS Size Info', 'Object ID Information'
];
// Information levels of QUERY_FILE_INFO and QUERY_PATH_INFO (tshark's qpi_loi_vals).
const QPI_LEVELS: StaticArray<u16> = [1, 2, 3, 4, 6, 257, 258, 259, 260, 263, 264, 265, 267, 512, 513, 514, 516, 517, 518, 519, 520, 523, 1004, 1005, 1006, 1007, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019, 1020, 1021, 1022, 1023, 1024, 1025, 1026, 1027, 1028, 1029, 1030, 1031, 1032, 1033, 1034, 1035, 1036, 1037];
const QPI_NAMES: StaticArray<string> = [
  'Info Standard', 'Info Query EA Size', 'Info Query EAs From List', 'Info Query All EAs', 'Info Is Name Valid',
  'Query File Basic Info', 'Query File Standard Info', 'Query File EA Info', 'Query File Name Info',
  'Query File All Info', 'Query File Alt Name Info', 'Query File Stream Info', 'Query File Compression Info',
  'Query File Unix Basic', 'Query File Unix Link', 'Query File Unix Hardlink', 'Query File Posix ACL',
  'Query File Posix XATTR', 'Query File Posix Attr Flags', 'Query File Posix Permissions', 'Query File Posix Lock',
  'Query File Unix Info2', 'Query File Basic Info', 'Query File Standard Info', 'Query File Internal Info',
  'Query File EA Info', 'Query File Name Info', 'Query File Rename Info', 'Query File Link Info',
  'Query File Names Info', 'Query File Disposition Info', 'Query File Position Info', 'Query File Full EA Info',
  'Query File Mode Info', 'Query File Alignment Info', 'Query File All Info', 'Query File Allocation Info',
  'Query File End of File Info', 'Query File Alt Name Info', 'Query File Stream Info', 'Query File Pipe Info',
  'Query File Pipe Local Info', 'Query File Pipe Remote Info', 'Query File Mailslot Query Info',
  'Query File Mailslot Set Info', 'Query File Compression Info', 'Query File ObjectID Info',
  'Query File Completion Info', 'Query File Move Cluster Info', 'Query File Quota Info',
  'Query File Reparsepoint Info', 'Query File Network Open Info', 'Query File Attribute Tag Info',
  'Query File Tracking Info', 'Query File Maximum Info'
];
