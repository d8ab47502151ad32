// One hunt, start to end: confirm the failure, narrow it to candidates with the strategy its
// signature calls for, verify each candidate. Strategies (split, ddmin, prefix) decide which
// tests to run; trials.ts runs them and keeps the books; verify.ts decides what is named.
import type { TestId } from '../plan/types.js';
import { findCleaners } from './cleaner.js';
import {
  type Candidate,
  candidateOfCause,
  type FindingFacts,
  makeFlakyFinding,
  oneAnswerPerVictim,
  type VerifiedCandidate,
} from './findings.js';
import { narrowToCauses } from './narrow.js';
import { findPolluters, findVictimIndex } from './polluter-search.js';
import { partsOf, type SplitOptions } from './split.js';
import { HuntStopped, type Trials } from './trials.js';
import type { Finding, TrialResult } from './types.js';
import { verifyCandidate } from './verify.js';

export interface ChaseContext {
  readonly facts: FindingFacts;
  /** The list the hunt starts from: the batch, or the trial that revealed this failure. */
  readonly tests: readonly TestId[];
  /** The run that showed the failure first. */
  readonly original: TrialResult;
  readonly trials: Trials;
  /** Records a finding and tells the listeners. */
  readonly name: (finding: Finding) => void;
  /** Candidates found but not yet verified; what a stopped hunt still has to say. */
  readonly pending: Candidate[];
  /** Polluter sets already named in this batch: tried first against every new victim. */
  readonly knownPolluters?: readonly (readonly TestId[])[];
}

/** Throws HuntStopped when the run budget, Ctrl-C or a broken trial ends the hunt early. */
export async function chaseSignature(context: ChaseContext): Promise<void> {
  const { trials, tests } = context;
  // Confirm first: a failure that does not come back is flaky, and narrowing it would chase noise.
  // With room for several runs, the first split's parts run beside the confirmation (they are
  // independent of it; a split asks them again and finds their runs remembered): a hang's
  // confirmation and first level then cost one timeout, not two. Nothing is named unless the
  // confirmation reproduces.
  const [confirmed] = await trials.failsEach([tests, ...firstParts(context)], context.original);
  if (confirmed !== true) {
    const confirmations = trials.runsOf(tests).filter((trial) => trial !== context.original);
    const evidence = [context.original.runId, ...confirmations.map((trial) => trial.runId)];
    context.name(makeFlakyFinding(context.facts, tests, 'confirmation', evidence, trials.tally, trials.withoutProbe));
    return;
  }
  context.pending.push(...(await findCandidates(context)));
  // Named once every candidate is verified (or the hunt stops): one victim gets one answer, so a
  // polluter candidate that stopped reproducing beside a verified polluter is a caveat of it,
  // not a `flaky` finding of its own (findings.ts, oneAnswerPerVictim).
  const verified: VerifiedCandidate[] = [];
  try {
    for (let candidate = context.pending[0]; candidate !== undefined; candidate = context.pending[0]) {
      const finding = await verifyCandidate(context.facts, candidate, trials);
      context.pending.shift();
      verified.push({
        finding: finding.kind === 'polluter' ? await withCleaners(finding, candidate, trials) : finding,
        candidate,
        failedRunIds: trials.runIdsOf(candidate.reproTests, true),
        passedRunIds: trials.runIdsOf(candidate.reproTests, false),
      });
      if (failsWithoutPolluters(context, candidate)) context.pending.length = 0;
    }
  } finally {
    for (const finding of oneAnswerPerVictim(verified)) context.name(finding);
  }
}

/** The victim failed alone on some run: no polluter of it can be shown, so none is tried. */
function failsWithoutPolluters(context: ChaseContext, candidate: Candidate): boolean {
  if (candidate.kind !== 'polluter') return false;
  const victimAlone = candidate.reproTests.slice(-1);
  return context.trials.runsOf(victimAlone).some((trial) => context.trials.matches(trial));
}

