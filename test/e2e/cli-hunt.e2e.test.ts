// The whole pipeline on real suites, through the built CLI: what a user sees and what the
// report says. Budgets are small (a few hundred MB, seconds) to keep the suite light.
import { describe, expect, it } from '@jest/globals';
import { findingsOf, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

describe('leakhunt run on the bundled pytest example (npm start)', () => {
  it('shows an over-memory and a timeout batch, names the hog and the hang, exits 1, leaves nothing behind', async () => {
    const run = await runLeakhunt([
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
    ]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/batch 1\/\d+\s+over-memory/);
    expect(run.stderr).toMatch(/batch 3\/\d+\s+timeout/);
    const findings = findingsOf(run.report);
    expect(findings).toContain('hog: ../test/examples/pytest/tests/test_reports.py::test_export_full_history');
    expect(findings).toContain('hang: ../test/examples/pytest/tests/test_sync.py::test_sync_with_exchange');
    // The console names them too, with a command to paste.
    const text = run.stdout.replace(/\\\n\s*/g, ' '); // long repro lines may wrap with a trailing backslash
    expect(text).toContain('../test/examples/pytest/tests/test_reports.py::test_export_full_history');
    expect(text).toMatch(/python3? -m pytest .*tests\/test_sync\.py::test_sync_with_exchange/);
    expect(run.report?.status).toBe('complete');
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);
});

describe('bisection on real processes', () => {
  it('names both the hog and the hang of one batch of nine, each with its kind', async () => {
    const run = await runLeakhunt([
      'bisect',
      'test/fixtures/selections/cli/example-hog-and-hang.txt',
      '--memory',
      '300MB',
      '--timeout',
      '4s',
      '--grace',
      '1s',
    ]);

    expect(run.exitCode).toBe(1);
    const findings = findingsOf(run.report);
    expect(findings).toContain('hog: ../../../examples/pytest/tests/test_reports.py::test_export_full_history');
    expect(findings).toContain('hang: ../../../examples/pytest/tests/test_sync.py::test_sync_with_exchange');
    expect(findings.filter((f) => f.startsWith('hog') || f.startsWith('hang'))).toHaveLength(2);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 240_000);

  it('names a polluter and its victim: the victim passes alone and fails after the polluter', async () => {
    const run = await runLeakhunt([
      'run',
      'test/fixtures/selections/cli/polluter.txt',
      '--batch-size',
      '6',
      '--memory',
      '300MB',
      '--timeout',
      '20s',
    ]);

    expect(run.exitCode).toBe(1);
    expect(run.report?.batches[0]?.verdict?.outcome).toBe('failed');
    expect(findingsOf(run.report)).toEqual([
      'polluter: ../../suites/pytest-polluter/tests/test_flags.py::test_enable_beta_checkout -> ../../suites/pytest-polluter/tests/test_flags.py::test_checkout_uses_stable_flow',
    ]);
    const polluter = run.report!.findings[0]!;
    // The repro runs polluter then victim, in that order, with the user's own runner.
    expect(polluter.repro).toMatch(/pytest .*test_enable_beta_checkout .*test_checkout_uses_stable_flow/);
  }, 120_000);

  it('names two hogs in one batch, and no innocent test', async () => {
    const run = await runLeakhunt([
      'run',
      'test/fixtures/selections/cli/two-hogs.txt',
      '--batch-size',
      '8',
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
    const runsUsed = (run.report?.batches[0]?.hunts ?? []).reduce((sum, hunt) => sum + hunt.runsUsed, 0);
    expect(runsUsed).toBeLessThan(8 * 2); // fewer than re-running each test alone twice over
  }, 120_000);
});

describe('leakhunt run on the bundled jest example', () => {
  it('names the hog and the hang test by name, with a repro narrowed to that test', async () => {
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
    ]);

    expect(run.exitCode).toBe(1);
    const kinds = (run.report?.findings ?? []).map((f) => [f.kind, f.culprits.join()]);
    expect(kinds).toContainEqual(['hog', expect.stringContaining('tests/export.test.js')]);
    expect(kinds).toContainEqual(['hang', expect.stringContaining('tests/sync.test.js')]);
    const hog = run.report!.findings.find((f) => f.kind === 'hog')!;
    expect(hog.repro).toMatch(/jest .*--runTestsByPath tests\/export\.test\.js/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);
});
