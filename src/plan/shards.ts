// Which batches a shard runs (`leakhunt run --shard i/N`) and the matrix a CI plan job prints
// (`leakhunt plan --shards N --format github-matrix`). Decides assignment only; running and
// merging are elsewhere. Every shard computes the same assignment from the same plan, so no
// shard depends on another, and batch indices stay those of the full plan.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Batch, Plan } from './types.js';

/** 1-based: shard 2 of 4 is { index: 2, count: 4 }. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
  /** `--shard auto`: which CI variables said so (ci-shard.ts); absent when given as i/N. */
  readonly source?: string;
}

/** Expected duration of a batch, keyed by its ordered tests (see batchDurationKey). */
export type BatchDurations = ReadonlyMap<string, number>;

const SHARD_PATTERN = /^(\d+)\s*\/\s*(\d+)$/;

/** "2/4" → { index: 2, count: 4 }; anything else is a UsageError naming the value. */
export function parseShard(text: string): ShardSpec {
  const match = SHARD_PATTERN.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || index < 1 || count < 1 || index > count) {
    throw new UsageError(`--shard "${text}" is not a shard`, 'write it as i/N with 1 ≤ i ≤ N, e.g. --shard 2/4');
  }
  return { index, count };
}

export function formatShard(shard: ShardSpec): string {
  return `${shard.index}/${shard.count}`;
}

/** The key a batch's recorded duration is found under: its tests in order. */
export function batchDurationKey(tests: readonly string[]): string {
  return tests.join('\n');
}

/**
 * Batch indices per shard (shards[0] is shard 1), each list ascending.
 * Greedy longest-processing-time: the longest batch goes to the least-loaded shard. Batches
 * without a recorded duration weigh the mean of the recorded ones (1 when none is known),
 * so without durations this deals batches round-robin: balanced by count.
 * Ties break on batch index and shard number, never on anything random.
 */
export function assignShards(plan: Plan, count: number, durations?: BatchDurations): number[][] {
  const weights = batchWeights(plan.batches, durations);
  const order = [...plan.batches].sort((a, b) => (weights.get(b.index) ?? 0) - (weights.get(a.index) ?? 0) || a.index - b.index);
  const loads = Array.from({ length: count }, () => ({ weight: 0, batches: [] as number[] }));
  for (const batch of order) {
    let target = 0;
    for (let shard = 1; shard < count; shard++) {
      const candidate = loads[shard]!;
      const best = loads[target]!;
      if (candidate.weight < best.weight || (candidate.weight === best.weight && candidate.batches.length < best.batches.length))
        target = shard;
    }
    loads[target]!.weight += weights.get(batch.index) ?? 0;
    loads[target]!.batches.push(batch.index);
  }
  return loads.map((load) => load.batches.sort((a, b) => a - b));
}

function batchWeights(batches: readonly Batch[], durations: BatchDurations | undefined): Map<number, number> {
  const known = batches
    .map((batch) => durations?.get(batchDurationKey(batch.tests)))
    .filter((ms): ms is number => ms !== undefined && ms >= 0);
  const fallback = known.length === 0 ? 1 : known.reduce((sum, ms) => sum + ms, 0) / known.length;
  return new Map(batches.map((batch) => [batch.index, durations?.get(batchDurationKey(batch.tests)) ?? fallback]));
}

/** The shard's part of the plan: the same batches, same indices, nothing renumbered. */
export function shardPlan(plan: Plan, shard: ShardSpec, durations?: BatchDurations): Plan {
  const mine = new Set(assignShards(plan, shard.count, durations)[shard.index - 1]);
  return { ...plan, batches: plan.batches.filter((batch) => mine.has(batch.index)) };
}

/** What `strategy.matrix` takes: `matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}`. */
export function githubMatrix(count: number): { include: { shard: string }[] } {
  return { include: Array.from({ length: count }, (_, i) => ({ shard: formatShard({ index: i + 1, count }) })) };
}

/** Identifies a plan (batches and their ordered tests): shards and journals of one plan share it. */
export function planFingerprint(batches: readonly Batch[]): string {
  const text = JSON.stringify(batches.map((batch) => [batch.index, batch.tests]));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Durations of the planned batch runs of an earlier report (`--durations-from old.json`). */
export function batchDurationsOf(
  runs: readonly { readonly kind: string; readonly tests: readonly string[]; readonly evidence: { readonly durationMs: number } }[],
): BatchDurations {
  const durations = new Map<string, number>();
  for (const run of runs) if (run.kind === 'batch') durations.set(batchDurationKey(run.tests), run.evidence.durationMs);
  return durations;
}
