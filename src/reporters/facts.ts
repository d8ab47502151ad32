// What every view says about a report, computed once: one row per batch (outcome, peak against
// budget, duration, log), counts, and the short titles of findings. Views differ in layout,
// never in facts: a number printed in the console is the number in the HTML and the JUnit.
import type { Finding } from '../bisect/types.js';
import { siteText } from '../classify/accumulator/leak-sites.js';
import type { Outcome } from '../classify/types.js';
import type { AccumulationFacts, BatchReport, Report, ReportedFinding, RunRecord, RunStacks } from '../report/model.js';
import { countOf, entryNoun, pluralOf } from '../selection/count-words.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';

/** 'not run': the batch was planned but the hunt stopped before it (interrupted, max-runs). */
export type BatchOutcome = Outcome | 'not run';

export interface BatchRow {
  readonly index: number;
  readonly testCount: number;
  readonly outcome: BatchOutcome;
  readonly because: string;
  readonly peakBytes: number | undefined;
  readonly budgetBytes: number;
  readonly durationMs: number | undefined;
  readonly logPath: string | undefined;
  readonly run: RunRecord | undefined;
  readonly batch: BatchReport;
}

const OK_OUTCOMES: ReadonlySet<BatchOutcome> = new Set(['passed', 'not run']);

export function isProblem(outcome: BatchOutcome): boolean {
  return !OK_OUTCOMES.has(outcome);
}

export function runsById(report: Report): Map<string, RunRecord> {
  return new Map(report.runs.map((run) => [run.runId, run]));
}

export function batchRows(report: Report): BatchRow[] {
  const runs = runsById(report);
  return report.batches.map((batch) => {
    const run = batch.runId === undefined ? undefined : runs.get(batch.runId);
    return {
      index: batch.index,
      testCount: batch.tests.length,
      outcome: batch.verdict?.outcome ?? 'not run',
      because: batch.verdict?.because ?? `the hunt stopped (${report.status}) before this batch ran`,
      peakBytes: run?.evidence.peakBytes,
      budgetBytes: run?.evidence.budgetBytes ?? report.budget.memoryBytes,
      durationMs: run?.evidence.durationMs,
      logPath: run?.logPath,
      run,
      batch,
    };
  });
}

/** "301 MiB of 300 MiB"; "—" when the batch never ran. */
export function peakText(row: Pick<BatchRow, 'peakBytes' | 'budgetBytes'>): string {
  if (row.peakBytes === undefined) return '—';
  return `${formatBytes(row.peakBytes)} of ${formatBytes(row.budgetBytes)}`;
}

export function durationText(durationMs: number | undefined): string {
  return durationMs === undefined ? '—' : formatDuration(durationMs);
}

/** "batch 7 died: over-memory (1.52 GiB of 1.50 GiB)" — the one line CI UIs show. */
export function batchHeadline(row: BatchRow): string {
  if (row.outcome === 'not run') return `batch ${row.index} did not run`;
  if (row.outcome === 'passed') return `batch ${row.index} passed`;
  const verb = row.outcome === 'failed' || row.outcome === 'no-tests' || row.outcome === 'error' ? 'failed' : 'died';
  const detail = row.outcome === 'timeout' ? durationText(row.durationMs) : peakText(row);
  return `batch ${row.index} ${verb}: ${row.outcome} (${detail})`;
}

/**
 * "24 tests", "16 files (108 tests)", "14 entries": a selection line that is a file or a folder
 * is not one test, and "16 tests" beside pytest's "108 passed" read as a miscount. The tests
 * they hold are counted only when every batch ran whole (passed or failed, with the runner's count): a
 * batch that died stopped early and its later tests ran in other runs, if at all.
 */
export function selectionCountText(report: Report): string {
  const count = report.selection.testCount;
  const noun = entryNoun(report.batches.flatMap((batch) => batch.tests));
  if (noun === 'test') return countOf(count, 'test');
  const held = testsHeld(report);
  return held === undefined ? countOf(count, noun) : `${countOf(count, noun)} (${countOf(held, 'test')})`;
}

function testsHeld(report: Report): number | undefined {
  const runs = runsById(report);
  let total = 0;
  for (const batch of report.batches) {
    const run = batch.runId === undefined ? undefined : runs.get(batch.runId);
    const ranWhole = run?.verdict.outcome === 'passed' || run?.verdict.outcome === 'failed';
    const collected = ranWhole ? run?.results?.collected : undefined;
    if (collected === undefined) return undefined;
    total += collected;
  }
  return report.batches.length === 0 ? undefined : total;
}

