// Validates and normalises flags in one pass: past this file, sizes are bytes and
// durations are milliseconds, and every bad value has been named with its fix.

import { availableParallelism, freemem } from 'node:os';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { ChaseOutcome, HuntConfig } from '../pipeline/config.js';
import { validatePlanOptions } from '../plan/batches.js';
import { shardFromCi } from '../plan/ci-shard.js';
import { parseShard, type ShardSpec } from '../plan/shards.js';
import { formatBytes, parseBytes } from '../util/bytes.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import type { FlagValues, runFlags } from './options.js';

/** What `run` (and `bisect`, which adds --outcome) receive from yargs, typed from the flag table. */
export type RunFlags = FlagValues<typeof runFlags> & { readonly selection: string; readonly outcome?: ChaseOutcome | undefined };

export function normalizeRunFlags(flags: RunFlags, argv: readonly string[], random: () => number): HuntConfig {
  if (flags.cmd !== undefined && flags.runner !== undefined && flags.runner !== 'generic') {
    throw new UsageError(`--cmd given with --runner ${flags.runner}`, '--cmd implies the generic runner; drop --runner or --cmd');
  }
  if (flags.runner === 'generic' && flags.cmd === undefined) {
    throw new UsageError('--runner generic needs --cmd', 'e.g. --cmd "node my-tests.js {tests}"');
  }
  return {
    selectionFile: flags.selection,
    root: flags.root === undefined ? undefined : resolve(flags.root),
    allowMissing: flags.allowMissing,
    runner: flags.runner,
    cmd: flags.cmd,
    projectDir: flags.project,
    ...normalizeRunnerFlags(flags),
    ...normalizePlanFlags(flags, random),
    budget: {
      memoryBytes: sizeFlag('--memory', flags.memory),
      timeoutMs: durationFlag('--timeout', flags.timeout, { minimumMs: MIN_TIMEOUT_MS }),
      graceMs: durationFlag('--grace', flags.grace, { allowZero: true }),
    },
    backend: flags.backend,
    sampleIntervalMs:
      flags.sampleInterval === undefined ? undefined : durationFlag('--sample-interval', flags.sampleInterval, { minimumMs: 1 }),
    outDir: resolve(flags.out),
    logLimitBytes: sizeFlag('--log-limit', flags.logLimit, MIN_LOG_LIMIT_BYTES, 'a log needs for a traceback'),
    bisect: flags.bisect,
    repeat: positiveInteger('--repeat', flags.repeat),
    maxRuns: positiveInteger('--max-runs', flags.maxRuns),
    probe: flags.probe ?? true,
    tracemalloc: flags.tracemalloc ?? false,
    chase: flags.outcome ?? 'any',
    ...normalizeScaleFlags(flags),
    argv,
  };
}

function normalizeRunnerFlags(flags: RunFlags): Pick<HuntConfig, 'python' | 'runnerArgs'> {
  const runnerArgs = flags.runnerArg ?? [];
  if (flags.python !== undefined && flags.runner !== undefined && flags.runner !== 'pytest') {
    throw new UsageError(
      `--python given with --runner ${flags.runner}`,
      '--python only chooses the interpreter of the pytest runner; drop it',
    );
  }
  if (flags.python === '') throw new UsageError('--python is empty', 'e.g. --python .venv/bin/python');
  // A path is from where leakhunt was started, as a shell would read it; a bare name is looked up on PATH.
  const python = flags.python === undefined ? undefined : flags.python.includes('/') ? resolve(flags.python) : flags.python;
  return { ...(python !== undefined && { python }), ...(runnerArgs.length > 0 && { runnerArgs }) };
}

/** Share of the memory available at start that --jobs may fill when --total-memory is not given. */
export const DEFAULT_TOTAL_MEMORY_SHARE = 0.75;

