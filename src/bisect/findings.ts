// The words of a finding: its kind from the failure chased, and the one-sentence `because`
// every reporter prints as is. Decides nothing about which tests are to blame.
import { describeSignature, type Signature } from '../classify/signature.js';
import type { Outcome } from '../classify/types.js';
import type { TestId } from '../plan/types.js';
import { formatDuration } from '../util/duration.js';
import type { Finding, FindingKind, TrialResult } from './types.js';

/** What a hunt proposes before verification: the culprits and the list that shows them. */
export interface Candidate {
  readonly kind: Exclude<FindingKind, 'accumulator' | 'flaky' | 'unresolved'>;
  readonly culprits: readonly TestId[];
  /** For polluter: the failing test the culprits break. */
  readonly victim: TestId | undefined;
  /** What a person runs to see it: [culprit], [polluters…, victim], the minimal set. */
  readonly reproTests: readonly TestId[];
  /** polluter: it breaks the victim by being collected (imported), before any test ran. */
  readonly atCollection?: boolean;
  /** polluter: already verified on another victim of this batch, tried first on this one. */
  readonly knownPolluter?: boolean;
}

type LoneKind = 'hog' | 'hang' | 'crash' | 'failing';

/** The kind of a lone culprit, from the outcome it reproduces. */
const LONE_KIND_OF: Record<Outcome, LoneKind | undefined> = {
  'over-memory': 'hog',
  'oom-killed': 'hog',
  timeout: 'hang',
  crashed: 'crash',
  failed: 'failing',
  passed: undefined,
  'no-tests': undefined,
  error: undefined,
  interrupted: undefined,
};

/** A cause found by narrowing, as a candidate: one test is a lone culprit, more an interaction. */
export function candidateOfCause(cause: readonly TestId[], signature: Signature): Candidate {
  const loneKind = LONE_KIND_OF[signature.outcome] ?? 'failing';
  const kind = cause.length === 1 ? loneKind : 'interaction';
  return { kind, culprits: cause, victim: undefined, reproTests: cause };
}

/** "died over-memory (tree peak 412 MiB reached the 300 MiB budget) in 1.9 s". */
export function describeDeath(trial: TrialResult): string {
  const { outcome, because } = trial.verdict;
  const took = formatDuration(trial.durationMs);
  // The verdict's own sentence may hold parentheses: put it after a colon, not inside more.
  if (outcome === 'timeout') return `hit the time budget: ${because}`;
  if (outcome === 'crashed') return `crashed after ${took}: ${because}`;
  if (outcome === 'failed') return `failed: ${because}`;
  return `died ${outcome} after ${took}: ${because}`;
}

/** The `because` of a verified candidate, from the run that reproduced it. */
export function describeCandidate(candidate: Candidate, trial: TrialResult): string {
  const names = candidate.culprits.join(' + ');
  switch (candidate.kind) {
    case 'polluter':
      if (candidate.atCollection === true) {
        return `passes alone; fails when ${names} is collected with it, although no test of ${names} ran before it: pollution at collection (import) time`;
      }
      if (candidate.knownPolluter === true)
        return `passes alone; fails after ${names}, the polluter already found for another victim (tried first)`;
      return candidate.culprits.length === 1
        ? `passes alone; fails after ${names}`
        : `passes alone; fails after ${names}, and only when all of them ran before it`;
    case 'interaction':
      return `fails only together: leaving out any one of these ${candidate.culprits.length} tests makes it pass; together it ${describeDeath(trial)}`;
    case 'failing':
      return `fails when run alone (${trial.verdict.because})`;
    default:
      return `alone it ${describeDeath(trial)}`;
  }
}

/** "reproduced 2 of 3 runs", or undefined when each trial ran once (nothing to count). */
export function describeConfidence(reproduced: number, runs: number, repeat: number): string | undefined {
  return repeat > 1 ? `reproduced ${reproduced} of ${runs} runs` : undefined;
}

export interface FindingFacts {
  readonly batchIndex: number;
  readonly signature: Signature;
}

export function makeNamedFinding(
  facts: FindingFacts,
  candidate: Candidate,
  because: string,
  evidenceRunIds: readonly string[],
  confidence: string | undefined,
): Finding {
  return {
    ...facts,
    kind: candidate.kind,
    culprits: candidate.culprits,
    victim: candidate.victim,
    reproTests: candidate.reproTests,
    because,
    evidenceRunIds,
    confidence,
  };
}

/** Evidence did not support an answer: blame nothing beyond the smallest set that failed. */
export function makeUnresolvedFinding(
  facts: FindingFacts,
  smallestFailing: readonly TestId[],
  because: string,
  evidenceRunIds: readonly string[],
  confidence: string | undefined = undefined,
): Finding {
  return {
    ...facts,
    kind: 'unresolved',
    culprits: [],
    victim: undefined,
    smallestFailingSet: smallestFailing,
    reproTests: smallestFailing,
    because,
    evidenceRunIds,
    confidence,
  };
}

