// What one batch's per-test records settle before bisection starts (docs/probes.md, "How
// probes are wired into a hunt"; docs/accumulators.md). Decision rules, in order:
//   1. memory death + one test the records point at (suspectFromRecords) → run it alone ONCE;
//      it dies the same way → `hog`, no bisection for that failure;
//   2. timeout + exactly one test that started and never ended → run it alone ONCE under a
//      longer time budget (classify/hang.ts); it times out even then → `hang`;
//   3. memory death + tests that kept memory (judgeAccumulation) → two runs: the contributors
//      alone, in order (with allocation sites), each keeping again about what it kept in the
//      batch (classify/accumulator/recurrence.ts: one that does not is dropped, never named),
//      and the batch without those that did must not die → `accumulator`, its smallest failing prefix the
//      tests up to the one the batch died in (memory only grows: the records show it);
//   4. a batch that passed, or timed out, but whose tests keep memory → a warning-level
//      `accumulator` with the test count at which it would cross the budget, no runs (a
//      timeout is not a memory death: the accumulator is not blamed for it);
//   0. timeout + the stack dump of the batch run shows a batch entry's file being imported
//      (pytest collection) or running (Node) → that entry alone ONCE; it times out too →
//      `hang`, before any per-test record is needed (an import hang leaves none);
// Anything else (or a suspect that does not reproduce alone) is left to huntBatch. It never
// names a test on the records alone: every named hog, hang or contributor reproduced in a run.

import { leakSites, siteText } from '../classify/accumulator/leak-sites.js';
import { checkRecurrence, type RecurrenceCheck } from '../classify/accumulator/recurrence.js';
import { type AccumulatorVerdict, DEFAULT_ACCUMULATOR_RULE, judgeAccumulation, retainedPoints } from '../classify/accumulator/rule.js';
import { hangConfirmationBudget, hangConfirmationTimeoutMs } from '../classify/hang.js';
import { reproduces, type Signature, signaturesOf } from '../classify/signature.js';
import type { Budget } from '../execute/types.js';
import type { TestId } from '../plan/types.js';
import { entryOnStack, type StackRunner } from '../probe/import-site.js';
import type { GrowthSite, PerTestRecord } from '../probe/records.js';
import type { AccumulationContributor, AccumulationFacts, RunRecord } from '../report/model.js';
import { formatBytes } from '../util/bytes.js';
import { suspectFromRecords } from './suspect.js';
import type { BatchHunt, Executor, Finding, RunOptions, TrialResult } from './types.js';

export interface AttributionInput {
  readonly batchIndex: number;
  /** The batch's entries as planned (a file entry may hold many per-test ids). */
  readonly batchTests: readonly TestId[];
  /** The batch's own run and what its probe wrote. */
  readonly original: RunRecord;
  readonly records: readonly PerTestRecord[];
  readonly budget: Budget;
  /** Runs a list of tests (per-test ids allowed) as a recorded trial of this batch. */
  readonly executor: Executor;
  /** Runs this phase may make for the batch (--max-runs). */
  readonly maxRuns: number;
  /** The failures the user asked to chase (`leakhunt bisect --outcome`). */
  readonly wants: (signature: Signature) => boolean;
  /**
   * Whose stacks the runs carry and where the runner ran: for rule 0 (optional). A stack's
   * paths are the runner's (from projectDir) and batch entries the user's, so `toRunner`
   * spells an entry as the runner does (identity when the selection sits in the project).
   */
  readonly stacks?: { readonly runner: StackRunner; readonly projectDir: string; readonly toRunner?: (test: TestId) => TestId };
  /**
   * Runs the executor may have going at once (--jobs). With 2 or more, a suspect is
   * confirmed alone while the batch without it runs: the two runs are independent.
   */
  readonly width?: number;
  /** What the probe of a run (made through executor) wrote. */
  readonly probeOf: (runId: string) => Promise<{ readonly records: readonly PerTestRecord[]; readonly sites: readonly GrowthSite[] }>;
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
  readonly rest?: { readonly tests: readonly TestId[]; readonly trial: TrialResult };
}

const NOTHING: Attribution = { hunts: [], findings: [], settled: [] };
const MEMORY_DEATHS = new Set(['over-memory', 'oom-killed']);

