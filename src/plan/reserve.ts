// Packing by measured peaks (issue 17): with --jobs, each running batch holds part of
// --total-memory. A batch that ran whole in an earlier hunt of this selection (it passed, or
// failed an assertion: nothing cut it short) is known to take about its measured peak, so it
// reserves that peak × RESERVE_MARGIN, never more than its budget; any other batch (never
// run, or killed before its end) reserves its full budget, as before. The budget still
// bounds each batch; the margin covers a run that grows a little more than last time.
import type { TestId } from './types.js';

/** Stated in docs/ci.md: a batch may take half as much again as it took last time. */
export const RESERVE_MARGIN = 1.5;

/** The parts of an earlier report's run this reads (loosely: a bad entry is skipped). */
interface PeakRun {
  readonly tests: readonly TestId[];
  readonly verdict: { readonly outcome: string };
  readonly evidence: { readonly peakBytes: number };
}

const RAN_WHOLE = new Set(['passed', 'failed']);

/** What each batch (by its ordered tests) reserves of the memory total. */
export function reservationsFrom(runs: readonly unknown[] | undefined, budgetBytes: number): (tests: readonly TestId[]) => number {
  const peaks = new Map<string, number>();
  for (const run of runs ?? []) {
    if (!isPeakRun(run) || !RAN_WHOLE.has(run.verdict.outcome)) continue;
    const key = keyOf(run.tests);
    peaks.set(key, Math.max(peaks.get(key) ?? 0, run.evidence.peakBytes));
  }
  return (tests) => {
    const peak = peaks.get(keyOf(tests));
    return peak === undefined ? budgetBytes : Math.min(budgetBytes, Math.ceil(peak * RESERVE_MARGIN));
  };
}

function keyOf(tests: readonly TestId[]): string {
  return tests.join('\u0000');
}

function isPeakRun(run: unknown): run is PeakRun {
  const candidate = run as Partial<PeakRun> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.tests) &&
    typeof candidate.verdict?.outcome === 'string' &&
    typeof candidate.evidence?.peakBytes === 'number' &&
    Number.isFinite(candidate.evidence.peakBytes) &&
    candidate.evidence.peakBytes > 0
  );
}
