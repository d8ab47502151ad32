import { describe, expect, it } from '@jest/globals';
import { usageErrorOf } from '../../test/helpers/errors.js';
import { planBatches } from './batches.js';

const tests = (count: number): string[] => Array.from({ length: count }, (_, index) => `t${String(index + 1).padStart(2, '0')}`);
const sizes = (plan: ReturnType<typeof planBatches>): number[] => plan.batches.map((batch) => batch.tests.length);

describe('planBatches by size', () => {
  it('makes batches of 3 by default, the last one taking the remainder', () => {
    const plan = planBatches(tests(8), {});
    expect(sizes(plan)).toEqual([3, 3, 2]);
    expect(plan.batchSize).toBe(3);
    expect(plan.seed).toBeUndefined();
  });

  it('keeps the selection order across and inside batches, numbering batches from 1', () => {
    const plan = planBatches(tests(5), { batchSize: 2 });
    expect(plan.batches).toEqual([
      { index: 1, tests: ['t01', 't02'] },
      { index: 2, tests: ['t03', 't04'] },
      { index: 3, tests: ['t05'] },
    ]);
  });

  it('puts everything in one batch when the size exceeds the number of tests', () => {
    expect(sizes(planBatches(tests(4), { batchSize: 10 }))).toEqual([4]);
  });

  it('plans nothing for no tests', () => {
    expect(planBatches([], {}).batches).toEqual([]);
    expect(planBatches([], { batches: 3 }).batches).toEqual([]);
  });
});

describe('planBatches into K batches', () => {
  it('gives sizes that differ by at most one, the first batches taking the extra tests', () => {
    const plan = planBatches(tests(11), { batches: 4 });
    expect(sizes(plan)).toEqual([3, 3, 3, 2]);
    expect(plan.batches.flatMap((batch) => batch.tests)).toEqual(tests(11));
    expect(plan.batchSize).toBeUndefined();
  });

  it('gives n batches of one when K exceeds the number of tests', () => {
    const plan = planBatches(tests(3), { batches: 7 });
    expect(plan.batches).toEqual([
      { index: 1, tests: ['t01'] },
      { index: 2, tests: ['t02'] },
      { index: 3, tests: ['t03'] },
    ]);
  });

  it('splits evenly when K divides n', () => {
    expect(sizes(planBatches(tests(12), { batches: 3 }))).toEqual([4, 4, 4]);
  });
});

describe('planBatches with a seed', () => {
  it('shuffles reproducibly: the same seed gives the same plan', () => {
    const first = planBatches(tests(20), { batchSize: 4, seed: 42 });
    const second = planBatches(tests(20), { batchSize: 4, seed: 42 });
    expect(second).toEqual(first);
    expect(first.seed).toBe(42);
    expect(first.batches.flatMap((batch) => batch.tests)).not.toEqual(tests(20));
  });

  it('gives a different order for a different seed, with the same tests', () => {
    const order = (seed: number): string[] => planBatches(tests(20), { seed }).batches.flatMap((batch) => batch.tests);
    expect(order(1)).not.toEqual(order(2));
    expect([...order(1)].sort()).toEqual(tests(20));
  });
});

describe('planBatches validation', () => {
  it.each([
    [{ batchSize: 0 }, '--batch-size must be a positive integer, got 0'],
    [{ batchSize: -2 }, '--batch-size must be a positive integer, got -2'],
    [{ batchSize: 2.5 }, '--batch-size must be a positive integer, got 2.5'],
    [{ batchSize: Number.NaN }, '--batch-size must be a positive integer, got something that is not a number'],
    [{ batches: 0 }, '--batches must be a positive integer, got 0'],
    [{ batches: Infinity }, '--batches must be a positive integer, got Infinity'],
    [{ batchSize: 3, batches: 2 }, '--batch-size 3 and --batches 2 cannot be used together'],
    [{ seed: 1.5 }, '--seed must be an integer, got 1.5'],
  ])('refuses %j naming the flag and the value', (options, message) => {
    const error = usageErrorOf(() => planBatches(tests(5), options));
    expect(error.message).toBe(message);
    expect(error.hint).toBeTruthy();
  });
});
