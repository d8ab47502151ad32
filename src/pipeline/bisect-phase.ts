// Phase 2 of a hunt: narrow every failing batch to its culprit(s). Every probe is a real run,
// recorded in the report like a batch.
import { huntBatch } from '../bisect/hunt.js';
import type { BatchHunt, Executor } from '../bisect/types.js';
import { isHuntable } from '../classify/signature.js';
import type { Batch, Plan } from '../plan/types.js';
import type { ReportBuilder } from '../report/build.js';
import type { Signature } from '../classify/signature.js';
import type { ChaseOutcome, HuntConfig } from './config.js';
import { reportFinding } from './findings.js';
import { batchRunId, toProbe } from './ids.js';
import type { PartialReportWriter } from './report-writer.js';
import { runTests, type RunContext } from './run-tests.js';

/** Returns true when some hunt stopped at --max-runs. */
export async function bisectFailures(
  ctx: RunContext,
  plan: Plan,
  config: HuntConfig,
  builder: ReportBuilder,
  writer: PartialReportWriter,
  cwd: string,
): Promise<boolean> {
  let stoppedByMaxRuns = false;
  for (const batch of plan.batches) {
    const original = builder.batchRun(batch.index);
    if (ctx.abort.aborted || original === undefined || !isHuntable(original.verdict)) continue;
    const hunts: BatchHunt[] = await huntBatch(
      batch.index,
      batch.tests,
      toProbe(original),
      probeExecutor(ctx, builder, batch),
      { repeat: config.repeat, maxRuns: config.maxRuns, abort: ctx.abort, chase: chaseFilter(config.chase) },
      (event) => ctx.emit({ type: 'bisect', event }),
    );
    const findings = hunts.flatMap((hunt) => hunt.findings).map((finding) => reportFinding(finding, ctx.preset, ctx.projectDir, cwd, config.budget));
    builder.addHunts(batch.index, hunts, findings);
    stoppedByMaxRuns ||= hunts.some((hunt) => hunt.stopped === 'max-runs');
    await writer.maybeWrite();
  }
  return stoppedByMaxRuns;
}

// --outcome over-memory also chases oom-killed: the same memory death, whoever enforced it.
function chaseFilter(chase: ChaseOutcome): ((signature: Signature) => boolean) | undefined {
  if (chase === 'any') return undefined;
  return (signature) => signature.outcome === chase || (chase === 'over-memory' && signature.outcome === 'oom-killed');
}

// The first re-run of the whole batch is its confirmation; every other run is a probe.
function probeExecutor(ctx: RunContext, builder: ReportBuilder, batch: Batch): Executor {
  let count = 0;
  return {
    async run(tests) {
      count += 1;
      const isWholeBatch = tests.length === batch.tests.length && tests.every((test, i) => test === batch.tests[i]);
      const runId = `${batchRunId(batch)}-p${String(count).padStart(2, '0')}`;
      const record = await runTests(ctx, { runId, kind: isWholeBatch ? 'confirm' : 'probe', batchIndex: batch.index, tests });
      builder.addRun(record);
      return toProbe(record);
    },
  };
}