/**
 * The batch table's count column: what its numbers count. A file entry is not one test (pytest
 * runs 108 tests from 16 files), so a column of files says "files" (selection/count-words.ts).
 */
export function entryColumnText(rows: readonly BatchRow[]): string {
  return pluralOf(entryNoun(rows.flatMap((row) => row.batch.tests)));
}

/** "1 batch", "5 batches": survey mode (the default) runs one batch, and "1 batches" read as a bug. */
export function batchesText(count: number): string {
  return `${count} ${count === 1 ? 'batch' : 'batches'}`;
}

/** Counts per outcome, in a fixed order, for one summary line: "3 passed, 1 over-memory". */
export function outcomeCounts(rows: readonly BatchRow[]): string {
  const counts = new Map<BatchOutcome, number>();
  for (const row of rows) counts.set(row.outcome, (counts.get(row.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ');
}

/** How every view words an unresolved finding's tests: they are where to look, not culprits. */
export const NOT_NARROWED = 'not narrowed: smallest failing set found';

/**
 * The tests an unresolved finding could not narrow further; undefined for other kinds.
 * Reports written before `smallestFailingSet` existed kept that set in `culprits`.
 */
export function notNarrowedSet(finding: Finding): readonly string[] | undefined {
  if (finding.kind !== 'unresolved') return undefined;
  return finding.smallestFailingSet ?? finding.culprits;
}

/** The tests a finding blames: none for unresolved and flaky, whatever an old report says. */
export function blamedTests(finding: Finding): readonly string[] {
  return finding.kind === 'unresolved' || finding.kind === 'flaky' ? [] : finding.culprits;
}

/** Every victim of a polluter finding (reports before `victims` existed had one). */
export function victimsOf(finding: Finding): readonly string[] {
  return finding.victims ?? (finding.victim === undefined ? [] : [finding.victim]);
}

/** flaky: the test whose failure did not come back (the failure chased), if one test failed. */
export function flakyTest(finding: Finding): string | undefined {
  return finding.kind === 'flaky' ? finding.signature.failingTest : undefined;
}

/** "not narrowed: smallest failing set found (2 tests): a, b". */
export function notNarrowedText(tests: readonly string[]): string {
  return `${NOT_NARROWED} (${tests.length === 1 ? '1 test' : `${tests.length} tests`}): ${tests.join(', ')}`;
}

/**
 * The tests of a finding as people read them: "A → makes B, C fail" for a polluter,
 * "t (flaky, no culprit)", "not narrowed: smallest failing set found (…)" for unresolved.
 */
export function culpritText(finding: Finding): string {
  const unnarrowed = notNarrowedSet(finding);
  if (unnarrowed !== undefined) return notNarrowedText(unnarrowed);
  if (finding.kind === 'flaky') return `${flakyTest(finding) ?? 'the batch'} (flaky: no culprit)`;
  const culprits = finding.culprits.join(', ') || '(no single test)';
  const victims = victimsOf(finding);
  return victims.length === 0 ? culprits : `${culprits} → makes ${victims.join(', ')} fail`;
}

/** The test name without its file: "TestClient::test_connect" from a pytest node id. */
export function shortTestName(test: string): string {
  const parts = test.split('::');
  return parts.length > 1 ? parts.slice(1).join('::') : (test.split('/').pop() ?? test);
}

export function statusText(report: Report): string {
  if (report.status === 'complete') return 'complete';
  if (report.status === 'interrupted') return 'interrupted: partial report';
  return 'stopped at --max-runs: partial report';
}

/** A finding seen in a batch that passed: shown, but apart from failures and without failing CI. */
export function isWarning(finding: ReportedFinding): boolean {
  return finding.severity === 'warning';
}

/**
 * What the under-the-budget command is to the reader: for a failure it dies again; for a
 * warning (an accumulator projected from a batch that passed) it has not died yet, and
 * saying "dies again" sent users looking for a death that never happened.
 */
export function underBudgetLabel(finding: ReportedFinding): string {
  return isWarning(finding) ? 'runs under the budget (it has not died yet)' : 'dies again under the budget';
}

/** "~8 MiB per contributing test, 96% of the growth over 45 tests; smallest failing prefix: 14 tests". */
export function accumulationText(facts: AccumulationFacts): string {
  const share = facts.explainedShare === undefined ? '' : `, ${Math.round(100 * facts.explainedShare)}% of the growth`;
  const slope = `~${formatBytes(facts.slopeBytesPerTest)} per contributing test${share} over ${facts.tests} tests`;
  const crossed =
    facts.projected === true && facts.budgetCrossedAtTest !== undefined
      ? `; would cross the budget after ~${facts.budgetCrossedAtTest} tests`
      : '';
  return facts.prefixLength === undefined
    ? `${slope}; its batch did not die${crossed}`
    : `${slope}; smallest failing prefix: ${facts.prefixLength} test${facts.prefixLength === 1 ? '' : 's'}`;
}

/**
 * One line per contributing file: "tests/test_a.py (all 6 tests that ran) 48 MiB, 40%, 8 MiB
 * per test". "that ran": a batch that died mid-file ran only some of the file's tests.
 */
export function contributorTexts(facts: AccumulationFacts): string[] {
  return (facts.contributors ?? []).map((c) => {
    const which = c.wholeFile
      ? `(all ${c.tests.length} test${c.tests.length === 1 ? '' : 's'} that ran)`
      : c.tests.map((t) => t.test.slice(c.file.length).replace(/^(::| > )/, '')).join(', ');
    // A contributor that is one test (--cmd, found by prefix runs) has no tests to list after its id.
    const where = c.afterDeathRunId === undefined ? '' : ` of ${c.afterDeathRunId} (it ran after the death)`;
    return `${c.file}${which === '' ? '' : ` ${which}`}: ${formatBytes(c.retainedBytes)}, ${Math.round(100 * c.share)}%${where}, ~${formatBytes(c.retainedBytes / Math.max(1, c.tests.length))} per test`;
  });
}

/** "shop/metrics.py:6 +144 MiB in 2 304 blocks"; jest's sampled "src/metrics.js:9 +23 MiB by observe() (V8 sampling)". */
export function leakSiteTexts(facts: AccumulationFacts): string[] {
  return (facts.leakSites ?? []).map(siteText);
}

/**
 * The stack dump behind a hang finding: from its evidence runs, preferring one whose hung test
 * is a culprit (the confirming trial), else any of its batch's runs that has one.
 */
export function findingStacks(report: Report, finding: ReportedFinding): RunStacks | undefined {
  const evidence = new Set(finding.evidenceRunIds);
  const candidates = report.runs.filter((run) => run.stacks !== undefined && run.batchIndex === finding.batchIndex);
  const ranked = [...candidates].sort((a, b) => stackRank(finding, evidence, b) - stackRank(finding, evidence, a));
  return ranked[0]?.stacks;
}

function stackRank(finding: ReportedFinding, evidence: ReadonlySet<string>, run: RunRecord): number {
  const onCulprit = run.stacks?.hungTest !== undefined && blamedTests(finding).includes(run.stacks.hungTest) ? 2 : 0;
  return onCulprit + (evidence.has(run.runId) ? 1 : 0);
}

/** A test that left processes running after it ended; `runIds`: the runs where it did. */
export interface LeftoverRow {
  /** The test that started them; for an orphan of a run of several tests, which of them is not known. */
  readonly test: string;
  readonly commands: readonly string[];
  readonly runIds: readonly string[];
  /** false: killed by the run's sweep after a run of several tests; `test` then says which run. */
  readonly attributed: boolean;
}

/** Once per test over all runs: the same test in several runs leaves the same processes. */
export function leftoverRows(report: Report): LeftoverRow[] {
  const byTest = new Map<string, { commands: string[]; runIds: string[] }>();
  for (const run of report.runs) {
    const inRun = new Map<string, string[]>();
    for (const left of run.leftovers ?? []) inRun.set(left.test, [...(inRun.get(left.test) ?? []), left.command]);
    for (const [test, commands] of inRun) {
      const seen = byTest.get(test);
      byTest.set(test, { commands: seen?.commands ?? commands, runIds: [...(seen?.runIds ?? []), run.runId] });
    }
  }
  const rows = [...byTest].map(([test, { commands, runIds }]) => ({ test, commands, runIds, attributed: true }));
  return [...rows, ...unattributedOrphanRows(report, rows)];
}

/**
 * Orphans the sweep killed after a run of several tests and no test was named for: one row per
 * run, unless every command of it was named for a test elsewhere (a narrower run told which).
 */
function unattributedOrphanRows(report: Report, named: readonly LeftoverRow[]): LeftoverRow[] {
  const namedCommands = new Set(named.flatMap((row) => row.commands));
  return report.runs.flatMap((run) => {
    const knownPids = new Set((run.leftovers ?? []).map((left) => left.pid));
    const commands = run.evidence.orphans.filter((orphan) => !knownPids.has(orphan.pid)).map((orphan) => orphan.command);
    if (commands.length === 0 || commands.every((command) => namedCommands.has(command))) return [];
    const test = `one of the ${run.tests.length} tests of run ${run.runId} (which one is not known: --batch-size 1 tells)`;
    return [{ test, commands, runIds: [run.runId], attributed: false }];
  });
}

/** "b001 (38.2 MiB cut)", one per run whose log was cut to --log-limit; '' when every log is whole. */
export function cutLogsText(report: Report): string {
  const cut = report.runs.filter((run) => (run.logCutBytes ?? 0) > 0);
  if (cut.length === 0) return '';
  const shown = cut
    .slice(0, 5)
    .map((run) => `${run.runId} (${formatBytes(run.logCutBytes ?? 0)} cut)`)
    .join(', ');
  return `logs cut to --log-limit (head and tail kept): ${shown}${cut.length > 5 ? `, and ${cut.length - 5} more` : ''}`;
}

/** "shard 2/3 (batches of a 5-batch plan)"; undefined for an unsharded hunt. */
export function shardText(report: Report): string | undefined {
  const shard = report.shard;
  if (shard === undefined) return undefined;
  return `shard ${shard.index}/${shard.count} (${report.plan.batchCount} of ${shard.planBatchCount} planned batches)`;
}

/**
 * A batch that died while no finding names a test in it: without a word, a user reads "No
 * findings." beside exit 1 and cannot tell what went wrong. Said from the batch's other runs:
 * when every later run of its tests passed, a timeout means the tests were slow together (a
 * hang would have hung again) and any other death did not come back.
 */
export function unexplainedBatchTexts(report: Report): string[] {
  // A test that failed before the batch died (bisect/recorded-failures.ts) explains its failure,
  // not the death: the death still needs its words, and that test's lone run is not a rerun of the batch.
  const failedOnly = report.findings.filter(
    (finding) => finding.signature.outcome === 'failed' && (finding.kind === 'failing' || finding.kind === 'flaky'),
  );
  const named = new Set(report.findings.filter((finding) => !failedOnly.includes(finding)).map((finding) => finding.batchIndex));
  const failedRuns = new Set(failedOnly.flatMap((finding) => finding.evidenceRunIds.slice(1)));
  const texts: string[] = [];
  for (const row of batchRows(report)) {
    if (!isProblem(row.outcome) || named.has(row.index)) continue;
    if (row.outcome === 'failed' && failedOnly.some((finding) => finding.batchIndex === row.index)) continue;
    const reruns = report.runs.filter((run) => run.batchIndex === row.index && run.runId !== row.run?.runId && !failedRuns.has(run.runId));
    const head = `batch ${row.index} ${row.outcome}, no test named:`;
    if (reruns.length === 0) {
      // A runner that refused to start said why (a config error, jest's globalSetup that threw): say it here too.
      const why = row.outcome === 'error' && row.run !== undefined ? `: ${row.run.verdict.because}` : '';
      texts.push(`${head} it was not narrowed${why} (see its log${row.logPath === undefined ? '' : ` ${row.logPath}`})`);
    } else if (reruns.every((run) => run.verdict.outcome === 'passed')) {
      const ids = reruns.map((run) => run.runId).join(', ');
      const which = reruns.length === 1 ? 'the later run' : reruns.length === 2 ? 'both later runs' : `all ${reruns.length} later runs`;
      const runs = `${which} of its tests passed (${ids})`;
      texts.push(
        row.outcome === 'timeout'
          ? `${head} ${runs}, so none of them hangs: together they took longer than the ${formatDuration(report.budget.timeoutMs)} budget (slow, not hung); raise --timeout`
          : `${head} ${runs}: it did not happen again`,
      );
    } else {
      const outcomes = reruns.map((run) => `${run.runId} ${run.verdict.outcome}`).join(', ');
      texts.push(`${head} its later runs (${outcomes}) did not single one out`);
    }
  }
  return texts;
}
