// Does what each contributor kept in the failing batch recur when the contributors run alone,
// in order? The confirmation run (bisect/attribution.ts) gives every contributor a second
// measurement in a fresh process; a test that kept memory in the batch only by chance (a
// deferred free landing on it, a cache another test filled, GC timing) keeps nothing there
// and is dropped, so no innocent is named. Pure: the batch's verdict and the run's records
// in, the confirmed verdict and the numbers that confirmed it out (docs/accumulators.md,
// "Confirmation").
//
// The unit checked is what the finding names: a whole file (its tests each keep a little,
// only their sum stands out of the noise) or a single contributing test. A unit recurs when,
// over its tests that finished alone, it kept at least RECUR_RATIO of what those same tests
// kept in the batch, less the noise of the sum (RECUR_SIGMAS·σ·√n, σ the batch's noise per
// test). A unit none of whose tests finished alone is counted only when the run died the
// same way as the batch while one of its tests ran: it crossed the budget, which is more
// than keeping as much. Otherwise (never reached) it is dropped: it was not seen to recur.
//
// A lone contributing test given twice (pytest: the probe runs it twice in a row) must also
// keep that much the second time: a fresh process alone cannot tell a feeder from a one-off
// that happens in every process (the first `import numpy` keeps 8 MiB, as much as a registry
// feed, and keeps it again in a fresh process; its second run keeps nothing).
import type { PerTestRecord } from '../../probe/records.js';
import { type AccumulatorVerdict, type ContributingFile, whyNotAccumulating } from './rule.js';

/** Kept alone at least this share of what it kept in the batch (GC and allocator noise). */
export const RECUR_RATIO = 0.5;
/** Less this many σ of the summed noise of the unit's tests. */
export const RECUR_SIGMAS = 2;

/** One unit's two measurements. */
export interface RecurrenceCheck {
  /** The file (when named as a whole file) or the test id, as the finding names it. */
  readonly contributor: string;
  /** What it kept in the failing batch (bytes over the runner's baseline). */
  readonly batchBytes: number;
  /** What the same tests kept alone (bytes over the baseline); absent when none finished. */
  readonly aloneBytes?: number;
  /**
   * A lone contributing test (pytest) runs twice in a row in that run: what it kept the
   * second time (bytes over the baseline). A feeder keeps again; a first import, a cache
   * filled once, keeps nothing the second time, and is dropped.
   */
  readonly againBytes?: number;
  /** The contributors-alone run died the same way while this unit's test ran. */
  readonly crossedBudget?: boolean;
  readonly recurred: boolean;
}

export interface Recurrence {
  /** The batch's verdict with only the contributors that recurred (re-judged by rule 4). */
  readonly verdict: AccumulatorVerdict;
  readonly checks: readonly RecurrenceCheck[];
}

/**
 * `alone`: the records of the contributors-alone run, ids spelled like the verdict's.
 * `diedSameWay`: that run reproduced the batch's memory death.
 */
export function checkRecurrence(verdict: AccumulatorVerdict, alone: readonly PerTestRecord[], diedSameWay: boolean): Recurrence {
  // A test run twice in a row (a lone contributor under pytest) has two records: the first
  // says it keeps memory in a fresh process, the second that it keeps memory again.
  const finished = new Map<string, number>();
  const repeat = new Map<string, number>();
  for (const r of alone.filter((record) => record.finished)) {
    if (finished.has(r.test)) repeat.set(r.test, r.retainedDeltaBytes);
    else finished.set(r.test, r.retainedDeltaBytes);
  }
  const killedIn = new Set(alone.filter((r) => !r.finished).map((r) => r.test));
  const excessAlone = (test: string): number | undefined => {
    const growth = finished.get(test);
    return growth === undefined ? undefined : growth - verdict.baselineBytesPerTest;
  };
  const checks: RecurrenceCheck[] = [];
  const check = (contributor: string, tests: ContributingFile['tests']): boolean => {
    const reached = tests.filter((t) => finished.has(t.test));
    if (reached.length === 0) {
      const crossedBudget = diedSameWay && tests.some((t) => killedIn.has(t.test));
      const batchBytes = sum(tests.map((t) => t.retainedBytes));
      checks.push({ contributor, batchBytes, ...(crossedBudget && { crossedBudget }), recurred: crossedBudget });
      return crossedBudget;
    }
    const batchBytes = sum(reached.map((t) => t.retainedBytes));
    const aloneBytes = sum(reached.map((t) => excessAlone(t.test) ?? 0));
    const slack = RECUR_SIGMAS * verdict.noiseBytes * Math.sqrt(reached.length);
    const againAll = reached.every((t) => repeat.has(t.test));
    const againBytes = againAll ? sum(reached.map((t) => (repeat.get(t.test) ?? 0) - verdict.baselineBytesPerTest)) : undefined;
    const bar = RECUR_RATIO * batchBytes - slack;
    const recurred = aloneBytes >= bar && (againBytes === undefined || againBytes >= bar);
    checks.push({ contributor, batchBytes, aloneBytes, ...(againBytes !== undefined && { againBytes }), recurred });
    return recurred;
  };
  const files = verdict.files.flatMap((file): ContributingFile[] => {
    if (file.wholeFile && file.tests.length > 1) return check(file.file, file.tests) ? [file] : [];
    const tests = file.tests.filter((t) => check(t.test, [t]));
    if (tests.length === 0) return [];
    return [
      { ...file, tests, retainedBytes: tests.length === file.tests.length ? file.retainedBytes : sum(tests.map((t) => t.retainedBytes)) },
    ];
  });
  if (checks.every((c) => c.recurred)) return { verdict, checks };
  const named = new Set(files.flatMap((f) => f.tests.map((t) => t.test)));
  const contributingTests = verdict.contributingTests.filter((t) => named.has(t));
  const explainedBytes = sum(files.map((f) => f.retainedBytes));
  const total = Math.max(verdict.totalGrowthBytes, 1);
  const kept = {
    ...verdict,
    files: files.map((f) => ({ ...f, share: f.retainedBytes / total })),
    contributingTests,
    explainedBytes,
    explainedShare: explainedBytes / total,
    bytesPerContributingTest: contributingTests.length > 0 ? explainedBytes / contributingTests.length : 0,
  };
  const why = whyNotAccumulating(kept);
  const { why: _was, ...rest } = kept;
  return {
    verdict:
      why === undefined
        ? { ...rest, isAccumulating: true }
        : { ...rest, isAccumulating: false, why: `once the contributors that did not recur alone were dropped, ${why}` },
    checks,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
