// Phase 2 of a hunt: narrow every failing batch to its culprit(s). The batch's per-test
// records go first (bisect/attribution.ts: a hog or hang confirmed in one run, an accumulator
// and its smallest failing prefix); whatever they do not settle is bisected (huntBatch).
// Every trial is a real run, recorded in the report like a batch. With --jobs N the hunts of
// different batches run side by side, admitted like batches (execute/schedule.ts), each holding one
// batch budget of --total-memory; a hunt's independent trials (the parts of a split) take
// more slots of the same gate only when they are free and nobody waits for them.

import { type AttributedFinding, attributeBatch } from '../bisect/attribution.js';
import { huntBatch } from '../bisect/hunt.js';
import { mergePolluterFindings } from '../bisect/merge.js';
import { settleSetupFailure } from '../bisect/setup-failure.js';
import { foldSharedLoadDeaths } from '../bisect/shared-load.js';
import type { BatchHunt, Executor, Finding, RunOptions, TrialResult } from '../bisect/types.js';
import { hangConfirmationTimeoutMs } from '../classify/hang.js';
import { failureKey, isHuntable, type Signature } from '../classify/signature.js';
import { JobGate, runScheduled, type ScheduleLimits, TrialLanes } from '../execute/schedule.js';
import { followUpRunId } from '../plan/run-ids.js';
import type { Batch, Plan, TestId } from '../plan/types.js';
import { probeFilesOf } from '../probe/hunt-probes.js';
import { type GrowthSite, type PerTestRecord, readProbeSites } from '../probe/records.js';
import { budgetRepro } from '../report/budget-repro.js';
import type { ReportBuilder } from '../report/build.js';
import type { ReportedFinding, RunRecord } from '../report/model.js';
import { reportFinding } from '../report/repro.js';
import type { PartialReportWriter } from '../report/writer.js';
import { isJestTestName, runnableTests } from '../runners/runnable.js';
import { siteToUser } from '../selection/frame.js';
import type { ChaseOutcome, HuntConfig } from './config.js';
import type { Narrowed, RunCounter } from './narrowed.js';
import { narrowByPrefixes } from './prefix-fallback.js';
import { confirmRecordedFailures } from './recorded-failures.js';
import { batchRecords, type RunContext, readProbeRecords, runTests } from './run-tests.js';

export type { Narrowed, RunCounter } from './narrowed.js';
export { batchRecords } from './run-tests.js';

/**
 * How one failing (or passing) batch is narrowed: narrowBatch, or survey mode's surveyBatch.
 * hunt.ts chooses, so that survey-phase.ts, which builds on this file, is not imported by it
 * (no import cycle).
 */
export type BatchNarrower = (
  ctx: RunContext,
  config: HuntConfig,
  builder: ReportBuilder,
  batch: Batch,
  original: RunRecord,
  counter: RunCounter,
) => Promise<Narrowed>;

/** Returns true when some hunt stopped at --max-runs. */
export async function bisectFailures(
  ctx: RunContext,
  plan: Plan,
  config: HuntConfig,
  builder: ReportBuilder,
  writer: PartialReportWriter,
  cwd: string,
  limits: ScheduleLimits,
  narrow: BatchNarrower = narrowBatch,
): Promise<boolean> {
  const probeWarning = ctx.probes?.warning();
  if (probeWarning !== undefined) builder.addWarning(probeWarning);
  const worthNarrowing = (batch: Batch): boolean => {
    const original = builder.batchRun(batch.index);
    return original !== undefined && (isHuntable(original.verdict) || original.verdict.outcome === 'passed');
  };
  // One gate for the hunts and their extra trials: a hunt holds one slot, and runs more of its
  // independent trials at once only in slots nobody else waits for.
  const gate = new JobGate(limits);
  const stopped = await runScheduled(
    plan.batches.filter(worthNarrowing),
    limits,
    () => ctx.budget.memoryBytes,
    async (batch) => {
      const original = builder.batchRun(batch.index);
      if (ctx.abort.aborted || original === undefined) return false;
      const counter: RunCounter = { count: 0, lanes: new TrialLanes(gate, () => ctx.budget.memoryBytes, limits.jobs) };
      const { hunts, findings } = await narrow(ctx, config, builder, batch, original, counter);
      builder.addHunts(
        batch.index,
        hunts,
        findings.map((found) => toReported(found, ctx, config, cwd)),
      );
      await writer.maybeWrite();
      return hunts.some((hunt) => hunt.stopped === 'max-runs');
    },
    gate,
  );
  return stopped.includes(true);
}

