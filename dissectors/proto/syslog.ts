// Syslog (RFC 3164, RFC 5424) on UDP 514, as tshark 4.0 shows it: the
// priority's facility and level by name and the message as text
// ("USER.NOTICE: ..."), or the text alone without a priority.  The
// priority is '<', up to three digits and a '>' that only counts right after
// them; a packet that ends inside it, or right after it, is malformed.
// tshark's hand-off of LOCAL0.DEBUG messages holding "msu=" to MTP3 is not done.
import { protocol, uint, str, Base } from '../fields';
import { beginLayer, addNum, addBytes, setProtocolColumn, wanted } from '../packet';
import { registerUdpPort } from '../dispatch';
import { infoSet, infoDone, scratchBegin, scratchEnd } from '../columns';
import { puts, putc, tableName } from '../text';
import { putFormatText } from '../format-text';
import { utf8SequenceLength } from '../escape';
import { has, lacks } from '../cursor';

const PROTO_SYSLOG = protocol('syslog', 'Syslog message');
const F_FACILITY = uint('syslog.facility', 'Facility', 8);
const F_LEVEL = uint('syslog.level', 'Level', 8);
const F_MSG = str('syslog.msg', 'Message', Base.FINAL_TEXT);

const LT: u32 = 0x3c;
const GT: u32 = 0x3e;

function dissectSyslog(start: u32, end: u32): void {
  setProtocolColumn('Syslog');
  infoSet(); infoDone();
  beginLayer(PROTO_SYSLOG);
  let msg = start;
  let pri: i32 = -1;
  if (has(start, end, 1) && load<u8>(start) == LT) {
    let p = start + 1;
    let value: u32 = 0;
    while (p < end && p - start <= 3 && load<u8>(p) >= 48 && load<u8>(p) <= 57) { value = value * 10 + <u32>load<u8>(p) - 48; p++; }
    // tshark looks for the '>' after the digits, and at a message after it: a packet that ends first is malformed.
    if (lacks(p, end, 1)) return;
    if (load<u8>(p) == GT) p++;
    if (lacks(p, end, 1)) return;
    pri = <i32>value;
    msg = p;
  }
  infoSet();
  if (pri >= 0) {
    const facility = (<u32>pri & 0x3f8) >> 3;
    puts(tableName(FACILITIES, facility, 'UNKNOWN')); putc(46); puts(unchecked(LEVELS[<u32>pri & 7])); puts(': ');
    addNum(F_FACILITY, facility);
    addNum(F_LEVEL, <u32>pri & 7);
  }
  putFormatText(msg, end - msg);
  infoDone();
  addMessage(msg, end - msg);
}

/** The message as a string field: up to its first NUL, broken UTF-8 as U+FFFD. */
function addMessage(p: u32, n: u32): void {
  if (!unchecked(wanted[F_MSG])) return;
  const end = p + n;
  const text = scratchBegin();
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == 0) break;
    if (c < 0x80) { putc(c); p++; continue; }
    const k = utf8SequenceLength(p, end);
    if (k == 0) { puts('\uFFFD'); p++; continue; }
    for (let i: u32 = 0; i < k; i++) putc(load<u8>(p + i));
    p += k;
  }
  addBytes(F_MSG, text, scratchEnd(text));
}

const FACILITIES: StaticArray<string> = ['KERN', 'USER', 'MAIL', 'DAEMON', 'AUTH', 'SYSLOG', 'LPR', 'NEWS', 'UUCP', 'CRON', 'AUTHPRIV',
  'FTP', 'NTP', 'LOGAUDIT', 'LOGALERT', 'CRON', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7'];
const LEVELS: StaticArray<string> = ['EMERG', 'ALERT', 'CRIT', 'ERR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];

registerUdpPort(514, dissectSyslog);
