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

/** Asks the predicate of several lists at once; answers in the order asked, whatever ran first. */
export type FailsEach = (lists: readonly (readonly TestId[])[]) => Promise<boolean[]>;

export interface SplitOptions {
  /** Tries the parts of one list side by side (default: one after the other). */
  readonly failsEach?: FailsEach;
  /**
   * Parts per split (default 2: halving). A hang costs a full timeout per failing trial and
   * nothing else does, so k parts probed side by side find it in ⌈log_k n⌉ timeouts.
   */
  readonly ways?: number;
}

/** The sequential default: exactly the trials, in exactly the order, of one-at-a-time halving. */
export function oneAfterAnother(fails: FailsPredicate): FailsEach {
  return async (lists) => {
    const answers: boolean[] = [];
    for (const list of lists) answers.push(await fails(list));
    return answers;
  };
}

/**
 * Invariant: `suspects` showed the failure on its last trial (or, for the top call, it is
 * implied by the batch run and re-checked by verification).
 * Cost: two trials per level, only along failing halves: for h lone culprits among n tests
 * at most 2·Σ_{d<⌈log2 n⌉} min(h, 2^d) ≤ 2·h·⌈log2 n⌉ trials (k per level with `ways` k,
 * over ⌈log_k n⌉ levels). Every failing part is narrowed, so two hogs in one batch are both
 * found. Parts keep the batch order; the parts of one list may run side by side (failsEach),
 * but failing parts are narrowed one after the other, so the answer never depends on which
 * trial finished first.
 */
export async function splitFailing(suspects: readonly TestId[], fails: FailsPredicate, options: SplitOptions = {}): Promise<SplitOutcome> {
  if (suspects.length <= 1) return { singles: [...suspects], unsplittable: [] };

  const parts = partsOf(suspects, options.ways ?? 2);
  const answers = await (options.failsEach ?? oneAfterAnother(fails))(parts);
  const failingParts = parts.filter((_, index) => answers[index] === true);
  // No part fails alone, yet together they did. Say so; never pick a part.
  if (failingParts.length === 0) return { singles: [], unsplittable: [[...suspects]] };

  const singles: TestId[] = [];
  const unsplittable: (readonly TestId[])[] = [];
  for (const part of failingParts) {
    const outcome = await splitFailing(part, fails, options);
    singles.push(...outcome.singles);
    unsplittable.push(...outcome.unsplittable);
  }
  return { singles, unsplittable };
}

/** `ways` contiguous parts as even as possible, the first ones the longer (halves: ⌈n/2⌉, ⌊n/2⌋). */
export function partsOf(tests: readonly TestId[], ways: number): TestId[][] {
  const count = Math.max(2, Math.min(Math.floor(ways), tests.length));
  const parts: TestId[][] = [];
  let start = 0;
  for (let index = 0; index < count; index += 1) {
    const size = Math.ceil((tests.length - start) / (count - index));
    parts.push(tests.slice(start, start + size));
    start += size;
  }
  return parts;
}
