// Markdown for $GITHUB_STEP_SUMMARY and for reading in a PR: findings first (what to fix),
// then warnings (findings in batches that passed, kept apart so they never read as failures),
// where hung tests were stuck, processes tests left behind, the baseline comparison, the
// batches, then links to the artifacts. Tables only where rows are uniform; every cell escaped
// so a test id with "|" cannot break a table.
import { findingKey } from '../report/baseline.js';
import type { Report, ReportedFinding, RunStacks } from '../report/model.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';
import {
  accumulationText,
  type BatchRow,
  batchesText,
  batchRows,
  blamedTests,
  contributorTexts,
  cutLogsText,
  durationText,
  entryColumnText,
  findingStacks,
  flakyTest,
  isProblem,
  isWarning,
  leakSiteTexts,
  leftoverRows,
  NOT_NARROWED,
  notNarrowedSet,
  outcomeCounts,
  peakText,
  selectionCountText,
  shardText,
  statusText,
  underBudgetLabel,
  unexplainedBatchTexts,
  victimsOf,
} from './facts.js';
import type { RenderOptions } from './options.js';

/** Passing batches beyond this go into a collapsed <details> block. */
const OPEN_ROWS = 30;

export function renderMarkdown(report: Report, options: RenderOptions): string {
  const rows = batchRows(report);
  const sections = [
    title(report, rows),
    huntWarnings(report),
    findingsSection(report, options, 'failures'),
    findingsSection(report, options, 'warnings'),
    unexplainedSection(report),
    stacksSection(report),
    leftoversSection(report),
    baselineSection(options),
    batchesSection(rows, options),
    artifactsSection(report, options),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function title(report: Report, rows: readonly BatchRow[]): string {
  const count = report.findings.filter((finding) => !isWarning(finding)).length;
  const warnings = report.findings.length - count;
  const headline =
    (count === 0 ? 'no findings' : `${count} finding${count === 1 ? '' : 's'}`) +
    (warnings === 0 ? '' : `, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  const runner = report.runner.version ?? report.runner.name;
  const shard = shardText(report);
  return [
    `## leakhunt: ${headline} in ${batchesText(rows.length)}${shard === undefined ? '' : ` (${shard})`}`,
    '',
    `${outcomeCounts(rows) || 'no batches'} · ${runner} · ${selectionCountText(report)} · budget ${formatBytes(report.budget.memoryBytes)} and ${formatDuration(report.budget.timeoutMs)} per batch · memory: ${report.environment.backend} · ${statusText(report)} · exit ${report.exitCode}`,
  ].join('\n');
}

/** What the hunt could not do as asked (e.g. why the per-test probe was off): before the findings. */
function huntWarnings(report: Report): string {
  return (report.warnings ?? []).map((text) => `> ⚠️ **warning:** ${text.replace(/\r?\n/g, ' ')}`).join('\n');
}

/** Failures (they set the exit code) and warnings (seen in batches that passed) in separate tables. */
function findingsSection(report: Report, options: RenderOptions, which: 'failures' | 'warnings'): string {
  const findings = report.findings.filter((finding) => isWarning(finding) === (which === 'warnings'));
  if (findings.length === 0) return '';
  const newKeys = new Set(options.baseline?.newFindings.map(findingKey));
  const marker = (finding: ReportedFinding): string => (newKeys.has(findingKey(finding)) ? '**new** ' : '');
  const rows = findings.map((finding) => [
    `${marker(finding)}${isWarning(finding) ? '⚠️ ' : ''}${finding.kind}`,
    culpritCell(finding),
    testCell(victimsOf(finding)),
    String(finding.batchIndex),
    evidenceCell(finding),
    code(finding.repro) +
      (finding.reproNote === undefined ? '' : `<br>${finding.reproNote}`) +
      (finding.reproUnderBudget === undefined ? '' : `<br>${underBudgetLabel(finding)}: ${code(finding.reproUnderBudget)}`),
  ]);
  const heading =
    which === 'failures'
      ? '### Findings'
      : '### Warnings\n\nSeen in batches that passed: not failures (the exit code ignores them), but they will be once the suite grows.';
  return [heading, '', table(['kind', 'culprit', 'victim', 'batch', 'evidence', 'repro'], rows)].join('\n');
}

function evidenceCell(finding: ReportedFinding): string {
  const parts = [finding.because + (finding.confidence === undefined ? '' : ` (${finding.confidence})`)];
  if (finding.accumulation !== undefined) {
    parts.push(`fit: ${accumulationText(finding.accumulation)}`);
    parts.push(...contributorTexts(finding.accumulation).map((text) => `kept by ${code(text)}`));
    parts.push(...leakSiteTexts(finding.accumulation).map((text) => `allocated at ${code(text)}`));
  }
  if (finding.stack !== undefined) parts.push(`hung at: ${code(finding.stack)}`);
  return parts.join('<br>');
}

/** Batches that died with no test named, and what their other runs showed. */
function unexplainedSection(report: Report): string {
  const texts = unexplainedBatchTexts(report);
  return texts.length === 0 ? '' : ['### Batches that died with no test named', '', ...texts.map((text) => `- ${text}`)].join('\n');
}

/** For each hang: where it was stuck, and the whole dump folded (it can be long). */
function stacksSection(report: Report): string {
  const blocks = report.findings
    .filter((finding) => finding.kind === 'hang')
    .flatMap((finding) => {
      const stacks = findingStacks(report, finding);
      return stacks === undefined && finding.stack === undefined ? [] : [stackBlock(finding, stacks)];
    });
  return blocks.length === 0 ? '' : ['### Where hung tests were stuck', '', ...blocks].join('\n\n');
}

function stackBlock(finding: ReportedFinding, stacks: RunStacks | undefined): string {
  const test = stacks?.hungTest ?? blamedTests(finding)[0] ?? '(unknown test)';
  const where = stacks?.where ?? finding.stack;
  const line = `- ${code(test)} (batch ${finding.batchIndex})${where === undefined ? '' : `: ${code(where)}`}`;
  if (stacks === undefined) return line;
  const fence = '`'.repeat(Math.max(3, ...(stacks.text.match(/`+/g) ?? []).map((run) => run.length + 1)));
  return [
    line,
    '',
    '  <details><summary>stack dump when the time ran out</summary>',
    '',
    `  ${fence}text`,
    ...stacks.text
      .trimEnd()
      .split('\n')
      .map((text) => `  ${text}`),
    `  ${fence}`,
    '',
    '  </details>',
  ].join('\n');
}

function leftoversSection(report: Report): string {
  const rows = leftoverRows(report).map((row) => [
    code(row.test),
    [...new Set(row.commands)].map(code).join('<br>'),
    row.runIds.join(', '),
  ]);
  if (rows.length === 0) return '';
  return [
    '### Processes left behind',
    '',
    'Started by a test and still running after it ended (leakhunt killed them with the run).',
    '',
    table(['test', 'processes', 'runs'], rows),
  ].join('\n');
}

function baselineSection(options: RenderOptions): string {
  const comparison = options.baseline;
  if (comparison === undefined) return '';
  const list = (label: string, findings: readonly ReportedFinding[]): string =>
    `- ${label}: ${findings.length === 0 ? 'none' : findings.map((f) => `${f.kind} ${culpritCell(f)}`).join('; ')}`;
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
    const rows = comparison.peakRegressions.map((r) => [
      String(r.batchIndex),
      String(r.baselineBatchIndex),
      formatBytes(r.baselinePeakBytes),
      formatBytes(r.peakBytes),
      `×${r.ratio.toFixed(2)}`,
    ]);
    lines.push(
      '',
      `Peak regressions (more than ×${comparison.peakRegressionRatio}):`,
      '',
      table(['batch', 'baseline batch', 'baseline peak', 'peak', 'ratio'], rows),
    );
  }
  return lines.join('\n');
}

function batchesSection(rows: readonly BatchRow[], options: RenderOptions): string {
  const header = ['#', entryColumnText(rows), 'outcome', 'peak of budget', 'duration', 'evidence', 'log'];
  const cells = (row: BatchRow): string[] => [
    String(row.index),
    String(row.testCount),
    row.outcome,
    peakText(row),
    durationText(row.durationMs),
    row.because,
    row.logPath === undefined ? '' : `[log](${artifactLink(row.logPath, options)})`,
  ];
  const problems = rows.filter((row) => isProblem(row.outcome));
  const rest = rows.filter((row) => !isProblem(row.outcome));
  const open = rows.length <= OPEN_ROWS ? rows : problems;
  const lines = ['### Batches', '', table(header, open.map(cells))];
  if (open.length < rows.length) {
    lines.push('', `<details><summary>${outcomeCounts(rest)}</summary>`, '', table(header, rest.map(cells)), '', '</details>');
  }
  return lines.join('\n');
}

function artifactsSection(report: Report, options: RenderOptions): string {
  const files: [string, string][] = [
    ['leakhunt-report.html', 'memory charts, bisection steps, environment'],
    ['leakhunt-report.json', 'the report itself; `leakhunt report <file> --format …` re-renders it'],
    ['leakhunt-report.xml', 'JUnit'],
    ['logs/', 'output of every run'],
  ];
  const cutLogs = cutLogsText(report);
  return [
    '### Artifacts',
    '',
    ...files.map(([file, what]) => `- [${file}](${artifactLink(file, options)}): ${what}`),
    ...(cutLogs === '' ? [] : [`- ${cutLogs}`]),
  ].join('\n');
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

/** An unresolved finding's set is worded as not narrowed, a flaky one as no culprit: never as culprits. */
function culpritCell(finding: ReportedFinding): string {
  const unnarrowed = notNarrowedSet(finding);
  if (unnarrowed !== undefined) return `_${NOT_NARROWED}:_<br>${testCell(unnarrowed)}`;
  const flaky = flakyTest(finding);
  if (finding.kind === 'flaky') return `_no culprit; flaky:_${flaky === undefined ? '' : `<br>${code(flaky)}`}`;
  const cleaners = finding.cleaners ?? [];
  return testCell(finding.culprits) + (cleaners.length === 0 ? '' : `<br>_cleaner:_ ${testCell(cleaners)}`);
}

function testCell(tests: readonly string[]): string {
  return tests.map(code).join('<br>');
}
