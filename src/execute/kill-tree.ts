// Finds every live process of a run and signals it. No single mechanism is enough
// (docs/platform.md §3): a group kill misses setsid escapees and processes that ignore the signal,
// a tree walk misses processes that detached between two walks, an environment marker
// misses processes started with a cleared environment. So membership is the union of the
// run's cgroup, every descendant the sampler ever saw, an environment marker scan, and the
// run's process group.
// This module signals; when to signal which is decided by run-tree.ts.
import type { RunCgroups } from './budget/cgroup.js';
import type { TreeSampler } from './budget/tree-sampler.js';
import type { ProcessTable } from './processes/table.js';

export interface RunMembership {
  /** "LEAKHUNT_RUN_KEY=<unique key>", present in the environment of every process of the run. */
  readonly envEntry: string;
  readonly sampler: TreeSampler;
  readonly cgroups: RunCgroups | undefined;
  readonly table: ProcessTable;
  /** The run's process group (the root's pid: spawned detached); members that cleared their environment stay in it. */
  readonly processGroup: number;
}

/** Every live (non-zombie) process of the run, by all three means; the root first if alive. */
export async function findRunMembers(run: RunMembership): Promise<number[]> {
  // The root's pid only comes through the sampler, which checks its start time (pids are reused).
  const pids = new Set<number>(knownRunMembers(run));
  for (const pid of await run.table.pidsWithEnvEntry(run.envEntry)) pids.add(pid);
  // `env -i daemon &` has no key and, without a cgroup, may have left the tree before any sample.
  for (const pid of await run.table.pidsInGroup(run.processGroup)) pids.add(pid);
  return [...pids].filter((pid) => isSafeTarget(pid) && !run.table.isGone(pid));
}

/** Members known without a marker scan: cgroup membership and the sampler's records. Synchronous. */
export function knownRunMembers(run: RunMembership): number[] {
  const pids = new Set<number>(run.sampler.treePids());
  for (const pid of run.cgroups?.listPids() ?? []) pids.add(pid);
  for (const pid of run.sampler.knownAlivePids()) pids.add(pid);
  return [...pids].filter(isSafeTarget);
}

/** Signals a whole process group (the run's root is its leader: spawned detached). */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  if (!isSafeTarget(pgid)) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is empty.
  }
}

export function signalPids(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    if (!isSafeTarget(pid)) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Polls until `isDone` or the deadline; true when done. Never blocks the event loop. */
export async function waitFor(isDone: () => boolean, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!isDone()) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}

/** Never leakhunt itself, its parent, init, or a bogus pid (process.kill(-0) would hit our own group). */
function isSafeTarget(pid: number): boolean {
  return Number.isInteger(pid) && pid > 1 && pid !== process.pid && pid !== process.ppid;
}
