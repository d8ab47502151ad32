// Runs the built CLI the way a user does, with a clean environment (only PATH, HOME and
// NO_COLOR), and reads back what it wrote. Build first: `npm test` does (pretest).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import type { Report } from '../../src/report/model.js';
import { livingProcessesWithEnv } from './processes.js';
import { tempDir } from './temp-dir.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(REPO, 'dist/cli/bin.js');

export interface LeakhuntRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outDir: string;
  /** The pid of the leakhunt process: every process it started carries it in LEAKHUNT_RUN_KEY. */
  readonly pid: number;
  readonly report: Report | undefined;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  /** Kill leakhunt (SIGTERM) after this long; by default only the test's own jest timeout bounds it. */
  readonly timeoutMs?: number;
  /** Send SIGINT (Ctrl-C) this long after the start, if leakhunt is still running. */
  readonly interruptAfterMs?: number;
}

/** A fresh directory, removed when the test file is done (test/helpers/temp-dir.ts). */
export function makeOutDir(): string {
  return tempDir('leakhunt-cli-e2e-');
}

// One user cache per test file (src/util/user-cache.ts): no test reads what another one, or
// the person running the suite, left in ~/.cache, and nothing is written there.
let fileCacheDir: string | undefined;
function cacheDirOfThisFile(): string {
  fileCacheDir ??= tempDir('leakhunt-cache-e2e-');
  return fileCacheDir;
}

// Hunts still running when their test ended. A fixed default time limit here (it was 120 s)
// killed hunts that tests gave 180-900 s on a loaded machine, failing them for what they did
// not check; now the test's jest timeout is the limit, and a hunt it outlives is interrupted
// after it (SIGINT, Ctrl-C: leakhunt ends its runs and saves what it found), so it neither loads
// the next test nor outlives the suite. Registered once per test file, like temp-dir.ts.
const running = new Set<ResultPromise>();
afterEach(async () => {
  const left = [...running];
  for (const child of left) child.kill('SIGINT');
  const ended = Promise.allSettled(left);
  const late = setTimeout(() => {
    for (const child of left) child.kill('SIGKILL');
  }, 20_000);
  await ended;
  clearTimeout(late);
}, 30_000);

/** Runs `leakhunt <args…> --out <fresh dir>` (unless args already name --out). */
export async function runLeakhunt(args: readonly string[], options: RunOptions = {}): Promise<LeakhuntRun> {
  const hasOut = args.includes('--out');
  const outDir = hasOut ? args[args.indexOf('--out') + 1]! : makeOutDir();
  const child = execa(process.execPath, [CLI, ...args, ...(hasOut ? [] : ['--out', outDir])], {
    cwd: options.cwd ?? REPO,
    // TMPDIR: the suite's own (test/hygiene/setup.mjs), so what a hunt leaves running is found.
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '/root',
      NO_COLOR: '1',
      LEAKHUNT_CACHE_DIR: cacheDirOfThisFile(),
      ...(process.env['TMPDIR'] !== undefined && { TMPDIR: process.env['TMPDIR'] }),
      ...options.env,
    },
    extendEnv: false,
    reject: false,
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
  });
  running.add(child);
  const interrupt = options.interruptAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs);
  const result = await child.finally(() => running.delete(child));
  clearTimeout(interrupt);
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    outDir,
    pid: child.pid!,
    report: readReport(outDir),
  };
}

function readReport(outDir: string): Report | undefined {
  try {
    return JSON.parse(readFileSync(join(outDir, 'leakhunt-report.json'), 'utf8')) as Report;
  } catch {
    return undefined;
  }
}

/** Live processes started by the leakhunt process `pid` (they carry LEAKHUNT_RUN_KEY=…-pid-n). */
export function survivorsOf(pid: number): number[] {
  return livingProcessesWithEnv(new RegExp(`^LEAKHUNT_RUN_KEY=\\S*-${pid}-\\d+$`));
}

/** Findings as "kind: culprit, culprit", sorted: what a person reads first. */
export function findingsOf(report: Report | undefined): string[] {
  return (report?.findings ?? []).map((f) => `${f.kind}: ${f.culprits.join(', ')}${f.victim ? ` -> ${f.victim}` : ''}`).sort();
}
