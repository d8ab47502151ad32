import { describe, expect, it } from '@jest/globals';
import { estimatePlan, type MeasuredRun } from './estimate.js';
import type { Plan } from './types.js';

const plan = (batches: string[][]): Plan => ({
  batches: batches.map((tests, i) => ({ index: i + 1, tests })),
  batchSize: undefined,
  seed: undefined,
});

// An earlier hunt: one process of 4 tests (100, 200, 300, 400 ms) that took 1500 ms: 500 ms start-up.
const earlier: { runs: MeasuredRun[]; source: string } = {
  source: 'old.json',
  runs: [
    {
      tests: ['a.py', 'b.py'],
      evidence: { durationMs: 1500 },
      perTest: [
        { test: 'a.py::x', durationMs: 100 },
        { test: 'a.py::y', durationMs: 200 },
        { test: 'b.py::z', durationMs: 300 },
        { test: 'b.py::w', durationMs: 400 },
      ],
    },
  ],
};

describe('estimatePlan', () => {
  it('counts one run per batch and says nothing of wall time without earlier durations', () => {
    expect(estimatePlan(plan([['a.py'], ['b.py']]), 1, undefined)).toEqual({ runs: 2, wallMs: undefined, coverage: 0, source: undefined });
  });

  it('sums the tests of each entry plus one start-up per process, whatever the earlier batch size', () => {
    expect(estimatePlan(plan([['a.py'], ['b.py']]), 1, earlier)).toMatchObject({ runs: 2, wallMs: 500 + 300 + 500 + 700, coverage: 1 });
    expect(estimatePlan(plan([['a.py::x', 'a.py::y', 'b.py::z', 'b.py::w']]), 1, earlier)).toMatchObject({ runs: 1, wallMs: 1500 });
  });

  it('puts batches side by side on the jobs: the wall is the busiest job', () => {
    expect(estimatePlan(plan([['a.py'], ['b.py']]), 2, earlier).wallMs).toBe(1200);
  });

  it('gives no wall figure when most of the plan was never measured', () => {
    expect(estimatePlan(plan([['a.py'], ['c.py'], ['d.py']]), 1, earlier)).toMatchObject({ wallMs: undefined, coverage: 1 / 3 });
  });
});
