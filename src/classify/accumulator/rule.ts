// Decides whether a batch is an accumulator, and who feeds it: which tests (grouped by file)
// kept memory that stayed kept. Pure: per-test retained figures in, a verdict out; the probe
// gathers the figures (src/probe/), the attribution phase confirms the verdict with runs.
//
// The signal is each test's own retained growth: the process's retained memory after the
// test (after a GC) minus the same figure before it. What happens between tests — a file
// loading its modules, jest's coverage counters growing per file — is in no test's growth,
// so the runner's drift never names a test. The rule (thresholds and why: docs/accumulators.md):
//   1. noise: σ = 1.4826·MAD of the growth of tests not (yet) called contributors, at least
//      NOISE_FLOOR; a test contributes when its growth minus the runner's per-test baseline
//      exceeds max(minKeepBytes, noiseSigmas·σ) — iterated, so big contributors do not
//      inflate σ and hide small ones;
//   2. a file counts only when its tests' summed growth is itself over that threshold and
//      holds at least half of what its contributors kept: memory a file's fixture held and
//      freed at its teardown cancels out and names nobody; a file whose tests each keep a
//      little (none alone over the threshold) is named as the file when the sum stands out
//      of the noise of that many tests (noiseSigmas·σ·√n);
//   3. a file whose every test contributes is named as the file; a file keeping under
//      minShareOfFile of what all contributors keep is not named; nor (3b) a file whose one
//      contributing test kept under maxOneOffRatio of the other files' median test (a one-off);
//   4. it is an accumulator when ≥ minContributingTests tests keep memory, together at least
//      minTotalBytes, and no one test makes more than maxShareOfOneTest of it (that is a hog).
import type { PerTestRecord } from '../../probe/records.js';

const MIB = 1024 ** 2;

export interface AccumulatorRule {
  /** Least growth a test must keep to be named. Default 1 MiB. */
  readonly minKeepBytes: number;
  /** A contributor's growth is at least this many noise σ over the baseline. Default 5. */
  readonly noiseSigmas: number;
  /** Fewer contributing tests than this is not an accumulator (a step, a hog). Default 2. */
  readonly minContributingTests: number;
  /** Least total growth of the contributors. Default 4 MiB. */
  readonly minTotalBytes: number;
  /** Above this share of the contributors' growth, one test is a hog. Default 0.5. */
  readonly maxShareOfOneTest: number;
  /** Fewer tests than this in a process name nobody: too few to tell noise from growth. Default 8. */
  readonly minTests: number;
  /**
   * A file whose contributors keep less than this share of what all contributors keep is not
   * named. Default 0.03: naming it would not change the fix, and one-off growth (a lazy
   * import, a cache filled once: seen on networkx, 2.2 MiB beside 112 MiB) lives there.
   */
  readonly minShareOfFile: number;
  /**
   * A file with one contributing test that kept less than this share of the median test of
   * the other contributing files is a one-off (a list built once, a lazy import), not a
   * feeder: not named. Default 1/3. Needed beside minShareOfFile because a batch that dies
   * early holds few registry steps, so 1.5 MiB kept once passed 3 % of 6 × 8 MiB
   * (simplejson's test_dump.py::test_accumulator, seen in a QA run at 130 MB).
   */
  readonly maxOneOffRatio: number;
}

export const DEFAULT_ACCUMULATOR_RULE: AccumulatorRule = {
  minKeepBytes: MIB,
  noiseSigmas: 5,
  minContributingTests: 2,
  minTotalBytes: 4 * MIB,
  maxShareOfOneTest: 0.5,
  minTests: 8,
  minShareOfFile: 0.03,
  maxOneOffRatio: 1 / 3,
};

// Allocator granularity: RSS moves in pages and arenas, so a 30 KiB σ is not a real noise level.
const NOISE_FLOOR_BYTES = 128 * 1024;
// Rounds of "estimate σ without the contributors found so far".
const NOISE_ROUNDS = 4;

/** One test that kept memory. */
export interface ContributingTest {
  readonly test: string;
  /** Its growth over the runner's baseline (bytes). */
  readonly retainedBytes: number;
}

