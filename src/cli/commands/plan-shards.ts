// `leakhunt plan --shards N`: how the plan splits over N CI jobs. `--format github-matrix`
// prints the matrix on one line for `$GITHUB_OUTPUT` (stdout only, so `| jq` works).
import { UsageError } from '../../errors.js';
import { assignShards, batchDurationsOf, formatShard, githubMatrix } from '../../plan/shards.js';
import type { Plan } from '../../plan/types.js';
import { loadReport } from '../../report/load.js';
import { positiveInteger } from '../normalize.js';

export async function formatShards(
  plan: Plan,
  flags: { shards?: number; durationsFrom?: string },
  format: 'text' | 'json' | 'github-matrix',
): Promise<string> {
  if (flags.shards === undefined)
    throw new UsageError('--format github-matrix needs --shards N', 'e.g. leakhunt plan tests.txt --shards 4 --format github-matrix');
  const count = positiveInteger('--shards', flags.shards);
  if (format === 'github-matrix') return `${JSON.stringify(githubMatrix(count))}\n`;
  const durations = flags.durationsFrom === undefined ? undefined : batchDurationsOf((await loadReport(flags.durationsFrom)).runs);
  const shards = assignShards(plan, count, durations).map((batches, i) => ({ shard: formatShard({ index: i + 1, count }), batches }));
  if (format === 'json') return `${JSON.stringify({ shards }, null, 2)}\n`;
  const balance = durations === undefined ? 'balanced by batch count' : `balanced by the durations in ${flags.durationsFrom}`;
  const lines = shards.map(
    ({ shard, batches }) => `shard ${shard}: ${batches.length === 0 ? 'no batches' : `batches ${batches.join(', ')}`}`,
  );
  return `${plan.batches.length} batches over ${count} shards, ${balance}\n${lines.join('\n')}\n`;
}
