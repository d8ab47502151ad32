// The console summary: what a developer reads first. A table of batches, then each finding
// with its evidence and a repro command. Never more than one screen (MAX_LINES): with many
// batches it shows the ones that went wrong and counts the rest; details live in the files.
// Width-aware: lines are fitted to `options.width` before colour is added.
import { findingKey } from '../report/baseline.js';
import type { Report, ReportedFinding } from '../report/model.js';
import { formatBytes } from '../util/bytes.js';
import { formatDuration } from '../util/duration.js';
import { type Palette, palette } from './color.js';
import {
  type BatchRow,
  batchesText,
  batchRows,
  contributorTexts,
  cutLogsText,
  durationText,
  entryColumnText,
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
  unexplainedBatchTexts,
  victimsOf,
} from './facts.js';
import { padLeft, padRight, truncateEnd, truncateMiddle, wrapCommand, wrapWords } from './layout.js';
import type { RenderOptions } from './options.js';

export const MAX_LINES = 40;
const MIN_WIDTH = 40;
const OUTCOME_WIDTH = 11; // "over-memory"
const MAX_REPRO_LINES = 6;

/** A line as plain text (for fitting) and how to colour it once fitted. */
interface Line {
  readonly plain: string;
  /** Repro commands are never cut: a cut command pastes as a wrong one. */
  readonly keepWhole?: boolean;
  readonly paint?: (fitted: string, colors: Palette) => string;
}

export function renderText(report: Report, options: RenderOptions): string {
  const width = Math.max(MIN_WIDTH, options.width);
  const colors = palette(options.color);
  const rows = batchRows(report);
  const head = [...header(report, rows, width), ...warningLines(report), ...baselineLines(options), { plain: '' }];
  const left = leftoverLines(report);
  const newKeys = new Set(options.baseline?.newFindings.map(findingKey));
  // Failures first: a warning (seen in a passing batch) must never push a failure off the screen.
  const ordered = [...report.findings.filter((f) => !isWarning(f)), ...report.findings.filter(isWarning)];
  const findingBlocks = ordered.map((finding) => findingLines(finding, width, newKeys.has(findingKey(finding))));
  // Lines the table header, the findings title and the footer take whatever happens.
  const room = MAX_LINES - head.length - 4;
  const findingsWanted = findingBlocks.reduce((sum, block) => sum + block.length, 0);
  const rowRoom = Math.max(3, findingsWanted > room / 2 ? Math.floor(room / 2) : room - findingsWanted);
  const table = batchTable(rows, rowRoom);
  const findings = fitFindings(findingBlocks, MAX_LINES - head.length - table.length - left.length - 2);
  const cutLogs = cutLogsText(report);
  const unexplained = unexplainedBatchTexts(report).flatMap((text) =>
    wrapWords(text, width, 2).map((plain) => ({ plain, paint: (t: string, c: Palette) => c.bad(t) })),
  );
  const lines = [
    ...head,
    ...table,
    { plain: '' },
    ...findings,
    ...unexplained,
    ...left,
    ...(cutLogs === '' ? [] : [{ plain: cutLogs, paint: (t: string, c: Palette) => c.dim(t) }]),
    footer(report),
  ];
  return `${lines
    .slice(0, MAX_LINES)
    .map((line) => paintLine(line, width, colors))
    .join('\n')}\n`;
}

function paintLine(line: Line, width: number, colors: Palette): string {
  const fitted = line.keepWhole === true ? line.plain : truncateEnd(line.plain, width);
  return line.paint === undefined ? fitted : line.paint(fitted, colors);
}

function header(report: Report, rows: readonly BatchRow[], width: number): Line[] {
  const runner = report.runner.version ?? report.runner.name;
  const shard = shardText(report);
  const title = `leakhunt ${report.tool.version} · ${runner} · ${selectionCountText(report)} in ${batchesText(rows.length)}`;
  const budget = `budget ${formatBytes(report.budget.memoryBytes)} and ${formatDuration(report.budget.timeoutMs)} per batch · memory: ${report.environment.backend} · took ${formatDuration(report.durationMs)}`;
  return [
    { plain: title, paint: (text, c) => c.bold(text) },
    { plain: budget, paint: (text, c) => c.dim(text) },
    ...wrapWords(`${report.status}${shard === undefined ? '' : ` · ${shard}`} · ${outcomeCounts(rows)}`, width, 2).map((plain) => ({
      plain,
    })),
  ];
}

