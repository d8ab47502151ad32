// How survey mode plans the selection (docs/how-it-works.md, "Survey mode"); what a survey
// does when a run dies is bisect/survey.ts.

/**
 * How a survey splits the selection: not at all. The selection runs in ONE process, in its
 * order, as the CI run it reproduces did: a registry that several files feed crosses the budget
 * only when they share a process, and a polluter reaches its victims only in the same process.
 * --jobs does not split it (parallelism goes to independent runs, not to cutting the one CI
 * process in pieces). Only sharding, which the user asks for, cuts it: one process per shard,
 * since every shard must compute the same plan whatever its machine; what crosses shards is
 * out of view, and the hunt says so (surveyShardNotice).
 */
export function surveyPlanOptions<
  T extends {
    readonly batchSize: number | undefined;
    readonly batches: number | undefined;
    readonly seed: number | undefined;
    readonly survey?: boolean;
  },
>(
  options: T,
  testCount: number,
  scale: { readonly shardCount: number | undefined },
): { batchSize: number | undefined; batches: number | undefined; seed: number | undefined } {
  if (options.survey !== true) return { batchSize: options.batchSize, batches: options.batches, seed: options.seed };
  return { batchSize: undefined, batches: surveySegments(testCount, scale), seed: options.seed };
}

export function surveySegments(testCount: number, options: { readonly shardCount: number | undefined }): number {
  return Math.max(1, Math.min(testCount, options.shardCount ?? 1));
}

/** Said before a sharded survey runs: the one-process view is cut at the shard boundaries. */
export function surveyShardNotice(shardCount: number | undefined): string | undefined {
  if (shardCount === undefined || shardCount <= 1) return undefined;
  return `survey split in ${shardCount} shards, one process each: memory kept and state leaked across shards (an accumulator fed from several shards, a polluter and a victim in different shards) are out of view; run without sharding to see the whole selection in one process`;
}
