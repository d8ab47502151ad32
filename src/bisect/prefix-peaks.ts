// A batch that died of memory, and no per-test records (the generic `--cmd` runner has no
// probe): is it an accumulator, and who feeds it? Only each run's peak is known, so the
// answer comes from runs of prefixes of the batch (docs/accumulators.md, "Without a probe"):
//   1. the smallest failing prefix, by halving on its length (smallestFailingPrefix);
//   2. its last test alone: dying alone makes it a hog (a hog ends the smallest failing
//      prefix: every prefix holding it dies), else no single test does it;
//   3. the peaks of prefixes inside it, split where the peak rose by more than the noise
//      (PEAK_NOISE), until each rise is pinned on the one test whose addition made it;
//   4. the contributors alone, in order and in reverse order, must each time rise about as
//      much as they added in the prefix (STACKING), and the failing prefix without them must
//      not die. Memory kept stacks up in any order; a temporary that raised the peak does not
//      (in one of the two orders it is not on top of everything kept), so a test that only
//      allocated and freed is not named;
//   5. each contributor left out of the others (in order) must lower their peak by about its
//      rise: a temporary that a later keeper covered lowers it by nothing, and is not named.
// `accumulator` only when the pinned rises explain the growth and both checks hold; else
// `unresolved` naming nobody, with what the peaks showed. Runs: ⌈log2 n⌉ + 1 + at most
// splitRuns + 3 + MAX_CONTRIBUTORS (the caller says so before it starts: plannedRuns).
import { reproduces, type Signature } from '../classify/signature.js';
import type { TestId } from '../plan/types.js';
import { formatBytes } from '../util/bytes.js';
import { smallestFailingPrefix } from './accumulator-prefix.js';
import type { Executor, Finding, TrialResult } from './types.js';

const MIB = 1024 ** 2;
/** A rise of the peak below this is noise (allocator, interpreter caches): max(2 MiB, 2 % of the budget). */
export function peakNoiseBytes(budgetBytes: number): number {
  return Math.max(2 * MIB, 0.02 * budgetBytes);
}

/** Runs spent on peaks inside the failing prefix: enough for ~4 contributors per halving level. */
export function splitRuns(tests: number): number {
  return Math.max(4, 4 * Math.ceil(Math.log2(Math.max(2, tests))));
}

/** What the search may cost, said before it starts. */
export function plannedRuns(tests: number): number {
  return Math.ceil(Math.log2(Math.max(2, tests))) + 1 + splitRuns(tests) + 3 + MAX_CONTRIBUTORS;
}

/** Alone, the contributors rise at least this share of what they added in the prefix, less the peak noise. */
export const STACKING = 0.85;

/** More tests raising the peak than this are not confirmed one by one (step 5): nobody is named. */
export const MAX_CONTRIBUTORS = 8;

/** Left out of the contributors, a keeper lowers their peak by at least this share of its rise (less half the noise). */
export const LEAVE_OUT_RATIO = 0.5;

// An accumulator: ≥ 2 tests whose rises explain ≥ half the prefix's growth, none over half of them.
function verdictWhyNot(
  contributors: readonly PeakContributor[],
  explained: number,
  growthBytes: number,
  noise: number,
  incomplete: boolean,
): string | undefined {
  const largest = Math.max(0, ...contributors.map((c) => c.riseBytes));
  return incomplete
    ? 'out of runs before every rise was pinned on a test'
    : contributors.length < 2
      ? `${contributors.length} test(s) raised the peak by more than ${formatBytes(noise)}`
      : explained < 0.5 * growthBytes
        ? `the tests that raised the peak explain ${Math.round((100 * explained) / Math.max(1, growthBytes))}% of it`
        : largest > 0.5 * explained
          ? `one test raised it by ${Math.round((100 * largest) / explained)}% of what all did`
          : undefined;
}

export interface PeakContributor {
  readonly test: TestId;
  /** How much the peak rose when this test was added to the prefix before it (bytes). */
  readonly riseBytes: number;
}

export interface PrefixPeaksResult {
  readonly finding: Finding;
  readonly runs: readonly TrialResult[];
  /** accumulator only. */
  readonly contributors?: readonly PeakContributor[];
  /** Length of the smallest failing prefix. */
  readonly prefixLength: number;
  /** The prefix's growth before the failing test: peak of prefix k−1 minus peak of the first test. */
  readonly growthBytes: number;
  readonly confirmation?: { readonly contributorsRunId: string; readonly withoutRunId?: string };
}

export interface PrefixPeaksInput {
  readonly batchIndex: number;
  readonly tests: readonly TestId[];
  readonly signature: Signature;
  readonly budgetBytes: number;
  readonly maxRuns: number;
  /** The batch's own run (evidence). */
  readonly originalRunId: string;
}

