import { describe, expect, it } from '@jest/globals';
import { makeIds } from '../../test/helpers/simulated-suite.js';
import type { TestId } from '../plan/types.js';
import { minimizeFailing, splitIntoChunks } from './ddmin.js';

/** Fails when every test of `needed` is present, in any position; counts the trials. */
function failsWhenAllPresent(needed: readonly TestId[]) {
  const trials: TestId[][] = [];
  const fails = async (tests: readonly TestId[]) => {
    trials.push([...tests]);
    return needed.every((test) => tests.includes(test));
  };
  return { fails, trials };
}

describe('minimizeFailing', () => {
  it('reduces a failure with two dependencies to exactly those two, in order', async () => {
    const { fails } = failsWhenAllPresent(['t13', 't02']);
    expect(await minimizeFailing(makeIds(16), fails)).toEqual(['t02', 't13']);
  });

  it('reduces a three-test interaction among 64 tests to a 1-minimal set', async () => {
    const { fails } = failsWhenAllPresent(['t05', 't33', 't60']);
    expect(await minimizeFailing(makeIds(64), fails)).toEqual(['t05', 't33', 't60']);
  });

  it('returns the whole list when no test can be left out', async () => {
    const { fails } = failsWhenAllPresent(['t00', 't01', 't02']);
    expect(await minimizeFailing(makeIds(3), fails)).toEqual(['t00', 't01', 't02']);
  });

  it('never reorders the tests it tries', async () => {
    const { fails, trials } = failsWhenAllPresent(['t03', 't29']);
    await minimizeFailing(makeIds(32), fails);
    for (const trial of trials) expect([...trial].sort()).toEqual(trial);
  });

  it('finds a pair among 1,000 tests in far fewer trials than the naive n²', async () => {
    const { fails, trials } = failsWhenAllPresent(['t017', 't880']);
    await minimizeFailing(makeIds(1000), fails);
    expect(trials.length).toBeLessThan(200);
  });
});

describe('splitIntoChunks', () => {
  it('makes contiguous chunks whose sizes differ by at most one, larger first', () => {
    const chunks = splitIntoChunks(makeIds(10), 3);
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 3, 3]);
    expect(chunks.flat()).toEqual(makeIds(10));
  });

  it('cuts two chunks exactly where halving cuts, so the cache answers the first round', () => {
    expect(splitIntoChunks(makeIds(5), 2).map((chunk) => chunk.length)).toEqual([3, 2]);
  });
});
