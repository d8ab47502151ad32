// Debian's toolz ships its tests as a plain folder inside the package (toolz/tests/, no
// __init__.py) whose files `import toolz`. A user in dist-packages runs them with
// `python3 -m pytest toolz/tests` and all pass. leakhunt used to run pytest from toolz/tests
// (the tests' common folder), where `import toolz` fails: every file was reported as a
// failing test (11 findings, 24 runs) on a suite that has none.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { corpusSkipReason, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const corpus = useCorpusSuite('python3-toolz');

describe('a real suite whose tests are a plain folder inside the package (Debian python3-toolz)', () => {
  it('runs where the package imports: passes in one run and names nobody', async () => {
    const suite = corpus.suite;
    if (suite === undefined) {
      console.warn(`skipped: ${corpusSkipReason}`);
      return;
    }
    const selection = join(suite.dir, 'selection.txt');
    await writeFile(selection, 'toolz/tests/test_*.py\n');
    const run = await runLeakhunt(['run', selection, '--memory', '400MB', '--timeout', '60s'], { cwd: suite.dir });

    expect(run.stderr).not.toMatch(/^(leakhunt|warning):/m);
    expect(run.exitCode).toBe(0);
    expect(run.report?.findings).toEqual([]);
    expect(run.report?.runs).toHaveLength(1);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
