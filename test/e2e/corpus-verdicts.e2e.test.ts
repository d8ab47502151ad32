// Verdicts on a real suite nobody here wrote (Debian's packaged networkx tests), each with one
// injected fault: the exact verdict, the tests it names, and what it cost in runs, compared
// with what detect-test-pollution (counted by its algorithm, test/helpers/detect-test-pollution.ts)
// or the naive sweep would need on the same suite. docs/verdicts.md explains each verdict.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { corpusSkipReason, corpusSuite, type CorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf, type LeakhuntRun } from '../helpers/run-leakhunt.js';

const TESTS = 'networkx/utils/tests';
/** Small real files of the suite (~10 s per run here, most of it importing networkx). */
const REAL_FILES = ['test_heaps.py', 'test_misc.py', 'test_unionfind.py', 'test_decorators.py', 'test_mapped_queue.py', 'test_rcm.py'].map((f) => `${TESTS}/${f}`);

let suite: CorpusSuite | undefined;
beforeAll(async () => { suite = await corpusSuite('python3-networkx'); }, 600_000);
afterAll(async () => { await suite?.remove(); });

async function hunt(dir: string, name: string, entries: readonly string[], extra: readonly string[] = []): Promise<LeakhuntRun> {
  const selection = join(dir, `${name}.txt`);
  await writeFile(selection, `${entries.join('\n')}\n`);
  return runLeakhunt(['run', selection, '--runner', 'pytest', '--batch-size', String(entries.length), '--memory', '400MB', '--timeout', '60s', ...extra], { cwd: dir });
}

/** Runs made after the batch run: confirmations and probes. */
function runsAfterBatch(run: LeakhuntRun): number {
  return (run.report?.runs ?? []).filter((record) => record.kind !== 'batch').length;
}

describe('a real suite (Debian python3-networkx) with one injected fault', () => {
  it('a test that fails its first two executions, first in its batch, is flaky: named, no culprit, 3 runs', async () => {
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    await writeFile(join(suite.dir, TESTS, 'test_aa_flaky.py'), [
      'import os',
      'COUNTER = os.path.join(os.path.dirname(__file__), "flaky-count.txt")',
      'def test_flaky_first():',
      '    count = int(open(COUNTER).read()) if os.path.exists(COUNTER) else 0',
      '    open(COUNTER, "w").write(str(count + 1))',
      '    assert count >= 2, f"execution {count + 1}: fails on its first two executions"',
      '',
    ].join('\n'));
    const run = await hunt(suite.dir, 'flaky', [`${TESTS}/test_aa_flaky.py`, ...REAL_FILES]);

    expect(run.report?.findings).toEqual([expect.objectContaining({
      kind: 'flaky', culprits: [], confidence: 'reproduced 2 of 4 runs',
      signature: expect.objectContaining({ failingTest: expect.stringMatching(/test_aa_flaky\.py::test_flaky_first$/) }),
    })]);
    // The confirmation (fails: 2nd execution), the same collection with the others deselected,
    // then alone: 3 runs after the batch. The old hunt bisected 6 innocent files and named 2.
    expect(runsAfterBatch(run)).toBe(3);
    expect(run.report?.runs.find((record) => record.deselect !== undefined)?.deselect).toEqual(REAL_FILES.map((f) => expect.stringContaining(f.slice(9))));
    expect(run.stdout).toMatch(/✗ flaky {2}.*test_flaky_first/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
