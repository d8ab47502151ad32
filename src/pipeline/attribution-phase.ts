// What one batch's per-test records settle before bisection starts (docs/probes.md, "How
// probes are wired into a hunt"). Decision rules, in order:
//   1. memory death + one test the records point at (suspectFromRecords) → run it alone ONCE;
//      it dies the same way → `hog`, no bisection for that failure;
//   2. timeout + exactly one test that started and never ended → run it alone ONCE; it
//      times out too → `hang`;
//   3. memory death + a steady per-test slope (accumulationOf) → `accumulator`, with the
//      smallest failing prefix of the per-test ids (each prefix a real run);
//   4. a batch that passed but grows steadily → a warning-level `accumulator`, no runs.
//   0. timeout + the stack dump of the batch run shows a batch entry's file being imported
//      (pytest collection) or running (Node) → that entry alone ONCE; it times out too →
//      `hang`, before any per-test record is needed (an import hang leaves none);
// Anything else (or a suspect that does not reproduce alone) is left to huntBatch. It never
// names a test on the records alone: every named hog or hang reproduced in a run of its own.
import { reproduces, signaturesOf, type Signature } from '../classify/signature.js';
import type { BatchHunt, Executor, Finding, ProbeResult } from '../bisect/types.js';
import type { Budget } from '../execute/types.js';
import type { TestId } from '../plan/types.js';
import { suspectFromRecords } from '../probe/attribute.js';
import { entryOnStack, type StackRunner } from '../probe/import-site.js';
import { prefixHint, smallestFailingPrefix } from '../probe/prefix.js';
import type { PerTestRecord } from '../probe/records.js';
import { accumulationOf, type AccumulationVerdict } from '../probe/slope.js';
import type { AccumulationFacts, RunRecord } from '../report/model.js';
import { formatBytes } from '../util/bytes.js';

export interface AttributionInput {
  readonly batchIndex: number;
  /** The batch's entries as planned (a file entry may hold many per-test ids). */
  readonly batchTests: readonly TestId[];
  /** The batch's own run and what its probe wrote. */
  readonly original: RunRecord;
  readonly records: readonly PerTestRecord[];
  readonly budget: Budget;
  /** Runs a list of tests (per-test ids allowed) as a recorded probe of this batch. */
  readonly executor: Executor;
  /** Runs this phase may make for the batch (--max-runs). */
  readonly maxRuns: number;
  /** The failures the user asked to chase (`leakhunt bisect --outcome`). */
  readonly wants: (signature: Signature) => boolean;
  /** Where batch entries are rooted and whose stacks the runs carry: for rule 0 (optional). */
  readonly stacks?: { readonly runner: StackRunner; readonly projectDir: string };
}

/** A finding plus the facts only this phase knows. */
export interface AttributedFinding {
  readonly finding: Finding;
  readonly severity?: 'warning';
  readonly accumulation?: AccumulationFacts;
}

export interface Attribution {
  /** One per failure settled here; huntBatch must not chase these again. */
  readonly hunts: readonly BatchHunt[];
  readonly findings: readonly AttributedFinding[];
  readonly settled: readonly Signature[];
  /**
   * A named hog or hang hid the entries after it: the batch without the culprit's entry, run
   * once. Whatever it shows (a second hog, a hang behind a hog) is for huntBatch.
   */
  readonly rest?: { readonly tests: readonly TestId[]; readonly probe: ProbeResult };
}

const NOTHING: Attribution = { hunts: [], findings: [], settled: [] };
const MEMORY_DEATHS = new Set(['over-memory', 'oom-killed']);

