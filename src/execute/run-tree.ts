// Carries one spawned tree to its end: watches memory and time, stops the tree when a budget
// is crossed or the caller aborts, then sweeps until no process of the run is left. Policy:
//  - time budget / interruption: beforeTimeoutKill hook (time only, bounded to 2 s), SIGTERM
//    to the group and to every other known member, grace (cut short once the tree is gone;
//    at most 1 s when interrupted: the user is waiting), then SIGKILL to everything left;
//  - memory budget / a kernel OOM kill in our cgroup: SIGKILL at once, no grace. Memory is
//    being eaten right now; every grace millisecond lets the tree overshoot further;
//  - after the root exits, any member still alive that we had not already killed is an
//    orphan: recorded, SIGKILLed, and polled until gone before run() resolves.
import { readFileSync } from 'node:fs';
import { attributeKill, type StopCause } from './attribution.js';
import type { RunCgroups } from './budget/cgroup.js';
import { type TreeSample, TreeSampler } from './budget/tree-sampler.js';
import { findRunMembers, knownRunMembers, type RunMembership, signalGroup, signalPids, waitFor } from './kill-tree.js';
import { processStart } from './processes/start-time.js';
import type { ProcessTable } from './processes/table.js';
import type { RootExit, SpawnedRoot } from './spawn.js';
import type { MemoryBackend, Orphan, ProcessOutcome, ProcessSpec } from './types.js';
import { WRAP_FAILED_EXIT, WRAP_TAG } from './wrapper.js';

const BEFORE_TIMEOUT_KILL_LIMIT_MS = 2000;
const INTERRUPT_GRACE_MS = 1000;
const GONE_POLL_LIMIT_MS = 3000;
const SWEEP_ROUNDS = 3;
const SWEEP_CONFIRM_MS = 50;
const MAX_TIMER_MS = 2 ** 31 - 1;
// A mark (a test's start record) is looked for at this pace: a file read per poll, and the
// budget counted from the mark's own time, so a late look does not lengthen it.
const MARK_POLL_MS = 100;

export interface TreeRunContext {
  readonly backend: MemoryBackend;
  readonly sampleIntervalMs: number;
  /** No memory cgroup limits this tree: the sampler kills at the first sample ≥ budget. */
  readonly samplerEnforces: boolean;
  readonly startedAtMs: number;
  /** "LEAKHUNT_RUN_KEY=…" as put in the run's environment. */
  readonly envEntry: string;
  readonly table: ProcessTable;
  /** Told the tree's pids after every sample (the guardian keeps the ones no cgroup holds). */
  readonly onMembers?: (pids: readonly number[]) => void;
}

export class TreeRun {
  private readonly sampler: TreeSampler;
  private readonly members: RunMembership;
  private stopCause: StopCause | undefined;
  private stopping: Promise<unknown> = Promise.resolve();
  private rootExited = false;
  private graceCut = false;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private markPoll: NodeJS.Timeout | undefined;
  /** Epoch ms of the latest mark of spec.markClock seen, once one was. */
  private markedAtMs: number | undefined;
  /** Epoch ms of the spawn: marks are wall-clock times written by the run's processes. */
  private readonly spawnedAtEpochMs: number;
  /** Pids we SIGKILLed while stopping the tree: dying, not orphans. */
  private readonly killedPids = new Set<number>();

  constructor(
    private readonly spec: ProcessSpec,
    private readonly context: TreeRunContext,
    private readonly root: SpawnedRoot,
    private readonly cgroups: RunCgroups | undefined,
  ) {
    this.sampler = new TreeSampler(root.pid, context.startedAtMs, {
      table: context.table,
      intervalMs: context.sampleIntervalMs,
      onSample: (sample) => this.onSample(sample),
      findEscapees: () => context.table.pidsWithEnvEntry(context.envEntry),
    });
    this.spawnedAtEpochMs = Date.now() - (performance.now() - context.startedAtMs);
    this.members = { envEntry: context.envEntry, sampler: this.sampler, cgroups, table: context.table, processGroup: root.pid };
  }

  /** Watches the tree until the root exits and nothing of the run is left. */
  async finish(abort: AbortSignal | undefined): Promise<ProcessOutcome> {
    const onAbort = (): void => this.stop('interrupted');
    abort?.addEventListener('abort', onAbort, { once: true });
    // setTimeout turns delays above 2^31-1 ms (24.8 days) into 1 ms: clamp "no limit" budgets.
    this.timeoutTimer = setTimeout(() => this.stop('time-budget'), Math.min(this.spec.budget.timeoutMs, MAX_TIMER_MS));
    this.watchMarks();
    this.sampler.start();
    if (abort?.aborted === true) onAbort();
    const exit = await this.root.exited;
    this.rootExited = true;
    clearTimeout(this.timeoutTimer);
    clearInterval(this.markPoll);
    this.sampler.stop();
    abort?.removeEventListener('abort', onAbort);
    await this.stopping;
    const orphans = await this.sweepOrphans();
    return this.makeOutcome(exit, orphans);
  }

