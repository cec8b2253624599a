/**
 * What a `-z` statistic is to the reader: the fields it reads from each
 * frame, the display filter of its own (if any) and what it prints at the end.
 */

/** One frame as a statistics pass sees it: its top-level layers and every occurrence of the fields asked for. */
export interface FrameRecord {
  /** The protocol layers, in order ("frame", "eth", "ip", ...), but those of a packet quoted in an ICMP error. */
  layers: string[];
  /** Those of the layers at the top of Wireshark's protocol tree (not inside another protocol's item). */
  topLevel: string[];
  /** Every occurrence of a field the pass asked for, in dissection order ([] when none). */
  values(field: string): string[];
}

/** Frames that one filter passes, fed to a consumer. */
export interface StatPass {
  /** A display filter of the statistic's own (tshark's ",FILTER" after the -z arguments). */
  filter?: string;
  fields: readonly string[];
  add(frame: FrameRecord): void;
}

export interface Statistic {
  passes(): StatPass[];
  /** The text tshark prints for it after the capture was read. */
  render(): string;
}

/** frame.time_relative's text split up: "-1.500000000" is { sign: -1, secs: 1, nsecs: 500000000 }. */
export function relativeTime(text: string): { sign: number; secs: number; nsecs: number } {
  const negative = text.startsWith('-');
  const [secs, nsecs = '0'] = (negative ? text.slice(1) : text).split('.');
  return { sign: negative ? -1 : 1, secs: Number(secs), nsecs: Number(nsecs.padEnd(9, '0')) };
}

/** A frame's time since the capture's first, in seconds, as Wireshark's nstime_to_sec makes it from frame.time_relative. */
export function relativeSeconds(text: string): number {
  const t = relativeTime(text);
  return t.sign * (t.secs + t.nsecs / 1e9);
}
