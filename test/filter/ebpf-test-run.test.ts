// The eBPF translation decides like libpcap: every Ethernet frame of the
// fixtures, run through the entry program with BPF_PROG_TEST_RUN at both
// hook types, gets the offline matcher's verdict, and the kernel counter
// counts exactly the rejected ones.
import t from 'tap';
import { compileFilter } from '../../src/filter/pcap-compile.js';
import { compileMatcher } from '../../src/filter/cbpf-match.js';
import { MATCH_MARKER, type FilterHook } from '../../src/filter/ebpf-translate.js';
import { openCapture } from '../../src/pcap/reader.js';
import { FrameIndex, FRAME_ENTRY_SIZE } from '../../src/pcap/frame-index.js';
import { kernelSkipReason } from '../kernel/kernel-lab.js';
import { fixtureFiles, fixturePath } from '../helpers/fixtures.js';
import { EXPRESSIONS } from './expressions.js';

const skip = await kernelSkipReason();
const ETH_HLEN = 14;

/** BPF_PROG_TEST_RUN of an skb program wants a whole IP header after an IPv4/IPv6 ethertype (EINVAL otherwise). */
function tcTestRunTakes(f: Uint8Array): boolean {
  const ethertype = (f[12] << 8) | f[13];
  if (ethertype === 0x0800) return f.length >= ETH_HLEN + 20;
  if (ethertype === 0x86dd) return f.length >= ETH_HLEN + 40;
  return true;
}

/** Every Ethernet frame of the fixtures that test-run accepts (at least a MAC header), copied out. */
async function ethernetFrames(): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  const arena = new Uint8Array(8 << 20);
  const index = new FrameIndex(new DataView(new ArrayBuffer(1024 * FRAME_ENTRY_SIZE)), 0, 1024);
  for (const name of fixtureFiles()) {
    const reader = await openCapture(fixturePath(name), { arena, arenaBase: 0, index });
    try {
      for (let n = await reader.nextBatch(); n > 0; n = await reader.nextBatch()) {
        for (let i = 0; i < n; i++) {
          if (index.linktype(i) !== 1 || index.caplen(i) < ETH_HLEN) continue;
          frames.push(arena.slice(index.dataPtr(i), index.dataPtr(i) + index.caplen(i)));
        }
      }
    } finally {
      reader.close();
    }
  }
  return frames;
}

t.test('test-run verdicts equal the offline matcher for every expression and frame', { skip }, async (t) => {
  const { FilterEntryProgram } = await import('../../src/kernel/filter-program.js');
  const frames = await ethernetFrames();
  t.ok(frames.length > 400, `${frames.length} Ethernet frames from the fixtures`);
  for (const expr of EXPRESSIONS) {
    const filter = compileFilter(expr, { linktype: 1, snaplen: 262144 });
    const match = compileMatcher(filter.program);
    const expected = frames.map((f) => match(f, 0, f.length, f.length) !== 0);
    for (const hook of ['xdp', 'tc'] as FilterHook[]) {
      const prog = FilterEntryProgram.load({ filter: filter.program, hook, onMatch: 'return-marker', expression: expr });
      try {
        const wrong: number[] = [];
        let rejected = 0;
        let run = 0;
        frames.forEach((f, i) => {
          if (hook === 'tc' && !tcTestRunTakes(f)) return;
          run++;
          if (!expected[i]) rejected++;
          if ((prog.testRun(f) === MATCH_MARKER) !== expected[i]) wrong.push(i);
        });
        const skipped = frames.length - run;
        t.same(wrong.slice(0, 10), [], `${hook} '${expr}': ${run - rejected} match, ${rejected} rejected, as offline${skipped ? ` (${skipped} frames with a cut IP header skipped: test-run refuses them)` : ''}`);
        t.equal(prog.rejected(), BigInt(rejected), `${hook} '${expr}': the kernel counted the rejected frames`);
      } finally {
        prog.close();
      }
    }
  }
});

t.test('a load past the end of the frame rejects, as in libpcap', { skip }, async (t) => {
  const { FilterEntryProgram } = await import('../../src/kernel/filter-program.js');
  const filter = compileFilter('ether[100] = 0', { linktype: 1, snaplen: 262144 });
  for (const hook of ['xdp', 'tc'] as FilterHook[]) {
    const prog = FilterEntryProgram.load({ filter: filter.program, hook, onMatch: 'return-marker' });
    try {
      t.not(prog.testRun(new Uint8Array(100)), MATCH_MARKER, `${hook}: 100-byte frame, byte 100 does not exist`);
      t.equal(prog.testRun(new Uint8Array(101)), MATCH_MARKER, `${hook}: 101-byte frame, byte 100 is 0`);
    } finally {
      prog.close();
    }
  }
});
