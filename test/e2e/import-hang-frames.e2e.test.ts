// A module that hangs at import, hunted the way a user with a Debian-packaged suite does:
// the selection lives in its own folder (its ids are `../dist-packages/…`, the runner's
// `pkg/tests/…`), and the project itself sits under a `dist-packages/` folder. The batch's
// stack dump must still name the file (2 runs after the batch, not halving with a full
// timeout per trial) and say where it hung, in the user's spelling.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

function writeSuite(root: string): void {
  const tests = join(root, 'dist-packages', 'pkg', 'tests');
  mkdirSync(tests, { recursive: true });
  writeFileSync(join(root, 'dist-packages', 'pkg', '__init__.py'), '');
  writeFileSync(join(tests, '__init__.py'), '');
  writeFileSync(join(tests, 'test_a.py'), 'def test_a():\n    assert True\n');
  writeFileSync(join(tests, 'test_slow_import.py'), 'import time\ntime.sleep(10**6)  # hangs at import\n\ndef test_never():\n    pass\n');
  writeFileSync(join(tests, 'test_b.py'), 'def test_b():\n    assert True\n');
  mkdirSync(join(root, 'sel'));
  const entries = ['test_a.py', 'test_slow_import.py', 'test_b.py'].map((file) => `../dist-packages/pkg/tests/${file}`);
  writeFileSync(join(root, 'sel', 'hang.txt'), `${entries.join('\n')}\n`);
}

it('names a module hanging at import from the stack when the selection sits outside a dist-packages project', async () => {
  const root = tempDir('leakhunt-import-frames-');
  writeSuite(root);
  const run = await runLeakhunt(
    [
      'run',
      'sel/hang.txt',
      '--runner',
      'pytest',
      '--project',
      'dist-packages',
      '--batch-size',
      '3',
      '--memory',
      '300MiB',
      '--timeout',
      // Passing files must end well within it on a loaded CI machine (a fresh-clone run at
      // load 22 saw test_a + test_b's pytest take over 4 s in 3 of 5 runs: flaky, not the hang).
      '12s',
      '--grace',
      '1s',
    ],
    { cwd: root },
  );

  expect(run.exitCode).toBe(1);
  expect(run.report?.findings).toEqual([
    expect.objectContaining({ kind: 'hang', culprits: ['../dist-packages/pkg/tests/test_slow_import.py'] }),
  ]);
  const [hang] = run.report!.findings;
  expect(hang!.because).toMatch(
    /named from the stack dump of b001: it shows \.\.\/dist-packages\/pkg\/tests\/test_slow_import\.py being imported/,
  );
  expect(hang!.stack).toBe('../dist-packages/pkg/tests/test_slow_import.py line 2 (<module>)');
  // Alone (still hung under the longer budget), then the batch without it (passes).
  expect(run.report!.runs.filter((record) => record.kind !== 'batch')).toHaveLength(2);
  expect(survivorsOf(run.pid)).toEqual([]);
}, 300_000);
