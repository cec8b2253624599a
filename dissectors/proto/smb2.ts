// SMB2 (magic \xfeSMB) in an NBSS session message, as far as tshark 4.0's
// summary goes without the commands' bodies: the 64-byte header as fields,
// and each command of a chain as its name with Request or Response
// ('Negotiate Protocol Request'), ';' between them.  What the commands
// append (a file name, a tree, NTLMSSP's message), a response's error
// status and the transform and compression headers are left out: see
// docs/accuracy.md.
import { protocol, uint, Base } from '../fields';
import { beginLayer, addNum, setProtocolColumn, markReadPast, markTruncated } from '../packet';
import { has } from '../cursor';
import { infoSet, infoAppend, infoDone } from '../columns';
import { puts, putHexUpper } from '../text';

const PROTO_SMB2 = protocol('smb2', 'SMB2 (Server Message Block Protocol version 2)');
const F_HEADER_LEN = uint('smb2.header_len', 'Header Length', 16);
const F_CREDIT_CHARGE = uint('smb2.credit.charge', 'Credit Charge', 16);
const F_NT_STATUS = uint('smb2.nt_status', 'NT Status', 32, Base.HEX);
const F_CHANNEL_SEQUENCE = uint('smb2.channel_sequence', 'Channel Sequence', 16);
const F_CMD = uint('smb2.cmd', 'Command', 16);
const F_CREDITS_REQUESTED = uint('smb2.credits.requested', 'Credits requested', 16);
const F_CREDITS_GRANTED = uint('smb2.credits.granted', 'Credits granted', 16);
const F_FLAGS = uint('smb2.flags', 'Flags', 32, Base.HEX);
const F_CHAIN_OFFSET = uint('smb2.chain_offset', 'Chain Offset', 32, Base.HEX);
const F_MSG_ID = uint('smb2.msg_id', 'Message ID', 64);
const F_AID = uint('smb2.aid', 'Async Id', 64, Base.HEX);
const F_PID = uint('smb2.pid', 'Process Id', 32, Base.HEX);
const F_TID = uint('smb2.tid', 'Tree Id', 32, Base.HEX);
const F_SESID = uint('smb2.sesid', 'Session Id', 64, Base.HEX);

const HEADER: u32 = 64;
const FLAGS_RESPONSE: u32 = 0x1;
const FLAGS_ASYNC: u32 = 0x2;

/** The SMB2 messages at [start, end), each header read whole and the chain followed by its offsets. */
export function dissectSmb2(start: u32, end: u32, overStream: bool): void {
  setProtocolColumn('SMB2');
  infoSet(); infoDone();
  beginLayer(PROTO_SMB2);
  let p = start;
  let first = true;
  for (;;) {
    // The header's fields one by one, as tshark reads them; the info waits for the whole header.
    const flags = has(p, end, 20) ? load<u32>(p + 16) : 0;
    const response = (flags & FLAGS_RESPONSE) != 0;
    if (!headerFields(p, end, flags, response)) {
      if (overStream) markTruncated(); else markReadPast(end, end + 1);
      return;
    }
    const cmd = <u32>load<u16>(p + 12);
    const chainOffset = load<u32>(p + 20);
    infoAppend();
    if (!first) puts(';');
    putCommandName(cmd);
    puts((flags & FLAGS_RESPONSE) != 0 ? ' Response' : ' Request');
    infoDone();
    first = false;
    if (chainOffset == 0) return;
    p = chainOffset < end - p ? p + chainOffset : end;
  }
}

/** Adds the header's fields while they are there; whether all 64 bytes are. */
function headerFields(p: u32, end: u32, flags: u32, response: bool): bool {
  if (!has(p, end, 6)) return false;
  addNum(F_HEADER_LEN, load<u16>(p + 4));
  if (!has(p, end, 8)) return false;
  addNum(F_CREDIT_CHARGE, load<u16>(p + 6));
  if (!has(p, end, 12)) return false;
  if (response) addNum(F_NT_STATUS, load<u32>(p + 8));
  else addNum(F_CHANNEL_SEQUENCE, load<u16>(p + 8));
  if (!has(p, end, 14)) return false;
  addNum(F_CMD, load<u16>(p + 12));
  if (!has(p, end, 16)) return false;
  addNum(response ? F_CREDITS_GRANTED : F_CREDITS_REQUESTED, load<u16>(p + 14));
  if (!has(p, end, 20)) return false;
  addNum(F_FLAGS, flags);
  if (!has(p, end, 24)) return false;
  addNum(F_CHAIN_OFFSET, load<u32>(p + 20));
  if (!has(p, end, 32)) return false;
  addNum(F_MSG_ID, load<u64>(p + 24));
  if ((flags & FLAGS_ASYNC) != 0) {
    if (!has(p, end, 40)) return false;
    addNum(F_AID, load<u64>(p + 32));
  } else {
    if (!has(p, end, 36)) return false;
    addNum(F_PID, load<u32>(p + 32));
    if (!has(p, end, 40)) return false;
    addNum(F_TID, load<u32>(p + 36));
  }
  if (!has(p, end, 48)) return false;
  addNum(F_SESID, load<u64>(p + 40));
  return has(p, end, HEADER);
}

function putCommandName(cmd: u32): void {
  if (cmd < <u32>COMMANDS.length) puts(unchecked(COMMANDS[cmd]));
  else if (cmd <= 0xff) { puts('unknown-0x'); putHexUpper(cmd, 2); }
  else puts('Unknown');
}

// tshark's smb2_cmd_vals up to Break; from 0x13 to 0xff they read 'unknown-0xNN'.
const COMMANDS: StaticArray<string> = ['Negotiate Protocol', 'Session Setup', 'Session Logoff', 'Tree Connect',
  'Tree Disconnect', 'Create', 'Close', 'Flush', 'Read', 'Write', 'Lock', 'Ioctl', 'Cancel', 'KeepAlive', 'Find', 'Notify',
  'GetInfo', 'SetInfo', 'Break'];
