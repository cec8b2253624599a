// A filter given to xcap record runs in the kernel: frames that do not match
// are counted there and never reach user space; the file, its IDB and its
// ISB say what happened; nothing stays attached; bad expressions attach nothing.
import t from 'tap';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelSkipReason, quietLab } from '../kernel/kernel-lab.js';
import { execIn, ip } from '../../src/lab/netns.js';
import { inNetns } from '../../src/kernel/netns.js';
import { attachedPrograms } from '../../src/kernel/links.js';
import type { Lab } from '../../src/lab/lab.js';
import { startRecorder, readBack, echoFrames } from '../capture/record-helpers.js';
import { xcap } from '../helpers/env.js';
import { RingCapture } from '../../src/kernel/ring-capture.js';
import { compileFilter } from '../../src/filter/pcap-compile.js';
import { sendFrames } from '../../src/lab/generator.js';
import { DissectorEngine } from '../../src/dissect/engine.js';
import { taggedFrame } from '../helpers/frames.js';

const skip = await kernelSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'xcap-filter-'));
const PINGS = 10;
const DATAGRAMS = 40;

function attached(lab: Lab): string[] {
  const ifindex = Number(ip(['-n', lab.captureNs, '-j', 'link', 'show', 'dev', lab.captureIf]).match(/"ifindex":(\d+)/)![1]);
  const a = inNetns(lab.captureNs, () => attachedPrograms(lab.captureIf, ifindex));
  return [...(a.xdp ? [`xdp ${a.xdp}`] : []), ...a.tcxIngress.map((id) => `tcx ingress ${id}`), ...a.tcxEgress.map((id) => `tcx egress ${id}`)];
}

async function detachedSoon(lab: Lab): Promise<string[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const left = attached(lab);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** UDP datagrams from the client namespace to a port nobody listens on (each answered by an ICMP port unreachable, which is not an echo). */
function sendDatagrams(lab: Lab, count: number): void {
  const script = `const s=require('dgram').createSocket('udp4');let n=0;const next=()=>{if(n++>=${count})return s.close();s.send(Buffer.alloc(32),7777,'${lab.captureAddr}',next)};next();`;
  const r = execIn(lab.clientNs, [process.execPath, '-e', script], 20_000);
  if (r.status !== 0) throw new Error(`sending datagrams failed: ${r.stderr}`);
}

t.test('record -f: only matching frames reach user space; the kernel counts the rest', { skip }, async (t) => {
  const lab = quietLab();
  t.teardown(() => lab.teardown());
  const file = join(dir, 'echo.pcapng');
  const rec = await startRecorder(lab, ['-i', lab.captureIf, '-w', file, 'icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply']);
  t.match(rec.stderr(), /filter 'icmp\[icmptype\] == icmp-echo or icmp\[icmptype\] == icmp-echoreply' \(in the kernel\)/, 'the start message shows the filter');
  const r = execIn(lab.clientNs, ['ping', '-c', String(PINGS), '-i', '0.01', '-W', '1', '-q', lab.captureAddr], 20_000);
  t.equal(r.status, 0, 'ping works through the filter');
  sendDatagrams(lab, DATAGRAMS);
  await new Promise((res) => setTimeout(res, 300));
  t.equal(await rec.stop('SIGINT'), 0, 'exit 0');
  const back = await readBack(file);
  t.equal(echoFrames(back.frames, 8).length, PINGS, 'every echo request captured');
  t.equal(echoFrames(back.frames, 0).length, PINGS, 'every echo reply captured');
  t.equal(back.frames.length, 2 * PINGS, 'nothing else reached user space (no UDP, no port unreachable)');
  t.equal(back.interfaces[0].filter, 'icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply', 'the IDB carries the expression');
  const stats = back.statistics[0];
  // DATAGRAMS UDP frames in, and the (rate-limited) ICMP port unreachables out: rejected in the kernel.
  const rejected = Number(rec.stderr().match(/(\d+) packets rejected by filter/)?.[1] ?? -1);
  t.ok(rejected >= DATAGRAMS, `the kernel counted the rejected frames (${rejected} >= ${DATAGRAMS})`);
  t.match(rec.stderr(), new RegExp(`${2 * PINGS} packets captured\\n${2 * PINGS} packets received by filter\\n0 packets dropped by kernel`), 'tcpdump-style counts');
  t.equal(Number(stats.filterAccept), 2 * PINGS, 'isb_filteraccept: frames the filter accepted');
  t.equal(Number(stats.ifRecv), 2 * PINGS + rejected, 'isb_ifrecv: every frame the hooks saw, accepted or not');
  t.same(await detachedSoon(lab), [], 'nothing left attached');
});

t.test('record with a bad expression: libpcap\'s message, exit 2, nothing attached, no file', { skip }, async (t) => {
  const lab = quietLab();
  t.teardown(() => lab.teardown());
  const file = join(dir, 'bad.pcapng');
  const r = xcap(['record', '-i', lab.captureIf, '-w', file, 'tcp', 'port']);
  t.equal(r.status, 2);
  t.match(r.stderr, /^xcap: bad filter expression 'tcp port': .*syntax error\n$/);
  t.notOk(existsSync(file), 'no file written');
  t.same(attached(lab), [], 'nothing attached');
});

t.test('VLAN tags: XDP sees them in the frame, TC ingress does not (the kernel moved them to skb->vlan_tci)', { skip }, async (t) => {
  const lab = quietLab();
  t.teardown(() => lab.teardown());
  const FRAMES = 50;
  const seen = async (hook: 'xdp' | 'tc', expr: string): Promise<{ captured: number; rejected: bigint }> => {
    const cap = RingCapture.open({
      interfaces: [{ name: lab.captureIf, ifindex: 0, ingress: true, egress: false, ingressHook: hook }], snaplen: 262144, netns: lab.captureNs,
      filter: compileFilter(expr, { linktype: 1, snaplen: 262144 }),
    });
    try {
      await sendFrames({ ns: lab.clientNs, ifname: lab.clientIf, frame: taggedFrame(), count: FRAMES, maxSeconds: 5, rate: 1000, method: 'af-packet' });
      await new Promise((r) => setTimeout(r, 200));
      const engine = new DissectorEngine();
      let captured = 0;
      for (let n; (n = cap.poll(engine.arena, engine.arenaBase, engine.index, 10)) > 0;) captured += n;
      return { captured, rejected: cap.counters().rejected };
    } finally {
      cap.close();
    }
  };
  t.same(await seen('xdp', 'vlan 5 and udp'), { captured: FRAMES, rejected: 0n }, 'XDP: the tagged frame matches vlan 5 and udp');
  t.same(await seen('tc', 'vlan 5 and udp'), { captured: 0, rejected: BigInt(FRAMES) }, 'TC: no tag in the frame, vlan does not match');
  t.same(await seen('tc', 'udp'), { captured: FRAMES, rejected: 0n }, 'TC: the untagged frame is plain UDP');
});