/** A file and its contributing tests, ranked by what they kept. */
export interface ContributingFile {
  readonly file: string;
  /** Every test of the file (in this batch) kept memory: the file is the contributor. */
  readonly wholeFile: boolean;
  /** What the file's contributors kept (bytes): the file's net growth when wholeFile. */
  readonly retainedBytes: number;
  /** retainedBytes / the batch's total retained growth (0..1). */
  readonly share: number;
  /** Its contributing tests, largest first (all of the file's tests when wholeFile). */
  readonly tests: readonly ContributingTest[];
}

export interface AccumulatorVerdict {
  readonly isAccumulating: boolean;
  /** Tests in the judged series (finished tests with a retained figure). */
  readonly tests: number;
  /** Files with contributing tests, largest first. */
  readonly files: readonly ContributingFile[];
  /** Contributing test ids in the order they ran. */
  readonly contributingTests: readonly string[];
  /** What the contributors kept together (bytes). */
  readonly explainedBytes: number;
  /** What all tests kept together (bytes, ≥ explainedBytes): the batch's retained growth. */
  readonly totalGrowthBytes: number;
  /** explainedBytes / totalGrowthBytes. */
  readonly explainedShare: number;
  /** explainedBytes / contributing tests. */
  readonly bytesPerContributingTest: number;
  /** The runner's own growth per test that was subtracted (bytes). */
  readonly baselineBytesPerTest: number;
  /** σ of the non-contributors' growth (bytes). */
  readonly noiseBytes: number;
  /** Why not an accumulator, when it is not. */
  readonly why?: string;
  /** One-off keepers left out (rule 3b): shown as "also kept a little", never as culprits. */
  readonly alsoKept?: readonly ContributingTest[];
}

/** The series the rule reads: one process's finished tests, in run order. */
export interface RetainedPoint {
  readonly test: string;
  readonly file: string;
  readonly pid: number;
  /** The test's own retained growth (bytes, may be negative). */
  readonly growthBytes: number;
  /** Not measured (jest's probe skipped the full GC): growth 0, what it kept is on the next measured test. */
  readonly carried?: boolean;
  /**
   * For the baseline only: the test's own share read off the pytest probe's bounds (its
   * figure, the bound when carried, minus the previous test's), when it or the test before
   * it was carried with one. Without: the interval a measured test closes is spread evenly.
   */
  readonly shareBytes?: number;
}

/** The points of a probe's records: finished tests only (a killed test's "after" is the kill). */
export function retainedPoints(records: readonly PerTestRecord[]): RetainedPoint[] {
  const previous = new Map<number, { figure: number; bounded: boolean; source: PerTestRecord['retainedSource'] }>();
  return records
    .filter((r) => r.finished)
    .map((r) => {
      const figure = r.retainedBoundBytes ?? r.retainedAfterBytes;
      const before = previous.get(r.pid) ?? {
        figure: r.retainedAfterBytes - r.retainedDeltaBytes,
        bounded: false,
        source: r.retainedSource,
      };
      previous.set(r.pid, { figure, bounded: r.retainedBoundBytes !== undefined, source: r.retainedSource });
      const bounded = (before.bounded || r.retainedBoundBytes !== undefined) && before.source === r.retainedSource;
      return {
        test: r.test,
        file: r.file,
        pid: r.pid,
        growthBytes: r.retainedDeltaBytes,
        ...(r.retainedCarried === true ? { carried: true } : {}),
        ...(bounded ? { shareBytes: figure - before.figure } : {}),
      };
    });
}

/**
 * The verdict over all processes of a batch: each process is judged on its own series (a
 * worker's memory says nothing of another's) and their contributors are put together.
 */
