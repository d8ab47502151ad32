// The report: one JSON document per hunt (leakhunt-report.json), the source of every view.
// Versioned: a change that removes or renames a field bumps SCHEMA_VERSION; adding an
// optional field does not. docs/report.schema.json describes it for other tools.
import type { BatchHunt, Finding } from '../bisect/types.js';
import type { RecurrenceCheck } from '../classify/accumulator/recurrence.js';
import type { ContributingFile } from '../classify/accumulator/rule.js';
import type { Verdict } from '../classify/types.js';
import type { MemoryBackend, MemorySample, Orphan } from '../execute/types.js';
import type { TestId } from '../plan/types.js';
import type { GrowthSite } from '../probe/records.js';
import type { RunnerName, TestResults } from '../runners/types.js';

export const SCHEMA_VERSION = 1;

/** Why a run happened: a planned batch, the re-run that confirms a failure, or a bisection trial (kind 'probe': the schema's word, kept). */
export type RunKind = 'batch' | 'confirm' | 'probe';

/** The measured facts behind a verdict. */
export interface Evidence {
  readonly peakBytes: number;
  readonly budgetBytes: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly backend: MemoryBackend;
  /** Kernel OOM kills seen in the run's own cgroup. */
  readonly kernelOomKills: number;
  /** Processes still alive after the run's root exited; leakhunt killed them. */
  readonly orphans: readonly Orphan[];
  /**
   * A lone suspect's confirmation under a probe (classify/hang.ts): its test's start record
   * came `startedAfterMs` into the run, and from then on the run's budget was `timeoutMs` of the
   * test's own time (the run's timeoutMs bounded only the wait for that start). Absent otherwise.
   */
  readonly testClock?: { readonly startedAfterMs: number; readonly timeoutMs: number };
}

/** What the runner itself reported (absent when it left no machine-readable result): its preset's results, without the start error (that is the verdict's). */
export type ResultsSummary = Omit<TestResults, 'startError'>;

/** One execution of a list of tests. */
export interface RunRecord {
  readonly runId: string;
  readonly kind: RunKind;
  readonly batchIndex: number;
  readonly tests: readonly TestId[];
  /** Of `tests`, those collected (imported) but not run (pytest --deselect); optional. */
  readonly deselect?: readonly TestId[];
  /** ISO 8601. */
  readonly startedAt: string;
  readonly verdict: Verdict;
  readonly evidence: Evidence;
  readonly results: ResultsSummary | undefined;
  readonly memorySeries: readonly MemorySample[];
  /** stdout+stderr of the run, relative to the report's directory. */
  readonly logPath: string;
  /** Output cut from the middle of the log to keep it within --log-limit (optional: absent when the log is whole). */
  readonly logCutBytes?: number;
  /**
   * Per-test memory from the runner's probe, in run order (added without a schema bump:
   * optional). Absent when the runner had no probe or the probe wrote nothing.
   */
  readonly perTest?: readonly PerTestMemory[];
  /** Tests that left processes running after they ended (from the probe; optional). */
  readonly leftovers?: readonly TestLeftover[];
  /** Stacks of the hung process, asked for just before a timeout kill (optional). */
  readonly stacks?: RunStacks;
}

/** A process one test started and left behind (the probe saw it after the test's teardown). */
export interface TestLeftover {
  readonly test: TestId;
  readonly pid: number;
  /** Command line as /proc showed it. */
  readonly command: string;
}

/** What a hung run was doing when its time ran out. */
export interface RunStacks {
  /** The dump as the runtime wrote it (Python faulthandler, or Node report summaries). */
  readonly text: string;
  /** "tests/test_sync.py::test_sync_with_exchange" when a test function is on the stack. */
  readonly hungTest?: string;
  /** "tests/test_sync.py line 7 (test_sync_with_exchange) → subprocess.run": the innermost frame in the user's code. */
  readonly where?: string;
}

/** What one test did to the memory of the process that ran it (from the runner's probe). */
export interface PerTestMemory {
  readonly test: TestId;
  /** Memory still held after the test ended, minus before it started (may be negative). */
  readonly retainedBytes: number;
  /** Highest memory of the process while the test ran. */
  readonly peakBytes: number;
  /** false when the run was killed during this test (optional). */
  readonly finished?: boolean;
  /** Wall time of the test's phases (optional). */
  readonly durationMs?: number;
}

/** A finding as reported: the bisection's Finding plus a command a person can paste. */
export interface ReportedFinding extends Finding {
  /** One shell line, pasted in the directory leakhunt was started in (invocation.cwd), that reproduces it with the user's runner. */
  readonly repro: string;
  /**
   * The runner's own ids (relative to runner.projectDir) of this finding's tests, keyed by the
   * ids shown (relative to selection.root), for those that differ; absent when none do (optional).
   */
  readonly runnerIds?: Readonly<Record<string, string>>;
  /** What the repro needs to show the failure (e.g. the memory budget), if anything. */
  readonly reproNote: string | undefined;
  /**
   * A memory death: one shell line (pasted in invocation.cwd) that dies again, leakhunt
   * itself running `reproTests` under the hunt's budget; `repro` alone passes without a limit.
   */
  readonly reproUnderBudget?: string;
  /** 'warning': seen in a batch that passed (e.g. an accumulator that has not died yet); does not change the exit code. */
  readonly severity?: 'warning';
  /** hang: where the hung process was, e.g. "tests/test_sync.py line 7 (test_sync_with_exchange) → subprocess.run". */
  readonly stack?: string;
  /** accumulator: the fitted line over the per-test records. */
  readonly accumulation?: AccumulationFacts;
}

