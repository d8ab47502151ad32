// One batch on the HTML page: its verdict, the memory chart of its own run (budget line, kill
// point), per-test memory bars when the runner's probe recorded them, where a hung run was stuck
// (its stack dump folded), processes its tests left behind, the bisection as a tree, and its tests.
import type { Report, RunRecord } from '../../report/model.js';
import { formatBytes } from '../../util/bytes.js';
import { type BatchRow, durationText, peakText } from '../facts.js';
import { bisectionTree, type RunNode } from './bisection.js';
import { memoryChart, perTestBars } from './charts.js';
import { type Html, html, raw } from './escape.js';

/** Outcomes where leakhunt or the kernel ended the run: the chart marks where. */
const KILLED: ReadonlySet<string> = new Set(['over-memory', 'oom-killed', 'timeout']);
const TESTS_SHOWN = 12;

export function outcomeBadge(outcome: string): Html {
  return html`<span class="badge o-${outcome.replace(/\s+/g, '-')}">${outcome}</span>`;
}

export function batchSection(report: Report, row: BatchRow, withChart: boolean): Html {
  const run = row.run;
  const batchRuns = report.runs.filter((r) => r.batchIndex === row.index);
  const chart =
    run !== undefined && withChart
      ? raw(
          memoryChart({
            series: run.memorySeries,
            budgetBytes: run.evidence.budgetBytes,
            timeoutMs: run.evidence.timeoutMs,
            killedBy: KILLED.has(run.verdict.outcome) ? run.verdict.outcome : undefined,
            peakBytes: run.evidence.peakBytes,
            label: `Memory of batch ${row.index} over time`,
          }),
        )
      : undefined;
  return html`<section class="batch" id="batch-${row.index}">
<h3>Batch ${row.index} ${outcomeBadge(row.outcome)}</h3>
<p>${row.because} <span class="muted">· peak ${peakText(row)} · ${durationText(row.durationMs)}${run === undefined ? '' : ` · ${run.evidence.backend}`}</span>${logLink(run)}</p>
${chart}${perTestChart(run)}${runStacks(run)}${orphans(run)}${leftovers(batchRuns)}${bisection(batchRuns)}${testList(row)}
</section>`;
}

function logLink(run: RunRecord | undefined): Html | undefined {
  if (run === undefined) return undefined;
  return run.logCutBytes === undefined
    ? html` · <a href="${run.logPath}">log</a>`
    : html` · <a href="${run.logPath}">log</a> (${formatBytes(run.logCutBytes)} cut from its middle by --log-limit)`;
}

function perTestChart(run: RunRecord | undefined): Html | undefined {
  const records = run?.perTest;
  if (records === undefined || records.length === 0) return undefined;
  return html`<h4>Memory retained per test <span class="muted">(from the runner's probe, in run order)</span></h4>
${raw(perTestBars(records, `Memory retained per test in ${run?.runId ?? 'the run'}`))}`;
}

function orphans(run: RunRecord | undefined): Html | undefined {
  const list = run?.evidence.orphans ?? [];
  if (list.length === 0) return undefined;
  return html`<p><b>Left behind</b> (killed by leakhunt): ${list.map((o) => html`<code>${o.pid} ${o.command}</code> `)}</p>`;
}

function runStacks(run: RunRecord | undefined): Html | undefined {
  const stacks = run?.stacks;
  if (stacks === undefined) return undefined;
  const test = stacks.hungTest === undefined ? undefined : html` in <code>${stacks.hungTest}</code>`;
  const where = stacks.where === undefined ? undefined : html` at <code>${stacks.where}</code>`;
  return html`<p class="where"><b>Hung</b>${test}${where}</p>
<details class="stack"><summary>stack dump when the time ran out</summary><pre>${stacks.text}</pre></details>`;
}

/** Per run: a trial of a passing subset may be the only run that saw a test leave processes. */
function leftovers(runs: readonly RunRecord[]): Html | undefined {
  const items = runs.flatMap((run) =>
    (run.leftovers ?? []).map(
      (left) =>
        html`<li><code>${left.test}</code> left <code>${left.pid} ${left.command}</code> <span class="muted">(${run.runId})</span></li>`,
    ),
  );
  if (items.length === 0) return undefined;
  return html`<p><b>Processes left behind by tests</b> <span class="muted">(seen by the probe after the test ended)</span></p><ul class="leftovers">${items}</ul>`;
}

function bisection(runs: readonly RunRecord[]): Html | undefined {
  if (runs.length <= 1) return undefined;
  return html`<h4>Bisection <span class="muted">(${runs.length} runs; each subset under the one it was cut from)</span></h4>
<ul class="tree">${bisectionTree(runs).map(treeNode)}</ul>`;
}

function treeNode(node: RunNode): Html {
  const run = node.run;
  const tests = run.tests.length <= 3 ? run.tests.join(', ') : `${run.tests.length} tests: ${run.tests.slice(0, 2).join(', ')}, …`;
  const children = node.children.length === 0 ? undefined : html`<ul>${node.children.map(treeNode)}</ul>`;
  return html`<li data-run="${run.runId}">${outcomeBadge(run.verdict.outcome)} <b>${run.kind}</b> <code>${tests}</code>
<span class="muted">· ${formatBytes(run.evidence.peakBytes)} · ${durationText(run.evidence.durationMs)} · ${run.runId}</span>${children}</li>`;
}

function testList(row: BatchRow): Html {
  const tests = row.batch.tests;
  const items = tests.map((test) => html`<li><code>${test}</code></li>`);
  // Short lists open: nothing to hide; long ones stay folded so the charts stay in view.
  const open = tests.length <= TESTS_SHOWN ? raw(' open') : undefined;
  return html`<details${open}><summary>${tests.length} tests, in run order</summary><ol>${items}</ol></details>`;
}
