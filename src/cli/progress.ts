// Progress on stderr (stdout is for results): one permanent line per finished batch and per
// bisection step, which reads well in CI logs; on a TTY also a live status line with elapsed time.
import { join, relative } from 'node:path';
import type { ChalkInstance } from 'chalk';
import type { BisectEvent } from '../bisect/hunt.js';
import type { Outcome } from '../classify/types.js';
import type { HuntEvent } from '../events.js';
import type { RunRecord } from '../report/model.js';
import { batchesText, culpritText } from '../reporters/facts.js';
import { countOf, type EntryNoun, entryNoun } from '../selection/count-words.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const OUTCOME_COLORS: Record<Outcome, keyof Pick<ChalkInstance, 'green' | 'red' | 'yellow' | 'magenta' | 'gray'>> = {
  passed: 'green',
  failed: 'red',
  'over-memory': 'red',
  'oom-killed': 'red',
  timeout: 'yellow',
  crashed: 'magenta',
  'no-tests': 'gray',
  error: 'red',
  interrupted: 'gray',
};

const MAX_WARNINGS_SHOWN = 10;

export class ProgressPrinter {
  private batchCount = 0;
  /** What the plan's entries are (tests, files, entries): a hunt's count says the same word. */
  private entryNoun: EntryNoun = 'test';
  private batchesDone = 0;
  private batchTimeMs = 0;
  private live: { label: string; startedMs: number } | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: ProgressStream,
    private readonly chalk: ChalkInstance,
    private readonly nowMs: () => number,
    /** Log paths in records are relative to it; printed relative to the cwd. */
    private readonly outDir: string,
    /** Paths are printed relative to where the user stands, as they would type them. */
    private readonly cwd: string = process.cwd(),
  ) {}

  readonly onEvent = (event: HuntEvent): void => {
    switch (event.type) {
      case 'hunt-started':
        this.batchCount = event.plan.batches.length;
        this.entryNoun = entryNoun(event.plan.batches.flatMap((batch) => batch.tests));
        // A big selection can warn thousands of times; the report keeps every warning.
        for (const warning of event.warnings.slice(0, MAX_WARNINGS_SHOWN)) this.line(this.chalk.yellow(`warning: ${warning}`));
        if (event.warnings.length > MAX_WARNINGS_SHOWN) {
          this.line(
            this.chalk.yellow(`… and ${event.warnings.length - MAX_WARNINGS_SHOWN} more warnings (all in the report's selection.warnings)`),
          );
        }
        this.line(
          `${event.runner} in ${relative(this.cwd, event.projectDir) || '.'}: ${batchesText(this.batchCount)}, memory measured by ${event.backend}`,
        );
        return;
      case 'run-started':
        // The longest wait of a hunt (up to 3× --timeout), said when it starts: without it the
        // console sits silent for minutes. Said in words true of every such run: a suspected
        // hang's, and an accumulator's contributors rerun (a memory question, not a hang).
        if (event.timeoutMs !== undefined) {
          // A lone test under a probe: its budget is its own time, from its start (classify/hang.ts).
          const upTo =
            event.testTimeoutMs === undefined ? formatDuration(event.timeoutMs) : `${formatDuration(event.testTimeoutMs)} once it starts`;
          this.line(
            this.chalk.dim(
              `  ${describeTests(event.tests)} ${event.tests.length === 1 ? 'runs' : 'run'} alone for up to ${upTo}: a longer time budget, so a slow run is not cut short`,
            ),
          );
        }
        this.startLive(
          event.kind === 'batch'
            ? `batch ${event.batchIndex}/${this.batchCount}${this.eta()}`
            : `  trial of batch ${event.batchIndex} (${event.tests.length} test${event.tests.length === 1 ? '' : 's'})`,
        );
        return;
      case 'run-finished':
        this.stopLive();
        if (event.record.kind === 'batch') this.onBatchFinished(event.record);
        return;
      case 'bisect':
        this.onBisect(event.event);
        return;
      case 'hunt-interrupted':
        this.stopLive();
        this.line(
          this.chalk.yellow(event.reason === 'interrupted' ? 'interrupted: writing what was learned so far' : 'stopped at --max-runs'),
        );
    }
  };

  close(): void {
    this.stopLive();
  }

  private onBatchFinished(record: RunRecord): void {
    this.batchesDone += 1;
    this.batchTimeMs += record.evidence.durationMs;
    this.line(this.batchLine(record));
    if (record.verdict.outcome !== 'passed')
      this.line(this.chalk.dim(`  ${record.verdict.because} · log: ${join(this.outDir, record.logPath)}`));
  }

  /** "ETA 1 min 10 s" from the mean batch so far; nothing before the first batch ends. */
  private eta(): string {
    const remaining = this.batchCount - this.batchesDone;
    if (this.batchesDone === 0 || remaining <= 0) return '';
    return `, ETA ${formatDuration((this.batchTimeMs / this.batchesDone) * remaining)}`;
  }

  private batchLine(record: RunRecord): string {
    const { evidence, verdict } = record;
    const outcome = this.chalk[OUTCOME_COLORS[verdict.outcome]](verdict.outcome.padEnd(11));
    const peak = `peak ${formatBytes(evidence.peakBytes)} / ${formatBytes(evidence.budgetBytes)}`;
    const orphans = evidence.orphans.length > 0 ? this.chalk.yellow(`  ${evidence.orphans.length} orphan(s) killed`) : '';
    return `batch ${String(record.batchIndex).padStart(String(this.batchCount).length)}/${this.batchCount}  ${outcome} ${peak.padEnd(24)} ${formatDuration(evidence.durationMs).padStart(8)}  ${this.chalk.dim(record.tests.join(' '))}${orphans}`;
  }

  private onBisect(event: BisectEvent): void {
    switch (event.type) {
      case 'hunt-started':
        this.line(
          `bisecting batch ${event.batchIndex} (${countOf(event.tests, this.entryNoun)}, ${failureText(event.signature)}): about ${event.runsEstimated} runs`,
        );
        return;
      case 'trial-finished': {
        const mark = event.matched ? this.chalk.red('reproduced') : this.chalk.green('clean');
        this.line(
          this.chalk.dim(
            `  run ${runNumber(event.trial.runId, event.runsUsed)}: ${describeTests(event.trial.tests)} → ${event.trial.verdict.outcome} (${mark})`,
          ),
        );
        return;
      }
      case 'finding':
        this.line(`  ${this.chalk.bold(event.finding.kind)}: ${culpritText(event.finding)}`);
        return;
      case 'strategy':
        this.line(`batch ${event.batchIndex}: ${event.text}`);
        return;
      case 'hunt-stopped':
        this.line(this.chalk.yellow(`  stopped (${event.reason}); smallest failing set: ${event.smallestFailingSet.join(' ')}`));
    }
  }

  private line(text: string): void {
    this.clearLive();
    this.out.write(`${text}\n`);
    this.drawLive();
  }

  private startLive(label: string): void {
    if (this.out.isTTY !== true) return;
    this.live = { label, startedMs: this.nowMs() };
    this.ticker ??= setInterval(() => this.drawLive(), 250).unref();
    this.drawLive();
  }

  private stopLive(): void {
    this.clearLive();
    this.live = undefined;
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  // Two escape codes, not `log-update`: v8 needs Node 22, and v6 (a block redrawer) hides the cursor
  // and adds restore-cursor's signal-exit hooks beside the Ctrl-C handling in commands/run.ts.
  private drawLive(): void {
    if (this.live === undefined) return;
    const elapsed = formatDuration(this.nowMs() - this.live.startedMs);
    this.out.write(`\r\x1b[2K${this.chalk.cyan(`${this.live.label} running… ${elapsed}`)}`);
  }

  private clearLive(): void {
    if (this.live !== undefined) this.out.write('\r\x1b[2K');
  }
}

/** Small trials by name (what was just ruled in or out), larger ones by count. */
// Trials of one batch can run side by side (--jobs): the count when one finishes repeats
// ("run 3", "run 3"), while its run id (b002-p03) numbers each trial once, as in the report.
function runNumber(runId: string, runsUsed: number): number {
  const numbered = /-p(\d+)$/.exec(runId)?.[1];
  return numbered === undefined ? runsUsed : Number(numbered);
}

// Each failing test of a batch is its own hunt: 116 victims of one polluter printed 116
// identical "bisecting batch 1 (12 files, failed)" lines. The test tells them apart.
function failureText(signature: { readonly outcome: string; readonly failingTest?: string | undefined }): string {
  return signature.failingTest === undefined ? signature.outcome : `${signature.outcome}: ${describeTests([signature.failingTest])}`;
}

function describeTests(tests: readonly string[]): string {
  if (tests.length > 2) return countOf(tests.length, entryNoun(tests));
  return tests.map((test) => test.slice(test.lastIndexOf('/') + 1)).join(' + ');
}
