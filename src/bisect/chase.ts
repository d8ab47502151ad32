// One hunt, start to end: confirm the failure, narrow it to candidates with the strategy its
// signature calls for, verify each candidate. Strategies (split, ddmin, prefix) decide which
// tests to run; the prober runs them and keeps the books; verify.ts decides what is named.
import type { TestId } from '../plan/types.js';
import {
  candidateOfCause,
  makeFlakyFinding,
  makeUnresolvedFinding,
  type Candidate,
  type FindingFacts,
} from './findings.js';
import { narrowToCauses } from './narrow.js';
import { findPolluters, findVictimIndex } from './prefix.js';
import type { Prober } from './prober.js';
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
}

/** Throws HuntStopped when the run budget, Ctrl-C or a broken probe ends the hunt early. */
export async function chaseSignature(context: ChaseContext): Promise<void> {
  const { prober, tests } = context;
  // Confirm first: a failure that does not come back is flaky, and narrowing it would chase noise.
  if (!(await prober.fails(tests, context.original))) {
    const confirmations = prober.runsOf(tests).filter((probe) => probe !== context.original);
    context.name(makeFlakyFinding(context.facts, tests, context.original, confirmations, prober.repeat));
    return;
  }
  context.pending.push(...(await findCandidates(context)));
  for (let candidate = context.pending[0]; candidate !== undefined; candidate = context.pending[0]) {
    const finding = await verifyCandidate(context.facts, candidate, prober);
    context.pending.shift();
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
    const causes = await narrowToCauses(tests, fails);
    return causes.map((cause) => candidateOfCause(cause, prober.signature));
  }

  const victimUnit = tests[victimIndex] as TestId;
  if (await fails([victimUnit])) return [{ kind: 'failing', culprits: [victimUnit], victim: undefined, reproTests: [victimUnit] }];
  const prefix = tests.slice(0, victimIndex);
  if (prefix.length === 0) {
    const because = `${victim} failed in the batch but passes alone, and no test runs before it: cannot tell why`;
    context.name(makeUnresolvedFinding(context.facts, prober.smallestFailing, because, [context.original.runId]));
    return [];
  }
  const polluterSets = await findPolluters(prefix, victimUnit, fails);
  return polluterSets.map((culprits) => ({ kind: 'polluter', culprits, victim, reproTests: [...culprits, victimUnit] }));
}
