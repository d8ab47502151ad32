// A victim that ran first in its process: only collection ran before it. Re-run with the same
// collection and then alone, it is flaky (both pass), `failing` (alone fails) or polluted at
// collection time (narrowed over the entries collected with it). Never a polluter by guess.
import { describe, expect, it } from '@jest/globals';
import type { Verdict } from '../classify/types.js';
import type { TestId } from '../plan/types.js';
import { huntBatch } from './hunt.js';
import type { Executor, TrialResult } from './types.js';

const passed: Verdict = { outcome: 'passed', because: 'exit 0', failingTests: [], signal: undefined };
const failedOn = (test: TestId): Verdict => ({
  outcome: 'failed',
  because: `1 test failed: ${test}`,
  failingTests: [test],
  signal: undefined,
});

interface Counted extends Executor {
  readonly runs: number;
}

/** `victim` fails on its first `failures` executions, wherever it runs; nothing pollutes it. */
function failsFirstTimes(victim: TestId, failures: number, withCollection = true): Counted {
  let executions = 0;
  let runs = 0;
  const run = async (tests: readonly TestId[]): Promise<TrialResult> => {
    runs += 1;
    const verdict = tests.includes(victim) && (executions += 1) <= failures ? failedOn(victim) : passed;
    return { tests, verdict, peakBytes: 0, durationMs: 1, runId: `r${runs}` };
  };
  return {
    run,
    ...(withCollection && { runCollected: async (_collected: readonly TestId[], selected: readonly TestId[]) => run(selected) }),
    get runs() {
      return runs;
    },
  };
}

/** `victim` fails whenever `importer` is collected with it (an import-time side effect). */
function pollutedAtCollection(victim: TestId, importer: TestId): Counted {
  let runs = 0;
  const result = (tests: readonly TestId[], collected: readonly TestId[]): TrialResult => {
    runs += 1;
    const verdict = tests.includes(victim) && collected.includes(importer) ? failedOn(victim) : passed;
    return { tests, verdict, peakBytes: 0, durationMs: 1, runId: `r${runs}` };
  };
  return {
    run: async (tests) => result(tests, tests),
    runCollected: async (collected, selected) => result(selected, collected),
    get runs() {
      return runs;
    },
  };
}

const ONCE = { repeat: 1, maxRuns: Infinity };
const BATCH = ['v', 'a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('a victim first in its process', () => {
  it('is flaky, named, with no culprit, when it fails twice then passes with the same collection and alone', async () => {
    const executor = failsFirstTimes('v', 2);
    const original = await executor.run(BATCH);
    const [hunt] = await huntBatch(1, BATCH, original, executor, ONCE);
    expect(hunt?.findings).toEqual([
      expect.objectContaining({
        kind: 'flaky',
        culprits: [],
        victim: undefined,
        reproTests: ['v'],
        confidence: 'reproduced 2 of 4 runs',
        signature: expect.objectContaining({ failingTest: 'v' }),
      }),
    ]);
    // confirmation, the collected run, alone: 3 runs after the batch.
    expect(hunt?.runsUsed).toBe(3);
    expect(executor.runs).toBe(4);
  });

  it('without a way to collect only (jest: its file alone), is flaky after the run alone', async () => {
    const executor = failsFirstTimes('v', 2, false);
    const original = await executor.run(BATCH);
    const [hunt] = await huntBatch(1, BATCH, original, executor, ONCE);
    expect(hunt?.findings.map((f) => [f.kind, f.culprits])).toEqual([['flaky', []]]);
    expect(hunt?.runsUsed).toBe(2);
  });

  it('is flaky at confirmation when it fails only once', async () => {
    const executor = failsFirstTimes('v', 1);
    const original = await executor.run(BATCH);
    const [hunt] = await huntBatch(1, BATCH, original, executor, ONCE);
    expect(hunt?.findings).toEqual([expect.objectContaining({ kind: 'flaky', culprits: [], confidence: 'reproduced 1 of 2 runs' })]);
    expect(hunt?.runsUsed).toBe(1);
  });

  it('names the entry whose collection (import) breaks it, and says so', async () => {
    const executor = pollutedAtCollection('v', 'e');
    const original = await executor.run(BATCH);
    const [hunt] = await huntBatch(1, BATCH, original, executor, ONCE);
    expect(hunt?.findings).toEqual([expect.objectContaining({ kind: 'polluter', culprits: ['e'], victim: 'v', reproTests: ['e', 'v'] })]);
    expect(hunt?.findings[0]?.because).toMatch(/collected with it.*collection \(import\) time/);
  });
});
