// Everything a bisection strategy may know about running tests. Strategies decide which
// tests to run next; the Executor runs them (for real, or simulated in unit tests).
import type { Signature } from '../classify/signature.js';
import type { Verdict } from '../classify/types.js';
import type { TestId } from '../plan/types.js';

export interface TrialResult {
  /** Exactly the tests that ran, in order. */
  readonly tests: readonly TestId[];
  readonly verdict: Verdict;
  readonly peakBytes: number;
  readonly durationMs: number;
  /** Links to the full RunRecord in the report. */
  readonly runId: string;
}

export interface Executor {
  /**
   * Runs exactly these tests, in this order, under the hunt's budgets.
   * Never throws because a test died: a death is a verdict, not an error.
   */
  run(tests: readonly TestId[], options?: RunOptions): Promise<TrialResult>;
  /**
   * Optional: runs `selected` while the runner still collects (imports) every entry of
   * `collected`, the others deselected (pytest `--deselect`): shows collection-time pollution.
   * Left out where collection is per file and cannot pollute another file (jest).
   */
  runCollected?(collected: readonly TestId[], selected: readonly TestId[], options?: RunOptions): Promise<TrialResult>;
}

/** What a run may be asked for besides its tests. */
export interface RunOptions {
  /** pytest probe: snapshot allocations at the batch's start and as it grows (slow; docs/accumulators.md). */
  readonly traceSites?: boolean;
  /** A longer time budget for this run only: the run that confirms a lone hang (classify/hang.ts). */
  readonly timeoutMs?: number;
  /** A lone test's hang confirmation: its budget on the test's own time, from its start record, once the probe writes one (classify/hang.ts). */
  readonly testTimeoutMs?: number;
  /**
   * Run as the user's runner runs the tests, without the per-test probe: a failure hunt's runs
   * (hunt.ts). The probe's garbage collections between tests change what a test that counts
   * live objects sees; an assertion failure needs no per-test memory.
   */
  readonly withoutProbe?: boolean;
}

/**
 * hog/hang/crash: one test reproduces the failure alone (over-memory / timeout / signal).
 * failing: one test fails on its own (plain assertion failure, no other test needed).
 * polluter: `culprits` make `victim` fail; the victim passes alone.
 * interaction: the minimal set that fails only together.
 * accumulator: memory grows with every test; `culprits` are the largest contributors.
 * flaky: the failure stopped reproducing (on confirmation, alone, or in every subset tried),
 *        or the test failed on some of its runs alone only;
 *        the test that failed is the signature's failingTest; nobody is blamed.
 * unresolved: evidence did not support a single answer within the run budget; the smallest
 *        failing set goes to `smallestFailingSet`, never to `culprits`.
 */
export const FINDING_KINDS = ['hog', 'hang', 'crash', 'failing', 'polluter', 'interaction', 'accumulator', 'flaky', 'unresolved'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One thing a hunt learned about a failing batch. Never a guess: see docs/bisection.md. */
export interface Finding {
  readonly batchIndex: number;
  readonly kind: FindingKind;
  /** The tests to blame: the hog; the polluter(s); the minimal interacting set; for
   *  accumulator, the top contributors. Empty for unresolved and flaky: nobody is blamed. */
  readonly culprits: readonly TestId[];
  /** For polluter: the (first) test that fails only after the culprits ran. */
  readonly victim: TestId | undefined;
  /** For polluter: every test the culprits break, in the order they were found (victim first). */
  readonly victims?: readonly TestId[];
  /** For polluter: tests that, run between the culprits and the victim, made the victim pass. */
  readonly cleaners?: readonly TestId[];
  /** For unresolved: the smallest list that still failed. Not narrowed further, not culprits. */
  readonly smallestFailingSet?: readonly TestId[];
  /** The failure that was chased. */
  readonly signature: Signature;
  /** One sentence of evidence, printed as is by every reporter. */
  readonly because: string;
  /** The ordered tests a person runs to see the failure again (e.g. [polluter, victim]). */
  readonly reproTests: readonly TestId[];
  /** runIds of the trials that support this finding. */
  readonly evidenceRunIds: readonly string[];
  /** How sure, in words, e.g. "reproduced 3 of 3 runs"; undefined when repeat is 1. */
  readonly confidence: string | undefined;
}

/** What narrowing one failing batch cost and found. */
export interface BatchHunt {
  readonly batchIndex: number;
  readonly signature: Signature;
  readonly findings: readonly Finding[];
  /** Executions actually made (cache hits are not runs). */
  readonly runsUsed: number;
  /** The estimate printed before starting: ⌈log2 n⌉ × repeat + confirmation. */
  readonly runsEstimated: number;
  /** 'max-runs' and 'interrupted' hunts still carry the smallest failing set found so far. */
  readonly stopped: 'done' | 'max-runs' | 'interrupted';
}
