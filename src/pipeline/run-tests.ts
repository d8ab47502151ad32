// One execution of a list of tests: the runner preset says how, the executor runs it under
// the budget, classify/ says what happened. Batches, confirmations and bisection trials all
// come through here, so every run is recorded the same way.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { classifyRun, type RecordedPeak } from '../classify/classify.js';
import type { Emit } from '../events.js';
import type { ProcessTable } from '../execute/processes/table.js';
import type { Budget, Orphan, ProcessExecutor, ProcessSpec } from '../execute/types.js';
import type { TestId } from '../plan/types.js';
import { type HuntProbes, probeFilesOf } from '../probe/hunt-probes.js';
import { describeNodeHangSite } from '../probe/import-site.js';
import { nameOrphansByStartTime } from '../probe/orphan-windows.js';
import { latestTestStartMs, leftovers, type PerTestRecord, readProbeFile } from '../probe/records.js';
import { describeHangSite, summarizePythonStack } from '../probe/stack-summary.js';
import { collectStacks } from '../probe/stacks.js';
import type { PerTestMemory, RunKind, RunRecord, RunStacks, TestLeftover } from '../report/model.js';
import { runnableTests } from '../runners/runnable.js';
import type { RunnerPreset } from '../runners/types.js';
import { type IdFrame, siteToUser } from '../selection/frame.js';

export interface RunContext {
  readonly preset: RunnerPreset;
  readonly executor: ProcessExecutor;
  readonly projectDir: string;
  /** Ids are the user's everywhere but in the runner's argv and what it writes (frame.ts). */
  readonly frame: IdFrame;
  readonly outDir: string;
  readonly budget: Budget;
  /** `--log-limit`: passed to the executor, which cuts the middle of longer logs. */
  readonly logLimitBytes?: number;
  readonly emit: Emit;
  readonly abort: AbortSignal;
  readonly now: () => Date;
  /** Per-test probes for this hunt; undefined: runs go without (--no-probe, generic runner). */
  readonly probes?: HuntProbes;
}

export interface RunRequest {
  readonly runId: string;
  readonly kind: RunKind;
  readonly batchIndex: number;
  readonly tests: readonly TestId[];
  /** Of `tests`, those collected but not run (the runner's deselectArgs); default none. */
  readonly deselect?: readonly TestId[];
  /** Ask the probe for allocation sites (docs/accumulators.md). */
  readonly traceSites?: boolean;
  /** This run's own time budget (a hang's confirmation: classify/hang.ts); default the hunt's. */
  readonly timeoutMs?: number;
  /**
   * A lone test's hang confirmation under a probe: once its start record is written, the run
   * ends this long after it, in place of timeoutMs (classify/hang.ts). Ignored without a probe.
   */
  readonly testTimeoutMs?: number;
  /** Run without the per-test probe, as the user's runner runs it (a failure hunt: bisect/hunt.ts). */
  readonly withoutProbe?: boolean;
}

