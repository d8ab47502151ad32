// Reads jest's `--json --outputFile` report and exit code into TestResults. Pure.
// For jest a TestId is a test file, relative to the project: jest's report names
// failing tests inside a file, but leakhunt runs and blames whole files.
import { basename, isAbsolute, relative, sep } from 'node:path';
import type { TestId } from '../plan/types.js';
import type { TestResults } from './types.js';

/** The part of jest's JSON report we read (docs/platform.md §7 lists the rest). */
export interface JestReport {
  readonly numTotalTests: number;
  readonly numPassedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests: number;
  readonly testResults: readonly JestFileResult[];
}

export interface JestFileResult {
  /** Absolute path of the test file. */
  readonly name: string;
  /** "failed" for failed assertions and for a suite that failed to run. */
  readonly status: string;
  readonly message: string;
  readonly assertionResults: readonly { readonly status: string; readonly fullName?: string; readonly title?: string }[];
}

/** Parses the report file's text; undefined when it is not a jest report (cut short). */
export function parseJestReport(text: string): JestReport | undefined {
  try {
    const value = JSON.parse(text) as Partial<JestReport>;
    return Array.isArray(value.testResults) ? (value as JestReport) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * TestResults from what jest left behind.
 * @param report the parsed report, or undefined when none was written
 * @param exitCode jest's exit code; undefined when a signal ended it
 * @param projectDir the directory jest ran in; TestIds are relative to it
 */
export function jestResults(
  report: JestReport | undefined,
  exitCode: number | undefined,
  projectDir: string,
  runner: 'jest' | 'vitest' = 'jest',
): TestResults {
  if (report === undefined) return resultsWithoutReport(exitCode, runner);
  // "No tests found": with --passWithNoTests jest writes a report with no files in it.
  if (report.testResults.length === 0) return { collected: 0, failing: [], passed: 0, skipped: 0, startError: undefined };

  const missing = report.testResults.find(isMissingFile);
  if (missing !== undefined) {
    const file = toTestId(missing.name, projectDir);
    return {
      collected: undefined,
      failing: [],
      passed: 0,
      skipped: 0,
      startError: `${runner} could not open ${file} (ENOENT) — see the log`,
    };
  }
  const failing = report.testResults.filter(isFailingFile);
  const suitesThatDidNotRun = failing.filter((file) => file.assertionResults.length === 0).length;
  const shared = sharedStartFailure(report.testResults);
  return {
    // A suite that failed to run holds no tests but is not "nothing collected".
    collected: report.numTotalTests + suitesThatDidNotRun,
    failing: failing.map((file) => toTestId(file.name, projectDir)),
    // A file is the unit leakhunt runs and blames; its failing tests are named in the verdict.
    ...(failing.length > 0 && {
      failingInside: failing.map((file) =>
        file.assertionResults
          .filter((a) => a.status === 'failed')
          .map((a) => a.fullName ?? a.title ?? '')
          .filter((name) => name !== ''),
      ),
    }),
    passed: report.numPassedTests,
    skipped: report.numPendingTests + report.numTodoTests,
    startError: undefined,
    ...(shared !== undefined && { sharedStartFailure: shared }),
  };
}

const FAILED_TO_RUN = '● Test suite failed to run';

/**
 * The one error every file failed to run with, before any of its tests, when the message names
 * none of the files: what jest runs before each file threw (a setupFiles entry, a preset), not
 * the files. A file that throws at its own top level, or requires a module that throws, is in
 * its own message's stack, so it never counts. One line: the error and where it was thrown.
 */
function sharedStartFailure(files: readonly JestFileResult[]): string | undefined {
  const [first] = files;
  if (first === undefined) return undefined;
  const failedToRun = (file: JestFileResult): boolean =>
    file.status === 'failed' && file.assertionResults.length === 0 && file.message.includes(FAILED_TO_RUN);
  if (!files.every((file) => failedToRun(file) && file.message === first.message)) return undefined;
  if (files.some((file) => first.message.includes(basename(file.name)))) return undefined;
  return oneLineError(first.message);
}

// "  ● Test suite failed to run\n\n    boom\n\n    > 1 | …\n\n      at Object.<anonymous> (setup.js:1:7)\n" → "boom (at setup.js:1:7)".
function oneLineError(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('●'));
  const error = lines[0] ?? 'an error';
  const where = lines.map((line) => /^at .*\((.+:\d+:\d+)\)$/.exec(line)?.[1] ?? /^at (\S+:\d+:\d+)$/.exec(line)?.[1]).find(Boolean);
  const short = error.length > 200 ? `${error.slice(0, 199)}…` : error;
  return where === undefined ? short : `${short} (at ${where})`;
}

// Exit 1 without a report: jest stopped at its options or config (or a test called
// process.exit). Killed by a signal: no report, and the signal tells the story.
function resultsWithoutReport(exitCode: number | undefined, runner: 'jest' | 'vitest'): TestResults {
  const refused = exitCode !== undefined && exitCode > 0 && exitCode < 128;
  const startError = refused
    ? `${runner} exited ${exitCode} without writing its JSON report: an option or configuration error, or a test called process.exit() — see the log`
    : undefined;
  return { collected: undefined, failing: [], passed: 0, skipped: 0, startError };
}

function isFailingFile(file: JestFileResult): boolean {
  return file.status === 'failed' || file.assertionResults.some((assertion) => assertion.status === 'failed');
}

// jest reports a listed file that does not exist as a suite that "failed to run".
function isMissingFile(file: JestFileResult): boolean {
  return file.status === 'failed' && file.message.includes(`ENOENT: no such file or directory, open '${file.name}'`);
}

/**
 * jest stops before any test file when its globalSetup (or globalTeardown) throws, and writes
 * no report; its output says which and why: "Error: Jest: Got error running globalSetup -
 * /repo/global-setup.js, reason: database refused the connection". One line for the verdict,
 * the hook's path relative to the project; undefined when the log says nothing of the kind.
 */
export function globalHookError(log: string, projectDir: string): string | undefined {
  const match = /Got error running (globalSetup|globalTeardown) - (.+?), reason: (.*)$/m.exec(log);
  if (match === null) return undefined;
  const [, hook, path = '', reason = ''] = match;
  const short = reason.length > 200 ? `${reason.slice(0, 199)}…` : reason;
  return `every run fails before any test runs: jest's ${hook} (${toTestId(path, projectDir)}) threw: ${short.trim() || 'an error'} — no test file ran, none is named`;
}

/** "/repo/web/tests/a.test.js" with projectDir "/repo/web" → "tests/a.test.js". */
export function toTestId(absolutePath: string, projectDir: string): TestId {
  const path = isAbsolute(absolutePath) ? relative(projectDir, absolutePath) : absolutePath;
  return path.split(sep).join('/');
}
