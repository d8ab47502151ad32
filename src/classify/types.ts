// The outcome taxonomy (docs/outcomes.md). Kebab-case strings, the same in CLI and report.
import type { TestId } from '../plan/types.js';

export const OUTCOMES = [
  'passed',
  'failed',
  'over-memory',
  'oom-killed',
  'timeout',
  'crashed',
  'no-tests',
  'error',
  'interrupted',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Verdict {
  readonly outcome: Outcome;
  /** One sentence of evidence, printed as is by every reporter. */
  readonly because: string;
  /** For 'failed': the tests the runner reported failing, in run order. */
  readonly failingTests: readonly TestId[];
  /** For 'crashed': the signal that ended the run (named, e.g. "SIGSEGV"). */
  readonly signal: string | undefined;
  /**
   * For 'failed': every test (file) failed before any of its tests ran, with this one error
   * that names none of them: the runner's setup failed, not the tests (bisect/setup-failure.ts).
   */
  readonly setupFailure?: string;
}
