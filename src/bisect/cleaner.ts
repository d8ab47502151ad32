// Cleaners: a test that, run between a polluter and its victim, makes the victim pass (it
// resets the state the polluter left). Bisection meets one when a list holding the polluter
// before the victim passed although [polluter, victim] fails; the tests between them in that
// list hold the cleaner, and they are narrowed like polluters, with "passes" as the question.
// Nothing is run when no such list was seen: cleaners are reported, never hunted for.
import type { TestId } from '../plan/types.js';
import { narrowToCauses } from './narrow.js';
import type { Trials } from './trials.js';

/**
 * Invariant: [...polluters, victim] reproduced the failure in this hunt.
 * Cost: 0 runs when no passing list held the polluters before the victim; else halving over
 * the m tests between them: 2·⌈log2 m⌉ runs per cleaner.
 */
export async function findCleaners(trials: Trials, polluters: readonly TestId[], victim: TestId): Promise<TestId[]> {
  const between = betweenInShortestPassingList(trials, polluters, victim);
  if (between === undefined) return [];
  const cleans = async (tests: readonly TestId[]): Promise<boolean> => !(await trials.fails([...polluters, ...tests, victim]));
  const sets = await narrowToCauses(between, cleans);
  return sets.flat();
}

function betweenInShortestPassingList(trials: Trials, polluters: readonly TestId[], victim: TestId): TestId[] | undefined {
  let best: TestId[] | undefined;
  for (const trial of trials.looked) {
    const { tests } = trial;
    if (trials.matches(trial) || tests[tests.length - 1] !== victim) continue;
    const at = polluters.map((test) => tests.indexOf(test));
    if (at.some((index) => index < 0)) continue;
    const between = tests.slice(Math.max(...at) + 1, -1).filter((test) => !polluters.includes(test));
    if (between.length > 0 && (best === undefined || between.length < best.length)) best = between;
  }
  return best;
}
