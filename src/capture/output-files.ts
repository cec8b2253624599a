/**
 * The pcapng output of a capture: one file, stdout, or a ring of files named
 * as dumpcap names them (out_00001_20240101120000.pcapng), the oldest removed
 * beyond -b files:N.  Each file gets the section header and an IDB per
 * interface; closing a file writes an ISB per interface first.
 */
import { unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { PcapngWriter, type InterfaceOptions, type InterfaceStats } from '../pcap/pcapng-writer.js';
import type { Rotation } from './stop-conditions.js';

export class CaptureOutput {
  private writer: PcapngWriter;
  private sequence = 0;
  private readonly kept: string[] = [];
  private openedAt = Date.now();
  /** Bytes written to files already closed by rotation. */
  private rotatedBytes = 0;
  readonly files: string[] = [];

  constructor(
    private readonly path: string,
    private readonly interfaces: InterfaceOptions[],
    private readonly rotation: Rotation | undefined,
  ) {
    this.writer = this.openNext();
  }

  get current(): PcapngWriter { return this.writer; }
  get bytesWritten(): number { return this.rotatedBytes + this.writer.bytesWritten; }

  private nextName(): string {
    if (this.path === '-' || !this.rotation) return this.path;
    this.sequence++;
    const ext = extname(this.path) || '.pcapng';
    const stem = basename(this.path, extname(this.path));
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    return join(dirname(this.path), `${stem}_${String(this.sequence).padStart(5, '0')}_${stamp}${ext}`);
  }

  private openNext(): PcapngWriter {
    const name = this.nextName();
    const w = PcapngWriter.open(name === '-' ? 1 : name);
    for (const i of this.interfaces) w.addInterface(i);
    this.openedAt = Date.now();
    if (name !== '-') {
      this.files.push(name);
      this.kept.push(name);
    }
    return w;
  }

  /** True when the current file has reached its -b limit. */
  due(): boolean {
    const r = this.rotation;
    if (!r) return false;
    return (r.fileBytes !== undefined && this.writer.bytesWritten >= r.fileBytes)
      || (r.durationMs !== undefined && Date.now() - this.openedAt >= r.durationMs);
  }

  /** Closes the current file (with its statistics) and starts the next. */
  rotate(stats: InterfaceStats[]): void {
    this.finish(stats);
    this.rotatedBytes += this.writer.bytesWritten;
    this.writer = this.openNext();
    const keep = this.rotation?.keepFiles;
    while (keep !== undefined && this.kept.length > keep) unlinkSync(this.kept.shift()!);
  }

  private finish(stats: InterfaceStats[]): void {
    try {
      stats.forEach((s, id) => this.writer.writeStats(id, s));
    } finally {
      this.writer.close();
    }
  }

  close(stats: InterfaceStats[]): void {
    this.finish(stats);
  }
}
