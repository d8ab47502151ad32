import { describe, expect, it } from '@jest/globals';
import type { Signature } from '../classify/signature.js';
import type { TestId } from '../plan/types.js';
import { prefixHint, smallestFailingPrefix } from './accumulator-prefix.js';
import type { Executor, TrialResult } from './types.js';

const overMemory: Signature = { outcome: 'over-memory', failingTest: undefined, signal: undefined };

// A batch where every test keeps `leakBytes` and the run dies once the total reaches the budget.
function accumulatingSuite(n: number, leakBytes: number, budgetBytes: number) {
  const ids = Array.from({ length: n }, (_, i) => `t${i}`);
  const asked: number[] = [];
  const executor: Executor = {
    async run(tests: readonly TestId[]): Promise<TrialResult> {
      asked.push(tests.length);
      const peakBytes = tests.length * leakBytes;
      const dies = peakBytes >= budgetBytes;
      return {
        tests,
        peakBytes,
        durationMs: 1,
        runId: `r${asked.length}`,
        verdict: { outcome: dies ? 'over-memory' : 'passed', because: '', failingTests: [], signal: undefined },
      };
    },
  };
  return { ids, executor, asked };
}

describe('smallestFailingPrefix', () => {
  it('finds the first length that crosses the budget in about log2(n) runs', async () => {
    const suite = accumulatingSuite(100, 4, 150); // 38 tests × 4 = 152 ≥ 150
    const found = await smallestFailingPrefix(suite.ids, suite.executor, overMemory);
    expect(found.length).toBe(38);
    expect(found.tests).toEqual(suite.ids.slice(0, 38));
    expect(found.runs).toBeLessThanOrEqual(Math.ceil(Math.log2(100)));
    expect(found.runIds).toHaveLength(found.runs);
  });

  it('needs two runs when the hint from the slope is right', async () => {
    const suite = accumulatingSuite(100, 4, 150);
    const found = await smallestFailingPrefix(suite.ids, suite.executor, overMemory, { hintLength: 38 });
    expect(found.length).toBe(38);
    expect(suite.asked).toEqual([38, 37]);
  });

  it('settles a hint one short of the truth with its neighbour', async () => {
    const suite = accumulatingSuite(100, 4, 150);
    const found = await smallestFailingPrefix(suite.ids, suite.executor, overMemory, { hintLength: 37 });
    expect(found.length).toBe(38);
    expect(suite.asked).toEqual([37, 38]);
  });

  it('still finds the truth when the hint is far off', async () => {
    const suite = accumulatingSuite(100, 4, 150);
    const found = await smallestFailingPrefix(suite.ids, suite.executor, overMemory, { hintLength: 80 });
    expect(found.length).toBe(38);
    expect(found.runs).toBeLessThanOrEqual(Math.ceil(Math.log2(100)) + 2);
  });

  it('ignores a hint outside the batch', async () => {
    const suite = accumulatingSuite(10, 1, 7);
    const found = await smallestFailingPrefix(suite.ids, suite.executor, overMemory, { hintLength: 99 });
    expect(found.length).toBe(7);
  });

  it('does not count a different failure as the one chased', async () => {
    const suite = accumulatingSuite(16, 1, 10);
    const timeout: Signature = { outcome: 'timeout', failingTest: undefined, signal: undefined };
    const found = await smallestFailingPrefix(suite.ids, suite.executor, timeout);
    expect(found.length).toBe(16); // nothing shorter reproduced a timeout
  });

  it('stops at maxRuns with the smallest prefix seen failing', async () => {
    const suite = accumulatingSuite(64, 1, 5);
    const found = await smallestFailingPrefix(suite.ids, suite.executor, overMemory, { maxRuns: 2 });
    expect(found.runs).toBe(2);
    expect(found.length).toBe(16); // 32 failed, 16 failed, then the budget of runs ran out
  });

  it('never runs anything for a batch of one test', async () => {
    const suite = accumulatingSuite(1, 10, 5);
    expect(await smallestFailingPrefix(suite.ids, suite.executor, overMemory)).toMatchObject({ length: 1, runs: 0 });
  });
});

describe('prefixHint', () => {
  it('names the prefix whose last test first reaches the budget on the fitted line', () => {
    // 30 + 4·i ≥ 150 first at i = 30, so 31 tests.
    expect(prefixHint({ slopeBytesPerTest: 4, interceptBytes: 30 }, 150, 100)).toBe(31);
  });
  it('gives no hint for a flat line and never more than the batch', () => {
    expect(prefixHint({ slopeBytesPerTest: 0, interceptBytes: 30 }, 150, 100)).toBeUndefined();
    expect(prefixHint({ slopeBytesPerTest: 1, interceptBytes: 30 }, 150, 20)).toBe(20);
  });
});
