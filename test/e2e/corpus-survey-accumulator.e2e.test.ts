// Survey mode (the default: no --batch-size) on a real suite nobody here wrote (Debian's
// packaged simplejson tests) with a module-level registry that 2 of 10 files feed, under a
// budget it does not reach yet. A batch of the user's size warns about such a batch; the
// survey must too, with the same evidence, naming exactly the files that keep memory — the
// seeds' leak caught before it kills CI, at no extra run.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { corpusSkipReason, SIMPLEJSON_TESTS, simplejsonFeeder, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const TESTS = SIMPLEJSON_TESTS;
// Real files that keep nothing per test (left out: test_dump.py, whose test_accumulator keeps a
// one-off ~2 MiB — corpus-oneoff-accumulator.e2e.test.ts covers it — and test_tool.py, which starts subprocesses).
const REAL_FILES = [
  'test_bigint_as_string.py',
  'test_check_circular.py',
  'test_decimal.py',
  'test_decode.py',
  'test_default.py',
  'test_errors.py',
  'test_fail.py',
  'test_float.py',
].map((file) => `${TESTS}/${file}`);

const corpus = useCorpusSuite('python3-simplejson');

describe('survey mode on a real suite (Debian python3-simplejson) with a registry that 2 of 10 files feed', () => {
  it('passes, and warns of an accumulator naming exactly the 2 files, in the one survey run', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    await writeFile(
      join(suite.dir, TESTS, 'qa_registry.py'),
      'REGISTRY = []\n\ndef register(collector):\n    REGISTRY.append(collector)\n',
    );
    await writeFile(join(suite.dir, TESTS, 'test_qa_metrics_a.py'), simplejsonFeeder('qa_registry.register', `test_a_registers_collector`));
    await writeFile(join(suite.dir, TESTS, 'test_qa_metrics_b.py'), simplejsonFeeder('qa_registry.register', `test_b_registers_collector`));
    const feeders = [`${TESTS}/test_qa_metrics_a.py`, `${TESTS}/test_qa_metrics_b.py`];
    const selection = join(suite.dir, 'selection.txt');
    await writeFile(
      selection,
      `${[...REAL_FILES.slice(0, 3), feeders[0], ...REAL_FILES.slice(3, 6), feeders[1], ...REAL_FILES.slice(6)].join('\n')}\n`,
    );
    // Default --jobs: one survey process whatever the machine's cores.
    const run = await runLeakhunt(['run', selection, '--memory', '400MB', '--timeout', '90s'], { cwd: suite.dir });

    expect(run.exitCode).toBe(0);
    expect(run.report?.batches.map((batch) => batch.verdict?.outcome)).toEqual(['passed']);
    expect(run.report?.runs).toHaveLength(1);
    expect(run.report?.findings).toEqual([expect.objectContaining({ kind: 'accumulator', severity: 'warning' })]);
    expect([...(run.report?.findings[0]?.culprits ?? [])].sort()).toEqual(feeders); // ranked by share: either order
    const contributors = run.report?.findings[0]?.accumulation?.contributors ?? [];
    expect(contributors.map((contributor) => contributor.file).sort()).toEqual(feeders);
    expect(run.stdout).toMatch(/warning: accumulator/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
