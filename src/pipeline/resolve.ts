// From a selection to what the runner will be given: which runner, where it runs, and the
// test ids relative to that directory.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { TestId } from '../plan/types.js';
import { detectRunner, findProjectDir } from '../runners/index.js';
import type { RunnerName } from '../runners/types.js';
import { toTestIds } from '../selection/test-id.js';
import type { SelectedTest, Selection } from '../selection/types.js';

export interface ResolvedTests {
  readonly runner: RunnerName;
  /** Why this runner: "forced with --runner", "pytest.ini in …". */
  readonly runnerReason: string;
  readonly projectDir: string;
  readonly tests: readonly TestId[];
}

export async function resolveTests(
  selection: Selection,
  options: { readonly runner: RunnerName | undefined; readonly cmd: string | undefined; readonly projectDir: string | undefined },
): Promise<ResolvedTests> {
  const paths = selection.tests.map((test) => test.absolutePath);
  const forced = options.runner ?? (options.cmd === undefined ? undefined : 'generic');
  if (options.projectDir !== undefined && !isDirectory(resolve(options.projectDir))) {
    throw new UsageError(`--project ${options.projectDir} is not a directory`, 'name the directory your test runner runs in (where pytest.ini or package.json is)');
  }
  if (forced === undefined) refuseMixedRunners(selection);
  // Each file once: 100 000 node ids are ~500 files, and the search stats every path it gets.
  const projectDir = options.projectDir === undefined ? await findProjectDir([...new Set(paths)], forced) : resolve(options.projectDir);
  const { runner, runnerReason } =
    forced !== undefined
      ? { runner: forced, runnerReason: options.runner === undefined ? 'a --cmd template was given' : 'forced with --runner' }
      : await detectOrExplain(projectDir, paths);
  const tests = toTestIds(selection.tests, projectDir);
  return { runner, runnerReason, projectDir, tests };
}

const PYTHON_TEST = /\.py$/;
const JS_TEST = /\.[cm]?[jt]sx?$/;

// One batch is one runner's process: a selection of pytest AND jest files would silently run
// half of itself under the wrong runner (collecting nothing). Say so instead.
function refuseMixedRunners(selection: Selection): void {
  const python = selection.tests.find((test) => PYTHON_TEST.test(test.absolutePath));
  const script = selection.tests.find((test) => JS_TEST.test(test.absolutePath));
  if (python === undefined || script === undefined) return;
  const where = (test: SelectedTest): string => `${test.source.file}:${test.source.line}`;
  throw new UsageError(
    `the selection mixes Python tests (${where(python)}) and JavaScript tests (${where(script)}); one hunt runs one test runner`,
    'split it into one selection per runner, or force one with --runner',
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function detectOrExplain(projectDir: string, testPaths: readonly string[]): Promise<{ runner: RunnerName; runnerReason: string }> {
  const detected = await detectRunner(projectDir, testPaths);
  if (detected === undefined) {
    throw new UsageError(
      `cannot tell which test runner ${projectDir} uses (no pytest.ini, pyproject.toml, conftest.py, jest config or package.json with jest)`,
      'pass --runner pytest|jest, or --cmd "your-command {tests}"',
    );
  }
  return { runner: detected.name, runnerReason: detected.reason };
}
