/**
 * Choosing the capture path of `xcap record` (--backend auto|ringbuf|afxdp)
 * from the interfaces alone, before anything is loaded: AF_XDP takes the
 * frames it captures away from the host's stack, so it is chosen only for
 * interfaces the host does not use, or when asked for with --steal.  The
 * ring buffer passes every frame on, unless --steal asks it to drop each
 * incoming frame once captured.
 */
import { XcapError, UsageError } from '../errors.js';
import type { Attachment, CaptureInterface, IngressHook } from '../kernel/ring-capture.js';
import { hostUse, type InterfaceInfo } from './interfaces.js';

export type BackendName = 'ringbuf' | 'afxdp';

/** What --steal does to the ring buffer, in the words the start-up line, the usage error and the IDB use. */
export const RING_STEAL_NOTE = 'incoming frames dropped once captured';

export type BackendChoice =
  | { kind: 'ringbuf'; steal?: boolean; ingressHook?: IngressHook }
  | { kind: 'afxdp'; queue?: number; zerocopy?: boolean };

export interface BackendRequest {
  backend: 'auto' | BackendName;
  interfaces: string[];
  queue?: number;
  zerocopy?: boolean;
  /** Take incoming frames away from the host: AF_XDP even on an interface the host uses; the ring buffer drops each once captured. */
  steal?: boolean;
  /** The ring buffer's ingress hook (--ingress-hook); auto when not given. */
  ingressHook?: IngressHook;
}

/** Decides the capture path, or refuses with the reason; looks at the interfaces but changes nothing. */
export function chooseBackend(r: BackendRequest): BackendChoice {
  const flags = [r.queue !== undefined && '--queue', r.zerocopy && '--zerocopy'].filter(Boolean);
  const afxdpOnly = flags.length ? `${flags.join(', ')} only appl${flags.length === 1 ? 'ies' : 'y'} to --backend afxdp` : '';
  // Asking for a ring buffer hook asks for the ring buffer.
  const backend = r.backend === 'auto' && r.ingressHook ? 'ringbuf' : r.backend;
  if (backend === 'ringbuf') {
    if (afxdpOnly) throw new UsageError(afxdpOnly);
    return { kind: 'ringbuf', ...(r.steal && { steal: true }), ...(r.ingressHook && { ingressHook: r.ingressHook }) };
  }
  if (r.ingressHook) throw new UsageError('--ingress-hook only applies to the ring buffer (--backend ringbuf)');
  const used = r.interfaces.map((name) => ({ name, why: hostUse(name) })).filter((u) => u.why !== undefined);
  if (backend === 'auto') {
    if (afxdpOnly) throw new UsageError(afxdpOnly);
    if (r.steal) throw new UsageError(`--steal needs a backend named: --backend ringbuf (both directions, ${RING_STEAL_NOTE}) or --backend afxdp`);
    // AF_XDP only where it takes nothing from the host: a mirror port or a dedicated capture interface.
    return used.length === 0 ? { kind: 'afxdp' } : { kind: 'ringbuf' };
  }
  if (used.length > 0 && !r.steal) {
    const u = used[0];
    throw new XcapError(`--backend afxdp refuses ${u.name}: ${u.why}, and AF_XDP would take its incoming frames away from the host; use --backend ringbuf, or --steal if that is intended`);
  }
  return { kind: 'afxdp', queue: r.queue, zerocopy: r.zerocopy };
}

/**
 * The ring buffer's ingress hook for one interface: as asked, or for auto,
 * TC on an interface with no device behind it (frames arrive there as socket
 * buffers: measured on veth, TC left the sender 1.08x tcpdump's rate where
 * XDP left it 0.74x) and XDP, falling back to TC, elsewhere.  A filter that
 * tests 802.1Q tags keeps XDP, the one ingress hook that sees them in the
 * frame.
 */
export function ingressHookFor(choice: BackendChoice, info: Pick<InterfaceInfo, 'virtual'>, vlanFilter = false): IngressHook {
  const asked = choice.kind === 'ringbuf' ? choice.ingressHook ?? 'auto' : 'auto';
  return asked === 'auto' && info.virtual && !vlanFilter ? 'tc' : asked;
}

/** Where ingress frames were taken, in words for the start-up line: "ingress at XDP", "ingress at TC on veth0, XDP on eth1". */
export function describeIngress(attachments: Attachment[]): string {
  const ingress = attachments.filter((a) => a.hook !== 'tcx-egress').map((a) => ({ iface: a.iface, at: a.hook === 'xdp' ? 'XDP' : 'TC' }));
  if (ingress.length === 0) return '';
  if (ingress.every((a) => a.at === ingress[0].at)) return `ingress at ${ingress[0].at}`;
  return `ingress at ${ingress.map((a) => `${a.at} on ${a.iface}`).join(', ')}`;
}

/** What the interface description block says about how frames were taken. */
export function describeCapture(choice: BackendChoice, iface: CaptureInterface): string {
  if (choice.kind === 'afxdp') {
    const queues = choice.queue === undefined ? 'all RX queues' : `RX queue ${choice.queue}`;
    return `${iface.name} (xcap AF_XDP: ingress, ${queues}, ${choice.zerocopy ? 'zero-copy' : 'copy mode'})`;
  }
  const stolen = choice.steal && iface.ingress ? `, ${RING_STEAL_NOTE}` : '';
  return `${iface.name} (xcap ring buffer: ${[iface.ingress && 'ingress', iface.egress && 'egress'].filter(Boolean).join(' and ')}${stolen})`;
}