export function judgeAccumulation(points: readonly RetainedPoint[], rule: AccumulatorRule = DEFAULT_ACCUMULATOR_RULE): AccumulatorVerdict {
  const pids = [...new Set(points.map((p) => p.pid))];
  const verdicts = pids.map((pid) =>
    judgeProcess(
      points.filter((p) => p.pid === pid),
      rule,
    ),
  );
  if (verdicts.length === 1) return verdicts[0]!;
  if (verdicts.length === 0) return judgeProcess([], rule);
  const accumulating = verdicts.filter((v) => v.isAccumulating);
  if (accumulating.length === 0) return verdicts.reduce((a, b) => (b.tests > a.tests ? b : a));
  const explainedBytes = sum(accumulating.map((v) => v.explainedBytes));
  const totalGrowthBytes = sum(accumulating.map((v) => v.totalGrowthBytes));
  const contributingTests = accumulating.flatMap((v) => v.contributingTests);
  return {
    isAccumulating: true,
    tests: sum(verdicts.map((v) => v.tests)),
    files: rankFiles(
      accumulating.flatMap((v) => v.files),
      totalGrowthBytes,
    ),
    contributingTests,
    explainedBytes,
    totalGrowthBytes,
    explainedShare: explainedBytes / totalGrowthBytes,
    bytesPerContributingTest: explainedBytes / contributingTests.length,
    baselineBytesPerTest: Math.max(...accumulating.map((v) => v.baselineBytesPerTest)),
    noiseBytes: Math.max(...accumulating.map((v) => v.noiseBytes)),
    alsoKept: accumulating.flatMap((v) => v.alsoKept ?? []),
  };
}

function judgeProcess(series: readonly RetainedPoint[], rule: AccumulatorRule): AccumulatorVerdict {
  if (series.length < rule.minTests) {
    return {
      isAccumulating: false,
      tests: series.length,
      files: [],
      contributingTests: [],
      explainedBytes: 0,
      totalGrowthBytes: 0,
      explainedShare: 0,
      bytesPerContributingTest: 0,
      baselineBytesPerTest: 0,
      noiseBytes: 0,
      why: `${series.length} tests: too few to tell growth from noise`,
    };
  }
  const growth = series.map((p) => p.growthBytes);
  const { baseline, sigma, flagged } = separate(growth, rule, spreadOverIntervals(series));
  const threshold = thresholdOf(sigma, rule);
  const excess = (i: number): number => (growth[i] ?? 0) - baseline;
  const noiseOfSum = (n: number): number => rule.noiseSigmas * sigma * Math.sqrt(n);

  const byFile = new Map<string, number[]>();
  series.forEach((p, i) => {
    byFile.set(p.file, [...(byFile.get(p.file) ?? []), i]);
  });
  const files: Omit<ContributingFile, 'share'>[] = [];
  for (const [file, indices] of byFile) {
    const net = sum(indices.map(excess));
    const kept = indices.filter((i) => flagged.has(i));
    const keptBytes = sum(kept.map(excess));
    // Tests that kept memory the file freed again (a fixture emptied at teardown) keep nothing.
    if (kept.length > 0 && (net <= threshold || net < 0.5 * keptBytes)) continue;
    // Without one clear test, the file's sum must stand out of the noise of n tests summed.
    if (kept.length === 0 && (net <= threshold || net <= noiseOfSum(indices.length))) continue;
    // A sum that stands out only because one test kept most of it is that test, not the file:
    // a list built once beside quiet neighbours (rule 3b then weighs it as a one-off).
    const dominant = kept.length === 0 ? dominantTest(indices, excess, net, noiseOfSum) : undefined;
    if (dominant !== undefined) kept.push(dominant);
    const whole = kept.length === indices.length || (dominant === undefined && keptBytes < 0.5 * net);
    const named = whole ? indices : kept;
    const tests = named
      .map((i) => ({ test: series[i]!.test, retainedBytes: whole && kept.length !== indices.length ? net / indices.length : excess(i) }))
      .sort((a, b) => b.retainedBytes - a.retainedBytes);
    files.push({ file, wholeFile: whole, retainedBytes: whole ? net : sum(kept.map(excess)), tests });
  }
  const keptByAll = sum(files.map((f) => f.retainedBytes));
  const shared = files.filter((f) => f.retainedBytes >= rule.minShareOfFile * keptByAll);
  const oneOffs = shared.filter((f) => isOneOff(f, shared, rule));
  files.length = 0;
  files.push(...shared.filter((f) => !oneOffs.includes(f)));
  const contributing = new Set(files.flatMap((f) => f.tests.map((t) => t.test)));
  const contributingTests = series.map((p) => p.test).filter((t) => contributing.has(t));
  const explainedBytes = sum(files.map((f) => f.retainedBytes));
  const totalGrowthBytes = Math.max(
    explainedBytes,
    sum(growth.map((g) => Math.max(0, g - baseline))) - noiseShare(series.length - contributingTests.length, sigma),
  );
  const verdict = {
    tests: series.length,
    files: rankFiles(files, Math.max(totalGrowthBytes, 1)),
    contributingTests,
    explainedBytes,
    totalGrowthBytes,
    explainedShare: totalGrowthBytes > 0 ? explainedBytes / totalGrowthBytes : 0,
    bytesPerContributingTest: contributingTests.length > 0 ? explainedBytes / contributingTests.length : 0,
    baselineBytesPerTest: baseline,
    noiseBytes: sigma,
    alsoKept: oneOffs.flatMap((f) => f.tests),
  };
  const why = whyNotAccumulating(verdict, rule, threshold);
  return why === undefined ? { ...verdict, isAccumulating: true } : { ...verdict, isAccumulating: false, why };
}