/**
 * `counter` numbers the batch's runs; survey mode shares one across its narrowings. A run that
 * died with failures in its records has those confirmed first (recorded-failures.ts): a killed
 * pytest reports none itself.
 */
export async function narrowBatch(
  ctx: RunContext,
  config: HuntConfig,
  builder: ReportBuilder,
  batch: Batch,
  original: RunRecord,
  counter: RunCounter = { count: 0 },
): Promise<Narrowed> {
  const runs = new Map<string, RunRecord>([[original.runId, original]]);
  const executor = trialExecutor(ctx, builder, batch, runs, counter);
  const recorded = await confirmRecordedFailures(ctx, batch, original, executor, counter, config.maxRuns);
  const maxRuns = Math.max(0, config.maxRuns - recorded.hunts.length);
  // Every file failed before its first test with one shared error: one finding, not N `failing`.
  const setup = await settleSetupFailure(batch.index, original.tests, toTrial(original), executor, maxRuns);
  if (setup !== undefined)
    return { hunts: [...recorded.hunts, setup], findings: [...recorded.findings, ...setup.findings.map((finding) => ({ finding }))] };
  const rest = await narrowDeath(ctx, { ...config, maxRuns }, builder, batch, original, counter, runs, executor);
  return { hunts: [...recorded.hunts, ...rest.hunts], findings: [...recorded.findings, ...rest.findings] };
}

