// Accumulators under real jest through the built CLI (docs/accumulators.md): a shop library
// of 34 test files run with coverage on, where 3 files feed a metrics registry that outlives
// them (an unref'd flush timer keeps it), and jest's own per-file load and release (0.8–3.5
// MiB a file with coverage) is of the size of what each registry test keeps (3–8 MiB).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Report } from '../../src/report/model.js';
import { REPO, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const MIB = 1024 ** 2;
const SELECTIONS = 'test/fixtures/selections/probes';
const COVERAGE_SUITE = 'test/fixtures/suites/jest-coverage-staircase';
const IN_SELECTION = '../../suites/jest-coverage-staircase';

/** Runs of the batch after its own run: the confirmation's cost. */
function runsAfter(report: Report | undefined, batchIndex: number): number {
  return report?.runs.filter((r) => r.batchIndex === batchIndex && r.kind !== 'batch').length ?? -1;
}

/** The 1-based line of `text` in a fixture file: the assertion follows the fixture if it is edited. */
function lineOf(file: string, text: string): number {
  return (
    readFileSync(join(REPO, file), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  );
}

describe('jest with coverage: 3 of 34 files feed a registry that outlives them', () => {
  it('is an accumulator naming exactly those files and the registry function, in 2 runs after the batch', async () => {
    const run = await runLeakhunt(
      [
        'run',
        `${SELECTIONS}/jest-coverage-staircase.txt`,
        '--runner',
        'jest',
        '--project',
        COVERAGE_SUITE,
        '--memory',
        '135MiB',
        '--timeout',
        '90s',
      ],
      { timeoutMs: 240_000 },
    );
    expect(run.exitCode).toBe(1);
    expect(run.report!.findings.map((f) => f.kind)).toEqual(['accumulator']);
    const finding = run.report!.findings[0]!;
    const feeders = ['orders-import', 'orders-place', 'orders-regions'].map((name) => `${IN_SELECTION}/tests/${name}.test.js`);
    const facts = finding.accumulation!;
    expect(facts.contributors!.map((c) => c.file).sort()).toEqual(feeders);
    // Each culprit is a feeder file, or a test of one: a file's first test can read up to
    // ~3 MiB low when jest releases the previous file's environment late (a loaded machine),
    // and then its file is named by the tests that kept memory (docs/accumulators.md).
    expect(finding.culprits.every((culprit) => feeders.some((file) => culprit === file || culprit.startsWith(`${file} > `)))).toBe(true);
    // Each feeder is named whole, or by at least 3 of its tests (all but a first one that read
    // low): on an idle run 2 of the 3 were named by their tests, so no count of whole files is asserted.
    expect(facts.contributors!.every((c) => c.wholeFile || c.tests.length >= 3)).toBe(true);
    expect(facts.slopeBytesPerTest / MIB).toBeGreaterThan(3.5);
    expect(facts.slopeBytesPerTest / MIB).toBeLessThan(7);
    expect(facts.explainedShare).toBeGreaterThan(0.8);
    // The line that leaks: V8 names the allocating function; the line is where it starts in
    // the user's file (the source map undoes coverage instrumentation, which moved it to 373).
    const registry = facts.leakSites![0]!;
    expect(registry.site).toBe(`${IN_SELECTION}/src/metrics.js:${lineOf(`${COVERAGE_SUITE}/src/metrics.js`, 'function observe(')}`);
    expect(registry.function).toBe('observe');
    expect(registry.sampled).toBe(true);
    expect(registry.sizeBytes / MIB).toBeGreaterThan(15);
    expect(facts.leakSites!.every((s) => !s.site.includes('node_modules'))).toBe(true);
    expect(runsAfter(run.report, 1)).toBe(2);
    expect(run.stdout).toMatch(
      /allocated at \.\.\/\.\.\/suites\/jest-coverage-staircase\/src\/metrics\.js:\d+ \+\d+(\.\d+)? MiB by observe\(\) \(V8 sampling\)/,
    );
    const markdown = readFileSync(join(run.outDir, 'leakhunt-report.md'), 'utf8');
    expect(markdown).toContain(`allocated at \`${registry.site} +`);
    const html = readFileSync(join(run.outDir, 'leakhunt-report.html'), 'utf8');
    expect(html).toContain(`${registry.site} +`);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});

describe('jest shapes that are not accumulators', () => {
  it('names nobody when tables built in beforeAll are dropped in afterAll, and tests make cyclic garbage and temporaries', async () => {
    const run = await runLeakhunt([
      'run',
      'test/fixtures/suites/jest-controls/selection.txt',
      '--runner',
      'jest',
      '--project',
      'test/fixtures/suites/jest-controls',
      '--memory',
      '300MiB',
      '--timeout',
      '60s',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.report!.findings).toEqual([]);
    expect(run.report!.runs).toHaveLength(1);
    // The tables (+18 and +24 MiB) are built by beforeAll hooks: the file's baseline is taken
    // after them, so no first test carries them.
    const records = run.report!.runs[0]!.perTest ?? [];
    expect(records.length).toBe(18);
    expect(Math.max(...records.map((r) => r.retainedBytes ?? 0)) / MIB).toBeLessThan(2);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);

  it('calls one test that keeps 120 MiB a hog, not an accumulator', async () => {
    const run = await runLeakhunt([
      'run',
      'test/fixtures/suites/jest-hog-in-20/selection.txt',
      '--runner',
      'jest',
      '--project',
      'test/fixtures/suites/jest-hog-in-20',
      '--memory',
      '150MiB',
      '--timeout',
      '60s',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.report!.findings.map((f) => f.kind)).toEqual(['hog']);
    const [culprit] = run.report!.findings[0]!.culprits;
    expect(culprit === 'tests/part3.test.js' || culprit === 'tests/part3.test.js > loads the whole catalogue into memory').toBe(true);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);
});
