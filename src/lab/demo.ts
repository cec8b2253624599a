/**
 * xcap demo: build the lab, record both directions of its veth in a child
 * `xcap record` running inside the capture namespace, send bounded traffic,
 * stop the recorder with SIGINT, then decode the file and check it with
 * tshark when tshark is installed.  The lab is removed on every path.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { withLab } from './lab.js';
import { spawnIn } from './netns.js';
import { runTraffic, type TrafficPlan } from './traffic.js';
import { replay } from '../read/replay.js';
import { OutputMode, type Sink } from '../dissect/engine.js';
import { XcapError } from '../errors.js';

const XCAP = fileURLToPath(new URL('../../cli/xcap.js', import.meta.url));

export interface DemoResult {
  file: string;
  frames: number;
  tshark?: { frames: number; clean: boolean };
}

export const DEMO_TRAFFIC: TrafficPlan = { pings: 4, udp: 4, http: 2, dns: 3 };

/** Starts `xcap record` in the namespace and resolves once it has attached. */
async function startRecorder(ns: string, ifname: string, file: string): Promise<ChildProcess> {
  const rec = spawnIn(ns, [process.execPath, XCAP, 'record', '-i', ifname, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const attached = new Promise<void>((resolve, reject) => {
    rec.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('capturing on')) resolve();
    });
    rec.on('exit', (code) => reject(new XcapError(`demo: xcap record exited (${code}): ${stderr.trim()}`)));
    setTimeout(() => reject(new XcapError('demo: xcap record did not attach within 15 s')), 15_000).unref();
  });
  try {
    await attached;
  } catch (err) {
    rec.kill('SIGKILL');
    throw err;
  }
  rec.stderr!.removeAllListeners('data');
  rec.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  return rec;
}

export async function runDemo(sink: Sink, log: (line: string) => void): Promise<DemoResult> {
  const file = join(mkdtempSync(join(tmpdir(), 'xcap-demo-')), 'demo.pcapng');
  await withLab(async (lab) => {
    log(`demo: lab ${lab.captureNs} (${lab.captureAddr}) <-> ${lab.clientNs} (${lab.clientAddr}); recording ${lab.captureIf} into ${file}`);
    const rec = await startRecorder(lab.captureNs, lab.captureIf, file);
    try {
      await runTraffic(lab, DEMO_TRAFFIC);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      const exited = once(rec, 'exit');
      rec.kill('SIGINT');
      const [code] = await exited;
      if (code !== 0) throw new XcapError(`demo: xcap record exited with ${code}`);
    }
  });
  const r = await replay({ path: file, mode: OutputMode.Summary, sink });
  const result: DemoResult = { file, frames: r.frames };
  const ts = spawnSync('tshark', ['-r', file, '-n', '-q', '-z', 'io,stat,0'], { encoding: 'utf8' });
  if (!ts.error) {
    const m = /\|\s*0\.0+\s*<>\s*[\d.]+\s*\|\s*(\d+)\s*\|/.exec(ts.stdout);
    result.tshark = { frames: m ? Number(m[1]) : -1, clean: ts.status === 0 && ts.stderr.replace(/^Running as user.*\n/m, '').trim() === '' };
  }
  return result;
}
