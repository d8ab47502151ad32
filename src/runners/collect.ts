// `leakhunt collect`: the tests a runner itself would run, as a selection. Each runner is
// asked in its own words (pytest --collect-only -q, jest --listTests, vitest list
// --filesOnly); node:test has no listing command, so its own default file patterns are
// globbed. The parsers are pure; listTests is the edge that starts the runner.
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { EnvironmentError, UsageError } from '../errors.js';
import { countOf } from '../selection/count-words.js';
import { findJest } from './jest.js';
import { resolvePythonInterpreter } from './pytest-python.js';
import type { RunnerName } from './types.js';
import { findVitest } from './vitest.js';

export type Granularity = 'file' | 'test';

export interface CollectRequest {
  readonly runner: Exclude<RunnerName, 'generic'>;
  readonly projectDir: string;
  /** What to collect, absolute (files or directories); the project directory when empty. */
  readonly paths: readonly string[];
  readonly python?: string | undefined;
  readonly runnerArgs: readonly string[];
}

/** pytest -q --collect-only: one node id per line, then a blank line and a summary. */
export function parsePytestCollect(stdout: string): string[] {
  const ids: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') break;
    if (line.includes('::')) ids.push(line.trim());
  }
  return ids;
}

/** Absolute paths, one per line (jest --listTests, vitest list --filesOnly), relative to projectDir. */
export function parsePathList(stdout: string, projectDir: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('['))
    .map((line) => relative(projectDir, resolve(projectDir, line)).split(sep).join('/'));
}

// node --test's own defaults (node 20, docs "Running tests from the command line").
const NODE_TEST_PATTERNS = [
  '**/*.test.?(c|m)js',
  '**/*-test.?(c|m)js',
  '**/*_test.?(c|m)js',
  '**/test-*.?(c|m)js',
  '**/test.?(c|m)js',
  '**/test/**/*.?(c|m)js',
];

/** Test ids relative to the project directory: node ids for pytest, files for the JS runners. */
export async function listTests(request: CollectRequest): Promise<string[]> {
  const { projectDir, runnerArgs } = request;
  const paths = request.paths.length === 0 ? [] : request.paths.map((path) => relative(projectDir, path) || '.');
  const run = async (program: string, args: readonly string[]): Promise<string> => {
    // Loaded here: this module is on every hunt's path, execa (~160 KB) only on collect's.
    const { execa } = await import('execa');
    const result = await execa(program, args, { cwd: projectDir, reject: false, timeout: 300_000 });
    if (result.exitCode !== 0 && !(request.runner === 'pytest' && result.exitCode === 5)) {
      throw new EnvironmentError(
        `${request.runner} could not list its tests in ${projectDir} (exit ${result.exitCode ?? result.signal})`,
        `${String(result.stderr || result.stdout)
          .trim()
          .split('\n')
          .slice(-3)
          .join(' · ')}`,
      );
    }
    return String(result.stdout);
  };
  switch (request.runner) {
    case 'pytest': {
      const python = resolvePythonInterpreter({ projectDir, python: request.python });
      return parsePytestCollect(
        await run(python.path, ['-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider', ...runnerArgs, ...paths]),
      );
    }
    case 'jest':
      return parsePathList(await run(process.execPath, [findJest(projectDir).binPath, '--listTests', ...runnerArgs, ...paths]), projectDir);
    case 'vitest': {
      findVitest(projectDir);
      const bin = join(dirname(resolveFromProject(projectDir, 'vitest/package.json')), 'vitest.mjs');
      return parsePathList(await run(process.execPath, [bin, 'list', '--filesOnly', ...runnerArgs, ...paths]), projectDir);
    }
    case 'node-test': {
      const roots = paths.length === 0 ? ['.'] : paths;
      const found = await fg(
        roots.flatMap((root) =>
          root.endsWith('.js') || root.endsWith('.mjs') || root.endsWith('.cjs')
            ? [root]
            : NODE_TEST_PATTERNS.map((p) => `${root === '.' ? '' : `${root}/`}${p}`),
        ),
        { cwd: projectDir, ignore: ['**/node_modules/**'], dot: false },
      );
      return [...new Set(found)].sort();
    }
  }
}

function resolveFromProject(projectDir: string, request: string): string {
  return createRequire(join(projectDir, 'package.json')).resolve(request);
}

/** The selection text: a header saying where it came from, then one entry per line, relative to `base`. */
export function formatSelection(
  ids: readonly string[],
  granularity: Granularity,
  from: { runner: string; projectDir: string; base: string; toFile: boolean },
): string {
  const entries = granularity === 'file' ? [...new Set(ids.map((id) => id.split('::')[0]!))] : ids;
  const prefix = relative(from.base, from.projectDir).split(sep).join('/');
  const lines = entries.map((entry) => (prefix === '' ? entry : `${prefix}/${entry}`));
  const relativeTo = from.toFile ? 'this file' : 'the directory `leakhunt collect` ran in: save it there';
  const header = `# collected by \`leakhunt collect\` from ${from.runner} (${entries.length} ${granularity === 'file' ? 'files' : 'tests'}); paths are relative to ${relativeTo}`;
  return `${header}\n${lines.join('\n')}\n`;
}

/**
 * What `collect` found, in words that match the lines it prints: "6 tests in 2 files, listed by
 * file (--tests lists each test)" for pytest, whose ids are tests while the selection lists files;
 * "5 files" for a runner that lists files.
 */
export function collectedCountText(ids: readonly string[], granularity: Granularity): string {
  if (ids.length === 0) return 'no tests';
  const files = new Set(ids.map((id) => id.split('::')[0])).size;
  if (files === ids.length && !ids.some((id) => id.includes('::'))) return countOf(files, 'file');
  const found = `${countOf(ids.length, 'test')} in ${countOf(files, 'file')}`;
  return granularity === 'file' ? `${found}, listed by file (--tests lists each test)` : `${found}, listed by test`;
}

export function refuseGeneric(): never {
  throw new UsageError(
    'collect needs a runner that can list its tests (pytest, jest, vitest, node-test)',
    'pass --runner, or write the selection by hand (docs/selection.md)',
  );
}
