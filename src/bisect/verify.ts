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
import type { Finding } from './types.js';

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
    // A polluter's contrast is its victim alone, already run `repeat` times before narrowing
    // (that is how it became a polluter hunt): those runs count, no fresh ones are needed.
    const before = candidate.kind === 'polluter' ? trials.runsOf(contrast.tests).length : 0;
    await trials.rerun(contrast.tests, Math.max(0, trials.repeat - before));
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
