/**
 * One typed error for everything the kernel side refuses: what we tried
 * (`op`) and the errno the kernel or libbpf gave back, shown as
 * "can't attach XDP program to veth0: EBUSY (16)".
 */
import { constants } from 'node:os';
import { XcapError } from '../errors.js';

const errnoNames = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  if (!errnoNames.has(value)) errnoNames.set(value, name);
}
// libbpf's own codes (libbpf.h, enum libbpf_errno), from 4000 on.
['LIBELF', 'FORMAT', 'KVERSION', 'ENDIAN', 'INTERNAL', 'RELOC', 'LOAD', 'VERIFY', 'PROG2BIG', 'KVER', 'PROGTYPE', 'WRNGPID', 'INVSEQ', 'NLPARSE']
  .forEach((name, i) => errnoNames.set(4000 + i, `LIBBPF_ERRNO__${name}`));

export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `errno ${errno}`;
}

export class KernelError extends XcapError {
  readonly errno: number;

  /**
   * @param op     what failed, phrased to follow "can't": "attach XDP program to veth0"
   * @param errno  positive errno (a negative libbpf return is accepted and flipped)
   * @param detail what the user can do about it, or what libbpf logged
   */
  constructor(readonly op: string, errno: number, readonly detail?: string) {
    const e = Math.abs(errno);
    super(`can't ${op}: ${errnoName(e)} (${e})${detail ? ` - ${detail}` : ''}`);
    this.errno = e;
  }
}

/** Throws a KernelError when a libbpf/libc call returned a negative value; returns the value otherwise. */
export function check(ret: number, op: string, errno: () => number, detail?: () => string | undefined): number {
  if (ret >= 0) return ret;
  // libbpf returns -errno; libc returns -1 and leaves the cause in errno.
  const e = ret === -1 ? errno() || 1 : -ret;
  throw new KernelError(op, e, detail?.());
}
