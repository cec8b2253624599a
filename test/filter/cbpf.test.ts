// The classic program printer prints what tcpdump -d prints; the offline
// matcher follows bpf_filter()'s rules on the edges.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { compileFilter } from '../../src/filter/pcap-compile.js';
import { compileMatcher } from '../../src/filter/cbpf-match.js';
import { AluOp, Class, JmpOp, Mode, Size, Src, printCbpf, programFromInsns, testsVlanTag } from '../../src/filter/cbpf.js';
import { filterExpression } from '../../src/filter/expression.js';
import { hasCommand, xcap } from '../helpers/env.js';
import { fixturePath } from '../helpers/fixtures.js';
import { EXPRESSIONS } from './expressions.js';

t.test('printCbpf equals tcpdump -d, and xcap read -d starts with it', { skip: hasCommand('tcpdump') ? false : 'tcpdump is not installed' }, async (t) => {
  const file = fixturePath('mixed.pcap');
  for (const expr of EXPRESSIONS) {
    const want = spawnSync('tcpdump', ['-r', file, '-d', expr], { encoding: 'utf8' });
    t.equal(want.status, 0, `tcpdump compiles '${expr}'`);
    t.equal(printCbpf(compileFilter(expr, { linktype: 1, snaplen: 262144, file }).program), want.stdout, `'${expr}'`);
  }
  const r = xcap(['read', '-r', file, '-d', 'tcp', 'port', '80']);
  t.equal(r.status, 0);
  const classic = r.stdout.split('\n\n')[0] + '\n';
  t.equal(classic, spawnSync('tcpdump', ['-r', file, '-d', 'tcp port 80'], { encoding: 'utf8' }).stdout, 'xcap read -d: the classic part');
  t.match(r.stdout, /; eBPF entry program at XDP: \d+ instructions/, 'then the eBPF translation');
});

t.test('matcher edges: wire length, loads past caplen, division by zero, shifts', async (t) => {
  const ret = (k: number) => ({ code: Class.Ret | Src.K, jt: 0, jf: 0, k });
  // len >= 100 (A = wire length)
  const len = compileMatcher(programFromInsns([
    { code: Class.Ld | Size.W | Mode.Len, jt: 0, jf: 0, k: 0 },
    { code: Class.Jmp | JmpOp.Jge | Src.K, jt: 0, jf: 1, k: 100 },
    ret(1), ret(0),
  ]));
  const frame = new Uint8Array(64);
  t.equal(len(frame, 0, 64, 100), 1, 'BPF_LEN is the wire length, not the captured length');
  t.equal(len(frame, 0, 64, 99), 0);
  // ldh [62] on a frame of 63 captured bytes
  const past = compileMatcher(programFromInsns([{ code: Class.Ld | Size.H | Mode.Abs, jt: 0, jf: 0, k: 62 }, ret(1)]));
  t.equal(past(frame, 0, 64, 64), 1, 'in bounds');
  t.equal(past(frame, 0, 63, 64), 0, 'a load past caplen rejects');
  // A = 7; X = 0; A /= X
  const div = compileMatcher(programFromInsns([
    { code: Class.Ld | Size.W | Mode.Imm, jt: 0, jf: 0, k: 7 },
    { code: Class.Alu | AluOp.Div | Src.X, jt: 0, jf: 0, k: 0 },
    ret(1),
  ]));
  t.equal(div(frame, 0, 64, 64), 0, 'division by zero rejects');
  // A = 1; A <<= 31; A += A  (wraps to 0); jeq 0
  const wrap = compileMatcher(programFromInsns([
    { code: Class.Ld | Size.W | Mode.Imm, jt: 0, jf: 0, k: 1 },
    { code: Class.Alu | AluOp.Lsh | Src.K, jt: 0, jf: 0, k: 31 },
    { code: Class.Alu | AluOp.Add | Src.X, jt: 0, jf: 0, k: 0 },
    { code: Class.Jmp | JmpOp.Jeq | Src.K, jt: 0, jf: 1, k: 0x80000000 },
    ret(1), ret(0),
  ]));
  t.equal(wrap(frame, 0, 64, 64), 1, '32-bit unsigned arithmetic');
  t.equal(printCbpf(programFromInsns([{ code: Class.Misc | 0x80, jt: 0, jf: 0, k: 0 }, ret(5)])), '(000) txa      \n(001) ret      #5\n');
});

t.test('the expression: -f or trailing words, not both', async (t) => {
  const usage = (m: string) => new Error(m);
  t.equal(filterExpression(undefined, ['tcp', 'port', 80], usage), 'tcp port 80');
  t.equal(filterExpression('udp', [], usage), 'udp');
  t.equal(filterExpression(undefined, [], usage), undefined);
  t.throws(() => filterExpression('udp', ['tcp'], usage), /not both/);
  t.throws(() => filterExpression('  ', [], usage), /-f wants/);
});

t.test('bad expressions: libpcap\'s message, exit 2', async (t) => {
  const r = xcap(['read', '-r', fixturePath('mixed.pcap'), '-f', 'host 999.1.1.1']);
  t.equal(r.status, 2);
  t.match(r.stderr, /^xcap: bad filter expression 'host 999\.1\.1\.1': .+\n$/);
  t.equal(r.stdout, '');
});

t.test('testsVlanTag finds the expressions that look at 802.1Q tags', async (t) => {
  const vlan = (e: string): boolean => testsVlanTag(compileFilter(e, { linktype: 1, snaplen: 262144 }).program);
  t.ok(vlan('vlan'));
  t.ok(vlan('vlan 5 and udp'));
  t.notOk(vlan('tcp port 80'));
});

t.test('a program too long for eBPF jumps is refused with the limit named', async (t) => {
  const { translateFilter } = await import('../../src/filter/ebpf-translate.js');
  const expr = Array.from({ length: 4000 }, (_, i) => `ether[${i}] = ${i % 256}`).join(' or ');
  const f = compileFilter(expr, { linktype: 1, snaplen: 262144 });
  t.throws(() => translateFilter(f.program, 'xdp'), /does not fit eBPF's 16-bit offset/);
  const short = compileFilter('ether[1] = 1 or ether[2] = 2', { linktype: 1, snaplen: 262144 });
  t.ok(translateFilter(short.program, 'tc').insns.length > 0);
});