/** Rows of problem batches first; passing ones only when everything fits. */
function batchTable(rows: readonly BatchRow[], room: number): Line[] {
  const indexWidth = Math.max(1, String(rows.length === 0 ? 0 : Math.max(...rows.map((row) => row.index))).length);
  const column = entryColumnText(rows);
  const countWidth = Math.max(5, column.length);
  const head: Line = {
    plain: `${padLeft('#', indexWidth)}  ${padLeft(column, countWidth)}  ${padRight('outcome', OUTCOME_WIDTH)}  ${padRight('peak of budget', 20)}  duration`,
    paint: (t, c) => c.dim(t),
  };
  const fitsAll = rows.length <= room - 1;
  const shown = fitsAll ? rows : rows.filter((row) => isProblem(row.outcome)).slice(0, room - 2);
  const hidden = rows.filter((row) => !shown.includes(row));
  const lines = [head, ...shown.map((row) => batchLine(row, indexWidth, countWidth))];
  if (hidden.length > 0) lines.push({ plain: `… ${outcomeCounts(hidden)} not shown (see leakhunt-report.md)`, paint: (t, c) => c.dim(t) });
  return lines;
}

function batchLine(row: BatchRow, indexWidth: number, countWidth: number): Line {
  const index = padLeft(String(row.index), indexWidth);
  const tests = padLeft(String(row.testCount), countWidth);
  const outcome = padRight(row.outcome, OUTCOME_WIDTH);
  const rest = `${padRight(peakText(row), 20)}  ${padLeft(durationText(row.durationMs), 8)}`;
  const plain = `${index}  ${tests}  ${outcome}  ${rest}`;
  const start = `${index}  ${tests}  `;
  return {
    plain,
    // Colour only the outcome word, and only if fitting left it intact.
    paint: (fitted, c) => (fitted === plain ? `${start + c.outcome(row.outcome, outcome)}  ${rest}` : fitted),
  };
}

function findingLines(finding: ReportedFinding, width: number, isNew: boolean): Line[] {
  const where = `  (batch ${finding.batchIndex}${finding.confidence === undefined ? '' : `, ${finding.confidence}`})`;
  const title = `${finding.severity === 'warning' ? '⚠ warning:' : '✗'} ${isNew ? 'NEW ' : ''}${finding.kind}  `;
  const unnarrowed = notNarrowedSet(finding);
  // An unresolved finding's tests are where to look, never a culprit: they get their own line.
  const [first = '(no single test)', ...others] =
    unnarrowed !== undefined ? [NOT_NARROWED] : finding.kind === 'flaky' ? [flakyTest(finding) ?? '(the batch)'] : finding.culprits;
  const more = others.length === 0 ? '' : ` +${others.length} more`;
  const culprit = truncateMiddle(first, Math.max(10, width - title.length - more.length - where.length)) + more;
  const lines: Line[] = [
    { plain: `${title}${culprit}${where}`, paint: (t, c) => (t.startsWith(title) ? c.bad(c.bold(title)) + t.slice(title.length) : t) },
  ];
  if (unnarrowed !== undefined) {
    const [head = '', ...rest] = unnarrowed;
    const tail = rest.length === 0 ? '' : ` +${rest.length} more`;
    lines.push({
      plain: `    ${unnarrowed.length === 1 ? '1 test' : `${unnarrowed.length} tests`}: ${truncateMiddle(head, width - 30 - tail.length)}${tail}`,
    });
  }
  if (finding.kind === 'flaky') lines.push({ plain: '    no culprit: the failure does not reproduce every time' });
  const victims = victimsOf(finding);
  if (victims.length > 0) {
    lines.push({ plain: `    makes ${truncateMiddle(victims.join(', '), width - 16)} fail` });
  }
  if (finding.cleaners !== undefined && finding.cleaners.length > 0) {
    lines.push({ plain: `    cleaner: ${truncateMiddle(finding.cleaners.join(', '), width - 16)} (run between them, the victim passes)` });
  }
  lines.push(...wrapWords(finding.because, width - 4, 2).map((text) => ({ plain: `    ${text}` })));
  if (finding.accumulation !== undefined) {
    const facts = finding.accumulation;
    for (const text of contributorTexts(facts).slice(0, 5))
      lines.push(...wrapWords(`kept by ${text}`, width - 4, 2).map((t) => ({ plain: `    ${t}` })));
    for (const text of leakSiteTexts(facts).slice(0, Math.max(3, 1 + (facts.contributors ?? []).length)))
      lines.push({ plain: `    allocated at ${truncateMiddle(text, width - 17)}` });
  }
  const command = wrapCommand(finding.repro, width - 'repro: '.length - 4, '           ');
  // A long prefix (an accumulator's) would push other findings off the screen; never cut it.
  if (command.length > MAX_REPRO_LINES) {
    lines.push({ plain: `    repro: ${finding.reproTests.length} tests in order; the whole command is in leakhunt-report.md` });
  } else {
    lines.push(...command.map((text, i) => ({ plain: i === 0 ? `    repro: ${text}` : text, keepWhole: true })));
  }
  if (finding.reproUnderBudget !== undefined) {
    const label = isWarning(finding) ? 'under the budget, not dead yet: ' : 'dies again: ';
    const underBudget = wrapCommand(finding.reproUnderBudget, width - label.length - 4, ' '.repeat(label.length + 4));
    if (underBudget.length > MAX_REPRO_LINES) {
      lines.push({
        // The label already says it ("dies again: "): "(dies again under the budget)" after it read as a stutter.
        plain: `    ${label}leakhunt on those ${finding.reproTests.length} tests under the budget; the command is in leakhunt-report.md`,
      });
    } else {
      lines.push(...underBudget.map((text, i) => ({ plain: i === 0 ? `    ${label}${text}` : text, keepWhole: true })));
    }
  }
  if (finding.reproNote !== undefined) {
    lines.push(
      ...wrapWords(`(${finding.reproNote})`, width - 4, 2).map((text) => ({
        plain: `    ${text}`,
        paint: (t: string, c: Palette) => c.dim(t),
      })),
    );
  }
  return lines;
}