  /** Asks the tree to stop (close(), Ctrl-C); the outcome still comes from finish(). */
  interrupt(): void {
    this.stop('interrupted');
  }

  /** Synchronous last resort for process-exit handlers: SIGKILL everything known now. */
  killNow(): void {
    this.stopCause ??= 'interrupted';
    if (!this.rootExited) signalGroup(this.root.pid, 'SIGKILL');
    this.cgroups?.killAll();
    signalPids(knownRunMembers(this.members), 'SIGKILL');
  }

  /** spec.markClock: the time budget restarts at every new mark (docs/executor.md). */
  private watchMarks(): void {
    const clock = this.spec.markClock;
    if (clock === undefined) return;
    let looking = false;
    this.markPoll = setInterval(() => {
      if (looking) return;
      looking = true;
      clock
        .latestMark()
        .then((at) => this.onMark(at, clock.timeoutMs))
        .catch(() => undefined)
        .finally(() => {
          looking = false;
        });
    }, MARK_POLL_MS);
    this.markPoll.unref();
  }

  private onMark(at: number | undefined, timeoutMs: number): void {
    if (at === undefined || at === this.markedAtMs || this.stopCause !== undefined || this.rootExited) return;
    this.markedAtMs = at;
    clearTimeout(this.timeoutTimer);
    const left = Math.max(0, at + timeoutMs - Date.now());
    this.timeoutTimer = setTimeout(() => this.stop('time-budget'), Math.min(left, MAX_TIMER_MS));
  }

  private onSample(sample: TreeSample): void {
    this.cgroups?.observe();
    this.context.onMembers?.(sample.pids);
    if (this.context.samplerEnforces && sample.bytes >= this.spec.budget.memoryBytes) {
      this.stop('memory-budget');
      return;
    }
    // The kernel killed one process, not the tree (docs/platform.md §4: the parent may go on, even exit 0).
    if ((this.cgroups?.readOomKills() ?? 0) > 0) this.stop('kernel-oom');
  }

  private stop(cause: StopCause): void {
    if (this.stopCause !== undefined) {
      if (cause === 'interrupted') this.cutGrace();
      return;
    }
    if (this.rootExited) return;
    this.stopCause = cause;
    clearTimeout(this.timeoutTimer);
    this.stopping = this.terminate(cause).catch(() => undefined);
  }

  /** Ctrl-C during a timeout's hook or grace: stop waiting, kill now. */
  private cutGrace(): void {
    if (this.graceCut) return;
    this.graceCut = true;
    if (!this.rootExited) this.stopping = Promise.all([this.stopping, this.killEverything().catch(() => undefined)]);
  }

  private async terminate(cause: StopCause): Promise<void> {
    if (cause === 'memory-budget' || cause === 'kernel-oom') {
      this.sampler.stop();
      await this.killEverything();
      return;
    }
    if (cause === 'time-budget') await this.callBeforeTimeoutKill();
    const graceMs = cause === 'interrupted' ? Math.min(this.spec.budget.graceMs, INTERRUPT_GRACE_MS) : this.spec.budget.graceMs;
    this.terminateGently();
    await waitFor(() => this.graceCut || this.treeLooksGone(), graceMs);
    if (!this.rootExited) await this.killEverything();
  }

  private async callBeforeTimeoutKill(): Promise<void> {
    const hook = this.spec.beforeTimeoutKill;
    if (hook === undefined) return;
    const pids = await findRunMembers(this.members);
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise((resolve) => {
      timer = setTimeout(resolve, BEFORE_TIMEOUT_KILL_LIMIT_MS);
    });
    await Promise.race([hook(pids, this.context.table).catch(() => undefined), limit]);
    clearTimeout(timer);
  }

  /** SIGTERM to the group, and to members outside it (setsid), so every process may clean up. */
  private terminateGently(): void {
    signalGroup(this.root.pid, 'SIGTERM');
    const outsiders = knownRunMembers(this.members).filter((pid) => this.context.table.stat(pid)?.pgid !== this.root.pid);
    signalPids(outsiders, 'SIGTERM');
  }

