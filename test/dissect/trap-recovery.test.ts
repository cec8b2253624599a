// A dissector that traps costs its own frame only: the frames before it keep
// their output, the engine starts a fresh instance and goes on after it, and
// the fresh instance starts with empty tables (conversations, TCP analysis),
// as if the capture began after the trapped frame: the instance reuses the
// memory (the batch's frames stay in it), so the engine zeroes the tables'
// memory before the new instance makes them.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DissectorEngine, OutputMode } from '../../src/dissect/engine.js';
import { replay } from '../../src/read/replay.js';
import { fixturePath } from '../helpers/fixtures.js';

const FILE = fixturePath('mixed.pcap');
const TRAP_AT = 40;
const dir = mkdtempSync(join(tmpdir(), 'xcap-trap-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

async function lines(path: string, mode: OutputMode, fieldNames: string[] = [], trapAt = 0,
  displayFilter?: string, writePath?: string): Promise<{ lines: string[]; trapped: number[] }> {
  const engine = new DissectorEngine();
  if (trapAt) engine.debugTrapAt(trapAt);
  const chunks: Buffer[] = [];
  const fields = mode === OutputMode.Fields
    ? { fields: fieldNames.map((n) => engine.field(n)!.id), separator: '\t', aggregator: ',', occurrence: 'a' as const }
    : undefined;
  const r = await replay({ path, mode, fields, engine, displayFilter, writePath, sink: (b) => chunks.push(Buffer.from(b)) });
  return { lines: Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1), trapped: r.trappedFrames };
}

t.test('summary lines: the trapped frame says so, every other frame keeps its line', async (t) => {
  const clean = await lines(FILE, OutputMode.Summary);
  const trapped = await lines(FILE, OutputMode.Summary, [], TRAP_AT);
  t.same(trapped.trapped, [TRAP_AT], 'one frame trapped');
  t.equal(trapped.lines.length, clean.lines.length, 'a line for every frame');
  t.same(trapped.lines.slice(0, TRAP_AT - 1), clean.lines.slice(0, TRAP_AT - 1), 'the frames before it are untouched');
  t.equal(trapped.lines[TRAP_AT - 1], `${String(TRAP_AT).padStart(5)} [Malformed Packet: dissector trapped]`);
  t.same(trapped.lines.slice(TRAP_AT).map((l) => l.trim().split(/\s+/)[0]),
    clean.lines.slice(TRAP_AT).map((l) => l.trim().split(/\s+/)[0]), 'the frames after it keep their numbers');
});

t.test('after a trap the state starts empty, as in a capture that begins after the trapped frame', async (t) => {
  const stateful = ['tcp.stream', 'udp.stream', 'tcp.analysis.flags', 'tcp.seq', 'dns.response_to'];
  const rest = join(dir, 'rest.pcapng');
  await lines(FILE, OutputMode.None, [], 0, `frame.number > ${TRAP_AT}`, rest);
  const fresh = await lines(rest, OutputMode.Fields, stateful);
  const trapped = await lines(FILE, OutputMode.Fields, ['frame.number', ...stateful], TRAP_AT);
  t.ok(fresh.lines.some((l) => /\d/.test(l)), 'the frames after the trap have stream numbers to compare');
  t.equal(trapped.lines[TRAP_AT - 1], '', 'the trapped frame prints an empty line');
  const afterTrap = trapped.lines.slice(TRAP_AT).map((l) => l.split('\t').slice(1).join('\t'));
  // dns.response_to names a frame number: the fresh file numbers its frames from 1.
  const renumber = (l: string): string => l.replace(/\t(\d+)$/, (_m, n: string) => `\t${Number(n) - TRAP_AT}`);
  t.same(afterTrap.map(renumber), fresh.lines, 'stream numbers, TCP analysis and DNS matching restart');
});

t.test('the fresh instance after a trap starts from the memory a new engine starts from', async (t) => {
  const frames = (await lines(FILE, OutputMode.Summary)).lines.length;
  const engine = new DissectorEngine();
  engine.setMode(OutputMode.Summary);
  const untouched = Buffer.from(engine.startTimeTables());
  engine.debugTrapAt(frames);
  await replay({ path: FILE, mode: OutputMode.Summary, engine, sink: () => {} });
  t.same(engine.trappedFrames, [frames], 'the last frame trapped: nothing was dissected after the fresh start');
  const after = Buffer.from(engine.startTimeTables());
  t.equal(after.length, untouched.length, 'the tables take the same room');
  t.ok(after.equals(untouched), 'every table byte is as a new engine has it, nothing left from the frames before');
});
