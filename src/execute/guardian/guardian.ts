// Starts and talks to this process's guardian (guardian-main.ts): whatever ends leakhunt,
// kill -9 and OOM kills included, its runs die within a second or so. PR_SET_PDEATHSIG would
// reach only the direct child (the run's root), not the tree under it, and Node cannot set it.
//
// The guardian is a separate node process reading a pipe from us; the pipe's end is closed by
// the kernel when we die. Started once per process, on the first executor, and never waited
// for (unref'd): a leakhunt that exits normally has already killed its runs, and the
// guardian's final sweep then finds nothing.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProcessTable } from '../processes/table.js';

export interface Guardian {
  /** Cgroup roots where this process's groups (lh<pid>_…) live. */
  addRoots(roots: readonly string[]): void;
  /** A run started: its root's pid is its process group. */
  watchGroup(pgid: number): void;
  /** Members of the run `pgid` (sent once each, with their start key: pids are reused). */
  watchMembers(pgid: number, pids: readonly number[], table: ProcessTable): void;
  /** The run ended and left nothing alive. */
  unwatchGroup(pgid: number): void;
}

interface GuardianState {
  readonly child: ChildProcess | undefined;
  readonly roots: Set<string>;
  /** Members already sent, per run. */
  readonly members: Map<number, Set<number>>;
  alive: boolean;
}

let current: GuardianState | undefined;

/** The guardian of this process, started on first use; a no-op guardian if it cannot start. */
export function guardian(tableSource: 'procfs' | 'ps'): Guardian {
  current ??= start(tableSource);
  const state = current;
  const send = (line: string): void => {
    if (!state.alive) return;
    state.child?.stdin?.write(`${line}\n`);
  };
  return {
    addRoots(roots) {
      for (const root of roots) {
        if (state.roots.has(root)) continue;
        state.roots.add(root);
        send(`root ${root}`);
      }
    },
    watchGroup: (pgid) => {
      state.members.set(pgid, new Set());
      send(`+ ${pgid}`);
    },
    watchMembers(pgid, pids, table) {
      const sent = state.members.get(pgid);
      if (sent === undefined) return;
      for (const pid of pids) {
        if (sent.has(pid)) continue;
        const startKey = table.stat(pid)?.startKey;
        if (startKey === undefined) continue;
        sent.add(pid);
        send(`m ${pgid} ${pid} ${startKey}`);
      }
    },
    unwatchGroup: (pgid) => {
      state.members.delete(pgid);
      send(`- ${pgid}`);
    },
  };
}

function start(tableSource: 'procfs' | 'ps'): GuardianState {
  const script = guardianScript();
  // Not built (a test run without `npm run build`): runs are still killed by leakhunt itself.
  if (!existsSync(script)) return { child: undefined, roots: new Set(), members: new Map(), alive: false };
  const child = spawn(process.execPath, [script, String(process.pid), tableSource], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    // Our own environment: leakhunt never carries its own run keys, and when leakhunt itself
    // runs inside another leakhunt's batch, the outer key keeps the guardian findable by it.
    env: process.env,
  });
  const state: GuardianState = { child, roots: new Set(), members: new Map(), alive: child.pid !== undefined };
  child.on('error', () => {
    state.alive = false;
  });
  child.on('exit', () => {
    state.alive = false;
  });
  child.stdin?.on('error', () => {
    state.alive = false;
  }); // EPIPE if someone killed it: leakhunt goes on
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return state;
}

/**
 * The compiled guardian-main.js beside this file (tsc's dist/), or from the CLI bundle in
 * dist/cli/ (scripts/bundle.mjs); under the test runner this file is the TypeScript source,
 * so the built copy in dist/ is used (npm test builds first).
 */
function guardianScript(): string {
  for (const candidate of ['./guardian-main.js', '../execute/guardian/guardian-main.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return fileURLToPath(new URL('../../../dist/execute/guardian/guardian-main.js', import.meta.url));
}
