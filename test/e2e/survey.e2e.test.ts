// Survey mode on real processes, through the built CLI: no --batch-size, so the whole
// selection runs in one process; each death's per-test records name the test to confirm
// alone, and the tests after it continue in a new process. Real hogs (bytearrays touched
// page by page), a real hang (sleep past the timeout), real kills.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { CLI, findingsOf, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const HOG = '    block = bytearray(160 * 1024 * 1024)\n    for i in range(0, len(block), 4096):\n        block[i] = 1\n';
const HANG = '    import time\n    time.sleep(120)\n';

let dir: string;

/** 24 tests in 4 files, listed by node id: hogs at 6 and 15, a hang at 20, all others pass. */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lh-survey-e2e-'));
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
  const ids: string[] = [];
  for (let file = 0; file < 4; file += 1) {
    const body: string[] = [];
    for (let t = 0; t < 6; t += 1) {
      const n = file * 6 + t + 1;
      body.push(`def test_${n}():\n${n === 6 || n === 15 ? HOG : n === 20 ? HANG : '    assert True\n'}`);
      ids.push(`tests/test_part${file}.py::test_${n}`);
    }
    writeFileSync(join(dir, 'tests', `test_part${file}.py`), `${body.join('\n')}`);
  }
  writeFileSync(join(dir, 'sel.txt'), `${ids.join('\n')}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('survey mode (no --batch-size)', () => {
  it('names two hogs and a hang of one process from its records: one run alone each, then the rest in a new process', async () => {
    // Default --jobs (auto): the selection is still one process, as in CI; jobs never split it.
    const run = await runLeakhunt(['run', 'sel.txt', '--memory', '120MiB', '--timeout', '4s', '--grace', '1s'], {
      cwd: dir,
      timeoutMs: 170_000,
    });

    expect(run.exitCode).toBe(1);
    expect(run.report?.batches).toHaveLength(1);
    expect(findingsOf(run.report)).toEqual([
      'hang: tests/test_part3.py::test_20',
      'hog: tests/test_part0.py::test_6',
      'hog: tests/test_part2.py::test_15',
    ]);
    // The run, then per culprit: alone once, and the tests after it in a new process.
    const runs = run.report!.runs.map((r) => `${r.tests.length}:${r.verdict.outcome}`);
    expect(runs).toEqual(['24:over-memory', '1:over-memory', '18:over-memory', '1:over-memory', '9:timeout', '1:timeout', '4:passed']);
    // The hang's lone run was timed on the test's own time (classify/hang.ts): stopped 9 s
    // (max(2 × 4 s, 4 s + 5 s)) after its start record, not 14 s (max(3 × 4 s, 4 s + 10 s))
    // after the process start. Bounds: the stop is at start + 9 s; then up to 2 s of stacks,
    // 1 s of grace and slack for a loaded machine.
    const hang = run.report!.findings.find((f) => f.kind === 'hang')!;
    const lone = run.report!.runs.find((r) => r.runId === hang.evidenceRunIds[1])!;
    const clock = lone.evidence.testClock!;
    expect(clock.timeoutMs).toBe(9_000);
    expect(lone.evidence.timeoutMs).toBe(14_000);
    expect(lone.evidence.durationMs).toBeGreaterThanOrEqual(clock.startedAfterMs + 9_000 - 100);
    expect(lone.evidence.durationMs).toBeLessThan(clock.startedAfterMs + 9_000 + 2_000 + 1_000 + 3_000);
    expect(hang.because).toMatch(/alone it timed out too, its test ran 9\.0 s without ending, after [\d.]+ m?s of start-up/);
    // Default --jobs (auto) gives two lanes on 2 cores (120 MiB budgets): the tests after the
    // hang start in a new process while it is confirmed alone, not after its 9 s.
    if (run.report!.environment.cpus >= 2) {
      const after = run.report!.runs.find((r) => r.tests.length === 4)!;
      expect(Date.parse(after.startedAt)).toBeLessThan(Date.parse(lone.startedAt) + lone.evidence.durationMs);
    }
    expect(run.report?.status).toBe('complete');
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);

  it('falls back to halving when there are no records (--no-probe), and still names both hogs', async () => {
    writeFileSync(
      join(dir, 'hogs.txt'),
      [
        'tests/test_part0.py::test_5',
        'tests/test_part0.py::test_6',
        'tests/test_part1.py::test_7',
        'tests/test_part1.py::test_8',
        'tests/test_part2.py::test_15',
        'tests/test_part2.py::test_16',
      ].join('\n'),
    );
    const run = await runLeakhunt(
      ['run', 'hogs.txt', '--batch-size', 'auto', '--no-probe', '--memory', '120MiB', '--timeout', '20s', '--jobs', '1'],
      { cwd: dir, timeoutMs: 170_000 },
    );

    expect(run.exitCode).toBe(1);
    expect(findingsOf(run.report)).toEqual(['hog: tests/test_part0.py::test_6', 'hog: tests/test_part2.py::test_15']);
    expect(run.report?.runs.some((r) => r.tests.length === 3)).toBe(true); // a half: halving did it
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);

  it('with an explicit batch size too, a second hog in the batch is named from the records of the run without the first', async () => {
    const run = await runLeakhunt([
      'run',
      'test/fixtures/selections/cli/two-hogs.txt',
      '--batch-size',
      '8',
      '--jobs',
      '1',
      '--memory',
      '180MiB',
      '--timeout',
      '20s',
    ]);

    expect(run.exitCode).toBe(1);
    expect(findingsOf(run.report)).toEqual([
      'hog: ../../suites/pytest-two-hogs/tests/test_batch.py::test_load_catalogue',
      'hog: ../../suites/pytest-two-hogs/tests/test_batch.py::test_render_thumbnails',
    ]);
    // The batch, then per hog: alone once and the batch without it: 1 + 2 per culprit (+ 1 when the last rest passes).
    expect(run.report!.runs.length).toBeLessThanOrEqual(1 + 2 * 2 + 1);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);

  it('with --jobs 2 says the selection runs in one process, not that batches run side by side', async () => {
    writeFileSync(join(dir, 'passing.txt'), 'tests/test_part0.py::test_1\ntests/test_part1.py::test_7\n');
    const run = await runLeakhunt(['run', 'passing.txt', '--memory', '120MiB', '--jobs', '2', '--total-memory', '1GiB'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.report?.runs).toHaveLength(1);
    expect(run.stderr).toMatch(/^--jobs 2: the selection runs in one process; the runs that confirm and narrow a failure go side by side/m);
    expect(run.stderr).not.toMatch(/batches run side by side/);
  }, 60_000);

  it('keeps an explicit batch size: --batch-size 8 plans batches of 8, no --batch-size one survey process', async () => {
    const plan = async (...extra: string[]): Promise<number> =>
      (
        JSON.parse((await execa(process.execPath, [CLI, 'plan', 'sel.txt', '--json', ...extra], { cwd: dir })).stdout) as {
          batchCount: number;
        }
      ).batchCount;
    expect(await plan('--batch-size', '8')).toBe(3);
    expect(await plan()).toBe(1);
    expect(await plan('--batch-size', 'auto')).toBe(1);
  }, 60_000);
});
