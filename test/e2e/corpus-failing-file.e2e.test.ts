// A real suite nobody here wrote (Debian's packaged simplejson tests) with one injected file
// whose three tests fail wherever they run (a missing configuration). The user listed files,
// so the file is the answer: one `failing` finding naming it, from the runs that showed it
// alone — not one hunt and one identical finding per failing test inside it.

import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { corpusSkipReason, SIMPLEJSON_TESTS, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const TESTS = SIMPLEJSON_TESTS;
const REAL_FILES = [
  'test_bigint_as_string.py',
  'test_check_circular.py',
  'test_decimal.py',
  'test_default.py',
  'test_errors.py',
  'test_float.py',
].map((file) => `${TESTS}/${file}`);
const BROKEN = `${TESTS}/test_qa_needs_config.py`;

const corpus = useCorpusSuite('python3-simplejson');

describe('a real suite (Debian python3-simplejson) with a file whose 3 tests fail on their own', () => {
  it('is one failing finding naming the file, with a repro that fails from where the user stands', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    const tests = ['reads', 'writes', 'lists'].map(
      (verb) => `def test_${verb}_the_config():\n    import os\n    assert os.environ.get("QA_CONFIG_DIR"), "QA_CONFIG_DIR is not set"\n`,
    );
    await writeFile(join(suite.dir, BROKEN), tests.join('\n'));
    const entries = [...REAL_FILES.slice(0, 3), BROKEN, ...REAL_FILES.slice(3)];
    const selection = join(suite.dir, 'selection.txt');
    await writeFile(selection, `${entries.join('\n')}\n`);
    const run = await runLeakhunt(['run', selection, '--batch-size', String(entries.length), '--memory', '400MB', '--timeout', '60s'], {
      cwd: suite.dir,
    });

    expect(run.exitCode).toBe(1);
    expect(run.report?.findings).toEqual([expect.objectContaining({ kind: 'failing', culprits: [BROKEN] })]);
    expect(run.report?.findings[0]?.because).toMatch(/3 tests failed/);
    // The batch, its confirmation, halving to the file and its verification: no run per extra failing test.
    expect(run.report?.runs.length).toBeLessThanOrEqual(1 + 1 + 2 * Math.ceil(Math.log2(entries.length)) + 1);
    const repro = run.report?.findings[0]?.repro ?? '';
    expect(repro).toContain(BROKEN);
    const pasted = spawnSync('bash', ['-c', repro], { cwd: suite.dir, encoding: 'utf8', timeout: 120_000 });
    expect(pasted.status).toBe(1);
    expect(pasted.stdout).toMatch(/3 failed/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