export async function findAccumulatorByPrefixes(input: PrefixPeaksInput, executor: Executor): Promise<PrefixPeaksResult> {
  const { tests, signature } = input;
  const runs: TrialResult[] = [];
  const peaks = new Map<number, number>();
  const left = (): number => input.maxRuns - runs.length;
  const run = async (list: readonly TestId[]): Promise<TrialResult> => {
    const trial = await executor.run(list);
    runs.push(trial);
    return trial;
  };
  const recording: Executor = {
    run: async (list) => {
      const trial = await run(list);
      if (!reproduces(signature, trial.verdict)) peaks.set(list.length, trial.peakBytes);
      return trial;
    },
  };
  const facts = { batchIndex: input.batchIndex, signature };
  const evidence = (): string[] => [input.originalRunId, ...runs.map((r) => r.runId)];
  const unresolved = (smallest: readonly TestId[], why: string, prefixLength: number, growthBytes = 0): PrefixPeaksResult => ({
    finding: {
      ...facts,
      kind: 'unresolved',
      culprits: [],
      victim: undefined,
      smallestFailingSet: smallest,
      reproTests: smallest,
      because: why,
      evidenceRunIds: evidence(),
      confidence: undefined,
    },
    runs,
    prefixLength,
    growthBytes,
  });

  const prefix = await smallestFailingPrefix(tests, recording, signature, { maxRuns: Math.max(0, left() - 3) });
  const k = prefix.length;
  const failing = tests.slice(0, k);
  if (k > 1 && !peaks.has(k - 1))
    return unresolved(failing, `no per-test records; out of runs before the smallest failing prefix was found (${k} tests still fail)`, k);
  const last = failing[k - 1]!;
  const alone = await run([last]);
  if (reproduces(signature, alone.verdict)) {
    return {
      finding: {
        ...facts,
        kind: 'hog',
        culprits: [last],
        victim: undefined,
        because: `the smallest failing prefix ends with it (${k} of ${tests.length} tests); alone it died the same way (${alone.runId})`,
        reproTests: [last],
        evidenceRunIds: evidence(),
        confidence: undefined,
      },
      runs,
      prefixLength: k,
      growthBytes: 0,
    };
  }
  if (k < 3)
    return unresolved(
      failing,
      `no per-test records; the smallest failing prefix has ${k} tests and its last test alone passed (${alone.runId}): too short to tell growth from an interaction`,
      k,
    );

  // Peaks inside the prefix. The first test's run is the base: it is not judged itself.
  if (!peaks.has(1)) await recording.run(failing.slice(0, 1));
  const noise = peakNoiseBytes(input.budgetBytes);
  const contributors: PeakContributor[] = [];
  const intervals: [number, number][] = [[1, k - 1]];
  let splits = 0;
  let incomplete = false;
  while (intervals.length > 0) {
    const [a, b] = intervals.shift()!;
    const rise = (peaks.get(b) ?? 0) - (peaks.get(a) ?? 0);
    if (rise <= noise) continue;
    if (b - a === 1) {
      contributors.push({ test: failing[b - 1]!, riseBytes: rise });
      continue;
    }
    const mid = Math.floor((a + b) / 2);
    if (!peaks.has(mid)) {
      if (splits >= splitRuns(tests.length) || left() <= 2) {
        incomplete = true;
        continue;
      }
      splits += 1;
      const trial = await recording.run(failing.slice(0, mid));
      // A prefix shorter than the smallest failing one died: not monotone, the peaks say nothing.
      if (reproduces(signature, trial.verdict))
        return unresolved(
          failing,
          `no per-test records; the prefix of ${mid} tests died too (${trial.runId}) though the search found ${k}: memory does not grow steadily with the tests`,
          k,
        );
    }
    intervals.unshift([a, mid], [mid, b]);
  }
  const growthBytes = (peaks.get(k - 1) ?? 0) - (peaks.get(1) ?? 0);
  const explained = contributors.reduce((sum, c) => sum + c.riseBytes, 0);
  const peaksWords = `the peak rose by ${formatBytes(Math.max(0, growthBytes))} from test 1 to test ${k - 1} of the smallest failing prefix (${k} tests; its last test alone passed)`;
  const why =
    contributors.length > MAX_CONTRIBUTORS
      ? `${contributors.length} tests raised it, more than the ${MAX_CONTRIBUTORS} leakhunt confirms one by one`
      : verdictWhyNot(contributors, explained, growthBytes, noise, incomplete);
  if (why !== undefined) return unresolved(failing, `no per-test records; ${peaksWords}, but ${why}: nobody named`, k, growthBytes);

  // Confirmation: the contributors alone, in order and reversed, rise about as much as they
  // added (or die the same way); the failing prefix without them does not die.
  const named = new Set(contributors.map((c) => c.test));
  const inOrder = failing.filter((t) => named.has(t));
  const base = peaks.get(1) ?? 0;
  let together: TrialResult | undefined;
  let roseAlone = Number.POSITIVE_INFINITY;
  for (const order of [inOrder, [...inOrder].reverse()]) {
    if (left() < 1) {
      const why = `no per-test records; ${peaksWords}; out of runs before the contributors were confirmed: nobody named`;
      return unresolved(failing, why, k, growthBytes);
    }
    const trial = await run(order);
    together ??= trial;
    const rose = reproduces(signature, trial.verdict) ? Number.POSITIVE_INFINITY : trial.peakBytes - base;
    roseAlone = Math.min(roseAlone, rose);
    if (rose < STACKING * explained - noise) {
      const which = order === inOrder ? 'in order' : 'in reverse order';
      const why = `no per-test records; ${peaksWords}; the ${named.size} tests that raised it rose only ${formatBytes(Math.max(0, rose))} alone ${which} (${trial.runId}), not the ${formatBytes(explained)} they added in the prefix (not all of it is kept): nobody named`;
      return unresolved(failing, why, k, growthBytes);
    }
  }
  if (together === undefined) throw new Error('unreachable: the contributors ran');
  const diedAlone = roseAlone === Number.POSITIVE_INFINITY;
  // Leave each one out: a test that keeps memory lowers the contributors' peak by what it
  // added; one whose rise was a temporary that later keepers covered lowers it by nothing.
  const kept: PeakContributor[] = [];
  const notKept: string[] = [];
  for (const c of contributors) {
    if (left() < 2) {
      const why = `no per-test records; ${peaksWords}; out of runs before each contributor was confirmed: nobody named`;
      return unresolved(failing, why, k, growthBytes);
    }
    const others = await run(inOrder.filter((t) => t !== c.test));
    const drop = together.peakBytes - others.peakBytes;
    if (!reproduces(signature, others.verdict) && drop >= LEAVE_OUT_RATIO * c.riseBytes - noise / 2) kept.push(c);
    else
      notKept.push(
        `${c.test} (+${formatBytes(c.riseBytes)} in the prefix, ${formatBytes(Math.max(0, drop))} less without it, ${others.runId})`,
      );
  }
  const keptBytes = kept.reduce((sum, c) => sum + c.riseBytes, 0);
  const whyNot = verdictWhyNot(kept, keptBytes, growthBytes, noise, false);
  const notKeptWords =
    notKept.length === 0 ? '' : `; not named, leaving it out of the others did not lower their peak: ${notKept.join(', ')}`;
  if (whyNot !== undefined)
    return unresolved(failing, `no per-test records; ${peaksWords}${notKeptWords}; then ${whyNot}: nobody named`, k, growthBytes);
  const keptNames = new Set(kept.map((c) => c.test));
  const rest = failing.filter((t) => !keptNames.has(t));
  let without: TrialResult | undefined;
  if (rest.length > 0 && left() >= 1) {
    without = await run(rest);
    if (reproduces(signature, without.verdict)) {
      return unresolved(
        failing,
        `no per-test records; ${peaksWords}; the prefix without the ${named.size} tests that raised it died too (${without.runId}): nobody named`,
        k,
        growthBytes,
      );
    }
  }
  const each = kept.map((c) => `${c.test} +${formatBytes(c.riseBytes)}`).join(', ');
  const aloneWords = diedAlone
    ? 'alone they died the same way'
    : `alone, in order and reversed, they rose at least ${formatBytes(roseAlone)} (${formatBytes(explained)} in the prefix)`;
  const withoutWords =
    without === undefined
      ? ''
      : `, the prefix without them ${without.verdict.outcome === 'passed' ? 'passed' : `ended ${without.verdict.outcome}`} (${without.runId})`;
  return {
    finding: {
      ...facts,
      kind: 'accumulator',
      culprits: kept.map((c) => c.test),
      victim: undefined,
      because: `no per-test records, found by prefix runs: ${peaksWords}; ${kept.length} tests raised it and keep it, ${Math.round((100 * keptBytes) / Math.max(1, growthBytes))}% of it: ${each}; ${aloneWords} (${together.runId}), each left out lowered the others' peak by about its rise${notKeptWords}${withoutWords}; the budget was crossed at test ${k}`,
      reproTests: failing,
      evidenceRunIds: evidence(),
      confidence: undefined,
    },
    runs,
    contributors: kept,
    prefixLength: k,
    growthBytes,
    confirmation: { contributorsRunId: together.runId, ...(without !== undefined && { withoutRunId: without.runId }) },
  };
}
