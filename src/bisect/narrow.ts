// From a failing list to its causes: halving first (cheap, finds every lone culprit), delta
// debugging for what halving cannot split (tests that fail only together). A cause is a list:
// one test (it fails alone) or a 1-minimal set. Naming and verifying causes is hunt.ts's job.
import type { TestId } from '../plan/types.js';
import { minimizeFailing } from './ddmin.js';
import { type FailsPredicate, type SplitOptions, splitFailing } from './split.js';

/**
 * Invariant: `suspects` showed the failure.
 * Cost: halving as in split.ts, plus ddmin per unsplittable list. When an interaction was
 * found, one more trial checks what is left without every cause found: interactions can
 * straddle halves where halving never looks, so a second set is hunted in the remainder.
 * When every cause is a lone test that trial is skipped: nothing hints at an interaction,
 * and the common case (one hog) should not pay for it.
 */
export async function narrowToCauses(suspects: readonly TestId[], fails: FailsPredicate, split: SplitOptions = {}): Promise<TestId[][]> {
  const causes = await splitThenMinimize(suspects, fails, split);
  if (causes.every((cause) => cause.length === 1)) return causes;

  let rest = without(suspects, causes.flat());
  while (rest.length > 0 && (await fails(rest))) {
    const more = await splitThenMinimize(rest, fails, split);
    causes.push(...more);
    rest = without(rest, more.flat());
  }
  return inBatchOrder(causes, suspects);
}

async function splitThenMinimize(suspects: readonly TestId[], fails: FailsPredicate, split: SplitOptions): Promise<TestId[][]> {
  const { singles, unsplittable } = await splitFailing(suspects, fails, split);
  const causes = singles.map((test) => [test]);
  for (const group of unsplittable) causes.push(await minimizeFailing(group, fails));
  return inBatchOrder(causes, suspects);
}

function without(tests: readonly TestId[], removed: readonly TestId[]): TestId[] {
  const gone = new Set(removed);
  return tests.filter((test) => !gone.has(test));
}

function inBatchOrder(causes: TestId[][], batch: readonly TestId[]): TestId[][] {
  const position = new Map(batch.map((test, index) => [test, index]));
  const first = (cause: readonly TestId[]): number => position.get(cause[0] ?? '') ?? Infinity;
  return [...causes].sort((a, b) => first(a) - first(b));
}
