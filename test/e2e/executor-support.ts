// Shared by the executor's e2e tests: fixture paths, specs with small budgets, and ways to see
// which processes are alive that do not go through the executor's own code (plain ps).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from '@jest/globals';
import type { ProcessSpec } from '../../src/execute/types.js';
import { livingProcessesWhoseCommandHas, livingProcessesWithEnv } from '../helpers/processes.js';

export { isAlive } from '../helpers/processes.js';

export const MiB = 1024 ** 2;
export const FIXTURES = fileURLToPath(new URL('../fixtures/bin/', import.meta.url));
const logDir = mkdtempSync(join(tmpdir(), 'leakhunt-executor-e2e-'));
// Every test file importing this gets its own directory, removed when the file is done.
afterAll(() => rmSync(logDir, { recursive: true, force: true }));
let specCount = 0;

/** A `sleep` argument no other process on the machine has: ps can find exactly our sleeps. */
export function uniqueToken(): string {
  return `1000.${process.pid}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export function makeSpec(argv: readonly [string, ...string[]], overrides: Partial<ProcessSpec> = {}): ProcessSpec {
  specCount += 1;
  const runId = `e2e${process.pid}x${specCount}`;
  return {
    runId,
    argv,
    cwd: FIXTURES,
    env: {},
    budget: { memoryBytes: 200 * MiB, timeoutMs: 20_000, graceMs: 1000 },
    logPath: join(logDir, `${runId}.log`),
    ...overrides,
  };
}

export function readLog(spec: ProcessSpec): string {
  return readFileSync(spec.logPath, 'utf8');
}

/** Live (non-zombie) processes whose command line contains `text`, as "pid command" lines from ps. */
export function livingProcessesWith(text: string): string[] {
  return livingProcessesWhoseCommandHas(text);
}

/** Live processes carrying LEAKHUNT_RUN_ID=<runId>. */
export function livingProcessesOfRun(runId: string): number[] {
  return livingProcessesWithEnv(new RegExp(`^LEAKHUNT_RUN_ID=${runId}$`));
}

/** Polls until `check` holds, up to `timeoutMs`; returns the last value of `check`. */
export async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return check();
}

export function hasMemoryCgroup(): boolean {
  try {
    return readdirSync('/sys/fs/cgroup/memory').includes('memory.limit_in_bytes') && process.getuid?.() === 0;
  } catch {
    return false;
  }
}
