// The HTML view: one self-contained file (inline CSS and SVG, no script, a Content-Security-
// Policy that forbids every fetch) with the hunt's warnings and the culprits first (failures,
// then warnings), processes left behind, the baseline comparison, an
// overview of batches, then one section per batch with its memory chart and bisection, and
// the environment. With many batches, passing ones get a table row but no chart.
import type { Report, ReportedFinding } from '../../report/model.js';
import { formatBytes } from '../../util/bytes.js';
import { formatDuration } from '../../util/duration.js';
import {
  type BatchRow,
  batchesText,
  batchRows,
  culpritText,
  durationText,
  entryColumnText,
  isProblem,
  isWarning,
  outcomeCounts,
  peakText,
  selectionCountText,
  shardText,
  statusText,
} from '../facts.js';
import type { RenderOptions } from '../options.js';
import { batchSection, outcomeBadge } from './batch-section.js';
import { type Html, html, raw } from './escape.js';
import { findingsTables, huntWarnings, leftoversSection } from './findings-section.js';
import { STYLE } from './style.js';

/** Above this many batches, passing ones are not charted (the file stays a few MB at most). */
const CHART_ALL_UP_TO = 30;
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function renderHtml(report: Report, options: RenderOptions): string {
  const rows = batchRows(report);
  const chartAll = rows.length <= CHART_ALL_UP_TO;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>leakhunt: ${headline(report)}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header><h1>leakhunt: ${headline(report)}</h1>
<p class="muted">${report.startedAt}${shardText(report) === undefined ? '' : ` · ${shardText(report) ?? ''}`} · ${statusText(report)} · exit ${report.exitCode} · took ${formatDuration(report.durationMs)}</p></header>
${cards(report, rows)}
${huntWarnings(report)}
${findingsTables(report, options)}
${leftoversSection(report)}
${baselineSection(options)}
<h2>Batches</h2>
${overview(rows)}
${rows.filter((row) => chartAll || isProblem(row.outcome)).map((row) => batchSection(report, row, true))}
${environment(report)}
</body>
</html>
`;
  return page.text;
}

function headline(report: Report): string {
  const count = report.findings.filter((finding) => !isWarning(finding)).length;
  const warnings = report.findings.length - count;
  const warningText = warnings === 0 ? '' : `, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return `${count === 0 ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}`}${warningText} in ${batchesText(report.batches.length)}`;
}

function cards(report: Report, rows: readonly BatchRow[]): Html {
  const card = (value: string, label: string): Html => html`<div class="card"><b>${value}</b><span class="muted">${label}</span></div>`;
  return html`<div class="cards">
${card(String(report.findings.filter((finding) => !isWarning(finding)).length), 'findings')}
${card(String(rows.filter((row) => isProblem(row.outcome)).length), `of ${rows.length} batches went wrong`)}
${card(String(report.runs.length), 'runs')}
${card(formatBytes(report.budget.memoryBytes), 'memory budget per batch')}
${card(formatDuration(report.budget.timeoutMs), 'time budget per batch')}
</div>
<p>${outcomeCounts(rows)} · ${report.runner.version ?? report.runner.name} · ${selectionCountText(report)} from <code>${report.selection.file}</code></p>`;
}

function baselineSection(options: RenderOptions): Html | undefined {
  const comparison = options.baseline;
  if (comparison === undefined) return undefined;
  const list = (findings: readonly ReportedFinding[]): Html =>
    findings.length === 0
      ? html`<li class="muted">none</li>`
      : html`${findings.map((f) => html`<li>${f.kind} <code>${culpritText(f)}</code></li>`)}`;
  const regressions = comparison.peakRegressions.map(
    (r) => html`<tr><td><a href="#batch-${r.batchIndex}">${r.batchIndex}</a></td>
<td class="num">${formatBytes(r.baselinePeakBytes)}</td><td class="num">${formatBytes(r.peakBytes)}</td><td class="num">×${r.ratio.toFixed(2)}</td></tr>`,
  );
  return html`<h2>Compared with the baseline of ${comparison.baselineStartedAt}</h2>
<div><span class="badge new">new</span><ul class="baseline-new">${list(comparison.newFindings)}</ul></div>
<div><span class="badge fixed">fixed</span><ul class="baseline-fixed">${list(comparison.fixedFindings)}</ul></div>
<p class="muted">${comparison.persistingFindings.length} still there · ${comparison.unverifiedFindings.length} not checked (culprit no longer selected) · ${comparison.matchedBatches} batches matched by test list</p>
${
  regressions.length === 0
    ? html`<p>No batch peaks more than ×${comparison.peakRegressionRatio} its baseline.</p>`
    : html`<table class="regressions"><thead><tr><th>batch</th><th class="num">baseline peak</th><th class="num">peak</th><th class="num">ratio</th></tr></thead><tbody>${regressions}</tbody></table>`
}`;
}

function overview(rows: readonly BatchRow[]): Html {
  const row = (
    r: BatchRow,
  ): Html => html`<tr><td class="num"><a href="#batch-${r.index}">${r.index}</a></td><td class="num">${r.testCount}</td>
<td>${outcomeBadge(r.outcome)}</td><td class="num">${peakText(r)}</td><td class="num">${durationText(r.durationMs)}</td><td>${r.because}</td></tr>`;
  return html`<table class="batches"><thead><tr><th class="num">#</th><th class="num">${entryColumnText(rows)}</th><th>outcome</th><th class="num">peak of budget</th><th class="num">duration</th><th>evidence</th></tr></thead>
<tbody>${rows.map(row)}</tbody></table>`;
}

function environment(report: Report): Html {
  const env = report.environment;
  const items: [string, string][] = [
    ['memory backend', `${env.backend}: ${env.backendReason}`],
    ['machine', `${env.platform} ${env.arch}, ${env.cpus} CPUs, ${formatBytes(env.totalMemoryBytes)}`],
    ['node', env.nodeVersion],
    ['runner', `${report.runner.version ?? report.runner.name} in ${report.runner.projectDir}`],
    [
      'budgets',
      `${formatBytes(report.budget.memoryBytes)}, ${formatDuration(report.budget.timeoutMs)}, grace ${formatDuration(report.budget.graceMs)}`,
    ],
    [
      'plan',
      `${report.plan.batchCount} batches${report.plan.batchSize === undefined ? '' : ` of ${report.plan.batchSize}`}${report.plan.seed === undefined ? '' : `, seed ${report.plan.seed}`}`,
    ],
    ['command', `leakhunt ${report.invocation.argv.join(' ')} (in ${report.invocation.cwd})`],
    ['leakhunt', `${report.tool.version}, report schema ${report.schemaVersion}`],
  ];
  const warnings =
    report.selection.warnings.length === 0
      ? undefined
      : html`<h3>Selection warnings</h3><ul>${report.selection.warnings.map((w) => html`<li>${w}</li>`)}</ul>`;
  return html`<h2>Environment</h2><dl class="env">${items.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>${warnings}`;
}
