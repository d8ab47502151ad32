// From a selection to what the runner will be given: which runner, where it runs, and the
// test ids in the user's frame with the translation to the runner's (frame.ts).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { TestId } from '../plan/types.js';
import { createIdFrame, type IdFrame, userTestId } from '../selection/frame.js';
import type { SelectedTest, Selection } from '../selection/types.js';
import { detectProject } from './index.js';
import type { RunnerName } from './types.js';

export interface ResolvedTests {
  readonly runner: RunnerName;
  /** Why this runner: "forced with --runner", "pytest.ini in …". */
  readonly runnerReason: string;
  readonly projectDir: string;
  /** The tests in the user's frame (relative to the selection's root): what every report shows. */
  readonly tests: readonly TestId[];
  /** Translates between the user's frame and the runner's (relative to projectDir). */
  readonly frame: IdFrame;
}

export async function resolveTests(
  selection: Selection,
  options: {
    readonly runner: RunnerName | undefined;
    readonly cmd: string | undefined;
    readonly projectDir: string | undefined;
    /** Where leakhunt was started; default process.cwd(). */
    readonly cwd?: string;
  },
): Promise<ResolvedTests> {
  const forced = options.runner ?? (options.cmd === undefined ? undefined : 'generic');
  if (options.projectDir !== undefined && !isDirectory(resolve(options.projectDir))) {
    throw new UsageError(
      `--project ${options.projectDir} is not a directory`,
      'name the directory your test runner runs in (where pytest.ini or package.json is)',
    );
  }
  if (forced === undefined) refuseMixedRunners(selection);
  const given = options.projectDir === undefined ? undefined : resolve(options.projectDir);
  const { runner, runnerReason, projectDir } =
    forced === 'generic'
      ? {
          runner: forced,
          runnerReason: `${options.runner === undefined ? 'a --cmd template was given' : 'forced with --runner'}; runs in ${given === undefined ? 'the working directory, like a command typed there (--project to change)' : `${given} (--project)`}`,
          // No project files to look for, and --cmd was typed in a shell: its relative paths
          // (`node_modules/.bin/tape`, `node t.js`) mean what they mean there, so it runs where
          // leakhunt was started, not where the tests are (docs/runners.md, "generic").
          projectDir: given ?? resolve(options.cwd ?? process.cwd()),
        }
      : await detected(selection, forced, given);
  // Each file spelled once: 100,000 node ids name a few hundred files.
  const files = new Map<string, string>();
  const tests = selection.tests.map((test) => {
    let file = files.get(test.absolutePath);
    if (file === undefined)
      files.set(test.absolutePath, (file = userTestId({ absolutePath: test.absolutePath, nodeSuffix: '' }, selection.root)));
    return `${file}${test.nodeSuffix}`;
  });
  return { runner, runnerReason, projectDir, tests, frame: createIdFrame(selection.root, projectDir) };
}

// Detection runs once per hunt over the selection's distinct paths (runners/detect.ts).
async function detected(
  selection: Selection,
  forced: Exclude<RunnerName, 'generic'> | undefined,
  given: string | undefined,
): Promise<{ runner: RunnerName; runnerReason: string; projectDir: string }> {
  if (forced !== undefined && given !== undefined)
    return { runner: forced, runnerReason: `forced with --runner; runs in ${given} (--project)`, projectDir: given };
  const choice = await detectProject(
    selection.tests.map((test) => ({ absolutePath: test.absolutePath, nodeId: test.nodeSuffix !== '' })),
    forced,
  );
  const where = given === undefined ? choice.dirWhy : `${given} (--project)`;
  return { runner: choice.runner, runnerReason: `${choice.runnerWhy}; runs in ${where}`, projectDir: given ?? choice.projectDir };
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
