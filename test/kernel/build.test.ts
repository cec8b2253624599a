// The committed bpf/capture.bpf.o is what scripts/build-bpf.sh makes from
// the committed source (clang output is deterministic here, so the whole
// file is compared; on a difference the differing sections are named).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, hasCommand } from '../helpers/env.js';

t.test('rebuilding reproduces the committed object', { skip: hasCommand('clang') ? false : 'clang is not installed (Debian: apt-get install clang); the committed object is used as is' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'xcap-bpf-'));
  try {
    const build = spawnSync('bash', [join(ROOT, 'scripts/build-bpf.sh'), dir], { encoding: 'utf8' });
    t.equal(build.status, 0, `scripts/build-bpf.sh succeeds ${build.stderr}`);
    const committed = join(ROOT, 'bpf/capture.bpf.o');
    const rebuilt = join(dir, 'capture.bpf.o');
    const same = readFileSync(committed).equals(readFileSync(rebuilt));
    t.ok(same, same ? 'byte for byte' : `bpf/capture.bpf.o is stale: run scripts/build-bpf.sh and commit it (sections differing: ${differingSections(committed, rebuilt, dir)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function differingSections(a: string, b: string, scratch: string): string {
  if (!hasCommand('llvm-objcopy')) return 'unknown, llvm-objcopy missing';
  const names = spawnSync('llvm-objdump', ['-h', a], { encoding: 'utf8' }).stdout
    .split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => /^\d+$/.test(f[0]) && f[1]).map((f) => f[1]);
  const dump = (file: string, section: string): Buffer => {
    const out = join(scratch, 'section.bin');
    spawnSync('llvm-objcopy', ['-O', 'binary', `--only-section=${section}`, file, out]);
    return readFileSync(out);
  };
  return names.filter((s) => !dump(a, s).equals(dump(b, s))).join(', ') || 'headers only';
}
