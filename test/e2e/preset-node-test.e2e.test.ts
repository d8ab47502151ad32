// The node:test preset on the bundled vitest suite (test/examples/vitest), through the built
// CLI: a real 400 MB hog, a real `sleep 1000` hang, a polluter that leaves a file behind, and
// a module registry keeping 4 MiB per test. Detected from the suite's package.json; per-test
// ids are "file > describe > name"; the forks pool (the suite's config) and the threads pool
// (--runner-arg=--pool=threads) both run under the probe.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Report, ReportedFinding } from '../../src/report/model.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const MIB = 1024 ** 2;

function only(report: Report | undefined, kind: string): ReportedFinding {
  const found = report?.findings.filter((f) => f.kind === kind) ?? [];
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('node:test preset', () => {
  it('finds the hog, the polluter, the hang and the accumulator of the example suite', async () => {
    const run = await runLeakhunt(
      ['run', 'selections/example-node-test.txt', '--batch-size', '2', '--memory', '300MB', '--timeout', '15s'],
      { timeoutMs: 240_000 },
    );
    expect(run.exitCode).toBe(1);
    expect(run.report?.runner.name).toBe('node-test'); // detected: the suite's package.json runs node --test
    expect(run.report?.runner.version).toMatch(/^node:test \(node \d+\./);
    expect(only(run.report, 'hog').culprits).toEqual(['../test/examples/node-test/tests/export.test.js > exports the full order history']);
    const polluter = only(run.report, 'polluter');
    expect(polluter.culprits).toEqual(['../test/examples/node-test/tests/locale.test.js']);
    expect(polluter.repro).toContain('tests/locale.test.js tests/receipts.test.js');
    expect(only(run.report, 'hang').culprits).toEqual([
      '../test/examples/node-test/tests/sync.test.js > syncs the catalogue with the warehouse',
    ]);
    const accumulator = only(run.report, 'accumulator');
    // A file whose every test keeps memory is named as the file (docs/accumulators.md).
    expect(
      accumulator.culprits.every(
        (test) =>
          test === '../test/examples/node-test/tests/registry.test.js' ||
          test.startsWith('../test/examples/node-test/tests/registry.test.js > registers collector '),
      ),
    ).toBe(true);
    expect(accumulator.accumulation!.slopeBytesPerTest / MIB).toBeGreaterThan(3.2);
    expect(accumulator.accumulation!.slopeBytesPerTest / MIB).toBeLessThan(4.8);
    // Nothing else is blamed: cart and prices passed in their batches.
    expect(run.report?.findings).toHaveLength(4);
    // node:test gives each file's child the parent's inspector port + 1: a probe that set
    // --inspect-port=0 made every child die at start with this line (src/probe/attach.ts).
    const logs = readdirSync(join(run.outDir, 'logs')).map((name) => readFileSync(join(run.outDir, 'logs', name), 'utf8'));
    expect(logs.filter((log) => log.includes('must be 0 or in range 1024 to 65535'))).toEqual([]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);

  it("keeps the selection's order of files (node --test would sort them)", async () => {
    const run = await runLeakhunt(
      [
        'run',
        'selections/example-node-test.txt',
        '--batch-size',
        '2',
        '--memory',
        '300MB',
        '--timeout',
        '15s',
        '--no-bisect',
        '--shuffle',
        '--seed',
        '7',
      ],
      { timeoutMs: 240_000 },
    );
    for (const batch of run.report?.batches ?? []) {
      const record = run.report?.runs.find((r) => r.batchIndex === batch.index && r.kind === 'batch');
      const files = [...new Set(record?.perTest?.map((test) => test.test.split(' > ')[0]!))];
      // The files the probe saw start, in that order, are the batch's tests in the plan's order.
      expect(files).toEqual(batch.tests.filter((test) => files.includes(test)));
      expect(files[0]).toBe(batch.tests[0]);
    }
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