/**
 * Rule 4 on a set of contributors: why they are not an accumulator, or undefined when they
 * are. Also re-asked after the confirmation run dropped contributors that did not recur.
 */
export function whyNotAccumulating(
  verdict: Pick<AccumulatorVerdict, 'files' | 'contributingTests' | 'explainedBytes'>,
  rule: AccumulatorRule = DEFAULT_ACCUMULATOR_RULE,
  threshold: number = rule.minKeepBytes,
): string | undefined {
  const { contributingTests, explainedBytes } = verdict;
  const largest = Math.max(0, ...verdict.files.flatMap((f) => f.tests.map((t) => t.retainedBytes)));
  return contributingTests.length < rule.minContributingTests
    ? `${contributingTests.length} test(s) kept more than ${mib(threshold)}`
    : explainedBytes < rule.minTotalBytes
      ? `the tests that kept memory kept ${mib(explainedBytes)} in all`
      : largest > rule.maxShareOfOneTest * explainedBytes
        ? `one test kept ${Math.round((100 * largest) / explainedBytes)}% of it: a hog, not an accumulator`
        : undefined;
}

// Rule 3b: one test alone in its file, keeping far less than the median contributing test
// of the other files, kept memory once: a registry feeder keeps about as much every time.
function isOneOff(
  file: Omit<ContributingFile, 'share'>,
  files: readonly Omit<ContributingFile, 'share'>[],
  rule: AccumulatorRule,
): boolean {
  if (file.tests.length !== 1) return false;
  const others = files.filter((f) => f !== file).flatMap((f) => f.tests.map((t) => t.retainedBytes));
  if (others.length < 2) return false;
  return file.retainedBytes < rule.maxOneOffRatio * median(others);
}

// The one test of a file whose sum stood out only because of it: without it the rest does not
// stand out of the noise, and it kept at least twice any other test of the file (a file whose
// tests each keep about the same is a file of small keepers, named whole).
function dominantTest(
  indices: readonly number[],
  excess: (i: number) => number,
  net: number,
  noiseOfSum: (n: number) => number,
): number | undefined {
  if (indices.length < 2) return undefined;
  const [top, second] = [...indices].sort((a, b) => excess(b) - excess(a));
  if (top === undefined || second === undefined) return undefined;
  return net - excess(top) <= noiseOfSum(indices.length - 1) && excess(top) >= 2 * excess(second) ? top : undefined;
}

// What the non-contributors' positive noise adds to the sum of positive growth: about
// σ/√(2π) per test. Left out so the share explained is not diluted by noise.
function noiseShare(tests: number, sigma: number): number {
  return (tests * sigma) / Math.sqrt(2 * Math.PI);
}

function thresholdOf(sigma: number, rule: AccumulatorRule): number {
  return Math.max(rule.minKeepBytes, rule.noiseSigmas * sigma);
}

