// The executor: the only part of leakhunt that starts processes. It picks the memory backend
// once, then for each run: checks the command can start, creates the run's cgroups, spawns
// the root under the wrapper with the run's env marker and its own temp dir, and hands the tree to TreeRun, which
// measures it, enforces the budgets and leaves nothing alive. It also keeps a registry of
// live runs so close() and process-exit handlers can end them all.
import { closeSync, writeFileSync } from 'node:fs';
import { EnvironmentError, UsageError } from '../errors.js';
import { type BackendChoice, type BackendRequest, chooseBackend } from './backend.js';
import { cgroupNameFor, RunCgroups } from './budget/cgroup.js';
import { type Guardian, guardian } from './guardian/guardian.js';
import { sweepDeadOwners } from './guardian/leftovers.js';
import { DEFAULT_LOG_LIMIT_BYTES, LogCap, openAppendLog } from './log-cap.js';
import { nodeOptionsForBudget } from './node-heap.js';
import { createRunTmpdir, removeRunTmpdir, tmpdirEnv } from './run-tmpdir.js';
import { TreeRun } from './run-tree.js';
import { findSpawnProblem, spawnRoot } from './spawn.js';
import type { MemoryBackend, ProcessExecutor, ProcessOutcome, ProcessSpec } from './types.js';
import { makeWrappedArgv } from './wrapper.js';

export { detectMemoryBackend } from './backend.js';

export interface ExecutorOptions {
  /** 'auto': cgroup v2 with memory controller, else v1 memory if writable, else the /proc sampler (ps without /proc). */
  readonly backend: BackendRequest;
  /** Sampler interval; default 50 ms, 20 ms when the /proc sampler is the only enforcement. */
  readonly sampleIntervalMs?: number;
}

export interface RunningExecutor extends ProcessExecutor {
  readonly backend: MemoryBackend;
  /** Why this backend and not a better one (for the report, --help, doctor). */
  readonly backendReason: string;
  /** Interrupts every run still going (SIGTERM, ≤ 1 s grace, SIGKILL) and waits for them to end. */
  close(): Promise<void>;
}

const SAMPLER_ONLY_INTERVAL_MS = 20;
const LOG_CHECK_INTERVAL_MS = 50;
const SAMPLER_WITH_CGROUP_INTERVAL_MS = 50;
// One ps run costs a few ms (more on macOS): sampling every 20 ms would keep a core busy.
const PS_SAMPLER_INTERVAL_MS = 50;

/** Every live run of every executor in this process, for killAllRunningNow(). */
const liveRuns = new Set<TreeRun>();
let runSequence = 0;

/** Synchronous, for process.on('exit') handlers: SIGKILL every tree this process still runs. */
export function killAllRunningNow(): void {
  for (const run of liveRuns) run.killNow();
}

export async function createProcessExecutor(options: ExecutorOptions): Promise<RunningExecutor> {
  const choice = await chooseBackend(options.backend, process.env);
  const roots = [choice.layout.memory?.root, choice.layout.killRoot].filter((root) => root !== undefined);
  // What a crashed, OOM-killed or kill -9'd leakhunt whose guardian died too left behind:
  // its processes (in its cgroups or with its run keys) and its groups.
  await sweepDeadOwners(roots, choice.table);
  const watchdog = guardian(choice.table.source);
  watchdog.addRoots(roots);
  const samplerEnforces = choice.layout.memory === undefined;
  const sampleIntervalMs = options.sampleIntervalMs ?? defaultInterval(choice, samplerEnforces);
  if (!(sampleIntervalMs > 0)) {
    throw new UsageError(`sample interval must be a positive number of ms, got ${sampleIntervalMs}`, 'try 20 or 50');
  }
  const mine = new Set<TreeRun>();
  const pending = new Set<Promise<ProcessOutcome>>();
  const track = (run: TreeRun | undefined, add: boolean): void => {
    if (run === undefined) return;
    for (const set of [mine, liveRuns]) {
      if (add) set.add(run);
      else set.delete(run);
    }
  };
  return {
    backend: choice.backend,
    backendReason: choice.reason,
    run(spec, abort) {
      const outcome = runOne(spec, { choice, sampleIntervalMs, samplerEnforces, watchdog }, abort, track);
      pending.add(outcome);
      void outcome.finally(() => pending.delete(outcome)).catch(() => undefined);
      return outcome;
    },
    async close() {
      for (const run of mine) run.interrupt();
      await Promise.allSettled([...pending]);
    },
  };
}

function defaultInterval(choice: BackendChoice, samplerEnforces: boolean): number {
  if (choice.table.source === 'ps') return PS_SAMPLER_INTERVAL_MS;
  return samplerEnforces ? SAMPLER_ONLY_INTERVAL_MS : SAMPLER_WITH_CGROUP_INTERVAL_MS;
}

interface RunSettings {
  readonly choice: BackendChoice;
  readonly sampleIntervalMs: number;
  readonly samplerEnforces: boolean;
  readonly watchdog: Guardian;
}

