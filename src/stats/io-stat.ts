/**
 * -z io,stat,INTERVAL[,FILTER...]: frames and bytes per time interval, one
 * column per filter (a column without one counts every frame), laid out as
 * tshark 4.0's iostat_draw lays them out.  Times are whole microseconds
 * since the first frame, as tshark rounds them.
 */
import { UsageError, XcapError } from '../errors.js';
import { relativeTime, type FrameRecord, type Statistic, type StatPass } from './statistic.js';

const CALCULATIONS = ['COUNT', 'SUM', 'MIN', 'MAX', 'AVG', 'LOAD', 'FRAMES', 'BYTES'];
/** tshark's interval for "io,stat,0": the whole capture. */
const WHOLE_CAPTURE = -1;

interface Bucket { start: number; frames: number; bytes: number }

/** More intervals than this (a tiny interval over a long capture) is refused rather than run out of memory. */
const MAX_INTERVALS = 10_000_000;

function tooManyIntervals(interval: number): XcapError {
  return new XcapError(`-z io,stat: the capture spans more than ${MAX_INTERVALS.toLocaleString('en')} intervals of ${interval / 1e6} s; give a longer interval`);
}

class Column {
  readonly buckets: Bucket[] = [];
  constructor(readonly filter: string | undefined) {}

  /** As tshark: a frame goes in the current interval or a later one, never back. */
  add(time: number, length: number, interval: number): void {
    let b = this.buckets.at(-1);
    if (!b) this.buckets.push(b = { start: 0, frames: 0, bytes: 0 });
    if (interval !== WHOLE_CAPTURE) {
      if ((time - b.start) / interval + this.buckets.length > MAX_INTERVALS) {
        throw tooManyIntervals(interval);
      }
      while (time >= b.start + interval) this.buckets.push(b = { start: b.start + interval, frames: 0, bytes: 0 });
    }
    b.frames++;
    b.bytes += length;
  }

  // A reduce, not Math.max(...): a capture spanning weeks has millions of intervals, more than a call takes arguments.
  get maxFrames(): number { return this.buckets.reduce((m, b) => Math.max(m, b.frames), 0); }
  get maxBytes(): number { return this.buckets.reduce((m, b) => Math.max(m, b.bytes), 0); }
}

/** Microseconds since the first frame, from frame.time_relative, rounded as tshark rounds rel_ts. */
function microseconds(text: string): number {
  const t = relativeTime(text);
  return t.sign * (t.secs * 1e6 + Math.floor((t.nsecs + 500) / 1000));
}

/** Wireshark's magnitude(): decimal digits of val, at least 1 and at most maxWidth. */
function magnitude(val: number, maxWidth: number): number {
  let mag = 0;
  for (let i = 0; i < maxWidth; i++) {
    mag++;
    val = Math.floor(val / 10);
    if (val === 0) break;
  }
  return mag;
}

export class IoStat implements Statistic {
  private readonly interval: number;
  private readonly precision: number;
  private readonly columns: Column[];
  /** The capture's elapsed time in microseconds: the latest frame's, all frames counted. */
  private elapsed = 0;
  private elapsedNs = 0;

  constructor(private readonly arg: string) {
    const m = /^io,stat,([^,]*)(?:,(.*))?$/s.exec(arg);
    const seconds = m ? Number(m[1]) : NaN;
    if (!m || m[1].trim() === '' || !Number.isFinite(seconds) || seconds < 0 || arg.endsWith(',')) {
      throw new UsageError(`-z ${arg}: io,stat wants io,stat,INTERVAL[,FILTER]... with INTERVAL in seconds`);
    }
    if (seconds === 0) {
      this.interval = WHOLE_CAPTURE;
      this.precision = 0;
    } else {
      this.interval = Math.floor(seconds * 1e6 + 0.5);
      if (this.interval < 1) throw new UsageError(`-z ${arg}: the interval must be at least 0.000001 seconds, or 0 for the whole capture`);
      this.precision = intervalPrecision(this.interval, m[1]);
    }
    const filters = m[2] === undefined ? [undefined] : m[2].split(',').map((f) => f.trim() || undefined);
    for (const f of filters) {
      const calculation = f && CALCULATIONS.find((c) => f.startsWith(c));
      if (calculation) throw new UsageError(`-z ${arg}: xcap's io,stat counts frames and bytes only, not ${calculation}() columns`);
    }
    this.columns = filters.map((f) => new Column(f));
  }

