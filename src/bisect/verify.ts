// The last word before a culprit is named. Go's cmd/bisect re-runs its final answer "to avoid
// false accusations"; so do we, and for a set (polluters, an interaction) we also show each
// member is needed. A candidate that no longer reproduces is `flaky`; one whose member is not
// shown to be needed is `unresolved`. Neither is named.
import type { TestId } from '../plan/types.js';
import {
  describeCandidate,
  describeConfidence,
  makeFlakyFinding,
  makeNamedFinding,
  makeUnresolvedFinding,
  type Candidate,
  type FindingFacts,
} from './findings.js';
import type { Prober } from './prober.js';
import type { Finding } from './types.js';

/**
 * Invariant: `candidate.reproTests` showed the failure during narrowing.
 * Cost: `repeat` fresh runs of the repro list, plus `repeat` runs of the list without each
 * culprit when the list holds two or more tests (polluter: [victim] alone; interaction of k
 * tests: k lists). A lone hog costs exactly `repeat` runs.
 */
export async function verifyCandidate(facts: FindingFacts, candidate: Candidate, prober: Prober): Promise<Finding> {
  const runs = await prober.rerun(candidate.reproTests, prober.repeat);
  const reproducing = runs.filter((probe) => prober.matches(probe));
  const confidence = describeConfidence(reproducing.length, runs.length, prober.repeat);
  const firstReproduction = reproducing[0];
  // It showed the failure while narrowing and not on re-run: the failure stopped reproducing.
  if (firstReproduction === undefined) {
    const evidence = [...prober.runIdsOf(candidate.reproTests, true), ...runs.map((probe) => probe.runId)];
    return makeFlakyFinding(facts, candidate.reproTests, 'verification', evidence, prober.tally);
  }

  const contrastRunIds: string[] = [];
  for (const contrast of contrastsOf(candidate)) {
    const contrastRuns = await prober.rerun(contrast.tests, prober.repeat);
    // Every run of the contrast ever made counts, not just these: one failure without the
    // culprit is enough to doubt it, and independent second chances would add up to a guess.
    if (prober.runsOf(contrast.tests).some((probe) => prober.matches(probe))) {
      const because = `it still showed ${describeOutcomeOf(prober)} without ${contrast.leftOut}, so ${contrast.leftOut} is not shown to be needed: not named`;
      return makeUnresolvedFinding(facts, contrast.tests, because, prober.runIdsOf(contrast.tests, true), confidence);
    }
    contrastRunIds.push(...contrastRuns.map((probe) => probe.runId));
  }
  const evidence = [...prober.runIdsOf(candidate.reproTests, true), ...contrastRunIds];
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

function describeOutcomeOf(prober: Prober): string {
  const { failingTest, outcome } = prober.signature;
  return failingTest === undefined ? outcome : `${outcome}: ${failingTest}`;
}
