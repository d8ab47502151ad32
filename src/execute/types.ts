// What the executor is asked to run and what it reports back. The executor is the only
// stage that starts processes; it knows nothing about test runners or verdicts.
import type { ProcessTable } from './processes/table.js';

export interface Budget {
  /** Limit for the whole process tree (children, grandchildren, setsid escapees). */
  readonly memoryBytes: number;
  /** Wall-clock limit for one run. */
  readonly timeoutMs: number;
  /** Time between SIGTERM to the group and SIGKILL to everything left. Default 5000. */
  readonly graceMs: number;
}

/** How memory is measured and enforced; recorded in every report. */
export type MemoryBackend = 'cgroup-v2' | 'cgroup-v1' | 'proc-sampler' | 'ps-sampler';

export interface ProcessSpec {
  /** Unique within a hunt ("b3", "b3-p7"): names the log and the env marker LEAKHUNT_RUN_ID. */
  readonly runId: string;
  /** Program and arguments; never a shell string. */
  readonly argv: readonly [string, ...string[]];
  readonly cwd: string;
  /** Added to leakhunt's own environment for this run. */
  readonly env: Readonly<Record<string, string>>;
  readonly budget: Budget;
  /** stdout and stderr are streamed here (never held in memory). */
  readonly logPath: string;
  /** The log keeps its head and tail within this many bytes (default 4 MiB); the middle is cut. */
  readonly logLimitBytes?: number;
  /**
   * Called once when the time budget expires, before anything is killed, with the pids of
   * the tree, and the process table the executor reads them from: the moment to ask a hung
   * process for its stacks. Must resolve within ~2 s.
   */
  readonly beforeTimeoutKill?: (pids: readonly number[], table: ProcessTable) => Promise<void>;
  /**
   * A time budget counted from a moment inside the run instead of its spawn (a lone test's own
   * time, from its probe's start record: classify/hang.ts). `latestMark()` is polled every
   * ~100 ms for the epoch ms of the latest such moment (undefined: none yet). From the first
   * mark on, the run ends `timeoutMs` after the latest one, and budget.timeoutMs, which until
   * then bounds the wait for a mark, no longer applies.
   */
  readonly markClock?: { readonly timeoutMs: number; readonly latestMark: () => Promise<number | undefined> };
}

export interface MemorySample {
  /** Milliseconds since the run started. */
  readonly tMs: number;
  /** Memory of the whole tree at that moment. */
  readonly bytes: number;
}

export interface Orphan {
  readonly pid: number;
  /** The command line as ps shows it, cut to 200 characters. */
  readonly command: string;
  /** When it started (epoch ms) and how far off that may be: matched with the tests' time windows. */
  readonly startedAtMs?: number;
  readonly startResolutionMs?: number;
}

/** Why leakhunt itself ended the run, if it did. */
export type KillReason = 'memory-budget' | 'time-budget' | 'interrupted';

export interface ProcessOutcome {
  /** Set when the program could not be started at all (ENOENT, EACCES…). */
  readonly spawnError: string | undefined;
  /** Exit code of the root process, if it exited normally. */
  readonly exitCode: number | undefined;
  /** Signal that ended the root process, if any. */
  readonly signal: NodeJS.Signals | undefined;
  readonly killedBy: KillReason | undefined;
  /** Kernel OOM kills inside this run's cgroup (0 when no cgroup, or none happened). */
  readonly kernelOomKills: number;
  /** Highest memory of the whole tree seen during the run. */
  readonly peakBytes: number;
  readonly durationMs: number;
  /** Tree memory over time, at the sampler interval (thinned to at most ~2000 points). */
  readonly memorySeries: readonly MemorySample[];
  readonly backend: MemoryBackend;
  /** Processes of the run still alive after its root exited; leakhunt killed them. */
  readonly orphans: readonly Orphan[];
  readonly logPath: string;
  /** Output cut from the middle of the log to keep it within the limit; absent when nothing was cut. A lower bound when the run printed past 16 limits (log-cap.ts). */
  readonly logCutBytes?: number;
  /** Set when the spec's markClock started: its latest mark, in ms after the spawn, and the budget counted from it. */
  readonly markClock?: { readonly markedAfterMs: number; readonly timeoutMs: number };
}

export interface ProcessExecutor {
  /** Runs one process tree to its end under the budget. Never throws because a test died. */
  run(spec: ProcessSpec, abort?: AbortSignal): Promise<ProcessOutcome>;
}
