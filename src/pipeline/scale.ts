// What a hunt does differently at scale: run only its shard of the plan (`--shard i/N`,
// balanced by `--durations-from`), run batches side by side (`--jobs`, `--total-memory`),
// and answer finished runs from the journal (`--resume`). hunt.ts calls these; each returns
// data for it, none of them runs a test.
import type { ProcessExecutor } from '../execute/types.js';
import { journaledExecutor, type JournaledExecutor } from '../journal/executor.js';
import { RunJournal } from '../journal/journal.js';
import { batchDurationsOf, planFingerprint, shardPlan } from '../plan/shards.js';
import type { Plan } from '../plan/types.js';
import type { ShardInfo } from '../report/model.js';
import type { HuntConfig } from './config.js';
import type { ScheduleLimits } from './schedule.js';

export interface ScaledPlan {
  /** The batches this hunt runs (all of them, or its shard's), with the full plan's indices. */
  readonly plan: Plan;
  readonly fingerprint: string;
  readonly shard: ShardInfo | undefined;
}

export async function planForThisHunt(fullPlan: Plan, config: HuntConfig): Promise<ScaledPlan> {
  const fingerprint = planFingerprint(fullPlan.batches);
  if (config.shard === undefined) return { plan: fullPlan, fingerprint, shard: undefined };
  // The report loader carries a JSON-schema validator: loaded only when a report is read.
  const durations = config.durationsFrom === undefined ? undefined : batchDurationsOf((await (await import('../report/load.js')).loadReport(config.durationsFrom)).runs);
  const plan = shardPlan(fullPlan, config.shard, durations);
  return { plan, fingerprint, shard: { ...config.shard, planBatchCount: fullPlan.batches.length, planFingerprint: fingerprint } };
}

export function scheduleLimitsOf(config: HuntConfig): ScheduleLimits {
  return { jobs: config.jobs ?? 1, totalMemoryBytes: config.totalMemoryBytes ?? Number.POSITIVE_INFINITY };
}

export async function openJournaledExecutor(
  inner: ProcessExecutor,
  config: HuntConfig,
  fingerprint: string,
  now: () => Date,
): Promise<{ executor: JournaledExecutor; notice: string | undefined }> {
  const journal = await RunJournal.open({ outDir: config.outDir, resume: config.resume ?? false, planFingerprint: fingerprint, selectionFile: config.selectionFile, now });
  return { executor: journaledExecutor(inner, journal, { outDir: config.outDir, planFingerprint: fingerprint, now }), notice: journal.notice };
}
