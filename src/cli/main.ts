// The one place where an error becomes text and an exit code. Commands are thin and lazy:
// parse, import the stage, call one function, return an exit code.
import yargs from 'yargs';
import { ExitCode, LeakhuntError, UsageError } from '../errors.js';
import { refuseNegativeValues } from './normalize.js';
import { bisectFlags, collectFlags, doctorFlags, mergeFlags, planFlags, reportFlags, runFlags } from './options.js';
import { TOOL_VERSION } from './version.js';
import { withConfig } from './with-config.js';

const EPILOG = `Exit codes: 0 all batches passed / no culprit · 1 failing batches or culprits found · 2 usage or input error · 3 environment error (runner not found) · 70 a bug in leakhunt · 130 interrupted (partial report written)

Docs: docs/how-it-works.md, docs/selection.md, docs/outcomes.md, docs/bisection.md`;

export async function main(argv: readonly string[], stderr: NodeJS.WritableStream = process.stderr): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  let exitCode: ExitCode = ExitCode.Clean;
  try {
    if (isCompletionHelp(argv)) {
      process.stdout.write(COMPLETION_HELP);
      return ExitCode.Clean;
    }
    argv = completionShell(argv);
    refuseNegativeValues(argv);
    await skipHelpCache(yargs([...argv]))
      .scriptName('leakhunt')
      .usage(
        '$0 <command> [options]\n\nFinds the test that eats the memory, hangs, or breaks another: runs a selection in batches, each its own process tree under a memory and time budget, and narrows every failing batch to its culprit.',
      )
      .command(
        'run <selection>',
        'Run a selection in batches under budgets, classify every death, and bisect failing batches to their culprits',
        (y) =>
          y
            .positional('selection', {
              type: 'string',
              demandOption: true,
              describe: 'Selection file: test paths, globs, node ids (see docs/selection.md)',
            })
            .options(runFlags)
            .example(
              '$0 run tests.txt --shard 2/4 --out .leakhunt/shard-2',
              'one job of a CI matrix (see docs/ci.md); join with `leakhunt merge`',
            )
            .example('$0 run tests.txt --resume', 'after a crash, kill -9 or a cancelled job: skip the runs already finished')
            .example(
              '$0 run selections/example-pytest.txt --batch-size 3 --memory 300MB --timeout 20s',
              "the seeds' CI diagnostic, narrowed automatically",
            )
            .example('$0 run tests.txt --cmd "node --test {tests}" --memory 1GiB', "any command; {tests} becomes the batch's tests")
            .example('$0 run tests.txt --no-bisect --batches 8', 'only find the dying batches'),
        async (args) => {
          const { runCommand } = await import('./commands/run.js');
          const flags = await withConfig('run', runFlags, args, argv);
          if (flags !== undefined) exitCode = await runCommand(flags, [...argv]);
        },
      )
      .command(
        'bisect <selection>',
        'Run the listed tests together, in order, in one process, and narrow the failure to its culprit(s)',
        (y) =>
          y
            .positional('selection', {
              type: 'string',
              demandOption: true,
              describe: 'Selection file listing the tests that fail together',
            })
            .options(bisectFlags)
            .example('$0 bisect failing-batch.txt --memory 1GiB --outcome over-memory', 'which of these tests is the hog?')
            .example('$0 bisect order.txt --outcome failed --repeat 3', 'which earlier test makes the last one fail (flaky suite)?'),
        async (args) => {
          const { bisectCommand } = await import('./commands/bisect.js');
          const flags = await withConfig('bisect', bisectFlags, args, argv);
          if (flags !== undefined) exitCode = await bisectCommand(flags, [...argv]);
        },
      )
      .command(
        'plan <selection>',
        'Print the batches a run would execute, without running anything',
        (y) =>
          y
            .positional('selection', { type: 'string', demandOption: true, describe: 'Selection file' })
            .options(planFlags)
            .example('$0 plan tests.txt --shards 4 --format github-matrix', 'the matrix of a sharded CI hunt, for $GITHUB_OUTPUT')
            .example('$0 plan selections/example-pytest.txt --batch-size 3', 'see which tests run together'),
        async (args) => {
          const { planCommand } = await import('./commands/plan.js');
          const flags = await withConfig('plan', planFlags, args, argv);
          if (flags !== undefined) exitCode = await planCommand(flags);
        },
      )
      .command(
        'report <report>',
        "Re-render an earlier hunt's report in any format, without running anything",
        (y) =>
          y
            .positional('report', { type: 'string', demandOption: true, describe: 'A leakhunt-report.json' })
            .options(reportFlags)
            .example('$0 report .leakhunt/leakhunt-report.json --format html -o report.html', 'the self-contained HTML page')
            .example('$0 report today.json --baseline yesterday.json', 'new culprits and memory regressions since yesterday'),
        async (args) => {
          const { reportCommand } = await import('./commands/report.js');
          exitCode = await reportCommand(args);
        },
      )
      .command(
        'merge <reports..>',
        'Join the reports of the shards of one plan into one report (and every view of it)',
        (y) =>
          y
            .positional('reports', { type: 'string', array: true, demandOption: true, describe: 'The leakhunt-report.json of every shard' })
            .options(mergeFlags)
            .example('$0 merge shards/*/leakhunt-report.json -o .leakhunt/leakhunt-report.json', 'one report from a sharded CI hunt'),
        async (args) => {
          const { mergeCommand } = await import('./commands/merge.js');
          exitCode = await mergeCommand(args);
        },
      )
      .command(
        'collect [paths..]',
        "Print a selection file listing the tests the runner itself finds (pytest --collect-only, jest --listTests, vitest list, node:test's file patterns)",
        (y) =>
          y
            .positional('paths', {
              type: 'string',
              array: true,
              describe: 'Files or directories to collect from (default: the current directory)',
            })
            .options(collectFlags)
            .example('$0 collect tests/ -o selections/all.txt', 'every test file pytest/jest/vitest/node:test would run, as a selection')
            .example('$0 collect tests/unit --tests', 'one pytest node id per line'),
        async (args) => {
          const { collectCommand } = await import('./commands/collect.js');
          const flags = await withConfig('collect', collectFlags, args, argv);
          if (flags !== undefined) exitCode = await collectCommand(flags);
        },
      )
      .command(
        'doctor',
        'Check what works on this machine: memory backend, killing a process tree, sampler cost, python/pytest and the probe, node/jest/vitest, CI, --out',
        (y) =>
          y
            .options(doctorFlags)
            .example('$0 doctor', 'one screen, ✓/✗ with the fix; exit 0 when a hunt can run')
            .example('$0 doctor --python .venv/bin/python --out /tmp/hunt', 'check the interpreter and output directory a hunt would use'),
        async (args) => {
          const { doctorCommand } = await import('./commands/doctor.js');
          const flags = await withConfig('doctor', doctorFlags, args, argv);
          if (flags !== undefined) exitCode = await doctorCommand(flags);
        },
      )
      // yargs writes the script (bash, zsh or fish, from $SHELL or the word after `completion`)
      // and answers the script's --get-yargs-completions calls from the same command tables.
      .completion('completion', 'Print a shell completion script: leakhunt completion bash|zsh|fish (default: your $SHELL)')
      .example('$0 doctor', 'will a hunt work on this machine?')
      .example('$0 collect tests/ -o tests.txt && $0 run tests.txt --memory 1GiB', 'hunt everything the runner finds')
      .example('$0 completion bash >> ~/.bashrc', 'tab completion for commands, flags and their values (zsh, fish too)')
      .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces of internal errors' })
      .demandCommand(1, 'Name a command: run, bisect, plan, report, merge, collect, doctor or completion (leakhunt <command> --help)')
      .strict()
      .recommendCommands()
      .epilog(EPILOG)
      .wrap(Math.min(110, process.stdout.columns ?? 100))
      .fail((message, error) => {
        if (error) throw error;
        // yargs spreads some messages over lines ("Invalid values:\n  Argument: …"): one line here.
        throw new UsageError(message.replace(/:?\s*\n\s*/g, ': '), 'see leakhunt --help');
      })
      .parseAsync();
  } catch (error) {
    if (error instanceof LeakhuntError) {
      stderr.write(`leakhunt: ${error.message}\n`);
      if (error.hint !== undefined) stderr.write(`  hint: ${error.hint}\n`);
      if (debug && error.stack) stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    stderr.write(describeBug(error));
    return ExitCode.Internal;
  }
  return exitCode;
}

