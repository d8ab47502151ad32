// Collects runs, batch verdicts and hunts as they happen and can produce a Report at any
// moment: a partial report is written after every batch, so Ctrl-C, a crash or `kill -9`
// still leave what was learned on disk.
import { arch, availableParallelism, platform, totalmem } from 'node:os';
import type { BatchHunt } from '../bisect/types.js';
import { isHuntable } from '../classify/signature.js';
import type { Budget, MemoryBackend } from '../execute/types.js';
import type { Plan } from '../plan/types.js';
import type { RunnerName } from '../runners/types.js';
import type { BatchReport, Report, ReportedFinding, ReportStatus, RunRecord } from './model.js';
import { SCHEMA_VERSION } from './model.js';

export interface ReportHeader {
  readonly toolVersion: string;
  readonly startedAt: Date;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly selection: Report['selection'];
  readonly runner: { readonly name: RunnerName; readonly version: string | undefined; readonly projectDir: string };
  readonly budget: Budget;
  readonly backend: MemoryBackend;
  readonly backendReason: string;
  readonly plan: Plan;
}

export class ReportBuilder {
  private readonly runs: RunRecord[] = [];
  private readonly batchRuns = new Map<number, RunRecord>();
  private readonly hunts = new Map<number, BatchHunt[]>();
  private readonly findings: ReportedFinding[] = [];
  private readonly warnings: string[] = [];

  /** Known once the runner answers `--version`, which runs beside the first batch. */
  private runnerVersion: string | undefined;

  constructor(private readonly header: ReportHeader) {
    this.runnerVersion = header.runner.version;
  }

  setRunnerVersion(version: string | undefined): void {
    this.runnerVersion = version;
  }

  addRun(record: RunRecord): void {
    this.runs.push(record);
    if (record.kind === 'batch' && !this.batchRuns.has(record.batchIndex)) this.batchRuns.set(record.batchIndex, record);
  }

  addHunts(batchIndex: number, hunts: readonly BatchHunt[], findings: readonly ReportedFinding[]): void {
    this.hunts.set(batchIndex, [...(this.hunts.get(batchIndex) ?? []), ...hunts]);
    this.findings.push(...findings);
  }

  /** Said once in the report (e.g. why the per-test probe was off). */
  addWarning(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  /** A batch failed or could not run, or bisection named something: exit code 1. Warning-only findings do not count. */
  hasFailures(): boolean {
    const failedBatch = [...this.batchRuns.values()].some(({ verdict }) => isHuntable(verdict) || verdict.outcome === 'error');
    return failedBatch || this.findings.some((finding) => finding.severity !== 'warning');
  }

  batchRun(index: number): RunRecord | undefined {
    return this.batchRuns.get(index);
  }

  build(status: ReportStatus, exitCode: number, finishedAt: Date): Report {
    const { header } = this;
    const batches: BatchReport[] = header.plan.batches.map((batch) => {
      const run = this.batchRuns.get(batch.index);
      return {
        index: batch.index,
        tests: batch.tests,
        runId: run?.runId,
        verdict: run?.verdict,
        hunts: (this.hunts.get(batch.index) ?? []).map(({ findings: _findings, ...hunt }) => hunt),
      };
    });
    return {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: 'leakhunt', version: header.toolVersion },
      status,
      startedAt: header.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - header.startedAt.getTime(),
      invocation: { argv: header.argv, cwd: header.cwd },
      selection: header.selection,
      runner: { ...header.runner, version: this.runnerVersion },
      budget: { memoryBytes: header.budget.memoryBytes, timeoutMs: header.budget.timeoutMs, graceMs: header.budget.graceMs },
      environment: {
        backend: header.backend,
        backendReason: header.backendReason,
        platform: platform(),
        arch: arch(),
        nodeVersion: process.version,
        cpus: availableParallelism(),
        totalMemoryBytes: totalmem(),
      },
      plan: { batchSize: header.plan.batchSize, seed: header.plan.seed, batchCount: header.plan.batches.length },
      batches,
      runs: this.runs,
      findings: this.findings,
      ...(this.warnings.length > 0 && { warnings: this.warnings }),
      exitCode,
    };
  }
}
