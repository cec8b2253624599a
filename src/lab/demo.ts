/**
 * xcap demo: build the lab, record both directions of its veth in a child
 * `xcap record` running inside the capture namespace, send bounded traffic,
 * stop the recorder with SIGINT, then decode the file and check it with
 * tshark when tshark is installed.  The lab is removed on every path.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { withLab } from './lab.js';
import { startRecorder } from './recorder.js';
import { runTraffic, type TrafficPlan } from './traffic.js';
import { replay } from '../read/replay.js';
import { OutputMode, type Sink } from '../dissect/engine.js';
import { XcapError } from '../errors.js';

export interface DemoResult {
  file: string;
  frames: number;
  tshark?: { frames: number; clean: boolean };
}

export const DEMO_TRAFFIC: TrafficPlan = { pings: 4, udp: 4, http: 2, dns: 3 };

export async function runDemo(sink: Sink, log: (line: string) => void): Promise<DemoResult> {
  const file = join(mkdtempSync(join(tmpdir(), 'xcap-demo-')), 'demo.pcapng');
  await withLab(async (lab) => {
    log(`demo: lab ${lab.captureNs} (${lab.captureAddr}) <-> ${lab.clientNs} (${lab.clientAddr}); recording ${lab.captureIf} into ${file}`);
    const rec = await startRecorder(lab.captureNs, ['-i', lab.captureIf, '-w', file]);
    try {
      await runTraffic(lab, DEMO_TRAFFIC);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      const code = await rec.stop('SIGINT');
      process.stderr.write(rec.stderr());
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
