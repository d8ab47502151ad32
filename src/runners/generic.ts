// The generic preset: any command, given as a template (`--cmd "node bin/t.js {tests}"`).
// It leaves no machine-readable results, so the exit code alone says pass or fail.
// The template is split into words once, here, and run without a shell: what the user
// wrote is exactly what runs, and test ids never pass through shell parsing.
import { resolve } from 'node:path';
import { type ParseEntry, parse } from 'shell-quote';
import { EnvironmentError, UsageError } from '../errors.js';
import type { TestId } from '../plan/types.js';
import { findOnPath, isExecutableFile } from './executable.js';
import { cdPrefix, quoteCommand } from './quote.js';
import type { RunnerPreset, TestResults } from './types.js';

const ALL_TESTS = '{tests}';
const ONE_TEST = '{test}';

export interface CommandTemplate {
  /** The words of the template, placeholders included. */
  readonly words: readonly [string, ...string[]];
  /** True for `{test}`: one test per run, so batches must hold one test. */
  readonly perTest: boolean;
}

const NO_SHELL_HINT = 'put pipes, redirections and variables in a script and pass --cmd "sh run-tests.sh {tests}"';

/** Splits a --cmd template into words; throws UsageError on anything that needs a shell. */
export function parseCommandTemplate(cmd: string): CommandTemplate {
  // Variables come back as markers so "$HOME" is refused, not silently replaced by "".
  const entries = parse(cmd, (name: string) => ({ variable: name }));
  const words = entries.map((entry) => wordOf(entry, cmd));
  const [program, ...rest] = words;
  if (program === undefined) throw new UsageError('--cmd is empty', `give a command such as --cmd "node bin/test.js ${ALL_TESTS}"`);
  // Without a shell a leading NAME=value would be taken for the program's name: `env` sets it.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(program)) {
    throw new UsageError(
      `--cmd is run without a shell: the environment assignment ${program} in "${cmd}" is not supported`,
      `start it with env: --cmd "env ${cmd}"`,
    );
  }
  const perTest = words.some((word) => word.includes(ONE_TEST));
  const allTests = words.filter((word) => word.includes(ALL_TESTS));
  if (perTest && allTests.length > 0) {
    throw new UsageError(
      `--cmd "${cmd}" uses both ${ALL_TESTS} and ${ONE_TEST}`,
      `use ${ALL_TESTS} (a batch per run) or ${ONE_TEST} (one test per run)`,
    );
  }
  if (!perTest && allTests.length === 0) {
    throw new UsageError(
      `--cmd "${cmd}" has no ${ALL_TESTS} or ${ONE_TEST} placeholder`,
      `write where the tests go, e.g. --cmd "${cmd} ${ALL_TESTS}"`,
    );
  }
  if (allTests.some((word) => word !== ALL_TESTS)) {
    throw new UsageError(
      `--cmd "${cmd}": ${ALL_TESTS} must be a word of its own`,
      `${ALL_TESTS} becomes several arguments; ${ONE_TEST} may sit inside a word ("--file=${ONE_TEST}")`,
    );
  }
  return { words: [program, ...rest], perTest };
}

function wordOf(entry: ParseEntry | { variable: string }, cmd: string): string {
  if (typeof entry === 'string') return entry;
  const refuse = (what: string): never => {
    throw new UsageError(`--cmd is run without a shell: ${what} in "${cmd}" is not supported`, NO_SHELL_HINT);
  };
  if ('variable' in entry) return refuse(`$${entry.variable}`);
  if ('comment' in entry) return refuse(`a comment (#${entry.comment})`);
  if (entry.op === 'glob') return refuse(`the glob ${entry.pattern}`);
  return refuse(`the operator ${entry.op}`);
}

/** The argv for these tests: `{tests}` becomes one argument per test, `{test}` the one test. */
export function expandTemplate(template: CommandTemplate, tests: readonly TestId[]): [string, ...string[]] {
  const [first] = tests;
  if (template.perTest && (tests.length !== 1 || first === undefined)) {
    throw new UsageError(
      `--cmd with ${ONE_TEST} runs one test at a time, but was given ${tests.length}: ${tests.slice(0, 3).join(', ')}${tests.length > 3 ? ', …' : ''}`,
      `${ONE_TEST} implies --batch-size 1; use ${ALL_TESTS} to pass a whole batch`,
    );
  }
  const expanded = template.words.flatMap((word) => {
    if (template.perTest) return [word.replaceAll(ONE_TEST, first ?? '')];
    return word === ALL_TESTS ? [...tests] : [word];
  });
  return expanded as [string, ...string[]];
}

export interface GenericOptions {
  readonly projectDir: string;
  /** The --cmd template. */
  readonly cmd: string;
}

export function createGenericRunner(options: GenericOptions): RunnerPreset {
  const template = parseCommandTemplate(options.cmd);
  return {
    name: 'generic',
    // Extras (probes) are runner-specific flags: an arbitrary command would not understand them.
    command: (tests) => ({ argv: expandTemplate(template, tests), env: {} }),
    // Nothing to read: classify decides from the exit code and leakhunt's own evidence.
    readResults: async (): Promise<TestResults> => ({ collected: undefined, failing: [], passed: 0, skipped: 0, startError: undefined }),
    // The template's own relative paths start in the project directory: from elsewhere, cd.
    reproCommand: (tests, _options, cwd) => `${cdPrefix(cwd, options.projectDir)}${reproLine(template, tests)}`,
    version: async () => undefined,
  };
}

// With {test}, several tests (a polluter and its victim) become several commands in a row.
function reproLine(template: CommandTemplate, tests: readonly TestId[]): string {
  if (!template.perTest) return quoteCommand(expandTemplate(template, tests));
  return tests.map((test) => quoteCommand(expandTemplate(template, [test]))).join(' && ');
}

// A program that is not there fails every batch the same way: say so before the first one.
// A name with a slash runs from the project directory, as the batches run; a bare name from PATH.
export function refuseMissingProgram(cmd: string, projectDir: string): void {
  const program = parseCommandTemplate(cmd).words[0];
  const found = program.includes('/')
    ? isExecutableFile(resolve(projectDir, program))
    : findOnPath([program], process.env['PATH']) !== undefined;
  if (found) return;
  throw new EnvironmentError(
    program.includes('/') ? `--cmd: ${program} is not an executable file (from ${projectDir})` : `--cmd: command not found: ${program}`,
    program.includes('/')
      ? 'check the path (from where you started leakhunt, or from --project) and chmod +x'
      : 'install it, or give its path',
  );
}
