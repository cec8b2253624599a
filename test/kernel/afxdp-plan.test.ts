// planAfXdp: how the UMEM is shared out among the sockets, by default and
// with a buffer size (record -B); pure arithmetic, no kernel needed.
import t from 'tap';
import { planAfXdp, type AfXdpInterface } from '../../src/kernel/afxdp-capture.js';

const MiB = 2 ** 20;
const veth = (name: string, rxQueues = 1, mtu = 1500): AfXdpInterface => ({ name, ifindex: 7, rxQueues, mtu });

t.test('by default 128 MiB shared out, each socket within 4096..32768 frames', (t) => {
  let plan = planAfXdp({ interfaces: [veth('cap0')] });
  t.equal(plan.frameSize, 2048, 'a 1500-byte MTU fits a 2048-byte chunk with the kernel headroom');
  t.equal(plan.framesPerSocket, 32768, 'one socket: capped at 32768 frames');
  t.equal(plan.umemBytes, 64 * MiB);
  plan = planAfXdp({ interfaces: [veth('cap0', 64)] });
  t.equal(plan.framesPerSocket, 4096, '64 queues: no fewer than 4096 frames each');
  t.equal(plan.sockets.length, 64);
  t.equal(planAfXdp({ interfaces: [veth('cap0', 1, 3000)] }).frameSize, 4096, 'a larger MTU takes 4096-byte chunks');
  t.end();
});

t.test('a buffer size is shared out in powers of two', (t) => {
  let plan = planAfXdp({ interfaces: [veth('cap0')], umemBudget: 16 * MiB });
  t.equal(plan.framesPerSocket, 8192);
  t.equal(plan.umemBytes, 16 * MiB);
  plan = planAfXdp({ interfaces: [veth('cap0', 2), veth('cap1')], umemBudget: 100 * MiB });
  t.equal(plan.sockets.length, 3);
  t.equal(plan.framesPerSocket, 16384, '100 MiB over 3 sockets: 16384 frames each, rounded down');
  t.equal(plan.umemBytes, 3 * 16384 * 2048);
  plan = planAfXdp({ interfaces: [veth('cap0')], umemBudget: 255 * MiB });
  t.equal(plan.framesPerSocket, 65536, 'up to the 65536 a socket takes');
  t.end();
});

t.test('a buffer size that leaves a socket too few or too many frames is refused, saying which sizes work', (t) => {
  t.throws(() => planAfXdp({ interfaces: [veth('cap0')], umemBudget: 256 * MiB }),
    { message: '-B 256 gives each of the 1 AF_XDP socket 131072 frames of 2048 bytes, outside the 64 to 65536 a socket takes: give -B from 1 to 255 (MiB)' });
  t.throws(() => planAfXdp({ interfaces: [veth('cap0', 32, 3000)], umemBudget: 4 * MiB }),
    { message: '-B 4 gives each of the 32 AF_XDP sockets 32 frames of 4096 bytes, outside the 64 to 65536 a socket takes: give -B from 8 to 16383 (MiB)' });
  t.end();
});
