import t from 'tap';
import { KernelError, check } from '../../src/kernel/errors.js';
import { XcapError } from '../../src/errors.js';

t.test('KernelError says what failed and the errno by name and number', async (t) => {
  const e = new KernelError('attach XDP program to veth0', 16);
  t.equal(e.message, "can't attach XDP program to veth0: EBUSY (16)");
  t.ok(e instanceof XcapError);
  t.match(e, { op: 'attach XDP program to veth0', errno: 16, name: 'KernelError' });
  t.equal(new KernelError('load BPF object x.o', -1, 'verifier said no').message, "can't load BPF object x.o: EPERM (1) - verifier said no");
});

t.test('check passes results through and turns -errno or -1/errno into a KernelError', async (t) => {
  t.equal(check(5, 'x', () => 0), 5);
  t.throws(() => check(-22, 'set it', () => 0), { errno: 22, message: "can't set it: EINVAL (22)" });
  t.throws(() => check(-1, 'open it', () => 2), { errno: 2, message: "can't open it: ENOENT (2)" });
});
