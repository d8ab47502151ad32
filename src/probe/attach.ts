// Decides what a runner's command needs so the per-test probe runs inside it: extra argv
// and environment, without installing anything into the user's environment and without
// editing their config. A runner preset merges the result into its command:
//   argv = [program, ...presetOptions, ...argvBefore, ...tests, ...argvAfter]
// (argvAfter goes last: jest's --setupFilesAfterEnv is an array option that would swallow
// test paths after it; never put "--" between the tests and argvAfter).
// The probe files ship in src/probe/{pytest,jest}; the URL below resolves to that folder
// from src/probe/attach.ts (ts under jest) and from dist/probe/attach.js (built) alike.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.js';
import { staticJestSetupFiles } from './jest-static-config.js';
import { type ProbeRunner, reportDirectory } from './stacks.js';

export const PYTEST_PROBE_DIR = fileURLToPath(new URL('../../src/probe/pytest/', import.meta.url));
export const JEST_PROBE_SETUP = fileURLToPath(new URL('../../src/probe/jest/setup.cjs', import.meta.url));
export const NODE_TEST_PROBE_HOOK = fileURLToPath(new URL('../../src/probe/node-test/hook.mjs', import.meta.url));

export interface ProbeContext {
  /** Where the runner is started (its cwd). */
  readonly projectDir: string;
  /** JSON-lines file the probe appends to (read with readProbeFile). */
  readonly probeFile: string;
  /** File the pytest probe's faulthandler writes to; jest reports go to `<stacksFile>.reports/`. */
  readonly stacksFile: string;
  /** pytest only: also record the allocation sites that grew (slow: ~ms per test). */
  readonly tracemalloc: boolean;
  /** The environment the runner would get without the probe (PYTHONPATH, NODE_OPTIONS are extended). */
  readonly userEnv: Readonly<Record<string, string | undefined>>;
  /** jest only: how to start the user's jest, for `--showConfig`. Default: the project's node_modules/jest. */
  readonly jestCommand?: readonly [string, ...string[]];
}

export interface ProbeAttachment {
  /** Options to put among the runner's own options, before the tests. */
  readonly argvBefore: readonly string[];
  /** Arguments to append after the tests, at the very end. */
  readonly argvAfter: readonly string[];
  /** Variables to set (complete values: existing PYTHONPATH / NODE_OPTIONS are kept in them). */
  readonly env: Readonly<Record<string, string>>;
  /** Set when the probe cannot be attached; the run should go ahead without it. */
  readonly unavailable?: string;
}

export async function probeArgs(runner: ProbeRunner, ctx: ProbeContext): Promise<ProbeAttachment> {
  return (await probeAttacher(runner, ctx))(ctx);
}

/** The files one run's probe writes to. */
export type ProbeFiles = Pick<ProbeContext, 'probeFile' | 'stacksFile'>;

/**
 * What a hunt keeps: everything that does not depend on the run (for jest, the user's setup
 * files from `jest --showConfig`, ~1 s) is worked out once; the returned function only
 * fills in one run's files.
 */
export async function probeAttacher(
  runner: ProbeRunner,
  ctx: Omit<ProbeContext, keyof ProbeFiles>,
): Promise<(files: ProbeFiles) => Promise<ProbeAttachment>> {
  if (runner === 'pytest') return async (files) => pytestProbe({ ...ctx, ...files });
  if (runner === 'vitest') return async (files) => nodeProbe({ ...ctx, ...files }, []);
  // No --inspect-port=0 for node:test: its runner gives each test file's child the parent's
  // port + 1, and "--inspect-port=1" stops every child at start (node 20: "must be 0 or in
  // range 1024 to 65535"). A busy hung node:test file gets the report's answer only.
  if (runner === 'node-test')
    return async (files) => nodeProbe({ ...ctx, ...files }, [`--import=${NODE_TEST_PROBE_HOOK}`], { inspector: false });
  const setup =
    (await staticJestSetupFiles(ctx.projectDir, JEST_PROBE_SETUP)) ?? jestSetupFiles(await showJestConfig(ctx), JEST_PROBE_SETUP);
  return async (files) => jestProbe({ ...ctx, ...files }, setup);
}

export function pytestProbe(ctx: ProbeContext): ProbeAttachment {
  const env: Record<string, string> = {
    PYTHONPATH: prependPath(PYTEST_PROBE_DIR.replace(/\/$/, ''), ctx.userEnv.PYTHONPATH),
    LEAKHUNT_PROBE_FILE: ctx.probeFile,
    LEAKHUNT_STACKS_FILE: ctx.stacksFile,
  };
  if (ctx.tracemalloc) env.LEAKHUNT_TRACEMALLOC = '1';
  return { argvBefore: ['-p', 'leakhunt_probe'], argvAfter: [], env };
}

