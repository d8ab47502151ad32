// What a plan will cost, said before it starts: runs (at least one per batch; narrowing adds
// some) and a wall-clock estimate from the durations an earlier hunt measured. Durations are
// taken per test from the earlier report's per-test records (so they hold whatever the batch
// size was), plus the runner's start-up per process (an earlier run's duration minus its
// tests'). Pure: the earlier runs come in, an estimate goes out.
import type { Plan, TestId } from './types.js';

/** The parts of an earlier report's runs an estimate reads (validated loosely: it is only an estimate). */
export interface MeasuredRun {
  readonly tests: readonly TestId[];
  readonly evidence: { readonly durationMs: number };
  readonly perTest?: readonly { readonly test: TestId; readonly durationMs?: number }[];
}

export interface PlanEstimate {
  /** Runs the plan starts for certain: one per batch. */
  readonly runs: number;
  /** Wall time of the batches, side by side on `jobs`; undefined when no earlier durations cover the plan. */
  readonly wallMs: number | undefined;
  /** Share of the plan's entries with a measured duration (0–1). */
  readonly coverage: number;
  /** Where the durations came from (a report path), for the notice. */
  readonly source: string | undefined;
}

export function estimatePlan(
  plan: Plan,
  jobs: number,
  earlier: { readonly runs: readonly MeasuredRun[]; readonly source: string } | undefined,
): PlanEstimate {
  const runs = plan.batches.length;
  if (earlier === undefined) return { runs, wallMs: undefined, coverage: 0, source: undefined };
  const perTest = new Map<TestId, number>();
  const startups: number[] = [];
  for (const run of earlier.runs) {
    let inTests = 0;
    for (const { test, durationMs } of run.perTest ?? []) {
      if (durationMs === undefined) continue;
      perTest.set(test, durationMs);
      inTests += durationMs;
    }
    if (run.perTest !== undefined && run.perTest.length > 0) startups.push(Math.max(0, run.evidence.durationMs - inTests));
  }
  const byEntry = durationsByEntry(perTest);
  const entries = plan.batches.flatMap((batch) => batch.tests);
  const known = entries.filter((entry) => byEntry.has(entry)).length;
  const coverage = entries.length === 0 ? 0 : known / entries.length;
  if (coverage < 0.5) return { runs, wallMs: undefined, coverage, source: earlier.source };
  const startup = median(startups);
  const average = entries.reduce((sum, entry) => sum + (byEntry.get(entry) ?? 0), 0) / Math.max(1, known);
  const batchMs = plan.batches.map((batch) => startup + batch.tests.reduce((sum, entry) => sum + (byEntry.get(entry) ?? average), 0));
  return { runs, wallMs: Math.round(packedWall(batchMs, jobs)), coverage, source: earlier.source };
}

/** An entry (a file, a node id) costs its tests': "a.py" sums "a.py::x" and "a.py::y"; jest "f > name" sums into "f". */
function durationsByEntry(perTest: ReadonlyMap<TestId, number>): Map<TestId, number> {
  const byEntry = new Map<TestId, number>();
  const add = (key: TestId, ms: number): void => {
    byEntry.set(key, (byEntry.get(key) ?? 0) + ms);
  };
  for (const [test, ms] of perTest) {
    byEntry.set(test, ms);
    const file = test.split(/::| > /)[0]!;
    if (file !== test) add(file, ms);
  }
  return byEntry;
}

/** Batches start in plan order on the first free job: the wall is when the last one ends. */
function packedWall(batchMs: readonly number[], jobs: number): number {
  const free = Array.from({ length: Math.max(1, jobs) }, () => 0);
  for (const ms of batchMs) {
    const soonest = free.indexOf(Math.min(...free));
    free[soonest] = free[soonest]! + ms;
  }
  return Math.max(...free);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
