// `leakhunt run <selection>`: the whole hunt. Ctrl-C stops the running batch, writes the
// partial report and exits 130; a second Ctrl-C exits at once.
import { relative } from 'node:path';
import { Chalk } from 'chalk';
import { EnvironmentError, ExitCode } from '../../errors.js';
import { killAllRunningNow } from '../../execute/executor.js';
import { runHunt } from '../../pipeline/hunt.js';
import { writeAllNowSync } from '../../report/writer.js';
import { shouldUseColor } from '../../reporters/color.js';
import { jobsNote } from '../jobs-note.js';
import { normalizeRunFlags, type RunFlags } from '../normalize.js';
import { ProgressPrinter } from '../progress.js';
import { TOOL_VERSION } from '../version.js';

export async function runCommand(flags: RunFlags, argv: readonly string[]): Promise<ExitCode> {
  const config = normalizeRunFlags(flags, argv, Math.random);
  // The report views (ajv, the HTML and JUnit writers) load while the first run runs: started
  // here, their compiling still took the main thread before the first spawn.
  let rendering: Promise<typeof import('../render.js')> | undefined;
  const loadRendering = (): Promise<typeof import('../render.js')> => {
    rendering ??= import('../render.js');
    return rendering;
  };
  // Read now, not after an hour of hunting: a bad baseline is a usage error before any run.
  const baseline = flags.baseline === undefined ? undefined : await (await import('../../report/load.js')).loadReport(flags.baseline);
  const chalk = new Chalk({ level: shouldUseColor(process.stderr, process.env) ? 2 : 0 });
  const progress = new ProgressPrinter(process.stderr, chalk, () => Date.now(), relative(process.cwd(), config.outDir) || '.');
  // Said once every input is checked (at the hunt's start): a refused input is the only line.
  let notes: string[] | undefined = [
    ...(config.seed !== undefined ? [`tests shuffled with --seed ${config.seed}`] : []),
    ...(config.shard !== undefined
      ? [
          `shard ${config.shard.index}/${config.shard.count}${config.shard.source === undefined ? '' : ` from ${config.shard.source}`}: running this shard's batches only`,
        ]
      : []),
  ];

  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      // Second Ctrl-C: no more waiting, but every finished run goes into the JSON first.
      killAllRunningNow();
      writeAllNowSync();
      process.exit(ExitCode.Interrupted);
    }
    controller.abort();
  };
  // SIGHUP: the terminal or ssh session closed; the console is gone but the reports are not.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const name of signals) process.on(name, onSignal);
  // Whatever ends leakhunt (a bug, process.exit on a second Ctrl-C), no batch outlives it.
  // Plain process hooks, not `exit-hook` / `signal-exit`: exit-hook exits on the first Ctrl-C (no
  // partial report), signal-exit re-raises a signal nobody else handles; for 'exit', neither adds
  // to Node's own hook, which is synchronous as the kill and the second-Ctrl-C flush must be.
  process.on('exit', killAllRunningNow);
  try {
    const report = await runHunt(config, {
      emit: (event) => {
        if (event.type === 'hunt-started' && notes !== undefined) {
          // What runs side by side depends on the plan: batches, or only a survey's or lone batch's trials.
          const jobs = jobsNote({
            jobs: config.jobs ?? 1,
            survey: config.survey === true,
            batches: event.plan.batches.length,
            totalMemoryBytes: config.totalMemoryBytes,
          });
          for (const note of [...notes, ...(jobs === undefined ? [] : [jobs])]) process.stderr.write(`${note}\n`);
          notes = undefined;
        }
        progress.onEvent(event);
        if (event.type === 'run-started') setImmediate(loadRendering);
      },
      abort: controller.signal,
      now: () => new Date(),
      cwd: process.cwd(),
      toolVersion: TOOL_VERSION,
      notice: (text) => process.stderr.write(`${text}\n`),
    });
    progress.close();
    const { publishReport } = await loadRendering();
    await publishReport(report, config.outDir, { baselinePath: baseline, stepSummary: flags.stepSummary });
    return report.exitCode as ExitCode;
  } catch (error) {
    throw diskFullError(error, config.outDir) ?? error;
  } finally {
    progress.close();
    for (const name of signals) process.off(name, onSignal);
    process.off('exit', killAllRunningNow);
  }
}

/** A full disk is the machine's problem, not a bug: say so, and that nothing finished is lost. */
function diskFullError(error: unknown, outDir: string): EnvironmentError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  const text = error instanceof Error ? error.message : String(error);
  if (code !== 'ENOSPC' && code !== 'EDQUOT' && !/\b(ENOSPC|EDQUOT)\b/.test(text)) return undefined;
  return new EnvironmentError(
    `no space left to write the hunt's files in ${outDir} (${text.split('\n')[0]})`,
    'free some space, then run the same command with --resume: every finished run is in the journal',
    { cause: error },
  );
}
