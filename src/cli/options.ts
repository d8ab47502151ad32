// Every flag once: description, default, group, type. --help, docs/reference/cli.md, the
// config file's keys (config-file.ts) and the commands' argument types all come from these
// tables, so strings and types cannot drift.
import type { InferredOptionType, Options } from 'yargs';
import { CHASE_OUTCOMES } from '../pipeline/config.js';
import { REPORT_FORMATS } from '../reporters/formats.js';
import { RUNNER_NAMES } from '../runners/types.js';

export const GROUPS = {
  selection: 'Selection:',
  runner: 'Runner:',
  batches: 'Batches:',
  budgets: 'Budgets:',
  bisection: 'Bisection:',
  output: 'Output:',
  scale: 'CI and scale:',
  config: 'Config file:',
} as const;

export const selectionOptions = {
  root: {
    group: GROUPS.selection,
    type: 'string',
    describe: "Directory the selection entries are relative to (default: the selection file's directory)",
  },
  'allow-missing': {
    group: GROUPS.selection,
    type: 'boolean',
    default: false,
    describe: 'Warn about paths and globs that match nothing instead of stopping',
  },
} satisfies Record<string, Options>;

export const runnerOptions = {
  runner: { group: GROUPS.runner, choices: RUNNER_NAMES, describe: 'Test runner (default: detected from the project)' },
  cmd: {
    group: GROUPS.runner,
    type: 'string',
    describe: 'Any command, run without a shell; {tests} becomes the batch\'s tests, e.g. "node t.js {tests}"',
  },
  project: {
    group: GROUPS.runner,
    type: 'string',
    describe:
      'Directory the runner runs in (default: found from the selected files, e.g. where pytest.ini is; with --cmd, the working directory)',
  },
  python: {
    group: GROUPS.runner,
    type: 'string',
    describe:
      "pytest: the interpreter that runs pytest (default: $VIRTUAL_ENV/bin/python, else the project's .venv/ or venv/, else python3 on PATH)",
  },
  // Not `array: true`: an array option would swallow the selection file written after it.
  // coerce: one --runner-arg gives a string, several an array; commands always see an array.
  'runner-arg': {
    group: GROUPS.runner,
    type: 'string',
    coerce: (value: string | readonly string[]): string[] => [value].flat().map(String),
    describe: 'pytest/jest: one extra argument before the tests, repeatable, written with "=": --runner-arg=-n --runner-arg=2',
  },
} satisfies Record<string, Options>;

export const batchOptions = {
  // "auto" or a number: coerced here, validated by the planner (a typo becomes NaN, refused there).
  'batch-size': {
    group: GROUPS.batches,
    type: 'string',
    coerce: (value: string): number | 'auto' => (value === 'auto' ? 'auto' : Number(value)),
    describe:
      "Tests per batch, or auto [default: auto: survey mode, the whole selection in one process as in CI (--jobs does not split it); each death's records name the test to confirm alone, and the tests after it continue in a new process]",
  },
  batches: { group: GROUPS.batches, type: 'number', describe: 'Split into this many batches of near-equal size instead' },
  shuffle: {
    group: GROUPS.batches,
    type: 'boolean',
    default: false,
    describe: 'Shuffle the tests first (seed printed, so the order can be replayed)',
  },
  seed: { group: GROUPS.batches, type: 'number', describe: 'Seed for --shuffle; the same seed gives the same plan' },
} satisfies Record<string, Options>;

export const budgetOptions = {
  memory: {
    group: GROUPS.budgets,
    type: 'string',
    default: '2GiB',
    describe: "Memory budget of each batch's whole process tree: 512MB, 1.5GiB",
  },
  timeout: { group: GROUPS.budgets, type: 'string', default: '5m', describe: 'Time budget of each batch: 90s, 2m, 500ms' },
  grace: { group: GROUPS.budgets, type: 'string', default: '5s', describe: 'Time between SIGTERM and SIGKILL when a batch is stopped' },
  backend: {
    group: GROUPS.budgets,
    choices: ['auto', 'cgroup', 'sampler', 'ps'] as const,
    default: 'auto' as const,
    describe: 'How memory is measured and enforced: a cgroup per batch, a /proc sampler, or a ps sampler (the only one on macOS)',
  },
  'sample-interval': {
    group: GROUPS.budgets,
    type: 'string',
    describe: 'Sampler interval [default: 50ms, 20ms when the sampler alone enforces]',
  },
} satisfies Record<string, Options>;

