// xcap replay refuses bad input with one line naming the problem and a
// non-zero exit (2 for usage), and sends nothing when it refuses.  Usage is
// checked first, so those cases need no privileges; the others run as root,
// the ones that need a real interface in a lab namespace.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, type Lab } from '../../src/lab/lab.js';
import { execIn, ip } from '../../src/lab/netns.js';
import { XCAP, hasCommand, xcap } from '../helpers/env.js';
import { fixturePath } from '../helpers/fixtures.js';
import { liveFramesSkipReason } from '../kernel/kernel-lab.js';

function oneLine(t: Test, stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  t.equal(lines.length, 1, `one line on stderr: ${JSON.stringify(stderr)}`);
  t.match(lines[0], pattern);
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
}

const http = fixturePath('http.pcap');

t.test('usage errors exit 2 before anything is opened', async (t) => {
  const cases: [string[], RegExp][] = [
    [['-r', http], /name the interface/],
    [['-i', 'xcap-none0'], /name what to send: -r FILE, or --synthetic SIZE/],
    [['-i', 'xcap-none0', '-r', http, '--synthetic', '60', '-c', '1'], /-r and --synthetic exclude each other/],
    [['-i', 'xcap-none0', '--synthetic', '60'], /--synthetic needs -c COUNT/],
    [['-i', 'xcap-none0', '--synthetic', '60', '-c', '5', '--loop', '2'], /--loop goes with -r FILE/],
    [['-i', 'xcap-none0', '--synthetic', '20', '-c', '5'], /--synthetic wants at least 42 bytes/],
    [['-i', 'xcap-none0', '-r', http, '--method', 'tc-clone'], /--method tc-clone sends every frame many times in a row: use it with --synthetic/],
    [['-i', 'xcap-none0', '-r', http, '--rate', '0'], /--rate wants frames per second above 0, not '0'/],
    [['-i', 'xcap-none0', '-r', http, '--rate', 'fast'], /--rate wants frames per second/],
    [['-i', 'xcap-none0', '-r', http, '--loop', '0'], /--loop wants a whole number from 1/],
    [['-i', 'xcap-none0', '-r', http, '--loop', '1.5'], /--loop wants a whole number/],
    [['-i', 'xcap-none0', '-r', http, '-c', '0'], /-c wants a whole number/],
    [['-i', 'xcap-none0', '-r', http, '--max-seconds', '0'], /--max-seconds wants a time above 0/],
    [['-i', 'xcap-none0', '-r', http, '--max-seconds', '1e9'], /at most 86400/],
    [['-i', 'xcap-none0', '-r', http, '--method', 'carrier-pigeon'], /method/],
    [['-i', 'xcap-none0', '-r', http, '--bogus'], /bogus/],
  ];
  for (const [args, pattern] of cases) {
    const r = xcap(['replay', ...args]);
    t.equal(r.status, 2, `exit 2 for ${args.join(' ')}`);
    oneLine(t, r.stderr, pattern);
  }
});

const root = process.getuid?.() === 0;

t.test('without root: refused', { skip: !root ? 'needs root to run it as another user' : hasCommand('setpriv') ? false : 'setpriv is not installed' }, async (t) => {
  // setpriv and env -i: as nobody, with none of the test runner's environment (its hooks write where nobody may not).
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', '-i', `PATH=${process.env.PATH}`,
    process.execPath, XCAP, 'replay', '-i', 'xcap-none0', '-r', http], { encoding: 'utf8' });
  t.equal(r.status, 1);
  oneLine(t, r.stderr, /^xcap: replay needs root/);
});

t.test('no such interface', { skip: root ? false : 'the interface is checked after root' }, async (t) => {
  const r = xcap(['replay', '-i', 'xcap-none0', '-r', http]);
  t.equal(r.status, 1);
  oneLine(t, r.stderr, /^xcap: no such interface: xcap-none0/);
});

const labSkip = !root ? 'needs root (a lab namespace)' : hasCommand('ip') ? false : 'iproute2 is not installed';
t.test('in a lab: refused before a frame is sent', { skip: labSkip }, async (t) => {
  const liveRefused = (await liveFramesSkipReason()) !== false;
  const lab = createLab({ prefix: 'xcap-re' });
  const dir = mkdtempSync(join(tmpdir(), 'xcap-replay-errors-'));
  t.teardown(() => {
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  const arrived = (l: Lab): number => (JSON.parse(ip(['-n', l.captureNs, '-s', '-j', 'link', 'show', 'dev', l.captureIf])) as { stats64: { rx: { packets: number } } }[])[0].stats64.rx.packets;
  const replay = (args: string[]) => execIn(lab.clientNs, [process.execPath, XCAP, 'replay', ...args], 30_000);
  const notCapture = join(dir, 'text.pcap');
  writeFileSync(notCapture, 'not a capture file at all\n');
  ip(['-n', lab.clientNs, 'link', 'add', 'xcap-down', 'type', 'veth', 'peer', 'name', 'xcap-down-p']);
  const before = arrived(lab);
  const cases: [string[], number, RegExp][] = [
    [['-i', 'xcap-down', '-r', http], 1, /^xcap: interface xcap-down is down: bring it up/],
    [['-i', lab.clientIf, '-r', join(dir, 'nope.pcap')], 1, /nope\.pcap: no such file or directory$/],
    [['-i', lab.clientIf, '-r', dir], 1, /is a directory$/],
    [['-i', lab.clientIf, '-r', notCapture], 1, /text\.pcap: not a pcap or pcapng file/],
    [['-i', lab.clientIf, '--synthetic', '1515', '-c', '1'], 2, /--synthetic 1515 is longer than xcap-cli takes with af-packet \(1514 bytes\)/],
    [['-i', lab.clientIf, '--synthetic', '1514', '-c', '1'], 0, /^xcap: sent 1 frames \(1514 bytes\)/],
    liveRefused
      // A kernel that refuses live frames: one line, and the method that works.
      ? [['-i', lab.clientIf, '--synthetic', '100', '-c', '5', '--method', 'test-run'], 1, /^xcap: can't run the XDP sender towards xcap-cli: EPERM \(1\) - .*--method af-packet works on every kernel$/]
      // The capture end has GRO off and no XDP program: it takes no XDP frames, and replay says so.
      : [['-i', lab.clientIf, '--synthetic', '100', '-c', '5', '--method', 'test-run'], 0, /sent 0 frames[^]*5 frames refused by xcap-cli\nxcap: none left xcap-cli: its driver takes no XDP frames/],
  ];
  for (const lt of [['linktype-raw.pcap', 101, 'RAW'], ['linktype-sll.pcap', 113, 'LINUX_SLL'], ['linktype-null.pcap', 0, 'NULL'], ['linktype-unknown.pcap', 147, 'USER0']] as const) {
    cases.push([['-i', lab.clientIf, '-r', fixturePath(lt[0])], 1, new RegExp(`${lt[0]}: link type ${lt[1]} \\(${lt[2]}\\) is not Ethernet; replay sends Ethernet frames only$`)]);
  }
  for (const [args, status, pattern] of cases) {
    const r = replay(args);
    t.equal(r.status, status, `exit ${status} for ${args.join(' ')}`);
    if (status === 0) t.match(r.stderr, pattern);
    else oneLine(t, r.stderr, pattern);
  }
  const got = arrived(lab) - before;
  t.equal(got, 1, `of all these, only the one frame sent on purpose arrived (${got})`);
});