function normalizeScaleFlags(flags: RunFlags): Pick<HuntConfig, 'shard' | 'durationsFrom' | 'resume' | 'jobs' | 'totalMemoryBytes'> {
  const asked = flags.totalMemory === undefined ? undefined : sizeFlag('--total-memory', flags.totalMemory);
  const jobs =
    flags.jobs === undefined || flags.jobs === 'auto'
      ? autoJobs(availableParallelism(), asked ?? freemem() * DEFAULT_TOTAL_MEMORY_SHARE, sizeFlag('--memory', flags.memory))
      : positiveInteger('--jobs', flags.jobs);
  // A memory total matters once batches run side by side, or when asked for explicitly.
  const totalMemoryBytes = asked ?? (jobs > 1 ? Math.floor(freemem() * DEFAULT_TOTAL_MEMORY_SHARE) : undefined);
  return {
    ...(flags.shard !== undefined && { shard: flags.shard === 'auto' ? autoShard(process.env) : parseShard(flags.shard) }),
    ...(flags.durationsFrom !== undefined && { durationsFrom: resolve(flags.durationsFrom) }),
    resume: flags.resume ?? false,
    jobs,
    ...(totalMemoryBytes !== undefined && { totalMemoryBytes }),
  };
}

/**
 * --jobs auto: a batch per core (more would only queue for the CPU), and no more than the
 * memory total holds at one --memory budget each; at least one, even when the total is
 * smaller than one budget (then one batch runs at a time, as with --jobs 1).
 */
export function autoJobs(cores: number, totalMemoryBytes: number, budgetBytes: number): number {
  return Math.max(1, Math.min(cores, Math.floor(totalMemoryBytes / budgetBytes)));
}

export interface BatchFlags {
  readonly batchSize?: number | 'auto' | undefined;
  readonly batches?: number | undefined;
  readonly shuffle: boolean;
  readonly seed?: number | undefined;
}

/**
 * What `run` and `plan` both decide before planning: survey mode unless --batch-size N or
 * --batches K is given (a survey is one process, one per shard when sharded),
 * and a fresh seed for --shuffle without --seed (printed by the caller, so it can be replayed).
 * The values themselves are validated by the planner.
 */
export function normalizePlanFlags(
  flags: BatchFlags,
  random: () => number,
): { batchSize: number | undefined; batches: number | undefined; seed: number | undefined; survey: boolean } {
  if (flags.batchSize !== undefined && flags.batches !== undefined) {
    throw new UsageError(
      '--batch-size and --batches both given',
      'choose one: tests per batch (--batch-size) or number of batches (--batches)',
    );
  }
  validatePlanOptions({
    ...(typeof flags.batchSize === 'number' && { batchSize: flags.batchSize }),
    ...(flags.batches !== undefined && { batches: flags.batches }),
    ...(flags.seed !== undefined && { seed: flags.seed }),
  });
  const survey = flags.batchSize === 'auto' || (flags.batchSize === undefined && flags.batches === undefined);
  return {
    survey,
    batchSize: typeof flags.batchSize === 'number' ? flags.batchSize : undefined,
    batches: flags.batches,
    seed: flags.seed ?? (flags.shuffle ? Math.floor(random() * 2 ** 31) : undefined),
  };
}

/**
 * The smallest --memory / --total-memory taken: no test runner starts in less (python alone
 * needs ~10 MiB, node ~40 MiB), so a smaller budget is a unit mistake ("1KB", "1.5") that
 * would name every test a hog. The runner's own measured floor is checked later, per runner.
 */
export const MIN_MEMORY_BYTES = 8 * 1024 ** 2;
/** The smallest --log-limit: room for a traceback at the end and the runner's header at the start. */
export const MIN_LOG_LIMIT_BYTES = 64 * 1024;
/** The shortest --timeout taken: below this no runner has even started its first test. */
export const MIN_TIMEOUT_MS = 100;

const BARE_NUMBER = /^\s*[+-]?\d+(?:\.\d+)?\s*$/;