async function jestProbe(ctx: ProbeContext, files: { files: string[] } | { unavailable: string }): Promise<ProbeAttachment> {
  if ('unavailable' in files) return { argvBefore: [], argvAfter: [], env: {}, unavailable: files.unavailable };
  return { ...(await nodeProbe(ctx, [])), argvAfter: ['--setupFilesAfterEnv', ...files.files] };
}

/**
 * The environment every Node probe needs. vitest's run script adds the probe's setup file
 * itself when LEAKHUNT_PROBE_FILE is set (src/runners/probes/vitest-run.mjs); node:test
 * loads its hook with --import in every test process (extraNodeOptions).
 */
async function nodeProbe(
  ctx: ProbeContext,
  extraNodeOptions: readonly string[],
  options: { readonly inspector: boolean } = { inspector: true },
): Promise<ProbeAttachment> {
  const reports = reportDirectory(ctx.stacksFile);
  await mkdir(reports, { recursive: true });
  // --expose-gc: a post-GC figure, so garbage is not mistaken for a leak.
  // --report-on-signal: stacks.ts asks a hung worker for a diagnostic report with SIGUSR2.
  // --inspect-port=0: SIGUSR1 (stacks.ts, only for a busy hung process) starts the inspector on a free port.
  const nodeOptions = [
    '--expose-gc',
    '--report-on-signal',
    '--report-signal=SIGUSR2',
    `--report-directory=${reports}`,
    ...(options.inspector ? ['--inspect-port=0'] : []),
    ...extraNodeOptions,
  ];
  return {
    argvBefore: [],
    argvAfter: [],
    env: {
      NODE_OPTIONS: [ctx.userEnv.NODE_OPTIONS, ...nodeOptions].filter((o) => o !== undefined && o !== '').join(' '),
      LEAKHUNT_PROBE_FILE: ctx.probeFile,
      LEAKHUNT_STACKS_FILE: ctx.stacksFile,
    },
  };
}

/**
 * The --setupFilesAfterEnv list that keeps the user's setup files (the flag replaces the
 * config's list) and adds ours last. With several projects whose lists differ one flag
 * cannot serve them all, so the probe is left out rather than break someone's setup.
 */
export function jestSetupFiles(showConfigJson: string, ourSetup: string): { files: string[] } | { unavailable: string } {
  const parsed = JSON.parse(showConfigJson) as { configs?: { setupFilesAfterEnv?: string[] }[] };
  const lists = (parsed.configs ?? []).map((config) => config.setupFilesAfterEnv ?? []);
  const distinct = new Set(lists.map((list) => JSON.stringify(list)));
  if (distinct.size > 1) {
    return { unavailable: 'jest projects have different setupFilesAfterEnv lists; one CLI flag would replace them all' };
  }
  return { files: [...(lists[0] ?? []), ourSetup] };
}

async function showJestConfig(ctx: Omit<ProbeContext, keyof ProbeFiles>): Promise<string> {
  const [program, ...args] = ctx.jestCommand ?? defaultJestCommand(ctx.projectDir);
  // Loaded here, not at the top: execa is ~160 KB that a hunt's start would load for this rare path.
  const { execa } = await import('execa');
  const result = await execa(program, [...args, '--showConfig'], {
    cwd: ctx.projectDir,
    env: { ...ctx.userEnv },
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  });
  const start = result.stdout.indexOf('{');
  if (result.exitCode !== 0 || start < 0) {
    throw new EnvironmentError(
      `\`${[program, ...args, '--showConfig'].join(' ')}\` failed in ${ctx.projectDir} (exit ${result.exitCode ?? result.signal})`,
      `leakhunt reads your jest setup files this way before adding its probe; check that jest runs there: ${result.stderr.split('\n')[0] ?? ''}`,
    );
  }
  return result.stdout.slice(start);
}

function defaultJestCommand(projectDir: string): [string, ...string[]] {
  const local = path.join(projectDir, 'node_modules', 'jest', 'bin', 'jest.js');
  return existsSync(local) ? [process.execPath, local] : ['npx', '--no-install', 'jest'];
}

function prependPath(dir: string, existing: string | undefined): string {
  return existing === undefined || existing === '' ? dir : `${dir}${path.delimiter}${existing}`;
}
