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

/** struct xcap_record, the header before each frame's bytes. */
export const RECORD_SIZE = 24;
export const enum RecordField {
  TsNs = 0,
  Ifindex = 8,
  Origlen = 12,
  Caplen = 16,
  IfaceSlot = 20,
  Direction = 22,
  Flags = 23,
}

export const enum RecordFlag {
  /** Captured by the TC program (TCX) rather than XDP. */
  Tc = 0x01,
}

/** struct xcap_counters, one per interface slot (plus one for unlisted interfaces) per CPU. */
export const COUNTERS_SIZE = 16;
export const enum CountersField {
  Seen = 0,
  Dropped = 8,
}

/** struct xcap_settings: the whole .rodata section. */
export const SETTINGS_SIZE = 16 + 4 * MAX_IFACES;
export const enum SettingsField {
  Snaplen = 0,
  WakeupBytes = 4,
  NIfaces = 8,
  Ifindexes = 16,
}

export interface CaptureSettings {
  snaplen: number;
  wakeupBytes: number;
  /** Interface i's counters and records carry slot i. */
  ifindexes: number[];
}

export function encodeSettings(s: CaptureSettings): Buffer {
  if (s.ifindexes.length > MAX_IFACES) throw new RangeError(`at most ${MAX_IFACES} interfaces per capture`);
  const b = Buffer.alloc(SETTINGS_SIZE);
  b.writeUInt32LE(s.snaplen, SettingsField.Snaplen);
  b.writeUInt32LE(s.wakeupBytes, SettingsField.WakeupBytes);
  b.writeUInt32LE(s.ifindexes.length, SettingsField.NIfaces);
  s.ifindexes.forEach((ifindex, i) => b.writeUInt32LE(ifindex, SettingsField.Ifindexes + 4 * i));
  return b;
}

export const PROGRAMS = { xdp: 'xcap_xdp', tcIngress: 'xcap_tc_ingress', tcEgress: 'xcap_tc_egress' } as const;
export const MAPS = { ring: 'ring', counters: 'counters' } as const;

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
