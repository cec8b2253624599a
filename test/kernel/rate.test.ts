// Measures (does not assert) how fast the ring capture keeps up with a
// bounded UDP burst across the lab's veth pair, for small and full-size
// frames.  The only assertion is the accounting: seen = captured + dropped.
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { FrameIndex } from '../../src/pcap/frame-index.js';
import { hasCommand } from '../helpers/env.js';
import { kernelSkipReason, quietLab } from './kernel-lab.js';

// sendmmsg in batches of 64 to ADDR:9, stopping after COUNT datagrams or SECONDS.
const SENDER = `
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + ts.tv_nsec / 1e9; }
int main(int argc, char **argv)
{
	if (argc != 5) return 2;
	long count = atol(argv[2]), sent = 0;
	int payload = atoi(argv[3]);
	double seconds = atof(argv[4]), start = now(), elapsed = 0;
	static char buf[9000];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct iovec iov = { buf, payload > 0 && payload <= 9000 ? payload : 18 };
	struct mmsghdr msgs[64];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) return 1;
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < 64; i++) {
		msgs[i].msg_hdr.msg_name = &to;
		msgs[i].msg_hdr.msg_namelen = sizeof(to);
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (sent < count && (elapsed = now() - start) < seconds) {
		int n = sendmmsg(fd, msgs, count - sent < 64 ? count - sent : 64, 0);
		if (n > 0) sent += n;
	}
	printf("%ld %.6f\\n", sent, now() - start);
	return 0;
}
`;

const skip = (await kernelSkipReason()) || (hasCommand('cc') ? false : 'no C compiler (cc) for the traffic generator');
if (skip) {
  t.plan(0, skip);
} else {
  const { RingCapture } = await import('../../src/kernel/ring-capture.js');
  const dir = mkdtempSync(join(tmpdir(), 'xcap-rate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'sender.c'), SENDER);
  const cc = spawnSync('cc', ['-O2', '-o', join(dir, 'sender'), join(dir, 'sender.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cannot build the sender: ${cc.stderr}`);

  const COUNT = 400_000;
  const SECONDS = 4;
  for (const [label, payload] of [['64-byte frames', 18], ['1500-byte frames', 1458]] as const) {
    t.test(`capture rate, ${label}`, async (t) => {
      const lab = quietLab();
      t.teardown(() => lab.teardown());
      const capture = RingCapture.open({ interfaces: [{ name: lab.captureIf, ifindex: 0, ingress: true, egress: false }], snaplen: 262144, netns: lab.captureNs });
      try {
        const memory = new ArrayBuffer(8 << 20);
        const arenaBase = 256 * 1024;
        const arena = new Uint8Array(memory, arenaBase);
        const index = new FrameIndex(new DataView(memory), 0, 8192);
        let output = '';
        let done = false;
        const sender = spawn('ip', ['netns', 'exec', lab.clientNs, join(dir, 'sender'), lab.captureAddr, String(COUNT), String(payload), String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
        sender.stdout.on('data', (d) => { output += String(d); });
        sender.on('close', () => { done = true; });
        const cpu0 = process.cpuUsage();
        const wall0 = performance.now();
        let captured = 0;
        let bytes = 0;
        const hardStop = Date.now() + (SECONDS + 10) * 1000;
        for (;;) {
          const n = capture.poll(arena, arenaBase, index, 5);
          captured += n;
          for (let i = 0; i < n; i++) bytes += index.caplen(i);
          if (n === 0 && done) break;
          if (Date.now() > hardStop) { sender.kill('SIGKILL'); break; }
          await yieldToEventLoop();
        }
        const wallMs = performance.now() - wall0;
        const cpu = process.cpuUsage(cpu0);
        const [sent, sendSeconds] = output.trim().split(' ').map(Number);
        const c = capture.counters();
        t.equal(c.seen, BigInt(captured) + c.dropped, 'seen = captured + dropped');
        const kpps = (x: number, s: number): string => `${(x / s / 1000).toFixed(0)} kpps`;
        t.comment(`${label}: sent ${sent} in ${sendSeconds.toFixed(2)} s (${kpps(sent, sendSeconds)}); kernel saw ${c.seen}, `
          + `captured ${captured} (${kpps(captured, sendSeconds)}, ${(bytes / sendSeconds / 1e6).toFixed(0)} MB/s), dropped ${c.dropped}; `
          + `reader CPU ${((cpu.user + cpu.system) * 1000 / Math.max(1, captured)).toFixed(0)} ns/frame over ${wallMs.toFixed(0)} ms`);
      } finally {
        capture.close();
      }
    });
  }
}
