// What a macOS user gets, checked on Linux: no cgroups and no /proc anywhere in leakhunt's
// path. `--backend ps` measures and kills from ps listings, and the pytest probe's
// LEAKHUNT_PROBE_PORTABLE=1 switch makes it read memory and children the way it does on macOS.
// The findings must be the ones the /proc path gives (cli-hunt.e2e.test.ts).
import { describe, expect, it } from '@jest/globals';
import { findingsOf, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

describe('a hunt without /proc or cgroups (the macOS path)', () => {
  it("names the pytest example's hog, hang (with its stack), slow leak and leftover process", async () => {
    const run = await runLeakhunt(
      [
        'run',
        'selections/example-pytest.txt',
        '--batch-size',
        '3',
        '--memory',
        '300MB',
        '--timeout',
        '5s',
        '--grace',
        '2s',
        '--backend',
        'ps',
      ],
      { env: { LEAKHUNT_PROBE_PORTABLE: '1' } },
    );

    expect(run.exitCode).toBe(1);
    expect(run.report?.environment.backend).toBe('ps-sampler');
    const findings = findingsOf(run.report);
    expect(findings).toContain('hog: ../test/examples/pytest/tests/test_reports.py::test_export_full_history');
    expect(findings).toContain('hang: ../test/examples/pytest/tests/test_sync.py::test_sync_with_exchange');
    // The file whose every test keeps memory is named as the file (docs/accumulators.md), or its tests.
    expect(findings.some((f) => f.startsWith('accumulator: ../test/examples/pytest/tests/test_metrics_export.py'))).toBe(true);
    expect(run.stdout.replace(/\s+/g, ' ')).toContain('hung in ../test/examples/pytest/tests/test_sync.py');
    expect(run.stdout).toContain(
      '../test/examples/pytest/tests/test_notifications.py::test_webhook_worker_starts left 1 process behind: sleep 20',
    );
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);

  it('reads the records of a batch that ran out of time before memory: the accumulator is a warning, nobody is blamed for the timeout', async () => {
    // 300 tests of 0.2 s each keeping 2 MiB: a 12 s budget ends the batch after some tens of
    // them, far below 600 MB. --max-runs 1: the test running at the timeout is tried alone
    // once (it ends: not a hang); the timeout's halving is not what this checks.
    const run = await runLeakhunt(
      [
        'run',
        'test/fixtures/selections/probes/pytest-slow-keeper.txt',
        '--runner',
        'pytest',
        '--project',
        'test/fixtures/suites/pytest-slow-keeper',
        '--batch-size',
        '300',
        '--memory',
        '600MB',
        '--timeout',
        '12s',
        '--grace',
        '1s',
        '--max-runs',
        '1',
        '--backend',
        'ps',
      ],
      { env: { LEAKHUNT_PROBE_PORTABLE: '1' } },
    );
    expect(run.report?.runs[0]?.verdict.outcome).toBe('timeout');
    const warning = run.report?.findings.find((f) => f.kind === 'accumulator');
    expect(warning).toEqual(
      expect.objectContaining({ severity: 'warning', because: expect.stringContaining('it ran out of time before memory') }),
    );
    // The file whose every test keeps memory is named as the file, or (a ps reading of a test
    // or two lost in the noise) as its tests: never anything else.
    const file = '../../suites/pytest-slow-keeper/tests/test_slow_keeper.py';
    expect(warning?.culprits.length).toBeGreaterThan(0);
    for (const culprit of warning?.culprits ?? []) expect(culprit === file || culprit.startsWith(`${file}::`)).toBe(true);
    expect(warning?.accumulation?.projected).toBe(true);
    expect(warning?.reproUnderBudget).toBeUndefined();
    // Nothing is named for the timeout: the test running when time ran out ended alone.
    expect(run.report?.findings.filter((f) => f.kind === 'hang')).toEqual([]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);

  it("names the jest example's hog and hang", async () => {
    const run = await runLeakhunt([
      'run',
      'selections/example-jest.txt',
      '--batch-size',
      '2',
      '--memory',
      '300MB',
      '--timeout',
      '6s',
      '--grace',
      '1s',
      '--backend',
      'ps',
    ]);

    expect(run.exitCode).toBe(1);
    const kinds = (run.report?.findings ?? []).map((f) => [f.kind, f.culprits.join()]);
    expect(kinds).toContainEqual(['hog', expect.stringContaining('tests/export.test.js')]);
    expect(kinds).toContainEqual(['hang', expect.stringContaining('tests/sync.test.js')]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);
});
