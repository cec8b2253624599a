// SMB Trans requests to a mailslot, as far as tshark 4.0 takes a browser
// announcement (smb.ts reads SMB's header first): the request's words and
// byte count, its \MAILSLOT\BROWSE or \MAILSLOT\LANMAN name, the
// mailslot's setup words, then the Microsoft browser protocol's command
// ('Request Announcement DJP95S0J', 'Host Announcement NAME, Workstation,
// Server, ...').  Other transactions stop at SMB's command name ('Trans
// Request'), see docs/accuracy.md.
import { protocol, uint, Base } from '../fields';
import { F_WCT, F_BCC } from './smb-fields';
import { beginLayer, beginItemLayer, addNum, setProtocolColumn, markReadPast } from '../packet';
import { has, u32le, clampEnd, lacks } from '../cursor';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putHexDigits, tableName } from '../text';
import { putAsciiBytes } from './ascii-text';

const PROTO_MAILSLOT = protocol('mailslot', 'SMB MailSlot Protocol');
const F_MAILSLOT_OPCODE = uint('mailslot.opcode', 'Opcode', 16);
const PROTO_BROWSER = protocol('browser', 'Microsoft Windows Browser Protocol');
const F_BROWSER_COMMAND = uint('browser.command', 'Command', 8, Base.HEX);

const SMB_HEADER: u32 = 32;
const HOST_NAME_LEN: u32 = 16;

const enum Mailslot { OTHER, BROWSE, LANMAN }

/**
 * A Trans request's mailslot, after SMB's header at `s` (tshark walks the
 * words whatever the word count says), then the browser protocol.
 */
export function dissectTransRequest(s: u32, end: u32): void {
  // The request's words, read whatever the word count says (tshark's order); a count of 8 takes another path,
  // and without words only the byte count is read here.
  let p = s + SMB_HEADER;
  if (lacks(p, end, 1)) return;
  const wc = <u32>load<u8>(p);
  addNum(F_WCT, wc);
  if (wc == 8) return;
  p += 1;
  if (wc == 0) {
    if (!lacks(p, end, 2)) addNum(F_BCC, load<u16>(p));
    return;
  }
  if (lacks(p, end, 28)) return;
  const pc = <u32>load<u16>(p + 18);
  const po = <u32>load<u16>(p + 20);
  const dc = <u32>load<u16>(p + 22);
  const od = <u32>load<u16>(p + 24);
  const sc = <u32>load<u8>(p + 26);
  p += 28;
  const setup = p;
  p += sc * 2;
  if (lacks(p, end, 2)) return;
  let bc = <u32>load<u16>(p);
  addNum(F_BCC, bc);
  p += 2;
  if (bc == 0) return;
  if ((load<u16>(s + 10) & 0x8000) != 0) return; // Unicode names are not read here.
  // The transaction name, NUL-terminated.
  const name = p;
  let nameEnd = p;
  while (nameEnd < end && load<u8>(nameEnd) != 0) nameEnd++;
  if (nameEnd >= end) { markReadPast(end, end + 1); return; }
  const nameLen = nameEnd + 1 - name;
  const slot = mailslotOf(name, nameLen - 1);
  p += nameLen;
  bc = bc >= nameLen ? bc - nameLen : (bc - nameLen) & 0xffff;
  const setupAndNameLen = p - setup;
  if (s + po > p) { const pad = s + po - p; const n = pad > bc ? bc : pad; p += n; bc -= n; }
  if (pc != 0) { if (bc < pc) return; p += pc; bc -= pc; }
  if (s + od > p) { const pad = s + od - p; const n = pad > bc ? bc : pad; p += n; bc -= n; }
  if (dc != 0 && bc < dc) return;
  // The data the mailslot gets: od bytes into the SMB message, dc long.
  const data = s + od;
  if (dc != 0 && data > end) { markReadPast(end, data); return; }
  if (slot == Mailslot.OTHER) return;
  setProtocolColumn('SMB Mailslot');
  infoSet(); infoDone();
  beginItemLayer(PROTO_MAILSLOT); // SMB calls the mailslot code as a function, not as a dissector
  if (sc != 0) {
    // Opcode, priority and class in the setup words; size and name after them.
    if (lacks(setup, end, 2)) return;
    const opcode = <u32>load<u16>(setup);
    infoSet();
    if (opcode == 1) puts('Write Mail Slot'); else { puts('Unknown opcode: 0x'); putHexDigits(opcode, 4); }
    infoDone();
    addNum(F_MAILSLOT_OPCODE, opcode);
    const setupEnd = clampEnd(setup, sc * 2, end);
    if (lacks(setup, setupEnd, 6)) return;
    const headerEnd = clampEnd(setup, setupAndNameLen, end);
    if (lacks(setup + 6, headerEnd, 2)) return;
  }
  if (dc == 0) return;
  const dataEnd = clampEnd(data, dc, end);
  if (slot == Mailslot.BROWSE) dissectBrowse(data, dataEnd);
  else dissectLanman(data, dataEnd);
}

/** Which mailslot "\MAILSLOT\..." names (BROWSE or LANMAN as a prefix of the rest). */
function mailslotOf(p: u32, n: u32): Mailslot {
  if (!startsWith(p, n, '\\MAILSLOT\\')) return Mailslot.OTHER;
  if (startsWith(p + 10, n - 10, 'BROWSE')) return Mailslot.BROWSE;
  if (startsWith(p + 10, n - 10, 'LANMAN')) return Mailslot.LANMAN;
  return Mailslot.OTHER;
}

function startsWith(p: u32, n: u32, s: string): bool {
  const m = <u32>s.length;
  if (n < m) return false;
  for (let i: u32 = 0; i < m; i++) if (<u32>load<u8>(p + i) != <u32>s.charCodeAt(i)) return false;
  return true;
}