export async function attributeBatch(input: AttributionInput): Promise<Attribution> {
  const { original, records } = input;
  const importHang = await attributeImportHang(input);
  if (importHang !== undefined) return importHang;
  if (records.length === 0) return NOTHING;
  if (original.verdict.outcome === 'passed') return warnIfAccumulating(input);
  const signature = signaturesOf(original.verdict).find((s) => MEMORY_DEATHS.has(s.outcome) || s.outcome === 'timeout');
  if (signature === undefined || !input.wants(signature)) return NOTHING;
  const suspect = signature.outcome === 'timeout' ? hangSuspect(records) : memorySuspect(records, input.budget);
  const runs: ProbeResult[] = [];
  if (suspect !== undefined && input.maxRuns > 0) {
    const alone = await input.executor.run([suspect.test]);
    runs.push(alone);
    if (reproduces(signature, alone.verdict)) {
      const rest = await runRest(input, suspect.test, runs);
      return { ...settle(input, signature, runs, { finding: loneFinding(input, signature, suspect, alone) }), ...(rest && { rest }) };
    }
  }
  if (signature.outcome === 'timeout') return NOTHING;
  const verdict = accumulationOf(records);
  if (!verdict.isAccumulating) return NOTHING;
  return settle(input, signature, runs, await accumulatorFinding(input, signature, verdict, runs));
}

/** Rule 0: the entry the timed-out batch's stack was importing (or running), tried alone. */
async function attributeImportHang(input: AttributionInput): Promise<Attribution | undefined> {
  const { original } = input;
  const text = original.stacks?.text;
  if (original.verdict.outcome !== 'timeout' || text === undefined || input.stacks === undefined || input.maxRuns <= 0) return undefined;
  // A test that started and never ended names itself more precisely (rule 2).
  if (hangSuspect(input.records) !== undefined) return undefined;
  const signature = signaturesOf(original.verdict)[0];
  if (signature === undefined || !input.wants(signature)) return undefined;
  const entry = entryOnStack(text, input.stacks.runner, input.batchTests, input.stacks.projectDir);
  if (entry === undefined) return undefined;
  const alone = await input.executor.run([entry]);
  const runs: ProbeResult[] = [alone];
  // Not confirmed alone: halving decides (the tried run stays in the report as evidence).
  if (!reproduces(signature, alone.verdict)) return { ...NOTHING, hunts: [untried(input, signature, runs)] };
  const doing = input.stacks.runner === 'pytest' ? 'being imported (collected)' : 'running';
  const suspect: NamedSuspect = { test: entry, because: `it shows ${entry} ${doing} when the time ran out`, from: 'stack' };
  const rest = await runRest(input, entry, runs);
  return { ...settle(input, signature, runs, { finding: loneFinding(input, signature, suspect, alone) }), ...(rest && { rest }) };
}

/** A tried suspect that did not reproduce: its run is counted, nothing is settled. */
function untried(input: AttributionInput, signature: Signature, runs: readonly ProbeResult[]): BatchHunt {
  return { batchIndex: input.batchIndex, signature, findings: [], runsUsed: runs.length, runsEstimated: runs.length, stopped: 'done' };
}

interface NamedSuspect {
  readonly test: TestId;
  readonly because: string;
  /** What named it: the per-test records (default) or the run's stack dump. */
  readonly from?: 'records' | 'stack';
}

function memorySuspect(records: readonly PerTestRecord[], budget: Budget): NamedSuspect | undefined {
  const suspect = suspectFromRecords(records, budget.memoryBytes);
  return suspect === undefined ? undefined : { test: suspect.test, because: suspect.because };
}

// The test with a start line and no end is the one the time ran out in; two or more
// (parallel workers) would be a guess, so the hunt bisects instead.
function hangSuspect(records: readonly PerTestRecord[]): NamedSuspect | undefined {
  const unfinished = records.filter((r) => !r.finished);
  const [only] = unfinished;
  if (unfinished.length !== 1 || only === undefined) return undefined;
  return { test: only.test, because: 'it had started and not ended when the time ran out' };
}

function loneFinding(input: AttributionInput, signature: Signature, suspect: NamedSuspect, alone: ProbeResult): Finding {
  return {
    batchIndex: input.batchIndex,
    kind: signature.outcome === 'timeout' ? 'hang' : 'hog',
    culprits: [suspect.test],
    victim: undefined,
    signature,
    because: `named from the ${suspect.from === 'stack' ? 'stack dump' : 'per-test records'} of ${input.original.runId}: ${suspect.because}; alone it ${alone.verdict.outcome === 'timeout' ? 'timed out too' : 'died the same way'} (${alone.runId})`,
    reproTests: [suspect.test],
    evidenceRunIds: [input.original.runId, alone.runId],
    confidence: undefined,
  };
}

