import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../test/helpers/property-runs.js';
import { UsageError } from '../errors.js';
import { planBatches } from './batches.js';
import { assignShards, batchDurationKey, batchDurationsOf, githubMatrix, parseShard, planFingerprint, shardPlan } from './shards.js';
import type { Plan } from './types.js';

jest.setTimeout(PROPERTY_TIMEOUT_MS);

function planOf(testCount: number, batchSize: number): Plan {
  return planBatches(
    Array.from({ length: testCount }, (_, i) => `t${String(i + 1).padStart(3, '0')}`),
    { batchSize },
  );
}

function expectPartition(plan: Plan, shards: number[][]): void {
  const all = shards.flat();
  expect(new Set(all).size).toBe(all.length);
  expect([...all].sort((a, b) => a - b)).toEqual(plan.batches.map((batch) => batch.index));
}

describe('parseShard', () => {
  it('reads i/N', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/4', '5/4', '2', 'a/b', '-1/3', '1/0'])('refuses %s with a usage error', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });
});

describe('assignShards', () => {
  it('gives every batch to exactly one shard for N = 1..5, on generated plans', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }), (tests, size, count) => {
        const plan = planOf(tests, size);
        const shards = assignShards(plan, count);
        expect(shards).toHaveLength(count);
        expectPartition(plan, shards);
        const union = shards.flatMap((_, i) => shardPlan(plan, { index: i + 1, count }).batches);
        expect(union.sort((a, b) => a.index - b.index)).toEqual(plan.batches);
      }),
      propertyRuns(100, 20261128),
    );
  });

  it('gives every batch to exactly one shard when durations are known, for N = 1..5', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5 }),
        (ms, count) => {
          const plan = planOf(ms.length * 2, 2);
          const durations = new Map(plan.batches.map((batch, i) => [batchDurationKey(batch.tests), ms[i]!]));
          expectPartition(plan, assignShards(plan, count, durations));
        },
      ),
      propertyRuns(100, 20261129),
    );
  });

  it('balances by batch count without durations', () => {
    const shards = assignShards(planOf(30, 3), 4);
    expect(shards.map((shard) => shard.length)).toEqual([3, 3, 2, 2]);
  });

  it('puts a long batch alone when durations say it dominates (longest processing time first)', () => {
    const plan = planOf(12, 3); // 4 batches
    const durations = new Map(plan.batches.map((batch) => [batchDurationKey(batch.tests), batch.index === 2 ? 90_000 : 10_000]));
    expect(assignShards(plan, 2, durations)).toEqual([[2], [1, 3, 4]]);
  });

  it('gives the same assignment every time for the same plan', () => {
    const plan = planOf(50, 4);
    expect(assignShards(plan, 3)).toEqual(assignShards(plan, 3));
  });

  it('leaves a shard empty rather than splitting a batch when there are more shards than batches', () => {
    expect(assignShards(planOf(2, 1), 3)).toEqual([[1], [2], []]);
  });
});

describe('githubMatrix', () => {
  it('lists one entry per shard as i/N', () => {
    expect(githubMatrix(3)).toEqual({ include: [{ shard: '1/3' }, { shard: '2/3' }, { shard: '3/3' }] });
  });
});

describe('batchDurationsOf', () => {
  it('keeps the planned batch runs only', () => {
    const runs = [
      { kind: 'batch', tests: ['a', 'b'], evidence: { durationMs: 500 } },
      { kind: 'probe', tests: ['a'], evidence: { durationMs: 100 } },
    ];
    expect([...batchDurationsOf(runs)]).toEqual([[batchDurationKey(['a', 'b']), 500]]);
  });
});

describe('planFingerprint', () => {
  it('differs when the order of tests differs', () => {
    expect(planFingerprint(planOf(6, 3).batches)).not.toBe(
      planFingerprint(planBatches(['t002', 't001', 't003', 't004', 't005', 't006'], { batchSize: 3 }).batches),
    );
  });
});
