// The last word before a culprit is named. Go's cmd/bisect re-runs its final answer "to avoid
// false accusations"; so do we, and for a set (polluters, an interaction) we also show each
// member is needed. A candidate that no longer reproduces is `flaky`, and so is a test that
// fails alone on some runs only; one whose member is not shown to be needed is `unresolved`.
// Neither is named.
import type { TestId } from '../plan/types.js';
import {
  type Candidate,
  describeCandidate,
  describeConfidence,
  type FindingFacts,
  makeFlakyFinding,
  makeIntermittentFinding,
  makeNamedFinding,
  makeUnresolvedFinding,
} from './findings.js';
import type { Trials } from './trials.js';
import type { Finding, TrialResult } from './types.js';

/**
 * Invariant: `candidate.reproTests` showed the failure during narrowing.
 * Cost: `repeat` fresh runs of the repro list, plus `repeat` runs of the list without each
 * culprit when the list holds two or more tests (interaction or polluter set of k tests: k
 * lists; lone polluter: [victim] alone, whose runs before narrowing count, so usually none:
 * victimPassesNeeded).
 * A lone hog costs exactly `repeat` runs.
 */
export async function verifyCandidate(facts: FindingFacts, candidate: Candidate, trials: Trials): Promise<Finding> {
  const known = await confirmKnownPolluter(facts, candidate, trials);
  if (known !== undefined) return known;
  // A timeout is confirmed under a longer time budget: a real hang never ends, tests that were
  // only slow (a loaded machine, a runner slow to start) end and are not named. So is a set:
  // two 2.5 s tests outrun a 4 s budget together and pass alone, which ddmin reads as an
  // interaction; under the longer budget they end, and the finding is flaky (slow, not hung).
  const longer =
    trials.signature.outcome === 'timeout' && trials.hangTimeoutMs !== undefined ? { timeoutMs: trials.hangTimeoutMs } : undefined;
  const runs = await trials.rerun(candidate.reproTests, trials.repeat, longer);
  const reproducing = runs.filter((trial) => trials.matches(trial));
  const confidence = describeConfidence(reproducing.length, runs.length, trials.repeat);
  const firstReproduction = reproducing[0];
  // It showed the failure while narrowing and not on re-run: the failure stopped reproducing.
  if (firstReproduction === undefined) {
    const evidence = [...trials.runIdsOf(candidate.reproTests, true), ...runs.map((trial) => trial.runId)];
    return makeFlakyFinding(
      facts,
      candidate.reproTests,
      longer === undefined ? 'verification' : 'slow, not hung',
      evidence,
      trials.tally,
      trials.withoutProbe,
    );
  }

  const intermittent = intermittentAlone(facts, candidate, trials);
  if (intermittent !== undefined) return intermittent;

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
 * A lone failing test that also passed on some of its runs alone (narrowing's and
 * verification's, every one counts): it fails k of n alone, 0 < k < n, by chance, so it is
 * flaky, not failing (docs/verdicts.md). Deaths are left alone: a hog near its budget that dies
 * 2 of 3 times is still the test that takes the memory.
 */
function intermittentAlone(facts: FindingFacts, candidate: Candidate, trials: Trials): Finding | undefined {
  const [test] = candidate.reproTests;
  if (candidate.kind !== 'failing' || test === undefined || candidate.reproTests.length !== 1) return undefined;
  const failed = (trial: TrialResult): boolean => trials.matches(trial);
  const alone = trials.runsOf(candidate.reproTests).filter((trial) => failed(trial) || trial.verdict.outcome === 'passed');
  if (alone.every(failed)) return undefined;
  return makeIntermittentFinding(facts, test, alone, failed);
}

/**
 * Fresh runs of a contrast before it counts: `repeat`, as for an interaction. Not fewer for a
 * polluter set: the runs of the list without a member made while narrowing are the very passes
 * that put the member in, so counting them named a set with an innocent extra at p^repeat (a
 * property draw: t013 + t014 + t021 named for the pair t013 + t021 at noise 0.29). A lone
 * polluter's contrast is its victim alone: victimPassesNeeded. A polluter at collection keeps
 * its victim's runs alone, made with the collection check (first-in-process).
 */
function freshContrastRuns(candidate: Candidate, contrast: Contrast, trials: Trials): number {
  if (candidate.kind !== 'polluter' || candidate.culprits.length > 1) return trials.repeat;
  if (candidate.atCollection === true) return Math.max(0, trials.repeat - trials.runsOf(contrast.tests).length);
  return victimPassesNeeded(candidate, trials);
}

/**
 * Runs of the victim alone still needed before a polluter is named. The victim ran alone
 * `repeat` times before narrowing (that is how it became a polluter hunt), but a victim that
 * fails everywhere and passed those runs only by chance fails in every narrowing trial too, and
 * after a polluter already named: with nothing else it is pinned on the test before it at
 * p^repeat, not the p^(2·repeat) docs/bisection.md promises (property draws: 4 tests, t01
 * failing at noise 0.17, t00 named; a known polluter t00 named for a failing t18). So the victim
 * must have passed without the polluter in 2·repeat runs of lists that never showed its
 * failure: alone, halving trials that passed, the check of the rest. A list that failed once
 * does not count for its passing runs (a victim failing at random passes some runs of every
 * list: counted, they named all 14 tests before one). Usually the runs are there; a polluter
 * that is the one test before its victim, or a known one tried first, pays `repeat` runs alone.
 */
function victimPassesNeeded(candidate: Candidate, trials: Trials): number {
  const victim = candidate.reproTests.at(-1);
  const without = new Map<string, readonly TestId[]>();
  for (const { tests } of trials.looked) {
    if (tests.at(-1) === victim && !candidate.culprits.every((culprit) => tests.includes(culprit)))
      without.set(tests.join('\u0000'), tests);
  }
  let passes = 0;
  for (const tests of without.values()) {
    const runs = trials.runsOf(tests);
    if (runs.some((trial) => trials.matches(trial))) continue;
    passes += runs.filter((trial) => trial.verdict.outcome === 'passed' || trial.verdict.outcome === 'failed').length;
  }
  return Math.max(0, 2 * trials.repeat - passes);
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
 * fresh run that failed, and the victim passed alone in this hunt; it runs alone `repeat` times
 * more (victimPassesNeeded), and one failure there leaves the polluter unnamed.
 * Cost: `repeat` runs. undefined when the candidate is not one, or its evidence is not all there.
 */
async function confirmKnownPolluter(facts: FindingFacts, candidate: Candidate, trials: Trials): Promise<Finding | undefined> {
  if (candidate.knownPolluter !== true) return undefined;
  const victimAlone = candidate.reproTests.slice(-1);
  const failing = trials.runsOf(candidate.reproTests).filter((trial) => trials.matches(trial));
  if (failing[0] === undefined || trials.runsOf(victimAlone).length === 0) return undefined;
  await trials.rerun(victimAlone, victimPassesNeeded(candidate, trials));
  const alone = trials.runsOf(victimAlone);
  const confidence = describeConfidence(failing.length, trials.runsOf(candidate.reproTests).length, trials.repeat);
  if (alone.some((trial) => trials.matches(trial))) {
    const because = `it still showed ${describeOutcomeOf(trials)} alone, so ${candidate.culprits.join(' + ')} is not shown to be needed: not named`;
    return makeUnresolvedFinding(facts, victimAlone, because, trials.runIdsOf(victimAlone, true), confidence);
  }
  const evidence = [...failing.map((trial) => trial.runId), ...alone.map((trial) => trial.runId)];
  return makeNamedFinding(facts, candidate, describeCandidate(candidate, failing[0]), evidence, confidence);
}
