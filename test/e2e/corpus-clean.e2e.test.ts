// A real suite nobody here wrote (Debian's packaged simplejson tests), with nothing injected:
// every batch passes and leakhunt names no test. The first thing a diagnosis tool owes a user
// is not to accuse an innocent test.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { corpusSkipReason, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const corpus = useCorpusSuite('python3-simplejson');

describe('a clean real suite (Debian python3-simplejson tests)', () => {
  it('passes in every batch and names no culprit', async () => {
    const suite = corpus.suite;
    if (suite === undefined) {
      console.warn(`skipped: ${corpusSkipReason}`);
      return;
    }
    const selection = join(suite.dir, 'selection.txt');
    await writeFile(selection, 'simplejson/tests/test_*.py\n');
    const run = await runLeakhunt(['run', selection, '--runner', 'pytest', '--batch-size', '8', '--memory', '400MB', '--timeout', '60s'], {
      cwd: suite.dir,
    });

    expect(run.stderr).not.toMatch(/^(leakhunt|warning):/m); // no error or warning line (a test file may be named test_errors.py)
    expect(run.exitCode).toBe(0);
    expect(run.report?.findings).toEqual([]);
    expect(run.report?.batches.every((batch) => batch.verdict?.outcome === 'passed')).toBe(true);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 300_000);
});
