// Everything a hunt needs to know, already validated and normalised by cli/ (sizes in
// bytes, durations in ms). Past cli/, nobody sees "1.5GiB".
import type { BackendRequest } from '../execute/backend.js';
import type { Budget } from '../execute/types.js';
import type { ShardSpec } from '../plan/shards.js';
import type { RunnerName } from '../runners/types.js';

export const CHASE_OUTCOMES = ['any', 'over-memory', 'timeout', 'failed', 'crashed'] as const;
export type ChaseOutcome = (typeof CHASE_OUTCOMES)[number];

export interface HuntConfig {
  readonly selectionFile: string;
  /** Directory selection entries are relative to; default: the selection file's directory. */
  readonly root: string | undefined;
  readonly allowMissing: boolean;
  /** undefined: detect from the project. */
  readonly runner: RunnerName | undefined;
  /** generic runner's command template, e.g. "node t.js {tests}". */
  readonly cmd: string | undefined;
  /** Where the runner runs; undefined: found from the selected files. */
  readonly projectDir: string | undefined;
  /** pytest's interpreter (--python, absolute when a path); undefined: resolved by the preset. */
  readonly python?: string;
  /** Extra runner arguments before the tests (--runner-arg, repeatable). */
  readonly runnerArgs?: readonly string[];
  readonly batchSize: number | undefined;
  /**
   * Survey mode (no --batch-size, or --batch-size auto): the selection runs in one process
   * (one per shard when sharded), as in CI; each death's records name the test to confirm alone, and the
   * tests after it continue in a new process (src/plan/survey.ts, src/bisect/survey.ts). Default false.
   */
  readonly survey?: boolean;
  readonly batches: number | undefined;
  readonly seed: number | undefined;
  readonly budget: Budget;
  readonly backend: BackendRequest;
  readonly sampleIntervalMs: number | undefined;
  /** Reports, logs and runner results go here (default .leakhunt/). */
  readonly outDir: string;
  /** A run's log keeps its head and tail within this (`--log-limit`); default 4 MiB (execute/log-cap.ts). */
  readonly logLimitBytes?: number;
  readonly bisect: boolean;
  readonly repeat: number;
  /** Cap on bisection runs per failing batch. */
  readonly maxRuns: number;
  /** Which failures to narrow: 'any', or one outcome (`leakhunt bisect --outcome`). */
  readonly chase: ChaseOutcome;
  /** Per-test probe in every pytest/jest run (--probe, default true; --no-probe turns it off). */
  readonly probe?: boolean;
  /** pytest probe also records the allocation sites that grew (--tracemalloc; slow; default false). */
  readonly tracemalloc?: boolean;
  /** Run only this shard's batches (`--shard i/N`); undefined: the whole plan. */
  readonly shard?: ShardSpec;
  /** An earlier report whose batch durations balance the shards (`--durations-from`). */
  readonly durationsFrom?: string;
  /** Reuse the finished runs recorded in <outDir>/journal.jsonl (`--resume`). Default false. */
  readonly resume?: boolean;
  /** Batches run at once (`--jobs`). Default 1. */
  readonly jobs?: number;
  /** Sum of running batches' memory budgets may not exceed this (`--total-memory`). Default: no limit. */
  readonly totalMemoryBytes?: number;
  /** leakhunt's own argv, for the report. */
  readonly argv: readonly string[];
}
