// The node:test preset: Node's own test runner, started through probes/node-test-run.mjs so
// the files run in leakhunt's order (`node --test` sorts them), one child process per file,
// one at a time. Results come from that script's small JSON file (node-test-results.ts).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TestId } from '../plan/types.js';
import { nodeTestResults, parseNodeTestResults } from './node-test-results.js';
import { cdPrefix, quoteCommand } from './quote.js';
import type { CommandExtras, RunnerCommand, RunnerPreset, TestResults } from './types.js';

// Same relative path from src/runners/ and from dist/runners/: both are two levels down.
const RUN_SCRIPT = fileURLToPath(new URL('../../src/runners/probes/node-test-run.mjs', import.meta.url));

export interface NodeTestOptions {
  readonly projectDir: string;
  /** --runner-arg values: node options for the test processes (e.g. --import=tsx), before the script. */
  readonly runnerArgs?: readonly string[];
}

export function createNodeTestRunner(options: NodeTestOptions): RunnerPreset {
  const runnerArgs = options.runnerArgs ?? [];
  return {
    name: 'node-test',
    command(tests: readonly TestId[], resultsPath: string, extras?: CommandExtras): RunnerCommand {
      const argv: [string, ...string[]] = [
        process.execPath,
        ...runnerArgs,
        RUN_SCRIPT,
        '--results',
        resultsPath,
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
      return nodeTestResults(text === undefined ? undefined : parseNodeTestResults(text), exitCode, options.projectDir);
    },
    reproCommand(tests: readonly TestId[], narrowing: readonly string[] = [], cwd?: string): string {
      // node spells the per-test filter its own way, and takes options only before the files.
      const nodeOptions = narrowing.map((arg) => (arg === '--testNamePattern' ? '--test-name-pattern' : arg));
      // `node --test` sorts its files; --test-concurrency=1 at least runs them one at a time.
      // The files' imports and the project's own relative paths start in the project: from elsewhere, cd.
      return (
        cdPrefix(cwd, options.projectDir) +
        quoteCommand(['node', ...runnerArgs, '--test', '--test-concurrency=1', ...nodeOptions, ...tests])
      );
    },
    async version(): Promise<string | undefined> {
      return `node:test (node ${process.versions.node})`;
    },
  };
}
