// Measures a process tree at a fixed interval through a process table: on Linux it follows
// /proc/PID/task/*/children from the root and reads statm (1.2 ms for a 50-process tree,
// docs/platform.md §5; see TreeMemory), elsewhere it reads one ps listing per sample. It runs in
// every backend: it gives the memory-over-time series, remembers every descendant it ever
// saw (so a setsid escapee re-parented to PID 1 is still measured and killed), and is the
// only enforcement when no memory cgroup exists. It reports samples; what to do about a
// sample (kill at the budget, notice an OOM kill) is decided by its owner in onSample.
//
// Reads are synchronous: one sample is a few hundred small reads costing ~1 ms, cheaper
// than the threadpool round trips of async reads, and short enough to keep the event loop free.
// The periodic marker scan (every process's environment) is async and runs once a second.
import { isGoneStat, type ProcessTable } from '../processes/table.js';
import { SeriesThinner } from '../series.js';
import type { MemorySample } from '../types.js';

export interface TreeSample extends MemorySample {
  /** Every live process counted in this sample, root first. */
  readonly pids: readonly number[];
}

export interface SamplerOptions {
  readonly table: ProcessTable;
  readonly intervalMs: number;
  /** Called after every scheduled sample. */
  readonly onSample: (sample: TreeSample) => void;
  /** Finds members no walk can reach (double-forked daemons); its pids become extra roots. */
  readonly findEscapees?: () => Promise<readonly number[]>;
  readonly escapeeScanMs?: number;
}

/**
 * A tree's memory without counting shared pages once per process: a plain RSS sum counts the
 * libraries every process maps again and again (docs/platform.md §5: 89 MiB summed for an idle
 * 50-process tree whose PSS is 7 MiB). Private pages are summed; the shared (file-backed) set
 * is taken once, from the process that maps the most — usually a superset of the others'
 * libraries. Pages shared copy-on-write after a fork still count per process: only PSS
 * (smaps_rollup, 17 ms per GiB mapped) would split those, too slow for every sample.
 */
interface TreeMemory {
  readonly privateBytes: number;
  readonly largestSharedBytes: number;
}

export class TreeSampler {
  /** pid → start key: a pid alone may have been reused by an unrelated process. */
  private readonly known = new Map<number, string>();
  private readonly series = new SeriesThinner();
  private timer: NodeJS.Timeout | undefined;
  private lastEscapeeScanMs = 0;
  private escapeeScan: Promise<void> | undefined;
  peakBytes = 0;
  sampleCount = 0;
  totalCostMs = 0;
  maxCostMs = 0;

  /** The root's start time, read at once: after the root is reaped its pid may name another process. */
  private readonly rootStartKey: string | undefined;
  private readonly table: ProcessTable;

  constructor(
    private readonly rootPid: number,
    private readonly startedAtMs: number,
    private readonly options: SamplerOptions,
  ) {
    this.table = options.table;
    this.table.refresh();
    this.rootStartKey = this.table.stat(rootPid)?.startKey;
  }

  start(): void {
    this.lastEscapeeScanMs = performance.now();
    this.schedule(0);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Walks the tree now, records the sample in the series and the peak, and returns it. */
  sampleNow(): TreeSample {
    const began = performance.now();
    const { bytes, pids } = this.measure();
    const sample = { tMs: began - this.startedAtMs, bytes, pids };
    this.series.add({ tMs: sample.tMs, bytes });
    this.peakBytes = Math.max(this.peakBytes, bytes);
    const costMs = performance.now() - began;
    this.sampleCount += 1;
    this.totalCostMs += costMs;
    this.maxCostMs = Math.max(this.maxCostMs, costMs);
    return sample;
  }

  /** Live members reachable now (from the root, and every member seen before), without recording a sample. */
  treePids(): number[] {
    return this.measure().pids;
  }

  private measure(): { bytes: number; pids: number[] } {
    this.table.refresh();
    const pids: number[] = [];
    const seen = new Set<number>();
    const none: TreeMemory = { privateBytes: 0, largestSharedBytes: 0 };
    const fromRoot = this.isRootAlive() ? this.walk([this.rootPid], seen, pids, none) : none;
    // Members seen before but no longer below the root: re-parented escapees, still ours.
    const detached = [...this.known.keys()].filter((pid) => !seen.has(pid) && this.isStillKnown(pid));
    const total = this.walk(detached, seen, pids, fromRoot);
    return { bytes: total.privateBytes + total.largestSharedBytes, pids };
  }

  /** Members ever seen that are still the same live process. */
  knownAlivePids(): number[] {
    return [...this.known.keys()].filter((pid) => this.isStillKnown(pid));
  }

  /** Adds members found by other means (marker scan, cgroup) so later samples count them. */
  adopt(pids: readonly number[]): void {
    for (const pid of pids) this.remember(pid);
  }

  memorySeries(): MemorySample[] {
    return this.series.samples();
  }

  private walk(roots: readonly number[], seen: Set<number>, visited: number[], total: TreeMemory): TreeMemory {
    let { privateBytes, largestSharedBytes } = total;
    const stack = [...roots];
    while (stack.length > 0) {
      const pid = stack.pop() as number;
      if (seen.has(pid)) continue;
      const memory = this.table.residentMemory(pid);
      const children = this.table.childPids(pid);
      if (memory.residentBytes === 0 && children.length === 0 && this.table.isGone(pid)) continue; // exited, or a zombie
      seen.add(pid);
      visited.push(pid);
      privateBytes += Math.max(0, memory.residentBytes - memory.sharedBytes);
      largestSharedBytes = Math.max(largestSharedBytes, memory.sharedBytes);
      this.remember(pid);
      stack.push(...children);
    }
    return { privateBytes, largestSharedBytes };
  }

  private isRootAlive(): boolean {
    const stat = this.table.stat(this.rootPid);
    return !isGoneStat(stat) && stat?.startKey === this.rootStartKey;
  }

  private remember(pid: number): void {
    if (this.known.has(pid)) return;
    const stat = this.table.stat(pid);
    if (stat !== undefined && stat.state !== 'Z') this.known.set(pid, stat.startKey);
  }

  private isStillKnown(pid: number): boolean {
    const stat = this.table.stat(pid);
    const alive = !isGoneStat(stat) && stat?.startKey === this.known.get(pid);
    if (!alive) this.known.delete(pid);
    return alive;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    const began = performance.now();
    this.options.onSample(this.sampleNow());
    this.maybeScanForEscapees(began);
    if (this.timer === undefined) return; // onSample stopped us
    this.schedule(Math.max(0, this.options.intervalMs - (performance.now() - began)));
  }

  private maybeScanForEscapees(nowMs: number): void {
    const { findEscapees, escapeeScanMs = 1000 } = this.options;
    if (findEscapees === undefined || this.escapeeScan !== undefined) return;
    if (nowMs - this.lastEscapeeScanMs < escapeeScanMs) return;
    this.lastEscapeeScanMs = nowMs;
    this.escapeeScan = findEscapees()
      .then(
        (pids) => this.adopt(pids),
        () => undefined,
      )
      .finally(() => {
        this.escapeeScan = undefined;
      });
  }
}
