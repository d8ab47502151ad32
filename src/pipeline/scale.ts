// What a hunt does differently at scale: run only its shard of the plan (`--shard i/N`,
// balanced by `--durations-from`), run batches side by side (`--jobs`, `--total-memory`),
// and answer finished runs from the journal (`--resume`). hunt.ts calls these; each returns
// data for it, none of them runs a test.

import { readFile } from 'node:fs/promises';
import { hangConfirmationTimeoutMs, hangTestTimeoutMs } from '../classify/hang.js';
import { UsageError } from '../errors.js';
import type { ScheduleLimits } from '../execute/schedule.js';
import type { ProcessExecutor } from '../execute/types.js';
import { type JournaledExecutor, journaledExecutor } from '../journal/executor.js';
import { RunJournal } from '../journal/journal.js';
import { estimatePlan, type MeasuredRun, type PlanEstimate } from '../plan/estimate.js';
import { reservationsFrom } from '../plan/reserve.js';
import { batchDurationsOf, planFingerprint, shardPlan } from '../plan/shards.js';
import type { Plan, TestId } from '../plan/types.js';
import type { ShardInfo } from '../report/model.js';
import { formatDuration } from '../util/duration.js';
import type { HuntConfig } from './config.js';

export interface ScaledPlan {
  /** The batches this hunt runs (all of them, or its shard's), with the full plan's indices. */
  readonly plan: Plan;
  readonly fingerprint: string;
  readonly shard: ShardInfo | undefined;
}

export async function planForThisHunt(fullPlan: Plan, config: HuntConfig): Promise<ScaledPlan> {
  const fingerprint = planFingerprint(fullPlan.batches);
  if (config.shard === undefined) return { plan: fullPlan, fingerprint, shard: undefined };
  // The report loader carries a JSON-schema validator: loaded only when a report is read.
  const durations =
    config.durationsFrom === undefined
      ? undefined
      : batchDurationsOf((await (await import('../report/load.js')).loadReport(config.durationsFrom)).runs);
  const plan = shardPlan(fullPlan, config.shard, durations);
  return { plan, fingerprint, shard: { ...config.shard, planBatchCount: fullPlan.batches.length, planFingerprint: fingerprint } };
}

export function scheduleLimitsOf(config: HuntConfig): ScheduleLimits {
  return { jobs: config.jobs ?? 1, totalMemoryBytes: config.totalMemoryBytes ?? Number.POSITIVE_INFINITY };
}

export async function openJournaledExecutor(
  inner: ProcessExecutor,
  config: HuntConfig,
  fingerprint: string,
  now: () => Date,
): Promise<{ executor: JournaledExecutor; notice: string | undefined }> {
  const journal = await RunJournal.open({
    outDir: config.outDir,
    resume: config.resume ?? false,
    planFingerprint: fingerprint,
    selectionFile: config.selectionFile,
    now,
  });
  return {
    executor: journaledExecutor(inner, journal, { outDir: config.outDir, planFingerprint: fingerprint, now }),
    notice: journal.notice,
  };
}

/**
 * The plan's cost before it starts: durations from --durations-from, else from the previous
 * hunt's report in --out. Read as plain JSON, not validated: an estimate must not cost the
 * schema validator's load, and a report it cannot read just gives no wall figure.
 */
export async function estimateThisHunt(plan: Plan, config: HuntConfig, previousReport: string): Promise<PlanEstimate> {
  const source = config.durationsFrom ?? previousReport;
  const runs = await readRuns(source);
  const measured = Array.isArray(runs) ? runs.filter(isMeasuredRun) : undefined;
  return estimatePlan(plan, config.jobs ?? 1, measured === undefined ? undefined : { runs: measured, source });
}

/**
 * What each batch reserves of --total-memory (plan/reserve.ts): its measured peak in the same
 * earlier report the estimate reads, with a margin; its budget when unknown.
 */
export async function reservationsForThisHunt(config: HuntConfig, previousReport: string): Promise<(tests: readonly TestId[]) => number> {
  const runs = await readRuns(config.durationsFrom ?? previousReport);
  return reservationsFrom(Array.isArray(runs) ? runs : undefined, config.budget.memoryBytes);
}

async function readRuns(path: string): Promise<unknown> {
  return readFile(path, 'utf8')
    .then(
      (text) => (JSON.parse(text) as { runs?: unknown }).runs,
      () => undefined,
    )
    .catch(() => undefined);
}

/** The previous report may be absent or odd; a --durations-from the user named must be a report: checked before --out is touched. */
export async function checkDurationsFrom(config: HuntConfig): Promise<void> {
  if (config.durationsFrom === undefined || Array.isArray(await readRuns(config.durationsFrom))) return;
  throw new UsageError(
    `--durations-from ${config.durationsFrom}: not a leakhunt report with runs (missing, not JSON, or no "runs")`,
    'pass the leakhunt-report.json of an earlier hunt of this selection, or drop --durations-from',
  );
}

function isMeasuredRun(run: unknown): run is MeasuredRun {
  const candidate = run as Partial<MeasuredRun> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.tests) &&
    typeof candidate.evidence?.durationMs === 'number'
  );
}

/** `probed`: the runs carry a per-test probe, so a lone suspect is timed from its start record (classify/hang.ts). */
export function describeEstimate(estimate: PlanEstimate, batches: number, survey: boolean, timeoutMs: number, probed = false): string {
  const mode = survey ? 'survey mode (no --batch-size): ' : '';
  const wall =
    estimate.wallMs === undefined
      ? 'no earlier durations to estimate the time from'
      : `~${formatDuration(estimate.wallMs)} of batches (durations from ${estimate.source})`;
  return `plan: ${mode}${batches} batch${batches === 1 ? '' : 'es'}, at least ${estimate.runs} run${estimate.runs === 1 ? '' : 's'} (narrowing adds more), ${wall}; ${describeHangCost(timeoutMs, probed)}`;
}

// A hang is the slowest thing to find: with the default --timeout of 5 min a user would wait
// ~20 min without a word of why. Said up front, with the numbers of this hunt.
function describeHangCost(timeoutMs: number, probed: boolean): string {
  if (probed) {
    const own = hangTestTimeoutMs(timeoutMs);
    return `a hang takes at least ~${formatDuration(timeoutMs + own)} to name: its batch runs the whole --timeout ${formatDuration(timeoutMs)}, then its suspect runs alone for ${formatDuration(own)} of its own time, plus the runner's start (so a slow test is not called hung)`;
  }
  const alone = hangConfirmationTimeoutMs(timeoutMs);
  return `a hang takes at least ~${formatDuration(timeoutMs + alone)} to name: its batch runs the whole --timeout ${formatDuration(timeoutMs)}, then its suspect runs alone up to ${formatDuration(alone)} (so a slow test is not called hung)`;
}

export function describeUsed(runs: number, durationMs: number, estimate: PlanEstimate): string {
  const expected = `estimated at least ${estimate.runs} run${estimate.runs === 1 ? '' : 's'}${estimate.wallMs === undefined ? '' : `, ~${formatDuration(estimate.wallMs)}`}`;
  return `used: ${runs} run${runs === 1 ? '' : 's'} in ${formatDuration(durationMs)} (${expected})`;
}
