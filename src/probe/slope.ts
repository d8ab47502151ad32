// Decides whether a batch is an accumulator: does the memory each test leaves behind grow
// linearly with the number of tests run? Fits retained memory (post-GC heap where the probe
// had one, else RSS after the test) against the test's index in its process with a
// Theil–Sen line, which a few spikes cannot tilt, and calls it significant only when the
// slope is large AND the line explains the series. Thresholds and why: docs/probes.md.
import type { PerTestRecord } from './records.js';

const MIB = 1024 ** 2;

export interface AccumulationRule {
  /** Least growth per test worth reporting. Default 1 MiB. */
  readonly minSlopeBytesPerTest: number;
  /** Least share of the inliers' variance the line must explain. Default 0.8. */
  readonly minRSquared: number;
  /** Fewer tests than this never make a verdict. Default 5. */
  readonly minTests: number;
  /** Above this share of the series' total growth, one test is a hog, not a slow leak. Default 0.5. */
  readonly maxShareOfOneTest: number;
}

export const DEFAULT_ACCUMULATION_RULE: AccumulationRule = {
  minSlopeBytesPerTest: MIB,
  minRSquared: 0.8,
  minTests: 5,
  maxShareOfOneTest: 0.5,
};

export interface LineFit {
  /** Median of pairwise slopes (bytes per test). */
  readonly slopeBytesPerTest: number;
  /** Retained bytes the line predicts at index 0. */
  readonly interceptBytes: number;
  /** 1 − SSres/SStot of the line over the inliers; 0 when the series is flat or too short. */
  readonly rSquared: number;
  /** Points left out of rSquared: residual beyond 3 robust standard deviations (and 256 KiB). */
  readonly outliers: number;
}

export interface Contributor {
  readonly test: string;
  /** What the test added to the retained figure (bytes). */
  readonly retainedBytes: number;
}

export interface AccumulationVerdict extends LineFit {
  /** The process the fit is about (one per xdist / jest worker; the steepest is reported). */
  readonly pid: number | undefined;
  /** Tests in the fitted series. */
  readonly tests: number;
  /** The largest positive retained increments, largest first (at most 5). */
  readonly topContributors: readonly Contributor[];
  readonly isAccumulating: boolean;
}

const TOP_CONTRIBUTORS = 5;
const MAX_PAIRS = 500_000; // keeps Theil–Sen O(MAX_PAIRS) for very long series
const OUTLIER_FLOOR_BYTES = 256 * 1024; // allocator noise: never call a 100 KiB wiggle an outlier

/**
 * The accumulation verdict for a batch from its per-test records. Records of different
 * processes are separate series (memory of one worker says nothing about another's); the
 * steepest significant one is reported, else the longest.
 */
export function accumulationOf(
  records: readonly PerTestRecord[],
  rule: AccumulationRule = DEFAULT_ACCUMULATION_RULE,
): AccumulationVerdict {
  const byPid = new Map<number, PerTestRecord[]>();
  for (const record of records) {
    if (!record.finished) continue; // a killed test's "after" is the kill, not its retention
    byPid.set(record.pid, [...(byPid.get(record.pid) ?? []), record]);
  }
  const verdicts = [...byPid.entries()].map(([pid, series]) => judgeSeries(pid, series, rule));
  const significant = verdicts.filter((v) => v.isAccumulating);
  const pool = significant.length > 0 ? significant : verdicts;
  const key = (v: AccumulationVerdict): number => (significant.length > 0 ? v.slopeBytesPerTest : v.tests);
  return pool.reduce<AccumulationVerdict>((best, v) => (key(v) > key(best) ? v : best), pool[0] ?? emptyVerdict());
}

function judgeSeries(pid: number, series: readonly PerTestRecord[], rule: AccumulationRule): AccumulationVerdict {
  // Post-GC and RSS figures are different quantities: never fit a line through both.
  const postGc = series.filter((r) => r.retainedSource === 'post-gc-heap');
  const sorted = [...(postGc.length > 0 ? postGc : series)].sort((a, b) => a.indexInProcess - b.indexInProcess);
  const retained = sorted.map((r) => r.retainedAfterBytes);
  const { inliers, ...fit } = fitWithInliers(sorted.map((r) => r.indexInProcess), retained);
  const topContributors = sorted
    .filter((r) => r.retainedDeltaBytes > 0)
    .sort((a, b) => b.retainedDeltaBytes - a.retainedDeltaBytes)
    .slice(0, TOP_CONTRIBUTORS)
    .map((r) => ({ test: r.test, retainedBytes: r.retainedDeltaBytes }));
  const isAccumulating =
    isSignificant(fit, sorted.length, rule) && largestShare(inliers.map((i) => at(sorted.map((r) => r.indexInProcess), i)), inliers.map((i) => at(retained, i))) <= rule.maxShareOfOneTest;
  return { ...fit, pid, tests: sorted.length, topContributors, isAccumulating };
}