/** What an accumulator finding rests on (see docs/accumulators.md). */
export interface AccumulationFacts {
  /** Retained bytes per contributing test (the tests that keep nothing are not averaged in). */
  readonly slopeBytesPerTest: number;
  /** Kept for reports of schema 1.x; the rule of docs/accumulators.md fits no line: 1 when confirmed. */
  readonly rSquared: number;
  /** Tests in the judged series. */
  readonly tests: number;
  /** Length of the smallest failing prefix; absent for a batch that did not die. */
  readonly prefixLength?: number;
  /** Contributors by file, largest first; a file whose every test keeps memory is wholeFile. */
  readonly contributors?: readonly AccumulationContributor[];
  /** Share of the batch's retained growth the contributors explain (0..1). */
  readonly explainedShare?: number;
  /** The batch's retained growth over all its tests (bytes). */
  readonly totalGrowthBytes?: number;
  /** The test count at which the budget was crossed (a batch that died) or would be (projected, a batch that passed). */
  readonly budgetCrossedAtTest?: number;
  /** True when budgetCrossedAtTest is a projection. */
  readonly projected?: boolean;
  /** Allocation sites whose retained size grew over the contributors' run (pytest: tracemalloc lines; jest: V8's sampled functions), largest first. */
  readonly leakSites?: readonly LeakSite[];
  /** The runs that confirmed it: the contributors alone, the batch without them. */
  readonly confirmation?: {
    readonly contributorsRunId: string;
    readonly withoutRunId?: string;
    /** Each contributor (file or test as named) kept in the batch, and alone; those that did not recur are not named (optional). */
    readonly recurrence?: readonly AccumulationRecurrence[];
  };
}

/** One contributor's growth in the failing batch and in the contributors-alone run (docs/accumulators.md): the check's own record. */
export type AccumulationRecurrence = RecurrenceCheck;

/** A contributor file as the accumulator rule judged it (its file as the selection spells it). */
export type AccumulationContributor = ContributingFile & {
  /**
   * It ran only after the batch died: judged in this run (the batch without the other
   * contributors) and confirmed alone; `retainedBytes` and `share` are of that run.
   */
  readonly afterDeathRunId?: string;
};

/** "shop/metrics.py:6" with what is still allocated there since the start of the batch: a probe's growth site (classify/accumulator/leak-sites.ts picks which). */
export type LeakSite = GrowthSite;

/** Said before the first batch: runs it starts for certain, and wall time from earlier durations. */
export interface PlanCostEstimate {
  /** One per batch; narrowing adds more. */
  readonly runs: number;
  /** From an earlier hunt's per-test durations; absent when they covered less than half the plan. */
  readonly wallMs?: number;
  /** The report the durations came from. */
  readonly source?: string;
}

export interface BatchReport {
  readonly index: number;
  readonly tests: readonly TestId[];
  /** runId of the batch's own run (the first, planned one); undefined if it never ran (interrupted). */
  readonly runId: string | undefined;
  readonly verdict: Verdict | undefined;
  /** One per signature chased in this batch; empty when it passed or bisection was off. */
  readonly hunts: readonly Omit<BatchHunt, 'findings'>[];
}

export type ReportStatus = 'complete' | 'interrupted' | 'max-runs';

export interface Report {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly tool: { readonly name: 'leakhunt'; readonly version: string };
  readonly status: ReportStatus;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly invocation: { readonly argv: readonly string[]; readonly cwd: string };
  /** root (optional): the absolute directory the selection's paths, and so every test id in the report, are relative to. */
  readonly selection: { readonly file: string; readonly root?: string; readonly testCount: number; readonly warnings: readonly string[] };
  readonly runner: {
    readonly name: RunnerName;
    readonly version: string | undefined;
    /** Where the runner runs (test ids are relative to selection.root, or to this in reports without one). */
    readonly projectDir: string;
  };
  readonly budget: { readonly memoryBytes: number; readonly timeoutMs: number; readonly graceMs: number };
  readonly environment: {
    readonly backend: MemoryBackend;
    /** Why this backend and not a better one. */
    readonly backendReason: string;
    readonly platform: string;
    readonly arch: string;
    readonly nodeVersion: string;
    readonly cpus: number;
    readonly totalMemoryBytes: number;
  };
  readonly plan: {
    readonly batchSize: number | undefined;
    readonly seed: number | undefined;
    readonly batchCount: number;
    /** Survey mode (no --batch-size): each death's records name the test, the rest continues (optional). */
    readonly survey?: boolean;
    /** What the hunt expected to cost before it started (optional; compare with runs and durationMs). */
    readonly estimate?: PlanCostEstimate;
  };
  readonly batches: readonly BatchReport[];
  /** Every execution, sorted by batch index, then start time (deterministic with --jobs and merge). */
  readonly runs: readonly RunRecord[];
  readonly findings: readonly ReportedFinding[];
  /** Things the hunt could not do as asked, e.g. why the per-test probe was off (optional). */
  readonly warnings?: readonly string[];
  /** The exit code leakhunt returned for this hunt. */
  readonly exitCode: number;
  /** Set when this hunt ran one shard of a plan (`--shard i/N`); `leakhunt merge` joins them. */
  readonly shard?: ShardInfo;
}

export interface ShardInfo {
  readonly index: number;
  readonly count: number;
  /** Batches in the whole plan (`plan.batchCount` counts this shard's only). */
  readonly planBatchCount: number;
  /** planFingerprint of the whole plan: shards of one plan share it. */
  readonly planFingerprint: string;
  /** `--shard auto`: the CI variables the shard was read from (optional). */
  readonly source?: string;
}
