// A hog injected into a real suite nobody here wrote (Debian's packaged networkx tests), hunted
// from a selection of unittest/pytest classes written where a user keeps it: a ci/ folder
// beside the package, so the selection's frame (../networkx/…) differs from the directory
// pytest runs in (the dist-packages folder, above the package). The verdict, the culprit as
// the selection spells it, the run count, and the repro pasted where the user stands.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { corpusSkipReason, useCorpusSuite } from '../helpers/corpus.js';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const TESTS = 'networkx/utils/tests';

const corpus = useCorpusSuite('python3-networkx');

describe('a real suite (Debian python3-networkx) with an injected hog, selected by class from ci/', () => {
  it('names the hog as the selection spells it, in 3 runs, with a repro that works from ci/', async () => {
    const suite = corpus.suite;
    if (suite === undefined) return console.warn(`skipped: ${corpusSkipReason}`);
    // pytest with networkx imported holds ~100 MB here: the hog's 250 MB cannot fit a 200 MB budget.
    await writeFile(
      join(suite.dir, TESTS, 'test_window_cache.py'),
      [
        'import unittest',
        '',
        '',
        'class WindowCacheTests(unittest.TestCase):',
        '    def test_small_window(self):',
        '        self.assertEqual(len(bytearray(1024)), 1024)',
        '',
        '    def test_fill_window(self):',
        '        window = bytearray(250 * 1024 * 1024)  # zero pages are real pages once written:',
        '        window[::4096] = b"x" * len(window[::4096])',
        '        self.assertEqual(window[0], ord("x"))',
        '',
      ].join('\n'),
    );
    const ci = join(suite.dir, 'ci');
    await mkdir(ci);
    await writeFile(
      join(ci, 'classes.txt'),
      [
        `../${TESTS}/test_decorators.py::TestOpenFileDecorator`,
        `../${TESTS}/test_window_cache.py::WindowCacheTests`,
        `../${TESTS}/test_mapped_queue.py::TestMappedQueue`,
        `../${TESTS}/test_decorators.py::TestArgmap`,
        '',
      ].join('\n'),
    );

    const run = await runLeakhunt(['run', 'classes.txt', '--batch-size', '4', '--memory', '200MB', '--timeout', '120s'], { cwd: ci });

    expect(run.exitCode).toBe(1);
    expect(run.report?.runner.projectDir).toBe(suite.dir); // above the package, where pytest imports networkx from
    const culprit = `../${TESTS}/test_window_cache.py::WindowCacheTests::test_fill_window`;
    expect(run.report?.findings.map((f) => [f.kind, f.culprits])).toEqual([['hog', [culprit]]]);
    const [hog] = run.report!.findings;
    expect(hog!.runnerIds).toEqual({ [culprit]: `${TESTS}/test_window_cache.py::WindowCacheTests::test_fill_window` });
    // 3 runs: the batch; the hog alone (named from the batch's per-test records, confirmed
    // once); the rest of the batch without its entry, which passes (nothing else hid there).
    expect(run.report!.runs.map((r) => [r.kind, r.tests.length, r.verdict.outcome])).toEqual([
      ['batch', 4, 'over-memory'],
      ['probe', 1, 'over-memory'],
      ['probe', 3, 'passed'],
    ]);
    expect(run.report!.runs[1]!.tests).toEqual([culprit]);
    expect(run.stdout).toContain(`hog  ${culprit}`);
    expect(hog!.repro).toBe(`python3 -m pytest --rootdir .. ${culprit}`);

    // Pasted in ci/, the repro runs exactly that test (it passes without a memory limit).
    const pasted = await execa('sh', ['-c', hog!.repro], {
      cwd: ci,
      reject: false,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root' },
      extendEnv: false,
    });
    expect(pasted.stdout).toMatch(/\b1 passed\b/);
    expect(pasted.exitCode).toBe(0);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 600_000);
});
