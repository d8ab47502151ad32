// Finds and kills what a leakhunt process left running after it died (kill -9, OOM kill of
// node, a crash): every process in its cgroups (named lh<owner>_…), in the process groups of
// its runs, or carrying one of its run keys (LEAKHUNT_RUN_KEY=<runId>-<owner>-<n>); then
// removes its cgroups and its runs' temp dirs. Used by the guardian the moment its owner dies, and by every new
// executor for owners that died with no guardian left to clean up after them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessTable } from '../processes/table.js';
import { removeOwnerTmpdirs, tmpdirOwners } from '../run-tmpdir.js';

export const RUN_KEY_VARIABLE = 'LEAKHUNT_RUN_KEY';
const OWNED_GROUP = /^lh(\d+)_/;
const OWNED_KEY = /-(\d+)-\d+$/;
/** Members are SIGKILLed; what is left after this long is in uninterruptible sleep and the kernel's. */
const SWEEP_DEADLINE_MS = 5000;
const ROUND_PAUSE_MS = 50;

export interface Leftovers {
  /** The owner's `lh<pid>_` group directories under the roots. */
  readonly groups: string[];
  /** Processes still alive in them, in the process groups given, or with the owner's run key. */
  readonly pids: number[];
}

export interface SweepResult {
  readonly killed: number;
  readonly groupsRemoved: number;
  readonly groupsLeft: number;
}

/** The leakhunt pid inside a run key "b001-p02-4242-7", or undefined when it is not one. */
export function ownerOfRunKey(key: string): number | undefined {
  const owner = OWNED_KEY.exec(key)?.[1];
  return owner === undefined ? undefined : Number(owner);
}

export function ownerOfGroupName(name: string): number | undefined {
  const owner = OWNED_GROUP.exec(name)?.[1];
  return owner === undefined ? undefined : Number(owner);
}

/**
 * SIGKILLs everything `owner` left, round after round until a round finds nothing (a member
 * may fork while we kill), then removes its groups. Bounded by SWEEP_DEADLINE_MS.
 */
export async function sweepOwner(
  owner: number,
  roots: readonly string[],
  table: ProcessTable,
  processGroups: readonly number[] = [],
): Promise<SweepResult> {
  const deadline = performance.now() + SWEEP_DEADLINE_MS;
  const killed = new Set<number>();
  let groups: string[] = [];
  for (;;) {
    const found = await findLeftovers(owner, roots, table);
    groups = found.groups;
    for (const group of groups) killGroupMembers(group);
    for (const pgid of processGroups) signal(-pgid);
    for (const pid of found.pids) {
      signal(pid);
      killed.add(pid);
    }
    const stillThere = found.pids.filter((pid) => !table.isGone(pid));
    if ((found.pids.length === 0 || stillThere.length === 0) && groups.every(isEmptyGroup)) break;
    if (performance.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
  }
  let groupsRemoved = 0;
  for (const group of groups) if (await removeGroup(group, deadline)) groupsRemoved += 1;
  await removeOwnerTmpdirs(owner);
  return { killed: killed.size, groupsRemoved, groupsLeft: groups.length - groupsRemoved };
}

/**
 * Sweeps every owner that is no longer running: found by its cgroups' names and by the run
 * keys in live processes' environments (the only trace without cgroups). A live owner's
 * processes and groups are never touched, so hunts running side by side are safe.
 */
export async function sweepDeadOwners(roots: readonly string[], table: ProcessTable): Promise<SweepResult> {
  const owners = new Set<number>();
  for (const root of roots) {
    for (const name of await readdir(root).catch(() => [] as string[])) {
      const owner = ownerOfGroupName(name);
      if (owner !== undefined) owners.add(owner);
    }
  }
  for (const key of (await table.envValues(RUN_KEY_VARIABLE).catch(() => new Map<number, string>())).values()) {
    const owner = ownerOfRunKey(key);
    if (owner !== undefined) owners.add(owner);
  }
  for (const owner of await tmpdirOwners()) owners.add(owner);
  const total = { killed: 0, groupsRemoved: 0, groupsLeft: 0 };
  for (const owner of owners) {
    if (owner === process.pid || isProcessAlive(owner)) continue;
    const result = await sweepOwner(owner, roots, table);
    total.killed += result.killed;
    total.groupsRemoved += result.groupsRemoved;
    total.groupsLeft += result.groupsLeft;
  }
  return total;
}

export async function findLeftovers(owner: number, roots: readonly string[], table: ProcessTable): Promise<Leftovers> {
  const groups: string[] = [];
  const pids = new Set<number>();
  for (const root of new Set(roots)) {
    for (const name of await readdir(root).catch(() => [] as string[])) {
      if (ownerOfGroupName(name) !== owner) continue;
      groups.push(join(root, name));
      for (const pid of groupMembers(join(root, name))) pids.add(pid);
    }
  }
  for (const [pid, key] of await table.envValues(RUN_KEY_VARIABLE).catch(() => new Map<number, string>())) {
    if (ownerOfRunKey(key) === owner) pids.add(pid);
  }
  return { groups, pids: [...pids].filter((pid) => pid > 1 && pid !== process.pid && !table.isGone(pid)) };
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function groupMembers(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((word) => word !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** cgroup.kill (v2, atomic) where it exists; the procs loop after it either way. */
function killGroupMembers(dir: string): void {
  if (existsSync(join(dir, 'cgroup.kill'))) {
    try {
      writeFileSync(join(dir, 'cgroup.kill'), '1');
    } catch {
      // the loop below still kills
    }
  }
  for (const pid of groupMembers(dir)) signal(pid);
}

function isEmptyGroup(dir: string): boolean {
  return groupMembers(dir).length === 0;
}

async function removeGroup(dir: string, deadline: number): Promise<boolean> {
  for (;;) {
    const removed = await rmdir(dir).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
    );
    if (removed) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
  }
}

function signal(target: number): void {
  // Never init, ourselves or our own group (-0 and -1 mean "my group" and "everything").
  if (Math.abs(target) <= 1 || target === process.pid || target === -process.pid) return;
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // gone already
  }
}
