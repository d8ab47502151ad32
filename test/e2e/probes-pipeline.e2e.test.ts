// Per-test probes wired into real hunts: the built CLI on real suites, real budgets, real
// kills. Checks that the records name what bisection used to find with several runs, and
// what a batch run alone cannot show (an accumulator's slope, a hang's stack, leftovers).

import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readProbeFile } from '../../src/probe/records.js';
import type { Report, ReportedFinding } from '../../src/report/model.js';
import { commandOf } from '../helpers/processes.js';
import { findingsOf, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const MIB = 1024 ** 2;
const SELECTIONS = 'test/fixtures/selections/probes';

function only(report: Report | undefined, kind: string): ReportedFinding {
  const found = report?.findings.filter((f) => f.kind === kind) ?? [];
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Runs of the batch made after the batch run itself (probe or confirm). */
function extraRuns(report: Report | undefined, batchIndex: number): number {
  return report?.runs.filter((r) => r.batchIndex === batchIndex && r.kind !== 'batch').length ?? -1;
}

// The planted truth: the batch's first test starts at base (its RSS before, from the batch
// run's own probe file) and each test keeps 4 MiB; the first prefix that reaches the budget
// is the smallest k with base + k·4 MiB ≥ budget. The tree also holds page cache and the
// runner's own memory, hence ±1.
async function truePrefix(report: Report, outDir: string, budgetBytes: number): Promise<number> {
  const records = await readProbeFile(join(outDir, 'probes', `${report.runs[0]!.runId}.jsonl`));
  const base = records[0]!.rssBeforeBytes;
  return Math.ceil((budgetBytes - base) / (4 * MIB));
}

describe('probes in a real hunt', () => {
  it('calls a pytest batch that keeps 4 MiB per test an accumulator, with its slope and smallest failing prefix', async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/pytest-slow-leak.txt`,
      '--runner',
      'pytest',
      '--project',
      'test/fixtures/suites/pytest-slow-leak',
      '--batch-size',
      '1',
      '--memory',
      '150MiB',
      '--timeout',
      '30s',
    ]);
    expect(run.exitCode).toBe(1);
    const finding = only(run.report, 'accumulator');
    expect(finding.accumulation!.slopeBytesPerTest).toBeGreaterThan(0.8 * 4 * MIB);
    expect(finding.accumulation!.slopeBytesPerTest).toBeLessThan(1.2 * 4 * MIB);
    const prefix = finding.accumulation!.prefixLength!;
    // The planted truth, ±1 on an idle machine; page cache and the runner's own memory move
    // with the machine's load, and a loaded 2-core CI machine has seen it off by 2.
    const expected = await truePrefix(run.report!, run.outDir, 150 * MIB);
    expect(Math.abs(prefix - expected)).toBeLessThanOrEqual(2);
    expect(finding.reproTests).toHaveLength(prefix);
    expect(finding.because).toMatch(/\d+ tests? in \d+ files? kept ~\d+(\.\d+)? MiB each, \d+% of the batch.s retained growth/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 90_000);

  it('calls a jest file whose module array grows 4 MiB per test an accumulator, runs its prefixes by name', async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/jest-slow-leak.txt`,
      '--runner',
      'jest',
      '--project',
      'test/fixtures/suites/jest-slow-leak',
      '--batch-size',
      '1',
      '--memory',
      '150MiB',
      '--timeout',
      '40s',
    ]);
    expect(run.exitCode).toBe(1);
    const finding = only(run.report, 'accumulator');
    expect(finding.accumulation!.slopeBytesPerTest).toBeGreaterThan(0.8 * 4 * MIB);
    expect(finding.accumulation!.slopeBytesPerTest).toBeLessThan(1.2 * 4 * MIB);
    // jest's tree holds node, jest's module cache and file pages the cgroup charges: RSS
    // says little about where 150 MiB is crossed. The batch run itself says it: it died
    // during its n-th test (the probe's one unfinished record), so the prefix is n (±1).
    const records = await readProbeFile(join(run.outDir, 'probes', 'b001.jsonl'));
    const expected = records.findIndex((r) => !r.finished) + 1;
    expect(expected).toBeGreaterThan(5);
    expect(Math.abs(finding.accumulation!.prefixLength! - expected)).toBeLessThanOrEqual(1);
    expect(finding.repro).toMatch(/--testNamePattern/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);

  it('names the hog of a batch of 20 from the records and confirms it in at most 2 extra runs', async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/hog-in-20.txt`,
      '--runner',
      'pytest',
      '--project',
      'test/fixtures/suites/pytest-hog-in-20',
      '--batch-size',
      '20',
      '--memory',
      '160MiB',
      '--timeout',
      '30s',
    ]);
    expect(run.exitCode).toBe(1);
    expect(findingsOf(run.report)).toEqual(['hog: ../../suites/pytest-hog-in-20/tests/test_twenty.py::test_10']);
    expect(only(run.report, 'hog').because).toMatch(/named from the per-test records/);
    expect(extraRuns(run.report, 1)).toBeLessThanOrEqual(2);
  }, 90_000);

  it('shows where a test module hangs at import time', async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/import-hang.txt`,
      '--runner',
      'pytest',
      '--project',
      'test/fixtures/suites/pytest-import-hang',
      '--memory',
      '300MiB',
      '--timeout',
      '3s',
      '--grace',
      '1s',
    ]);
    expect(run.exitCode).toBe(1);
    const hang = only(run.report, 'hang');
    expect(hang.stack).toBe('../../suites/pytest-import-hang/tests/test_slow_import.py line 2 (<module>)');
    expect(hang.because).toContain('hung in ../../suites/pytest-import-hang/tests/test_slow_import.py line 2');
    expect(run.report!.runs[0]!.stacks!.text).toContain('test_slow_import.py", line 2');
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 90_000);

  it('lists a test that leaves a sleep 1000 behind, and nothing survives the hunt', async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/leaves-child.txt`,
      '--runner',
      'pytest',
      '--project',
      'test/fixtures/suites/pytest-leaves-child',
      '--memory',
      '300MiB',
      '--timeout',
      '20s',
    ]);
    const left = run.report!.runs[0]!.leftovers ?? [];
    expect(left.map((l) => `${l.test}: ${l.command}`)).toEqual([
      '../../suites/pytest-leaves-child/tests/test_children.py::test_starts_a_sleeper_and_forgets_it: sleep 1000',
    ]);
    expect(run.stdout).toContain(
      '../../suites/pytest-leaves-child/tests/test_children.py::test_starts_a_sleeper_and_forgets_it left 1 process behind: sleep 1000',
    );
    expect(commandOf(left[0]!.pid)).not.toMatch(/^sleep/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 60_000);
});

describe('npm start on the bundled pytest example', () => {
  it('names the hog and the hang from the records, the slow leak as an accumulator, and exits 1', async () => {
    const run = await runLeakhunt(['run', 'selections/example-pytest.txt', '--batch-size', '3', '--memory', '300MB', '--timeout', '8s']);
    expect(run.exitCode).toBe(1);
    const kinds = new Set(run.report!.findings.map((f) => f.kind));
    expect(kinds).toEqual(new Set(['hog', 'hang', 'accumulator']));
    expect(only(run.report, 'hog').culprits).toEqual(['../test/examples/pytest/tests/test_reports.py::test_export_full_history']);
    expect(only(run.report, 'hang').culprits).toEqual(['../test/examples/pytest/tests/test_sync.py::test_sync_with_exchange']);
    expect(only(run.report, 'hang').stack).toMatch(
      /^\.\.\/test\/examples\/pytest\/tests\/test_sync\.py line \d+ \(test_sync_with_exchange\) → subprocess\.run$/,
    );
    const accumulator = only(run.report, 'accumulator');
    // test_refund_order builds a Metrics too (100 collectors, ~4 MB kept): named beside the file.
    expect(accumulator.culprits[0]).toBe('../test/examples/pytest/tests/test_metrics_export.py');
    expect(
      accumulator.culprits.every(
        (t) =>
          t.startsWith('../test/examples/pytest/tests/test_metrics_export.py') ||
          t === '../test/examples/pytest/tests/test_orders.py::test_refund_order',
      ),
    ).toBe(true);
    expect(accumulator.accumulation!.slopeBytesPerTest / MIB).toBeGreaterThan(16);
    expect(accumulator.accumulation!.slopeBytesPerTest / MIB).toBeLessThan(24);
    expect(run.stdout).toContain(
      '../test/examples/pytest/tests/test_notifications.py::test_webhook_worker_starts left 1 process behind: sleep 20',
    );
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);
});
