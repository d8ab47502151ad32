// The runner's floor: what it needs with no test at all (pytest with its plugins and the
// project's ini collecting an empty directory; jest reading its config and listing files),
// measured once per hunt under the same backend as the batches. A --memory budget below the
// floor plus a margin cannot tell one test from another: every batch would die before its
// first test, and bisection would end by naming an innocent one. So it is a usage error,
// before the first batch (docs/runners.md, "The runner's floor").
//
// Cost: one runner start (~0.3-0.6 s for pytest, ~1 s for jest on these machines), paid once:
// the floor is kept in the user cache under what decides it (floor-cache.ts) and later hunts
// take it from there. It is skipped when the budget is at least SKIP_ABOVE_BYTES, far above
// any plausible floor, and for the generic runner, whose empty command leakhunt cannot know.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunnerPreset } from '../runners/types.js';
import { formatBytes } from '../util/bytes.js';
import { cachedFloor, floorKey, rememberFloor } from './floor-cache.js';
import { createRunTmpdir } from './run-tmpdir.js';
import type { Budget, ProcessExecutor } from './types.js';

/** The budget must leave the runner this share above its floor for the first test to run at all. */
export const FLOOR_MARGIN = 0.25;
/** Budgets from here up are not checked: pytest and jest floors are tens of MiB. */
export const SKIP_ABOVE_BYTES = 1024 * 1024 * 1024;
/** The floor run's own budget: generous, so that a floor above --memory is measured, not cut. */
const FLOOR_RUN_BUDGET: Budget = { memoryBytes: SKIP_ABOVE_BYTES, timeoutMs: 120_000, graceMs: 2_000 };

/** The smallest budget that leaves the margin above `floorBytes`. */
export function minimumBudget(floorBytes: number): number {
  return Math.ceil(floorBytes * (1 + FLOOR_MARGIN));
}

/** Pure: the one-line refusal for a budget below the floor, or undefined when it fits. */
export function floorProblem(runner: string, budgetBytes: number, floorBytes: number): UsageError | undefined {
  const needed = minimumBudget(floorBytes);
  if (budgetBytes >= needed) return undefined;
  return new UsageError(
    `--memory ${formatBytes(budgetBytes)} is below what ${runner} needs with no test at all: ${formatBytes(floorBytes)} measured, plus a ${FLOOR_MARGIN * 100}% margin = ${formatBytes(needed)}`,
    `raise --memory to at least ${formatBytes(needed)}; below that every batch dies before its first test and no test can be told from another`,
  );
}

export interface FloorContext {
  readonly preset: RunnerPreset;
  readonly executor: ProcessExecutor;
  readonly projectDir: string;
  readonly outDir: string;
  readonly budget: Budget;
  readonly abort: AbortSignal;
  /** The backend that measures the batches: a cgroup and a sampler measure the same floor differently. */
  readonly backend: string;
  /** Epoch ms, for the cached floor's age. Default Date.now. */
  readonly nowMs?: () => number;
}

/** Stands for the floor run's temporary directory in the cache key: the same in every hunt. */
const EMPTY_DIR_IN_KEY = '<empty-dir>';

/**
 * Measures the floor when the budget could be near it; throws the UsageError when the budget
 * is below it. Returns the measured floor (undefined when skipped or not measurable).
 */
export async function checkRunnerFloor(ctx: FloorContext): Promise<number | undefined> {
  if (ctx.budget.memoryBytes >= SKIP_ABOVE_BYTES || ctx.preset.emptyCommand === undefined) return undefined;
  const nowMs = ctx.nowMs ?? Date.now;
  const key = await floorKey({
    runner: ctx.preset.name,
    command: ctx.preset.emptyCommand(EMPTY_DIR_IN_KEY, join(EMPTY_DIR_IN_KEY, 'results.out')),
    projectDir: ctx.projectDir,
    backend: ctx.backend,
  });
  const known = await cachedFloor(key, nowMs());
  const measured = known === undefined ? await measureFloor(ctx) : undefined;
  const floorBytes = known ?? measured?.peakBytes;
  if (floorBytes === undefined) return undefined; // the first batch will say why
  const problem = floorProblem(ctx.preset.name, ctx.budget.memoryBytes, floorBytes);
  // Only a run that ended on its own measured the floor: one cut by Ctrl-C or its own budget did not.
  if (measured?.endedOnItsOwn === true) await rememberFloor(key, floorBytes, nowMs());
  if (problem !== undefined) throw problem;
  return floorBytes;
}

interface FloorRun {
  readonly peakBytes: number;
  readonly endedOnItsOwn: boolean;
}

/** One run of the empty runner under the hunt's backend: its peak, undefined when it did not start. */
async function measureFloor(ctx: FloorContext): Promise<FloorRun | undefined> {
  const emptyCommand = ctx.preset.emptyCommand;
  if (emptyCommand === undefined) return undefined;
  // Named like a run's temp dir (leakhunt-tmp-<pid>-…): after a kill -9 of leakhunt mid-check,
  // its guardian or the next leakhunt removes it with the runs' (a fresh-clone run left two).
  const emptyDir = await createRunTmpdir();
  try {
    await mkdir(join(ctx.outDir, 'logs'), { recursive: true });
    const command = emptyCommand(emptyDir, join(emptyDir, 'results.out'));
    const outcome = await ctx.executor.run(
      {
        runId: 'floor',
        argv: command.argv,
        cwd: ctx.projectDir,
        env: command.env,
        budget: FLOOR_RUN_BUDGET,
        logPath: join(ctx.outDir, 'logs', 'floor.log'),
      },
      ctx.abort,
    );
    if (outcome.spawnError !== undefined || outcome.peakBytes <= 0) return undefined;
    const endedOnItsOwn = outcome.killedBy === undefined && outcome.kernelOomKills === 0 && outcome.exitCode !== undefined;
    return { peakBytes: outcome.peakBytes, endedOnItsOwn };
  } finally {
    await rm(emptyDir, { recursive: true, force: true });
  }
}
