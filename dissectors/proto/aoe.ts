// ATA over Ethernet (ethertype 0x88a2) as tshark 4.0 shows it: the command
// and direction ("Query Config Information Request"), an error's name in
// front, and for ATA commands the ATA opcode after "ATA:".  A response
// names the opcode only when the request with its tag was seen earlier
// between the same two stations (tshark's one-pass request tracking).
// Any version but 1 leaves the info column empty.
import { protocol, uint, flag, timeRel, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn } from '../packet';
import { registerEthertype } from '../dispatch';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putc, putDec, putHex, tableName } from '../text';
import { lacks, be16, be32 } from '../cursor';
import { rememberRequest, matchReply, matchedDelayNs, matchedDatum } from './echo-match';

const PROTO_AOE = protocol('aoe', 'ATAoverEthernet');
const F_VERSION = uint('aoe.version', 'Version', 8);
const F_RESPONSE = flag('aoe.response', 'Response flag');
const F_ERROR_FLAG = flag('aoe.flags_error', 'Error flag');
const F_ERROR = uint('aoe.error', 'Error', 8);
const F_MAJOR = uint('aoe.major', 'Major', 16, Base.HEX);
const F_MINOR = uint('aoe.minor', 'Minor', 8, Base.HEX);
const F_CMD = uint('aoe.cmd', 'Command', 8);
const F_TAG = uint('aoe.tag', 'Tag', 32, Base.HEX);
const F_RESPONSE_IN = uint('aoe.response_in', 'Response In');
const F_RESPONSE_TO = uint('aoe.response_to', 'Response To');
const F_TIME = timeRel('aoe.time', 'Time from request');
const F_AFLAG_E = flag('aoe.aflags.e', 'E');
const F_AFLAG_D = flag('aoe.aflags.d', 'D');
const F_AFLAG_A = flag('aoe.aflags.a', 'A');
const F_AFLAG_W = flag('aoe.aflags.w', 'W');
const F_ERR_FEATURE = uint('aoe.err_feature', 'Err/Feature', 8, Base.HEX);
const F_SECTOR_COUNT = uint('aoe.sector_count', 'Sector Count', 8);
const F_ATA_CMD = uint('aoe.ata.cmd', 'ATA Cmd', 8, Base.HEX);
const F_ATA_STATUS = uint('aoe.ata.status', 'ATA Status', 8, Base.HEX);
const F_LBA = uint('aoe.lba', 'Lba', 64, Base.HEX);

const FLAG_RESPONSE: u32 = 0x08;
const FLAG_ERROR: u32 = 0x04;
const AFLAG_E: u32 = 0x40;
const AFLAG_D: u32 = 0x10;
const AFLAG_A: u32 = 0x02;
const AFLAG_W: u32 = 0x01;
const CMD_ISSUE_ATA: u32 = 0;
/** Keeps AoE's requests apart from ICMP's in the shared request table. */
const MATCH_PROTOCOL: u32 = 0xa2;

function dissectAoe(start: u32, end: u32): void {
  setProtocolColumn('AoE');
  infoSet(); infoDone();
  beginLayer(PROTO_AOE);
  if (lacks(start, end, 1)) return;
  const first = <u32>load<u8>(start);
  addNum(F_VERSION, first >> 4);
  if (first >> 4 != 1) return;
  const response = (first & FLAG_RESPONSE) != 0;
  addNum(F_RESPONSE, first & FLAG_RESPONSE);
  addNum(F_ERROR_FLAG, first & FLAG_ERROR);
  if (first & FLAG_ERROR) {
    if (lacks(start + 1, end, 1)) return;
    const error = <u32>load<u8>(start + 1);
    addNum(F_ERROR, error);
    infoAppend();
    puts('Error:');
    const name = tableName(ERRORS, error, '');
    if (name.length) puts(name); else { puts('Unknown error<'); putDec(error); putc(62); }
    putc(32);
    infoDone();
  }
  if (lacks(start + 2, end, 2)) return;
  addNum(F_MAJOR, be16(start + 2));
  if (lacks(start + 4, end, 1)) return;
  addNum(F_MINOR, load<u8>(start + 4));
  if (lacks(start + 5, end, 1)) return;
  const cmd = <u32>load<u8>(start + 5);
  addNum(F_CMD, cmd);
  infoAppend();
  if (cmd < <u32>COMMANDS.length) puts(COMMANDS[cmd]); else { puts('Unknown command<'); putDec(cmd); putc(62); }
  puts(response ? ' Response' : ' Request');
  infoDone();
  if (lacks(start + 6, end, 4)) return;
  const tag = be32(start + 6);
  addNum(F_TAG, tag);
  if (cmd == CMD_ISSUE_ATA) dissectAta(start + 10, end, response, tag);
}

