/**
 * The TypeScript side of bpf/afxdp.h (test/kernel/layout.test.ts compares
 * it with the C compiler's offsetof): the header in front of each frame,
 * the counters, and the names inside bpf/afxdp.bpf.o.
 */
import { bpfObjectPath } from './capture-layout.js';

/** struct xcap_afxdp_meta, the header ending where the frame's data starts. */
export const AFXDP_META_SIZE = 16;
export const AFXDP_META_MAGIC = 0x58434150;
export const enum AfxdpMetaField {
  TsNs = 0,
  Magic = 8,
  Queue = 12,
}

/** struct xcap_afxdp_counters (per CPU, one entry). */
export const AFXDP_COUNTERS_SIZE = 16;
export const enum AfxdpCountersField {
  Redirected = 0,
  NoMeta = 8,
}

export const AFXDP_PROGRAM = 'xcap_afxdp';
export const AFXDP_MAPS = { sockets: 'xsks', counters: 'afxdp_counters' } as const;

export function afxdpObjectPath(): string {
  return bpfObjectPath('afxdp.bpf.o');
}
