// When a timeout alone may be called a hang. A run that is still going when the time budget
// ends is either hung (it would never end) or slow: on a loaded machine the runner's own
// start-up can take seconds, and a quick test run alone then exceeds a budget of a few
// seconds. A real hang never ends, so the run that names one gets a longer budget: a test
// that ends within it was slow, not hung, and is never named `hang`.
//
// Two clocks (docs/verdicts.md, "hang"; docs/decisions.md):
//  - with a per-test probe, a lone suspect's budget is counted on the test's own time, from
//    its start record: the runner's start-up and collection no longer count, so the budget
//    need not cover them;
//  - without records (generic --cmd runner, --no-probe, a file entry, a test that never
//    started), from the process start, long enough to also cover a slow start-up.

/** How many times the time budget a lone suspect gets, from its process start, before it is called a hang. */
export const HANG_CONFIRMATION_FACTOR = 3;

/** How many times the time budget a lone test gets on its own time (from its start record). */
export const HANG_TEST_TIME_FACTOR = 2;

/** The time budget of the run that confirms a lone hang, from the process start: 3× the budget, at least 10 s more. */
export function hangConfirmationTimeoutMs(timeoutMs: number): number {
  return Math.max(timeoutMs * HANG_CONFIRMATION_FACTOR, timeoutMs + 10_000);
}

/**
 * The test's own time a lone suspect gets, counted from its start record: 2× the budget, at
 * least 5 s more. A test still running after that, alone, could never pass a run under
 * --timeout: it is more than twice what the whole run may take, and more than twice what the
 * run that named it showed (that run gave it at most the budget, minus its start). The 5 s
 * floor is for budgets of a few seconds, where a loaded machine's pauses are the same size.
 */
export function hangTestTimeoutMs(timeoutMs: number): number {
  return Math.max(timeoutMs * HANG_TEST_TIME_FACTOR, timeoutMs + 5_000);
}

/**
 * The budgets of a lone suspect's confirmation run: `timeoutMs` from the process start (all
 * that applies when no start record ever comes), and `testTimeoutMs` of the test's own time,
 * which replaces it once the probe records the test's start.
 */
export interface HangConfirmationBudget {
  readonly timeoutMs: number;
  readonly testTimeoutMs: number;
}

export function hangConfirmationBudget(timeoutMs: number): HangConfirmationBudget {
  return { timeoutMs: hangConfirmationTimeoutMs(timeoutMs), testTimeoutMs: hangTestTimeoutMs(timeoutMs) };
}
