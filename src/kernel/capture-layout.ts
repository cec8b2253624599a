/**
 * The TypeScript side of bpf/capture.h: record, counter and settings
 * layouts (test/kernel/layout.test.ts compares them with the C compiler's
 * offsetof), and where the compiled program is.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XcapError } from '../errors.js';

export const MAX_IFACES = 32;

/**
 * struct xcap_record: the fixed fields of a pcapng Enhanced Packet Block,
 * after the ring's 8-byte record header (which takes the place of the
 * block type and total length).  The data follows, then struct xcap_epb_tail.
 */
export const RECORD_SIZE = 20;
export const enum RecordField {
  IfaceId = 0,
  TsHigh = 4,
  TsLow = 8,
  Caplen = 12,
  Origlen = 16,
}

/** struct xcap_epb_tail: the epb_flags option, opt_endofopt (only when needed), the block length. */
export const EPB_TAIL_SIZE = 16;
export const enum EpbTailField {
  OptionCode = 0,
  OptionLength = 2,
  Flags = 4,
  EndOfOptions = 8,
  TotalLength = 12,
}
export const EPB_BLOCK_TYPE = 6;
export const EPB_FLAGS_OPTION = 2;
export const MAX_SNAPLEN = 262144;

/** struct xcap_counters, one per interface slot (plus one for unlisted interfaces) per CPU. */
export const COUNTERS_SIZE = 16;
export const enum CountersField {
  Seen = 0,
  Dropped = 8,
}

/** struct xcap_settings: the whole .rodata section. */
export const SETTINGS_SIZE = 24 + 4 * MAX_IFACES;
export const enum SettingsField {
  Snaplen = 0,
  WakeupBytes = 4,
  NIfaces = 8,
  Flags = 12,
  TaiOffsetNs = 16,
  Ifindexes = 24,
}

export const enum SettingsFlag {
  Steal = 1,
}

export interface CaptureSettings {
  snaplen: number;
  wakeupBytes: number;
  /** CLOCK_TAI - CLOCK_REALTIME in nanoseconds: the kernel stamps records in wall-clock time. */
  taiOffsetNs: bigint;
  /** Interface i's counters and records carry slot i. */
  ifindexes: number[];
  /** Drop each incoming frame once captured (XCAP_STEAL). */
  steal?: boolean;
}

export function encodeSettings(s: CaptureSettings): Buffer {
  if (s.ifindexes.length > MAX_IFACES) throw new RangeError(`at most ${MAX_IFACES} interfaces per capture`);
  const b = Buffer.alloc(SETTINGS_SIZE);
  b.writeUInt32LE(s.snaplen, SettingsField.Snaplen);
  b.writeUInt32LE(s.wakeupBytes, SettingsField.WakeupBytes);
  b.writeUInt32LE(s.ifindexes.length, SettingsField.NIfaces);
  b.writeUInt32LE(s.steal ? SettingsFlag.Steal : 0, SettingsField.Flags);
  b.writeBigInt64LE(s.taiOffsetNs, SettingsField.TaiOffsetNs);
  s.ifindexes.forEach((ifindex, i) => b.writeUInt32LE(ifindex, SettingsField.Ifindexes + 4 * i));
  return b;
}

export const PROGRAMS = { xdp: 'xcap_xdp', tcIngress: 'xcap_tc_ingress', tcEgress: 'xcap_tc_egress' } as const;
export const MAPS = { ring: 'ring', counters: 'counters', scratch: 'scratch' } as const;

/** bpf/capture.bpf.o, found upward from this module (it runs from src/ or from dist/src/). */
export function captureObjectPath(): string {
  return bpfObjectPath('capture.bpf.o');
}

/** A compiled program of bpf/, found upward from this module. */
export function bpfObjectPath(file: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++, dir = dirname(dir)) {
    const candidate = join(dir, 'bpf', file);
    if (existsSync(candidate)) return candidate;
  }
  throw new XcapError(`bpf/${file} is missing from the installation (rebuild it with scripts/build-bpf.sh)`);
}