export async function runTests(ctx: RunContext, request: RunRequest): Promise<RunRecord> {
  const logPath = join(ctx.outDir, 'logs', `${request.runId}.log`);
  const resultsPath = join(ctx.outDir, 'results', `${request.runId}.out`);
  await mkdir(join(ctx.outDir, 'logs'), { recursive: true });
  await mkdir(join(ctx.outDir, 'results'), { recursive: true });
  // A killed run writes no results: never let it read a previous hunt's file of the same name.
  await rm(resultsPath, { force: true });

  const probe = request.withoutProbe === true ? undefined : await prepareProbe(ctx, request.runId);
  const runnable = runnableTests(request.tests, ctx.preset.name);
  const command = ctx.preset.command(runnable.runnerTests.map(ctx.frame.toRunner), resultsPath, {
    argvBefore: [
      ...runnable.argvBefore,
      ...(probe?.attachment.argvBefore ?? []),
      ...deselectArgs(ctx.preset, request.deselect?.map(ctx.frame.toRunner)),
    ],
    argvAfter: probe?.attachment.argvAfter ?? [],
    env: { ...(probe?.attachment.env ?? {}), ...(probe !== undefined && request.traceSites === true && { LEAKHUNT_TRACE_SITES: '1' }) },
  });
  const budget = request.timeoutMs === undefined ? ctx.budget : { ...ctx.budget, timeoutMs: request.timeoutMs };
  const startedAt = ctx.now();
  // The own-time budget is said only where a probe writes the start record it counts from.
  const { testTimeoutMs: ownBudget, ...announced } = request;
  ctx.emit({ type: 'run-started', ...announced, ...(probe !== undefined && ownBudget !== undefined && { testTimeoutMs: ownBudget }) });
  let stackDump: string | undefined;
  const beforeTimeoutKill =
    probe === undefined || ctx.probes === undefined
      ? undefined
      : async (pids: readonly number[], table: ProcessTable): Promise<void> => {
          stackDump = await collectStacks(probe.runner, pids, probe.files.stacksFile, table, { logPath });
        };
  const outcome = await ctx.executor.run(
    {
      runId: request.runId,
      argv: command.argv,
      cwd: ctx.projectDir,
      env: command.env,
      budget,
      logPath,
      ...(ctx.logLimitBytes !== undefined && { logLimitBytes: ctx.logLimitBytes }),
      ...(beforeTimeoutKill && { beforeTimeoutKill }),
      ...(probe !== undefined &&
        request.testTimeoutMs !== undefined && { markClock: testStartClock(probe.files.probeFile, request.testTimeoutMs) }),
    },
    ctx.abort,
  );
  const read = outcome.spawnError === undefined ? await ctx.preset.readResults(resultsPath, outcome.exitCode, logPath) : undefined;
  const results = read === undefined || ctx.frame.same ? read : { ...read, failing: read.failing.map(ctx.frame.toUser) };
  const probeRecords = probe !== undefined ? await readProbeRecords(ctx, probe.files.probeFile) : [];
  const verdict = classifyRun(outcome, results, budget, highestRecordedPeak(probeRecords));

  const { timeoutMs: _ownBudget, testTimeoutMs: _ownTestBudget, withoutProbe: _unprobed, ...requested } = request;
  const record: RunRecord = {
    ...requested,
    startedAt: startedAt.toISOString(),
    verdict,
    evidence: {
      peakBytes: outcome.peakBytes,
      budgetBytes: ctx.budget.memoryBytes,
      durationMs: outcome.durationMs,
      timeoutMs: budget.timeoutMs,
      exitCode: outcome.exitCode,
      signal: outcome.signal ?? verdict.signal,
      backend: outcome.backend,
      kernelOomKills: outcome.kernelOomKills,
      orphans: outcome.orphans,
      ...(outcome.markClock !== undefined && {
        testClock: { startedAfterMs: outcome.markClock.markedAfterMs, timeoutMs: outcome.markClock.timeoutMs },
      }),
    },
    results:
      results === undefined
        ? undefined
        : { collected: results.collected, passed: results.passed, skipped: results.skipped, failing: results.failing },
    memorySeries: outcome.memorySeries,
    logPath: relative(ctx.outDir, logPath),
    ...(outcome.logCutBytes !== undefined && { logCutBytes: outcome.logCutBytes }),
    ...withOrphansNamed(probeFacts(probeRecords), outcome.orphans, request.tests, probeRecords),
    ...(stackDump !== undefined && probe !== undefined && { stacks: stacksFacts(probe.runner, stackDump, ctx.frame) }),
  };
  ctx.emit({ type: 'run-finished', record });
  return record;
}

/** The executor's mark: the latest test start the probe wrote (a lone test's: its own start). */
function testStartClock(probeFile: string, timeoutMs: number): NonNullable<ProcessSpec['markClock']> {
  // The whole file each look: a lone test's probe file is a few lines.
  const latestMark = async (): Promise<number | undefined> => latestTestStartMs(await readFile(probeFile, 'utf8').catch(() => ''));
  return { timeoutMs, latestMark };
}

function highestRecordedPeak(records: readonly PerTestRecord[]): RecordedPeak | undefined {
  const highest = records.reduce<PerTestRecord | undefined>(
    (top, record) => (record.peakBytes > (top?.peakBytes ?? 0) ? record : top),
    undefined,
  );
  return highest === undefined ? undefined : { test: highest.test, bytes: highest.peakBytes };
}

function deselectArgs(preset: RunnerPreset, deselect: readonly TestId[] | undefined): readonly string[] {
  if (deselect === undefined || deselect.length === 0) return [];
  if (preset.deselectArgs === undefined) throw new Error(`${preset.name} cannot collect tests without running them`);
  return preset.deselectArgs(deselect);
}

/** A run's per-test probe records, their ids and allocation sites in the user's frame. */
export async function readProbeRecords(ctx: Pick<RunContext, 'frame'>, probeFile: string): Promise<PerTestRecord[]> {
  const records = await readProbeFile(probeFile);
  const { frame } = ctx;
  return frame.same
    ? records
    : records.map((record) => ({
        ...record,
        test: frame.toUser(record.test),
        file: frame.toUser(record.file),
        topGrowth: record.topGrowth.map((grown) => ({ ...grown, site: siteToUser(frame, grown.site) })),
      }));
}