/** How a failure stopped reproducing, for the `because` of a flaky finding. */
export type StoppedWhere = 'confirmation' | 'alone and with the same collection' | 'verification' | 'slow, not hung';

/**
 * The failure stopped reproducing: nobody is blamed. It names the failure (for `failed`, the
 * test that failed) and counts the runs: "failed in 2 of 4 runs".
 */
export function makeFlakyFinding(
  facts: FindingFacts,
  reproTests: readonly TestId[],
  where: StoppedWhere,
  evidenceRunIds: readonly string[],
  tally: { readonly reproduced: number; readonly runs: number },
  /** The re-runs went without the per-test probe the batch had (a failure hunt: hunt.ts). */
  withoutProbe = false,
): Finding {
  const what =
    facts.signature.failingTest === undefined
      ? `the batch showed ${describeSignature(facts.signature)}`
      : `${facts.signature.failingTest} failed`;
  const how = withoutProbe ? `${STOPPED_WORDS[where]}; ${WITHOUT_PROBE_WORDS}` : STOPPED_WORDS[where];
  const because = `${what} in ${tally.reproduced} of ${tally.runs} runs, then stopped reproducing (${how}): flaky, nobody is blamed`;
  return {
    ...facts,
    kind: 'flaky',
    culprits: [],
    victim: undefined,
    reproTests,
    because,
    evidenceRunIds,
    confidence: `reproduced ${tally.reproduced} of ${tally.runs} runs`,
  };
}

/**
 * A test that failed alone on some of its runs and passed on the others (--repeat): it fails by
 * chance on its own, so it is flaky, not failing, and nobody is blamed. Names the test and
 * counts its runs alone: "t failed in 2 of 6 runs alone and passed in the other 4".
 */
export function makeIntermittentFinding(
  facts: FindingFacts,
  test: TestId,
  /** Its runs alone that failed or passed, oldest first; `failed` tells which reproduced. */
  alone: readonly TrialResult[],
  failed: (trial: TrialResult) => boolean,
): Finding {
  const failures = alone.filter(failed).length;
  const because = `${test} failed in ${failures} of ${alone.length} runs alone and passed in the other ${alone.length - failures}: it fails by chance, not every time (flaky); nobody is blamed`;
  return {
    ...facts,
    kind: 'flaky',
    culprits: [],
    victim: undefined,
    reproTests: [test],
    because,
    evidenceRunIds: alone.map((trial) => trial.runId),
    confidence: `reproduced ${failures} of ${alone.length} runs`,
  };
}

// A test that fails only under the probe (it counts live objects, and the probe collects
// garbage between tests) ends as flaky here, never as failing: the user's runner passes it.
const WITHOUT_PROBE_WORDS = "the re-runs went without leakhunt's per-test probe, as your runner runs the tests";

const STOPPED_WORDS: Record<StoppedWhere, string> = {
  confirmation: 'a re-run of the same tests passed',
  'alone and with the same collection': 'it ran first in its process, and passed both with the same tests collected and alone',
  verification: 'the smallest list that showed it passed when re-run',
  'slow, not hung': 'run again with a longer time budget it ended: slow, not hung',
};

/** A candidate after verification, with the runs of its repro list (for oneAnswerPerVictim). */
export interface VerifiedCandidate {
  readonly candidate: Candidate;
  readonly finding: Finding;
  readonly failedRunIds: readonly string[];
  readonly passedRunIds: readonly string[];
}

/**
 * One answer per victim (docs/bisection.md, "One answer per victim"). A victim's hunt may find
 * several polluter candidates; one verified and another whose list stopped failing used to be
 * reported as a `polluter` and a `flaky` finding for the same test, which reads as a
 * contradiction. Both facts are kept in one finding: the verified polluter, whose `because`
 * says which other test the victim also failed after, in which runs, and that it is not named.
 * Without a verified polluter the `flaky` findings stand as they are. Pure.
 */
export function oneAnswerPerVictim(verified: readonly VerifiedCandidate[]): Finding[] {
  const named = verified.find(({ finding }) => finding.kind === 'polluter');
  const doubts = verified.filter(({ candidate, finding }) => candidate.kind === 'polluter' && finding.kind === 'flaky');
  if (named === undefined || doubts.length === 0) return verified.map(({ finding }) => finding);
  const victim = named.finding.victim ?? named.candidate.reproTests.at(-1);
  const caveats = doubts.map(({ candidate, failedRunIds, passedRunIds }) => {
    const others = candidate.culprits.join(' + ');
    return `${victim} also failed after ${others} (${failedRunIds.join(', ')}) but passed when that was re-run (${passedRunIds.join(', ')}): ${others} is not named (it breaks it only sometimes, or ${victim} also fails by chance)`;
  });
  const folded: Finding = {
    ...named.finding,
    because: `${named.finding.because}; ${caveats.join('; ')}`,
    evidenceRunIds: [...new Set([...named.finding.evidenceRunIds, ...doubts.flatMap(({ finding }) => finding.evidenceRunIds)])],
  };
  return verified.filter((entry) => !doubts.includes(entry)).map((entry) => (entry === named ? folded : entry.finding));
}
