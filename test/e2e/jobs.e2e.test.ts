// --jobs N under --total-memory: batches, and the bisections of different batches, overlap
// only when the memory total holds their budgets side by side. Observed from the start and
// end of each run in the report.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import type { Report, RunRecord } from '../../src/report/model.js';
import { CLI, REPO } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURE = join(REPO, 'test/fixtures/bin/scripted-tests.mjs');

const SLOW_PASSING = [1, 2, 3, 4].map(() => ({ sleepMs: 1200 }));

async function huntSlowSuite(
  extra: readonly string[],
  scripts: readonly object[] = SLOW_PASSING,
  batchSize = 1,
  dir = tempDir('leakhunt-jobs-'),
): Promise<{ exitCode: number | undefined; stderr: string; report: Report }> {
  const names = scripts.map((_, index) => `s${index + 1}.json`);
  scripts.forEach((script, index) => {
    writeFileSync(join(dir, names[index]!), JSON.stringify(script));
  });
  writeFileSync(join(dir, 'sel.txt'), `${names.join('\n')}\n`);
  const args = [
    CLI,
    'run',
    'sel.txt',
    '--cmd',
    `node ${FIXTURE} {tests}`,
    '--batch-size',
    String(batchSize),
    '--memory',
    '200MB',
    '--timeout',
    '30s',
    '--out',
    join(dir, 'out'),
    '--no-step-summary',
    ...extra,
  ];
  const run = await execa(process.execPath, args, {
    cwd: dir,
    reject: false,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    extendEnv: false,
  });
  return {
    exitCode: run.exitCode,
    stderr: run.stderr,
    report: JSON.parse(readFileSync(join(dir, 'out/leakhunt-report.json'), 'utf8')) as Report,
  };
}

function intervals(runs: readonly RunRecord[], kinds: readonly string[] = ['batch']): [number, number][] {
  return runs
    .filter((run) => kinds.includes(run.kind))
    .map((run) => [Date.parse(run.startedAt), Date.parse(run.startedAt) + run.evidence.durationMs]);
}

function maxOverlapping(spans: readonly [number, number][]): number {
  return Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
}

describe('leakhunt run --jobs', () => {
  it('never runs two batches at once when --total-memory holds one budget only', async () => {
    const { exitCode, report } = await huntSlowSuite(['--jobs', '2', '--total-memory', '300MB']);
    expect(exitCode).toBe(0);
    expect(report.runs.map((run) => run.batchIndex)).toEqual([1, 2, 3, 4]);
    expect(maxOverlapping(intervals(report.runs))).toBe(1);
  }, 120_000);

  it('packs batches by the peaks an earlier hunt measured: side by side where their budgets would not fit', async () => {
    // 300 MB holds one 200 MB budget; a node batch measured at ~40–60 MiB reserves 1.5× that.
    const dir = tempDir('leakhunt-jobs-');
    const first = await huntSlowSuite(['--jobs', '2', '--total-memory', '300MB'], SLOW_PASSING, 1, dir);
    expect(first.exitCode).toBe(0);
    expect(maxOverlapping(intervals(first.report.runs))).toBe(1);
    const peaks = first.report.runs.map((run) => run.evidence.peakBytes);
    expect(Math.max(...peaks) * 1.5 * 2).toBeLessThanOrEqual(300e6); // the premise: two measured peaks fit
    const again = await huntSlowSuite(['--jobs', '2', '--total-memory', '300MB'], SLOW_PASSING, 1, dir);
    expect(again.exitCode).toBe(0);
    expect(maxOverlapping(intervals(again.report.runs))).toBe(2);
  }, 120_000);

  it('runs two batches side by side when the total holds both budgets', async () => {
    const { exitCode, report } = await huntSlowSuite(['--jobs', '2', '--total-memory', '1GB']);
    expect(exitCode).toBe(0);
    expect(report.runs.map((run) => run.batchIndex)).toEqual([1, 2, 3, 4]);
    expect(maxOverlapping(intervals(report.runs))).toBe(2);
  }, 120_000);

  // Two batches of four, each with one failing test: both are bisected side by side.
  const TWO_FAILING_BATCHES = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ sleepMs: 400, fail: n === 2 || n === 7 }));
  const bisectionSpans = (report: Report): [number, number][] => intervals(report.runs, ['confirm', 'probe']);

  it('bisects two failing batches side by side when the total holds both budgets, naming both culprits', async () => {
    const { exitCode, report } = await huntSlowSuite(['--jobs', '2', '--total-memory', '1GB'], TWO_FAILING_BATCHES, 4);
    expect(exitCode).toBe(1);
    expect(report.findings.map((f) => [f.batchIndex, f.culprits.join()])).toEqual([
      [1, 's2.json'],
      [2, 's7.json'],
    ]);
    // Never more than --jobs at once: a hunt runs its halves side by side only in a slot the
    // other hunt left free (test/e2e/parallel-trials.e2e.test.ts).
    expect(maxOverlapping(bisectionSpans(report))).toBe(2);
  }, 120_000);

  it('bisects one batch at a time when --total-memory holds one budget only', async () => {
    const { exitCode, report } = await huntSlowSuite(['--jobs', '2', '--total-memory', '300MB'], TWO_FAILING_BATCHES, 4);
    expect(exitCode).toBe(1);
    expect(report.findings.map((f) => f.culprits.join())).toEqual(['s2.json', 's7.json']);
    expect(maxOverlapping(bisectionSpans(report))).toBe(1);
  }, 120_000);

  it('refuses a batch budget above --total-memory before running anything', async () => {
    const dir = tempDir('leakhunt-jobs-');
    writeFileSync(join(dir, 'a.json'), '{}');
    writeFileSync(join(dir, 'sel.txt'), 'a.json\n');
    const run = await execa(
      process.execPath,
      [
        CLI,
        'run',
        'sel.txt',
        '--cmd',
        `node ${FIXTURE} {tests}`,
        '--memory',
        '500MB',
        '--jobs',
        '2',
        '--total-memory',
        '300MB',
        '--out',
        join(dir, 'out'),
      ],
      { cwd: dir, reject: false },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--memory 477 MiB per batch exceeds --total-memory 286 MiB/);
  }, 60_000);
});
