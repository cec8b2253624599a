// xcap record in the lab: what is sent is what is captured, both directions,
// and every way of stopping leaves a valid file and nothing attached.
import t from 'tap';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { kernelSkipReason, quietLab } from '../kernel/kernel-lab.js';
import { execIn, ip } from '../../src/lab/netns.js';
import type { Lab } from '../../src/lab/lab.js';
import { XCAP, hasCommand } from '../helpers/env.js';
import { startRecorder, readBack, echoFrames, attached, detachedSoon } from './record-helpers.js';

const skip = await kernelSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'xcap-record-'));

function ping(lab: Lab, count: number, size = 56): void {
  const r = execIn(lab.clientNs, ['ping', '-c', String(count), '-i', '0.01', '-s', String(size), '-W', '1', '-q', lab.captureAddr], 20_000);
  if (r.status !== 0) throw new Error(`ping failed: ${r.stderr}${r.stdout}`);
}

function withQuietLab(name: string, body: (t: Tap, lab: Lab) => Promise<void>, extraSkip: string | false = false): void {
  t.test(name, { skip: skip || extraSkip }, async (t) => {
    const lab = quietLab();
    t.teardown(() => lab.teardown());
    await body(t as Tap, lab);
  });
}
type Tap = typeof t;

withQuietLab('both directions: every frame sent is captured once, with its direction, then SIGINT', async (t, lab) => {
  const file = join(dir, 'both.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file]);
  const before = BigInt(Date.now()) * 1_000_000n;
  ping(lab, 20, 200);
  await new Promise((r) => setTimeout(r, 200));
  t.equal(await rec.stop('SIGINT'), 0, 'exit 0 after SIGINT');
  const after = BigInt(Date.now()) * 1_000_000n;
  const back = await readBack(file);
  t.same(back.warnings, [], 'the file reads to its end');
  const requests = echoFrames(back.frames, 8);
  const replies = echoFrames(back.frames, 0);
  t.equal(requests.length, 20, 'every echo request (inbound)');
  t.equal(replies.length, 20, 'every echo reply (outbound)');
  t.ok(requests.every((f) => f.direction === 1), 'requests flagged inbound');
  t.ok(replies.every((f) => f.direction === 2), 'replies flagged outbound');
  t.ok(back.frames.every((f) => f.caplen === 242 && f.origlen === 242), 'whole frames (14 + 20 + 8 + 200 bytes)');
  const ts = back.frames.map((f) => f.tsNs);
  t.ok(ts.every((v, i) => i === 0 || v >= ts[i - 1]), 'timestamps never go back');
  t.ok(ts.every((v) => v >= before - 1_000_000_000n && v <= after + 1_000_000_000n), 'timestamps within a second of wall time');
  t.equal(back.interfaces.length, 1, 'one IDB');
  t.equal(back.interfaces[0].name, lab.captureIf);
  t.equal(back.statistics.length, 1, 'one ISB');
  t.equal(Number(back.statistics[0].ifDrop ?? -1), 0, 'no drops counted');
  t.ok(Number(back.statistics[0].ifRecv ?? 0) >= back.frames.length, 'ISB counts what the kernel saw');
  t.match(rec.stderr(), /^40 packets captured$/m, 'tcpdump-style counts at exit');
  t.match(rec.stderr(), /^0 packets dropped by kernel$/m);
  t.same(await detachedSoon(lab), [], 'nothing stays attached');
  if (hasCommand('capinfos')) {
    const ci = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' });
    t.equal(ci.status, 0);
    t.equal(ci.stderr.replace(/^Running as user.*\n/m, ''), '', 'capinfos: no warning');
    t.match(ci.stdout, /Number of packets:\s+40\b/);
  }
});

withQuietLab('frames of every padding remainder read back byte for byte in xcap, tshark and capinfos', async (t, lab) => {
  // 242..245-byte frames: the kernel writes blocks both with and without opt_endofopt (bpf/capture.h).
  const SIZES = [200, 201, 202, 203];
  const PATTERN = 0xa5;
  const file = join(dir, 'shapes.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file]);
  for (const size of SIZES) {
    const r = execIn(lab.clientNs, ['ping', '-c', '3', '-i', '0.01', '-s', String(size), '-p', PATTERN.toString(16), '-W', '1', '-q', lab.captureAddr], 20_000);
    t.equal(r.status, 0, `ping -s ${size} got its replies`);
  }
  await new Promise((r) => setTimeout(r, 200));
  t.equal(await rec.stop('SIGINT'), 0);
  const back = await readBack(file);
  t.same(back.warnings, [], 'the file reads to its end');
  const requests = echoFrames(back.frames, 8);
  const replies = echoFrames(back.frames, 0);
  const expected = SIZES.flatMap((s) => Array(3).fill(14 + 20 + 8 + s) as number[]);
  t.same(requests.map((f) => f.caplen), expected, 'each request whole, in order');
  t.same(replies.map((f) => f.origlen), expected, 'each reply whole, in order');
  // ping's payload: 16 bytes of send time, then the pattern.
  const payload = (f: { bytes: Buffer }): Buffer => f.bytes.subarray(14 + 20 + 8);
  t.ok(requests.every((f) => payload(f).subarray(16).every((b) => b === PATTERN)), 'request payloads are the pattern sent');
  t.ok(replies.every((f, i) => payload(f).equals(payload(requests[i]))), 'each reply carries its request\'s payload');
  if (hasCommand('tshark')) {
    const ts = spawnSync('tshark', ['-r', file, '-n', '-T', 'fields', '-e', 'frame.cap_len', '-e', 'frame.packet_flags_direction', '-e', 'icmp.checksum.status'], { encoding: 'utf8' });
    t.equal(ts.status, 0, 'tshark reads the file');
    t.equal(ts.stderr.replace(/^Running as user.*\n/m, ''), '', 'tshark: no warning');
    const rows = ts.stdout.trim().split('\n').filter((l) => l.endsWith('\t1') || l.endsWith('\t0') || l.endsWith('\t2'));
    t.same(rows, expected.flatMap((len) => [`${len}\t0x00000001\t1`, `${len}\t0x00000002\t1`]), 'tshark: lengths, directions and good ICMP checksums');
  }
  if (hasCommand('capinfos')) {
    const ci = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' });
    t.equal(ci.stderr.replace(/^Running as user.*\n/m, ''), '', 'capinfos: no warning');
    t.match(ci.stdout, new RegExp(`Number of packets:\\s+${back.frames.length}\\b`));
  }
});

withQuietLab('-s limits the captured bytes, -c stops by itself, -B sizes the ring', async (t, lab) => {
  const file = join(dir, 'snap.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '-s', '64', '-c', '6', '-B', '3']);
  t.match(rec.stderr(), /\(ring buffer, both directions, ingress at TC, 2 MiB ring\), snaplen 64$/m, '-B 3 gives a 2 MiB ring (a power of two)');
  ping(lab, 10, 300);
  t.equal(await rec.exited, 0, 'exits by itself after -c');
  const back = await readBack(file);
  t.equal(back.frames.length, 6, 'exactly -c frames');
  t.ok(back.frames.every((f) => f.caplen === 64 && f.origlen === 342), 'caplen = snaplen, origlen = wire length');
  t.equal(back.interfaces[0].snaplen, 64, 'the IDB records the snaplen');
  t.same(await detachedSoon(lab), []);
});

withQuietLab('several interfaces: one IDB each, frames tagged with theirs', async (t, lab) => {
  const file = join(dir, 'two.pcapng');
  // The capture namespace's own loopback: pings to its own address go over it.
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-i', 'lo', '-w', file]);
  ping(lab, 3);
  execIn(lab.captureNs, ['ping', '-c', '3', '-i', '0.01', '-q', lab.captureAddr]);
  await new Promise((r) => setTimeout(r, 200));
  t.equal(await rec.stop('SIGTERM'), 0, 'exit 0 after SIGTERM');
  const back = await readBack(file);
  t.same(back.interfaces.map((i) => i.name), [lab.captureIf, 'lo']);
  t.equal(echoFrames(back.frames, 8).filter((f) => f.ifaceId === 0).length, 3, 'veth echo requests on interface 0');
  t.ok(echoFrames(back.frames, 8).filter((f) => f.ifaceId === 1).length >= 3, 'loopback echo requests on interface 1');
  t.equal(back.statistics.length, 2, 'an ISB per interface');
});

withQuietLab('ingress hook: auto takes TC on a veth, XDP when the filter tests VLAN tags, and --ingress-hook decides', async (t, lab) => {
  const hooks = (): string[] => attached(lab).map((a) => a.split(' ').slice(0, -1).join(' '));
  const cases: [string[], RegExp, string[]][] = [
    [[], /both directions, ingress at TC, 64 MiB ring/, ['tcx ingress', 'tcx egress']],
    [['vlan or udp'], /both directions, ingress at XDP, 64 MiB ring/, ['xdp', 'tcx egress']],
    [['--ingress-hook', 'xdp'], /both directions, ingress at XDP, 64 MiB ring/, ['xdp', 'tcx egress']],
    [['--ingress-hook', 'tc', 'vlan or udp'], /both directions, ingress at TC, 64 MiB ring/, ['tcx ingress', 'tcx egress']],
  ];
  for (const [args, line, at] of cases) {
    const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', join(dir, 'hook.pcapng'), ...args]);
    t.match(rec.stderr(), line, `${args.join(' ') || 'no options'}: the start-up line says where`);
    t.same(hooks(), at, `${args.join(' ') || 'no options'}: attached there`);
    t.equal(await rec.stop('SIGINT'), 0);
    t.same(await detachedSoon(lab), []);
  }
  const r = execIn(lab.captureNs, [process.execPath, XCAP, 'record', '-i', lab.captureIf, '-w', join(dir, 'hook.pcapng'), '--backend', 'afxdp', '--steal', '--ingress-hook', 'tc']);
  t.equal(r.status, 2, '--ingress-hook with AF_XDP is a usage error');
  t.equal(r.stderr, 'xcap: --ingress-hook only applies to the ring buffer (--backend ringbuf)\n');
});

withQuietLab('SIGKILL: nothing stays attached and the file reads up to its last whole block', async (t, lab) => {
  const file = join(dir, 'killed.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file]);
  ping(lab, 10);
  await new Promise((r) => setTimeout(r, 300));
  await rec.stop('SIGKILL');
  t.same(await detachedSoon(lab), [], 'the kernel released every link');
  const back = await readBack(file);
  t.ok(echoFrames(back.frames, 8).length >= 1, `frames written before the kill are readable (${back.frames.length})`);
});

withQuietLab('-w - streams pcapng that tshark reads from a pipe', async (t, lab) => {
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', '-', '-c', '8'], 'pipe');
  const chunks: Buffer[] = [];
  rec.child.stdout!.on('data', (d: Buffer) => chunks.push(d));
  ping(lab, 4);
  t.equal(await rec.exited, 0);
  const ts = spawnSync('tshark', ['-i', '-', '-n', '-Q', '-T', 'fields', '-e', 'frame.packet_flags_direction', '-e', 'icmp.type'], { input: Buffer.concat(chunks), encoding: 'utf8' });
  t.equal(ts.status, 0, 'tshark reads the stream');
  t.same(ts.stdout.trim().split('\n'), Array(4).fill(['0x00000001\t8', '0x00000002\t0']).flat(), 'inbound requests, outbound replies');
}, hasCommand('tshark') ? false : 'tshark is not installed');

withQuietLab('--print decodes while writing', async (t, lab) => {
  const file = join(dir, 'print.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, '-c', '2', '--print'], 'pipe');
  let out = '';
  rec.child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  ping(lab, 1);
  t.equal(await rec.exited, 0);
  t.match(out, /198\.18\.0\.2 → 198\.18\.0\.1 +ICMP/);
});

withQuietLab('-b switches files by size and keeps the last N, each a valid capture', async (t, lab) => {
  const ringDir = mkdtempSync(join(dir, 'ring-'));
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', join(ringDir, 'ring.pcapng'), '-b', 'filesize:4', '-b', 'files:3']);
  ping(lab, 40, 200);
  await new Promise((r) => setTimeout(r, 200));
  t.equal(await rec.stop('SIGINT'), 0);
  const files = readdirSync(ringDir).sort();
  t.equal(files.length, 3, `the last three files are kept: ${files.join(' ')}`);
  t.ok(files.every((f) => /^ring_\d{5}_\d{14}\.pcapng$/.test(f)), 'named as dumpcap names them');
  t.ok(Number(files[0].slice(5, 10)) > 1, 'older files were removed');
  for (const f of files) {
    const back = await readBack(join(ringDir, f));
    t.same(back.warnings, [], `${f} reads to its end`);
    t.ok(back.frames.length > 0 && back.statistics.length === 1, `${f} has frames and its ISB`);
  }
});

/** ping that may go unanswered: its exit status is the result. */
function pingStatus(lab: Lab, count: number): number | null {
  return execIn(lab.clientNs, ['ping', '-c', String(count), '-i', '0.05', '-W', '1', '-q', lab.captureAddr], 20_000).status;
}

withQuietLab('--steal: incoming frames are captured and dropped, at XDP and at TC; outgoing ones go on', async (t, lab) => {
  // A static neighbour: the client needs no ARP answer from a host that will never see the request.
  const mac = (JSON.parse(ip(['-n', lab.captureNs, '-j', 'link', 'show', 'dev', lab.captureIf])) as { address: string }[])[0].address;
  ip(['-n', lab.clientNs, 'neigh', 'replace', lab.captureAddr, 'lladdr', mac, 'dev', lab.clientIf]);
  t.equal(pingStatus(lab, 2), 0, 'answered before');

  const xdpFile = join(dir, 'steal-xdp.pcapng');
  // On veth, auto takes ingress at TC: XDP is asked for.
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', xdpFile, '--backend', 'ringbuf', '--steal', '--ingress-hook', 'xdp']);
  t.match(rec.stderr(), /capturing on xcap-cap \(ring buffer, both directions, ingress at XDP, incoming frames dropped once captured, 64 MiB ring\)/);
  t.same(attached(lab).map((a) => a.split(' ')[0]), ['xdp', 'tcx'], 'XDP ingress and TCX egress');
  t.not(pingStatus(lab, 5), 0, 'no answer while stealing');
  // The host still sends (its frames leave through the egress hook untouched), but the answers are stolen on the way in.
  const hostPing = execIn(lab.captureNs, ['ping', '-c', '3', '-i', '0.05', '-W', '1', '-q', lab.clientAddr], 20_000);
  t.not(hostPing.status, 0, 'the host\'s own ping goes unanswered');
  t.equal(await rec.stop('SIGINT'), 0);
  let back = await readBack(xdpFile);
  const inbound = (type: 0 | 8): number => echoFrames(back.frames, type).filter((f) => f.direction === 1).length;
  const outbound = (type: 0 | 8): number => echoFrames(back.frames, type).filter((f) => f.direction === 2).length;
  t.equal(inbound(8), 5, 'the client\'s 5 requests captured on their way in');
  t.equal(outbound(0), 0, 'and never answered');
  t.equal(outbound(8), 3, 'the host\'s 3 requests captured on their way out');
  t.equal(inbound(0), 3, 'the client\'s 3 replies captured on their way in');
  t.match(back.interfaces[0].description ?? '', /incoming frames dropped once captured/);
  t.same(await detachedSoon(lab), []);
  t.equal(pingStatus(lab, 2), 0, 'answered again once xcap is gone');

  // Another program holds XDP; auto takes ingress at TC on veth anyway, and stealing there drops the frame the first one passed.
  const other = await startRecorder(lab, ['-i', lab.captureIf, '-w', join(dir, 'steal-other.pcapng'), '--backend', 'ringbuf', '--ingress-hook', 'xdp']);
  const tcFile = join(dir, 'steal-tc.pcapng');
  const tc = await startRecorder(lab, ['-i', lab.captureIf, '-w', tcFile, '--backend', 'ringbuf', '--steal']);
  t.match(tc.stderr(), /ingress at TC, incoming frames dropped once captured/);
  t.not(pingStatus(lab, 4), 0, 'no answer while stealing at TC');
  t.equal(await tc.stop('SIGINT'), 0);
  t.equal(await other.stop('SIGINT'), 0);
  back = await readBack(tcFile);
  t.equal(echoFrames(back.frames, 8).length, 4, 'the 4 requests captured at TC ingress');
  t.equal(echoFrames(back.frames, 0).length, 0, 'and never answered');
  t.same(await detachedSoon(lab), []);
});

withQuietLab('bad input: one line, non-zero exit, nothing attached', async (t, lab) => {
  const run = (args: string[]) => execIn(lab.captureNs, [process.execPath, XCAP, 'record', ...args]);
  let r = run(['-i', 'nosuch0', '-w', join(dir, 'x.pcapng')]);
  t.equal(r.status, 1);
  t.equal(r.stderr, "xcap: no such interface: nosuch0 (see 'xcap interfaces')\n");
  ip(['-n', lab.captureNs, 'link', 'add', 'xcapdown0', 'type', 'veth', 'peer', 'name', 'xcapdown1']);
  r = run(['-i', 'xcapdown0', '-w', join(dir, 'x.pcapng')]);
  t.equal(r.status, 1);
  t.match(r.stderr, /^xcap: interface xcapdown0 is down: bring it up with 'ip link set xcapdown0 up'\n$/);
  r = run(['-i', lab.captureIf, '-w', '/proc/no/such/dir/x.pcapng']);
  t.equal(r.status, 1);
  t.match(r.stderr, /^xcap: \/proc\/no\/such\/dir\/x\.pcapng: cannot create: no such file or directory\n$/);
  r = run(['-i', lab.captureIf, '-w', join(dir, 'x.pcapng'), '-s', '0']);
  t.equal(r.status, 2);
  t.match(r.stderr, /^xcap: -s wants a snapshot length/);
  for (const size of ['0', '1.5', '2048']) {
    r = run(['-i', lab.captureIf, '-w', join(dir, 'x.pcapng'), '-B', size]);
    t.equal(r.status, 2, `-B ${size} is a usage error`);
    t.match(r.stderr, /^xcap: -B wants a buffer size in MiB from 1 to 1024, not '[\d.]+'\n$/);
  }
  r = run(['-i', lab.captureIf, '-w', join(dir, 'x.pcapng'), '--backend', 'ringbuf', '-B', '1']);
  t.equal(r.status, 1, 'a ring too small for the snap length is refused');
  t.equal(r.stderr, 'xcap: a 1 MiB ring is too small for snaplen 262144 (it must hold 4 whole frames): give -B 2 or more, or a smaller -s\n');
  t.same(attached(lab), [], 'nothing attached after any of them');
});
