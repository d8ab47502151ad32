import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { globalHookError, jestResults, parseJestReport, toTestId } from './jest-json.js';

// Captured from jest 30.5.2 run in /work/main/test-output/cap/js with --runTestsByPath.
const projectDir = '/work/main/test-output/cap/js';
const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('jestResults', () => {
  it('names files with failed assertions and suites that failed to run, in run order', () => {
    // mixed.test.js: 1 pass, 1 fail, 1 skip, 1 todo; broken.test.js: require of a missing
    // module; ok.test.js: passes; empty.test.js: no tests ("must contain at least one test").
    const results = jestResults(parseJestReport(fixture('jest-mixed.json')), 1, projectDir);
    expect(results).toEqual({
      collected: 7,
      failing: ['tests/mixed.test.js', 'tests/broken.test.js', 'tests/empty.test.js'],
      // The test that failed inside each file, by its full name; none for a file that did not run.
      failingInside: [['cart subtracts "wrongly"'], [], []],
      passed: 2,
      skipped: 2,
      startError: undefined,
    });
  });

  it('reads "No tests found" (a report with no files) as nothing collected', () => {
    expect(jestResults(parseJestReport(fixture('jest-no-tests.json')), 1, projectDir)).toMatchObject({
      collected: 0,
      failing: [],
      startError: undefined,
    });
  });

  it('reads a listed file that does not exist as a start error naming it', () => {
    expect(jestResults(parseJestReport(fixture('jest-missing-file.json')), 1, projectDir).startError).toBe(
      'jest could not open tests/nope.test.js (ENOENT) — see the log',
    );
  });

  it('reads every file failing to run with one error that names none of them as a shared start failure', () => {
    // Captured from jest 30.5.2: 4 files, a setupFiles entry (setup.js) that throws.
    const results = jestResults(parseJestReport(fixture('jest-setup-file-throws.json')), 1, '/project/setup');
    expect(results.failing).toEqual(['tests/a.test.js', 'tests/b.test.js', 'tests/c.test.js', 'tests/d.test.js']);
    expect(results.sharedStartFailure).toBe('database at localhost:5432 refused the connection (at setup.js:1:7)');
  });

  it('does not read files that each throw the same error themselves as a shared start failure', () => {
    // Captured from jest 30.5.2: two files whose own top level throws that very error; each message names its file.
    const results = jestResults(parseJestReport(fixture('jest-files-throw-own.json')), 1, '/project/own');
    expect(results.failing).toHaveLength(2);
    expect(results.sharedStartFailure).toBeUndefined();
    // Nor a batch where one file ran its tests (jest-mixed: a failing assertion beside a broken file).
    expect(jestResults(parseJestReport(fixture('jest-mixed.json')), 1, projectDir).sharedStartFailure).toBeUndefined();
  });

  it('says which global hook threw and why, from the output of a jest that wrote no report', () => {
    // jest 30.5.2's output when globalSetup throws (paths from a temp project).
    const log = [
      'Error: Jest: Got error running globalSetup - /tmp/p/global-setup.js, reason: database at localhost:5432 refused the connection',
      '    at module.exports (/tmp/p/global-setup.js:2:9)',
      '    at async runGlobalHook (/tmp/p/node_modules/@jest/core/build/index.js:3186:9)',
    ].join('\n');
    expect(globalHookError(log, '/tmp/p')).toBe(
      "every run fails before any test runs: jest's globalSetup (global-setup.js) threw: database at localhost:5432 refused the connection — no test file ran, none is named",
    );
    expect(globalHookError('SyntaxError: Unexpected token in jest.config.js', '/tmp/p')).toBeUndefined();
  });

  it('reads exit 1 without a report as jest refusing to start', () => {
    expect(jestResults(undefined, 1, projectDir).startError).toMatch(/exited 1 without writing its JSON report/);
  });

  it('says nothing about tests when a signal ended jest', () => {
    expect(jestResults(undefined, undefined, projectDir)).toEqual({
      collected: undefined,
      failing: [],
      passed: 0,
      skipped: 0,
      startError: undefined,
    });
  });
});

describe('parseJestReport', () => {
  it('rejects a report cut short', () => {
    expect(parseJestReport(fixture('jest-mixed.json').slice(0, 200))).toBeUndefined();
    expect(parseJestReport('{"other": 1}')).toBeUndefined();
  });
});

describe('toTestId', () => {
  it('makes absolute paths relative to the project with forward slashes', () => {
    expect(toTestId('/repo/web/tests/a.test.js', '/repo/web')).toBe('tests/a.test.js');
  });
});
