// Polluter → victim: a test V that fails in the batch but passes alone was broken by state a
// test before it left behind. Only the tests that ran before V can be to blame, and V must run
// last in every trial: `[candidates…, V]`, in batch order. It decides where V sits in the
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
 * Strategy: one-sided halving first, as detect-test-pollution does: a lone polluter is in the
 * half that still fails with V, so one trial per level ([first half, V]: fails → keep it,
 * passes → the polluter is in the other half, not run). An inferred answer is run once
 * ([p, V]) before it counts; then the rest without p, with V, says whether another polluter
 * is left (one run). What one-sided halving cannot settle (polluters needed together, a
 * cleaner between polluter and victim) falls back to halving both halves and ddmin
 * (narrow.ts) over the smallest list seen failing.
 * Cost: a lone polluter among m tests: ⌈log2 m⌉ trials, +1 when the answer was inferred,
 * +1 for the rest; two-sided halving needed 2·⌈log2 m⌉.
 */
export async function findPolluters(prefix: readonly TestId[], victim: TestId, fails: FailsPredicate): Promise<TestId[][]> {
  const withVictim: FailsPredicate = (candidates) => fails([...candidates, victim]);
  const found: TestId[][] = [];
  let rest: readonly TestId[] = prefix;
  // `rest` showed the failure with V: the batch for the whole prefix, the check below after.
  while (rest.length > 0) {
    const halved = await halveOneSided(rest, withVictim);
    const causes = halved.polluter !== undefined ? [[halved.polluter]] : await narrowToCauses(halved.lastFailing, withVictim);
    if (causes.length === 0) break;
    found.push(...causes);
    const named = new Set(causes.flat());
    rest = rest.filter((test) => !named.has(test));
    if (rest.length === 0 || !(await withVictim(rest))) break;
  }
  const position = new Map(prefix.map((test, index) => [test, index]));
  return found.sort((a, b) => (position.get(a[0] ?? '') ?? 0) - (position.get(b[0] ?? '') ?? 0));
}

interface OneSided {
  /** The lone polluter, seen failing with V on a trial of its own; undefined when none was shown. */
  readonly polluter: TestId | undefined;
  /** The smallest list that failed with V on a trial (or by the caller's invariant). */
  readonly lastFailing: readonly TestId[];
}

async function halveOneSided(suspects: readonly TestId[], fails: FailsPredicate): Promise<OneSided> {
  let current = suspects;
  let lastFailing = suspects;
  while (current.length > 1) {
    const first = current.slice(0, Math.ceil(current.length / 2));
    if (await fails(first)) {
      current = first;
      lastFailing = first;
    } else {
      current = current.slice(first.length);
    }
  }
  const [only] = current;
  if (only === undefined) return { polluter: undefined, lastFailing };
  // Inferred from its sibling passing: run it. Failing here, it is a lone polluter; passing,
  // the polluters are needed together (or a cleaner hid one): the two-sided search decides.
  if (lastFailing !== current && !(await fails(current))) return { polluter: undefined, lastFailing };
  return { polluter: only, lastFailing: current };
}
