// Accumulators on real pytest processes through the built CLI (docs/accumulators.md): a
// staircase where 3 of 8 files feed a module registry, and controls that keep nothing
// (a module fixture freed at teardown, cyclic garbage of random size, freed temporaries).
import { describe, expect, it } from '@jest/globals';
import type { Report } from '../../src/report/model.js';
import { findingsOf, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const MIB = 1024 ** 2;
const SELECTIONS = 'test/fixtures/selections/probes';
const SUITE = 'test/fixtures/suites/pytest-staircase';

/** Runs of the batch after its own run: the confirmation's cost. */
function runsAfter(report: Report | undefined, batchIndex: number): number {
  return report?.runs.filter((r) => r.batchIndex === batchIndex && r.kind !== 'batch').length ?? -1;
}

const FEEDERS = [
  '../../suites/pytest-staircase/tests/test_f2.py',
  '../../suites/pytest-staircase/tests/test_f4.py',
  '../../suites/pytest-staircase/tests/test_f7.py',
];

/** A staircase selection hunted under 125 MiB: one accumulator finding naming exactly the 3 feeding files. */
async function huntStaircase(selection: string, batchSize: number) {
  const run = await runLeakhunt([
    'run',
    `${SELECTIONS}/${selection}`,
    '--runner',
    'pytest',
    '--project',
    SUITE,
    '--batch-size',
    String(batchSize),
    '--memory',
    '125MiB',
    '--timeout',
    '60s',
  ]);
  expect(run.exitCode).toBe(1);
  expect(run.report!.findings.map((f) => f.kind)).toEqual(['accumulator']);
  const finding = run.report!.findings[0]!;
  expect([...finding.culprits].sort()).toEqual(FEEDERS);
  return { run, finding };
}

describe('a staircase: 3 of 8 pytest files feed a module registry 8 MiB per test', () => {
  it('is an accumulator naming exactly those files, 8 MiB per test, the registry line, in 2 runs after the batch', async () => {
    const { run, finding } = await huntStaircase('pytest-staircase.txt', 8);
    const facts = finding.accumulation!;
    expect(facts.contributors!.every((c) => c.wholeFile && c.tests.length === 4)).toBe(true);
    expect(facts.slopeBytesPerTest / MIB).toBeGreaterThan(7.5);
    expect(facts.slopeBytesPerTest / MIB).toBeLessThan(8.5);
    expect(facts.explainedShare).toBeGreaterThan(0.8);
    // In the selection's frame like the culprits (the probe spells it from the project).
    expect(facts.leakSites![0]!.site).toBe('../../suites/pytest-staircase/shop/registry.py:6');
    expect(facts.leakSites![0]!.sizeBytes / MIB).toBeGreaterThan(80);
    expect(facts.prefixLength).toBe(finding.reproTests.length);
    expect(runsAfter(run.report, 1)).toBe(2);
    expect(run.stdout).toMatch(/kept by \.\.\/\.\.\/suites\/pytest-staircase\/tests\/test_f\d\.py \(all 4 tests that ran\): 32(\.0)? MiB/);
    expect(run.stdout).toMatch(/allocated at \.\.\/\.\.\/suites\/pytest-staircase\/shop\/registry\.py:6 \+\d+(\.\d+)? MiB in \d+ blocks/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);

  it('warns, without runs, when the same batch passes under a larger budget, with the test count where it would die', async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/pytest-staircase.txt`,
      '--runner',
      'pytest',
      '--project',
      SUITE,
      '--batch-size',
      '8',
      '--memory',
      '400MiB',
      '--timeout',
      '60s',
    ]);
    expect(run.exitCode).toBe(0);
    const finding = run.report!.findings[0]!;
    expect(finding.severity).toBe('warning');
    expect([...finding.culprits].sort()).toEqual([
      '../../suites/pytest-staircase/tests/test_f2.py',
      '../../suites/pytest-staircase/tests/test_f4.py',
      '../../suites/pytest-staircase/tests/test_f7.py',
    ]);
    // ~96 MiB over 32 tests = 3 MiB per test; from a peak near 130 MiB, 400 MiB is ~90 tests on.
    expect(finding.accumulation!.projected).toBe(true);
    expect(finding.accumulation!.budgetCrossedAtTest).toBeGreaterThan(32 + 60);
    expect(finding.accumulation!.budgetCrossedAtTest).toBeLessThan(32 + 120);
    expect(runsAfter(run.report, 1)).toBe(0);
  }, 120_000);
});

describe('the same staircase with a one-off: a test keeps 8 MiB once, only after another test turned a cache on', () => {
  it('names only the 3 feeding files: the one-off keeps nothing alone, and the report says so with the numbers', async () => {
    const { run, finding } = await huntStaircase('pytest-staircase-oneoff.txt', 10);
    const facts = finding.accumulation!;
    expect(facts.contributors!.flatMap((c) => c.tests.map((t) => t.test)).some((t) => t.includes('test_lookup'))).toBe(false);
    // The contributors-alone run measured each again: the files kept about as much, the one-off nothing.
    const recurrence = facts.confirmation!.recurrence!;
    const lookup = recurrence.find((c) => c.contributor === '../../suites/pytest-staircase/tests/test_lookup.py::test_lookup');
    expect(lookup).toMatchObject({ recurred: false });
    expect(lookup!.batchBytes / MIB).toBeGreaterThan(7);
    expect(lookup!.aloneBytes! / MIB).toBeLessThan(1);
    for (const kept of recurrence.filter((c) => c.recurred)) {
      if (kept.aloneBytes !== undefined) expect(kept.aloneBytes).toBeGreaterThan(0.5 * kept.batchBytes);
    }
    expect(finding.because).toMatch(
      /not named, their growth did not recur: \S+test_lookup\.py::test_lookup kept [\d.]+ KiB \(8(\.0)? MiB in the batch\)/,
    );
    // Confirmed in 2 runs; the batch without the 3 files (the one-off's files included) passed.
    expect(runsAfter(run.report, 1)).toBe(2);
    const without = run.report!.runs.find((r) => r.runId === facts.confirmation!.withoutRunId)!;
    expect(without.verdict.outcome).toBe('passed');
    expect(without.tests).toContain('../../suites/pytest-staircase/tests/test_lookup.py');
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);
});

describe('the same staircase with a first import: a test imports a module that builds an 8 MiB table (as numpy does)', () => {
  it('names only the 3 feeding files: the import keeps 8 MiB in every fresh process but nothing when the test runs again', async () => {
    const { run, finding } = await huntStaircase('pytest-staircase-import.txt', 10);
    const recurrence = finding.accumulation!.confirmation!.recurrence!;
    const table = recurrence.find((c) => c.contributor === '../../suites/pytest-staircase/tests/test_table.py::test_reads_the_table');
    // Alone in a fresh process the import keeps its 8 MiB again: only the second run tells.
    expect(table).toMatchObject({ recurred: false });
    expect(table!.aloneBytes! / MIB).toBeGreaterThan(7);
    expect(table!.againBytes! / MIB).toBeLessThan(1);
    expect(finding.because).toMatch(
      /test_table\.py::test_reads_the_table kept 8(\.0)? MiB \(8(\.0)? MiB in the batch\) but [\d.]+ (B|KiB) when run a second time/,
    );
    expect(run.stdout).not.toMatch(/kept by [^\n]*test_table/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);
});

describe('controls that keep nothing', () => {
  it('names nobody: a module fixture freed at teardown, random cyclic garbage, freed 20 MiB temporaries', async () => {
    const run = await runLeakhunt([
      'run',
      `${SELECTIONS}/pytest-controls.txt`,
      '--runner',
      'pytest',
      '--project',
      SUITE,
      '--batch-size',
      '4',
      '--memory',
      '300MiB',
      '--timeout',
      '60s',
    ]);
    expect(run.exitCode).toBe(0);
    expect(findingsOf(run.report)).toEqual([]);
  }, 120_000);
});
