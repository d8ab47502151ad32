// What a leakhunt process left behind, seen without leakhunt's own code: live processes
// carrying its run keys (plain ps), its cgroups (lh<pid>_… under any leakhunt cgroup root),
// its guardian process, and its runs' temp dirs (leakhunt-tmp-<pid>-… in the temp dir).
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { livingProcessesWhoseCommandHas } from './processes.js';
import { survivorsOf } from './run-leakhunt.js';

const CGROUP_ROOTS = ['/sys/fs/cgroup/memory/leakhunt', '/sys/fs/cgroup/unified/leakhunt', '/sys/fs/cgroup/leakhunt'];

export function cgroupsOf(pid: number): string[] {
  return CGROUP_ROOTS.flatMap((root) => {
    try {
      return readdirSync(root)
        .filter((name) => name.startsWith(`lh${pid}_`))
        .map((name) => join(root, name));
    } catch {
      return [];
    }
  });
}

/** "pid command" of the guardian of leakhunt `pid`, if it runs. */
export function guardianOf(pid: number): string[] {
  return livingProcessesWhoseCommandHas(`guardian-main.js ${pid} `);
}

/** The run temp dirs of leakhunt `pid` still in this process's temp dir (a hunt started with the same TMPDIR). */
export function tmpdirsOf(pid: number): string[] {
  try {
    return readdirSync(tmpdir()).filter((name) => name.startsWith(`leakhunt-tmp-${pid}-`));
  } catch {
    return [];
  }
}

export interface LeftBehind {
  readonly processes: number[];
  readonly cgroups: string[];
  readonly guardian: string[];
  readonly tmpdirs: string[];
}

export function leftBehindBy(pid: number): LeftBehind {
  return { processes: survivorsOf(pid), cgroups: cgroupsOf(pid), guardian: guardianOf(pid), tmpdirs: tmpdirsOf(pid) };
}

export const NOTHING_LEFT: LeftBehind = { processes: [], cgroups: [], guardian: [], tmpdirs: [] };

/** Polls until `check` holds or the deadline passes; returns whether it held. */
export async function waitUntil(check: () => boolean, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
