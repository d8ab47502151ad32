// Failures a dead run leaves only in its per-test records: pytest writes its JUnit at the end,
// so a run killed for time or memory reports no failing test, though a test failed before the
// kill (the probe writes an "outcome" line the moment a phase fails). Each such test is run
// alone once: it fails again → `failing`; it passes → `flaky` (it needs the tests before it,
// or fails by chance), nobody blamed. Pure: the dead run's verdict and records in, the tests
// to confirm and the findings out (docs/bisection.md).
import type { Signature } from '../classify/signature.js';
import type { Verdict } from '../classify/types.js';
import type { TestId } from '../plan/types.js';
import type { PerTestRecord } from '../probe/records.js';
import type { Finding, TrialResult } from './types.js';

/** Deaths that end pytest before it writes its JUnit. */
const DEATHS = new Set(['over-memory', 'oom-killed', 'timeout', 'crashed']);

/** The tests recorded as failed in a run that died, in run order, not already in its verdict. */
export function failuresBeforeDeath(verdict: Verdict, records: readonly PerTestRecord[]): TestId[] {
  if (!DEATHS.has(verdict.outcome)) return [];
  const known = new Set(verdict.failingTests);
  return [...new Set(records.filter((r) => r.failed === true && !known.has(r.test)).map((r) => r.test))];
}

/** The finding of one recorded failure from its run alone; undefined when that run settles nothing (it died). */
export function recordedFailureFinding(
  batchIndex: number,
  died: { runId: string; verdict: Verdict },
  test: TestId,
  alone: TrialResult,
): Finding | undefined {
  const signature: Signature = { outcome: 'failed', failingTest: test, signal: undefined };
  const before = `${test} failed in ${died.runId} before that run ${died.verdict.outcome === 'timeout' ? 'ran out of time' : `died ${died.verdict.outcome}`} (no runner report was written; the per-test records kept the failure)`;
  const base = { batchIndex, victim: undefined, signature, reproTests: [test], evidenceRunIds: [died.runId, alone.runId] };
  if (alone.verdict.outcome === 'failed' && alone.verdict.failingTests.some((t) => sameTest(t, test))) {
    return {
      ...base,
      kind: 'failing',
      culprits: [test],
      because: `${before}; alone it failed again (${alone.runId})`,
      confidence: undefined,
    };
  }
  if (alone.verdict.outcome !== 'passed') return undefined;
  return {
    ...base,
    kind: 'flaky',
    culprits: [],
    because: `${before}; alone it passed (${alone.runId}): it fails only after the tests before it, or by chance; nobody is blamed`,
    confidence: 'reproduced 1 of 2 runs',
  };
}

// The runner's report spells ids from its rootdir, the selection from the user's: one ends the other.
function sameTest(reported: TestId, test: TestId): boolean {
  return reported === test || test.endsWith(`/${reported}`) || reported.endsWith(`/${test}`);
}