async function runOne(
  spec: ProcessSpec,
  settings: RunSettings,
  abort: AbortSignal | undefined,
  track: (run: TreeRun | undefined, add: boolean) => void,
): Promise<ProcessOutcome> {
  const startedAtMs = performance.now();
  const { backend, layout } = settings.choice;
  if (abort?.aborted === true) return notStarted(spec, backend, startedAtMs, { killedBy: 'interrupted' });
  const problem = await findSpawnProblem(spec.argv[0], spec.cwd, spec.env.PATH ?? process.env.PATH ?? '');
  if (problem !== undefined) {
    writeLog(spec.logPath, `leakhunt: ${problem}\n`);
    return notStarted(spec, backend, startedAtMs, { spawnError: problem });
  }
  const runKey = `${spec.runId}-${process.pid}-${(runSequence += 1)}`;
  const hasCgroups = layout.memory !== undefined || layout.killRoot !== undefined;
  const cgroups = hasCgroups ? await RunCgroups.create(layout, cgroupNameFor(spec.runId), spec.budget.memoryBytes) : undefined;
  const logFd = openLog(spec.logPath);
  const logCap = new LogCap(spec.logPath, spec.logLimitBytes ?? DEFAULT_LOG_LIMIT_BYTES);
  // Checked at a sampler's pace (one fstat): a flood is cut within a fraction of a second of passing 16 caps.
  const capTimer = setInterval(() => logCap.check(), LOG_CHECK_INTERVAL_MS);
  capTimer.unref();
  let run: TreeRun | undefined;
  let spawnedGroup: number | undefined;
  const runTmpdir = await createRunTmpdir();
  try {
    const root = await spawnRoot({
      argv: makeWrappedArgv(spec.argv, cgroups?.procsFiles ?? []),
      cwd: spec.cwd,
      env: {
        ...spec.env,
        ...nodeHeapEnv(spec, layout.memory !== undefined),
        ...tmpdirEnv(runTmpdir),
        LEAKHUNT_RUN_ID: spec.runId,
        LEAKHUNT_RUN_KEY: runKey,
      },
      logFd,
    });
    if ('error' in root) return notStarted(spec, backend, startedAtMs, { spawnError: root.error });
    settings.watchdog.watchGroup(root.pid);
    spawnedGroup = root.pid;
    const context = {
      backend,
      startedAtMs,
      sampleIntervalMs: settings.sampleIntervalMs,
      samplerEnforces: settings.samplerEnforces,
      envEntry: `LEAKHUNT_RUN_KEY=${runKey}`,
      table: settings.choice.table,
      // Without a cgroup, a member that left the group and cleared its environment is known
      // only by the sampler: the guardian must know it too to kill it if we die.
      onMembers: hasCgroups
        ? undefined
        : (pids: readonly number[]) => settings.watchdog.watchMembers(root.pid, pids, settings.choice.table),
    };
    run = new TreeRun(spec, context, root, cgroups);
    track(run, true);
    const outcome = await run.finish(abort);
    const cut = logCap.finish();
    return cut.cutBytes > 0 ? { ...outcome, logCutBytes: cut.cutBytes } : outcome;
  } finally {
    clearInterval(capTimer);
    logCap.dispose();
    track(run, false);
    if (spawnedGroup !== undefined) settings.watchdog.unwatchGroup(spawnedGroup);
    closeSync(logFd);
    await cgroups?.remove();
    // After the tree is dead (finish() waited for it): nothing writes there any more.
    await removeRunTmpdir(runTmpdir);
  }
}

function notStarted(
  spec: ProcessSpec,
  backend: MemoryBackend,
  startedAtMs: number,
  why: Pick<ProcessOutcome, 'spawnError'> | Pick<ProcessOutcome, 'killedBy'>,
): ProcessOutcome {
  return {
    spawnError: undefined,
    exitCode: undefined,
    signal: undefined,
    killedBy: undefined,
    kernelOomKills: 0,
    peakBytes: 0,
    durationMs: Math.round(performance.now() - startedAtMs),
    memorySeries: [],
    backend,
    orphans: [],
    logPath: spec.logPath,
    ...why,
  };
}

function openLog(logPath: string): number {
  try {
    return openAppendLog(logPath);
  } catch (error) {
    throw new EnvironmentError(
      `cannot write the run log ${logPath}: ${(error as Error).message}`,
      'check that the output directory exists and is writable',
    );
  }
}

function writeLog(logPath: string, text: string): void {
  closeSync(openLog(logPath));
  writeFileSync(logPath, text);
}

/** Under a memory cgroup Node would size its heap at about half the budget (node-heap.ts). */
function nodeHeapEnv(spec: ProcessSpec, memoryLimited: boolean): Record<string, string> {
  if (!memoryLimited) return {};
  const options = nodeOptionsForBudget(spec.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS, spec.budget.memoryBytes);
  return options === undefined ? {} : { NODE_OPTIONS: options };
}
