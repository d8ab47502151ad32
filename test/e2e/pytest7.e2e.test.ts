// The pytest preset and probe on Debian's pytest 7.2.1 (/usr/bin/python3), chosen with
// --python, and under pytest-xdist 3.1 through --runner-arg: real hunts, real budgets, real kills.
// Skipped when /usr/bin/python3 has no pytest 7, unless LEAKHUNT_REQUIRE_TEST_TOOLS=1 (.ci/run) says it must be there.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Report, ReportedFinding } from '../../src/report/model.js';
import { TOOLS_REQUIRED } from '../helpers/required-tools.js';
import { findingsOf, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const PYTHON = '/usr/bin/python3';
const MIB = 1024 ** 2;
const SELECTIONS = 'test/fixtures/selections/probes';

function pytestVersionOf(python: string): string {
  try {
    return execFileSync(python, ['-m', 'pytest', '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return '';
  }
}

const VERSION = pytestVersionOf(PYTHON);
const HAS_PYTEST7 = /^pytest 7\./.test(VERSION);
const describeIfPytest7 = HAS_PYTEST7 || TOOLS_REQUIRED ? describe : describe.skip;
if (!HAS_PYTEST7 && !TOOLS_REQUIRED) {
  it.skip(`pytest 7 e2e: ${PYTHON} -m pytest --version says "${VERSION || 'no pytest'}" (apt-get install python3-pytest python3-pytest-xdist)`, () =>
    undefined);
}

function only(report: Report | undefined, kind: string): ReportedFinding {
  const found = report?.findings.filter((f) => f.kind === kind) ?? [];
  expect(found).toHaveLength(1);
  return found[0]!;
}

describeIfPytest7(`pytest 7 with --python ${PYTHON}`, () => {
  it('is pytest 7 where CI installs it', () => {
    expect(VERSION).toMatch(/^pytest 7\.\d+\.\d+/);
  });

  it('finds the hog and the hang of the example batch, and the report names pytest 7 and its python', async () => {
    const run = await runLeakhunt([
      'bisect',
      'test/fixtures/selections/cli/example-hog-and-hang.txt',
      '--python',
      PYTHON,
      '--memory',
      '300MB',
      '--timeout',
      '4s',
    ]);
    expect(run.exitCode).toBe(1);
    expect(findingsOf(run.report)).toEqual([
      'hang: ../../../examples/pytest/tests/test_sync.py::test_sync_with_exchange',
      'hog: ../../../examples/pytest/tests/test_reports.py::test_export_full_history',
    ]);
    expect(run.report!.runner.version).toMatch(/^pytest 7\.\d+\.\d+ \(\/usr\/bin\/python3\)$/);
    expect(only(run.report, 'hang').stack).toMatch(
      /^\.\.\/\.\.\/\.\.\/examples\/pytest\/tests\/test_sync\.py line \d+ \(test_sync_with_exchange\) → subprocess\.run$/,
    );
    expect(only(run.report, 'hog').repro).toContain(
      '/usr/bin/python3 -m pytest --rootdir test/examples/pytest test/examples/pytest/tests/test_reports.py::test_export_full_history',
    );
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 90_000);

  it("calls the 4 MiB-per-test fixture an accumulator from pytest 7's per-test records", async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/pytest-slow-leak.txt`,
      '--runner',
      'pytest',
      '--project',
      'test/fixtures/suites/pytest-slow-leak',
      '--python',
      PYTHON,
      '--batch-size',
      '1',
      '--memory',
      '150MiB',
      '--timeout',
      '30s',
    ]);
    expect(run.exitCode).toBe(1);
    const slope = only(run.report, 'accumulator').accumulation!.slopeBytesPerTest;
    expect(slope).toBeGreaterThan(0.8 * 4 * MIB);
    expect(slope).toBeLessThan(1.2 * 4 * MIB);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 60_000);

  it('gets the stack of a module hanging at import time (faulthandler on SIGUSR1)', async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/import-hang.txt`,
      '--runner',
      'pytest',
      '--project',
      'test/fixtures/suites/pytest-import-hang',
      '--python',
      PYTHON,
      '--memory',
      '300MiB',
      '--timeout',
      '3s',
      '--grace',
      '1s',
    ]);
    expect(run.exitCode).toBe(1);
    expect(only(run.report, 'hang').stack).toBe('../../suites/pytest-import-hang/tests/test_slow_import.py line 2 (<module>)');
    expect(run.report!.runs[0]!.stacks!.text).toContain('test_slow_import.py", line 2');
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 60_000);
});

describeIfPytest7('pytest 7 under xdist (--runner-arg=-n --runner-arg=2)', () => {
  const XDIST = ['--python', PYTHON, '--runner-arg=-n', '--runner-arg=2'];
  // xdist's controller always makes pytest's base temp dir ($TMPDIR/pytest-of-<user>) to give
  // each worker one, and pytest keeps it by design: a TMPDIR of this file's own, removed after.
  const xdistEnv = () => ({ env: { TMPDIR: tempDir('leakhunt-xdist-') } });

  it('names the hog killed inside a worker, repro keeps -n 2, and nothing survives', async () => {
    const run = await runLeakhunt(
      [
        'run',
        `${SELECTIONS}/hog-in-20.txt`,
        '--runner',
        'pytest',
        '--project',
        'test/fixtures/suites/pytest-hog-in-20',
        ...XDIST,
        '--batch-size',
        '20',
        '--memory',
        '200MiB',
        '--timeout',
        '30s',
      ],
      xdistEnv(),
    );
    expect(run.exitCode).toBe(1);
    expect(findingsOf(run.report)).toEqual(['hog: ../../suites/pytest-hog-in-20/tests/test_twenty.py::test_10']);
    expect(only(run.report, 'hog').repro).toContain(
      '/usr/bin/python3 -m pytest --rootdir test/fixtures/suites/pytest-hog-in-20 -n 2 test/fixtures/suites/pytest-hog-in-20/tests/test_twenty.py::test_10',
    );
    // Per-worker records: two xdist workers appended to the batch's one probe file. The
    // "session" lines (the runner's version, written by the controller and each worker, read
    // by src/probe/hunt-probes.ts and skipped by records.ts) are no per-test record; nor are
    // "outcome" lines, which the controller writes too when a worker dies (it reports the
    // crashed test failed), with no worker of its own.
    const lines = readFileSync(join(run.outDir, 'probes', 'b001.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; worker?: string });
    const perTest = lines.filter((l) => l.event === 'start' || l.event === 'phase');
    expect(perTest.length).toBeGreaterThan(0);
    expect(new Set(perTest.map((l) => l.worker))).toEqual(new Set(['gw0', 'gw1']));
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 60_000);

  it("shows a worker's stack, not the controller's, when both workers hang importing a module", async () => {
    const run = await runLeakhunt(
      [
        'run',
        `${SELECTIONS}/import-hang.txt`,
        '--runner',
        'pytest',
        '--project',
        'test/fixtures/suites/pytest-import-hang',
        ...XDIST,
        '--memory',
        '300MiB',
        '--timeout',
        '3s',
        '--grace',
        '1s',
      ],
      xdistEnv(),
    );
    expect(run.exitCode).toBe(1);
    expect(only(run.report, 'hang').stack).toBe('../../suites/pytest-import-hang/tests/test_slow_import.py line 2 (<module>)');
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 60_000);
});
