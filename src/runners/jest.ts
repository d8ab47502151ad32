// The jest preset: the argv that runs a list of test files with the project's own jest,
// and how to read its JSON report. Parsing lives in jest-json.ts (pure); this file finds
// jest, reads files and builds commands.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.js';
import type { TestId } from '../plan/types.js';
import { userPathFrom } from '../selection/frame.js';
import { prepareJestCacheDir, sharedJestCacheDir } from './jest-cache.js';
import { globalHookError, type JestReport, jestResults, parseJestReport } from './jest-json.js';
import { cdPrefix, quoteCommand } from './quote.js';
import type { CommandExtras, RunnerCommand, RunnerPreset, TestResults } from './types.js';

export interface JestOptions {
  /** The runner's cwd and jest's rootDir; TestIds are file paths relative to it. */
  readonly projectDir: string;
  /** --runner-arg values, already checked (index.ts): placed after leakhunt's flags, before the tests. */
  readonly runnerArgs?: readonly string[];
  /**
   * Where the hunt put a copy of the order-keeping sequencer for people (KEEP_ORDER_SEQUENCER_FILE
   * in --out): repro lines name that copy, never leakhunt's install directory.
   */
  readonly reproSequencer?: string;
  /** leakhunt's user cache dir: jest's cache goes to one folder per project under it (jest-cache.ts). */
  readonly cacheRoot?: string;
}

/** The file name of the sequencer's copy in --out, named by repro lines of several jest files. */
export const KEEP_ORDER_SEQUENCER_FILE = 'jest-keep-order-sequencer.cjs';

// Same relative path from src/runners/ and from dist/runners/: both are two levels down.
export const KEEP_ORDER_SEQUENCER = fileURLToPath(new URL('../../src/runners/probes/jest-keep-order-sequencer.cjs', import.meta.url));

interface JestInstall {
  readonly binPath: string;
  readonly version: string | undefined;
}

/** The project's own jest, resolved as `require('jest')` would from projectDir. */
export function findJest(projectDir: string): JestInstall {
  const requireFromProject = createRequire(join(projectDir, 'package.json'));
  let packageJsonPath: string;
  try {
    packageJsonPath = requireFromProject.resolve('jest/package.json');
  } catch {
    throw new EnvironmentError(
      `jest is not installed in ${projectDir}; run npm install there, or pass --runner`,
      "leakhunt runs the project's own jest, found from the project directory up (node_modules/jest)",
    );
  }
  const packageRoot = dirname(packageJsonPath);
  const version = (requireFromProject(packageJsonPath) as { version?: string }).version;
  return { binPath: join(packageRoot, 'bin', 'jest.js'), version };
}

/**
 * Flags, each for a reason:
 * --ci               never writes new snapshots (a batch must not change the project);
 * --runInBand        one process, files one after another: the batch's memory and any
 *                    pollution stay inside one process, as in the suite's real failures;
 * --testSequencer    keeps our order (jest's default reorders by cached durations);
 * --json --outputFile  per-file results in a file, separate from the log;
 * --passWithNoTests  without it, "No tests found" exits 1 while the report is still being
 *                    written, and with piped output the report is usually lost (jest 30,
 *                    @jest/core runJest → exitX(1)); with it jest writes an empty report,
 *                    which reads as "collected 0";
 * --runTestsByPath   the arguments are exact paths, not regular expressions.
 * (--cacheDirectory, from jest-cache.ts: one warm cache per project for every run.)
 */
function jestFlags(resultsPath: string): string[] {
  return ['--ci', '--runInBand', '--testSequencer', KEEP_ORDER_SEQUENCER, '--json', '--outputFile', resultsPath, '--passWithNoTests'];
}

export function createJestRunner(options: JestOptions): RunnerPreset {
  const jest = findJest(options.projectDir);
  const runnerArgs = options.runnerArgs ?? [];
  // Not in repro lines: the user's own jest uses its own cache.
  const cacheDir = sharedJestCacheDir(options.projectDir, runnerArgs, options.cacheRoot);
  const cacheFlags = cacheDir !== undefined && prepareJestCacheDir(cacheDir) ? ['--cacheDirectory', cacheDir] : [];
  return {
    name: 'jest',
    command(tests: readonly TestId[], resultsPath: string, extras?: CommandExtras): RunnerCommand {
      const flags = [...jestFlags(resultsPath), ...cacheFlags, ...runnerArgs, ...(extras?.argvBefore ?? [])];
      // argvAfter last: an array option such as --setupFilesAfterEnv would swallow test paths after it.
      const argv: [string, ...string[]] = [
        process.execPath,
        jest.binPath,
        ...flags,
        '--runTestsByPath',
        ...tests,
        ...(extras?.argvAfter ?? []),
      ];
      return { argv, env: { ...extras?.env } };
    },
    async readResults(resultsPath: string, exitCode: number | undefined, logPath?: string): Promise<TestResults> {
      const results = jestResults(await readReport(resultsPath), exitCode, options.projectDir);
      if (results.startError === undefined || logPath === undefined) return results;
      const hook = globalHookError(await readLogTail(logPath), options.projectDir);
      return hook === undefined ? results : { ...results, startError: hook };
    },
    reproCommand(tests: readonly TestId[], narrowing: readonly string[] = [], cwd?: string): string {
      // Order only matters with several files; then a sequencer is needed to keep it: jest 30 has
      // no flag for "in the order given" (its default sorts failed first, then slowest/largest).
      const keepOrder = new Set(tests).size > 1 ? ['--testSequencer', reproSequencerPath(options)] : [];
      // jest finds its config and `npx` finds jest from the cwd: from elsewhere, cd is unavoidable.
      return `${cdPrefix(cwd, options.projectDir)}${quoteCommand(['npx', 'jest', '--runInBand', ...runnerArgs, ...keepOrder, ...narrowing, '--runTestsByPath', ...tests])}`;
    },
    reproOrderNote(tests: readonly TestId[]): string | undefined {
      if (new Set(tests).size < 2) return undefined;
      return options.reproSequencer === undefined
        ? "jest reorders files (failed first, then slowest); leakhunt's keep-order sequencer keeps the listed order"
        : `jest reorders files (failed first, then slowest); ${KEEP_ORDER_SEQUENCER_FILE}, written beside this report, keeps the listed order`;
    },
    // jest reading the project's config and crawling its files (--listTests runs none).
    emptyCommand(_emptyDir: string, _resultsPath: string): RunnerCommand {
      return { argv: [process.execPath, jest.binPath, '--ci', '--runInBand', ...cacheFlags, ...runnerArgs, '--listTests'], env: {} };
    },
    async version(): Promise<string | undefined> {
      return jest.version === undefined ? undefined : `jest ${jest.version}`;
    },
  };
}

// jest resolves --testSequencer from its rootDir (the project directory, where the repro runs
// after its cd): a relative path there, with ./ so it is not read as a package name.
function reproSequencerPath(options: JestOptions): string {
  if (options.reproSequencer === undefined) return KEEP_ORDER_SEQUENCER;
  const fromProject = userPathFrom(options.projectDir, options.reproSequencer);
  return fromProject.startsWith('/') || fromProject.startsWith('..') ? fromProject : `./${fromProject}`;
}

// jest prints the hook's error last: the tail of a long log is enough.
async function readLogTail(logPath: string): Promise<string> {
  const text = await readFile(logPath, 'utf8').catch(() => '');
  return text.slice(-64 * 1024);
}

async function readReport(resultsPath: string): Promise<JestReport | undefined> {
  try {
    return parseJestReport(await readFile(resultsPath, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // killed before writing it
    throw error;
  }
}
