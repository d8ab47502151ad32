// What every view says about a report, computed once: one row per batch (outcome, peak against
// budget, duration, log), counts, and the short titles of findings. Views differ in layout,
// never in facts: a number printed in the console is the number in the HTML and the JUnit.
import type { Outcome } from '../classify/types.js';
import type { BatchReport, Report, ReportedFinding, RunRecord } from '../report/model.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';

/** 'not run': the batch was planned but the hunt stopped before it (interrupted, max-runs). */
export type BatchOutcome = Outcome | 'not run';

export interface BatchRow {
  readonly index: number;
  readonly testCount: number;
  readonly outcome: BatchOutcome;
  readonly because: string;
  readonly peakBytes: number | undefined;
  readonly budgetBytes: number;
  readonly durationMs: number | undefined;
  readonly logPath: string | undefined;
  readonly run: RunRecord | undefined;
  readonly batch: BatchReport;
}

const OK_OUTCOMES: ReadonlySet<BatchOutcome> = new Set(['passed', 'not run']);

export function isProblem(outcome: BatchOutcome): boolean {
  return !OK_OUTCOMES.has(outcome);
}

export function runsById(report: Report): Map<string, RunRecord> {
  return new Map(report.runs.map((run) => [run.runId, run]));
}

export function batchRows(report: Report): BatchRow[] {
  const runs = runsById(report);
  return report.batches.map((batch) => {
    const run = batch.runId === undefined ? undefined : runs.get(batch.runId);
    return {
      index: batch.index,
      testCount: batch.tests.length,
      outcome: batch.verdict?.outcome ?? 'not run',
      because: batch.verdict?.because ?? `the hunt stopped (${report.status}) before this batch ran`,
      peakBytes: run?.evidence.peakBytes,
      budgetBytes: run?.evidence.budgetBytes ?? report.budget.memoryBytes,
      durationMs: run?.evidence.durationMs,
      logPath: run?.logPath,
      run,
      batch,
    };
  });
}

/** "301 MiB of 300 MiB"; "—" when the batch never ran. */
export function peakText(row: Pick<BatchRow, 'peakBytes' | 'budgetBytes'>): string {
  if (row.peakBytes === undefined) return '—';
  return `${formatBytes(row.peakBytes)} of ${formatBytes(row.budgetBytes)}`;
}

export function durationText(durationMs: number | undefined): string {
  return durationMs === undefined ? '—' : formatDuration(durationMs);
}

/** "batch 7 died: over-memory (1.52 GiB of 1.50 GiB)" — the one line CI UIs show. */
export function batchHeadline(row: BatchRow): string {
  if (row.outcome === 'not run') return `batch ${row.index} did not run`;
  if (row.outcome === 'passed') return `batch ${row.index} passed`;
  const verb = row.outcome === 'failed' || row.outcome === 'no-tests' || row.outcome === 'error' ? 'failed' : 'died';
  const detail = row.outcome === 'timeout' ? durationText(row.durationMs) : peakText(row);
  return `batch ${row.index} ${verb}: ${row.outcome} (${detail})`;
}

/** Counts per outcome, in a fixed order, for one summary line: "3 passed, 1 over-memory". */
export function outcomeCounts(rows: readonly BatchRow[]): string {
  const counts = new Map<BatchOutcome, number>();
  for (const row of rows) counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ');
}

/** The culprits as people read them; for a polluter, "A → makes B fail". */
export function culpritText(finding: ReportedFinding): string {
  const culprits = finding.culprits.join(', ') || '(no single test)';
  return finding.victim === undefined ? culprits : `${culprits} → makes ${finding.victim} fail`;
}

/** The test name without its file: "TestClient::test_connect" from a pytest node id. */
export function shortTestName(test: string): string {
  const parts = test.split('::');
  return parts.length > 1 ? parts.slice(1).join('::') : (test.split('/').pop() ?? test);
}

export function statusText(report: Report): string {
  if (report.status === 'complete') return 'complete';
  if (report.status === 'interrupted') return 'interrupted: partial report';
  return 'stopped at --max-runs: partial report';
}
