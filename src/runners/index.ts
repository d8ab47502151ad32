// The runner presets behind one door: build one by name, detect which one a project
// uses, and find the directory it runs in. Each preset only builds argv and reads
// results; the executor runs them.
import { UsageError } from '../errors.js';
import { createGenericRunner } from './generic.js';
import { createJestRunner } from './jest.js';
import { createPytestRunner } from './pytest.js';
import type { RunnerName, RunnerPreset } from './types.js';

export { detectRunner, findProjectDir } from './detect.js';
export type { DetectedRunner } from './markers.js';

export interface RunnerOptions {
  /** The runner's cwd; TestIds are relative to it. */
  readonly projectDir: string;
  /** generic only: a template like "node bin/t.js {tests}" (see docs/runners.md). */
  readonly cmd?: string;
  /** pytest only: the python to use; default python3, else python, from PATH. */
  readonly python?: string;
}

/**
 * Builds a preset. Throws EnvironmentError (exit 3) when the runner is missing (no python,
 * jest not installed in projectDir) and UsageError (exit 2) for a bad or missing --cmd.
 */
export function createRunner(name: RunnerName, options: RunnerOptions): RunnerPreset {
  if (name !== 'generic' && options.cmd !== undefined) {
    throw new UsageError(`--cmd only applies to --runner generic, not ${name}`, 'drop --cmd, or pass --runner generic');
  }
  switch (name) {
    case 'pytest':
      return createPytestRunner(options.python === undefined ? { projectDir: options.projectDir } : { projectDir: options.projectDir, python: options.python });
    case 'jest':
      return createJestRunner({ projectDir: options.projectDir });
    case 'generic':
      if (options.cmd === undefined) {
        throw new UsageError('--runner generic needs --cmd', 'e.g. --cmd "python -m mytool {tests}" ({tests} becomes the batch\'s tests)');
      }
      return createGenericRunner({ projectDir: options.projectDir, cmd: options.cmd });
  }
}
