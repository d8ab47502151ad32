// Compares a hunt with an earlier one (`--baseline old.json`): which findings are new, which
// are fixed, which batches now peak higher than before. Pure: two reports in, one comparison
// out; the reporters decide how to show it.
//
// Batches are matched by their ordered test lists, never by index: a reshuffled or re-planned
// hunt numbers its batches differently, and comparing "batch 3" with "batch 3" would compare
// different tests. A batch whose tests changed has no counterpart and is only counted.
import type { TestId } from '../plan/types.js';
import type { BatchReport, Report, ReportedFinding } from './model.js';

export interface PeakRegression {
  readonly tests: readonly TestId[];
  readonly batchIndex: number;
  readonly baselineBatchIndex: number;
  readonly baselinePeakBytes: number;
  readonly peakBytes: number;
  /** peakBytes / baselinePeakBytes. */
  readonly ratio: number;
}

export interface BaselineComparison {
  /** When the baseline hunt started (ISO 8601), to say "compared with the run of …". */
  readonly baselineStartedAt: string;
  /** In this hunt, not in the baseline. */
  readonly newFindings: readonly ReportedFinding[];
  /** In the baseline; not found again although every culprit ran in this hunt. */
  readonly fixedFindings: readonly ReportedFinding[];
  /** In the baseline, but some culprit no longer ran in this hunt: neither fixed nor still there. */
  readonly unverifiedFindings: readonly ReportedFinding[];
  /** In both. */
  readonly persistingFindings: readonly ReportedFinding[];
  /** Batches (matched by test list) whose peak grew beyond the threshold, worst first. */
  readonly peakRegressions: readonly PeakRegression[];
  readonly peakRegressionRatio: number;
  /** Batches of this hunt with a counterpart in the baseline (same tests, both ran). */
  readonly matchedBatches: number;
  readonly unmatchedBatches: number;
}

/** Identity of a finding across hunts: kind, culprits (unresolved: its set) and victim; not batch index nor wording. */
export function findingKey(finding: ReportedFinding): string {
  const tests = finding.smallestFailingSet ?? finding.culprits;
  return [finding.kind, tests.join('\u0000'), finding.victim ?? ''].join('\u0001');
}

export function compareWithBaseline(current: Report, baseline: Report, options: { peakRegressionRatio: number }): BaselineComparison {
  const currentKeys = new Set(current.findings.map(findingKey));
  const baselineKeys = new Set(baseline.findings.map(findingKey));
  const testsRun = new Set(current.runs.flatMap((run) => run.tests));
  const gone = baseline.findings.filter((finding) => !currentKeys.has(findingKey(finding)));
  const { matched, regressions } = comparePeaks(current, baseline, options.peakRegressionRatio);
  return {
    baselineStartedAt: baseline.startedAt,
    newFindings: current.findings.filter((finding) => !baselineKeys.has(findingKey(finding))),
    fixedFindings: gone.filter((finding) => finding.culprits.every((test) => testsRun.has(test))),
    unverifiedFindings: gone.filter((finding) => !finding.culprits.every((test) => testsRun.has(test))),
    persistingFindings: current.findings.filter((finding) => baselineKeys.has(findingKey(finding))),
    peakRegressions: regressions,
    peakRegressionRatio: options.peakRegressionRatio,
    matchedBatches: matched,
    unmatchedBatches: current.batches.length - matched,
  };
}

function comparePeaks(current: Report, baseline: Report, ratioLimit: number): { matched: number; regressions: PeakRegression[] } {
  const baselinePeaks = new Map<string, { index: number; peakBytes: number }>();
  for (const batch of baseline.batches) {
    const peakBytes = batchPeakBytes(baseline, batch);
    if (peakBytes !== undefined) baselinePeaks.set(testListKey(batch.tests), { index: batch.index, peakBytes });
  }
  let matched = 0;
  const regressions: PeakRegression[] = [];
  for (const batch of current.batches) {
    const before = baselinePeaks.get(testListKey(batch.tests));
    const peakBytes = batchPeakBytes(current, batch);
    if (before === undefined || peakBytes === undefined) continue;
    matched += 1;
    // A zero baseline peak means "not measured", not "infinitely better".
    if (before.peakBytes <= 0) continue;
    const ratio = peakBytes / before.peakBytes;
    if (ratio > ratioLimit) {
      regressions.push({
        tests: batch.tests,
        batchIndex: batch.index,
        baselineBatchIndex: before.index,
        baselinePeakBytes: before.peakBytes,
        peakBytes,
        ratio,
      });
    }
  }
  regressions.sort((a, b) => b.ratio - a.ratio);
  return { matched, regressions };
}

/** The tree peak of a batch's own (planned) run; undefined when it never ran. */
export function batchPeakBytes(report: Report, batch: BatchReport): number | undefined {
  if (batch.runId === undefined) return undefined;
  return report.runs.find((run) => run.runId === batch.runId)?.evidence.peakBytes;
}

function testListKey(tests: readonly TestId[]): string {
  return tests.join('\n');
}
