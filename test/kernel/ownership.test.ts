// Never leaving anything attached, never touching what is not ours: a
// SIGKILLed holder, someone else's XDP program, a failure half-way through
// open(), and inputs open() must refuse before touching the kernel.
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { XcapError } from '../../src/errors.js';
import type { Lab } from '../../src/lab/lab.js';
import type { RingCapture as Capture } from '../../src/kernel/ring-capture.js';
import { kernelSkipReason, leftovers, leftoversAfter, quietLab } from './kernel-lab.js';

const skip = await kernelSkipReason();
if (skip) {
  t.plan(0, skip);
} else {
  const { RingCapture } = await import('../../src/kernel/ring-capture.js');
  const { attachedPrograms } = await import('../../src/kernel/links.js');
  const { inNetns } = await import('../../src/kernel/netns.js');
  const RING_CAPTURE = fileURLToPath(new URL('../../src/kernel/ring-capture.js', import.meta.url));

  t.test('the kernel detaches everything when the attaching process is SIGKILLed', async (t) => {
    const lab = quietLab();
    t.teardown(() => lab.teardown());
    const script = `
      const { RingCapture } = await import(${JSON.stringify(RING_CAPTURE)});
      const capture = RingCapture.open({ interfaces: [{ name: ${JSON.stringify(lab.captureIf)}, ifindex: 0, ingress: true, egress: true }],
        snaplen: 256, ringBytes: 1 << 20, netns: ${JSON.stringify(lab.captureNs)} });
      process.stdout.write(JSON.stringify(capture.attachments()) + '\\n');
      setTimeout(() => process.exit(0), 30000); // bounded even if the parent forgets it
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
    const line = await Promise.race([
      once(child.stdout, 'data').then(([d]) => String(d)),
      once(child, 'exit').then(([code]) => { throw new Error(`the child exited (${String(code)}) before attaching`); }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the child did not attach within 10 s')), 10_000).unref()),
    ]);
    const attached = JSON.parse(line) as Parameters<typeof leftovers>[1];
    t.same(attached.map((a) => a.hook), ['xdp', 'tcx-egress'], 'the child attached XDP and TCX egress');
    t.ok((await leftovers(lab, attached)).length >= 2, 'its links are visible while it runs');
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    t.same(await leftoversAfter(lab, attached, 3000), [], 'nothing stays attached after SIGKILL');
  });

  t.test("someone else's XDP program is never replaced", async (t) => {
    const lab = quietLab();
    t.teardown(() => lab.teardown());
    const other = RingCapture.open({ interfaces: [{ name: lab.captureIf, ifindex: 0, ingress: true, egress: false, ingressHook: 'xdp' }], snaplen: 128, ringBytes: 1 << 16, netns: lab.captureNs });
    try {
      await someoneElsesXdp(t, lab, other);
    } finally {
      other.close();
    }
  });

  async function someoneElsesXdp(t: Test, lab: Lab, other: Capture): Promise<void> {
    const iface = { name: lab.captureIf, ifindex: 0 };
    const otherXdp = other.attachments()[0].progId;
    const hooks = (): ReturnType<typeof attachedPrograms> => inNetns(lab.captureNs, () => attachedPrograms(lab.captureIf, other.attachments()[0].ifindex));

    // Egress attaches first, then XDP fails: open() must take the egress link back.
    t.throws(() => RingCapture.open({
      interfaces: [{ ...iface, ingress: false, egress: true }, { ...iface, ingress: true, egress: false, ingressHook: 'xdp' }],
      snaplen: 128, ringBytes: 1 << 16, netns: lab.captureNs,
    }), { name: 'KernelError', errno: 16, message: /^can't attach XDP program to xcap-cap: EBUSY \(16\) - another XDP program/ },
    'EBUSY as a KernelError that says what failed');
    t.same(hooks(), { xdp: otherXdp, tcxIngress: [], tcxEgress: [] }, 'the failed open left nothing behind and the other program is in place');

    const mine = RingCapture.open({ interfaces: [{ ...iface, ingress: true, egress: false }], snaplen: 128, ringBytes: 1 << 16, netns: lab.captureNs });
    try {
      t.same(mine.attachments().map((a) => a.hook), ['tcx-ingress'], 'ingressHook auto falls back to TCX ingress');
      t.equal(hooks().xdp, otherXdp, 'the other XDP program is untouched');
    } finally {
      mine.close();
    }
    t.same(hooks(), { xdp: otherXdp, tcxIngress: [], tcxEgress: [] }, 'closing ours leaves theirs');
  }

  t.test('open() refuses bad requests before attaching anything', async (t) => {
    const lab = quietLab();
    t.teardown(() => lab.teardown());
    const ok = { name: lab.captureIf, ifindex: 0, ingress: true, egress: true };
    const open = (o: Partial<Parameters<typeof RingCapture.open>[0]>) => () => RingCapture.open({ interfaces: [ok], snaplen: 128, netns: lab.captureNs, ...o });
    t.throws(open({ interfaces: [{ ...ok, name: 'nope0' }] }), { message: `no such interface: nope0 in network namespace ${lab.captureNs}` });
    t.throws(open({ interfaces: [{ ...ok, ifindex: 9999 }] }), /has ifindex \d+ in network namespace .*, not 9999/);
    t.throws(open({ netns: `${lab.captureNs}-missing` }), /no network namespace named/);
    t.throws(open({ snaplen: 0 }), /snaplen must be/);
    t.throws(open({ ringBytes: 3 << 20 }), /power of two/);
    t.throws(open({ interfaces: [] }), XcapError);
    t.throws(open({ interfaces: [{ ...ok, ingress: false, egress: false }] }), /nothing to capture/);
    const ifindex = Number(JSON.parse(
      (await import('../../src/lab/netns.js')).ip(['-n', lab.captureNs, '-j', 'link', 'show', 'dev', lab.captureIf]),
    )[0].ifindex);
    t.same(inNetns(lab.captureNs, () => attachedPrograms(lab.captureIf, ifindex)), { xdp: 0, tcxIngress: [], tcxEgress: [] }, 'nothing attached');
  });
}
