// The vitest preset on the bundled vitest suite (test/examples/vitest), through the built
// CLI: a real 400 MB hog, a real `sleep 1000` hang, a polluter that leaves a file behind, and
// a module registry keeping 4 MiB per test. Detected from the suite's package.json; per-test
// ids are "file > describe > name"; the forks pool (the suite's config) and the threads pool
// (--runner-arg=--pool=threads) both run under the probe.
import { describe, expect, it } from '@jest/globals';
import type { Report, ReportedFinding } from '../../src/report/model.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const MIB = 1024 ** 2;

function only(report: Report | undefined, kind: string): ReportedFinding {
  const found = report?.findings.filter((f) => f.kind === kind) ?? [];
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('vitest preset', () => {
  it('finds the hog, the polluter, the hang and the accumulator of the example suite (forks pool)', async () => {
    const run = await runLeakhunt(['run', 'selections/example-vitest.txt', '--batch-size', '2', '--memory', '300MB', '--timeout', '15s'], {
      timeoutMs: 240_000,
    });
    expect(run.exitCode).toBe(1);
    expect(run.report?.runner.name).toBe('vitest'); // detected: the suite's package.json runs vitest
    expect(run.report?.runner.version).toMatch(/^vitest \d+\./);
    expect(only(run.report, 'hog').culprits).toEqual([
      '../test/examples/vitest/tests/export.test.js > export > exports the full order history',
    ]);
    // Its file's first test in a fresh fork, killed before its phase line: what it grew from is
    // its start line's RSS, not 0 (QA pass 4 on unjs/ufo: "grew the process tree by 286 MiB
    // (100% of the 286 MiB budget)", which no test of a runner holding 60 MiB can do).
    expect(only(run.report, 'hog').because).toMatch(/on top of the \d+ MiB already in use when it started/);
    expect(only(run.report, 'hog').because).not.toMatch(/\(100% of the/);
    const polluter = only(run.report, 'polluter');
    expect(polluter.culprits).toEqual(['../test/examples/vitest/tests/locale.test.js']);
    expect(polluter.repro).toContain('tests/locale.test.js tests/receipts.test.js');
    expect(only(run.report, 'hang').culprits).toEqual([
      '../test/examples/vitest/tests/sync.test.js > sync > syncs the catalogue with the warehouse',
    ]);
    const accumulator = only(run.report, 'accumulator');
    // A file whose every test keeps memory is named as the file (docs/accumulators.md).
    expect(
      accumulator.culprits.every(
        (test) =>
          test === '../test/examples/vitest/tests/registry.test.js' ||
          test.startsWith('../test/examples/vitest/tests/registry.test.js > metrics registry > registers collector '),
      ),
    ).toBe(true);
    expect(accumulator.accumulation!.slopeBytesPerTest / MIB).toBeGreaterThan(3.2);
    expect(accumulator.accumulation!.slopeBytesPerTest / MIB).toBeLessThan(4.8);
    // Nothing else is blamed: cart and prices passed in their batches.
    expect(run.report?.findings).toHaveLength(4);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);

  it('runs the threads pool (--runner-arg=--pool=threads) with per-test records, batches dying as in forks', async () => {
    const run = await runLeakhunt(
      [
        'run',
        'selections/example-vitest.txt',
        '--batch-size',
        '2',
        '--memory',
        '300MB',
        '--timeout',
        '15s',
        '--runner-arg=--pool=threads',
        '--no-bisect',
      ],
      { timeoutMs: 240_000 },
    );
    expect(run.exitCode).toBe(1);
    const outcomes = run.report?.batches.map((batch) => batch.verdict?.outcome);
    expect(outcomes).toEqual(['over-memory', 'failed', 'timeout', 'over-memory']);
    const perTest = run.report?.runs.find((r) => r.batchIndex === 2)?.perTest?.map((record) => record.test);
    expect(perTest).toEqual([
      '../test/examples/vitest/tests/locale.test.js > locale > switches the shop to German',
      '../test/examples/vitest/tests/receipts.test.js > receipts > prints the total in English',
    ]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
