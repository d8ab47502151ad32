// The last word before a culprit is named. Go's cmd/bisect re-runs its final answer "to avoid
// false accusations"; so do we, and for a set (polluters, an interaction) we also show each
// member is needed. A candidate that no longer reproduces is `flaky`; one whose member is not
// shown to be needed is `unresolved`. Neither is named.
import type { TestId } from '../plan/types.js';
import {
  type Candidate,
  describeCandidate,
  describeConfidence,
  type FindingFacts,
  makeFlakyFinding,
  makeNamedFinding,
  makeUnresolvedFinding,
} from './findings.js';
import type { Trials } from './trials.js';
import type { Finding, TrialResult } from './types.js';

/**
 * Invariant: `candidate.reproTests` showed the failure during narrowing.
 * Cost: `repeat` fresh runs of the repro list, plus `repeat` runs of the list without each
 * culprit when the list holds two or more tests (interaction of k tests: k lists; polluter:
 * [victim] alone, whose runs before narrowing count, so usually none). A lone hog costs
 * exactly `repeat` runs.
 */
export async function verifyCandidate(facts: FindingFacts, candidate: Candidate, trials: Trials): Promise<Finding> {
  const known = await confirmKnownPolluter(facts, candidate, trials);
  if (known !== undefined) return known;
  // A lone hang is confirmed under a longer time budget: a real hang never ends, a test that
  // was only slow (a loaded machine, a runner slow to start) ends and is not named.
  const longer = candidate.kind === 'hang' && trials.hangTimeoutMs !== undefined ? { timeoutMs: trials.hangTimeoutMs } : undefined;
  const runs = await trials.rerun(candidate.reproTests, trials.repeat, longer);
  const reproducing = runs.filter((trial) => trials.matches(trial));
  const confidence = describeConfidence(reproducing.length, runs.length, trials.repeat);
  const firstReproduction = reproducing[0];
  // It showed the failure while narrowing and not on re-run: the failure stopped reproducing.
  if (firstReproduction === undefined) {
    const evidence = [...trials.runIdsOf(candidate.reproTests, true), ...runs.map((trial) => trial.runId)];
    return makeFlakyFinding(facts, candidate.reproTests, longer === undefined ? 'verification' : 'slow, not hung', evidence, trials.tally);
  }

  const contrastRunIds: string[] = [];
  for (const contrast of contrastsOf(candidate)) {
    await trials.rerun(contrast.tests, freshContrastRuns(candidate, contrast, trials));
    // Every run of the contrast ever made counts, not just these: one failure without the
    // culprit is enough to doubt it, and independent second chances would add up to a guess.
    if (trials.runsOf(contrast.tests).some((trial) => trials.matches(trial))) {
      const because = `it still showed ${describeOutcomeOf(trials)} without ${contrast.leftOut}, so ${contrast.leftOut} is not shown to be needed: not named`;
      return makeUnresolvedFinding(facts, contrast.tests, because, trials.runIdsOf(contrast.tests, true), confidence);
    }
    contrastRunIds.push(...trials.runsOf(contrast.tests).map((trial) => trial.runId));
  }
  const evidence = [...trials.runIdsOf(candidate.reproTests, true), ...contrastRunIds];
  return makeNamedFinding(facts, candidate, describeCandidate(candidate, firstReproduction), evidence, confidence);
}

/**
 * Fresh runs of a contrast before it counts: `repeat`, less what a polluter's runs already show.
 * A polluter's contrast is its victim without it. For a set, the runs of exactly that list made
 * while narrowing count. For a lone polluter, the victim ran alone `repeat` times before
 * narrowing (that is how it became a polluter hunt), but a victim that fails everywhere and
 * passed those runs only by chance fails in every narrowing trial too: with nothing else it is
 * named on p^repeat, not the p^(2·repeat) docs/bisection.md promises (a simulated draw: 4
 * tests, t01 failing with noise 0.17, t00 named its polluter). So it needs 2·repeat runs in
 * which the victim ran without it and did not fail: its runs alone, the halving trials that
 * passed, the check of the rest; only what is missing runs fresh (usually none: only a
 * polluter that is the only test before its victim pays).
 */
function freshContrastRuns(candidate: Candidate, contrast: Contrast, trials: Trials): number {
  if (candidate.kind !== 'polluter') return trials.repeat;
  const [polluter, ...others] = candidate.culprits;
  const victim = candidate.reproTests.at(-1);
  if (polluter === undefined || others.length > 0 || victim === undefined || candidate.atCollection === true) {
    return Math.max(0, trials.repeat - trials.runsOf(contrast.tests).length);
  }
  const passedWithout = trials.looked.filter(
    (trial) => trial.tests.at(-1) === victim && !trial.tests.includes(polluter) && victimRanAndPassed(trial, trials),
  ).length;
  return Math.max(0, 2 * trials.repeat - passedWithout);
}

/** The victim ran to its end and did not fail: the run passed, or failed on other tests only. */
function victimRanAndPassed(trial: TrialResult, trials: Trials): boolean {
  const { outcome } = trial.verdict;
  return (outcome === 'passed' || outcome === 'failed') && !trials.matches(trial);
}

interface Contrast {
  readonly leftOut: TestId;
  readonly tests: readonly TestId[];
}

/** The repro list without each culprit in turn; none for a lone culprit (nothing would run). */
function contrastsOf(candidate: Candidate): Contrast[] {
  if (candidate.reproTests.length < 2) return [];
  return candidate.culprits.map((leftOut) => ({
    leftOut,
    tests: candidate.reproTests.filter((test) => test !== leftOut),
  }));
}

function describeOutcomeOf(trials: Trials): string {
  const { failingTest, outcome } = trials.signature;
  return failingTest === undefined ? outcome : `${outcome}: ${failingTest}`;
}

/**
 * A polluter verified on another victim and tried first on this one: the try itself was a
 * fresh run that failed, and the victim passed alone in this hunt, so nothing more is run.
 * Cost: 0 runs. undefined when the candidate is not one, or its evidence is not all there.
 */
async function confirmKnownPolluter(facts: FindingFacts, candidate: Candidate, trials: Trials): Promise<Finding | undefined> {
  if (candidate.knownPolluter !== true) return undefined;
  const victimAlone = candidate.reproTests.slice(-1);
  const failing = trials.runsOf(candidate.reproTests).filter((trial) => trials.matches(trial));
  const alone = trials.runsOf(victimAlone);
  if (failing[0] === undefined || alone.length === 0 || alone.some((trial) => trials.matches(trial))) return undefined;
  const confidence = describeConfidence(failing.length, trials.runsOf(candidate.reproTests).length, trials.repeat);
  const evidence = [...failing.map((trial) => trial.runId), ...alone.map((trial) => trial.runId)];
  return makeNamedFinding(facts, candidate, describeCandidate(candidate, failing[0]), evidence, confidence);
}
