// Joins the reports of the shards of one plan (`leakhunt merge a.json b.json -o merged.json`)
// into the report a single unsharded hunt would have written. Decides compatibility and order
// only; reading and writing files is the CLI's. Deterministic: the same reports give the same
// bytes whatever the argument order (inputs are sorted by shard, runs by batch then start).
import { mergePolluterFindings } from '../bisect/merge.js';
import { UsageError } from '../errors.js';
import { planFingerprint } from '../plan/shards.js';
import type { Report, ReportStatus, RunRecord, ShardInfo } from './model.js';

export interface NamedReport {
  /** Where the report was read from: named in every refusal. */
  readonly path: string;
  readonly report: Report;
}

export interface MergeResult {
  readonly report: Report;
  /** Things a person should know (a missing shard) that do not stop the merge. */
  readonly warnings: readonly string[];
}

const INTERRUPTED_EXIT_CODE = 130;

export function mergeReports(inputs: readonly NamedReport[]): MergeResult {
  if (inputs.length === 0) throw new UsageError('merge: no reports given', 'pass the leakhunt-report.json of every shard');
  const shards = [...inputs].map((input) => ({ ...input, shard: shardOf(input.report) })).sort((a, b) => a.shard.index - b.shard.index);
  validateSamePlan(shards);
  validateNoOverlap(shards);
  const [first] = shards;
  const present = new Set(shards.map((input) => input.shard.index));
  const missing = Array.from({ length: first!.shard.count }, (_, i) => i + 1).filter((index) => !present.has(index));
  const warnings = missing.map((index) => `shard ${index}/${first!.shard.count} is missing: its batches are not in the merged report`);
  return {
    report: joinReports(
      shards.map((input) => input.report),
      first!.shard,
      missing.length > 0,
    ),
    warnings,
  };
}

/** An unsharded report is the whole plan: shard 1 of 1. */
function shardOf(report: Report): ShardInfo {
  return report.shard ?? { index: 1, count: 1, planBatchCount: report.batches.length, planFingerprint: planFingerprint(report.batches) };
}

type ShardInput = NamedReport & { readonly shard: ShardInfo };

/** The fields that must agree, each with the words used to refuse a mismatch. */
const SAME_PLAN_CHECKS: readonly [string, (input: ShardInput) => unknown][] = [
  ['selection file', ({ report }) => report.selection.file],
  ['test count', ({ report }) => report.selection.testCount],
  ['runner', ({ report }) => report.runner.name],
  ['memory budget (bytes)', ({ report }) => report.budget.memoryBytes],
  ['time budget (ms)', ({ report }) => report.budget.timeoutMs],
  ['grace (ms)', ({ report }) => report.budget.graceMs],
  ['batch size', ({ report }) => report.plan.batchSize ?? 'none'],
  ['shuffle seed', ({ report }) => report.plan.seed ?? 'none'],
  ['shard count', ({ shard }) => shard.count],
  ['plan (batches and their tests)', ({ shard }) => shard.planFingerprint],
];

function validateSamePlan(shards: readonly ShardInput[]): void {
  const [first, ...rest] = shards;
  for (const other of rest) {
    for (const [what, read] of SAME_PLAN_CHECKS) {
      if (read(first!) === read(other)) continue;
      throw new UsageError(
        `merge: ${first!.path} and ${other.path} come from different hunts: ${what} ${String(read(first!))} vs ${String(read(other))}`,
        'merge only the shard reports of one `leakhunt run --shard i/N` matrix (same selection, plan and budgets)',
      );
    }
  }
}

function validateNoOverlap(shards: readonly ShardInput[]): void {
  const owner = new Map<number, string>();
  for (const { path, report } of shards) {
    for (const batch of report.batches) {
      const earlier = owner.get(batch.index);
      if (earlier !== undefined) {
        throw new UsageError(
          `merge: batch ${batch.index} is in both ${earlier} and ${path}`,
          "pass each shard's report once; do not merge a merged report with its shards",
        );
      }
      owner.set(batch.index, path);
    }
  }
}

function joinReports(reports: readonly Report[], shard: ShardInfo, isIncomplete: boolean): Report {
  const [head] = reports as [Report, ...Report[]];
  const startedAt = reports.map((report) => report.startedAt).sort()[0]!;
  const finishedAt = reports
    .map((report) => report.finishedAt)
    .sort()
    .at(-1)!;
  const status = mergedStatus(reports, isIncomplete);
  const merged: Report = {
    ...head,
    status,
    startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
    plan: { ...head.plan, batchCount: shard.planBatchCount },
    batches: reports.flatMap((report) => report.batches).sort((a, b) => a.index - b.index),
    runs: sortRuns(reports.flatMap((report) => report.runs)),
    // Shards of one plan: a polluter whose victims fell in batches of two shards is one finding.
    findings: mergePolluterFindings(
      reports.flatMap((report) => report.findings).sort((a, b) => a.batchIndex - b.batchIndex),
      { acrossBatches: true },
    ),
    exitCode: status === 'interrupted' ? INTERRUPTED_EXIT_CODE : Math.max(...reports.map((report) => report.exitCode)),
  };
  const { shard: _shard, ...unsharded } = merged;
  return unsharded;
}

function mergedStatus(reports: readonly Report[], isIncomplete: boolean): ReportStatus {
  if (isIncomplete || reports.some((report) => report.status === 'interrupted')) return 'interrupted';
  return reports.some((report) => report.status === 'max-runs') ? 'max-runs' : 'complete';
}

/**
 * Batch, then the order the runs were asked in (their numbers: b03 < b03-p02 < b03-p10), then
 * start: the same order whichever run finished, or even started, first — probes of one batch
 * may run side by side, and which of two starts the first millisecond is chance.
 */
export function sortRuns(runs: readonly RunRecord[]): RunRecord[] {
  return [...runs].sort(
    (a, b) => a.batchIndex - b.batchIndex || RUN_NUMBERS.compare(a.runId, b.runId) || compareText(a.startedAt, b.startedAt),
  );
}

const RUN_NUMBERS = new Intl.Collator('en', { numeric: true });

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
