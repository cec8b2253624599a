// The Ethernet configuration testing protocol (ethertype 0x9000, "LOOP"),
// as tshark 4.0 shows it: the function the skip count points at (Reply,
// Forward Data), after any forward-data functions before it.
import { protocol } from '../fields';
import { beginLayer, setProtocolColumn, markReadPast } from '../packet';
import { registerEthertype } from '../dispatch';
import { dissectData } from './frame';
import { infoSet, infoDone } from '../columns';
import { puts, putc, putDec, tableName } from '../text';
import { lacks } from '../cursor';

const PROTO_LOOP = protocol('loop', 'Configuration Test Protocol (loopback)');
const REPLY: u32 = 1;
const FORWARD_DATA: u32 = 2;

function dissectLoop(start: u32, end: u32): void {
  setProtocolColumn('LOOP');
  infoSet(); infoDone();
  beginLayer(PROTO_LOOP);
  if (lacks(start, end, 2)) return;
  const skip = start + 2 + <u32>load<u16>(start);
  let p = start + 2;
  let named = false;
  let more = true;
  while (more) {
    if (lacks(p, end, 2)) return;
    const fn = <u32>load<u16>(p);
    if (p == skip) {
      infoSet();
      const name = tableName(FUNCTIONS, fn, '');
      if (name.length) puts(name); else { puts('Unknown function ('); putDec(fn); putc(41); }
      infoDone();
      named = true;
    }
    p += 2;
    if (fn == REPLY) { p += 2; more = false; }
    else if (fn == FORWARD_DATA) p += 6;
    else more = false;
    if (p > end) { markReadPast(end, p); return; }
  }
  if (!named) { infoSet(); puts('No valid function found'); infoDone(); }
  if (p < end) dissectData(p, end);
}

const FUNCTIONS: StaticArray<string> = ['', 'Reply', 'Forward Data'];

registerEthertype(0x9000, dissectLoop);
