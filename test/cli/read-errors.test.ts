// Bad input: one line on stderr naming the problem, a non-zero exit, no stack trace.
import t, { type Test } from 'tap';
import { mkdtempSync, writeFileSync, chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xcap, FIXTURES } from '../helpers/env.js';

const dir = mkdtempSync(join(tmpdir(), 'xcap-errors-'));

function oneLine(t: Test, stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  t.equal(lines.length, 1, `one line on stderr: ${JSON.stringify(stderr)}`);
  t.match(lines[0], pattern);
  t.notMatch(stderr, /\n\s+at /, 'no stack trace');
}

t.test('missing file', (t) => {
  const r = xcap(['read', '-r', join(dir, 'nope.pcap')]);
  t.equal(r.status, 1);
  oneLine(t, r.stderr, /^xcap: .*nope\.pcap: no such file or directory$/);
  t.end();
});

t.test('not a capture', (t) => {
  const f = join(dir, 'text.pcap');
  writeFileSync(f, 'hello, this is not a capture file\n');
  const r = xcap(['read', '-r', f]);
  t.equal(r.status, 1);
  oneLine(t, r.stderr, /text\.pcap: .*not a pcap or pcapng/i);
  t.end();
});

t.test('empty file', (t) => {
  const f = join(dir, 'empty.pcap');
  writeFileSync(f, '');
  const r = xcap(['read', '-r', f]);
  t.equal(r.status, 1);
  oneLine(t, r.stderr, /empty\.pcap/);
  t.end();
});

t.test('unreadable file', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, (t) => {
  const f = join(dir, 'secret.pcap');
  copyFileSync(join(FIXTURES, 'ethernet-basic.pcap'), f);
  chmodSync(f, 0);
  const r = xcap(['read', '-r', f]);
  t.equal(r.status, 1);
  oneLine(t, r.stderr, /permission denied/);
  t.end();
});

t.test('a directory', (t) => {
  const r = xcap(['read', '-r', dir]);
  t.equal(r.status, 1);
  oneLine(t, r.stderr, /is a directory/);
  t.end();
});

t.test('unknown field in -e is a usage error', (t) => {
  const r = xcap(['read', '-r', join(FIXTURES, 'ethernet-basic.pcap'), '-T', 'fields', '-e', 'ip.src', '-e', 'no.such.field']);
  t.equal(r.status, 2);
  oneLine(t, r.stderr, /unknown field in -e: no\.such\.field/);
  t.equal(r.stdout, '', 'nothing printed');
  t.end();
});

t.test('unknown flag is a usage error', (t) => {
  const r = xcap(['read', '-r', join(FIXTURES, 'ethernet-basic.pcap'), '--frobnicate']);
  t.equal(r.status, 2);
  oneLine(t, r.stderr, /frobnicate/);
  t.end();
});

t.test('truncated capture: the complete packets, then one warning, non-zero exit', (t) => {
  const whole = readFileSync(join(FIXTURES, 'ethernet-basic.pcap'));
  const f = join(dir, 'cut.pcap');
  writeFileSync(f, whole.subarray(0, whole.length - 7));
  const full = xcap(['read', '-r', join(FIXTURES, 'ethernet-basic.pcap')]);
  const r = xcap(['read', '-r', f]);
  t.equal(r.status, 1);
  const want = full.stdout.split('\n').filter(Boolean);
  const got = r.stdout.split('\n').filter(Boolean);
  t.equal(got.length, want.length - 1, 'every complete packet printed');
  t.same(got, want.slice(0, -1));
  oneLine(t, r.stderr, /cut short/);
  t.end();
});

t.test('unsupported link type is named, not fatal', (t) => {
  const r = xcap(['read', '-r', join(FIXTURES, 'linktype-unknown.pcap')]);
  t.equal(r.status, 0);
  t.match(r.stdout, /Unsupported link type 147/);
  t.end();
});

t.test('-c must be a positive number', (t) => {
  const r = xcap(['read', '-r', join(FIXTURES, 'ethernet-basic.pcap'), '-c', '0']);
  t.equal(r.status, 2);
  oneLine(t, r.stderr, /-c/);
  t.end();
});

t.test('a flag whose value is missing is a usage error, not an empty value', (t) => {
  for (const args of [['read', '-r'], ['read', '-r', join(FIXTURES, 'ethernet-basic.pcap'), '-c'], ['record', '-i', 'xcap-none', '-w']]) {
    const r = xcap(args);
    t.equal(r.status, 2, args.join(' '));
    oneLine(t, r.stderr, /^xcap: Not enough arguments following: [rcw]$/);
    t.equal(r.stdout, '', 'nothing printed');
  }
  t.end();
});

t.test('output closed early (| head) is not an error', (t) => {
  const r = xcap(['read', '-r', join(FIXTURES, 'mixed.pcap'), '-c', '1']);
  t.equal(r.status, 0);
  t.equal(r.stdout.split('\n').filter(Boolean).length, 1);
  t.end();
});
