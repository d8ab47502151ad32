// The pytest preset: the argv that runs a list of node ids, and how to read the JUnit
// report it leaves. Parsing and exit-code rules live in pytest-junit.ts (pure); this file
// is the edge that finds python, reads files and asks pytest for its version.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { TestId } from '../plan/types.js';
import { splitFilePart, userPathFrom } from '../selection/frame.js';
import { resolvePyenvShim, type ShimTarget } from './pyenv-shim.js';
import type { JunitCase } from './pytest-junit.js';
import { type ResolvedPython, resolvePythonInterpreter } from './pytest-python.js';
import { quoteCommand } from './quote.js';
import type { CommandExtras, RunnerCommand, RunnerPreset, TestResults } from './types.js';

export interface PytestOptions {
  /** The runner's cwd and pytest's rootdir; node ids are relative to it. */
  readonly projectDir: string;
  /** --python; default: $VIRTUAL_ENV, the project's .venv/venv, python3/python on PATH (pytest-python.ts). */
  readonly python?: string;
  /** $VIRTUAL_ENV; default process.env.VIRTUAL_ENV. */
  readonly virtualEnv?: string;
  /** PATH to search; default process.env.PATH. */
  readonly pathEnv?: string;
  /** --runner-arg values, already checked (index.ts): placed after leakhunt's flags, before the tests. */
  readonly runnerArgs?: readonly string[];
}

/**
 * Flags, each for a reason:
 * -p no:cacheprovider  no .pytest_cache written into the user's project, and no
 *                      --lf/--ff state carried from one batch to the next;
 * -p no:randomly       pytest-randomly (if installed) would shuffle the order we chose,
 *                      and order is what pollution bisection relies on;
 * --rootdir            node ids relative to the project, whatever the ini files say;
 * --junitxml           per-test results that survive a crash of the summary output;
 * -q                   shorter logs. No -x: one failure must not hide the others.
 */
function pytestFlags(projectDir: string, resultsPath: string): string[] {
  return ['-p', 'no:cacheprovider', '-p', 'no:randomly', '--rootdir', projectDir, '--junitxml', resultsPath, '-q'];
}

/** Resolves python once; throws EnvironmentError (exit 3) when there is none. */
export function resolvePython(options: PytestOptions): string {
  return resolvePythonInterpreter(options).path;
}