async function narrowDeath(
  ctx: RunContext,
  config: HuntConfig,
  builder: ReportBuilder,
  batch: Batch,
  original: RunRecord,
  counter: RunCounter,
  // Every run of this batch by runId: hang findings take their stack from these.
  runs: Map<string, RunRecord>,
  executor: Executor,
): Promise<Narrowed> {
  const wants = chaseFilter(config.chase) ?? ((): boolean => true);
  let attribution = await attributeBatch({
    batchIndex: batch.index,
    batchTests: batch.tests,
    original,
    records: await batchRecords(ctx, original),
    budget: config.budget,
    executor,
    maxRuns: config.maxRuns,
    wants,
    probeOf: (runId) => runProbe(ctx, runId),
    ...(counter.lanes !== undefined && { width: counter.lanes.width }),
    ...(ctx.probes && { stacks: { runner: ctx.probes.runner, projectDir: ctx.projectDir, toRunner: ctx.frame.toRunner } }),
  });
  if (!isHuntable(original.verdict)) return attribution;
  // The generic runner has no records: a memory death is searched by prefix runs first.
  const byPrefixes = attribution.hunts.length === 0 ? await narrowByPrefixes(ctx, config, batch, original, executor, wants) : undefined;
  if (byPrefixes !== undefined) attribution = byPrefixes;
  const runsLeft = Math.max(
    0,
    config.maxRuns - attribution.hunts.reduce((sum, hunt) => sum + hunt.runsUsed, 0) - (attribution.rest ? 1 : 0),
  );
  const settled = (signature: Signature): boolean => attribution.settled.some((done) => failureKey(done) === failureKey(signature));
  const named = attribution.findings.map(({ finding, ...rest }) => ({ ...rest, finding: withStack(finding, runs) }));
  // The rest ran with the probe too: when it died, its records name the next hog or hang the
  // same way (one run alone each), instead of halving it (~2·log2 n runs, ending at a file).
  const restRun = attribution.rest === undefined ? undefined : runs.get(attribution.rest.trial.runId);
  if (attribution.rest !== undefined && restRun !== undefined && isHuntable(restRun.verdict) && ctx.probes !== undefined) {
    const next = await narrowBatch(
      ctx,
      { ...config, maxRuns: runsLeft },
      builder,
      { index: batch.index, tests: attribution.rest.tests },
      restRun,
      counter,
    );
    return { hunts: [...attribution.hunts, ...next.hunts], findings: [...named, ...next.findings] };
  }
  // After a named culprit, what its entry hid is hunted in the rest (a second hog included);
  // otherwise the batch itself, minus the failures already settled.
  const [tests, start, chase] =
    attribution.rest === undefined
      ? [batch.tests, toTrial(original), (signature: Signature) => wants(signature) && !settled(signature)]
      : [attribution.rest.tests, attribution.rest.trial, wants];
  const hunts: BatchHunt[] = !isHuntable(start.verdict)
    ? []
    : await huntBatch(
        batch.index,
        tests,
        start,
        executor,
        {
          repeat: config.repeat,
          maxRuns: runsLeft,
          abort: ctx.abort,
          chase,
          hangTimeoutMs: hangConfirmationTimeoutMs(config.budget.timeoutMs),
          ...(counter.lanes !== undefined && { width: counter.lanes.width }),
          probed: ctx.probes !== undefined,
        },
        (event) => ctx.emit({ type: 'bisect', event }),
      );
  // One finding per polluter, listing its victims (each victim was its own hunt).
  const merged = mergePolluterFindings(hunts.flatMap((hunt) => hunt.findings));
  const folded = foldSharedLoadDeaths(merged, runs, original, batch.tests, ctx.probes !== undefined);
  // The hogs were already printed as the hunt found them: say they were taken back, and why.
  if (folded.length < merged.length) {
    const text = 'every entry died alone before its first test started: not hogs, what they all load is over the budget (unresolved)';
    ctx.emit({ type: 'bisect', event: { type: 'strategy', batchIndex: batch.index, text, runsEstimated: 0 } });
  }
  const bisected = folded.map((finding) => ({ finding: withStack(finding, runs) }));
  return { hunts: [...attribution.hunts, ...hunts], findings: [...named, ...bisected] };
}

async function runProbe(ctx: RunContext, runId: string): Promise<{ records: PerTestRecord[]; sites: GrowthSite[] }> {
  if (ctx.probes === undefined) return { records: [], sites: [] };
  const { probeFile } = probeFilesOf(ctx.outDir, runId);
  // Sites in the user's frame like the records' ids, so contributor files match them as spelled.
  const sites = (await readProbeSites(probeFile)).map((grown) => ({ ...grown, site: siteToUser(ctx.frame, grown.site) }));
  return { records: await readProbeRecords(ctx, probeFile), sites };
}

// --outcome over-memory also chases oom-killed: the same memory death, whoever enforced it.
export function chaseFilter(chase: ChaseOutcome): ((signature: Signature) => boolean) | undefined {
  if (chase === 'any') return undefined;
  return (signature) => signature.outcome === chase || (chase === 'over-memory' && signature.outcome === 'oom-killed');
}

// A hang is shown where it hung: the stack of the smallest run that timed out with one.
export function withStack(finding: Finding, runs: ReadonlyMap<string, RunRecord>): Finding & { stack?: string } {
  if (finding.kind !== 'hang') return finding;
  const withWhere = finding.evidenceRunIds.map((id) => runs.get(id)).filter((run) => run?.stacks?.where !== undefined);
  const smallest = withWhere.sort((a, b) => (a?.tests.length ?? 0) - (b?.tests.length ?? 0))[0];
  const where = smallest?.stacks?.where;
  if (where === undefined) return finding;
  return { ...finding, because: `${finding.because}; hung in ${where}`, stack: where };
}

