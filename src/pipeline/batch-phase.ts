// Phase 1 of a hunt: every planned batch once, in plan order, under the budget.
import { join } from 'node:path';
import { EnvironmentError, ExitCode } from '../errors.js';
import type { Plan } from '../plan/types.js';
import type { ReportBuilder } from '../report/build.js';
import { batchRunId } from './ids.js';
import type { PartialReportWriter } from './report-writer.js';
import { runTests, type RunContext } from './run-tests.js';

export async function runBatches(ctx: RunContext, plan: Plan, builder: ReportBuilder, writer: PartialReportWriter): Promise<void> {
  for (const batch of plan.batches) {
    if (ctx.abort.aborted) return;
    const record = await runTests(ctx, { runId: batchRunId(batch), kind: 'batch', batchIndex: batch.index, tests: batch.tests });
    builder.addRun(record);
    await writer.maybeWrite();
    // A command that cannot start at all fails every batch the same way: stop, say so (exit 3).
    if (record.verdict.outcome === 'error' && record.evidence.exitCode === undefined && record.evidence.signal === undefined) {
      await writer.write('interrupted', ExitCode.Environment);
      throw new EnvironmentError(`batch ${batch.index} ${record.verdict.because}`, `check the runner command; its log: ${join(ctx.outDir, record.logPath)}`);
    }
  }
}
