import { describe, expect, it } from '@jest/globals';
import { RESERVE_MARGIN, reservationsFrom } from './reserve.js';

const MiB = 1024 * 1024;
const run = (tests: string[], outcome: string, peakMiB: number) => ({
  kind: 'batch',
  tests,
  verdict: { outcome },
  evidence: { peakBytes: peakMiB * MiB },
});

describe('reservationsFrom (packing by measured peaks)', () => {
  it('reserves the measured peak with its margin for a batch that ran whole last time', () => {
    const reserve = reservationsFrom([run(['a', 'b'], 'passed', 40), run(['c'], 'failed', 60)], 300 * MiB);
    expect(reserve(['a', 'b'])).toBe(Math.ceil(40 * MiB * RESERVE_MARGIN));
    expect(reserve(['c'])).toBe(Math.ceil(60 * MiB * RESERVE_MARGIN));
  });

  it('reserves the full budget when nothing is known, the order differs, or the run was cut short', () => {
    const reserve = reservationsFrom(
      [run(['a', 'b'], 'passed', 40), run(['d'], 'over-memory', 300), run(['e'], 'timeout', 20), run(['f'], 'crashed', 20)],
      300 * MiB,
    );
    for (const tests of [['b', 'a'], ['d'], ['e'], ['f'], ['z']]) expect(reserve(tests)).toBe(300 * MiB);
  });

  it('never reserves more than the budget, and takes the largest of several runs of one batch', () => {
    const reserve = reservationsFrom([run(['a'], 'passed', 250), run(['b'], 'passed', 10), run(['b'], 'passed', 30)], 300 * MiB);
    expect(reserve(['a'])).toBe(300 * MiB);
    expect(reserve(['b'])).toBe(Math.ceil(30 * MiB * RESERVE_MARGIN));
  });

  it('skips entries that are not runs (a report read loosely) and works without a report', () => {
    expect(reservationsFrom([null, 3, { tests: 'x' }, { tests: ['a'], verdict: {}, evidence: {} }], 100)(['a'])).toBe(100);
    expect(reservationsFrom(undefined, 100)(['a'])).toBe(100);
  });
});