/**
 * The runner's baseline growth per test, the noise σ around it, and the tests over the
 * threshold. Starts from the least threshold (every test over minKeepBytes is a suspect),
 * then estimates baseline and σ from the others and re-draws the line, until it settles.
 * The baseline is their median, kept within [0, minKeepBytes/2] (when most tests keep
 * memory, a median of all would be the leak, not the runner; a runner does not free memory
 * every test, so a negative median is noise). σ is the larger of the deviations' MAD and
 * the MAD of the deviations BELOW the baseline: a test never keeps negative memory on
 * purpose, so that side is noise alone, untouched by cutting the contributors off.
 */
function separate(
  growth: readonly number[],
  rule: AccumulatorRule,
  shares: readonly Spread[],
): { baseline: number; sigma: number; flagged: Set<number> } {
  let baseline = 0;
  let sigma = NOISE_FLOOR_BYTES;
  let flagged = over(growth, baseline, thresholdOf(sigma, rule));
  for (let round = 0; round < NOISE_ROUNDS; round += 1) {
    // Baseline and σ from each quiet test's share of its interval (its own growth when measured).
    const rest = shares.flatMap((s, i) =>
      s === undefined || (s.measuredAt !== undefined && flagged.has(s.measuredAt)) || flagged.has(i) ? [] : [s.bytes],
    );
    if (rest.length === 0) break;
    const center = median(rest);
    baseline = Math.max(0, Math.min(rule.minKeepBytes / 2, center));
    const below = rest.filter((g) => g <= center).map((g) => center - g);
    const spread = Math.max(median(below), median(rest.map((g) => Math.abs(g - center))));
    // A σ read from a dozen points is itself uncertain: widen it by 1 + 2/√n.
    sigma = Math.max(NOISE_FLOOR_BYTES, 1.4826 * spread * (1 + 2 / Math.sqrt(Math.max(4, rest.length))));
    const next = over(growth, baseline, thresholdOf(sigma, rule));
    if (next.size === flagged.size && [...next].every((i) => flagged.has(i))) break;
    flagged = next;
  }
  return { baseline, sigma, flagged };
}

/** A test's share; measuredAt: the measured test whose growth it is part of (none: read off a bound). */
type Spread = { readonly bytes: number; readonly measuredAt?: number } | undefined;

/**
 * For the baseline only: a measured test's growth spread evenly over it and the carried tests
 * before it in its file (the interval it closes), so a runner that keeps a little every test
 * is seen as doing so and subtracted, not read as 0 with lumps. Carried tests at the end of
 * a file (no measured test after them) have no share. Without carried tests: each test's own.
 * A test with its own share read off the pytest probe's bounds (`shareBytes`) has that: the
 * probe no longer collects at each module's end, so whole quiet files are carried, and only
 * their bounds say they keep nothing (docs/accumulators.md).
 */
function spreadOverIntervals(series: readonly RetainedPoint[]): Spread[] {
  const spread: Spread[] = series.map(() => undefined);
  let open: number[] = [];
  series.forEach((p, i) => {
    if (open.length > 0 && series[open[0]!]!.file !== p.file) open = [];
    if (p.shareBytes !== undefined) {
      spread[i] = p.carried === true ? { bytes: p.shareBytes } : { bytes: p.shareBytes, measuredAt: i };
      open = [];
      return;
    }
    open.push(i);
    if (p.carried === true) return;
    for (const j of open) spread[j] = { bytes: p.growthBytes / open.length, measuredAt: i };
    open = [];
  });
  return spread;
}

function over(growth: readonly number[], baseline: number, threshold: number): Set<number> {
  return new Set(growth.map((g, i) => (g - baseline > threshold ? i : -1)).filter((i) => i >= 0));
}

function rankFiles(files: readonly Omit<ContributingFile, 'share'>[], totalGrowthBytes: number): ContributingFile[] {
  return [...files].sort((a, b) => b.retainedBytes - a.retainedBytes).map((f) => ({ ...f, share: f.retainedBytes / totalGrowthBytes }));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}