function browserCommand(start: u32, end: u32): i32 {
  setProtocolColumn('BROWSER');
  infoSet(); infoDone();
  beginLayer(PROTO_BROWSER);
  if (lacks(start, end, 1)) return -1;
  const cmd = <u32>load<u8>(start);
  infoSet();
  const name = tableName(COMMANDS, cmd, '');
  if (name.length != 0) puts(name); else { puts('Unknown command:0x'); putHexDigits(cmd, 2); }
  infoDone();
  addNum(F_BROWSER_COMMAND, cmd);
  return <i32>cmd;
}

const HOST_ANNOUNCE: i32 = 1;
const REQUEST_ANNOUNCE: i32 = 2;
const ELECTION_REQUEST: i32 = 8;
const BACKUP_LIST_REQUEST: i32 = 9;
const BACKUP_LIST_RESPONSE: i32 = 10;
const BECOME_BACKUP: i32 = 11;
const DOMAIN_ANNOUNCEMENT: i32 = 12;
const MASTER_ANNOUNCEMENT: i32 = 13;
const RESET_STATE: i32 = 14;
const LOCAL_MASTER_ANNOUNCEMENT: i32 = 15;

function isAnnouncement(cmd: i32): bool {
  return cmd == HOST_ANNOUNCE || cmd == DOMAIN_ANNOUNCEMENT || cmd == LOCAL_MASTER_ANNOUNCEMENT;
}

/** The NUL-terminated string at p: its length with the NUL, or 0 after marking the packet when [p, end) has no NUL. */
function stringSize(p: u32, end: u32): u32 {
  let q = p;
  while (q < end && load<u8>(q) != 0) q++;
  if (q >= end) { markReadPast(end, end + 1); return 0; }
  return q + 1 - p;
}

function putServerTypes(flags: u32): void {
  for (let i: u32 = 0; i < 32; i++) {
    if ((flags & (1 << i)) == 0) continue;
    puts(', ');
    const name = tableName(SERVER_TYPES, i, '');
    if (name.length != 0) puts(name); else { puts('Unknown server type:'); putDec(i); }
  }
}

function dissectBrowse(start: u32, end: u32): void {
  const cmd = browserCommand(start, end);
  if (cmd < 0) return;
  if (isAnnouncement(cmd)) {
    if (lacks(start + 1, end, 5 + HOST_NAME_LEN)) return;
    const host = start + 6;
    let n: u32 = 0;
    while (n < HOST_NAME_LEN && load<u8>(host + n) != 0) n++;
    infoAppend(); putc(32); putAsciiBytes(host, n); infoDone();
    if (lacks(start + 22, end, 6)) return;
    infoAppend(); putServerTypes(u32le(start + 24, end)); infoDone();
    if (lacks(start + 28, end, 4)) return;
    stringSize(start + 32, end);
    return;
  }
  if (cmd == REQUEST_ANNOUNCE) {
    if (lacks(start + 1, end, 1)) return;
    const size = stringSize(start + 2, end);
    if (size == 0) return;
    infoAppend(); putc(32); putAsciiBytes(start + 2, size - 1); infoDone();
    return;
  }
  if (cmd == ELECTION_REQUEST) {
    if (lacks(start + 1, end, 9)) return;
    stringSize(start + 14, end);
    return;
  }
  if (cmd == BACKUP_LIST_REQUEST) { !lacks(start + 1, end, 5); return; }
  if (cmd == BACKUP_LIST_RESPONSE) {
    if (lacks(start + 1, end, 5)) return;
    const count = <u32>load<u8>(start + 1);
    let p = start + 6;
    for (let i: u32 = 0; i < count; i++) {
      const size = stringSize(p, end);
      if (size == 0) return;
      p += size;
    }
    return;
  }
  if (cmd == MASTER_ANNOUNCEMENT || cmd == BECOME_BACKUP) { stringSize(start + 1, end); return; }
  if (cmd == RESET_STATE) !lacks(start + 1, end, 1);
}

/** \MAILSLOT\LANMAN: an announcement's server types come before its host name. */
function dissectLanman(start: u32, end: u32): void {
  const cmd = browserCommand(start, end);
  if (cmd < 0 || !isAnnouncement(cmd)) return;
  if (lacks(start + 1, end, 5)) return;
  infoAppend(); putServerTypes(u32le(start + 2, end)); infoDone();
  if (lacks(start + 6, end, 4)) return;
  const size = stringSize(start + 10, end);
  if (size == 0) return;
  infoAppend(); putc(32); putAsciiBytes(start + 10, size - 1); infoDone();
  stringSize(start + 10 + size, end);
}

const COMMANDS: StaticArray<string> = ['', 'Host Announcement', 'Request Announcement', '', '', '', '', '',
  'Browser Election Request', 'Get Backup List Request', 'Get Backup List Response', 'Become Backup Browser',
  'Domain/Workgroup Announcement', 'Master Announcement', 'Reset Browser State Announcement', 'Local Master Announcement'];

const SERVER_TYPES: StaticArray<string> = ['Workstation', 'Server', 'SQL Server', 'Domain Controller', 'Backup Controller',
  'Time Source', 'Apple Server', 'Novell Server', 'Domain Member Server', 'Print Queue Server', 'Dialin Server',
  'Xenix Server', 'NT Workstation', 'Windows for Workgroups', '', 'NT Server', 'Potential Browser', 'Backup Browser',
  'Master Browser', 'Domain Master Browser', 'OSF', 'VMS', 'Windows 95 or above', 'DFS server', '', '', '', '', '', '',
  'Local List Only', 'Domain Enum'];
