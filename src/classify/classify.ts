// Facts in, verdict out: no clock, no /proc, no process here. Our own evidence comes first
// and the exit code last, because a bare 137 or 143 can mean several things.
import type { Budget, ProcessOutcome } from '../execute/types.js';
import type { TestResults } from '../runners/types.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';
import { describeSignal, signalFromExitCode } from './signals.js';
import type { Outcome, Verdict } from './types.js';

function verdict(outcome: Outcome, because: string, extra: Partial<Verdict> = {}): Verdict {
  return { outcome, because, failingTests: [], signal: undefined, ...extra };
}

/** The highest memory one test's process reached, by the per-test probe's own record. */
export interface RecordedPeak {
  readonly test: string;
  readonly bytes: number;
}

/**
 * Classifies one run. `results` is what the runner preset read back (undefined if it could not);
 * `recordedPeak`, the probe's highest per-test figure, when it ran.
 */
export function classifyRun(run: ProcessOutcome, results: TestResults | undefined, budget: Budget, recordedPeak?: RecordedPeak): Verdict {
  const peak = formatBytes(run.peakBytes);
  const limit = formatBytes(budget.memoryBytes);
  if (run.spawnError !== undefined) return verdict('error', `could not start: ${run.spawnError}`);
  if (run.killedBy === 'interrupted') return verdict('interrupted', 'stopped by the user (Ctrl-C) before it finished');
  if (run.killedBy === 'memory-budget') {
    const enforcer = run.kernelOomKills > 0 ? " (enforced by the kernel in leakhunt's cgroup)" : '';
    return verdict('over-memory', `tree peak ${peak} reached the ${limit} budget${enforcer}`);
  }
  if (run.killedBy === 'time-budget') {
    // A lone test's budget counted from its start record (classify/hang.ts): say both clocks.
    if (run.markClock !== undefined) {
      const { timeoutMs, markedAfterMs } = run.markClock;
      return verdict(
        'timeout',
        `its test ran ${formatDuration(timeoutMs)} without ending, after ${formatDuration(markedAfterMs)} of start-up (peak ${peak})`,
      );
    }
    return verdict('timeout', `still running after the ${formatDuration(budget.timeoutMs)} time budget (peak ${peak})`);
  }
  // A sampler (ps, /proc) reads the tree every ~100 ms and can miss a spike that a test makes
  // and frees in between (400 MB zero-filled and dropped, under load: it read 299.5 of 300 MB
  // and called the batch passed). The test's own process held more than the budget, by the
  // probe's record: with a real limit it would have died, so it is over-memory. Samplers only:
  // a cgroup enforces the limit on every page it charges, so a tree it did not kill stayed
  // within it, and a process's RSS is not its measure (shared file pages: a jest run's record
  // read 164 MiB where its cgroup peaked at 129 of 135 MiB, and an innocent file was a hog).
  const sampled = run.backend === 'proc-sampler' || run.backend === 'ps-sampler';
  if (sampled && recordedPeak !== undefined && recordedPeak.bytes >= budget.memoryBytes) {
    return verdict(
      'over-memory',
      `${recordedPeak.test} reached ${formatBytes(recordedPeak.bytes)} (its per-test record), over the ${limit} budget; the tree readings (peak ${peak}) missed the spike`,
    );
  }
  if (run.kernelOomKills > 0) {
    return verdict(
      'oom-killed',
      `the kernel OOM killer ended ${run.kernelOomKills} process(es) while the tree peak ${peak} stayed under the ${limit} budget: an outer memory limit (machine or CI container) was hit`,
    );
  }
  const signal = run.signal ?? signalFromExitCode(run.exitCode);
  if (signal !== undefined) {
    const code = run.exitCode === undefined ? '' : ` (exit ${run.exitCode})`;
    return verdict('crashed', `${describeSignal(signal)}${code}; peak ${peak}`, { signal });
  }
  return classifyByResults(run.exitCode, results);
}

// jest/vitest fail a file: which of its tests failed is what the user looks for next.
function withFailedInside(test: string, inside: readonly string[] | undefined): string {
  if (inside === undefined || inside.length === 0) return test;
  const names = inside.slice(0, 2).join('; ') + (inside.length > 2 ? `; … (${inside.length - 2} more)` : '');
  return `${test} (failed inside: ${names})`;
}

// The process ended on its own: now the runner's own report decides.
function classifyByResults(exitCode: number | undefined, results: TestResults | undefined): Verdict {
  if (results?.startError !== undefined) return verdict('error', results.startError);
  if (results?.collected === 0) return verdict('no-tests', 'the runner collected no tests');
  const failing = results?.failing ?? [];
  const setup = results?.sharedStartFailure;
  if (failing.length > 0 && setup !== undefined) {
    const every = failing.length === 1 ? `its one test (${failing[0]})` : `all ${failing.length} of its tests`;
    return verdict('failed', `${every} failed before any test ran, with one error that names none of them: ${setup}`, {
      failingTests: failing,
      setupFailure: setup,
    });
  }
  if (failing.length > 0) {
    const named = failing.map((test, i) => withFailedInside(test, results?.failingInside?.[i]));
    const shown = named.slice(0, 3).join(', ') + (failing.length > 3 ? `, … (${failing.length - 3} more)` : '');
    const noun = failing.length === 1 ? 'test' : 'tests';
    return verdict('failed', `${failing.length} ${noun} failed: ${shown}`, { failingTests: failing });
  }
  if (exitCode !== 0) {
    return verdict('failed', `exit code ${exitCode ?? 'unknown'} and no failing test was reported (see the log)`);
  }
  if (results?.collected === undefined) return verdict('passed', 'exit 0');
  const skipped = results.skipped > 0 ? `, ${results.skipped} skipped` : '';
  return verdict('passed', `exit 0: ${results.passed} passed${skipped}`);
}