function dissectAta(p: u32, end: u32, response: bool, tag: u32): void {
  let requestFrame: u32 = 0;
  if (!response) {
    // tshark reads the opcode first to remember it with the request.
    if (lacks(p + 3, end, 1)) return;
    const reply = rememberRequest(MATCH_PROTOCOL, 0, tag, load<u8>(p + 3));
    if (reply != 0) addNum(F_RESPONSE_IN, reply);
  } else {
    requestFrame = matchReply(MATCH_PROTOCOL, 0, tag);
    if (requestFrame != 0) {
      addNum(F_RESPONSE_TO, requestFrame);
      addNum(F_TIME, <u64>matchedDelayNs());
    }
  }
  if (lacks(p, end, 1)) return;
  const aflags = <u32>load<u8>(p);
  addNum(F_AFLAG_E, aflags & AFLAG_E);
  if (aflags & AFLAG_E) addNum(F_AFLAG_D, aflags & AFLAG_D);
  if (aflags & AFLAG_W) addNum(F_AFLAG_A, aflags & AFLAG_A);
  addNum(F_AFLAG_W, aflags & AFLAG_W);
  if (lacks(p + 1, end, 1)) return;
  addNum(F_ERR_FEATURE, load<u8>(p + 1));
  if (lacks(p + 2, end, 1)) return;
  addNum(F_SECTOR_COUNT, load<u8>(p + 2));
  if (lacks(p + 3, end, 1)) return;
  if (!response) {
    const ataCmd = <u32>load<u8>(p + 3);
    addNum(F_ATA_CMD, ataCmd);
    putAtaCommand(ataCmd);
  } else {
    addNum(F_ATA_STATUS, load<u8>(p + 3));
    if (requestFrame != 0) {
      addNum(F_ATA_CMD, matchedDatum());
      putAtaCommand(matchedDatum());
    }
  }
  // The LBA's high word is read before its low one.
  if (lacks(p + 8, end, 2)) return;
  addNum(F_LBA, (<u64>load<u16>(p + 8) << 32) | <u64>load<u32>(p + 4));
}

function putAtaCommand(cmd: u32): void {
  infoAppend();
  puts(' ATA:');
  const name = ataCommandName(cmd);
  if (name.length) puts(name); else { puts(' Unknown ATA<'); putHex(cmd, 2); putc(62); }
  infoDone();
}

const COMMANDS: StaticArray<string> = ['Issue ATA Command', 'Query Config Information'];
const ERRORS: StaticArray<string> = ['', 'Unrecognized command code', 'Bad argument parameter',
  'Device unavailable', 'Config string present', 'Unsupported version'];

function ataCommandName(cmd: u32): string {
  switch (cmd) {
    case 0x00: return 'NOP';
    case 0x08: return 'Atapi soft reset';
    case 0x10: return 'Recalibrate';
    case 0x20: return 'Read sectors (with retry)';
    case 0x21: return 'Read sectors (no retry)';
    case 0x22: return 'Read long (with retry)';
    case 0x23: return 'Read long (no retry)';
    case 0x24: return 'Read ext';
    case 0x30: return 'Write sectors (with retry)';
    case 0x31: return 'Write sectors (no retry)';
    case 0x32: return 'Write long (with retry)';
    case 0x33: return 'Write long (no retry)';
    case 0x34: return 'Write ext';
    case 0x3c: return 'Write verify';
    case 0x40: return 'Read verify sectors (with retry)';
    case 0x41: return 'Read verify sectors (no retry)';
    case 0x50: return 'Format track';
    case 0x70: return 'Seek';
    case 0x90: return 'Execute device diagnostics';
    case 0x91: return 'Initialize device parameters';
    case 0x92: return 'Download microcode';
    case 0x94: return 'Standy immediate';
    case 0x95: return 'Idle immediate';
    case 0x96: return 'Standby';
    case 0x97: return 'Idle';
    case 0x98: return 'Check power mode';
    case 0x99: return 'Sleep';
    case 0xa0: return 'Atapi packet';
    case 0xa1: return 'Atapi identify device';
    case 0xa2: return 'Atapi service';
    case 0xb0: return 'Smart';
    case 0xc4: return 'Read multiple';
    case 0xc5: return 'Write multiple';
    case 0xc6: return 'Set multiple mode';
    case 0xc8: return 'Read dma (with retry)';
    case 0xc9: return 'Read dma (no retry)';
    case 0xca: return 'Write dma (with retry)';
    case 0xcb: return 'Write dma (no retry)';
    case 0xde: return 'Door lock';
    case 0xdf: return 'Door unlock';
    case 0xe0: return 'Standy immediate';
    case 0xe1: return 'Idle immediate';
    case 0xe2: return 'Standby';
    case 0xe3: return 'Idle';
    case 0xe4: return 'Read buffer';
    case 0xe5: return 'Check power mode';
    case 0xe6: return 'Sleep';
    case 0xe8: return 'Write buffer';
    case 0xec: return 'Identify Device';
    case 0xed: return 'Media eject';
    case 0xee: return 'Identify device dma';
    case 0xef: return 'Set features';
    case 0xf1: return 'Security set password';
    case 0xf2: return 'Security unlock';
    case 0xf3: return 'Security erase prepare';
    case 0xf4: return 'Security erase unit';
    case 0xf5: return 'Security freeze';
    case 0xf6: return 'Security disable password';
    default: return '';
  }
}

registerEthertype(0x88a2, dissectAoe);
