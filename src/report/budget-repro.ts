// A memory death reproduces only under a memory limit: the runner's own repro line passes
// without one. This is the line that dies again: leakhunt itself, on exactly the finding's
// tests, under the hunt's budget. Pure: the hunt's settings in, one shell line out.
import { resolve } from 'node:path';
import type { Finding } from '../bisect/types.js';
import type { BackendRequest } from '../execute/backend.js';
import type { TestId } from '../plan/types.js';
import { quoteCommand, quoteWord } from '../runners/quote.js';
import type { RunnerName } from '../runners/types.js';
import { userPathFrom } from '../selection/frame.js';

export interface BudgetReproSettings {
  /** Where the user ran leakhunt: the line is pasted there. */
  readonly cwd: string;
  /** The directory the user's ids are relative to (the selection's root). */
  readonly userRoot: string;
  readonly runner: RunnerName;
  /** Given by the user (--project); undefined: found again from the same ids. */
  readonly projectDir: string | undefined;
  readonly cmd: string | undefined;
  readonly python: string | undefined;
  readonly runnerArgs: readonly string[];
  readonly memoryBytes: number;
  readonly backend: BackendRequest;
  readonly outDir: string;
}

const MIB = 1024 ** 2;

/**
 * `printf '%s\n' <ids> | npx leakhunt run /dev/stdin --root … --memory …`: the selection
 * is read from the pipe (no file to keep), ids as the report spells them. A single test (a
 * hog) is hunted as usual, so the repro names it again; several tests (an accumulator's
 * prefix, an interaction of hogs) run once in order, unbisected. Its own --out, so the
 * hunt's report is not replaced. undefined for findings that are not memory deaths.
 */
export function budgetRepro(finding: Finding, settings: BudgetReproSettings): string | undefined {
  const outcome = finding.signature.outcome;
  if (outcome !== 'over-memory' && outcome !== 'oom-killed') return undefined;
  if (finding.kind === 'flaky' || finding.kind === 'unresolved' || finding.reproTests.length === 0) return undefined;
  const from = (dir: string): string => userPathFrom(settings.cwd, resolve(settings.cwd, dir));
  const ids = finding.reproTests as readonly TestId[];
  const flags = [
    '--root',
    from(settings.userRoot),
    '--runner',
    settings.runner,
    ...(settings.cmd === undefined ? [] : ['--cmd', settings.cmd]),
    ...(settings.projectDir === undefined ? [] : ['--project', from(settings.projectDir)]),
    ...(settings.python === undefined ? [] : ['--python', settings.python]),
    ...settings.runnerArgs.map((arg) => `--runner-arg=${arg}`),
    '--memory',
    memoryFlag(settings.memoryBytes),
    ...(settings.backend === 'auto' ? [] : ['--backend', settings.backend]),
    ...(ids.length > 1 ? ['--no-bisect'] : []),
    '--out',
    from(resolve(settings.cwd, settings.outDir, 'repro')),
  ];
  return `printf '%s\\n' ${ids.map(quoteWord).join(' ')} | ${quoteCommand(['npx', 'leakhunt', 'run', '/dev/stdin', ...flags])}`;
}

// Exactly the hunt's budget, in a unit --memory reads back to the same bytes.
function memoryFlag(bytes: number): string {
  if (bytes % MIB === 0) return `${bytes / MIB}MiB`;
  if (bytes % 1_000_000 === 0) return `${bytes / 1_000_000}MB`;
  return `${bytes}B`;
}