export const bisectOptions = {
  bisect: {
    group: GROUPS.bisection,
    type: 'boolean',
    default: true,
    describe: 'Narrow every failing batch to its culprit(s); --no-bisect to skip',
  },
  repeat: {
    group: GROUPS.bisection,
    type: 'number',
    default: 1,
    describe: 'Run each bisection trial up to this many times; it fails if any run reproduces (for flaky failures)',
  },
  'max-runs': { group: GROUPS.bisection, type: 'number', default: 64, describe: 'Cap on bisection runs per failing batch' },
  probe: {
    group: GROUPS.bisection,
    type: 'boolean',
    default: true,
    describe: 'Measure every test inside pytest/jest runs (per-test memory, leftovers, hang stacks); --no-probe to skip',
  },
  tracemalloc: {
    group: GROUPS.bisection,
    type: 'boolean',
    default: false,
    describe: 'pytest: also record the allocation sites that grew in each test (slow: ~200 ms per test)',
  },
} satisfies Record<string, Options>;

export const outputOptions = {
  out: { group: GROUPS.output, type: 'string', default: '.leakhunt', describe: 'Directory for the report, logs and runner results' },
  'log-limit': {
    group: GROUPS.output,
    type: 'string',
    default: '4MiB',
    describe:
      'Largest log kept per run: the first quarter and the last three quarters are kept, the middle cut with a marker (the report says which logs were cut)',
  },
} satisfies Record<string, Options>;

export const reportOptions = {
  baseline: {
    group: GROUPS.output,
    type: 'string',
    describe: 'An earlier report to compare with: new culprits, fixed ones, memory regressions',
  },
  'step-summary': {
    group: GROUPS.output,
    type: 'boolean',
    default: true,
    describe: 'Append the Markdown summary to $GITHUB_STEP_SUMMARY when it is set; --no-step-summary to skip',
  },
} satisfies Record<string, Options>;

export const scaleOptions = {
  shard: {
    group: GROUPS.scale,
    type: 'string',
    describe:
      'Run only shard i of N of the plan, e.g. 2/4, or auto: from the CI (LEAKHUNT_SHARD, GitLab, Buildkite, CircleCI, Kubernetes Indexed Job; docs/ci.md). Batch numbers stay those of the whole plan; join shards with `leakhunt merge`',
  },
  'durations-from': {
    group: GROUPS.scale,
    type: 'string',
    describe:
      "An earlier report whose durations balance the shards (longest first) and estimate the hunt's time before it starts; default: balance by batch count, estimate from the previous report in --out",
  },
  resume: {
    group: GROUPS.scale,
    type: 'boolean',
    default: false,
    describe: 'Reuse the runs recorded in <out>/journal.jsonl by an interrupted hunt of the same plan instead of running them again',
  },
  // "auto" or a number, like --batch-size; the number is validated in normalize.ts.
  jobs: {
    group: GROUPS.scale,
    type: 'string',
    default: 'auto',
    coerce: (value: string): number | 'auto' => (value === 'auto' ? 'auto' : Number(value)),
    describe:
      'Batches run at once (bisection of one batch stays one run at a time); auto: one per CPU core, as many as --total-memory holds at --memory each',
  },
  'total-memory': {
    group: GROUPS.scale,
    type: 'string',
    describe: "With --jobs: the sum of running batches' --memory budgets stays below this [default: 75% of the memory free at start]",
  },
} satisfies Record<string, Options>;

export const planScaleOptions = {
  shards: {
    group: GROUPS.scale,
    type: 'number',
    describe: 'Show how the batches split into N shards (with --format github-matrix: the CI matrix)',
  },
  format: {
    group: GROUPS.output,
    choices: ['text', 'json', 'github-matrix'] as const,
    describe: 'text (default), json (same as --json), github-matrix (needs --shards: {"include":[{"shard":"1/N"},…]} on one line)',
  },
  'durations-from': scaleOptions['durations-from'],
} satisfies Record<string, Options>;

