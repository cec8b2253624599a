// Choosing the ring buffer's ingress hook, and saying where it went, without
// a kernel: the lab tests (record.test.ts) attach for real.
import t from 'tap';
import { chooseBackend, describeIngress, ingressHookFor } from '../../src/capture/backend-choice.js';
import type { Attachment } from '../../src/kernel/ring-capture.js';
import { UsageError } from '../../src/errors.js';

t.test('auto takes ingress at TC where no device is behind the interface, XDP (falling back to TC) elsewhere', async (t) => {
  const ring = chooseBackend({ backend: 'ringbuf', interfaces: [] });
  t.equal(ingressHookFor(ring, { virtual: true }), 'tc', 'veth, bridge, tun: TC');
  t.equal(ingressHookFor(ring, { virtual: false }), 'auto', 'a NIC: XDP first');
  t.equal(ingressHookFor(ring, { virtual: true }, true), 'auto', 'a filter that tests VLAN tags keeps XDP, which sees them');
  for (const hook of ['xdp', 'tc'] as const) {
    const asked = chooseBackend({ backend: 'ringbuf', interfaces: [], ingressHook: hook });
    t.equal(ingressHookFor(asked, { virtual: true }), hook, `--ingress-hook ${hook} is kept on a virtual interface`);
    t.equal(ingressHookFor(asked, { virtual: false }), hook, `and on a NIC`);
    t.equal(ingressHookFor(asked, { virtual: true }, true), hook, 'and with a VLAN filter');
  }
});

t.test('--ingress-hook belongs to the ring buffer', async (t) => {
  t.same(chooseBackend({ backend: 'auto', interfaces: ['xcap-none0'], ingressHook: 'tc' }), { kind: 'ringbuf', ingressHook: 'tc' }, 'with auto it picks the ring buffer');
  t.same(chooseBackend({ backend: 'ringbuf', interfaces: [], ingressHook: 'xdp', steal: true }), { kind: 'ringbuf', steal: true, ingressHook: 'xdp' });
  t.throws(() => chooseBackend({ backend: 'afxdp', interfaces: [], ingressHook: 'xdp', steal: true }),
    new UsageError('--ingress-hook only applies to the ring buffer (--backend ringbuf)'));
});

t.test('the start-up line names where ingress frames are taken', async (t) => {
  const at = (iface: string, hook: Attachment['hook']): Attachment => ({ iface, ifindex: 1, hook, linkId: 1, progId: 1 });
  t.equal(describeIngress([at('veth0', 'tcx-ingress'), at('veth0', 'tcx-egress')]), 'ingress at TC');
  t.equal(describeIngress([at('eth1', 'xdp'), at('eth1', 'tcx-egress'), at('eth2', 'xdp')]), 'ingress at XDP');
  t.equal(describeIngress([at('eth1', 'xdp'), at('veth0', 'tcx-ingress')]), 'ingress at XDP on eth1, TC on veth0');
  t.equal(describeIngress([at('veth0', 'tcx-egress')]), '', 'no ingress program: nothing to say');
});
