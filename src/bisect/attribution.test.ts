// The records' suspect of a timeout is confirmed alone under a longer time budget: on a loaded
// machine a quick test alone may outlast a budget of seconds, and it must not be named `hang`.
import { describe, expect, it } from '@jest/globals';
import type { Verdict } from '../classify/types.js';
import type { PerTestRecord } from '../probe/records.js';
import type { RunRecord } from '../report/model.js';
import { attributeBatch } from './attribution.js';
import type { Executor, RunOptions, TrialResult } from './types.js';

const BUDGET = { memoryBytes: 300 * 1024 ** 2, timeoutMs: 5_000, graceMs: 1_000 };
const timedOut: Verdict = { outcome: 'timeout', because: 'still running after the 5 s time budget', failingTests: [], signal: undefined };
const passed: Verdict = { outcome: 'passed', because: 'exit 0', failingTests: [], signal: undefined };

function record(test: string, finished: boolean, index: number): PerTestRecord {
  return {
    test,
    file: test.split('::')[0]!,
    pid: 1,
    worker: undefined,
    indexInProcess: index,
    finished,
    rssBeforeBytes: 50e6,
    rssAfterBytes: 50e6,
    peakBytes: 50e6,
    retainedAfterBytes: 10e6,
    retainedSource: 'post-gc-rss',
    retainedDeltaBytes: 0,
    childrenRssBytes: 0,
    durationMs: 100,
    leftovers: [],
    topGrowth: [],
  } as PerTestRecord;
}

const batchRun = (tests: readonly string[]): RunRecord =>
  ({
    runId: 'b001',
    kind: 'batch',
    batchIndex: 1,
    tests,
    startedAt: new Date(0).toISOString(),
    verdict: timedOut,
    evidence: {
      peakBytes: 60e6,
      budgetBytes: BUDGET.memoryBytes,
      durationMs: 5_100,
      timeoutMs: 5_000,
      exitCode: undefined,
      signal: 'SIGTERM',
      backend: 'proc-sampler',
      kernelOomKills: 0,
      orphans: [],
    },
    results: undefined,
    memorySeries: [],
    logPath: 'logs/b001.log',
  }) as unknown as RunRecord;

/** `slow` ends only when given more time than the batch had; everything else passes. */
function executorWhere(slowOrHung: 'slow' | 'hung', asked: (RunOptions | undefined)[]): Executor {
  let n = 0;
  return {
    run: async (tests, options): Promise<TrialResult> => {
      asked.push(options);
      n += 1;
      const longer = (options?.timeoutMs ?? BUDGET.timeoutMs) > BUDGET.timeoutMs;
      const stillRunning = tests.includes('t.py::test_b') && (slowOrHung === 'hung' || !longer);
      return { tests, verdict: stillRunning ? timedOut : passed, peakBytes: 50e6, durationMs: 100, runId: `b001-p0${n}` };
    },
  };
}

async function attribute(slowOrHung: 'slow' | 'hung') {
  const tests = ['t.py::test_a', 't.py::test_b', 't.py::test_c'];
  const asked: (RunOptions | undefined)[] = [];
  const attribution = await attributeBatch({
    batchIndex: 1,
    batchTests: tests,
    original: batchRun(tests),
    records: [record('t.py::test_a', true, 0), record('t.py::test_b', false, 1)],
    budget: BUDGET,
    executor: executorWhere(slowOrHung, asked),
    maxRuns: 10,
    wants: () => true,
    probeOf: async () => ({ records: [], sites: [] }),
  });
  return { attribution, asked };
}

describe('attributeBatch: the running test of a timed-out batch', () => {
  it('is named hang only when alone it outlives a longer budget than the batch had', async () => {
    const { attribution, asked } = await attribute('hung');
    expect(attribution.findings.map((f) => [f.finding.kind, f.finding.culprits])).toEqual([['hang', ['t.py::test_b']]]);
    // 10 s of the test's own time once its start record is written, 15 s from the process start until then.
    expect(asked[0]).toEqual({ timeoutMs: 15_000, testTimeoutMs: 10_000 });
    expect(attribution.findings[0]?.finding.because).toContain('still running after the 5 s');
  });

  it('is not named when alone it ends under the longer budget (a slow test on a loaded machine)', async () => {
    const { attribution, asked } = await attribute('slow');
    expect(attribution.findings).toEqual([]);
    expect(attribution.settled).toEqual([]);
    expect(asked).toHaveLength(1);
  });
});
