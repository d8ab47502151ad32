// A runner preset is a small adapter: how to run a list of tests, how to read what happened.
// It never spawns anything itself; the pipeline hands its argv to the executor.
import type { TestId } from '../plan/types.js';

export const RUNNER_NAMES = ['pytest', 'jest', 'vitest', 'node-test', 'generic'] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

export interface RunnerCommand {
  readonly argv: readonly [string, ...string[]];
  /** Extra environment for the run (e.g. PYTHONPATH for probes). */
  readonly env: Readonly<Record<string, string>>;
}

/** Arguments and environment merged into a preset's command, e.g. a per-test probe (src/probe/attach.ts). */
export interface CommandExtras {
  /** Placed among the runner's own options, before the tests. */
  readonly argvBefore: readonly string[];
  /** Appended after the tests (jest's array options would swallow test paths placed after them). */
  readonly argvAfter: readonly string[];
  /** Added to the command's environment (complete values). */
  readonly env: Readonly<Record<string, string>>;
}

export interface TestResults {
  /** Tests the runner collected; undefined when it left no machine-readable result (killed, generic). */
  readonly collected: number | undefined;
  /** Failing or erroring tests, as TestIds, in run order. */
  readonly failing: readonly TestId[];
  /**
   * jest/vitest, whose TestIds are files: the names of the tests that failed inside each
   * failing file, aligned with `failing` (an empty list: none named, e.g. it failed to load).
   */
  readonly failingInside?: readonly (readonly string[])[];
  readonly passed: number;
  readonly skipped: number;
  /** The runner refused to start (usage error, missing file, bad config): message for people. */
  readonly startError: string | undefined;
  /**
   * Every listed file failed before any of its tests ran, with one and the same error that
   * names none of them (jest: a throwing setupFiles entry, a preset): that error, one line
   * ("database refused the connection (at setup.js:1:7)"). Undefined otherwise.
   */
  readonly sharedStartFailure?: string;
}

export interface RunnerPreset {
  readonly name: RunnerName;
  /** argv that runs exactly these tests, in this order, writing machine-readable results to resultsPath. */
  command(tests: readonly TestId[], resultsPath: string, extras?: CommandExtras): RunnerCommand;
  /**
   * Reads the results file (absent when the process was killed) together with the exit code;
   * `logPath` (the run's output) may say why a runner that refused to start did (jest's globalSetup).
   */
  readResults(resultsPath: string, exitCode: number | undefined, logPath?: string): Promise<TestResults>;
  /**
   * One line a person can paste into a shell standing in `cwd` (default: the project
   * directory) to reproduce; `tests` in the runner's frame. Each preset decides how to reach
   * the project from elsewhere (pytest: paths from cwd and --rootdir; jest and the others: cd).
   * @param options runner options narrowing the tests (["--testNamePattern", "^…$"] for per-test ids of JS runners)
   */
  reproCommand(tests: readonly TestId[], options?: readonly string[], cwd?: string): string;
  /** What the repro of these tests needs to keep their order, said in its note (jest: its sequencer). */
  reproOrderNote?(tests: readonly TestId[]): string | undefined;
  /**
   * Options that keep these tests collected (imported) but not run (pytest `--deselect`);
   * absent where collection is per file and cannot affect another file (jest).
   */
  deselectArgs?(tests: readonly TestId[]): readonly string[];
  /**
   * A command that starts the runner and runs no test, to measure what it needs when empty
   * (its floor; execute/floor.ts). `emptyDir` is an empty directory it may be pointed at.
   * Absent where leakhunt cannot know such a command (generic --cmd).
   */
  emptyCommand?(emptyDir: string, resultsPath: string): RunnerCommand;
  /** The runner's version for the report ("pytest 9.0.3"), undefined if it cannot be told. */
  version(): Promise<string | undefined>;
  /**
   * Once per hunt, before the first run: what the preset can learn once instead of paying at
   * every start (pytest: the interpreter behind a pyenv shim, runners/pyenv-shim.ts).
   */
  prepare?(): Promise<void>;
}
