// Decides whose kill a run's death was, from what the executor saw. Pure: the facts come in,
// a KillReason (or none) goes out. The kernel enforcing *our* cgroup limit is still our
// budget; a kernel OOM kill far below it came from some outer limit, and saying
// "memory-budget" then would blame the wrong test (classify calls that one `oom-killed`).
import type { KillReason } from './types.js';

/** A kernel OOM kill counts as ours when the tree had reached this share of the budget. */
export const BUDGET_OOM_PEAK_SHARE = 0.95;

/** What made the executor stop a run early; 'kernel-oom' is the cgroup's oom_kill counter moving. */
export type StopCause = KillReason | 'kernel-oom';

export interface KillFacts {
  /** The first reason the executor acted on, if it acted. */
  readonly stopCause: StopCause | undefined;
  /** oom_kill counter delta of the run's cgroup (0 without one). */
  readonly kernelOomKills: number;
  readonly peakBytes: number;
  readonly budgetBytes: number;
}

export function attributeKill(facts: KillFacts): KillReason | undefined {
  const { stopCause } = facts;
  if (stopCause !== undefined && stopCause !== 'kernel-oom') return stopCause;
  // Either we stopped because the counter moved, or it moved just before the root exited.
  if (facts.kernelOomKills > 0 && facts.peakBytes >= BUDGET_OOM_PEAK_SHARE * facts.budgetBytes) {
    return 'memory-budget';
  }
  return undefined;
}

/** One line for people, naming the command: "command not found: pytestt". */
export function describeSpawnFailure(code: string | undefined, command: string, cwd: string): string {
  switch (code) {
    case 'ENOENT':
      return `command not found: ${command}`;
    case 'EACCES':
      return `permission denied: ${command} is not executable`;
    case 'EISDIR':
      return `not a program: ${command} is a directory`;
    case 'NO_CWD':
      return `working directory not found: ${cwd}`;
    default:
      return `cannot start ${command}: ${code ?? 'unknown error'}`;
  }
}
