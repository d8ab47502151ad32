// Polluter → victim: a test V that fails in the batch but passes alone was broken by state a
// test before it left behind. Only the tests that ran before V can be to blame, and V must run
// last in every probe: `[candidates…, V]`, in batch order. It decides where V sits in the
// batch and which candidates to try; naming is hunt.ts's job.
import type { TestId } from '../plan/types.js';
import { narrowToCauses } from './narrow.js';
import type { FailsPredicate } from './split.js';

/** Separators a runner puts between a file and a test inside it (pytest "::", jest " › "). */
const INNER_SEPARATORS = ['::', ' ', '#', '›'];

/**
 * Where the victim runs in the batch: its own entry, or the file entry that contains it
 * ("tests/test_a.py" holds "tests/test_a.py::test_x"). -1 when the batch does not hold it.
 */
export function findVictimIndex(tests: readonly TestId[], victim: TestId): number {
  const exact = tests.indexOf(victim);
  if (exact >= 0) return exact;
  return tests.findIndex((test) =>
    INNER_SEPARATORS.some((separator) => victim.startsWith(test + separator) || victim.startsWith(`${test} ${separator}`)),
  );
}

/**
 * The polluter sets of a victim: each is one test, or (when no single test is enough) a
 * 1-minimal set that pollutes only together.
 * Invariant: `[...prefix, victim]` showed the failure (implied by the batch run, since tests
 * after V cannot change V's result; verification re-checks every answer).
 * Cost: halving over the m tests before V: 2·⌈log2 m⌉ probes per polluter, ddmin when
 * polluters are needed together.
 */
export async function findPolluters(prefix: readonly TestId[], victim: TestId, fails: FailsPredicate): Promise<TestId[][]> {
  return narrowToCauses(prefix, (candidates) => fails([...candidates, victim]));
}