/**
 * yargs renders the whole help text before each command's handler, in case the handler fails and
 * help is to be shown: a tenth of a second of string widths for run's flags before every hunt.
 * leakhunt's failures print one line and a hint (the .fail handler), never the help, so the text
 * is not made; `--help` still renders it when asked. yargs has no option for this: its internal
 * method is replaced when present, and left alone (only slower) when a yargs version lacks it.
 */
function skipHelpCache<T>(parser: T): T {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (parser as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage !== undefined) usage.cacheHelpMessage = () => undefined;
  return parser;
}

function describeBug(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `leakhunt: internal error — this is a bug in leakhunt ${TOOL_VERSION}, not in your tests.\n${stack}\nnode ${process.version}, ${process.platform}/${process.arch}. Please report it with this text.\n`;
}

const SHELLS = ['bash', 'zsh', 'fish'] as const;

const COMPLETION_HELP = `leakhunt completion [bash|zsh|fish]

Print a shell completion script: Tab then completes commands, flags and flag values
(--runner, --format, …). Without a shell name the script is for your $SHELL.

Examples:
  leakhunt completion bash >> ~/.bashrc                                  bash, in every new shell
  leakhunt completion zsh >> ~/.zshrc                                    zsh
  leakhunt completion fish > ~/.config/fish/completions/leakhunt.fish   fish
  source <(leakhunt completion bash)                                     this shell only
`;

// yargs' .completion() command prints the script for any argument, --help included: the help
// is answered here, before yargs sees it, so --help teaches instead of dumping the script.
function isCompletionHelp(argv: readonly string[]): boolean {
  return argv[0] === 'completion' && argv.slice(1).some((word) => word === '--help' || word === '-h');
}

/**
 * `leakhunt completion fish`: yargs picks the script's shell from $SHELL only, so the word is
 * turned into $SHELL for this process (the script itself runs nothing else) and dropped.
 */
function completionShell(argv: readonly string[]): readonly string[] {
  if (argv[0] !== 'completion' || argv[1] === undefined || argv[1].startsWith('-')) return argv;
  const shell = argv[1];
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`completion ${shell}: no script for that shell`, `choose one of ${SHELLS.join(', ')}`);
  }
  process.env['SHELL'] = `/bin/${shell}`;
  delete process.env['ZSH_NAME'];
  return ['completion', ...argv.slice(2)];
}
