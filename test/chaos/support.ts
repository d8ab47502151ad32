// The chaos suite's world: a small generic suite of real processes (a tree per test, a hog
// that bisection narrows), hunts started and killed for real, and what they leave behind
// seen with plain ps. Every wait polls with a deadline.

import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { Report } from '../../src/report/model.js';
import { cgroupsOf, guardianOf, waitUntil } from '../helpers/leftovers.js';
import { livingProcessesWhoseCommandHas } from '../helpers/processes.js';
import { CLI, REPO, survivorsOf } from '../helpers/run-leakhunt.js';

export { waitUntil };
export const RUNNER = join(REPO, 'test/chaos/chaos-tests.mjs');
export const DAEMON_KINDS = ['double-fork', 'setsid', 'env-i', 'env-i-setsid'] as const;

export interface Suite {
  readonly dir: string;
  readonly out: string;
  /** In the command of every sleep the suite's tests start (daemons too, even with a cleared environment). */
  readonly token: string;
  readonly counter: string;
  remove(): void;
}

/** 7 tests in 2 batches of 4: batch 1 holds a 250 MB hog (bisected: 6 trials), each test ~0.4 s with a child. */
export const DEFAULT_TESTS: Record<string, object> = {
  'a.json': { sleepMs: 400 },
  'b.json': { sleepMs: 400 },
  'hog.json': { allocMB: 250, sleepMs: 300 },
  'c.json': { sleepMs: 400 },
  'd.json': { sleepMs: 400 },
  'e.json': { sleepMs: 400 },
  'f.json': { sleepMs: 400 },
};

export function makeSuite(tests: Record<string, object> = DEFAULT_TESTS, out?: string): Suite {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-chaos-'));
  for (const [name, script] of Object.entries(tests)) writeFileSync(join(dir, name), JSON.stringify(script));
  writeFileSync(join(dir, 'sel.txt'), `${Object.keys(tests).join('\n')}\n`);
  const token = String(randomInt(100_000, 999_999));
  return {
    dir,
    out: out ?? join(dir, 'out'),
    token,
    counter: join(dir, 'count.txt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Hunt = ResultPromise<{ reject: false }>;

/** One batch at a time unless `extra` says --jobs: each fault hits one known run. */
export function startHunt(suite: Suite, extra: readonly string[] = [], env: Record<string, string> = {}): Hunt {
  const args = [
    CLI,
    'run',
    'sel.txt',
    '--cmd',
    `node ${RUNNER} {tests}`,
    '--batch-size',
    '4',
    '--memory',
    '150MB',
    '--timeout',
    '20s',
    '--out',
    suite.out,
    '--no-step-summary',
    ...(extra.includes('--jobs') ? [] : ['--jobs', '1']),
    ...extra,
  ];
  return execa(process.execPath, args, {
    cwd: suite.dir,
    reject: false,
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      NO_COLOR: '1',
      CHAOS_COUNTER: suite.counter,
      CHAOS_TOKEN: suite.token,
      ...env,
    },
  }) as Hunt;
}

/** Run ids of the finished runs in the journal, in order. */
export function journalRuns(out: string): string[] {
  let text = '';
  try {
    text = readFileSync(join(out, 'journal.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { type?: string; runId?: string };
      return entry.type === 'run' && entry.runId !== undefined ? [entry.runId] : [];
    } catch {
      return []; // a line torn by the kill
    }
  });
}

/** Run ids in the order their processes started, over every hunt of the suite. */
export function executions(suite: Suite): string[] {
  try {
    return readFileSync(suite.counter, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ')[0] ?? '');
  } catch {
    return [];
  }
}

/**
 * Finished runs (in the journal at the kill) that started again after it: work a resume lost.
 * `startedAtKill` is how many executions the counter held at the kill (a run that was
 * running then, unfinished, is rightly run again and is not counted).
 */
export function runsRepeated(suite: Suite, finishedAtKill: readonly string[], startedAtKill: number): number {
  const later = executions(suite).slice(startedAtKill);
  return new Set(later.filter((runId) => finishedAtKill.includes(runId))).size;
}

export function readReport(out: string): Report | undefined {
  try {
    return JSON.parse(readFileSync(join(out, 'leakhunt-report.json'), 'utf8')) as Report;
  } catch {
    return undefined;
  }
}

export function findingsOf(report: Report | undefined): string[] {
  return (report?.findings ?? []).map((finding) => `${finding.kind}: ${finding.culprits.join(', ')} (batch ${finding.batchIndex})`).sort();
}

/** Processes of the suite (by token), of the hunt `pid` (run keys), its guardian, and its cgroups. */
export function leftBehind(suite: Suite, pid: number): { processes: string[]; cgroups: string[] } {
  const byKey = survivorsOf(pid).map((p) => `${p} (run key)`);
  const byToken = livingProcessesWhoseCommandHas(`.${suite.token}`);
  return { processes: [...new Set([...byKey, ...byToken, ...guardianOf(pid)])], cgroups: cgroupsOf(pid) };
}

/** How many of the hunt's processes and cgroups are still there `withinMs` after it died (0 as soon as it is clean). */
export async function orphansAfter(suite: Suite, pid: number, withinMs: number): Promise<{ count: number; what: string[] }> {
  let left = leftBehind(suite, pid);
  await waitUntil(
    () => {
      left = leftBehind(suite, pid);
      return left.processes.length === 0 && left.cgroups.length === 0;
    },
    withinMs,
    100,
  );
  return { count: left.processes.length + left.cgroups.length, what: [...left.processes, ...left.cgroups] };
}

/** SIGKILLs what a scenario left (so one failure does not spoil the next) by token. */
export function killSuiteProcesses(suite: Suite): void {
  for (const line of livingProcessesWhoseCommandHas(`.${suite.token}`)) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Daemon survivors by kind: `sleep 300.<token><n>`. */
export function daemonSurvivors(suite: Suite): Record<string, number> {
  const counts: Record<string, number> = {};
  DAEMON_KINDS.forEach((kind, index) => {
    counts[kind] = livingProcessesWhoseCommandHas(`sleep 300.${suite.token}${index + 1}`).length;
  });
  return counts;
}

/** mount(8) a tmpfs of `size` on a fresh directory; undefined with the reason when not permitted. */
export function mountTmpfs(size: string): { dir: string; grow(size: string): void; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-chaos-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`;
  }
  return {
    dir,
    grow: (bigger) => execFileSync('mount', ['-o', `remount,size=${bigger}`, dir]),
    unmount: () => {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