  passes(): StatPass[] {
    const time = (frame: FrameRecord): number => microseconds(frame.values('frame.time_relative')[0] ?? '0');
    const length = (frame: FrameRecord): number => Number(frame.values('frame.len')[0] ?? 0);
    return [
      {
        fields: ['frame.time_relative'],
        add: (frame) => {
          const text = frame.values('frame.time_relative')[0] ?? '0';
          const ns = nanoseconds(text);
          if (ns > this.elapsedNs) { this.elapsedNs = ns; this.elapsed = microseconds(text); }
        },
      },
      ...this.columns.map((c) => ({
        filter: c.filter,
        fields: ['frame.time_relative', 'frame.len'],
        add: (frame: FrameRecord) => c.add(time(frame), length(frame), this.interval),
      })),
    ];
  }

  render(): string {
    let duration = this.elapsed;
    const elapsedSecs = Math.floor(this.elapsedNs / 1e9);
    let interval = this.interval === WHOLE_CAPTURE || this.interval > duration ? duration : this.interval;
    const wholeCapture = this.interval === WHOLE_CAPTURE || this.interval > duration;
    let durMag = magnitude(Math.floor(duration / 1e6), 5);
    const invlMag = magnitude(Math.floor(interval / 1e6), 5);
    let precision: number;
    let borderlen: number;
    if (interval === duration) {
      precision = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
      borderlen = 30 + durMag + (precision === 0 ? 0 : precision + 1);
    } else {
      precision = this.precision;
      borderlen = 25 + Math.max(invlMag, durMag) + (precision === 0 ? 0 : precision + 1);
    }
    let dv = 1e6;
    for (let i = 0; i < precision; i++) dv = Math.floor(dv / 10);
    if (duration % dv > 5 * Math.floor(dv / 10)) {
      duration += 5 * Math.floor(dv / 10);
      duration = Math.floor(duration / dv) * dv;
      durMag = magnitude(Math.floor(duration / 1e6), 5);
    }
    if (wholeCapture) interval = duration;
    const invlColW = Math.max(12, precision === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * precision + 10);
    const widths = this.columns.map((c) => ({ fr: Math.max(6, magnitude(c.maxFrames, 15)), val: Math.max(5, magnitude(c.maxBytes, 15)) }));
    const tabrowW = invlColW + widths.reduce((sum, w) => sum + w.fr + 3 + w.val + 3, 0);
    borderlen = Math.max(borderlen, tabrowW);
    const maxFilterW = Math.max(0, ...this.columns.map((c) => (c.filter ? c.filter.length + 11 : 26)));
    if (maxFilterW > borderlen && borderlen < 102) borderlen = Math.min(maxFilterW, 102);
    if (borderlen - tabrowW === 1) borderlen++;

    const out: string[] = [''];
    const boxed = (text: string): string => `${text.padEnd(borderlen - 1)}|`;
    out.push('='.repeat(borderlen));
    out.push(boxed('| IO Statistics'));
    out.push(boxed('|'));
    const durPrecision = precision === 0 ? 6 : precision;
    const durW = magnitude(elapsedSecs, 5) + (precision === 0 ? 0 : precision + 1);
    // tshark 4.0 pads the microseconds of a whole-second interval's duration with spaces ("4. 10952").
    const durText = secondsText(roundNs(this.elapsedNs, durPrecision), durPrecision);
    const shownDuration = precision === 0 ? durText.replace(/\.(\d+)$/, (_, f: string) => `.${String(Number(f)).padStart(6)}`) : durText;
    out.push(boxed(`| Duration: ${shownDuration.padStart(durW)} secs`));
    out.push(boxed(`| Interval: ${secondsText(interval * 1000, precision).padStart(durW)} secs`));
    out.push(boxed('|'));
    this.columns.forEach((c, j) => out.push(...filterLines(j, c.filter, borderlen)));
    out.push(`|-${'-'.repeat(borderlen - 3)}|`);

    const filler = tabrowW < borderlen ? '|'.padStart(borderlen - tabrowW) : '';
    out.push(`|${'|'.padStart(invlColW - 1)}${widths.map((w, j) => `${String(j + 1).padEnd(2)}${' '.repeat(w.fr + w.val + 3)}|`).join('')}${filler}`);
    out.push(`| Interval${'|'.padStart(invlColW - 10)}${widths.map((w) => centered('Frames', w.fr) + centered('Bytes', w.val)).join('')}${filler}`);
    out.push(`|-${'-'.repeat(tabrowW - 3)}|${filler}`);

    const rows = interval === 0 || duration === 0 ? 0 : Math.floor(duration / interval) + (duration % interval > 0 ? 1 : 0);
    // The rows run over the whole capture, also where no column counted a frame.
    if (rows > MAX_INTERVALS) throw tooManyIntervals(interval);
    const time = (us: number): string => precision === 0
      ? String(Math.floor(us / 1e6)).padStart(durMag)
      : `${String(Math.floor(us / 1e6)).padStart(durMag)}.${String(Math.floor((us % 1e6) / dv)).padStart(precision, '0')}`;
    for (let i = 0, t = 0; i < rows; i++, t += interval) {
      const last = i === rows - 1;
      const end = last ? duration : t + interval;
      let label: string;
      if (precision !== 0) label = `| ${time(t)} <> ${time(end)} |`;
      else if (last) label = `| ${durMag === 1 ? ' ' : ''}${time(t)} <> ${'Dur'.padEnd(durMag >= 3 ? durMag + 1 : 3)}|`;
      else label = durMag === 1 ? `|  ${time(t)} <> ${time(end)}  |` : `| ${time(t)} <> ${time(end)} |`;
      const cells = this.columns.map((c, j) => {
        const b = c.buckets[i];
        return ` ${String(b?.frames ?? 0).padStart(widths[j].fr)} | ${String(b?.bytes ?? 0).padStart(widths[j].val)} |`;
      });
      out.push(label + cells.join('') + filler);
    }
    out.push('='.repeat(borderlen));
    return out.join('\n') + '\n';
  }
}

