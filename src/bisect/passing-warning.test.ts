// A batch that passed is warned about as an accumulator only when, at its rate, it would reach
// the budget within the horizon of the tests it ran: a fresh process's first-time caches (a few
// MiB once) must not name tests that no suite of this size could ever be killed by.
import { describe, expect, it } from '@jest/globals';
import type { Verdict } from '../classify/types.js';
import type { PerTestRecord } from '../probe/records.js';
import type { RunRecord } from '../report/model.js';
import { attributeBatch, WARNING_HORIZON } from './attribution.js';

const MIB = 1024 ** 2;
const BUDGET = { memoryBytes: 300 * MIB, timeoutMs: 30_000, graceMs: 1_000 };
const passed: Verdict = { outcome: 'passed', because: 'exit 0', failingTests: [], signal: undefined };

/** 40 quiet tests in 4 files, and the tests of `keeper.py` keeping `keptBytes` each; `once` kept by quiet2.py::test_6. */
function records(keptBytes: number, once = 0): PerTestRecord[] {
  const tests = [
    ...Array.from({ length: 40 }, (_, i) => `quiet${i % 4}.py::test_${i}`),
    ...Array.from({ length: 4 }, (_, i) => `keeper.py::test_${i}`),
  ];
  return tests.map(
    (test, index) =>
      ({
        test,
        file: test.split('::')[0]!,
        pid: 1,
        worker: undefined,
        indexInProcess: index,
        finished: true,
        rssBeforeBytes: 60 * MIB,
        rssAfterBytes: 60 * MIB,
        peakBytes: 60 * MIB,
        retainedAfterBytes: 60 * MIB,
        retainedSource: 'post-gc-rss',
        // A little noise on every quiet test, so the rule has a spread to judge against.
        retainedDeltaBytes: test.startsWith('keeper')
          ? keptBytes
          : test === 'quiet2.py::test_6' && once > 0
            ? once
            : (index % 3) * 16 * 1024,
        childrenRssBytes: 0,
        durationMs: 20,
        leftovers: [],
        topGrowth: [],
      }) as PerTestRecord,
  );
}

function passingRun(tests: readonly string[], verdict: Verdict = passed): RunRecord {
  return {
    runId: 'b001',
    kind: 'batch',
    batchIndex: 1,
    tests,
    startedAt: new Date(0).toISOString(),
    verdict,
    evidence: {
      peakBytes: 80 * MIB,
      budgetBytes: BUDGET.memoryBytes,
      durationMs: 2_000,
      timeoutMs: BUDGET.timeoutMs,
      exitCode: 0,
      signal: undefined,
      backend: 'cgroup-v1',
      kernelOomKills: 0,
      orphans: [],
    },
    results: undefined,
    memorySeries: [],
    logPath: 'logs/b001.log',
  } as unknown as RunRecord;
}

async function warningsFor(keptBytes: number, verdict: Verdict = passed, once = 0) {
  const recs = records(keptBytes, once);
  const tests = [...new Set(recs.map((r) => r.file))];
  const attribution = await attributeBatch({
    batchIndex: 1,
    batchTests: tests,
    original: passingRun(tests, verdict),
    records: recs,
    budget: BUDGET,
    executor: { run: async () => Promise.reject(new Error('a passing batch spends no runs')) },
    maxRuns: 10,
    wants: () => true,
    probeOf: async () => ({ records: [], sites: [] }),
  });
  return attribution.findings;
}

describe('a passing batch that keeps memory', () => {
  it('is a warning naming the keeper when it would reach the budget within the horizon', async () => {
    // 4 × 8 MiB over 44 tests: 220 MiB of headroom is crossed after ~300 more tests.
    const findings = await warningsFor(8 * MIB);
    expect(findings.map((f) => [f.severity, f.finding.kind, f.finding.culprits])).toEqual([['warning', 'accumulator', ['keeper.py']]]);
    expect(findings[0]!.accumulation!.budgetCrossedAtTest).toBeLessThanOrEqual(WARNING_HORIZON * 44);
  });

  it('is the same warning when the batch failed on an unrelated assertion (its records are whole), and nothing is settled', async () => {
    const failed: Verdict = {
      outcome: 'failed',
      because: '1 test failed: quiet1.py::test_5',
      failingTests: ['quiet1.py::test_5'],
      signal: undefined,
    };
    const findings = await warningsFor(8 * MIB, failed);
    expect(findings.map((f) => [f.severity, f.finding.kind, f.finding.culprits])).toEqual([['warning', 'accumulator', ['keeper.py']]]);
    expect(await warningsFor(1.5 * MIB, failed)).toEqual([]);
  });

  it('leaves out a lone test that kept under half what the feeders keep (kept once: nothing confirms it alone)', async () => {
    const culprits = async (once: number) => (await warningsFor(8 * MIB, passed, once)).map((f) => f.finding.culprits);
    expect(await culprits(3.2 * MIB)).toEqual([['keeper.py']]);
    expect(await culprits(5 * MIB)).toEqual([['keeper.py', 'quiet2.py::test_6']]);
  });

  it('names nobody when the same shape would need more than the horizon of tests to matter', async () => {
    // 4 × 1.5 MiB (a fresh process's first-time caches): ~2 600 tests to reach 300 MiB.
    expect(await warningsFor(1.5 * MIB)).toEqual([]);
  });
});