function fitFindings(blocks: readonly Line[][], room: number): Line[] {
  if (blocks.length === 0) return [{ plain: 'No findings.', paint: (t, c) => c.good(t) }];
  const lines: Line[] = [{ plain: `${blocks.length} finding${blocks.length === 1 ? '' : 's'}`, paint: (t, c) => c.bold(t) }];
  let shown = 0;
  for (const block of blocks) {
    // Keep one line for "… N more" unless this is the last block.
    const reserve = shown === blocks.length - 1 ? 0 : 1;
    if (lines.length + block.length + reserve > room) break;
    lines.push(...block);
    shown += 1;
  }
  if (shown < blocks.length)
    lines.push({ plain: `… ${blocks.length - shown} more findings in leakhunt-report.md`, paint: (t, c) => c.dim(t) });
  return lines;
}

function baselineLines(options: RenderOptions): Line[] {
  const comparison = options.baseline;
  if (comparison === undefined) return [];
  const worst = comparison.peakRegressions[0];
  const regression =
    worst === undefined
      ? 'no peak regressions'
      : `${comparison.peakRegressions.length} peak regression(s), worst batch ${worst.batchIndex}: ${formatBytes(worst.baselinePeakBytes)} → ${formatBytes(worst.peakBytes)} (×${worst.ratio.toFixed(2)})`;
  return [
    { plain: '' },
    {
      plain: `vs baseline of ${comparison.baselineStartedAt}: ${comparison.newFindings.length} new, ${comparison.fixedFindings.length} fixed, ${comparison.persistingFindings.length} still there`,
      paint: (t, c) => (comparison.newFindings.length > 0 ? c.bad(t) : c.good(t)),
    },
    { plain: regression, paint: (t, c) => (worst === undefined ? t : c.bad(t)) },
  ];
}

function warningLines(report: Report): Line[] {
  return (report.warnings ?? []).map((text) => ({ plain: `warning: ${text}`, paint: (t: string, c: Palette) => c.dim(t) }));
}

const MAX_LEFTOVER_LINES = 3;

/** "tests/x.py::test_y left 1 process behind: sleep 20", once per test over all runs. */
function leftoverLines(report: Report): Line[] {
  const lines: Line[] = leftoverRows(report).map(({ test, commands }) => ({
    plain: `${test} left ${commands.length} process${commands.length === 1 ? '' : 'es'} behind: ${[...new Set(commands)].join(', ')}`,
    paint: (t: string, c: Palette) => c.bad(t),
  }));
  if (lines.length <= MAX_LEFTOVER_LINES) return lines;
  return [
    ...lines.slice(0, MAX_LEFTOVER_LINES - 1),
    { plain: `… ${lines.length - MAX_LEFTOVER_LINES + 1} more tests left processes behind (see leakhunt-report.md)` },
  ];
}

function footer(report: Report): Line {
  const exit = `exit ${report.exitCode}`;
  return { plain: `Details: leakhunt-report.md, leakhunt-report.html (${exit})`, paint: (t, c) => c.dim(t) };
}
