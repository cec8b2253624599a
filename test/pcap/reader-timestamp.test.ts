// Timestamp conversion against BigInt arithmetic: every if_tsresol form, unit
// counts across the whole 64-bit range, and the boundaries of each division.
import t from 'tap';
import { TimestampResolution } from '../../src/pcap/timestamp.js';

function reference(units: bigint, tsresol: number): [number, number] {
  const perSecond = tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
  return [Number(units / perSecond), Number(((units % perSecond) * 1_000_000_000n) / perSecond)];
}

/** Deterministic 64-bit values: edges, then pseudo-random ones of every magnitude. */
function unitCounts(): bigint[] {
  const values = [0n, 1n, 999_999n, 1_000_000n, 0xffff_ffffn, 0x1_0000_0000n, 1n << 52n, (1n << 53n) - 1n, 0xffff_ffff_ffff_ffffn];
  let x = 0x9e37_79b9_7f4a_7c15n;
  for (let i = 0; i < 3000; i++) {
    x = (x * 6_364_136_223_846_793_005n + 1_442_695_040_888_963_407n) & 0xffff_ffff_ffff_ffffn;
    values.push(x >> BigInt(i % 64));
  }
  return values;
}

t.test('exact seconds and nanoseconds for every resolution form', (t) => {
  const resolutions = [0, 1, 3, 6, 9, 10, 12, 15, 19, 0x80, 0x81, 0x89, 0x8a, 0x94, 0x9e, 0xa0, 0xa1, 0xa8, 0xbf];
  const units = unitCounts();
  for (const tsresol of resolutions) {
    const res = new TimestampResolution(tsresol);
    let wrong = 0;
    for (const u of units) {
      const [sec, nsec] = reference(u, tsresol);
      if (sec > Number.MAX_SAFE_INTEGER) continue; // seconds are a double: exact only below 2^53
      const got = res.toTimestamp(Number(u >> 32n), Number(u & 0xffff_ffffn));
      if ((got.sec !== sec || got.nsec !== nsec) && wrong++ < 3) t.fail(`tsresol 0x${tsresol.toString(16)}, ${u} units: ${got.sec}.${got.nsec}, want ${sec}.${nsec}`);
    }
    t.equal(wrong, 0, `tsresol 0x${tsresol.toString(16)}`);
  }
  t.end();
});

t.test('digits the resolution warrants: decimal exponent, or floor(n log10 2) for 2^-n (as tshark), at most 9', (t) => {
  const digits = (r: number): number => new TimestampResolution(r).digits;
  t.same([0, 3, 6, 9, 12].map(digits), [0, 3, 6, 9, 9]);
  t.same([0x80, 0x81, 0x8a, 0x94, 0x9d, 0x9e, 0xa0].map(digits), [0, 0, 3, 6, 8, 9, 9]);
  t.end();
});
