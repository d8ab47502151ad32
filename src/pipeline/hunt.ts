// selection → plan → execute → classify → bisect → report. Returns the Report and prints
// nothing: progress leaves as events, the CLI decides what people see.
import { copyFile, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EnvironmentError, ExitCode } from '../errors.js';
import type { Emit } from '../events.js';
import { createProcessExecutor } from '../execute/executor.js';
import { checkRunnerFloor } from '../execute/floor.js';
import { validateSchedule } from '../execute/schedule.js';
import { makeOutDir } from '../journal/out-dir.js';
import { lockOutDir } from '../journal/out-lock.js';
import { fitArgumentLimit } from '../plan/arg-limit.js';
import { planBatches } from '../plan/batches.js';
import { batchRunId } from '../plan/run-ids.js';
import { surveyPlanOptions, surveyShardNotice } from '../plan/survey.js';
import type { Plan } from '../plan/types.js';
import { createHuntProbes, probeFilesOf, runnerVersionFromProbe } from '../probe/hunt-probes.js';
import { HuntReportBuilder } from '../report/hunt-report.js';
import type { Report, ReportStatus } from '../report/model.js';
import { PartialReportWriter } from '../report/writer.js';
import { createRunner } from '../runners/index.js';
import { KEEP_ORDER_SEQUENCER, KEEP_ORDER_SEQUENCER_FILE } from '../runners/jest.js';
import { resolveTests } from '../runners/resolve.js';
import { loadSelection } from '../selection/load.js';
import { userCacheDir } from '../util/user-cache.js';
import { runBatches } from './batch-phase.js';
import { bisectFailures, narrowBatch } from './bisect-phase.js';
import type { HuntConfig } from './config.js';
import type { RunContext } from './run-tests.js';
import {
  checkDurationsFrom,
  describeEstimate,
  describeUsed,
  estimateThisHunt,
  openJournaledExecutor,
  planForThisHunt,
  reservationsForThisHunt,
  scheduleLimitsOf,
} from './scale.js';
import { surveyBatch } from './survey-phase.js';

export interface HuntWorld {
  readonly emit: Emit;
  /** Fires on Ctrl-C: the running batch is killed, the partial report written. */
  readonly abort: AbortSignal;
  readonly now: () => Date;
  readonly cwd: string;
  readonly toolVersion: string;
  /** One line for people that is not an event (journal resumed or set aside). Default: dropped. */
  readonly notice?: (text: string) => void;
}

export const REPORT_FILE = 'leakhunt-report.json';

export async function runHunt(config: HuntConfig, world: HuntWorld): Promise<Report> {
  const selection = await loadSelection(config.selectionFile, { root: config.root, allowMissing: config.allowMissing });
  const resolved = await resolveTests(selection, config);
  const preset = createRunner(resolved.runner, {
    projectDir: resolved.projectDir,
    cmd: config.cmd,
    python: config.python,
    runnerArgs: config.runnerArgs,
    // Absolute: jest's repro names it relative to the project, the user may have given --out relative to their cwd.
    reproSequencer: resolve(config.outDir, KEEP_ORDER_SEQUENCER_FILE),
    cacheRoot: userCacheDir(),
  });
  const fitted = fitArgumentLimit(
    planBatches(resolved.tests, surveyPlanOptions(config, resolved.tests.length, { shardCount: config.shard?.count })),
  );
  const fullPlan = fitted.plan;
  const { plan, fingerprint, shard } = await planForThisHunt(fullPlan, config);
  const limits = scheduleLimitsOf(config);
  validateSchedule(limits, config.budget.memoryBytes);
  const executor = await createProcessExecutor({ backend: config.backend, sampleIntervalMs: config.sampleIntervalMs });

  await checkDurationsFrom(config);
  await makeOutDir(config.outDir);
  // Before anything is written there: a second hunt into this --out stops here with exit 2.
  const lock = await lockOutDir(config.outDir, (why) => world.notice?.(`warning: ${why}`));
  if (lock.takenOver !== undefined) world.notice?.(lock.takenOver);
  // jest repro lines of several files name this copy: a file beside the report, not leakhunt's install.
  if (resolved.runner === 'jest') await copyFile(KEEP_ORDER_SEQUENCER, join(config.outDir, KEEP_ORDER_SEQUENCER_FILE));
  if (fitted.notice !== undefined) world.notice?.(fitted.notice);
  const shardNotice = config.survey === true ? surveyShardNotice(config.shard?.count) : undefined;
  if (shardNotice !== undefined) world.notice?.(`note: ${shardNotice}`);
  try {
    return await huntInLockedOutDir(config, world, { plan, fingerprint, shard, limits, executor, selection, resolved, preset });
  } finally {
    await lock.release();
  }
}

interface Prepared {
  readonly plan: Awaited<ReturnType<typeof planForThisHunt>>['plan'];
  readonly fingerprint: string;
  readonly shard: Awaited<ReturnType<typeof planForThisHunt>>['shard'];
  readonly limits: ReturnType<typeof scheduleLimitsOf>;
  readonly executor: Awaited<ReturnType<typeof createProcessExecutor>>;
  readonly selection: Awaited<ReturnType<typeof loadSelection>>;
  readonly resolved: Awaited<ReturnType<typeof resolveTests>>;
  readonly preset: ReturnType<typeof createRunner>;
}

