/**
 * Attaching programs as BPF links, so the kernel detaches them when the last
 * fd closes (also when the process is killed).  XDP through libbpf's
 * bpf_program__attach_xdp; TCX ingress/egress through bpf_link_create with
 * the TCX attach types, which libbpf 1.1 has no wrapper for.  A link never
 * replaces a program someone else attached: the kernel answers EBUSY/EEXIST.
 * Ifindexes are those of the calling thread's network namespace (netns.ts).
 */
import * as bpf from './libbpf.js';
import { AttachType } from './libbpf.js';
import type { BpfProgram } from './bpf-object.js';
import { objectId } from './bpf-object.js';
import { KernelError, check } from './errors.js';
import { close, errno } from './libc.js';

export type Hook = 'xdp' | 'tcx-ingress' | 'tcx-egress';

export interface Link {
  readonly hook: Hook;
  readonly ifname: string;
  readonly ifindex: number;
  /** The kernel's link id (as `bpftool link show` lists it). */
  readonly id: number;
  /** Detaches; safe to call twice. */
  detach(): void;
}

const EBUSY = 16;
const EEXIST = 17;

function whyBusy(hook: Hook, e: number): string | undefined {
  if (e !== EBUSY && e !== EEXIST) return undefined;
  return hook === 'xdp'
    ? 'another XDP program is attached there, and xcap never replaces it'
    : 'the interface refuses another TCX program';
}

function describe(hook: Hook): string {
  return hook === 'xdp' ? 'XDP program' : `TC ${hook === 'tcx-ingress' ? 'ingress' : 'egress'} program`;
}

export function attachXdp(prog: BpfProgram, ifname: string, ifindex: number): Link {
  bpf.clearLibbpfLog();
  const handle = bpf.bpf_program__attach_xdp(prog.handle, ifindex) as bpf.Ptr | null;
  if (handle === null) {
    const e = errno() || 1;
    throw new KernelError(`attach ${describe('xdp')} to ${ifname}`, e, whyBusy('xdp', e));
  }
  let live = true;
  const id = objectId(bpf.bpf_link__fd(handle) as number);
  return {
    hook: 'xdp', ifname, ifindex, id,
    detach() {
      if (!live) return;
      live = false;
      bpf.bpf_link__destroy(handle); // closes the link fd: the kernel detaches
    },
  };
}

export function attachTcx(prog: BpfProgram, ifname: string, ifindex: number, hook: 'tcx-ingress' | 'tcx-egress'): Link {
  const type = hook === 'tcx-ingress' ? AttachType.TcxIngress : AttachType.TcxEgress;
  const ret = bpf.bpf_link_create(prog.fd, ifindex, type, null) as number;
  const fd = check(ret, `attach ${describe(hook)} to ${ifname}`, errno, () => whyBusy(hook, -ret));
  let live = true;
  let id: number;
  try {
    id = objectId(fd);
  } catch (err) {
    close(fd);
    throw err;
  }
  return {
    hook, ifname, ifindex, id,
    detach() {
      if (!live) return;
      live = false;
      close(fd);
    },
  };
}

export interface AttachedPrograms {
  /** Program id at the XDP hook, 0 when none. */
  xdp: number;
  tcxIngress: number[];
  tcxEgress: number[];
}

/** What is attached to an interface (of the calling thread's namespace), whoever attached it. */
export function attachedPrograms(ifname: string, ifindex: number): AttachedPrograms {
  const xdp = new Uint32Array(1);
  check(bpf.bpf_xdp_query_id(ifindex, 0, xdp), `query the XDP program of ${ifname}`, errno);
  const tcx = (type: AttachType, hook: Hook): number[] => {
    const ids = new Uint32Array(64);
    const count = new Uint32Array([ids.length]);
    check(bpf.bpf_prog_query(ifindex, type, 0, null, ids, count), `query the ${describe(hook)}s of ${ifname}`, errno);
    return [...ids.subarray(0, count[0])];
  };
  return { xdp: xdp[0], tcxIngress: tcx(AttachType.TcxIngress, 'tcx-ingress'), tcxEgress: tcx(AttachType.TcxEgress, 'tcx-egress') };
}