interface PreparedProbe {
  readonly runner: NonNullable<RunContext['probes']>['runner'];
  readonly files: ReturnType<typeof probeFilesOf>;
  readonly attachment: NonNullable<Awaited<ReturnType<HuntProbes['attach']>>>;
}

// Fresh files per run: a re-used runId (resume) must not read a previous hunt's lines.
async function prepareProbe(ctx: RunContext, runId: string): Promise<PreparedProbe | undefined> {
  if (ctx.probes === undefined) return undefined;
  const files = probeFilesOf(ctx.outDir, runId);
  await mkdir(dirname(files.probeFile), { recursive: true });
  await mkdir(dirname(files.stacksFile), { recursive: true });
  await Promise.all(
    [files.probeFile, files.stacksFile, `${files.stacksFile}.reports`].map((file) => rm(file, { force: true, recursive: true })),
  );
  const attachment = await ctx.probes.attach(files);
  return attachment === undefined ? undefined : { runner: ctx.probes.runner, files, attachment };
}

/** The report's share of the probe records (the full records stay in the probe file). */
function probeFacts(records: readonly PerTestRecord[]): { perTest?: PerTestMemory[]; leftovers?: TestLeftover[] } {
  if (records.length === 0) return {};
  const perTest = records.map((r) => ({
    test: r.test,
    retainedBytes: r.retainedDeltaBytes,
    peakBytes: r.peakBytes,
    finished: r.finished,
    durationMs: r.durationMs,
  }));
  const left = leftovers(records).flatMap(({ test, processes }) => processes.map((p) => ({ test, pid: p.pid, command: p.command })));
  return { perTest, ...(left.length > 0 && { leftovers: left }) };
}

/**
 * A daemon (double fork, setsid) escapes the probe's look at a test's children, but not the
 * executor's sweep: when the run held one test (a file or one id), that test started it, and it
 * joins the run's leftovers under that name. With several tests, the one whose probe window
 * holds the daemon's start time started it (orphan-windows.ts); when no single window does,
 * it stays in evidence.orphans only, and the views say which run and tests it came from.
 */
function withOrphansNamed<T extends { leftovers?: TestLeftover[] }>(
  facts: T,
  orphans: readonly Orphan[],
  tests: readonly TestId[],
  records: readonly PerTestRecord[],
): T {
  const [only] = tests;
  const known = new Set((facts.leftovers ?? []).map((left) => left.pid));
  const byTime = tests.length === 1 ? new Map<number, string>() : nameOrphansByStartTime(orphans, records);
  const testOf = (orphan: Orphan): string | undefined => (tests.length === 1 ? only : byTime.get(orphan.pid));
  const named = orphans
    .filter((orphan) => !known.has(orphan.pid))
    .flatMap((orphan) => {
      const test = testOf(orphan);
      return test === undefined ? [] : [{ test, pid: orphan.pid, command: orphan.command }];
    });
  return named.length === 0 ? facts : { ...facts, leftovers: [...(facts.leftovers ?? []), ...named] };
}

// Paths in a stack are shown from the user's root, like the ids.
function stacksFacts(runner: PreparedProbe['runner'], text: string, frame: IdFrame): RunStacks {
  if (runner !== 'pytest') {
    // Which frames are the project's is decided from the project directory, then spelled as the user's.
    const site = describeNodeHangSite(text, frame.projectDir);
    const at = site?.indexOf(' line ') ?? -1;
    const where = site === undefined || at < 0 ? site : `${frame.toUser(site.slice(0, at))}${site.slice(at)}`;
    return { text, ...(where !== undefined && { where }) };
  }
  // Library frames are told from the project directory too: from the user's root, a project
  // that itself sits under a dist-packages/ or site-packages/ folder (a Debian package's own
  // tests) would look like a library, and its hang would have no site.
  const summary = summarizePythonStack(text, frame.projectDir);
  const site = describeHangSite(summary);
  const at = site?.indexOf(' line ') ?? -1;
  const where = site === undefined || at < 0 ? site : `${frame.toUser(site.slice(0, at))}${site.slice(at)}`;
  return {
    text,
    ...(summary.hungTest !== undefined && { hungTest: frame.toUser(summary.hungTest) }),
    ...(where !== undefined && { where }),
  };
}

/** The per-test records of a batch's run (none without probes). */
export async function batchRecords(ctx: RunContext, original: RunRecord): Promise<PerTestRecord[]> {
  return ctx.probes === undefined ? [] : readProbeRecords(ctx, probeFilesOf(ctx.outDir, original.runId).probeFile);
}
