import { describe, expect, it } from '@jest/globals';
import { argumentBytes, fitArgumentLimit } from './arg-limit.js';
import { planBatches } from './batches.js';

const ids = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `tests/test_many.py::test_case_${String(i).padStart(6, '0')}`);

describe('fitArgumentLimit', () => {
  it('leaves a plan whose batches fit untouched, with no notice', () => {
    const plan = planBatches(ids(10), { batchSize: 3 });
    expect(fitArgumentLimit(plan)).toEqual({ plan, notice: undefined });
  });

  it('splits 100 000 ids in one batch into parts under the limit, in order, none lost', () => {
    const tests = ids(100_000);
    const { plan, notice } = fitArgumentLimit(planBatches(tests, { batches: 1 }));
    expect(plan.batches.length).toBeGreaterThan(1);
    expect(plan.batches.flatMap((b) => b.tests)).toEqual(tests);
    expect(plan.batches.map((b) => b.index)).toEqual(plan.batches.map((_, i) => i + 1));
    for (const batch of plan.batches) expect(batch.tests.reduce((sum, t) => sum + argumentBytes(t), 0)).toBeLessThanOrEqual(512 * 1024);
    expect(notice).toMatch(/^batch\(es\) 1: .* split into \d+ batches/);
  });

  it('renumbers the batches after a split one and keeps a test longer than the limit alone', () => {
    const plan = planBatches(['a', 'b', 'c', 'x'.repeat(100), 'd'], { batchSize: 3 });
    const fitted = fitArgumentLimit(plan, 25);
    expect(fitted.plan.batches.map((b) => b.tests)).toEqual([['a', 'b'], ['c'], ['x'.repeat(100)], ['d']]);
    expect(fitted.notice).toMatch(/batch\(es\) 1, 2:/);
  });
});
