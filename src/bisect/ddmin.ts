// Delta debugging (Zeller & Hildebrandt, "Simplifying and Isolating Failure-Inducing
// Input", 2002): when a list fails but no half fails alone, find a 1-minimal failing subset:
// one that fails, while leaving out any single test of it makes the failure go away.
// Chunks are contiguous and complements keep their order, so the batch order (which matters
// for pollution) is never changed. It decides only which subset to try next.
import type { TestId } from '../plan/types.js';
import type { FailsPredicate } from './split.js';

/**
 * Invariant: `current` showed the failure on its last trial.
 * Cost: for a set of k tests that fail only together among n, about k·log2(n) reduction
 * steps of up to 2·granularity trials each (many are cache hits); the worst case is
 * O(n²) trials, which --max-runs bounds. Returns the 1-minimal subset in the given order.
 */
export async function minimizeFailing(failing: readonly TestId[], fails: FailsPredicate): Promise<TestId[]> {
  let current = [...failing];
  let granularity = 2;
  while (current.length >= 2) {
    const reduction = await findReduction(splitIntoChunks(current, granularity), fails);
    if (reduction !== undefined) {
      current = reduction.tests;
      granularity = reduction.granularity;
    } else if (granularity < current.length) {
      granularity = Math.min(current.length, granularity * 2);
    } else {
      break; // every single test left out made the failure go away: 1-minimal
    }
  }
  return current;
}

interface Reduction {
  readonly tests: TestId[];
  readonly granularity: number;
}

/** Tries each chunk alone, then each complement (all but one chunk), in order. */
async function findReduction(chunks: readonly TestId[][], fails: FailsPredicate): Promise<Reduction | undefined> {
  for (const chunk of chunks) {
    if (await fails(chunk)) return { tests: chunk, granularity: 2 };
  }
  // With two chunks each complement is the other chunk, already tried above.
  if (chunks.length <= 2) return undefined;
  for (let index = 0; index < chunks.length; index += 1) {
    const complement = chunks.filter((_, other) => other !== index).flat();
    if (await fails(complement)) return { tests: complement, granularity: Math.max(chunks.length - 1, 2) };
  }
  return undefined;
}

/**
 * `count` contiguous chunks whose sizes differ by at most one, larger ones first, in order.
 * Two chunks are exactly split.ts's halves, so ddmin's first round is answered by the cache.
 */
export function splitIntoChunks(tests: readonly TestId[], count: number): TestId[][] {
  const chunks: TestId[][] = [];
  let start = 0;
  for (let index = 0; index < count; index += 1) {
    const end = start + Math.ceil((tests.length - start) / (count - index));
    chunks.push(tests.slice(start, end));
    start = end;
  }
  return chunks.filter((chunk) => chunk.length > 0);
}
