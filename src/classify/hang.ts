// When a timeout alone may be called a hang. A run that is still going when the time budget
// ends is either hung (it would never end) or slow: on a loaded machine the runner's own
// start-up can take seconds, and a quick test run alone then exceeds a budget of a few
// seconds. A real hang never ends, so the run that names one gets a longer budget: a test
// that ends within it was slow, not hung, and is never named `hang`.

/** How many times the time budget a lone suspect gets before it is called a hang. */
export const HANG_CONFIRMATION_FACTOR = 3;

/** The time budget of the run that confirms a lone hang: 3× the budget, at least 10 s more. */
export function hangConfirmationTimeoutMs(timeoutMs: number): number {
  return Math.max(timeoutMs * HANG_CONFIRMATION_FACTOR, timeoutMs + 10_000);
}
