// GitHub Actions workflow commands: `::error file=…,line=…,title=…::message`, one per culprit,
// so the PR's "Files changed" tab shows the finding on the test's definition. Paths are made
// relative to the repository root (GITHUB_WORKSPACE or cwd), since test ids are relative to
// the runner's project directory, which may be a subfolder of the repository.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Report, ReportedFinding } from '../report/model.js';
import {
  batchHeadline,
  batchRows,
  culpritText,
  flakyTest,
  isProblem,
  NOT_NARROWED,
  notNarrowedSet,
  notNarrowedText,
  shortTestName,
  underBudgetLabel,
  victimsOf,
} from './facts.js';
import { textReader } from './files.js';
import type { RenderOptions } from './options.js';
import { findTestLine, splitTestId } from './test-location.js';

type Level = 'error' | 'warning' | 'notice';

interface Annotation {
  readonly level: Level;
  readonly file?: string;
  readonly line?: number;
  readonly title: string;
  readonly message: string;
}

/** Annotations are emitted only inside GitHub Actions (GITHUB_ACTIONS=true). */
export function shouldEmitAnnotations(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['GITHUB_ACTIONS'] === 'true';
}

/** The root annotation paths are relative to: GITHUB_WORKSPACE when set, else cwd. */
export function annotationRoot(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  return env['GITHUB_WORKSPACE'] || cwd;
}

export function renderGithub(report: Report, options: RenderOptions): string {
  const annotations = report.findings.flatMap((finding) => findingAnnotations(report, finding, options));
  const withFindings = new Set(report.findings.map((finding) => finding.batchIndex));
  for (const row of batchRows(report)) {
    // A failing batch nobody narrowed (bisection off, or interrupted first) still deserves a line.
    if (isProblem(row.outcome) && !withFindings.has(row.index)) {
      annotations.push({ level: 'error', title: `leakhunt: ${batchHeadline(row)}`, message: row.because });
    }
  }
  return annotations.map(formatAnnotation).join('\n') + (annotations.length > 0 ? '\n' : '');
}

const LEVEL_OF_KIND: Readonly<Record<ReportedFinding['kind'], Level>> = {
  hog: 'error',
  hang: 'error',
  crash: 'error',
  failing: 'error',
  polluter: 'error',
  interaction: 'error',
  accumulator: 'error',
  flaky: 'warning',
  unresolved: 'warning',
};

function findingAnnotations(report: Report, finding: ReportedFinding, options: RenderOptions): Annotation[] {
  const level = LEVEL_OF_KIND[finding.kind];
  const underBudget = finding.reproUnderBudget === undefined ? undefined : `${underBudgetLabel(finding)}: ${finding.reproUnderBudget}`;
  const details = [finding.because, finding.confidence, `repro: ${finding.repro}`, finding.reproNote, underBudget]
    .filter((part): part is string => part !== undefined)
    .join('\n');
  // An unresolved set is not narrowed: one annotation on no file, never one per test as if blamed.
  const unnarrowed = notNarrowedSet(finding);
  if (unnarrowed !== undefined) {
    return [
      {
        level,
        title: `leakhunt: unresolved (batch ${finding.batchIndex}): ${NOT_NARROWED}`,
        message: `${notNarrowedText(unnarrowed)}\n${details}`,
      },
    ];
  }
  // A flaky test is pointed at as flaky (no culprit), where it is defined.
  if (finding.kind === 'flaky') {
    const test = flakyTest(finding);
    const title = `leakhunt: flaky${test === undefined ? '' : ` ${shortTestName(test)}`} (batch ${finding.batchIndex}): no culprit`;
    return [{ level, ...(test === undefined ? {} : locate(report, test, options)), title, message: `${culpritText(finding)}\n${details}` }];
  }
  const victims = victimsOf(finding);
  const annotations: Annotation[] = finding.culprits.map((test) => ({
    level,
    ...locate(report, test, options),
    title: `leakhunt: ${finding.kind} ${shortTestName(test)} (batch ${finding.batchIndex})`,
    message: victims.length === 0 ? `${test}\n${details}` : `${test} makes ${victims.join(', ')} fail\n${details}`,
  }));
  for (const victim of victims) {
    annotations.push({
      level: 'notice',
      ...locate(report, victim, options),
      title: `leakhunt: ${shortTestName(victim)} fails only after ${finding.culprits.map(shortTestName).join(', ')}`,
      message: details,
    });
  }
  return annotations;
}

function locate(report: Report, test: string, options: RenderOptions): { file?: string; line?: number } {
  const { file } = splitTestId(test);
  const absolute = isAbsolute(file) ? file : resolve(report.selection.root ?? report.runner.projectDir, file);
  const root = options.repoRoot ?? report.invocation.cwd;
  const fromRoot = relative(root, absolute).split(sep).join('/');
  const source = textReader(options)(absolute);
  const line = source === undefined ? undefined : findTestLine(test, source);
  return { file: fromRoot.startsWith('..') ? join(absolute) : fromRoot, ...(line === undefined ? {} : { line }) };
}

function formatAnnotation(annotation: Annotation): string {
  const properties: string[] = [];
  if (annotation.file !== undefined) properties.push(`file=${escapeProperty(annotation.file)}`);
  if (annotation.line !== undefined) properties.push(`line=${annotation.line}`);
  properties.push(`title=${escapeProperty(annotation.title)}`);
  return `::${annotation.level} ${properties.join(',')}::${escapeData(annotation.message)}`;
}

/** As @actions/core's command.ts: '%' first, so escapes are not escaped again. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