function toReported(found: AttributedFinding, ctx: RunContext, config: HuntConfig, cwd: string): ReportedFinding {
  const { finding } = found;
  // A warning has not died yet: under the same budget it would pass again.
  const underBudget =
    found.severity === 'warning'
      ? undefined
      : budgetRepro(finding, {
          cwd,
          userRoot: ctx.frame.userRoot,
          runner: ctx.preset.name,
          projectDir: config.projectDir,
          cmd: config.cmd,
          python: config.python,
          runnerArgs: config.runnerArgs ?? [],
          memoryBytes: config.budget.memoryBytes,
          backend: config.backend,
          outDir: config.outDir,
        });
  const extras = {
    ...(found.severity && { severity: found.severity }),
    ...(found.accumulation && { accumulation: found.accumulation }),
    ...(underBudget !== undefined && { reproUnderBudget: underBudget }),
  };
  if (!finding.reproTests.some((test) => isJestTestName(test, ctx.preset.name)))
    return { ...reportFinding(finding, ctx.preset, ctx.frame, cwd, config.budget, [], found.severity), ...extras };
  // Per-test ids of JS runners: the repro runs their files, narrowed to exactly those tests by name.
  const runnable = runnableTests(finding.reproTests, ctx.preset.name);
  const reported = reportFinding(
    { ...finding, reproTests: runnable.runnerTests },
    ctx.preset,
    ctx.frame,
    cwd,
    config.budget,
    runnable.argvBefore,
    found.severity,
  );
  return { ...reported, reproTests: finding.reproTests, ...extras };
}

/** Through the batch's lanes when it has them: independent trials then run side by side. */
export function inLanes<T>(counter: RunCounter, task: () => Promise<T>): Promise<T> {
  return counter.lanes === undefined ? task() : counter.lanes.run(task);
}

// The first re-run of the whole batch is its confirmation; every other run is a trial (kind 'probe' in the report).
// A collected run (runCollected) lists every entry collected; the report's `tests` are those.
export function trialExecutor(
  ctx: RunContext,
  builder: ReportBuilder,
  batch: Batch,
  runs: Map<string, RunRecord>,
  counter: RunCounter = { count: 0 },
): Executor {
  const record = async (
    tests: readonly TestId[],
    deselect: readonly TestId[] = [],
    traceSites = false,
    budgets: Pick<RunOptions, 'timeoutMs' | 'testTimeoutMs' | 'withoutProbe'> = {},
  ): Promise<TrialResult> => {
    counter.count += 1;
    const isWholeBatch = deselect.length === 0 && tests.length === batch.tests.length && tests.every((test, i) => test === batch.tests[i]);
    const runId = followUpRunId(batch, counter.count);
    const done = await inLanes(counter, () =>
      runTests(ctx, {
        runId,
        kind: isWholeBatch ? 'confirm' : 'probe',
        batchIndex: batch.index,
        tests,
        ...(deselect.length > 0 && { deselect }),
        ...(traceSites && { traceSites }),
        ...(budgets.timeoutMs !== undefined && { timeoutMs: budgets.timeoutMs }),
        ...(budgets.testTimeoutMs !== undefined && { testTimeoutMs: budgets.testTimeoutMs }),
        ...(budgets.withoutProbe === true && { withoutProbe: true }),
      }),
    );
    builder.addRun(done);
    runs.set(done.runId, done);
    return { ...toTrial(done), tests: tests.filter((test) => !deselect.includes(test)) };
  };
  const canDeselect = ctx.preset.deselectArgs !== undefined;
  return {
    run: (tests, options) => record(tests, [], options?.traceSites === true, options),
    ...(canDeselect && {
      runCollected: (collected: readonly TestId[], selected: readonly TestId[], options?: RunOptions) =>
        record(
          collected,
          collected.filter((test) => !selected.includes(test)),
          false,
          options?.withoutProbe === true ? { withoutProbe: true } : {},
        ),
    }),
  };
}

/** The bridge from a recorded run to what bisection sees. */
export function toTrial(record: RunRecord): TrialResult {
  return {
    tests: record.tests,
    verdict: record.verdict,
    peakBytes: record.evidence.peakBytes,
    durationMs: record.evidence.durationMs,
    runId: record.runId,
  };
}