export async function attributeBatch(given: AttributionInput): Promise<Attribution> {
  // Ids as the selection spells them, not as the runner (its rootdir) does.
  const input = { ...given, records: given.records.map((r) => spelledAs(given.batchTests, r)) };
  const { original, records } = input;
  const importHang = await attributeImportHang(input);
  if (importHang !== undefined) return importHang;
  if (records.length === 0) return NOTHING;
  // A batch that failed ended on its own too: its records are whole, and a failing assertion
  // says nothing about memory. Debian's cssutils has 4 tests that fail offline: 3 injected files
  // keeping 120 MiB got no word, where the same suite without those 4 got its warning. The
  // failures themselves are hunted after this (huntBatch), nothing settled here.
  if (original.verdict.outcome === 'passed' || original.verdict.outcome === 'failed') return warnIfAccumulating(input);
  const signature = signaturesOf(original.verdict).find((s) => MEMORY_DEATHS.has(s.outcome) || s.outcome === 'timeout');
  if (signature === undefined || !input.wants(signature)) return NOTHING;
  const suspect = signature.outcome === 'timeout' ? hangSuspect(records) : memorySuspect(records, input.budget);
  const runs: TrialResult[] = [];
  if (suspect !== undefined && input.maxRuns > 0) {
    const { alone, rest } = await confirmAlone(input, signature, suspect.test, runs, 'test');
    if (reproduces(signature, alone.verdict)) {
      return { ...settle(input, signature, runs, { finding: loneFinding(input, signature, suspect, alone) }), ...(rest && { rest }) };
    }
  }
  // A batch can run out of time before it runs out of memory (a loaded machine, slow tests):
  // the timeout is no memory death and blames nobody, but the records still show what kept
  // memory. Said as a warning with its projection, like a batch that passed; the timeout
  // itself is left to huntBatch.
  if (signature.outcome === 'timeout') return warnIfAccumulating(input);
  const verdict = judgeAccumulation(retainedPoints(records));
  if (!verdict.isAccumulating || input.maxRuns - runs.length < 2) return NOTHING;
  const found = await confirmedAccumulator(input, signature, verdict, runs);
  return found === undefined ? NOTHING : settle(input, signature, runs, found);
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
  const toRunner = input.stacks.toRunner ?? ((test: TestId): TestId => test);
  const runnerEntries = input.batchTests.map(toRunner);
  const onStack = entryOnStack(text, input.stacks.runner, runnerEntries, input.stacks.projectDir);
  const entry = onStack === undefined ? undefined : input.batchTests[runnerEntries.indexOf(onStack)];
  if (entry === undefined) return undefined;
  const runs: TrialResult[] = [];
  const { alone, rest } = await confirmAlone(input, signature, entry, runs, 'entry');
  // Not confirmed alone: halving decides (the tried run stays in the report as evidence).
  if (!reproduces(signature, alone.verdict)) return { ...NOTHING, hunts: [untried(input, signature, runs)] };
  const doing = input.stacks.runner === 'pytest' ? 'being imported (collected)' : 'running';
  const suspect: NamedSuspect = { test: entry, because: `it shows ${entry} ${doing} when the time ran out`, from: 'stack' };
  return { ...settle(input, signature, runs, { finding: loneFinding(input, signature, suspect, alone) }), ...(rest && { rest }) };
}

/**
 * A suspect of a timeout runs alone under a longer time budget (classify/hang.ts): a real hang
 * never ends; a test that only ran long on a loaded machine ends, and is left to bisection.
 * A test named by its records is timed on its own time, from its start record; an entry named
 * by a stack (an import hang: no test ever starts) from the process start.
 */
function aloneOptions(input: AttributionInput, signature: Signature, suspect: 'test' | 'entry'): RunOptions | undefined {
  if (signature.outcome !== 'timeout') return undefined;
  const budget = hangConfirmationBudget(input.budget.timeoutMs);
  return suspect === 'test' ? budget : { timeoutMs: budget.timeoutMs };
}

