// Decides the smallest failing prefix of an accumulating batch: the fewest tests, counted
// from the start of the batch in its order, that still reproduce the failure. It runs
// prefixes through the Executor by binary search on their length.
//
// Assumption (monotone): if the first k tests fail, so do the first k+1. That holds for an
// accumulator (memory only grows with more tests); for a flaky or non-monotone batch the
// answer is still a prefix that failed when run, never one that was not seen to fail.
// Invariant: prefix(failing) reproduced the failure (or is the whole, already failed,
// batch) and prefix(passing) did not (or is empty).
// Cost: ⌈log2 n⌉ runs; 2 when a hint is exact (the hint, then its neighbour), about
// ⌈log2 n⌉ + 2 when it misses. The Executor may cache: identical
// prefixes are never asked twice here anyway.

import { reproduces, type Signature } from '../classify/signature.js';
import type { TestId } from '../plan/types.js';
import type { Executor } from './types.js';

export interface PrefixSearch {
  /** The smallest prefix length seen to fail (n when no shorter prefix failed). */
  readonly length: number;
  /** tests.slice(0, length). */
  readonly tests: readonly TestId[];
  /** Runs asked of the Executor. */
  readonly runs: number;
  /** runIds of the trials, in order, for the report's evidence. */
  readonly runIds: readonly string[];
}

export interface PrefixOptions {
  /** A guess of the length where the budget is crossed (e.g. from the slope), tried first. */
  readonly hintLength?: number;
  /** Stop after this many runs with the best prefix so far. Default: no limit. */
  readonly maxRuns?: number;
}

/**
 * `tests` is the whole batch, which is known to fail with `signature`.
 * Returns the shortest prefix found failing.
 */
export async function smallestFailingPrefix(
  tests: readonly TestId[],
  executor: Executor,
  signature: Signature,
  options: PrefixOptions = {},
): Promise<PrefixSearch> {
  let passing = 0;
  let failing = tests.length;
  const runIds: string[] = [];
  // The hint is checked, then its neighbour on the side that would settle it at once.
  const guesses = options.hintLength === undefined ? [] : [options.hintLength];
  while (failing - passing > 1 && runIds.length < (options.maxRuns ?? Infinity)) {
    const length = nextLength(passing, failing, guesses.shift());
    const result = await executor.run(tests.slice(0, length));
    runIds.push(result.runId);
    const failed = reproduces(signature, result.verdict);
    if (failed) failing = length;
    else passing = length;
    if (length === options.hintLength) guesses.push(failed ? length - 1 : length + 1);
  }
  return { length: failing, tests: tests.slice(0, failing), runs: runIds.length, runIds };
}

// The hint is used only when it lies strictly inside the open interval; else bisect.
function nextLength(passing: number, failing: number, hint: number | undefined): number {
  if (hint !== undefined && Number.isInteger(hint) && hint > passing && hint < failing) return hint;
  return Math.floor((passing + failing) / 2);
}

/**
 * Where the fitted line reaches the budget, as a prefix length: the test at index i leaves
 * intercept + slope·i, so the first index at or over the budget is ⌈(budget − intercept)/slope⌉.
 * Undefined when the line is flat or already over the budget at the start.
 */
export function prefixHint(
  fit: { readonly slopeBytesPerTest: number; readonly interceptBytes: number },
  budgetBytes: number,
  batchLength: number,
): number | undefined {
  if (fit.slopeBytesPerTest <= 0) return undefined;
  const index = Math.ceil((budgetBytes - fit.interceptBytes) / fit.slopeBytesPerTest);
  if (index < 0) return undefined;
  return Math.min(index + 1, batchLength);
}
