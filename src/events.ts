// Progress is events: the pipeline emits, the console renderer, journal and report builder
// listen. Nothing here prints.
import type { BisectEvent } from './bisect/hunt.js';
import type { MemoryBackend } from './execute/types.js';
import type { Plan, TestId } from './plan/types.js';
import type { RunKind, RunRecord } from './report/model.js';
import type { RunnerName } from './runners/types.js';

export type HuntEvent =
  | {
      readonly type: 'hunt-started';
      readonly plan: Plan;
      readonly runner: RunnerName;
      readonly projectDir: string;
      readonly backend: MemoryBackend;
      readonly warnings: readonly string[];
    }
  | {
      readonly type: 'run-started';
      readonly runId: string;
      readonly kind: RunKind;
      readonly batchIndex: number;
      readonly tests: readonly TestId[];
      /** Set when this run has its own, longer time budget (a hang's confirmation, classify/hang.ts). */
      readonly timeoutMs?: number;
      /** Set when that budget is counted on the lone test's own time, from its start record (a probe is attached). */
      readonly testTimeoutMs?: number;
    }
  | { readonly type: 'run-finished'; readonly record: RunRecord }
  | { readonly type: 'bisect'; readonly event: BisectEvent }
  | { readonly type: 'hunt-interrupted'; readonly reason: 'interrupted' | 'max-runs' };

export type Emit = (event: HuntEvent) => void;
