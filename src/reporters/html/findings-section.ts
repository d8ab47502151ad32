// The top of the HTML page, under the header: what the hunt could not do (report warnings), the
// culprits (failures), findings seen in batches that passed (warnings: set apart, amber, never
// read as failures), and the processes tests left behind. A hang shows where it was stuck and
// its stack dump, folded.
import { findingKey } from '../../report/baseline.js';
import type { Report, ReportedFinding } from '../../report/model.js';
import { formatBytes } from '../../util/bytes.js';
import {
  blamedTests,
  contributorTexts,
  findingStacks,
  flakyTest,
  isWarning,
  leakSiteTexts,
  leftoverRows,
  NOT_NARROWED,
  notNarrowedSet,
  underBudgetLabel,
  unexplainedBatchTexts,
  victimsOf,
} from '../facts.js';
import type { RenderOptions } from '../options.js';
import { breakable, type Html, html } from './escape.js';

export function huntWarnings(report: Report): Html | undefined {
  const warnings = report.warnings ?? [];
  if (warnings.length === 0) return undefined;
  return html`<div class="hunt-warnings">${warnings.map((text) => html`<p class="warn">⚠ <b>warning:</b> ${text}</p>`)}</div>`;
}

export function findingsTables(report: Report, options: RenderOptions): Html {
  const failures = report.findings.filter((finding) => !isWarning(finding));
  const warnings = report.findings.filter(isWarning);
  const failureTable = failures.length === 0 ? html`<p>No findings.</p>` : findingsTable(report, failures, options, 'findings');
  const warningPart =
    warnings.length === 0
      ? undefined
      : html`<h3 class="warn">Warnings <span class="muted">(seen in batches that passed: not failures yet, the exit code ignores them)</span></h3>
${findingsTable(report, warnings, options, 'findings warnings')}`;
  const unexplained = unexplainedBatchTexts(report);
  const unexplainedPart =
    unexplained.length === 0 ? undefined : html`<ul class="unexplained">${unexplained.map((text) => html`<li>${text}</li>`)}</ul>`;
  return html`<h2>Culprits</h2>
${failureTable}
${unexplainedPart}
${warningPart}`;
}

function findingsTable(report: Report, findings: readonly ReportedFinding[], options: RenderOptions, className: string): Html {
  const newKeys = new Set(options.baseline?.newFindings.map(findingKey));
  const row = (finding: ReportedFinding): Html => {
    const severity = isWarning(finding) ? 'warning' : 'failure';
    return html`<tr class="finding ${severity}">
<td>${newKeys.has(findingKey(finding)) ? html`<span class="badge new">new</span> ` : undefined}${isWarning(finding) ? html`<span class="badge sev-warning">warning</span> ` : undefined}<b>${finding.kind}</b></td>
<td class="tests">${testsCell(finding)}</td>
<td><a href="#batch-${finding.batchIndex}">${finding.batchIndex}</a></td>
<td>${finding.because}${finding.confidence === undefined ? undefined : html`<br><span class="muted">${finding.confidence}</span>`}${accumulation(finding)}${stack(report, finding)}</td>
</tr>
<tr class="repro ${severity}"><td class="muted">repro</td><td colspan="3">${reproBlock(finding)}${finding.reproNote === undefined ? undefined : html`<span class="muted">${finding.reproNote}</span>`}${underBudgetBlock(finding)}</td></tr>`;
  };
  return html`<table class="${className}"><thead><tr><th>kind</th><th class="tests">tests</th><th>batch</th><th>evidence</th></tr></thead>
<tbody>${findings.map(row)}</tbody></table>`;
}

/** Culprits, victims and cleaners; an unresolved set is worded as not narrowed, never as culprits. */
function testsCell(finding: ReportedFinding): Html {
  const codes = (tests: readonly string[]): Html => html`${tests.map((test) => html`<code>${breakable(test)}</code><br>`)}`;
  const labelled = (label: string, tests: readonly string[]): Html | undefined =>
    tests.length === 0 ? undefined : html`<span class="muted">${label}:</span> ${codes(tests)}`;
  const unnarrowed = notNarrowedSet(finding);
  if (unnarrowed !== undefined) return html`<span class="muted">${NOT_NARROWED}:</span><br>${codes(unnarrowed)}`;
  if (finding.kind === 'flaky') {
    const test = flakyTest(finding);
    return html`<span class="muted">no culprit; flaky:</span>${test === undefined ? undefined : html`<br>${codes([test])}`}`;
  }
  const victims = victimsOf(finding);
  return html`${codes(finding.culprits)}${labelled(victims.length > 1 ? 'victims' : 'victim', victims)}${labelled('cleaner', finding.cleaners ?? [])}`;
}

