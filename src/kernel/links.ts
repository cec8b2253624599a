/**
 * Attaching programs as BPF links, so the kernel detaches them when the last
 * fd closes (also when the process is killed): bpf_link_create with the XDP
 * or TCX attach type (libbpf 1.1 has no TCX wrapper), so any loaded program
 * fd can be attached, from an object file or generated.  A link never
 * replaces a program someone else attached: the kernel answers EBUSY/EEXIST.
 * Ifindexes are those of the calling thread's network namespace (netns.ts).
 */
import * as bpf from './libbpf.js';
import { AttachType } from './libbpf.js';
import { objectId } from './bpf-object.js';
import { check } from './errors.js';
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

/** A loaded program: what attaching needs. */
export interface AttachableProgram { readonly fd: number; }

export function attachXdp(prog: AttachableProgram, ifname: string, ifindex: number): Link {
  return attachLink(prog, ifname, ifindex, 'xdp');
}

export function attachTcx(prog: AttachableProgram, ifname: string, ifindex: number, hook: 'tcx-ingress' | 'tcx-egress'): Link {
  return attachLink(prog, ifname, ifindex, hook);
}

const ATTACH_TYPES: Record<Hook, AttachType> = { xdp: AttachType.Xdp, 'tcx-ingress': AttachType.TcxIngress, 'tcx-egress': AttachType.TcxEgress };

function attachLink(prog: AttachableProgram, ifname: string, ifindex: number, hook: Hook): Link {
  const ret = bpf.bpf_link_create(prog.fd, ifindex, ATTACH_TYPES[hook], null) as number;
  const fd = check(ret, `attach ${describe(hook)} to ${ifname}`, errno, () => whyBusy(hook, ret === -1 ? errno() : -ret));
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
      close(fd); // the last fd of the link: the kernel detaches
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
