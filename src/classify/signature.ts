// A trial counts as failing only when it reproduces the original failure's signature:
// same outcome kind; for `failed`, the same failing test; for `crashed`, the same signal.
// Anything else going wrong is recorded but never confused with the target.
import type { TestId } from '../plan/types.js';
import type { Outcome, Verdict } from './types.js';

export interface Signature {
  readonly outcome: Outcome;
  /** For 'failed': the one failing test this hunt chases. */
  readonly failingTest: TestId | undefined;
  /** For 'crashed': the signal (or "exit N") that ended the original run. */
  readonly signal: string | undefined;
}

const NOT_FAILURES: ReadonlySet<Outcome> = new Set(['passed', 'no-tests', 'error', 'interrupted']);

/** Whether a verdict is a failure worth narrowing at all. */
export function isHuntable(verdict: Verdict): boolean {
  return !NOT_FAILURES.has(verdict.outcome);
}

/**
 * The signatures a failing verdict can be chased by: one per failing test for `failed`
 * (each victim is hunted on its own), one otherwise.
 */
export function signaturesOf(verdict: Verdict): Signature[] {
  if (!isHuntable(verdict)) return [];
  if (verdict.outcome === 'failed' && verdict.failingTests.length > 0) {
    return verdict.failingTests.map((failingTest) => ({ outcome: 'failed', failingTest, signal: undefined }));
  }
  const signal = verdict.outcome === 'crashed' ? verdict.signal : undefined;
  return [{ outcome: verdict.outcome, failingTest: undefined, signal }];
}

/** True when `verdict` shows the same failure as `signature`. */
export function reproduces(signature: Signature, verdict: Verdict): boolean {
  // Our limiter and the kernel's race to the same budget: either one is the same failure.
  if (isMemoryDeath(signature.outcome) && isMemoryDeath(verdict.outcome)) return true;
  if (verdict.outcome !== signature.outcome) return false;
  if (signature.failingTest !== undefined) return verdict.failingTests.includes(signature.failingTest);
  if (signature.signal !== undefined) return verdict.signal === signature.signal;
  return true;
}

/**
 * One string per failure, equal exactly when `reproduces` could not tell two signatures
 * apart: a memory death is one failure whoever enforced the budget.
 */
export function failureKey(signature: Signature): string {
  const outcome = signature.outcome === 'oom-killed' ? 'over-memory' : signature.outcome;
  return [outcome, signature.failingTest ?? '', signature.signal ?? ''].join('\u0000');
}

/** "over-memory", "failed: tests/test_a.py::test_x", "crashed: SIGSEGV". */
export function describeSignature(signature: Signature): string {
  if (signature.failingTest !== undefined) return `${signature.outcome}: ${signature.failingTest}`;
  if (signature.signal !== undefined) return `${signature.outcome}: ${signature.signal}`;
  return signature.outcome;
}

function isMemoryDeath(outcome: Outcome): boolean {
  return outcome === 'over-memory' || outcome === 'oom-killed';
}
