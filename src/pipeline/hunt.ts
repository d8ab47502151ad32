// selection → plan → execute → classify → bisect → report. Returns the Report and prints
// nothing: progress leaves as events, the CLI decides what people see.
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { huntBatch } from '../bisect/hunt.js';
import type { Executor, ProbeResult } from '../bisect/types.js';
import { isHuntable } from '../classify/signature.js';
import { EnvironmentError, ExitCode } from '../errors.js';
import type { Emit } from '../events.js';
import { createProcessExecutor, detectMemoryBackend } from '../execute/executor.js';
import { planBatches } from '../plan/batches.js';
import type { Batch } from '../plan/types.js';
import { ReportBuilder } from '../report/build.js';
import type { Report, ReportStatus, RunRecord } from '../report/model.js';
import { createRunner } from '../runners/index.js';
import { loadSelection } from '../selection/load.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { HuntConfig } from './config.js';
import { reportFinding } from './findings.js';
import { resolveTests } from './resolve.js';
import { runTests, type RunContext } from './run-tests.js';

export interface HuntWorld {
  readonly emit: Emit;
  /** Fires on Ctrl-C: the running batch is killed, the partial report written. */
  readonly abort: AbortSignal;
  readonly now: () => Date;
  readonly cwd: string;
  readonly toolVersion: string;
}

export const REPORT_FILE = 'leakhunt-report.json';
const PARTIAL_WRITE_INTERVAL_MS = 1000;

export async function runHunt(config: HuntConfig, world: HuntWorld): Promise<Report> {
  const selection = await loadSelection(config.selectionFile, { root: config.root, allowMissing: config.allowMissing });
  const resolved = await resolveTests(selection, config);
  const preset = createRunner(resolved.runner, { projectDir: resolved.projectDir, cmd: config.cmd });
  const plan = planBatches(resolved.tests, { batchSize: config.batchSize, batches: config.batches, seed: config.seed });
  const detected = await detectMemoryBackend();
  const executor = await createProcessExecutor({ backend: config.backend, sampleIntervalMs: config.sampleIntervalMs });
  const backendReason = executor.backend === detected.backend ? detected.reason : `forced with --backend ${config.backend}`;

  await mkdir(config.outDir, { recursive: true });
  await keepPreviousReport(config.outDir);
  const builder = new ReportBuilder({
    toolVersion: world.toolVersion,
    startedAt: world.now(),
    argv: config.argv,
    cwd: world.cwd,
    selection: { file: config.selectionFile, testCount: resolved.tests.length, warnings: selection.warnings },
    runner: { name: resolved.runner, version: await preset.version(), projectDir: resolved.projectDir },
    budget: config.budget,
    backend: executor.backend,
    backendReason,
    plan,
  });
  const writer = new PartialReportWriter(join(config.outDir, REPORT_FILE), builder, world.now);
  const ctx: RunContext = { preset, executor, projectDir: resolved.projectDir, outDir: config.outDir, budget: config.budget, emit: world.emit, abort: world.abort, now: world.now };
  world.emit({ type: 'hunt-started', plan, runner: resolved.runner, projectDir: resolved.projectDir, backend: executor.backend, warnings: selection.warnings });

  let stoppedByMaxRuns = false;
  try {
    for (const batch of plan.batches) {
      if (world.abort.aborted) break;
      const record = await runTests(ctx, { runId: batchRunId(batch), kind: 'batch', batchIndex: batch.index, tests: batch.tests });
      builder.addRun(record);
      await writer.maybeWrite();
      if (record.verdict.outcome === 'error' && record.evidence.exitCode === undefined && record.evidence.signal === undefined) {
        await writer.write('interrupted', ExitCode.Environment);
        throw new EnvironmentError(`batch ${batch.index} ${record.verdict.because}`, `check the runner command; its log: ${join(config.outDir, record.logPath)}`);
      }
    }
    if (config.bisect) {
      for (const batch of plan.batches) {
        const original = builder.batchRun(batch.index);
        if (world.abort.aborted || original === undefined || !isHuntable(original.verdict)) continue;
        const hunts = await huntBatch(batch.index, batch.tests, toProbe(original), probeExecutor(ctx, builder, batch), {
          repeat: config.repeat,
          maxRuns: config.maxRuns,
          abort: world.abort,
        }, (event) => world.emit({ type: 'bisect', event }));
        const findings = hunts.flatMap((hunt) => hunt.findings).map((finding) => reportFinding(finding, preset, resolved.projectDir, world.cwd, config.budget));
        builder.addHunts(batch.index, hunts, findings);
        stoppedByMaxRuns ||= hunts.some((hunt) => hunt.stopped === 'max-runs');
        await writer.maybeWrite();
      }
    }
  } finally {
    await executor.close();
  }
  const status: ReportStatus = world.abort.aborted ? 'interrupted' : stoppedByMaxRuns ? 'max-runs' : 'complete';
  if (status !== 'complete') world.emit({ type: 'hunt-interrupted', reason: status === 'interrupted' ? 'interrupted' : 'max-runs' });
  const exitCode = status === 'interrupted' ? ExitCode.Interrupted : builder.hasFailures() ? ExitCode.CulpritsFound : ExitCode.Clean;
  const report = builder.build(status, exitCode, world.now());
  await writer.writeReport(report);
  return report;
}

function batchRunId(batch: Batch): string {
  return `b${String(batch.index).padStart(3, '0')}`;
}

function toProbe(record: RunRecord): ProbeResult {
  return { tests: record.tests, verdict: record.verdict, peakBytes: record.evidence.peakBytes, durationMs: record.evidence.durationMs, runId: record.runId };
}

// Every bisection probe is a real run, recorded like a batch. The first re-run of the whole
// batch is its confirmation.
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

// The report of the previous hunt stays beside the new one (nightly baseline, comparison).
async function keepPreviousReport(outDir: string): Promise<void> {
  await rename(join(outDir, REPORT_FILE), join(outDir, 'leakhunt-report.previous.json')).catch(() => undefined);
}

class PartialReportWriter {
  private lastWriteMs = 0;
  constructor(private readonly path: string, private readonly builder: ReportBuilder, private readonly now: () => Date) {}

  async maybeWrite(): Promise<void> {
    if (this.now().getTime() - this.lastWriteMs >= PARTIAL_WRITE_INTERVAL_MS) await this.write('interrupted', ExitCode.Interrupted);
  }

  /** A partial report says 'interrupted' until the final one replaces it: if leakhunt dies now, that is the truth. */
  async write(status: ReportStatus, exitCode: number): Promise<void> {
    await this.writeReport(this.builder.build(status, exitCode, this.now()));
  }

  async writeReport(report: Report): Promise<void> {
    this.lastWriteMs = this.now().getTime();
    await writeFileAtomic(this.path, `${JSON.stringify(report, null, 2)}\n`);
  }
}