function accumulation(finding: ReportedFinding): Html | undefined {
  const facts = finding.accumulation;
  if (facts === undefined) return undefined;
  const share = facts.explainedShare === undefined ? '' : `, ${Math.round(100 * facts.explainedShare)}% of the growth`;
  const kept = contributorTexts(facts);
  const sites = leakSiteTexts(facts);
  return html`<dl class="facts accumulation"><dt>kept</dt><dd>~${formatBytes(facts.slopeBytesPerTest)} per contributing test${share}, over ${facts.tests} tests</dd>
<dt>smallest failing prefix</dt><dd>${facts.prefixLength === undefined ? `none: its batch did not die${facts.budgetCrossedAtTest === undefined ? '' : `; would cross the budget after ~${facts.budgetCrossedAtTest} tests`}` : `${facts.prefixLength} tests`}</dd>
${kept.length === 0 ? undefined : html`<dt>kept by</dt><dd>${kept.map((text) => html`<code>${text}</code><br>`)}</dd>`}
${sites.length === 0 ? undefined : html`<dt>allocated at</dt><dd class="leak-sites">${sites.map((text) => html`<code>${text}</code><br>`)}</dd>`}</dl>`;
}

function stack(report: Report, finding: ReportedFinding): Html | undefined {
  if (finding.kind !== 'hang') return undefined;
  const stacks = findingStacks(report, finding);
  const where = stacks?.where ?? finding.stack;
  // The hung test is the culprit already named in this row; name it only when it differs.
  const test = stacks?.hungTest !== undefined && !blamedTests(finding).includes(stacks.hungTest) ? stacks.hungTest : undefined;
  const whereLine =
    where === undefined
      ? undefined
      : html`<div class="where"><span class="muted">stuck${test === undefined ? '' : ' in'}</span> ${test === undefined ? undefined : html`<code>${test}</code> `}<span class="muted">at</span> <code>${where}</code></div>`;
  const dump =
    stacks === undefined
      ? undefined
      : html`<details class="stack"><summary>stack dump when the time ran out</summary><pre>${stacks.text}</pre></details>`;
  return html`${whereLine}${dump}`;
}

/** The line that dies again under the hunt's budget (memory deaths), folded when long like the repro. */
function underBudgetBlock(finding: ReportedFinding): Html | undefined {
  const line = finding.reproUnderBudget;
  if (line === undefined) return undefined;
  const label = underBudgetLabel(finding);
  if (line.length <= 400) return html`<div class="muted">${label}:</div><pre>${line}</pre>`;
  return html`<details class="repro"><summary>${label}: leakhunt on ${finding.reproTests.length} tests (${line.length} characters)</summary><pre>${line}</pre></details>`;
}

/** A long repro (an accumulator's prefix) folds; short ones show whole. */
function reproBlock(finding: ReportedFinding): Html {
  if (finding.repro.length <= 400) return html`<pre>${finding.repro}</pre>`;
  return html`<details class="repro"><summary>${finding.reproTests.length} tests in order (${finding.repro.length} characters)</summary><pre>${finding.repro}</pre></details>`;
}

export function leftoversSection(report: Report): Html | undefined {
  const rows = leftoverRows(report);
  if (rows.length === 0) return undefined;
  const runBatch = new Map(report.runs.map((run) => [run.runId, run.batchIndex]));
  const runLink = (runId: string): Html => html`<a href="#batch-${runBatch.get(runId) ?? ''}">${runId}</a> `;
  return html`<h2>Processes left behind</h2>
<p class="muted">Started by a test and still running after it ended; leakhunt killed them with the run.</p>
<table class="leftovers"><thead><tr><th>test</th><th>processes</th><th>runs</th></tr></thead>
<tbody>${rows.map((row) => html`<tr><td><code>${row.test}</code></td><td>${[...new Set(row.commands)].map((command) => html`<code>${command}</code><br>`)}</td><td>${row.runIds.map(runLink)}</td></tr>`)}</tbody></table>`;
}
