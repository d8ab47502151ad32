// One execution of a list of tests: the runner preset says how, the executor runs it under
// the budget, classify/ says what happened. Batches, confirmations and bisection probes all
// come through here, so every run is recorded the same way.
import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { classifyRun } from '../classify/classify.js';
import type { Emit } from '../events.js';
import type { Budget, ProcessExecutor } from '../execute/types.js';
import type { TestId } from '../plan/types.js';
import type { RunKind, RunRecord } from '../report/model.js';
import type { RunnerPreset } from '../runners/types.js';

export interface RunContext {
  readonly preset: RunnerPreset;
  readonly executor: ProcessExecutor;
  readonly projectDir: string;
  readonly outDir: string;
  readonly budget: Budget;
  readonly emit: Emit;
  readonly abort: AbortSignal;
  readonly now: () => Date;
}

export interface RunRequest {
  readonly runId: string;
  readonly kind: RunKind;
  readonly batchIndex: number;
  readonly tests: readonly TestId[];
}

export async function runTests(ctx: RunContext, request: RunRequest): Promise<RunRecord> {
  const logPath = join(ctx.outDir, 'logs', `${request.runId}.log`);
  const resultsPath = join(ctx.outDir, 'results', `${request.runId}.out`);
  await mkdir(join(ctx.outDir, 'logs'), { recursive: true });
  await mkdir(join(ctx.outDir, 'results'), { recursive: true });
  // A killed run writes no results: never let it read a previous hunt's file of the same name.
  await rm(resultsPath, { force: true });

  const command = ctx.preset.command(request.tests, resultsPath);
  const startedAt = ctx.now();
  ctx.emit({ type: 'run-started', ...request });
  const outcome = await ctx.executor.run(
    { runId: request.runId, argv: command.argv, cwd: ctx.projectDir, env: command.env, budget: ctx.budget, logPath },
    ctx.abort,
  );
  const results = outcome.spawnError === undefined ? await ctx.preset.readResults(resultsPath, outcome.exitCode) : undefined;
  const verdict = classifyRun(outcome, results, ctx.budget);

  const record: RunRecord = {
    ...request,
    startedAt: startedAt.toISOString(),
    verdict,
    evidence: {
      peakBytes: outcome.peakBytes,
      budgetBytes: ctx.budget.memoryBytes,
      durationMs: outcome.durationMs,
      timeoutMs: ctx.budget.timeoutMs,
      exitCode: outcome.exitCode,
      signal: outcome.signal ?? verdict.signal,
      backend: outcome.backend,
      kernelOomKills: outcome.kernelOomKills,
      orphans: outcome.orphans,
    },
    results:
      results === undefined
        ? undefined
        : { collected: results.collected, passed: results.passed, skipped: results.skipped, failing: results.failing },
    memorySeries: outcome.memorySeries,
    logPath: relative(ctx.outDir, logPath),
  };
  ctx.emit({ type: 'run-finished', record });
  return record;
}