// The entry holding the culprit goes (pytest cannot drop one test of a file entry without
// --deselect); when it was the batch's last entry, everything else already ran: no run.
async function runRest(input: AttributionInput, culprit: TestId, runs: ProbeResult[]): Promise<Attribution['rest']> {
  const holds = (entry: TestId): boolean => culprit === entry || culprit.startsWith(`${entry}::`) || culprit.startsWith(`${entry} > `);
  const at = input.batchTests.findIndex(holds);
  const tests = input.batchTests.filter((entry) => !holds(entry));
  if (at === input.batchTests.length - 1 || tests.length === 0 || runs.length >= input.maxRuns) return undefined;
  const probe = await input.executor.run(tests);
  runs.push(probe);
  return { tests, probe };
}

/** The per-test ids in the order they ran: the batch as the runner really split it. */
function testsInRunOrder(records: readonly PerTestRecord[]): TestId[] {
  return [...new Set(records.map((r) => r.test))];
}

async function accumulatorFinding(
  input: AttributionInput,
  signature: Signature,
  verdict: AccumulationVerdict,
  runsSoFar: readonly ProbeResult[],
): Promise<AttributedFinding> {
  const ids = testsInRunOrder(input.records);
  const prefix = await smallestFailingPrefix(ids, input.executor, signature, {
    hintLength: prefixHint(verdict, input.budget.memoryBytes, ids.length),
    maxRuns: Math.max(0, input.maxRuns - runsSoFar.length),
  });
  const because = `${slopeWords(verdict)}; smallest failing prefix: ${prefix.length} tests`;
  return {
    finding: {
      batchIndex: input.batchIndex,
      kind: 'accumulator',
      culprits: verdict.topContributors.map((c) => c.test),
      victim: undefined,
      signature,
      because,
      reproTests: prefix.tests,
      evidenceRunIds: [input.original.runId, ...prefix.runIds],
      confidence: undefined,
    },
    accumulation: { slopeBytesPerTest: verdict.slopeBytesPerTest, rSquared: verdict.rSquared, tests: verdict.tests, prefixLength: prefix.length },
  };
}

// A batch that passed cost nothing to judge: no runs, and (docs/decisions.md) no exit code 1.
function warnIfAccumulating(input: AttributionInput): Attribution {
  const verdict = accumulationOf(input.records);
  if (!verdict.isAccumulating) return NOTHING;
  const reachAfter = prefixHint(verdict, input.budget.memoryBytes, Number.MAX_SAFE_INTEGER);
  const future = reachAfter === undefined ? 'it already sits near the budget' : `would reach the ${formatBytes(input.budget.memoryBytes)} budget after ~${reachAfter} tests`;
  const finding: Finding = {
    batchIndex: input.batchIndex,
    kind: 'accumulator',
    culprits: verdict.topContributors.map((c) => c.test),
    victim: undefined,
    signature: { outcome: 'over-memory', failingTest: undefined, signal: undefined },
    because: `${slopeWords(verdict)}; it did not die yet: ${future}`,
    reproTests: testsInRunOrder(input.records),
    evidenceRunIds: [input.original.runId],
    confidence: undefined,
  };
  const accumulation = { slopeBytesPerTest: verdict.slopeBytesPerTest, rSquared: verdict.rSquared, tests: verdict.tests };
  return { hunts: [], findings: [{ finding, severity: 'warning', accumulation }], settled: [] };
}

function slopeWords(verdict: AccumulationVerdict): string {
  return `accumulates ~${formatBytes(verdict.slopeBytesPerTest)} per test (R² ${verdict.rSquared.toFixed(2)} over ${verdict.tests} tests)`;
}

function settle(input: AttributionInput, signature: Signature, runs: readonly ProbeResult[], found: AttributedFinding): Attribution {
  const prefixRuns = found.finding.evidenceRunIds.length - 1;
  const runsUsed = found.finding.kind === 'accumulator' ? runs.length + prefixRuns : runs.length;
  const hunt: BatchHunt = {
    batchIndex: input.batchIndex, signature, findings: [found.finding], runsUsed, runsEstimated: runsUsed, stopped: 'done',
  };
  return { hunts: [hunt], findings: [found], settled: [signature] };
}
