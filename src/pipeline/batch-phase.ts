// Phase 1 of a hunt: every planned batch once, under the budget. One at a time by default;
// with --jobs N several at once, admitted by execute/schedule.ts so the sum of the running batches'
// reservations (their budgets, or measured peaks from an earlier hunt) stays within --total-memory. Records reach the report as they finish; the
// report sorts runs by batch, so completion order never shows.
import { join } from 'node:path';
import { EnvironmentError, ExitCode } from '../errors.js';
import { runScheduled, type ScheduleLimits, validateSchedule } from '../execute/schedule.js';
import { batchRunId } from '../plan/run-ids.js';
import type { Batch, Plan } from '../plan/types.js';
import type { ReportBuilder } from '../report/build.js';
import type { RunRecord } from '../report/model.js';
import type { PartialReportWriter } from '../report/writer.js';
import { type RunContext, runTests } from './run-tests.js';

/** One batch at a time, no memory total: the default. */
export const SEQUENTIAL: ScheduleLimits = { jobs: 1, totalMemoryBytes: Number.POSITIVE_INFINITY };

export async function runBatches(
  ctx: RunContext,
  plan: Plan,
  builder: ReportBuilder,
  writer: PartialReportWriter,
  limits: ScheduleLimits = SEQUENTIAL,
  /** What a batch holds of --total-memory while it runs (plan/reserve.ts); default its budget. */
  reserveOf: (tests: Batch['tests']) => number = () => ctx.budget.memoryBytes,
): Promise<void> {
  validateSchedule(limits, ctx.budget.memoryBytes);
  let cannotStart: { batch: Batch; record: RunRecord } | undefined;
  await runScheduled(
    plan.batches,
    limits,
    (batch) => reserveOf(batch.tests),
    async (batch) => {
      // After a command that cannot start, or Ctrl-C, queued batches are not started.
      if (ctx.abort.aborted || cannotStart !== undefined) return;
      const record = await runTests(ctx, { runId: batchRunId(batch), kind: 'batch', batchIndex: batch.index, tests: batch.tests });
      builder.addRun(record);
      await writer.maybeWrite();
      if (isSpawnFailure(record)) cannotStart ??= { batch, record };
    },
  );
  // A command that cannot start at all fails every batch the same way: stop, say so (exit 3).
  if (cannotStart !== undefined) {
    const { batch, record } = cannotStart;
    await writer.write('interrupted', ExitCode.Environment);
    throw new EnvironmentError(
      `batch ${batch.index} ${record.verdict.because}`,
      `check the runner command; its log: ${join(ctx.outDir, record.logPath)}`,
    );
  }
}

function isSpawnFailure(record: RunRecord): boolean {
  return record.verdict.outcome === 'error' && record.evidence.exitCode === undefined && record.evidence.signal === undefined;
}
