/**
 * npm run bench: xcap read against tshark and tcpdump on the same file, in
 * the same run, reported as ratios.  The file (1,000,000 frames of the mixed
 * fixture's protocols, repeated) is made on first use under bench/data/.
 *
 *   xcap read -T fields -e ...   vs  tshark -T fields -e ...  (same fields)
 *   xcap read                    vs  tcpdump -nr
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { PcapngWriter } from '../src/pcap/pcapng-writer.js';
import { mixedFrames } from '../fixtures/gen/scenarios/mixed.js';
import { captured } from '../fixtures/gen/capture.js';
import { best, type Measurement } from './run-measured.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FRAMES = Number(process.env.XCAP_BENCH_FRAMES ?? 1_000_000);
const RUNS = Number(process.env.XCAP_BENCH_RUNS ?? 3);
const DATA = join(ROOT, 'bench/data');
const FILE = join(DATA, `mixed-${FRAMES}.pcapng`);
const XCAP = [process.execPath, join(ROOT, 'dist/cli/xcap.js')];

function makeCapture(): void {
  if (existsSync(FILE)) return;
  mkdirSync(DATA, { recursive: true });
  const frames = mixedFrames().map(captured);
  const w = PcapngWriter.open(FILE);
  const iface = w.addInterface({ name: 'bench', linktype: 1, snaplen: 262144 });
  const start = 1_704_067_200;
  for (let i = 0; i < FRAMES; i++) {
    const f = frames[i % frames.length];
    w.writePacket(iface, start + Math.floor(i / 1_000_000), (i % 1_000_000) * 1000, f.data, f.origLen);
  }
  w.close();
}

function fieldList(): string[] {
  const shared = resolve(ROOT, '../shared/tools/fields.txt');
  const path = existsSync(shared) ? shared : join(ROOT, 'test/golden/fields.txt');
  return readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function row(name: string, m: Measurement): string {
  const rate = FRAMES / m.seconds;
  return `| ${name} | ${m.seconds.toFixed(2)} s | ${(rate / 1000).toFixed(0)} k | ${m.peakMiB.toFixed(0)} MiB | ${m.status} |`;
}

function main(): void {
  for (const tool of ['tshark', 'tcpdump', '/usr/bin/time']) {
    if (!have(tool)) { console.error(`bench: ${tool} is not installed (npm run setup installs it)`); process.exit(1); }
  }
  makeCapture();
  const eArgs = fieldList().flatMap((f) => ['-e', f]);
  const tsharkPrefs = ['-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE'];
  console.log(`# offline benchmark: ${FRAMES} frames (${FILE}), best of ${RUNS} (tshark: one run), ${new Date().toISOString()}\n`);
  const xf = best([...XCAP, 'read', '-r', FILE, '-T', 'fields', ...eArgs], RUNS);
  const tf = best(['tshark', '-r', FILE, ...tsharkPrefs, '-T', 'fields', ...eArgs], 1);
  const xs = best([...XCAP, 'read', '-r', FILE], RUNS);
  const td = best(['tcpdump', '-nr', FILE], RUNS);
  const xw = best([...XCAP, 'read', '-r', FILE, '-w', join(DATA, 'copy.pcapng')], RUNS);
  console.log('| command | time | packets/s | peak memory | exit |');
  console.log('|---|---|---|---|---|');
  console.log(row(`xcap read -T fields (${eArgs.length / 2} fields)`, xf));
  console.log(row('tshark -T fields (same fields)', tf));
  console.log(row('xcap read (summary lines)', xs));
  console.log(row('tcpdump -nr', td));
  console.log(row('xcap read -w (pcapng copy)', xw));
  console.log();
  console.log(`xcap -T fields vs tshark -T fields: ${(tf.seconds / xf.seconds).toFixed(1)}x faster, ${(tf.peakMiB / xf.peakMiB).toFixed(1)}x less memory`);
  console.log(`xcap read vs tcpdump -nr: ${(td.seconds / xs.seconds).toFixed(1)}x faster, ${(td.peakMiB / xs.peakMiB).toFixed(1)}x the memory ratio (tcpdump/xcap)`);
}

main();
