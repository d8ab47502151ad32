// Halving: hogs, hangs, crashes and tests that fail alone follow one test wherever it goes,
// so running each half of a failing list on its own narrows to it. It decides only which
// halves to keep; what "fails" means (signature, repeat, budget) is the caller's.
import type { TestId } from '../plan/types.js';

/** A predicate over an ordered list of tests: does it still show the failure? */
export type FailsPredicate = (tests: readonly TestId[]) => Promise<boolean>;

export interface SplitOutcome {
  /** Tests that showed the failure on their own, in the order given. */
  readonly singles: readonly TestId[];
  /** Lists that showed the failure although neither of their halves did: an interaction
   *  (or noise), left to ddmin. In the order given. */
  readonly unsplittable: readonly (readonly TestId[])[];
}

/**
 * Invariant: `suspects` showed the failure on its last probe (or, for the top call, it is
 * implied by the batch run and re-checked by verification).
 * Cost: two probes per level, only along failing halves: for h lone culprits among n tests
 * at most 2·Σ_{d<⌈log2 n⌉} min(h, 2^d) ≤ 2·h·⌈log2 n⌉ probes. Every failing half is
 * narrowed, so two hogs in one batch are both found. Halves keep the batch order.
 */
export async function splitFailing(suspects: readonly TestId[], fails: FailsPredicate): Promise<SplitOutcome> {
  if (suspects.length <= 1) return { singles: [...suspects], unsplittable: [] };

  const middle = Math.ceil(suspects.length / 2);
  const failingHalves: TestId[][] = [];
  // One half at a time: a probe must not compete with its sibling for memory or time.
  for (const half of [suspects.slice(0, middle), suspects.slice(middle)]) {
    if (await fails(half)) failingHalves.push(half);
  }
  // Neither half fails alone, yet together they did. Say so; never pick a half.
  if (failingHalves.length === 0) return { singles: [], unsplittable: [[...suspects]] };

  const singles: TestId[] = [];
  const unsplittable: (readonly TestId[])[] = [];
  for (const half of failingHalves) {
    const outcome = await splitFailing(half, fails);
    singles.push(...outcome.singles);
    unsplittable.push(...outcome.unsplittable);
  }
  return { singles, unsplittable };
}
