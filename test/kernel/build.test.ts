// Each committed bpf/*.bpf.o is what scripts/build-bpf.sh makes from the
// committed source (clang output is deterministic here, so the whole
// file is compared; on a difference the differing sections are named).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, hasCommand } from '../helpers/env.js';

t.test('rebuilding reproduces the committed objects', { skip: hasCommand('clang') ? false : 'clang is not installed (Debian: apt-get install clang); the committed object is used as is' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'xcap-bpf-'));
  try {
    const build = spawnSync('bash', [join(ROOT, 'scripts/build-bpf.sh'), dir], { encoding: 'utf8' });
    t.equal(build.status, 0, `scripts/build-bpf.sh succeeds ${build.stderr}`);
    const objects = readdirSync(join(ROOT, 'bpf')).filter((f) => f.endsWith('.bpf.c')).map((f) => f.replace(/\.c$/, '.o'));
    t.ok(objects.includes('afxdp.bpf.o') && objects.includes('capture.bpf.o'), `every program is built: ${objects.join(' ')}`);
    for (const name of objects) {
      const committed = join(ROOT, 'bpf', name);
      const rebuilt = join(dir, name);
      const same = readFileSync(committed).equals(readFileSync(rebuilt));
      t.ok(same, same ? `${name}: byte for byte` : `bpf/${name} is stale: run scripts/build-bpf.sh and commit it (sections differing: ${differingSections(committed, rebuilt, dir)})`);
    }
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
