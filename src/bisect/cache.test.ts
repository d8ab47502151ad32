import { describe, expect, it } from '@jest/globals';
import { simulatedSuite } from '../../test/helpers/simulated-suite.js';
import { isCachingExecutor, makeCachingExecutor } from './cache.js';
import type { TrialResult } from './types.js';

describe('makeCachingExecutor', () => {
  it('runs an ordered list once and answers the second request from memory', async () => {
    const suite = simulatedSuite({ tests: 4, hogs: ['t01'] });
    const cache = makeCachingExecutor(suite.executor);
    const first = await cache.run(['t00', 't01']);
    const second = await cache.run(['t00', 't01']);
    expect(second).toBe(first);
    expect(suite.runs).toBe(1);
    expect(cache.executions).toBe(1);
  });

  it('treats the same tests in another order as another list', async () => {
    const suite = simulatedSuite({ tests: 4 });
    const cache = makeCachingExecutor(suite.executor);
    await cache.run(['t00', 't01']);
    await cache.run(['t01', 't00']);
    expect(cache.executions).toBe(2);
  });

  it('always executes on rerun and remembers every result in order', async () => {
    const suite = simulatedSuite({ tests: 4 });
    const cache = makeCachingExecutor(suite.executor);
    const first = await cache.run(['t02']);
    const again = await cache.rerun(['t02']);
    expect(again).not.toBe(first);
    expect(cache.known(['t02'])).toEqual([first, again]);
    expect(await cache.run(['t02'])).toBe(first);
    expect(cache.executions).toBe(2);
  });

  it('keeps hunts with different key prefixes apart when they share a store', async () => {
    const suite = simulatedSuite({ tests: 4 });
    const store = new Map<string, TrialResult[]>();
    const small = makeCachingExecutor(suite.executor, 'pytest|200MiB', store);
    const large = makeCachingExecutor(suite.executor, 'pytest|2GiB', store);
    const sameBudget = makeCachingExecutor(suite.executor, 'pytest|200MiB', store);
    await small.run(['t00']);
    await large.run(['t00']);
    await sameBudget.run(['t00']);
    expect(suite.runs).toBe(2);
    expect(sameBudget.executions).toBe(0);
  });

  it('is recognised as a cache so a hunt does not wrap it twice', () => {
    const suite = simulatedSuite({ tests: 2 });
    expect(isCachingExecutor(makeCachingExecutor(suite.executor))).toBe(true);
    expect(isCachingExecutor(suite.executor)).toBe(false);
  });
});
