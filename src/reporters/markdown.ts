// Markdown for $GITHUB_STEP_SUMMARY and for reading in a PR: findings first (what to fix),
// then the baseline comparison, then the batches, then links to the artifacts. Tables only
// where rows are uniform; every cell escaped so a test id with "|" cannot break a table.
import { findingKey } from '../report/baseline.js';
import type { Report, ReportedFinding } from '../report/model.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';
import { batchRows, durationText, isProblem, outcomeCounts, peakText, statusText, type BatchRow } from './facts.js';
import type { RenderOptions } from './options.js';

/** Passing batches beyond this go into a collapsed <details> block. */
const OPEN_ROWS = 30;

export function renderMarkdown(report: Report, options: RenderOptions): string {
  const rows = batchRows(report);
  const sections = [
    title(report, rows),
    findingsSection(report, options),
    baselineSection(options),
    batchesSection(rows, options),
    artifactsSection(options),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function title(report: Report, rows: readonly BatchRow[]): string {
  const count = report.findings.length;
  const headline = count === 0 ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}`;
  const runner = report.runner.version ?? report.runner.name;
  return [
    `## leakhunt: ${headline} in ${rows.length} batches`,
    '',
    `${outcomeCounts(rows) || 'no batches'} · ${runner} · ${report.selection.testCount} tests · budget ${formatBytes(report.budget.memoryBytes)} and ${formatDuration(report.budget.timeoutMs)} per batch · memory: ${report.environment.backend} · ${statusText(report)} · exit ${report.exitCode}`,
  ].join('\n');
}

function findingsSection(report: Report, options: RenderOptions): string {
  if (report.findings.length === 0) return '';
  const newKeys = new Set(options.baseline?.newFindings.map(findingKey));
  const marker = (finding: ReportedFinding): string => (newKeys.has(findingKey(finding)) ? '**new** ' : '');
  const rows = report.findings.map((finding) => [
    `${marker(finding)}${finding.kind}`,
    testCell(finding.culprits),
    finding.victim === undefined ? '' : code(finding.victim),
    String(finding.batchIndex),
    finding.because + (finding.confidence === undefined ? '' : ` (${finding.confidence})`),
    code(finding.repro) + (finding.reproNote === undefined ? '' : `<br>${finding.reproNote}`),
  ]);
  return ['### Findings', '', table(['kind', 'culprit', 'victim', 'batch', 'evidence', 'repro'], rows)].join('\n');
}

function baselineSection(options: RenderOptions): string {
  const comparison = options.baseline;
  if (comparison === undefined) return '';
  const list = (label: string, findings: readonly ReportedFinding[]): string =>
    `- ${label}: ${findings.length === 0 ? 'none' : findings.map((f) => `${f.kind} ${testCell(f.culprits)}`).join('; ')}`;
  const lines = [
    `### Compared with the baseline of ${comparison.baselineStartedAt}`,
    '',
    list('New', comparison.newFindings),
    list('Fixed', comparison.fixedFindings),
    list('Still there', comparison.persistingFindings),
  ];
  if (comparison.unverifiedFindings.length > 0) lines.push(list('Not checked (culprit no longer selected)', comparison.unverifiedFindings));
  lines.push(`- Batches matched by test list: ${comparison.matchedBatches} (${comparison.unmatchedBatches} without a counterpart)`);
  if (comparison.peakRegressions.length > 0) {
    const rows = comparison.peakRegressions.map((r) => [String(r.batchIndex), String(r.baselineBatchIndex),
      formatBytes(r.baselinePeakBytes), formatBytes(r.peakBytes), `×${r.ratio.toFixed(2)}`]);
    lines.push('', `Peak regressions (more than ×${comparison.peakRegressionRatio}):`, '',
      table(['batch', 'baseline batch', 'baseline peak', 'peak', 'ratio'], rows));
  }
  return lines.join('\n');
}

function batchesSection(rows: readonly BatchRow[], options: RenderOptions): string {
  const header = ['#', 'tests', 'outcome', 'peak of budget', 'duration', 'evidence', 'log'];
  const cells = (row: BatchRow): string[] => [String(row.index), String(row.testCount), row.outcome, peakText(row),
    durationText(row.durationMs), row.because, row.logPath === undefined ? '' : `[log](${artifactLink(row.logPath, options)})`];
  const problems = rows.filter((row) => isProblem(row.outcome));
  const rest = rows.filter((row) => !isProblem(row.outcome));
  const open = rows.length <= OPEN_ROWS ? rows : problems;
  const lines = ['### Batches', '', table(header, open.map(cells))];
  if (open.length < rows.length) {
    lines.push('', `<details><summary>${outcomeCounts(rest)}</summary>`, '', table(header, rest.map(cells)), '', '</details>');
  }
  return lines.join('\n');
}

function artifactsSection(options: RenderOptions): string {
  const files: [string, string][] = [
    ['leakhunt-report.html', 'memory charts, bisection steps, environment'],
    ['leakhunt-report.json', 'the report itself; `leakhunt report <file> --format …` re-renders it'],
    ['leakhunt-report.xml', 'JUnit'],
    ['logs/', 'output of every run'],
  ];
  return ['### Artifacts', '', ...files.map(([file, what]) => `- [${file}](${artifactLink(file, options)}): ${what}`)].join('\n');
}

export function artifactLink(relativePath: string, options: RenderOptions): string {
  const path = relativePath.split('/').map(encodeURIComponent).join('/');
  if (options.artifactBaseUrl === undefined) return path;
  return `${options.artifactBaseUrl.replace(/\/+$/, '')}/${path}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** A table cell: one line, pipes escaped (GFM honours "\|" even inside code spans). */
function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function testCell(tests: readonly string[]): string {
  return tests.map(code).join('<br>');
}
