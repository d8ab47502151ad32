// The runner presets behind one door: build one by name, detect which one a project
// uses, and find the directory it runs in. Each preset only builds argv and reads
// results; the executor runs them.
import { UsageError } from '../errors.js';
import { createGenericRunner, refuseMissingProgram } from './generic.js';
import { createJestRunner } from './jest.js';
import { createNodeTestRunner } from './node-test.js';
import { createPytestRunner } from './pytest.js';
import type { RunnerName, RunnerPreset } from './types.js';
import { createVitestRunner } from './vitest.js';

export { commonAncestor, detectProject, type ProjectChoice, type SelectedPath } from './detect.js';

export interface RunnerOptions {
  /** The runner's cwd; TestIds are relative to it. */
  readonly projectDir: string;
  /** generic only: a template like "node bin/t.js {tests}" (see docs/runners.md). */
  readonly cmd?: string;
  /** pytest only (--python): the python to use; default $VIRTUAL_ENV, the project's .venv/venv, python3/python on PATH. */
  readonly python?: string;
  /** pytest and jest (--runner-arg): extra arguments before the tests, also in repro lines. */
  readonly runnerArgs?: readonly string[];
  /** jest only: the copy of the keep-order sequencer in --out that repro lines name. */
  readonly reproSequencer?: string;
  /** jest only: leakhunt's user cache dir (util/user-cache.ts), where jest's cache is shared by all runs; unset: each run's own. */
  readonly cacheRoot?: string;
}

/**
 * Options whose values leakhunt itself sets and reads back: a second value would move the
 * results file (or change the node ids it is read with) and every batch would look killed.
 */
const OWNED_ARGS: Readonly<Record<Exclude<RunnerName, 'generic'>, readonly string[]>> = {
  pytest: ['--junitxml', '--junit-xml', '--rootdir'],
  jest: ['--json', '--outputFile', '--runTestsByPath'],
  vitest: ['--reporter', '--outputFile', '--outputFile.json', '--fileParallelism', '--no-file-parallelism', '--watch'],
  'node-test': ['--test', '--test-reporter', '--test-reporter-destination'],
};

/** Throws UsageError (exit 2) for a --runner-arg leakhunt owns, or any with the generic runner. */
export function checkRunnerArgs(name: RunnerName, args: readonly string[]): void {
  if (args.length === 0) return;
  if (name === 'generic') {
    throw new UsageError(
      `--runner-arg ${args[0]}: the generic runner takes no runner arguments`,
      'put them in --cmd itself, e.g. --cmd "mytool -v {tests}"',
    );
  }
  for (const arg of args) {
    const option = arg.split('=')[0]!;
    if (OWNED_ARGS[name].includes(option)) {
      throw new UsageError(
        `--runner-arg ${arg}: leakhunt sets ${option} itself for ${name} and reads what it writes`,
        `drop it; leakhunt's own ${name} flags are listed in docs/runners.md`,
      );
    }
  }
}

/**
 * Builds a preset. Throws EnvironmentError (exit 3) when the runner is missing (no python,
 * jest not installed in projectDir) and UsageError (exit 2) for a bad or missing --cmd, a
 * --python for another runner, or a --runner-arg leakhunt owns.
 */
export function createRunner(name: RunnerName, options: RunnerOptions): RunnerPreset {
  if (name !== 'generic' && options.cmd !== undefined) {
    throw new UsageError(`--cmd only applies to --runner generic, not ${name}`, 'drop --cmd, or pass --runner generic');
  }
  if (name !== 'pytest' && options.python !== undefined) {
    throw new UsageError(`--python only applies to the pytest runner, not ${name}`, 'drop --python, or pass --runner pytest');
  }
  const runnerArgs = options.runnerArgs ?? [];
  checkRunnerArgs(name, runnerArgs);
  switch (name) {
    case 'pytest':
      return createPytestRunner({
        projectDir: options.projectDir,
        runnerArgs,
        ...(options.python !== undefined && { python: options.python }),
      });
    case 'jest':
      return createJestRunner({
        projectDir: options.projectDir,
        runnerArgs,
        ...(options.reproSequencer !== undefined && { reproSequencer: options.reproSequencer }),
        ...(options.cacheRoot !== undefined && { cacheRoot: options.cacheRoot }),
      });
    case 'vitest':
      return createVitestRunner({ projectDir: options.projectDir, runnerArgs });
    case 'node-test':
      return createNodeTestRunner({ projectDir: options.projectDir, runnerArgs });
    case 'generic':
      if (options.cmd === undefined) {
        throw new UsageError('--runner generic needs --cmd', 'e.g. --cmd "python -m mytool {tests}" ({tests} becomes the batch\'s tests)');
      }
      // Checked here, at the edge, so the preset itself stays pure (its tests name made-up tools).
      refuseMissingProgram(options.cmd, options.projectDir);
      return createGenericRunner({ projectDir: options.projectDir, cmd: options.cmd });
  }
}