async function findCandidates(context: ChaseContext): Promise<Candidate[]> {
  const { trials, tests } = context;
  const fails = (candidates: readonly TestId[]): Promise<boolean> => trials.fails(candidates);
  const victim = trials.signature.failingTest;
  const victimIndex = victim === undefined ? -1 : findVictimIndex(tests, victim);
  // No victim to pin (a death, or a failure the batch cannot place): halve the whole list.
  if (victim === undefined || victimIndex < 0) {
    const causes = await narrowToCauses(tests, fails, splitOptionsOf(trials));
    return causes.map((cause) => candidateOfCause(cause, trials.signature));
  }

  const victimUnit = tests[victimIndex] as TestId;
  const prefix = tests.slice(0, victimIndex);
  if (prefix.length === 0) return firstInProcess(context, victimUnit);
  if (await fails([victimUnit])) return [{ kind: 'failing', culprits: [victimUnit], victim: undefined, reproTests: [victimUnit] }];
  // One polluter often breaks several tests: one run per known polluter before any halving.
  for (const known of context.knownPolluters ?? []) {
    if (!known.every((test) => prefix.includes(test))) continue;
    const culprits = inOrderOf(prefix, known);
    if (await fails([...culprits, victimUnit]))
      return [{ kind: 'polluter', culprits, victim, reproTests: [...culprits, victimUnit], knownPolluter: true }];
  }
  const polluterSets = await findPolluters(prefix, victimUnit, fails);
  return polluterSets.map((culprits) => ({ kind: 'polluter', culprits, victim, reproTests: [...culprits, victimUnit] }));
}

/**
 * The victim ran first in its process: only collection ran before it. It runs again with the
 * same collection (the others collected, deselected), then alone. Failing with the collection
 * and passing alone is collection-time pollution, narrowed over the collected entries; passing
 * both is flaky (its failure stopped reproducing); failing alone is `failing`.
 */
async function firstInProcess(context: ChaseContext, victimUnit: TestId): Promise<Candidate[]> {
  const { trials, tests } = context;
  const others = tests.filter((test) => test !== victimUnit);
  const collected = others.length === 0 ? undefined : await trials.runCollected(tests, [victimUnit]);
  const alone = await trials.fails([victimUnit]);
  if (alone) return [{ kind: 'failing', culprits: [victimUnit], victim: undefined, reproTests: [victimUnit] }];
  if (collected === undefined || !trials.matches(collected)) {
    const evidence = [
      context.original.runId,
      ...(collected === undefined ? [] : [collected.runId]),
      ...trials.runIdsOf([victimUnit], false),
    ];
    context.name(
      makeFlakyFinding(context.facts, [victimUnit], 'alone and with the same collection', evidence, trials.tally, trials.withoutProbe),
    );
    return [];
  }
  // Collection-time pollution: which collected entry's import breaks the victim.
  const failsCollected = async (candidates: readonly TestId[]): Promise<boolean> => {
    const trial = await trials.runCollected([victimUnit, ...candidates], [victimUnit]);
    return trial !== undefined && trials.matches(trial);
  };
  const causes = await narrowToCauses(others, failsCollected);
  const victim = trials.signature.failingTest;
  return causes.map((culprits) => ({ kind: 'polluter', culprits, victim, reproTests: [...culprits, victimUnit], atCollection: true }));
}

/** The parts the first split will ask for, when the whole list is split and runs may go side by side. */
function firstParts(context: ChaseContext): TestId[][] {
  const { trials, tests } = context;
  const options = splitOptionsOf(trials);
  if (options.failsEach === undefined || tests.length <= 1) return [];
  const victim = trials.signature.failingTest;
  if (victim !== undefined && findVictimIndex(tests, victim) >= 0) return [];
  return partsOf(tests, options.ways ?? 2);
}

/**
 * With room for several trials at once, the parts of a split run side by side; a hang is
 * split in as many parts as may run at once (each failing trial of a hang costs a whole
 * timeout, a passing one only its tests), anything else in halves. With one, as before.
 */
function splitOptionsOf(trials: Trials): SplitOptions {
  if (trials.width <= 1) return {};
  const ways = trials.signature.outcome === 'timeout' ? trials.width : 2;
  return { failsEach: (lists) => trials.failsEach(lists), ways };
}

function inOrderOf(order: readonly TestId[], tests: readonly TestId[]): TestId[] {
  return order.filter((test) => tests.includes(test));
}

/** A polluter finding names the cleaners bisection met between it and its victim. */
async function withCleaners(finding: Finding, candidate: Candidate, trials: Trials): Promise<Finding> {
  const victimUnit = candidate.reproTests[candidate.reproTests.length - 1];
  if (victimUnit === undefined) return finding;
  let cleaners: TestId[];
  try {
    cleaners = await findCleaners(trials, candidate.culprits, victimUnit);
  } catch (error) {
    // Out of runs (or Ctrl-C) while looking for a cleaner: the polluter stands, verified.
    if (error instanceof HuntStopped) return finding;
    throw error;
  }
  if (cleaners.length === 0) return finding;
  const because = `${finding.because}; it passes when ${cleaners.join(' + ')} runs between them (a cleaner)`;
  return { ...finding, cleaners, because };
}
