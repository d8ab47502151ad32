// The trials of one bisection side by side (--jobs N), on real processes: a hang among 16
// tests is found in fewer timed-out runs by 4-way splits than by halving, and the two halves
// of a batch with two hogs run at once. Counted from the report's runs, not from wall time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import type { Report, RunRecord } from '../../src/report/model.js';
import { CLI, findingsOf, REPO, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURE = join(REPO, 'test/fixtures/bin/scripted-tests.mjs');

async function hunt(scripts: readonly object[], extra: readonly string[]): Promise<{ exitCode: number | undefined; report: Report }> {
  const dir = tempDir('leakhunt-parprobe-');
  const names = scripts.map((_, index) => `s${String(index + 1).padStart(2, '0')}.json`);
  for (const [index, script] of scripts.entries()) writeFileSync(join(dir, names[index]!), JSON.stringify(script));
  writeFileSync(join(dir, 'sel.txt'), `${names.join('\n')}\n`);
  const run = await execa(
    process.execPath,
    [CLI, 'run', 'sel.txt', '--cmd', `node ${FIXTURE} {tests}`, '--out', join(dir, 'out'), '--no-step-summary', ...extra],
    { cwd: dir, reject: false, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, extendEnv: false },
  );
  return { exitCode: run.exitCode, report: JSON.parse(readFileSync(join(dir, 'out/leakhunt-report.json'), 'utf8')) as Report };
}

const bisectionRuns = (report: Report): RunRecord[] => report.runs.filter((run) => run.kind === 'confirm' || run.kind === 'probe');
const timedOut = (report: Report): number => report.runs.filter((run) => run.verdict.outcome === 'timeout').length;

function maxOverlapping(runs: readonly RunRecord[]): number {
  const spans = runs.map((run) => [Date.parse(run.startedAt), Date.parse(run.startedAt) + run.evidence.durationMs] as const);
  return Math.max(0, ...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
}

describe('trials of one bisection side by side', () => {
  const HANG_AT_11 = Array.from({ length: 16 }, (_, index) => (index === 10 ? { sleepMs: 600_000 } : {}));
  const budget = ['--batch-size', '16', '--memory', '100MB', '--timeout', '5s', '--total-memory', '1GB'];

  it('finds a hang among 16 tests with --jobs 4 in fewer timed-out runs than halving with --jobs 1', async () => {
    const [fourWays, halving] = await Promise.all([
      hunt(HANG_AT_11, [...budget, '--jobs', '4']),
      hunt(HANG_AT_11, [...budget, '--jobs', '1']),
    ]);
    for (const { exitCode, report } of [fourWays, halving]) {
      expect(exitCode).toBe(1);
      expect(report.findings.map((f) => [f.kind, f.culprits])).toEqual([['hang', ['s11.json']]]);
    }
    // Batch, confirmation, one failing part per level (⌈log4 16⌉ = 2 against ⌈log2 16⌉ = 4), verification.
    expect(timedOut(fourWays.report)).toBe(1 + 1 + 2 + 1);
    expect(timedOut(halving.report)).toBe(1 + 1 + 4 + 1);
    expect(maxOverlapping(bisectionRuns(fourWays.report))).toBeGreaterThanOrEqual(2);
    expect(maxOverlapping(bisectionRuns(halving.report))).toBe(1);
  }, 240_000);

  // pytest without its probe: no records, so the batch is halved (the generic runner's memory
  // deaths go to prefix runs instead, docs/runners.md).
  it('runs both halves of a batch with two hogs at once (beside its confirmation) and names both hogs', async () => {
    const dir = tempDir('leakhunt-parprobe-halves-');
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
    const HOG = '    block = bytearray(160 * 1024 * 1024)\n    for i in range(0, len(block), 4096):\n        block[i] = 1\n';
    const SLOW = '    import time\n    time.sleep(0.3)\n';
    const numbers = [1, 2, 3, 4, 5, 6, 7, 8];
    writeFileSync(join(dir, 'tests', 'test_two.py'), numbers.map((n) => `def test_${n}():\n${n === 2 || n === 7 ? HOG : SLOW}`).join('\n'));
    writeFileSync(join(dir, 'sel.txt'), `${numbers.map((n) => `tests/test_two.py::test_${n}`).join('\n')}\n`);
    const run = await runLeakhunt(
      [
        'run',
        'sel.txt',
        '--no-probe',
        '--batch-size',
        '8',
        '--memory',
        '120MiB',
        '--timeout',
        '60s',
        '--jobs',
        '3',
        '--total-memory',
        '1GB',
      ],
      { cwd: dir, timeoutMs: 170_000 },
    );
    expect(run.exitCode).toBe(1);
    expect(findingsOf(run.report)).toEqual(['hog: tests/test_two.py::test_2', 'hog: tests/test_two.py::test_7']);
    const halves = bisectionRuns(run.report!).filter((r) => r.tests.length === 4);
    expect(halves.map((r) => r.tests[0])).toEqual(['tests/test_two.py::test_1', 'tests/test_two.py::test_5']);
    expect(maxOverlapping(halves)).toBe(2);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 240_000);

  it('survey: confirms a hog alone while the tests after it continue in a new process', async () => {
    const dir = tempDir('leakhunt-parprobe-survey-');
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
    const HOG = '    block = bytearray(160 * 1024 * 1024)\n    for i in range(0, len(block), 4096):\n        block[i] = 1\n';
    const SLOW = '    import time\n    time.sleep(1.5)\n';
    const body = [1, 2, 3, 4, 5, 6].map((n) => `def test_${n}():\n${n === 3 ? HOG : SLOW}`);
    writeFileSync(join(dir, 'tests', 'test_mix.py'), body.join('\n'));
    writeFileSync(join(dir, 'sel.txt'), `${[1, 2, 3, 4, 5, 6].map((n) => `tests/test_mix.py::test_${n}`).join('\n')}\n`);
    const run = await runLeakhunt(['run', 'sel.txt', '--memory', '120MiB', '--timeout', '60s', '--jobs', '2', '--total-memory', '1GB'], {
      cwd: dir,
      timeoutMs: 170_000,
    });
    expect(run.exitCode).toBe(1);
    expect(findingsOf(run.report)).toEqual(['hog: tests/test_mix.py::test_3']);
    const runs = run.report!.runs;
    // In the order asked, whichever ended first: the survey's run, the hog alone, the rest.
    expect(runs.map((r) => `${r.tests.length}:${r.verdict.outcome}`)).toEqual(['6:over-memory', '1:over-memory', '3:passed']);
    expect(maxOverlapping(runs.slice(1))).toBe(2);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);
});