export function sizeFlag(flag: string, text: string, minimumBytes = MIN_MEMORY_BYTES, belowMeans = 'no test runner can start in'): number {
  const example = 'write it like 512MB, 300MiB or 1.5GiB';
  if (text.trim().startsWith('-')) throw new UsageError(`${flag} "${text}" is negative`, `a budget is a positive size: ${example}`);
  // "1.5" was read as 2 bytes: a size without its unit is almost always a forgotten "GB".
  if (BARE_NUMBER.test(text) && Number(text) !== 0) throw new UsageError(`${flag} "${text}" has no unit`, `${example} (B for bytes)`);
  const bytes = parseBytes(text);
  if (bytes === undefined || bytes <= 0) throw new UsageError(`${flag} "${text}" is not a size`, example);
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`${flag} "${text}" is too large to be a memory budget`, example);
  if (bytes < minimumBytes) {
    throw new UsageError(
      `${flag} "${text}" is ${formatBytes(bytes)}, below the ${formatBytes(minimumBytes)} ${belowMeans}`,
      `did you mean ${text.replace(/[a-z]+\s*$/i, '').trim()}MB or ${text.replace(/[a-z]+\s*$/i, '').trim()}GB? ${example}`,
    );
  }
  return bytes;
}

export function durationFlag(flag: string, text: string, options: { allowZero?: boolean; minimumMs?: number } = {}): number {
  const example = 'write it like 90s, 2m, 500ms or 1h';
  if (text.trim().startsWith('-')) throw new UsageError(`${flag} "${text}" is negative`, example);
  // A bare number could mean seconds or milliseconds: make the user say which (0 needs no unit).
  if (BARE_NUMBER.test(text) && Number(text) !== 0) throw new UsageError(`${flag} "${text}" has no unit`, `${example} (s for seconds)`);
  const ms = parseDuration(text);
  if (ms === undefined || (ms === 0 && options.allowZero !== true)) {
    throw new UsageError(`${flag} "${text}" is not a duration`, example);
  }
  if (!Number.isSafeInteger(ms) || ms > MAX_DURATION_MS) throw new UsageError(`${flag} "${text}" is longer than a week`, example);
  if (options.minimumMs !== undefined && ms < options.minimumMs) {
    throw new UsageError(`${flag} "${text}" is shorter than ${formatDuration(options.minimumMs)}, too short for any test to run`, example);
  }
  return ms;
}

/** Node's timers overflow past 2^31 - 1 ms (~24.8 days) and fire at once; a week is plenty. */
const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/**
 * `--memory -5MB` reaches yargs as a cluster of short flags (-5 -M -B) and comes out as
 * "Unknown arguments: 5, M, B". Caught before yargs, with what was meant.
 */
export function refuseNegativeValues(argv: readonly string[]): void {
  const valued = ['--memory', '--total-memory', '--timeout', '--grace', '--sample-interval', '--log-limit'];
  argv.forEach((arg, index) => {
    const next = argv[index + 1];
    if (valued.includes(arg) && next !== undefined && /^-\d/.test(next) && !/^-\d+(?:\.\d+)?$/.test(next)) {
      throw new UsageError(
        `${arg} "${next}" is negative`,
        `${arg} takes a positive value, e.g. ${arg === '--memory' || arg === '--total-memory' || arg === '--log-limit' ? '512MB' : '90s'}`,
      );
    }
  });
}

export function positiveInteger(flag: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    // yargs turns a word into NaN: say what was expected rather than echo "NaN".
    const shown = Number.isNaN(value)
      ? 'must be a positive integer, got something that is not a number'
      : `${value} is not a positive whole number`;
    throw new UsageError(`${flag} ${shown}`, `e.g. ${flag} 3`);
  }
  return value;
}

function autoShard(env: NodeJS.ProcessEnv): ShardSpec {
  const { shard, source } = shardFromCi(env);
  return { ...shard, source };
}
