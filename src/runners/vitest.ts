// The vitest preset: the project's own vitest, started through probes/vitest-run.mjs (which
// pins the file order and adds the probe's setup file), reporting with vitest's JSON
// reporter (jest's format, read by jest-json.ts). Flags, each for a reason:
// --no-file-parallelism  one file after another in one worker at a time: what one batch
//                        holds and leaks is measured as one process tree, in our order;
// --pool                 kept as the project configured it (forks by default, threads when
//                        set); --runner-arg=--pool=threads chooses;
// --passWithNoTests      "no tests" is an outcome (no-tests), not a failure;
// --reporter=json        per-file results in a file, separate from the log (plus the default
//                        reporter for the log).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.js';
import type { TestId } from '../plan/types.js';
import { jestResults, parseJestReport } from './jest-json.js';
import { cdPrefix, quoteCommand } from './quote.js';
import type { CommandExtras, RunnerCommand, RunnerPreset, TestResults } from './types.js';

// Same relative path from src/runners/ and from dist/runners/: both are two levels down.
const RUN_SCRIPT = fileURLToPath(new URL('../../src/runners/probes/vitest-run.mjs', import.meta.url));

export interface VitestOptions {
  readonly projectDir: string;
  readonly runnerArgs?: readonly string[];
}

/** The project's vitest version; throws EnvironmentError (exit 3) when it is not installed there. */
export function findVitest(projectDir: string): { readonly version: string | undefined } {
  const requireFromProject = createRequire(join(projectDir, 'package.json'));
  try {
    const manifest = requireFromProject.resolve('vitest/package.json');
    return { version: (requireFromProject(manifest) as { version?: string }).version };
  } catch {
    throw new EnvironmentError(
      `vitest is not installed in ${projectDir}; run npm install there, or pass --runner`,
      "leakhunt runs the project's own vitest, found from the project directory up (node_modules/vitest)",
    );
  }
}

export function createVitestRunner(options: VitestOptions): RunnerPreset {
  const vitest = findVitest(options.projectDir);
  const runnerArgs = options.runnerArgs ?? [];
  return {
    name: 'vitest',
    command(tests: readonly TestId[], resultsPath: string, extras?: CommandExtras): RunnerCommand {
      const flags = [
        '--no-file-parallelism',
        '--passWithNoTests',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${resultsPath}`,
      ];
      const argv: [string, ...string[]] = [
        process.execPath,
        RUN_SCRIPT,
        ...flags,
        ...runnerArgs,
        ...(extras?.argvBefore ?? []),
        ...tests,
        ...(extras?.argvAfter ?? []),
      ];
      return { argv, env: { ...extras?.env } };
    },
    async readResults(resultsPath: string, exitCode: number | undefined): Promise<TestResults> {
      const text = await readFile(resultsPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined; // killed before writing it
        throw error;
      });
      return jestResults(text === undefined ? undefined : parseJestReport(text), exitCode, options.projectDir, 'vitest');
    },
    reproCommand(tests: readonly TestId[], narrowing: readonly string[] = [], cwd?: string): string {
      // vitest has no flag to keep the files' order; one file (the usual repro) needs none.
      // It reads its config, and npx finds it, from the cwd: from elsewhere, cd.
      return (
        cdPrefix(cwd, options.projectDir) +
        quoteCommand(['npx', 'vitest', 'run', '--no-file-parallelism', ...runnerArgs, ...narrowing, ...tests])
      );
    },
    async version(): Promise<string | undefined> {
      return vitest.version === undefined ? undefined : `vitest ${vitest.version}`;
    },
  };
}