// A step (one test keeps 150 MiB) also gives a steep, fairly straight Theil–Sen line over
// 20 points; what tells it from a slow leak is that one increment makes most of the growth.
// Increments are taken between inliers, so a spike that went away again is not a step.
// Post-GC figures are sampled (jest, vitest, node:test: not every test gets a GC), so two
// neighbouring points may lie many tests apart: a step is judged per test between them.
function largestShare(indices: readonly number[], retained: readonly number[]): number {
  const increments = retained.slice(1).map((y, i) => Math.max(0, y - at(retained, i)));
  const perTest = increments.map((d, i) => d / Math.max(1, at(indices, i + 1) - at(indices, i)));
  const total = increments.reduce((sum, d) => sum + d, 0);
  return total === 0 ? 1 : Math.max(...perTest) / total;
}

/** Part of the rule of docs/probes.md: enough tests, a steep slope, a line that explains the data. */
export function isSignificant(fit: LineFit, tests: number, rule: AccumulationRule = DEFAULT_ACCUMULATION_RULE): boolean {
  return tests >= rule.minTests && fit.slopeBytesPerTest >= rule.minSlopeBytesPerTest && fit.rSquared >= rule.minRSquared;
}

/** Theil–Sen line through (x, y) with R² over the inliers. */
export function theilSen(xs: readonly number[], ys: readonly number[]): LineFit {
  const { inliers: _inliers, ...fit } = fitWithInliers(xs, ys);
  return fit;
}

function fitWithInliers(xs: readonly number[], ys: readonly number[]): LineFit & { inliers: number[] } {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { slopeBytesPerTest: 0, interceptBytes: ys[0] ?? 0, rSquared: 0, outliers: 0, inliers: [] };
  const slopes: number[] = [];
  const stride = Math.max(1, Math.ceil((n * (n - 1)) / 2 / MAX_PAIRS));
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += stride) {
      const dx = at(xs, j) - at(xs, i);
      if (dx !== 0) slopes.push((at(ys, j) - at(ys, i)) / dx);
    }
  }
  const slope = median(slopes);
  const intercept = median(ys.slice(0, n).map((y, i) => y - slope * at(xs, i)));
  const residuals = ys.slice(0, n).map((y, i) => y - (intercept + slope * at(xs, i)));
  const { rSquared, inliers } = inlierRSquared(ys.slice(0, n), residuals);
  return { slopeBytesPerTest: slope, interceptBytes: intercept, rSquared, outliers: n - inliers.length, inliers };
}

// One test that kept 150 MiB for a while, or a GC that ran late, must not hide a clean
// line: R² is computed over points whose residual is within 3 robust sigmas (1.4826·MAD).
function inlierRSquared(ys: readonly number[], residuals: readonly number[]): { rSquared: number; inliers: number[] } {
  const mad = median(residuals.map((r) => Math.abs(r - median(residuals))));
  const bound = Math.max(3 * 1.4826 * mad, OUTLIER_FLOOR_BYTES);
  const inliers = residuals.map((r, i) => (Math.abs(r) <= bound ? i : -1)).filter((i) => i >= 0);
  const inlierYs = inliers.map((i) => at(ys, i));
  const mean = inlierYs.reduce((sum, y) => sum + y, 0) / Math.max(1, inlierYs.length);
  const ssTot = inlierYs.reduce((sum, y) => sum + (y - mean) ** 2, 0);
  const ssRes = inliers.reduce((sum, i) => sum + at(residuals, i) ** 2, 0);
  const rSquared = ssTot === 0 ? 0 : Math.max(0, 1 - ssRes / ssTot);
  return { rSquared, inliers };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? at(sorted, middle) : (at(sorted, middle - 1) + at(sorted, middle)) / 2;
}

function at(values: readonly number[], index: number): number {
  return values[index] ?? 0;
}

function emptyVerdict(): AccumulationVerdict {
  return {
    slopeBytesPerTest: 0, interceptBytes: 0, rSquared: 0, outliers: 0,
    pid: undefined, tests: 0, topContributors: [], isAccumulating: false,
  };
}