export function createPytestRunner(options: PytestOptions): RunnerPreset {
  const interpreter: ResolvedPython = resolvePythonInterpreter(options);
  const python = interpreter.path;
  // What runs are started with: the interpreter itself once prepare() found one behind a pyenv
  // shim, with the environment the shim would have given it. Repro lines keep `python`.
  let launch: ShimTarget = { executable: python, env: {} };
  const runnerArgs = options.runnerArgs ?? [];
  // readResults only gets a path: remember which files each run had, to rebuild node ids.
  const runFilesByResultsPath = new Map<string, readonly string[]>();
  const fileExists = (relativePath: string): boolean => existsSync(join(options.projectDir, relativePath));

  return {
    name: 'pytest',
    command(tests: readonly TestId[], resultsPath: string, extras?: CommandExtras): RunnerCommand {
      runFilesByResultsPath.set(resultsPath, tests.map(fileOfNodeId));
      const flags = [...pytestFlags(options.projectDir, resultsPath), ...runnerArgs, ...(extras?.argvBefore ?? [])];
      return {
        argv: [launch.executable, '-m', 'pytest', ...flags, ...tests, ...(extras?.argvAfter ?? [])],
        env: { ...launch.env, ...extras?.env },
      };
    },
    async readResults(resultsPath: string, exitCode: number | undefined): Promise<TestResults> {
      const runFiles = runFilesByResultsPath.get(resultsPath) ?? [];
      const { nodeIdOfCase, pytestResults } = await junitModule();
      const cases = await readCases(resultsPath);
      return pytestResults(cases, exitCode, (testcase: JunitCase) => nodeIdOfCase(testcase, runFiles, fileExists));
    },
    // --deselect takes node id prefixes: a file entry deselects every test of that file.
    deselectArgs: (tests) => tests.flatMap((test) => ['--deselect', test]),
    reproCommand(tests: readonly TestId[], _narrowing: readonly string[] = [], cwd?: string): string {
      // Order only matters with several tests; then keep pytest-randomly from shuffling it.
      const keepOrder = tests.length > 1 ? ['-p', 'no:randomly'] : [];
      const from = cwd ?? options.projectDir;
      if (relative(from, options.projectDir) === '')
        return quoteCommand([interpreter.display, '-m', 'pytest', ...runnerArgs, ...keepOrder, ...tests]);
      // pytest takes paths from anywhere: the node ids from where the reader stands, and
      // --rootdir for the same rootdir (and conftest.py reach) as leakhunt's runs.
      const fromCwd = tests.map((test) => relocate(test, options.projectDir, from));
      return quoteCommand([
        pythonFrom(interpreter, from),
        '-m',
        'pytest',
        '--rootdir',
        userPathFrom(from, options.projectDir),
        ...runnerArgs,
        ...keepOrder,
        ...fromCwd,
      ]);
    },
    // pytest with its plugins and the project's ini, collecting an empty directory: exit 5, no test.
    emptyCommand(emptyDir: string, resultsPath: string): RunnerCommand {
      return {
        argv: [
          launch.executable,
          '-m',
          'pytest',
          ...pytestFlags(options.projectDir, resultsPath),
          ...runnerArgs,
          '--collect-only',
          emptyDir,
        ],
        env: { ...launch.env },
      };
    },
    async version(): Promise<string | undefined> {
      // Loaded here: the version usually comes from the probe's first record, and execa is ~160 KB to load.
      const { execa } = await import('execa');
      const result = await execa(launch.executable, ['-m', 'pytest', '--version'], {
        cwd: options.projectDir,
        env: launch.env,
        reject: false,
        timeout: 30_000,
      });
      const line = `${result.stdout}\n${result.stderr}`.split('\n').find((text) => text.startsWith('pytest '));
      // "pytest 7.2.1 (/usr/bin/python3)": which interpreter ran it matters as much as the version.
      return line === undefined ? undefined : `${line.trim()} (${python})`;
    },
    async prepare(): Promise<void> {
      launch = (await resolvePyenvShim(python, options.projectDir)) ?? launch;
    },
  };
}

/** A node id relative to `projectDir` → the same test as typed from `cwd` ("../" where needed). */
function relocate(test: TestId, projectDir: string, cwd: string): string {
  const [file, rest] = splitFilePart(test);
  return `${userPathFrom(cwd, resolve(projectDir, file))}${rest}`;
}

// The interpreter as typed from `cwd`: a name from PATH stays a name, a project venv or a
// relative --python becomes a path from there.
function pythonFrom(interpreter: ResolvedPython, cwd: string): string {
  if (interpreter.source === 'path' || interpreter.source === 'virtual-env' || isAbsolute(interpreter.display)) return interpreter.display;
  const path = userPathFrom(cwd, interpreter.path);
  return path.includes('/') ? path : `./${path}`;
}

/** "tests/test_x.py::TestX::test_y[a::b]" → "tests/test_x.py". */
export function fileOfNodeId(test: TestId): string {
  const separator = test.indexOf('::');
  return separator === -1 ? test : test.slice(0, separator);
}

// Loaded at the first results read, not with the CLI: its XML parser is compiled before the
// first run otherwise (jest and the other runners never need it).
function junitModule(): Promise<typeof import('./pytest-junit.js')> {
  return import('./pytest-junit.js');
}

async function readCases(resultsPath: string): Promise<JunitCase[] | undefined> {
  let xml: string;
  try {
    xml = await readFile(resultsPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // killed before writing it
    throw error;
  }
  try {
    return (await junitModule()).readJunitCases(xml);
  } catch {
    return undefined; // cut short mid-write: as good as absent
  }
}
