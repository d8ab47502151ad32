// The result cache of a hunt: an ordered list of tests that has run once is never run again
// to answer the same question. It decides nothing about failures; it only remembers every
// result per ordered list and counts the executions it really made.
//
// Fresh evidence (confirmation, repeats, verification) goes through `rerun`, which always
// executes and is remembered too, so later trials of the same list can reuse it.

import type { TestId } from '../plan/types.js';
import type { Executor, RunOptions, TrialResult } from './types.js';

export interface CachingExecutor extends Executor {
  /** The first remembered result for this list, or a real execution when there is none. */
  run(tests: readonly TestId[]): Promise<TrialResult>;
  /** Always executes, even when the list was seen: repeats and verification need new runs. */
  rerun(tests: readonly TestId[], options?: RunOptions): Promise<TrialResult>;
  /** Every result remembered for this ordered list, oldest first. */
  known(tests: readonly TestId[]): readonly TrialResult[];
  /** Real executions made through this wrapper (cache hits are not executions). */
  readonly executions: number;
}

/**
 * Wraps `executor` with a cache keyed by the ordered list. Within one hunt the list alone is
 * the key; a caller sharing `store` across hunts puts the command and budgets in `keyNamespace`
 * so that two hunts under different budgets never share a verdict. Calls are expected one at
 * a time (a hunt is sequential), so two concurrent runs of one list would both execute.
 */
export function makeCachingExecutor(executor: Executor, keyNamespace = '', store: Map<string, TrialResult[]> = new Map()): CachingExecutor {
  let executions = 0;
  const keyOf = (tests: readonly TestId[]): string => `${keyNamespace}\u0000${tests.join('\u0000')}`;
  const rerun = async (tests: readonly TestId[], options?: RunOptions): Promise<TrialResult> => {
    executions += 1;
    const result = options === undefined ? await executor.run(tests) : await executor.run(tests, options);
    const key = keyOf(tests);
    store.set(key, [...(store.get(key) ?? []), result]);
    return result;
  };
  // A collected run is a different question from a plain run of the same list: its own key.
  const runCollected = executor.runCollected?.bind(executor);
  return {
    ...(runCollected && {
      runCollected: async (collected: readonly TestId[], selected: readonly TestId[], options?: RunOptions): Promise<TrialResult> => {
        executions += 1;
        const result = options === undefined ? await runCollected(collected, selected) : await runCollected(collected, selected, options);
        const key = `${keyOf(collected)}\u0001collected\u0001${selected.join('\u0000')}`;
        store.set(key, [...(store.get(key) ?? []), result]);
        return result;
      },
    }),
    run: async (tests) => store.get(keyOf(tests))?.[0] ?? (await rerun(tests)),
    rerun,
    known: (tests) => store.get(keyOf(tests)) ?? [],
    get executions() {
      return executions;
    },
  };
}

/** True when `executor` already is a cache, so a hunt reuses it instead of wrapping it again. */
export function isCachingExecutor(executor: Executor): executor is CachingExecutor {
  const candidate = executor as Partial<CachingExecutor>;
  return typeof candidate.rerun === 'function' && typeof candidate.known === 'function';
}