// Not keys of the config file itself (CONFIG_KEYS below leaves them out).
export const configOptions = {
  config: {
    group: GROUPS.config,
    type: 'string',
    describe:
      'Read flags from this file instead of the one found beside the project (leakhunt.config.{json,js,mjs}, "leakhunt" in package.json, [tool.leakhunt] in pyproject.toml)',
  },
  'print-config': {
    group: GROUPS.config,
    type: 'boolean',
    default: false,
    describe: 'Print the flags this command would run with and where each came from (command line, config file, default), then exit',
  },
} satisfies Record<string, Options>;

/** The flags of each command, in --help order. Commands are typed from these with FlagValues. */
export const runFlags = {
  ...selectionOptions,
  ...runnerOptions,
  ...batchOptions,
  ...budgetOptions,
  ...bisectOptions,
  ...outputOptions,
  ...reportOptions,
  ...scaleOptions,
  ...configOptions,
} satisfies Record<string, Options>;

export const bisectFlags = {
  ...selectionOptions,
  ...runnerOptions,
  ...budgetOptions,
  ...bisectOptions,
  ...outputOptions,
  ...reportOptions,
  outcome: {
    group: GROUPS.bisection,
    choices: CHASE_OUTCOMES,
    default: 'any' as const,
    describe: 'Which failure to chase; others are recorded, not narrowed',
  },
  ...configOptions,
} satisfies Record<string, Options>;

export const planFlags = {
  ...selectionOptions,
  ...runnerOptions,
  ...batchOptions,
  json: { type: 'boolean', default: false, describe: 'Print the plan as JSON' },
  ...planScaleOptions,
  ...configOptions,
} satisfies Record<string, Options>;

export const reportFlags = {
  format: {
    choices: REPORT_FORMATS,
    default: 'text' as const,
    describe: 'text (console), json, md (step summary), junit, github (annotations), html',
  },
  baseline: reportOptions.baseline,
  output: { alias: 'o', type: 'string', describe: 'Write to this file instead of stdout' },
} satisfies Record<string, Options>;

export const mergeFlags = {
  output: { alias: 'o', type: 'string', demandOption: true, describe: 'Where to write the merged JSON; the other formats go beside it' },
  'json-only': { type: 'boolean', default: false, describe: 'Write only the merged JSON' },
  baseline: reportOptions.baseline,
  'step-summary': reportOptions['step-summary'],
} satisfies Record<string, Options>;

export const collectFlags = {
  runner: runnerOptions.runner,
  project: runnerOptions.project,
  python: runnerOptions.python,
  'runner-arg': runnerOptions['runner-arg'],
  tests: {
    type: 'boolean',
    default: false,
    describe: 'One entry per test (pytest node ids) instead of per file; jest, vitest and node:test run whole files',
  },
  output: { alias: 'o', type: 'string', describe: 'Write the selection to this file (entries relative to it) instead of stdout' },
  ...configOptions,
} satisfies Record<string, Options>;

export const doctorFlags = {
  out: outputOptions.out,
  python: runnerOptions.python,
  ...configOptions,
} satisfies Record<string, Options>;

/**
 * Keys a config file may hold: the long flags of the hunt commands (run, bisect, plan). collect
 * and doctor read the same file but only the flags they share with these (runner, project,
 * python, runner-arg; out, python): their own flags (--tests, -o) name one invocation's output,
 * not the project, so they are no keys; a key collect or doctor has no flag for is skipped,
 * as plan skips a run-only key.
 */
export const CONFIG_KEYS: Readonly<Record<string, Options>> = Object.fromEntries(
  Object.entries({ ...runFlags, ...bisectFlags, ...planFlags }).filter(([key]) => !(key in configOptions)),
);

/** What a command receives for a flag table: camelCase keys, types inferred from the table. */
export type FlagValues<T extends Record<string, Options>> = { readonly [K in keyof T & string as CamelCase<K>]: InferredOptionType<T[K]> };

/** 'batch-size' → 'batchSize', as yargs names parsed flags (its own type for this is not exported). */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
