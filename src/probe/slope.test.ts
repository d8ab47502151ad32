import { describe, expect, it } from '@jest/globals';
import { accumulationOf, theilSen } from './slope.js';
import { MIB, recordsFromSeries } from './test-records.js';

// Deterministic noise in [-amplitude, amplitude]: tests must not depend on a random seed.
function noisy(values: number[], amplitudeBytes: number): number[] {
  return values.map((v, i) => v + Math.round(Math.sin(i * 12.9898) * amplitudeBytes));
}

const linear = (n: number, slope: number, base = 30 * MIB): number[] =>
  Array.from({ length: n }, (_, i) => base + slope * i);

describe('theilSen', () => {
  it('recovers the slope of a clean line with R² of 1', () => {
    const fit = theilSen([0, 1, 2, 3, 4], [10, 12, 14, 16, 18]);
    expect(fit.slopeBytesPerTest).toBe(2);
    expect(fit.interceptBytes).toBe(10);
    expect(fit.rSquared).toBeCloseTo(1, 6);
  });

  it('is not tilted by two huge spikes, and leaves them out of R²', () => {
    const ys = noisy(linear(12, 4 * MIB), 200 * 1024);
    ys[3] = (ys[3] ?? 0) + 80 * MIB;
    ys[8] = (ys[8] ?? 0) + 60 * MIB;
    const fit = theilSen(ys.map((_, i) => i), ys);
    expect(fit.slopeBytesPerTest / MIB).toBeGreaterThan(3.8);
    expect(fit.slopeBytesPerTest / MIB).toBeLessThan(4.2);
    expect(fit.outliers).toBe(2);
    expect(fit.rSquared).toBeGreaterThan(0.95);
  });

  it('says R² is 0 for a flat series rather than dividing by zero', () => {
    expect(theilSen([0, 1, 2], [5, 5, 5]).rSquared).toBe(0);
  });
});

describe('accumulationOf', () => {
  it('calls 4 MiB per test over 12 noisy tests an accumulator and names the largest increments', () => {
    const verdict = accumulationOf(recordsFromSeries(noisy(linear(12, 4 * MIB), 300 * 1024)));
    expect(verdict.isAccumulating).toBe(true);
    expect(verdict.slopeBytesPerTest / MIB).toBeCloseTo(4, 0);
    expect(verdict.rSquared).toBeGreaterThan(0.9);
    expect(verdict.topContributors).toHaveLength(5);
    expect(verdict.topContributors[0]?.retainedBytes).toBeGreaterThan(4 * MIB);
  });

  it('still calls it an accumulator when a few tests spike far above the line', () => {
    const ys = noisy(linear(20, 2 * MIB), 200 * 1024);
    ys[5] = (ys[5] ?? 0) + 100 * MIB;
    expect(accumulationOf(recordsFromSeries(ys)).isAccumulating).toBe(true);
  });

  it('does not call allocator noise around a flat line an accumulator', () => {
    const verdict = accumulationOf(recordsFromSeries(noisy(linear(30, 0), 2 * MIB)));
    expect(verdict.isAccumulating).toBe(false);
    expect(Math.abs(verdict.slopeBytesPerTest)).toBeLessThan(MIB);
  });

  it('calls a steady leak sampled with gaps an accumulator (post-GC figures of tests 0–19, then 45)', () => {
    const steady = recordsFromSeries(linear(46, 4 * MIB)).map((r) => ({ ...r, retainedSource: 'post-gc-heap' as const }));
    const sampled = steady.filter((r) => r.indexInProcess < 20 || r.indexInProcess === 45);
    expect(accumulationOf(sampled).isAccumulating).toBe(true);
  });

  it('calls one test keeping 150 MiB a hog, not an accumulator', () => {
    const ys = linear(20, 64 * 1024).map((v, i) => (i >= 10 ? v + 150 * MIB : v));
    expect(accumulationOf(recordsFromSeries(ys)).isAccumulating).toBe(false);
  });

  it('ignores a slow leak below 1 MiB per test', () => {
    expect(accumulationOf(recordsFromSeries(linear(40, 0.5 * MIB))).isAccumulating).toBe(false);
  });

  it('makes no verdict from fewer than 5 tests', () => {
    expect(accumulationOf(recordsFromSeries(linear(4, 10 * MIB))).isAccumulating).toBe(false);
  });

  it('fits each worker process on its own and reports the leaking one', () => {
    const records = [
      ...recordsFromSeries(noisy(linear(10, 0), 100 * 1024), 1, 'a'),
      ...recordsFromSeries(linear(8, 3 * MIB), 2, 'b'),
    ];
    const verdict = accumulationOf(records);
    expect(verdict).toMatchObject({ pid: 2, isAccumulating: true, tests: 8 });
  });

  it('leaves the test that was killed out of the fit', () => {
    const records = recordsFromSeries(linear(8, 3 * MIB));
    const killed = { ...records[7]!, finished: false, retainedAfterBytes: 900 * MIB };
    expect(accumulationOf([...records.slice(0, 7), killed]).tests).toBe(7);
  });

  it('returns a neutral verdict for no records', () => {
    expect(accumulationOf([])).toMatchObject({ isAccumulating: false, tests: 0, pid: undefined });
  });
});

describe('accumulationOf with sampled post-GC figures', () => {
  it('fits only the tests that had a GC when some of them did', () => {
    const records = recordsFromSeries(linear(10, 2 * MIB)).map((r, i) =>
      i % 2 === 0 ? { ...r, retainedSource: 'post-gc-heap' as const } : { ...r, retainedAfterBytes: 900 * MIB });
    const verdict = accumulationOf(records);
    expect(verdict.tests).toBe(5);
    expect(verdict.slopeBytesPerTest / MIB).toBeCloseTo(2, 5);
  });
});
