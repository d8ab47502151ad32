// The prefix-run search on a simulated process: each test keeps some memory for good and may
// allocate a temporary; a run's peak is the most it held at once; over the budget it dies.
import { describe, expect, it } from '@jest/globals';
import type { Signature } from '../classify/signature.js';
import { findAccumulatorByPrefixes, plannedRuns } from './prefix-peaks.js';
import type { Executor, TrialResult } from './types.js';

const MIB = 1024 ** 2;
const BUDGET = 150 * MIB;
const SIGNATURE: Signature = { outcome: 'over-memory', failingTest: undefined, signal: undefined };

interface Behaviour {
  readonly keepMiB?: number;
  readonly temporaryMiB?: number;
}

function simulated(behaviour: Record<string, Behaviour>, baseMiB = 40): Executor & { runs: number } {
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    run: async (tests): Promise<TrialResult> => {
      runs += 1;
      let held = baseMiB * MIB;
      let peak = held;
      for (const test of tests) {
        const b = behaviour[test] ?? {};
        peak = Math.max(peak, held + (b.temporaryMiB ?? 0) * MIB + (b.keepMiB ?? 0) * MIB);
        held += (b.keepMiB ?? 0) * MIB;
      }
      const died = peak > BUDGET;
      return {
        tests,
        verdict: died
          ? { outcome: 'over-memory', because: 'over', failingTests: [], signal: 'SIGKILL' }
          : { outcome: 'passed', because: 'exit 0', failingTests: [], signal: undefined },
        peakBytes: Math.min(peak, BUDGET),
        durationMs: 1,
        runId: `r${runs}`,
      };
    },
  };
}

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `t${String(i + 1).padStart(2, '0')}`);

async function search(tests: string[], behaviour: Record<string, Behaviour>) {
  const executor = simulated(behaviour);
  const result = await findAccumulatorByPrefixes(
    { batchIndex: 1, tests, signature: SIGNATURE, budgetBytes: BUDGET, maxRuns: 100, originalRunId: 'b001' },
    executor,
  );
  return { result, runs: executor.runs };
}

describe('findAccumulatorByPrefixes', () => {
  it('names the tests whose addition raised the peak, confirmed alone, within the runs it announced', async () => {
    const tests = names(32);
    // 4 keepers of 30 MiB: 40 + 90 fits 150 MiB, the 4th (t27) crosses it.
    const keep = { t05: { keepMiB: 30 }, t12: { keepMiB: 30 }, t20: { keepMiB: 30 }, t27: { keepMiB: 30 } };
    const { result, runs } = await search(tests, { ...keep, t08: { temporaryMiB: 1 } });
    expect(result.finding.kind).toBe('accumulator');
    expect(result.finding.culprits).toEqual(['t05', 't12', 't20']);
    expect(result.prefixLength).toBe(27);
    expect(result.finding.reproTests).toEqual(tests.slice(0, 27));
    expect(result.finding.because).toMatch(/found by prefix runs: the peak rose by 90(\.0)? MiB .*t05 \+30(\.0)? MiB/);
    expect(runs).toBe(result.runs.length);
    expect(runs).toBeLessThanOrEqual(plannedRuns(32));
    expect(runs).toBeLessThan(1 + 32); // the naive sweep: the batch again, then each test alone
  });

  it('names a hog when the last test of the smallest failing prefix dies alone', async () => {
    const { result } = await search(names(20), { t09: { temporaryMiB: 200 } });
    expect(result.finding).toMatchObject({ kind: 'hog', culprits: ['t09'] });
  });

  it('names nobody when every test keeps a little (no rise stands out of the noise)', async () => {
    const tests = names(40);
    const { result } = await search(tests, Object.fromEntries(tests.map((t) => [t, { keepMiB: 3 }])));
    expect(result.finding.kind).toBe('unresolved');
    expect(result.finding.culprits).toEqual([]);
    expect(result.finding.because).toMatch(/nobody named/);
  });

  it('does not name a test that raised the peak by a temporary (it does not stack when the order is reversed)', async () => {
    // t02 keeps 40 MiB, t04 allocates and frees 40 MiB on top of it, t10 crosses the budget.
    const { result } = await search(names(16), { t02: { keepMiB: 40 }, t04: { temporaryMiB: 40 }, t10: { temporaryMiB: 75 } });
    expect(result.prefixLength).toBe(10);
    expect(result.finding.kind).toBe('unresolved');
    expect(result.finding.culprits).toEqual([]);
    expect(result.finding.because).toMatch(/alone in reverse order .*not all of it is kept/);
  });

  it('names the keepers beside a temporary that did not raise the peak past them', async () => {
    const keep = { t03: { keepMiB: 30 }, t07: { keepMiB: 30 }, t11: { keepMiB: 30 }, t15: { keepMiB: 30 } };
    const { result } = await search(names(16), { ...keep, t09: { temporaryMiB: 10 } });
    expect(result.finding.culprits).toEqual(['t03', 't07', 't11']);
    expect(result.finding.because).toMatch(/not named, leaving it out of the others did not lower their peak: t09/);
  });
});
