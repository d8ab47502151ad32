// One hunt, start to end: confirm the failure, narrow it to candidates with the strategy its
// signature calls for, verify each candidate. Strategies (split, ddmin, prefix) decide which
// tests to run; the prober runs them and keeps the books; verify.ts decides what is named.
import type { TestId } from '../plan/types.js';
import { findCleaners } from './cleaner.js';
import { type Candidate, candidateOfCause, type FindingFacts, makeFlakyFinding } from './findings.js';
import { narrowToCauses } from './narrow.js';
import { findPolluters, findVictimIndex } from './prefix.js';
import { HuntStopped, type Prober } from './prober.js';
import { partsOf, type SplitOptions } from './split.js';
import type { Finding, ProbeResult } from './types.js';
import { verifyCandidate } from './verify.js';

export interface ChaseContext {
  readonly facts: FindingFacts;
  /** The list the hunt starts from: the batch, or the probe that revealed this failure. */
  readonly tests: readonly TestId[];
  /** The run that showed the failure first. */
  readonly original: ProbeResult;
  readonly prober: Prober;
  /** Records a finding and tells the listeners. */
  readonly name: (finding: Finding) => void;
  /** Candidates found but not yet verified; what a stopped hunt still has to say. */
  readonly pending: Candidate[];
  /** Polluter sets already named in this batch: tried first against every new victim. */
  readonly knownPolluters?: readonly (readonly TestId[])[];
}

/** Throws HuntStopped when the run budget, Ctrl-C or a broken probe ends the hunt early. */
export async function chaseSignature(context: ChaseContext): Promise<void> {
  const { prober, tests } = context;
  // Confirm first: a failure that does not come back is flaky, and narrowing it would chase noise.
  // With room for several runs, the first split's parts run beside the confirmation (they are
  // independent of it; a split asks them again and finds their runs remembered): a hang's
  // confirmation and first level then cost one timeout, not two. Nothing is named unless the
  // confirmation reproduces.
  const [confirmed] = await prober.failsEach([tests, ...firstParts(context)], context.original);
  if (confirmed !== true) {
    const confirmations = prober.runsOf(tests).filter((probe) => probe !== context.original);
    const evidence = [context.original.runId, ...confirmations.map((probe) => probe.runId)];
    context.name(makeFlakyFinding(context.facts, tests, 'confirmation', evidence, prober.tally));
    return;
  }
  context.pending.push(...(await findCandidates(context)));
  for (let candidate = context.pending[0]; candidate !== undefined; candidate = context.pending[0]) {
    const verified = await verifyCandidate(context.facts, candidate, prober);
    context.pending.shift();
    const finding = verified.kind === 'polluter' ? await withCleaners(verified, candidate, prober) : verified;
    context.name(finding);
    if (failsWithoutPolluters(context, candidate)) context.pending.length = 0;
  }
}

/** The victim failed alone on some run: no polluter of it can be shown, so none is tried. */
function failsWithoutPolluters(context: ChaseContext, candidate: Candidate): boolean {
  if (candidate.kind !== 'polluter') return false;
  const victimAlone = candidate.reproTests.slice(-1);
  return context.prober.runsOf(victimAlone).some((probe) => context.prober.matches(probe));
}

async function findCandidates(context: ChaseContext): Promise<Candidate[]> {
  const { prober, tests } = context;
  const fails = (candidates: readonly TestId[]): Promise<boolean> => prober.fails(candidates);
  const victim = prober.signature.failingTest;
  const victimIndex = victim === undefined ? -1 : findVictimIndex(tests, victim);
  // No victim to pin (a death, or a failure the batch cannot place): halve the whole list.
  if (victim === undefined || victimIndex < 0) {
    const causes = await narrowToCauses(tests, fails, splitOptionsOf(prober));
    return causes.map((cause) => candidateOfCause(cause, prober.signature));
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
  const { prober, tests } = context;
  const others = tests.filter((test) => test !== victimUnit);
  const collected = others.length === 0 ? undefined : await prober.runCollected(tests, [victimUnit]);
  const alone = await prober.fails([victimUnit]);
  if (alone) return [{ kind: 'failing', culprits: [victimUnit], victim: undefined, reproTests: [victimUnit] }];
  if (collected === undefined || !prober.matches(collected)) {
    const evidence = [
      context.original.runId,
      ...(collected === undefined ? [] : [collected.runId]),
      ...prober.runIdsOf([victimUnit], false),
    ];
    context.name(makeFlakyFinding(context.facts, [victimUnit], 'alone and with the same collection', evidence, prober.tally));
    return [];
  }
  // Collection-time pollution: which collected entry's import breaks the victim.
  const failsCollected = async (candidates: readonly TestId[]): Promise<boolean> => {
    const probe = await prober.runCollected([victimUnit, ...candidates], [victimUnit]);
    return probe !== undefined && prober.matches(probe);
  };
  const causes = await narrowToCauses(others, failsCollected);
  const victim = prober.signature.failingTest;
  return causes.map((culprits) => ({ kind: 'polluter', culprits, victim, reproTests: [...culprits, victimUnit], atCollection: true }));
}

/** The parts the first split will ask for, when the whole list is split and runs may go side by side. */
function firstParts(context: ChaseContext): TestId[][] {
  const { prober, tests } = context;
  const options = splitOptionsOf(prober);
  if (options.failsEach === undefined || tests.length <= 1) return [];
  const victim = prober.signature.failingTest;
  if (victim !== undefined && findVictimIndex(tests, victim) >= 0) return [];
  return partsOf(tests, options.ways ?? 2);
}

/**
 * With room for several probes at once, the parts of a split run side by side; a hang is
 * split in as many parts as may run at once (each failing probe of a hang costs a whole
 * timeout, a passing one only its tests), anything else in halves. With one, as before.
 */
function splitOptionsOf(prober: Prober): SplitOptions {
  if (prober.width <= 1) return {};
  const ways = prober.signature.outcome === 'timeout' ? prober.width : 2;
  return { failsEach: (lists) => prober.failsEach(lists), ways };
}

function inOrderOf(order: readonly TestId[], tests: readonly TestId[]): TestId[] {
  return order.filter((test) => tests.includes(test));
}

/** A polluter finding names the cleaners bisection met between it and its victim. */
async function withCleaners(finding: Finding, candidate: Candidate, prober: Prober): Promise<Finding> {
  const victimUnit = candidate.reproTests[candidate.reproTests.length - 1];
  if (victimUnit === undefined) return finding;
  let cleaners: TestId[];
  try {
    cleaners = await findCleaners(prober, candidate.culprits, victimUnit);
  } catch (error) {
    // Out of runs (or Ctrl-C) while looking for a cleaner: the polluter stands, verified.
    if (error instanceof HuntStopped) return finding;
    throw error;
  }
  if (cleaners.length === 0) return finding;
  const because = `${finding.because}; it passes when ${cleaners.join(' + ')} runs between them (a cleaner)`;
  return { ...finding, cleaners, because };
}