/** tshark's precision of an interval: its decimals, from the value, or as written when it is whole ("1.00"). */
function intervalPrecision(us: number, written: string): number {
  let precision = 6;
  for (let i = 10; i < 10_000_000; i *= 10) {
    if (us % i > 0) break;
    precision--;
  }
  if (precision === 0) {
    const dot = written.indexOf('.');
    const decimals = dot < 0 ? 0 : written.length - dot - 1;
    if (decimals) precision = Math.min(decimals, 6);
  }
  return precision;
}

function nanoseconds(text: string): number {
  const t = relativeTime(text);
  return t.sign * (t.secs * 1e9 + t.nsecs);
}

/** Wireshark's nstime_rounded to `precision` decimals (half up). */
function roundNs(ns: number, precision: number): number {
  const unit = 10 ** (9 - precision);
  return Math.floor((ns + unit / 2) / unit) * unit;
}

function secondsText(ns: number, precision: number): string {
  const secs = Math.floor(ns / 1e9);
  if (precision === 0) return String(secs);
  const fraction = Math.floor((ns % 1e9) / 10 ** (9 - precision));
  return `${secs}.${String(fraction).padStart(precision, '0')}`;
}

/** Wireshark's printcenter with one space of padding: the label centred in a column of `width`, then '|'. */
function centered(label: string, width: number): string {
  const pad = Math.floor((width - label.length) / 2) + 1;
  const len = 6 - pad;
  if (len > 0 && len < 6) {
    return (width - label.length) % 2 === 0 ? `${' '.repeat(pad)}${label}${' '.repeat(pad)}|` : `${' '.repeat(pad + 1)}${label}${' '.repeat(pad)}|`;
  }
  return len > 0 && len <= 15 ? `${label}|` : '';
}

/** "| Col 1: FILTER |", wrapped at a space (or anywhere) when wider than the box. */
function filterLines(j: number, filter: string | undefined, borderlen: number): string[] {
  const prefix = j === 0 ? `| Col${String(j + 1).padStart(2)}: ` : `|    ${String(j + 1).padStart(2)}: `;
  const boxed = (head: string, text: string): string => `${head}${text}${' '.repeat(Math.max(0, borderlen - text.length - 10))}|`;
  if (!filter) return [boxed(prefix, 'Frames and bytes')];
  const lines: string[] = [];
  const maxW = borderlen - 11;
  let head = prefix;
  let rest = filter;
  while (rest.length > maxW) {
    const space = rest.slice(0, maxW).lastIndexOf(' ');
    const len = space >= 0 ? space : maxW;
    lines.push(boxed(head, rest.slice(0, len)));
    rest = rest.slice(space >= 0 ? len + 1 : len);
    head = '|        ';
  }
  lines.push(boxed(head, rest));
  return lines;
}
