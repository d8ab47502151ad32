// Starts a run's root process: its own process group (`detached: true`), stdin closed,
// stdout and stderr both written to the log through one file descriptor (never a pipe: an
// escaped grandchild holding a pipe keeps execa's promise pending forever, docs/platform.md §3; one
// descriptor for both keeps their lines in the order they were written). We listen for
// 'exit' and never await the execa promise for the end of the run.
//
// node:child_process, not execa 9: execa would work at run time (pid at once, promise settled
// 2 ms after exit with fd stdio), but none of what it adds applies here: its buffering and
// promise are unused, its kill/timeout/cleanup reach only the direct child (cleanup is even
// off for detached children, docs/platform.md §3), and its types accept only fds 3–9 for stdout, while
// a log fd in a busy process is often higher. kill-tree.ts does all the killing.

import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { describeSpawnFailure } from './attribution.js';

export interface RootExit {
  readonly exitCode: number | undefined;
  readonly signal: NodeJS.Signals | undefined;
  /** performance.now() when the root was reaped. */
  readonly atMs: number;
}

export interface SpawnedRoot {
  readonly pid: number;
  readonly exited: Promise<RootExit>;
}

export interface SpawnRequest {
  readonly argv: readonly [string, ...string[]];
  readonly cwd: string;
  /** Added to leakhunt's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Receives both stdout and stderr. */
  readonly logFd: number;
}

/**
 * Why the command cannot start, or undefined. Checked before spawning because the wrapper
 * (`sh -c … exec "$@"`) would otherwise turn "not found" into an ordinary exit 127.
 */
export async function findSpawnProblem(command: string, cwd: string, pathVariable: string): Promise<string | undefined> {
  const cwdStat = await stat(cwd).catch(() => undefined);
  if (cwdStat?.isDirectory() !== true) return describeSpawnFailure('NO_CWD', command, cwd);
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : resolve(cwd, command)]
    : // Hand-written, not `which`: it answers found or not, while this must tell "not executable"
      // and "a directory" from "not found", and resolve relative PATH entries from the batch's cwd.
      pathVariable
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(resolve(cwd, dir), command));
  let firstProblem = 'ENOENT';
  for (const candidate of candidates) {
    const problem = await checkExecutable(candidate);
    if (problem === undefined) return undefined;
    // A non-executable match is reported only when no later PATH entry works (as sh does).
    if (firstProblem === 'ENOENT') firstProblem = problem;
  }
  return describeSpawnFailure(firstProblem, command, cwd);
}

async function checkExecutable(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 'ENOENT';
  if (info.isDirectory()) return 'EISDIR';
  return access(path, constants.X_OK).then(
    () => undefined,
    () => 'EACCES',
  );
}

/** Spawns the root; resolves the spawn error text when even /bin/sh could not start. */
export async function spawnRoot(request: SpawnRequest): Promise<SpawnedRoot | { readonly error: string }> {
  const [file, ...args] = request.argv;
  const child = spawn(file, args, {
    cwd: request.cwd,
    env: { ...process.env, ...request.env },
    detached: true,
    stdio: ['ignore', request.logFd, request.logFd],
  });
  const exited = new Promise<RootExit>((resolveExit) => {
    child.once('exit', (code, signal) => {
      resolveExit({ exitCode: code ?? undefined, signal: signal ?? undefined, atMs: performance.now() });
    });
  });
  if (child.pid === undefined) {
    const error = await new Promise<NodeJS.ErrnoException>((resolveError) => child.once('error', resolveError));
    return { error: describeSpawnFailure(error.code, file, request.cwd) };
  }
  // Errors after a successful spawn (a failed kill) must not crash leakhunt: the exit event decides.
  child.on('error', () => undefined);
  return { pid: child.pid, exited };
}