async function huntInLockedOutDir(config: HuntConfig, world: HuntWorld, prepared: Prepared): Promise<Report> {
  const { plan, fingerprint, shard, limits, executor, selection, resolved, preset } = prepared;
  // Before the first start: every run (the floor's too) then starts what the preset learned once.
  await preset.prepare?.();
  // Before anything is written or run: a budget the empty runner does not fit is a usage error.
  await checkRunnerFloor({
    preset,
    executor,
    projectDir: resolved.projectDir,
    outDir: config.outDir,
    budget: config.budget,
    abort: world.abort,
    backend: executor.backend,
    nowMs: () => world.now().getTime(),
  }).catch(async (error: unknown) => {
    await executor.close();
    throw error;
  });
  await keepPreviousReport(config.outDir);
  const estimate = await estimateThisHunt(plan, config, join(config.outDir, PREVIOUS_REPORT_FILE));
  const reserveOf = await reservationsForThisHunt(config, join(config.outDir, PREVIOUS_REPORT_FILE));
  const probed = config.probe !== false && resolved.runner !== 'generic';
  world.notice?.(describeEstimate(estimate, plan.batches.length, config.survey === true, config.budget.timeoutMs, probed));
  const journaled = await openJournaledExecutor(executor, config, fingerprint, world.now);
  if (journaled.notice !== undefined) world.notice?.(journaled.notice);
  const builder = new HuntReportBuilder(
    {
      toolVersion: world.toolVersion,
      startedAt: world.now(),
      argv: config.argv,
      cwd: world.cwd,
      selection: { file: config.selectionFile, root: selection.root, testCount: resolved.tests.length, warnings: selection.warnings },
      runner: { name: resolved.runner, version: undefined, projectDir: resolved.projectDir },
      budget: config.budget,
      backend: executor.backend,
      backendReason: executor.backendReason,
      plan,
    },
    shard,
    {
      survey: config.survey === true,
      estimate: {
        runs: estimate.runs,
        ...(estimate.wallMs !== undefined && { wallMs: estimate.wallMs }),
        ...(estimate.source !== undefined && { source: estimate.source }),
      },
    },
  );
  const writer = new PartialReportWriter(join(config.outDir, REPORT_FILE), builder, world.now);
  const ctx: RunContext = {
    preset,
    executor: journaled.executor,
    projectDir: resolved.projectDir,
    frame: resolved.frame,
    outDir: config.outDir,
    budget: config.budget,
    ...(config.logLimitBytes !== undefined && { logLimitBytes: config.logLimitBytes }),
    emit: world.emit,
    abort: world.abort,
    now: world.now,
    probes: createHuntProbes(resolved.runner, {
      enabled: config.probe ?? true,
      tracemalloc: config.tracemalloc ?? false,
      projectDir: resolved.projectDir,
      userEnv: process.env,
    }),
  };
  world.emit({
    type: 'hunt-started',
    plan,
    runner: resolved.runner,
    projectDir: resolved.projectDir,
    backend: executor.backend,
    warnings: selection.warnings,
  });

  // `pytest --version` costs ~0.3 s of CPU beside the first batch: the pytest probe writes the
  // version in every run's probe file, so it is asked only when runs go without the probe.
  const versionFromProbe = ctx.probes?.runner === 'pytest';
  const runnerVersion = versionFromProbe
    ? Promise.resolve()
    : preset.version().then(
        (version) => builder.setRunnerVersion(version),
        () => undefined,
      );
  let stoppedByMaxRuns = false;
  try {
    await runBatches(ctx, plan, builder, writer, limits, reserveOf);
    await runnerVersion;
    if (versionFromProbe)
      builder.setRunnerVersion((await versionOfProbedRuns(ctx, plan)) ?? (await preset.version().catch(() => undefined)));
    if (config.bisect)
      stoppedByMaxRuns = await bisectFailures(
        ctx,
        plan,
        config,
        builder,
        writer,
        world.cwd,
        limits,
        config.survey === true ? surveyBatch : narrowBatch,
      );
  } catch (error) {
    // What was learned stays on disk, whatever went wrong after it (a runner that cannot
    // start wrote its own partial report, with its exit code).
    if (!(error instanceof EnvironmentError)) await writer.write('interrupted', ExitCode.Interrupted).catch(() => undefined);
    throw error;
  } finally {
    await executor.close();
    if (config.resume === true)
      world.notice?.(`--resume: ${journaled.executor.replayedCount()} finished run(s) taken from the journal, not run again`);
  }
  const status: ReportStatus = world.abort.aborted ? 'interrupted' : stoppedByMaxRuns ? 'max-runs' : 'complete';
  if (status !== 'complete') world.emit({ type: 'hunt-interrupted', reason: status === 'interrupted' ? 'interrupted' : 'max-runs' });
  const exitCode = status === 'interrupted' ? ExitCode.Interrupted : builder.hasFailures() ? ExitCode.CulpritsFound : ExitCode.Clean;
  const report = builder.build(status, exitCode, world.now());
  await writer.writeFinal(report);
  world.notice?.(describeUsed(report.runs.length, report.durationMs, estimate));
  return report;
}

async function versionOfProbedRuns(ctx: RunContext, plan: Plan): Promise<string | undefined> {
  for (const batch of plan.batches.slice(0, 3)) {
    const version = await runnerVersionFromProbe(probeFilesOf(ctx.outDir, batchRunId(batch)).probeFile);
    if (version !== undefined) return version;
  }
  return undefined;
}

const PREVIOUS_REPORT_FILE = 'leakhunt-report.previous.json';

// The report of the previous hunt stays beside the new one (nightly baseline, comparison).
// Copied, not moved: leakhunt-report.json stays whole until the new hunt's first (atomic)
// write replaces it, so a hunt that dies at once leaves the last report where it was.
async function keepPreviousReport(outDir: string): Promise<void> {
  const previous = join(outDir, PREVIOUS_REPORT_FILE);
  const copying = `${previous}.${process.pid}.tmp`;
  const copied = await copyFile(join(outDir, REPORT_FILE), copying).then(
    () => true,
    () => false,
  );
  if (copied) await rename(copying, previous);
}
