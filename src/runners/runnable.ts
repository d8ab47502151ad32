// Turns per-test ids into something a runner can run: pytest takes node ids as they are;
// jest, vitest and node:test run files, so their "file > test name" ids (as their probes write
// them) become the files plus a --testNamePattern that keeps exactly those tests.
import type { TestId } from '../plan/types.js';
import type { RunnerName } from './types.js';

/** What the runner is given for a list of per-test ids. */
export interface RunnableTests {
  /** What the runner preset receives (for jest: the files, in first-seen order). */
  readonly runnerTests: readonly TestId[];
  /** Options narrowing the files to the tests (jest: --testNamePattern); empty for pytest. */
  readonly argvBefore: readonly string[];
}

// src/probe/jest/setup.cjs: `${file} > ${currentTestName}`. jest joins describe blocks and
// the test's name with spaces, vitest with " > " (ids "file > describe > name"); both match
// --testNamePattern against the names joined with spaces.
const JEST_NAME_SEPARATOR = ' > ';

/** The runners whose probe writes per-test ids as "file > name" (src/probe/jest/setup.cjs). */
const NAMED_TEST_RUNNERS: ReadonlySet<RunnerName> = new Set(['jest', 'vitest', 'node-test']);

/**
 * True when `test` is a per-test id a JS probe wrote ("file > name"), not a runner TestId.
 * Only JS runners' ids are read this way: a pytest id may hold " > " itself (`test_cmp[a > b]`).
 */
export function isJestTestName(test: TestId, runner: RunnerName): boolean {
  return NAMED_TEST_RUNNERS.has(runner) && test.includes(JEST_NAME_SEPARATOR);
}

/**
 * jest matches --testNamePattern against the full name (describe blocks and test joined by
 * spaces): the exact names, escaped and anchored, select these tests and no others.
 */
export function runnableTests(tests: readonly TestId[], runner: RunnerName): RunnableTests {
  if (!tests.some((test) => isJestTestName(test, runner))) return { runnerTests: tests, argvBefore: [] };
  const files: TestId[] = [];
  const names: string[] = [];
  for (const test of tests) {
    const at = test.indexOf(JEST_NAME_SEPARATOR);
    const file = at < 0 ? test : test.slice(0, at);
    if (!files.includes(file)) files.push(file);
    if (at >= 0) names.push(test.slice(at + JEST_NAME_SEPARATOR.length));
  }
  const pattern = `^(?:${names.map((name) => name.split(JEST_NAME_SEPARATOR).map(escapeRegExp).join('(?: > | )')).join('|')})$`;
  return { runnerTests: files, argvBefore: ['--testNamePattern', pattern] };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
