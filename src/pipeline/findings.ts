// Turns what bisection learned into something a person can act on: the runner's own
// command line, pasted in their shell, plus what it needs to show the failure.
import { relative } from 'node:path';
import type { Finding } from '../bisect/types.js';
import type { Budget } from '../execute/types.js';
import type { ReportedFinding } from '../report/model.js';
import type { RunnerPreset } from '../runners/types.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';

export function reportFinding(finding: Finding, preset: RunnerPreset, projectDir: string, cwd: string, budget: Budget, narrowing: readonly string[] = []): ReportedFinding {
  const command = preset.reproCommand(finding.reproTests, narrowing);
  const where = relative(cwd, projectDir);
  const repro = where === '' ? command : `cd ${quoteIfNeeded(where)} && ${command}`;
  return { ...finding, repro, reproNote: reproNote(finding, budget) };
}

function reproNote(finding: Finding, budget: Budget): string | undefined {
  switch (finding.kind) {
    case 'hog':
    case 'accumulator':
      return `dies only under a memory limit: leakhunt's budget was ${formatBytes(budget.memoryBytes)} for the whole process tree`;
    case 'hang':
      return `does not end: leakhunt stopped it after ${formatDuration(budget.timeoutMs)}`;
    case 'polluter':
      return 'fails only in this order: the victim passes when run alone';
    case 'interaction':
      return 'fails only when all of these run together, in this order';
    case 'flaky':
    case 'unresolved':
      return 'did not reproduce reliably: run it several times';
    default:
      return undefined;
  }
}

function quoteIfNeeded(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