  /** SIGKILL: first what is known synchronously (no delay), then what the marker scan adds. */
  private async killEverything(): Promise<void> {
    const known = knownRunMembers(this.members);
    if (!this.rootExited) {
      known.push(this.root.pid);
      signalGroup(this.root.pid, 'SIGKILL');
    }
    this.cgroups?.killAll();
    this.markKilled(known);
    signalPids(known, 'SIGKILL');
    const scanned = await findRunMembers(this.members);
    this.markKilled(scanned);
    signalPids(scanned, 'SIGKILL');
  }

  private markKilled(pids: readonly number[]): void {
    for (const pid of pids) this.killedPids.add(pid);
  }

  private treeLooksGone(): boolean {
    if (!this.rootExited) return false;
    return (this.cgroups?.listPids().length ?? 0) === 0 && this.sampler.knownAlivePids().length === 0;
  }

  /**
   * After the root exit: whatever of the run still lives is killed; unkilled ones are orphans.
   * An empty scan is believed only when a second one, SWEEP_CONFIRM_MS later, agrees: right
   * after the root exits, the daemons it just forked are often in the middle of execve, when
   * their environment reads empty. Measured on `sh -c '(daemon &); exit 0'`: 8 of 30 daemons
   * missed with one scan, 5 of 200 with two, 0 of 200 with two and procfs re-reading empties.
   * A cgroup needs no second look: a child is in its parent's cgroup from the fork on.
   */
  private async sweepOrphans(): Promise<Orphan[]> {
    const orphans: Orphan[] = [];
    let emptyScans = 0;
    for (let round = 0; round < SWEEP_ROUNDS; ) {
      const alive = await findRunMembers(this.members);
      if (alive.length === 0 && (this.cgroups?.listPids().length ?? 0) === 0) {
        emptyScans += 1;
        if (emptyScans >= 2 || this.cgroups !== undefined) break;
        await new Promise((resolve) => setTimeout(resolve, SWEEP_CONFIRM_MS));
        continue;
      }
      emptyScans = 0;
      round += 1;
      for (const pid of alive.filter((pid) => !this.killedPids.has(pid))) {
        const start = processStart(this.context.table, pid);
        orphans.push({
          pid,
          command: this.context.table.command(pid),
          ...(start !== undefined && { startedAtMs: start.atMs, startResolutionMs: start.resolutionMs }),
        });
      }
      this.markKilled(alive);
      this.cgroups?.killAll();
      signalPids(alive, 'SIGKILL');
      await waitFor(
        () => alive.every((pid) => this.context.table.isGone(pid)) && (this.cgroups?.listPids().length ?? 0) === 0,
        GONE_POLL_LIMIT_MS,
      );
    }
    return orphans;
  }

  private makeOutcome(exit: RootExit, orphans: readonly Orphan[]): ProcessOutcome {
    const kernelOomKills = this.cgroups?.readOomKills() ?? 0;
    // A memory cgroup's peak is the kernel's own count of the tree, the figure it enforced;
    // the sampler's estimate stands in only where there is no memory cgroup.
    const cgroupPeakBytes = this.cgroups?.readPeakBytes() ?? 0;
    const peakBytes = cgroupPeakBytes > 0 ? cgroupPeakBytes : this.sampler.peakBytes;
    const budgetBytes = this.spec.budget.memoryBytes;
    return {
      spawnError: this.readWrapperFailure(exit),
      exitCode: exit.exitCode,
      signal: exit.signal,
      killedBy: attributeKill({ stopCause: this.stopCause, kernelOomKills, peakBytes, budgetBytes }),
      kernelOomKills,
      peakBytes,
      durationMs: Math.round(exit.atMs - this.context.startedAtMs),
      memorySeries: this.sampler.memorySeries(),
      backend: this.context.backend,
      orphans,
      logPath: this.spec.logPath,
      ...(this.markedAtMs !== undefined &&
        this.spec.markClock !== undefined && {
          markClock: {
            markedAfterMs: Math.max(0, Math.round(this.markedAtMs - this.spawnedAtEpochMs)),
            timeoutMs: this.spec.markClock.timeoutMs,
          },
        }),
    };
  }

  /** The wrapper could not join its cgroup: the command never ran; say so instead of "exit 125". */
  private readWrapperFailure(exit: RootExit): string | undefined {
    if (exit.exitCode !== WRAP_FAILED_EXIT) return undefined;
    const firstLine = readFileSync(this.spec.logPath, 'utf8').slice(0, 500).split('\n')[0] ?? '';
    return firstLine.startsWith(WRAP_TAG) ? firstLine.slice(WRAP_TAG.length).trim() : undefined;
  }
}