/** A tried suspect that did not reproduce: its run is counted, nothing is settled. */
function untried(input: AttributionInput, signature: Signature, runs: readonly TrialResult[]): BatchHunt {
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

function loneFinding(input: AttributionInput, signature: Signature, suspect: NamedSuspect, alone: TrialResult): Finding {
  return {
    batchIndex: input.batchIndex,
    kind: signature.outcome === 'timeout' ? 'hang' : 'hog',
    culprits: [suspect.test],
    victim: undefined,
    signature,
    because: `named from the ${suspect.from === 'stack' ? 'stack dump' : 'per-test records'} of ${input.original.runId}: ${suspect.because}; alone it ${alone.verdict.outcome === 'timeout' ? `timed out too, ${alone.verdict.because}` : 'died the same way'} (${alone.runId})`,
    reproTests: [suspect.test],
    evidenceRunIds: [input.original.runId, alone.runId],
    confidence: undefined,
  };
}

// The entry holding the culprit goes (pytest cannot drop one test of a file entry without
// --deselect); when it was the batch's last entry, everything else already ran: no run.
function restOf(input: AttributionInput, culprit: TestId): TestId[] | undefined {
  const holds = (entry: TestId): boolean => culprit === entry || culprit.startsWith(`${entry}::`) || culprit.startsWith(`${entry} > `);
  const at = input.batchTests.findIndex(holds);
  const tests = input.batchTests.filter((entry) => !holds(entry));
  return at === input.batchTests.length - 1 || tests.length === 0 ? undefined : tests;
}

/**
 * The suspect alone and, once it is confirmed, the rest of the batch (what its death hid).
 * With room for two runs at once both start together (they are independent); when the
 * suspect does not reproduce, that rest run was spent for nothing: counted, in the report,
 * not used. Both land in `runs` in the order asked.
 */
async function confirmAlone(
  input: AttributionInput,
  signature: Signature,
  culprit: TestId,
  runs: TrialResult[],
  suspect: 'test' | 'entry',
): Promise<{ alone: TrialResult; rest: Attribution['rest'] }> {
  const tests = restOf(input, culprit);
  const together = (input.width ?? 1) > 1 && tests !== undefined && runs.length + 2 <= input.maxRuns;
  const [alone, early] = await Promise.all([
    input.executor.run([culprit], aloneOptions(input, signature, suspect)),
    together ? input.executor.run(tests) : undefined,
  ]);
  runs.push(alone, ...(early === undefined ? [] : [early]));
  if (!reproduces(signature, alone.verdict) || tests === undefined) return { alone, rest: undefined };
  if (early !== undefined) return { alone, rest: { tests, trial: early } };
  if (runs.length >= input.maxRuns) return { alone, rest: undefined };
  const trial = await input.executor.run(tests);
  runs.push(trial);
  return { alone, rest: { tests, trial } };
}

/**
 * The contributors in order, each test checked on its own (not as part of a whole file) given
 * twice in a row: under pytest the probe runs it twice in the process, and it must keep memory
 * again (classify/accumulator/recurrence.ts). Other runners run an id once: given once.
 */
function repeatLoneContributors(input: AttributionInput, verdict: AccumulatorVerdict): TestId[] {
  if (input.stacks?.runner !== 'pytest') return [...verdict.contributingTests];
  const lone = new Set(verdict.files.filter((f) => !(f.wholeFile && f.tests.length > 1)).flatMap((f) => f.tests.map((t) => t.test)));
  return verdict.contributingTests.flatMap((test) => (lone.has(test) ? [test, test] : [test]));
}

/** The per-test ids in the order they ran: the batch as the runner really split it. */
function testsInRunOrder(records: readonly PerTestRecord[]): TestId[] {
  return [...new Set(records.map((r) => r.test))];
}

// A record's file is relative to the runner's rootdir (pytest) or cwd (jest); the batch entry
// that ends with it is how the user wrote it ("networkx/classes/tests/test_graph.py", not
// "tests/test_graph.py").
export function spelledAs(batchTests: readonly TestId[], record: PerTestRecord): PerTestRecord {
  const entry = batchTests.map((t) => t.split('::')[0]!).find((e) => e !== record.file && e.endsWith(`/${record.file}`));
  if (entry === undefined || !record.test.startsWith(record.file)) return record;
  return { ...record, file: entry, test: entry + record.test.slice(record.file.length) };
}

function contributorsOf(verdict: AccumulatorVerdict): AccumulationContributor[] {
  return verdict.files.map((f) => ({
    file: f.file,
    wholeFile: f.wholeFile,
    retainedBytes: f.retainedBytes,
    share: f.share,
    tests: f.tests,
  }));
}

/**
 * What a finding names: a file whose every test keeps memory as the file (when the batch ran
 * it as a file: an entry that picked one test of it is named as that test), else its tests.
 */
function culpritsOf(verdict: AccumulatorVerdict, batchTests: readonly TestId[]): TestId[] {
  return verdict.files.flatMap((f) =>
    f.wholeFile && f.tests.length > 1 && batchTests.includes(f.file) ? [f.file] : f.tests.map((t) => t.test),
  );
}

// The batch without the contributors: entries with no contributor as they are, the others
// as their recorded tests minus the contributors (pytest runs node ids; jest ids go by name).
function batchWithout(input: AttributionInput, contributors: ReadonlySet<TestId>): TestId[] {
  const recorded = testsInRunOrder(input.records);
  const inEntry = (entry: TestId, test: TestId): boolean =>
    test === entry || test.startsWith(`${entry}::`) || test.startsWith(`${entry} > `);
  return input.batchTests.flatMap((entry) => {
    const tests = recorded.filter((t) => inEntry(entry, t));
    if (!tests.some((t) => contributors.has(t))) return [entry];
    return tests.filter((t) => !contributors.has(t));
  });
}

// Where the batch died: the test running at the kill; all tests when none was (it died after).
function crossedAt(records: readonly PerTestRecord[]): number {
  const order = testsInRunOrder(records);
  const killed = records.find((r) => !r.finished);
  return killed === undefined ? order.length : order.indexOf(killed.test) + 1;
}

async function confirmedAccumulator(
  input: AttributionInput,
  signature: Signature,
  verdict: AccumulatorVerdict,
  runs: TrialResult[],
): Promise<AttributedFinding | undefined> {
  // A memory question: the contributors each finished in the batch run, so running out of
  // time here (tracing is slow; a loaded machine is slower) would answer nothing. They get
  // the longer budget a hang is confirmed with (classify/hang.ts).
  const timeoutMs = hangConfirmationTimeoutMs(input.budget.timeoutMs);
  let alone = await input.executor.run(repeatLoneContributors(input, verdict), { traceSites: true, timeoutMs });
  runs.push(alone);
  let aloneProbe = await input.probeOf(alone.runId);
  // Tracing allocations slows Python down: a traced run that ran out of time proves nothing
  // either way, so it is run once more untraced (its sites are kept).
  if (alone.verdict.outcome === 'timeout' && signature.outcome !== 'timeout' && input.maxRuns - runs.length >= 2) {
    alone = await input.executor.run(repeatLoneContributors(input, verdict), { timeoutMs });
    runs.push(alone);
    aloneProbe = { ...(await input.probeOf(alone.runId)), sites: aloneProbe.sites };
  }
  // Each contributor's growth must recur alone; those whose growth does not are dropped.
  const aloneRecords = aloneProbe.records.map((r) => spelledAs(input.batchTests, r));
  const recurrence = checkRecurrence(verdict, aloneRecords, reproduces(signature, alone.verdict));
  if (!recurrence.verdict.isAccumulating) return undefined;
  const confirmed = recurrence.verdict;
  const sites = leakSites(
    aloneProbe.sites,
    confirmed.files.map((f) => f.file),
  );
  const rest = batchWithout(input, new Set(confirmed.contributingTests));
  let without: TrialResult | undefined;
  if (rest.length > 0) {
    without = await input.executor.run(rest);
    runs.push(without);
    if (reproduces(signature, without.verdict)) return undefined;
  }
  const later = without === undefined ? undefined : await contributorsAfterDeath(input, without, confirmed, runs, timeoutMs);
  const order = testsInRunOrder(input.records);
  const prefixLength = crossedAt(input.records);

  const aloneWords = `${reproduces(signature, alone.verdict) ? 'alone they died the same way' : `alone they ${alone.verdict.outcome === 'passed' ? 'passed' : `ended ${alone.verdict.outcome}`}`}: ${recurrenceWords(recurrence.checks)}`;
  const withoutWords =
    without === undefined
      ? 'nothing else ran'
      : `the batch without them ${without.verdict.outcome === 'passed' ? 'passed' : `ended ${without.verdict.outcome}`} (${without.runId})`;
  const laterWords = later === undefined ? '' : `; ${afterDeathWords(later)}`;
  const because = `${keptWords(confirmed)}; ${aloneWords} (${alone.runId}), ${withoutWords}${laterWords}; the budget was crossed at test ${prefixLength}${sitesWords(sites)}`;
  const facts = factsOf(confirmed);
  const accumulation: AccumulationFacts = {
    ...facts,
    ...(later !== undefined && {
      contributors: [
        ...(facts.contributors ?? []),
        ...contributorsOf(later.verdict).map((c) => ({ ...c, afterDeathRunId: later.withoutRunId })),
      ],
    }),
    prefixLength,
    budgetCrossedAtTest: prefixLength,
    ...(sites.length > 0 && { leakSites: sites }),
    confirmation: {
      contributorsRunId: alone.runId,
      ...(without !== undefined && { withoutRunId: without.runId }),
      recurrence: recurrence.checks,
    },
  };
  return {
    finding: {
      batchIndex: input.batchIndex,
      kind: 'accumulator',
      culprits: [...culpritsOf(confirmed, input.batchTests), ...(later === undefined ? [] : culpritsOf(later.verdict, input.batchTests))],
      victim: undefined,
      signature,
      because,
      reproTests: order.slice(0, prefixLength),
      evidenceRunIds: [input.original.runId, ...runs.map((r) => r.runId)],
      confidence: undefined,
    },
    accumulation,
  };
}

/** Contributors that ran only after the batch died: judged in the run without the others, confirmed alone. */
interface AfterDeath {
  readonly verdict: AccumulatorVerdict;
  readonly checks: readonly RecurrenceCheck[];
  readonly withoutRunId: string;
  readonly aloneRunId: string;
}

/**
 * The batch died before some contributors ran (or while the first of their tests ran): its
 * records cannot weigh them, and naming only those before the death left a third of a
 * registry's feeders unmentioned (QA, mpmath and toolz: 3 files, the third after the kill).
 * The run without the confirmed contributors ran them: its records are judged by the same rule,
 * and files none of whose keeping tests finished in the batch are confirmed like the others,
 * alone (each keeps about as much again, classify/accumulator/recurrence.ts). One more run;
 * none when the budget of runs is spent (then they stay unnamed, as before).
 */
async function contributorsAfterDeath(
  input: AttributionInput,
  without: TrialResult,
  confirmed: AccumulatorVerdict,
  runs: TrialResult[],
  timeoutMs: number,
): Promise<AfterDeath | undefined> {
  if (input.maxRuns - runs.length < 1 || !isAlive(without)) return undefined;
  const records = (await input.probeOf(without.runId)).records.map((r) => spelledAs(input.batchTests, r));
  const judged = judgeAccumulation(retainedPoints(records));
  if (!judged.isAccumulating) return undefined;
  const named = new Set(confirmed.files.map((f) => f.file));
  const finishedInBatch = new Set(input.records.filter((r) => r.finished).map((r) => r.test));
  const files = judged.files.filter((f) => !named.has(f.file) && f.tests.every((t) => !finishedInBatch.has(t.test)));
  if (files.length === 0) return undefined;
  const fresh: AccumulatorVerdict = { ...judged, files, contributingTests: files.flatMap((f) => f.tests.map((t) => t.test)) };
  const alone = await input.executor.run(repeatLoneContributors(input, fresh), { timeoutMs });
  runs.push(alone);
  const aloneRecords = (await input.probeOf(alone.runId)).records.map((r) => spelledAs(input.batchTests, r));
  const recurrence = checkRecurrence(fresh, aloneRecords, false);
  if (!recurrence.verdict.isAccumulating || recurrence.verdict.files.length === 0) return undefined;
  return { verdict: recurrence.verdict, checks: recurrence.checks, withoutRunId: without.runId, aloneRunId: alone.runId };
}

// The run without the contributors ended on its own (passed or failed): its records are whole.
function isAlive(run: TrialResult): boolean {
  return run.verdict.outcome === 'passed' || run.verdict.outcome === 'failed';
}

// "and after the death: tests/test_c.py (5 tests, ran after the kill) kept ~8.0 MiB each in b001-p02 … and again alone (b001-p03)".
function afterDeathWords(later: AfterDeath): string {
  const files = later.verdict.files.map((f) => `${f.file} (${f.tests.length} test${f.tests.length === 1 ? '' : 's'})`).join(', ');
  const alone = recurrenceWords(later.checks).replaceAll(' in the batch)', ` in ${later.withoutRunId})`);
  return `and ${files} ran only after the batch died: in the batch without the others (${later.withoutRunId}) ${later.verdict.files.length === 1 ? 'it' : 'they'} kept ~${formatBytes(later.verdict.bytesPerContributingTest)} per test, and alone (${later.aloneRunId}): ${alone}`;
}

function factsOf(verdict: AccumulatorVerdict): AccumulationFacts {
  return {
    slopeBytesPerTest: verdict.bytesPerContributingTest,
    rSquared: 1,
    tests: verdict.tests,
    contributors: contributorsOf(verdict),
    explainedShare: verdict.explainedShare,
    totalGrowthBytes: verdict.totalGrowthBytes,
  };
}

/**
 * A passing batch is warned about only if it would reach its budget within this many times the
 * tests it ran (docs/accumulators.md, "A batch that passed"): an accumulator that matters crosses
 * the budget within the suite it lives in, not after 20× more of the same tests.
 */
export const WARNING_HORIZON = 10;

type WarningInput = Pick<AttributionInput, 'batchIndex' | 'batchTests' | 'original' | 'records' | 'budget'>;

/**
 * Survey mode: a run that ran out of time was resumed in a new process (its running test passed
 * alone) and the last run passed. Each run alone shows only part of an accumulator (QA toolz: a
 * and b fed the registry in the run that timed out, c in the one that passed, and only c was
 * warned of): the finished tests of every run are judged together, each process on its own
 * series (judgeAccumulation), tests that ran again in a later run counted there only. No runs.
 */
export function warnAcrossRuns(
  input: WarningInput,
  timedOut: readonly { run: RunRecord; records: readonly PerTestRecord[] }[],
): AttributedFinding[] {
  const later = new Set(input.records.map((r) => r.test));
  const earlier = timedOut.flatMap(({ records }) => records.filter((r) => r.finished && !later.has(r.test)));
  const records = [...earlier, ...input.records].map((r) => spelledAs(input.batchTests, r));
  return [
    ...warnIfAccumulating(
      { ...input, records },
      timedOut.map(({ run }) => run),
    ).findings,
  ];
}

// A batch that passed cost nothing to judge: no runs, and (docs/decisions.md) no exit code 1.
// Where it would die: the tree's highest RSS now, plus the batch's retained growth per test
// (contributors and the rest mixed, as a longer suite of the same kind would mix them).
// A warning runs nothing, so no contributor is confirmed to keep memory again alone (the
// recurrence check of a death): a lone test keeping under half what the other files' tests keep
// is left out as kept once (Debian cssutils: test_parseFile's 3.9 MiB first parse was named
// beside three 10 MiB-per-test feeders; the death path's one-off ratio is 1/3).
const WARNING_RULE = { ...DEFAULT_ACCUMULATOR_RULE, maxOneOffRatio: 1 / 2 };

function warnIfAccumulating(input: WarningInput, timedOutBefore: readonly RunRecord[] = []): Attribution {
  const verdict = judgeAccumulation(retainedPoints(input.records), WARNING_RULE);
  if (!verdict.isAccumulating) return NOTHING;
  const perTest = verdict.explainedBytes / Math.max(1, verdict.tests);
  const headroom = input.budget.memoryBytes - input.original.evidence.peakBytes;
  const reachAfter = verdict.tests + Math.max(0, Math.ceil(headroom / perTest));
  // Far beyond the tests that showed it, the projection is no warning: a fresh process's
  // first-time caches (a continuation's first uses of a lazily imported module) keep a few MiB
  // once, and at that rate any suite "would" reach any budget after tens of thousands of tests.
  // A batch that timed out ran only part of its entries: its size counts as well.
  if (reachAfter > WARNING_HORIZON * Math.max(verdict.tests, input.batchTests.length)) return NOTHING;
  const finding: Finding = {
    batchIndex: input.batchIndex,
    kind: 'accumulator',
    culprits: culpritsOf(verdict, input.batchTests),
    victim: undefined,
    signature: { outcome: 'over-memory', failingTest: undefined, signal: undefined },
    because: `${keptWords(verdict)}${acrossWords(input.original, timedOutBefore)}; ${notDeadYet(timedOutBefore[0] ?? input.original)}: at this rate it would reach the ${formatBytes(input.budget.memoryBytes)} budget after ~${reachAfter} tests`,
    reproTests: testsInRunOrder(input.records),
    evidenceRunIds: [...timedOutBefore.map((run) => run.runId), input.original.runId],
    confidence: undefined,
  };
  const accumulation: AccumulationFacts = { ...factsOf(verdict), budgetCrossedAtTest: reachAfter, projected: true };
  return { hunts: [], findings: [{ finding, severity: 'warning', accumulation }], settled: [] };
}

// " (judged over b001, which ran out of time, and b001-p02, which went on after it)".
function acrossWords(last: RunRecord, timedOut: readonly RunRecord[]): string {
  if (timedOut.length === 0) return '';
  const ids = timedOut.map((run) => run.runId).join(', ');
  return ` (judged over the finished tests of ${ids}, which ran out of time, and of ${last.runId}, which went on after ${timedOut.length === 1 ? 'it' : 'them'})`;
}

function notDeadYet(original: RunRecord): string {
  if (original.verdict.outcome !== 'timeout') return 'it did not die yet';
  return 'it ran out of time before memory (the batch timed out; its finished tests were judged)';
}

function keptWords(verdict: AccumulatorVerdict): string {
  const tests = verdict.contributingTests.length;
  const files = verdict.files.length;
  const oneOffs = (verdict.alsoKept ?? []).map((t) => `${t.test} (${formatBytes(t.retainedBytes)} once)`);
  const also = oneOffs.length === 0 ? '' : `; also kept a little: ${oneOffs.join(', ')}, not counted`;
  return `${tests} test${tests === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} kept ~${formatBytes(verdict.bytesPerContributingTest)} each, ${Math.round(100 * verdict.explainedShare)}% of the batch's retained growth (${formatBytes(verdict.totalGrowthBytes)} over ${verdict.tests} tests)${also}`;
}

// "test_f2.py kept 31 MiB again (32 MiB in the batch), …; dropped, did not recur: t kept 0.1 MiB (8 MiB in the batch)".
function recurrenceWords(checks: readonly RecurrenceCheck[]): string {
  const one = (c: RecurrenceCheck): string =>
    c.aloneBytes === undefined
      ? `${c.contributor} ${c.crossedBudget === true ? 'crossed the budget' : 'never ran (the run ended before it)'} (${formatBytes(c.batchBytes)} in the batch)`
      : `${c.contributor} kept ${formatBytes(Math.max(0, c.aloneBytes))} (${formatBytes(c.batchBytes)} in the batch)${againWords(c)}`;
  const recurred = checks.filter((c) => c.recurred);
  const dropped = checks.filter((c) => !c.recurred);
  const shown = recurred.slice(0, 4).map(one).join(', ');
  const more = recurred.length > 4 ? ` and ${recurred.length - 4} more` : '';
  const gone = dropped.length === 0 ? '' : `; not named, their growth did not recur: ${dropped.map(one).join(', ')}`;
  return `${recurred.length} of ${checks.length} contributors kept about as much again: ${shown}${more}${gone}`;
}

// A lone contributor run twice in a row: a one-off (a first import) keeps nothing the second time.
function againWords(c: RecurrenceCheck): string {
  if (c.againBytes === undefined) return '';
  return c.recurred
    ? ` and ${formatBytes(Math.max(0, c.againBytes))} again when run a second time`
    : ` but ${formatBytes(Math.max(0, c.againBytes))} when run a second time in the same process: a one-off (a first import, a cache filled once), not a feeder`;
}

function sitesWords(sites: readonly GrowthSite[]): string {
  const top = sites[0];
  return top === undefined ? '' : `; allocated at ${siteText(top)}`;
}

function settle(input: AttributionInput, signature: Signature, runs: readonly TrialResult[], found: AttributedFinding): Attribution {
  const runsUsed = runs.length;
  const hunt: BatchHunt = {
    batchIndex: input.batchIndex,
    signature,
    findings: [found.finding],
    runsUsed,
    runsEstimated: runsUsed,
    stopped: 'done',
  };
  return { hunts: [hunt], findings: [found], settled: [signature] };
}
