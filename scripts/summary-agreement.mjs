#!/usr/bin/env node
// Summary-line agreement with tshark over a folder of captures: each file is
// read by tshark (one frame at a time: no reassembly) and by xcap, and their
// lines are compared one by one.  Prints the share of equal lines and the
// protocols (tshark's column) of the lines that differ, most first.
//
//   node scripts/summary-agreement.mjs DIR [--top N] [--diffs FILE]
//
// --diffs FILE writes every differing pair (file, tshark's line, xcap's) to FILE.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSHARK_PREFS = ['-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE'];
const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node scripts/summary-agreement.mjs DIR [--top N] [--diffs FILE]');
  process.exit(2);
}
const option = (name) => { const i = rest.indexOf(name); return i >= 0 ? rest[i + 1] : undefined; };
const top = Number(option('--top') ?? 25);
const diffsPath = option('--diffs');
const diffs = [];
const XCAP = join(ROOT, 'dist/cli/xcap.js');

function fail(message) {
  console.error(`summary-agreement: ${message}`);
  process.exit(2);
}

if (!existsSync(XCAP)) fail('dist/cli/xcap.js is missing: run npm run build first');
if (spawnSync('tshark', ['--version'], { stdio: 'ignore' }).error) fail('tshark is not installed (npm run setup installs it)');

function lines(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 120_000 });
  return r.stdout ? r.stdout.split('\n').filter((l) => l !== '') : [];
}

/** tshark's protocol column: the words between the destination and the length. */
function protocolOf(line) {
  const words = line.trim().split(/\s+/);
  const arrow = words.indexOf('→');
  if (arrow < 0) return '?';
  const proto = [];
  for (let i = arrow + 2; i < words.length && !/^\d+$/.test(words[i]); i++) proto.push(words[i]);
  return proto.join(' ') || '?';
}

let total = 0;
let equal = 0;
const byProtocol = new Map();
let files;
try {
  files = readdirSync(dir).sort();
} catch (err) {
  fail(`cannot list ${dir}: ${err.code ?? err.message}`);
}
for (const name of files) {
  const path = join(dir, name);
  const ref = lines('tshark', ['-r', path, ...TSHARK_PREFS]);
  const got = lines(process.execPath, [XCAP, 'read', '-r', path]);
  ref.forEach((line, i) => {
    total++;
    if (got[i] === line) { equal++; return; }
    const p = protocolOf(line);
    byProtocol.set(p, (byProtocol.get(p) ?? 0) + 1);
    if (diffsPath) diffs.push(`${name} [${p}]\n  tshark: ${line}\n  xcap:   ${got[i] ?? '(none)'}`);
  });
}
console.log(`summary lines equal to tshark's: ${equal} of ${total} (${(100 * equal / Math.max(1, total)).toFixed(2)}%) over ${files.length} files`);
console.log('differing lines by tshark protocol:');
if (diffsPath) writeFileSync(diffsPath, diffs.join('\n') + '\n');
for (const [p, n] of [...byProtocol].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(n).padStart(7)}  ${p}`);
