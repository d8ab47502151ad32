// A conftest.py that every test file loads needs more than the budget: every file dies alone
// before its first test. leakhunt's floor (pytest with no test file) cannot see it, and halving
// used to end by naming each file a hog (3 innocents). It must name nobody and say why.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

it('names no test when what every file loads (a heavy conftest.py) is over the budget', async () => {
  const root = tempDir('leakhunt-shared-load-');
  mkdirSync(join(root, 'tests'));
  writeFileSync(join(root, 'pytest.ini'), '[pytest]\n');
  // Stands for a heavy import every test needs (a framework, a model): 60 MiB, touched.
  writeFileSync(
    join(root, 'tests', 'conftest.py'),
    'BIG = bytearray(60 * 1024 * 1024)\nfor i in range(0, len(BIG), 4096):\n    BIG[i] = 1\n',
  );
  for (const name of ['a', 'b', 'c']) writeFileSync(join(root, 'tests', `test_${name}.py`), `def test_${name}():\n    assert True\n`);
  writeFileSync(join(root, 'sel.txt'), 'tests/test_a.py\ntests/test_b.py\ntests/test_c.py\n');

  // 76 MiB: above pytest's own floor (~31 MiB + 25%), below pytest + the conftest (~91 MiB).
  const run = await runLeakhunt(['run', 'sel.txt', '--batch-size', '3', '--memory', '80MB', '--timeout', '30s'], { cwd: root });

  expect(run.exitCode).toBe(1);
  expect(run.report?.findings).toEqual([expect.objectContaining({ kind: 'unresolved', culprits: [] })]);
  expect(run.report?.findings[0]?.because).toMatch(
    /3 entries each died over-memory alone before their first test started, and so did the batch/,
  );
  expect(run.report?.findings[0]?.reproNote).toMatch(/dies only under a memory limit/);
  // The progress printed each hog as the hunt found it; it says they were taken back.
  expect(run.stderr).toContain('batch 1: every entry died alone before its first test started: not hogs');
  expect(survivorsOf(run.pid)).toEqual([]);
}, 120_000);
