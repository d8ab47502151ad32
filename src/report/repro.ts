// Turns what bisection learned into something a person can act on: the runner's own
// command line, pasted in their shell, plus what it needs to show the failure.
import type { Finding } from '../bisect/types.js';
import { hangConfirmationBudget } from '../classify/hang.js';
import type { Budget } from '../execute/types.js';
import type { RunnerPreset } from '../runners/types.js';
import type { IdFrame } from '../selection/frame.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';
import type { ReportedFinding } from './model.js';

/**
 * The finding's ids stay in the user's frame; the repro runs from `cwd`, where the user
 * started leakhunt (the preset decides how: paths from there, or a cd it cannot avoid).
 */
export function reportFinding(
  finding: Finding,
  preset: RunnerPreset,
  frame: IdFrame,
  cwd: string,
  budget: Budget,
  narrowing: readonly string[] = [],
  severity?: ReportedFinding['severity'],
): ReportedFinding {
  const runnerTests = finding.reproTests.map(frame.toRunner);
  const repro = preset.reproCommand(runnerTests, narrowing, cwd);
  const runnerIds = differingRunnerIds(finding, frame);
  const notes = [reproNote(finding, budget, severity), preset.reproOrderNote?.(runnerTests)].filter((note) => note !== undefined);
  return { ...finding, repro, reproNote: notes.length === 0 ? undefined : notes.join('; '), ...(runnerIds !== undefined && { runnerIds }) };
}

// The runner's own spelling, kept beside the user's only where the two differ.
function differingRunnerIds(finding: Finding, frame: IdFrame): Record<string, string> | undefined {
  if (frame.same) return undefined;
  const ids = [
    ...finding.culprits,
    ...(finding.victim === undefined ? [] : [finding.victim]),
    ...(finding.victims ?? []),
    ...(finding.cleaners ?? []),
    ...(finding.smallestFailingSet ?? []),
    ...finding.reproTests,
  ];
  const differing = ids.map((id) => [id, frame.toRunner(id)] as const).filter(([id, runner]) => id !== runner);
  return differing.length === 0 ? undefined : Object.fromEntries(differing);
}

function reproNote(finding: Finding, budget: Budget, severity: ReportedFinding['severity']): string | undefined {
  const memory = formatBytes(budget.memoryBytes);
  switch (finding.kind) {
    case 'hog':
    case 'accumulator':
      // A warning passed: saying it "dies" would contradict the batch table beside it.
      if (severity === 'warning')
        return `memory grows test after test; it stayed under leakhunt's budget of ${memory} for the whole process tree`;
      return `dies only under a memory limit: leakhunt's budget was ${memory} for the whole process tree`;
    case 'hang':
      return hangNote(budget.timeoutMs);
    case 'polluter':
      return 'fails only in this order: the victim passes when run alone';
    case 'interaction':
      return 'fails only when all of these run together, in this order';
    case 'unresolved':
      return unresolvedNote(finding.signature.outcome, budget);
    case 'flaky':
      return 'did not reproduce reliably: run it several times';
    default:
      return undefined;
  }
}

// An unresolved finding's list is the smallest that still showed the failure (a member not shown
// to be needed, a hunt out of runs): it did reproduce, so say how, never "did not reproduce".
function unresolvedNote(outcome: Finding['signature']['outcome'], budget: Budget): string {
  // A memory death left unresolved still needs the limit to show (e.g. a shared load over it).
  if (outcome === 'over-memory' || outcome === 'oom-killed')
    return `dies only under a memory limit: leakhunt's budget was ${formatBytes(budget.memoryBytes)} for the whole process tree`;
  const shown =
    outcome === 'timeout' ? `ran past the --timeout of ${formatDuration(budget.timeoutMs)}` : outcome === 'crashed' ? 'crashed' : 'failed';
  return `these tests ${shown} in leakhunt's runs, in this order; no single culprit was shown`;
}

// A lone hang is confirmed under a longer budget than the batch's (classify/hang.ts): say both,
// or "timed out after 1 min" in the evidence reads against "stopped it after 20 s" here. The
// finding's `because` says which clock its run had; the note gives both.
function hangNote(timeoutMs: number): string {
  const alone = hangConfirmationBudget(timeoutMs);
  return `does not end: alone it was still running when leakhunt stopped it, ${formatDuration(alone.testTimeoutMs)} after the test started (${formatDuration(alone.timeoutMs)} after the runner did, when no test start was recorded); a batch gets --timeout ${formatDuration(timeoutMs)}, a lone suspect longer, so a slow test is not called hung`;
}
