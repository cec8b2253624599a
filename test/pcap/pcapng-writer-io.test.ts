// The pcapng writer's output side: full devices, a full file system, a slow
// pipe (EAGAIN on a non-blocking stdout) and a pipe whose reader goes away.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XcapError } from '../../src/errors.js';
import { FrameIndex, FRAME_ENTRY_SIZE } from '../../src/pcap/frame-index.js';
import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';
import { hasCommand } from '../helpers/env.js';

const WRITER_URL = pathToFileURL(join(import.meta.dirname, '../../src/pcap/pcapng-writer.js')).href;
const frame = new Uint8Array(1000).fill(0xab);
const noCapinfos = hasCommand('capinfos') ? false : 'capinfos not installed: cannot check the file written';

function capinfosCount(file: string): { count: number; problems: string } {
  const r = spawnSync('capinfos', ['-c', file], { encoding: 'utf8' });
  const problems = r.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user')).join('\n');
  return { count: Number(/Number of packets:\s+(\d+)/.exec(r.stdout)?.[1] ?? -1), problems: r.status === 0 ? problems : `exit ${r.status} ${problems}` };
}

t.test('/dev/full: a one-line ENOSPC XcapError, the same on later calls, close still safe', (t) => {
  const w = PcapngWriter.open('/dev/full');
  w.addInterface({ linktype: 1, snaplen: 0 });
  w.writePacket(0, 1, 0, frame, frame.length);
  const expected = { name: 'XcapError', message: 'write to /dev/full failed: no space left on device' };
  t.throws(() => w.flush(), expected);
  t.throws(() => w.writePacket(0, 1, 0, frame, frame.length), expected, 'the writer stays failed');
  t.doesNotThrow(() => w.close(), 'close after a failed write only closes');
  t.doesNotThrow(() => w.close(), 'and is safe twice');

  const index = new FrameIndex(new DataView(new ArrayBuffer(FRAME_ENTRY_SIZE)), 0, 1);
  index.set(0, { dataPtr: 0, caplen: 64, origlen: 64, linktype: 1, ifaceId: 0, tsSec: 1, tsNsec: 0, tsDigits: 9, flags: 0 });
  const b = PcapngWriter.open('/dev/full');
  b.addInterface({ linktype: 1, snaplen: 0 });
  let err: unknown;
  try {
    b.writeBatch(index, new Uint8Array(64), 0, 0, 1, [0]);
  } catch (e) {
    err = e;
  }
  t.type(err, XcapError, 'writeBatch reports it too');
  t.notMatch((err as Error).message, /\n/, 'in one line');
  b.close();
  t.end();
});

t.test('a file system filling up mid-write leaves whole blocks only', { skip: noCapinfos }, (t) => {
  const mnt = mkdtempSync(join(tmpdir(), 'xcap-full-'));
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'xcap-test', mnt], { encoding: 'utf8' });
  if (m.status !== 0) {
    rmSync(mnt, { recursive: true });
    t.plan(0, `cannot mount a 64 KiB tmpfs (needs root): ${m.stderr.trim()}`);
    return;
  }
  t.teardown(() => {
    spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true });
  });
  const file = join(mnt, 'out.pcapng');
  const w = PcapngWriter.open(file, { bufferSize: 256 << 10 });
  w.addInterface({ linktype: 1, snaplen: 0 });
  t.throws(() => {
    for (let i = 0; i < 1000; i++) w.writePacket(0, 1_700_000_000 + i, i, frame.subarray(0, 900 + (i % 7)), 1500);
  }, { name: 'XcapError', message: `write to ${file} failed: no space left on device` });
  w.close();
  const size = statSync(file).size;
  t.ok(size > 0 && size <= 64 << 10, `kept ${size} bytes of what fitted`);
  const { count, problems } = capinfosCount(file);
  t.equal(problems, '', 'capinfos reads it without complaint');
  t.ok(count > 50, `${count} whole packets kept`);
  t.end();
});

/** Runs a child that writes `packets` 1000-byte frames to its stdout as -w - would, under `sh -c` plumbing. */
function writeToStdout(packets: number, plumbing: string) {
  const child = `
    import { PcapngWriter } from ${JSON.stringify(WRITER_URL)};
    process.stdout; // as under the CLI: libuv makes a stdout pipe non-blocking
    const w = PcapngWriter.open(1, { bufferSize: 128 << 10 });
    w.addInterface({ name: 'lo', linktype: 1, snaplen: 65535 });
    const frame = new Uint8Array(1000).fill(0xab);
    try {
      for (let i = 0; i < ${packets}; i++) w.writePacket(0, 1700000000, i, frame, 1000);
      w.close();
    } catch (e) {
      process.stderr.write(e.name + ': ' + e.message + '\\n');
      process.exitCode = 3;
    }`;
  return spawnSync('sh', ['-c', `"$0" --input-type=module -e "$1" ${plumbing}`, process.execPath, child], { encoding: 'utf8' });
}

t.test('stdout to a slow pipe: every byte arrives', { skip: noCapinfos }, (t) => {
  const out = join(t.testdir(), 'out.pcapng');
  const r = writeToStdout(5000, `| (sleep 1; cat > '${out}')`);
  t.equal(r.stderr, '');
  t.equal(r.status, 0);
  t.same(capinfosCount(out), { count: 5000, problems: '' });
  t.end();
});

t.test('stdout whose reader goes away: OutputClosed, so the command can stop quietly', (t) => {
  const r = writeToStdout(100_000, '| head -c 1000 > /dev/null; exit 0');
  t.equal(r.stderr, 'OutputClosed: output closed\n');
  t.end();
});
