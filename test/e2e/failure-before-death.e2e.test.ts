// A real failure before a batch dies (QA F2): pytest killed at the time budget writes no JUnit,
// so the batch's verdict names no failing test. The probe's outcome line keeps the failure;
// the test is run alone once and reported as `failing`. Real pytest processes, through the CLI.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const FAILING = 'tests/test_fails.py::test_rejects_bad_input';

// The failing test runs first; the two 3-s tests together outlast the 5 s budget (each alone does not).
function suite(): string {
  const dir = tempDir('leakhunt-fail-before-death-');
  const tests = join(dir, 'tests');
  writeFileSync(join(dir, 'selection.txt'), 'tests/test_fails.py\ntests/test_ok.py\ntests/test_slow_a.py\ntests/test_slow_b.py\n');
  mkdirSync(tests);
  writeFileSync(join(tests, 'test_fails.py'), 'def test_rejects_bad_input():\n    assert 1 + 1 == 3\n');
  writeFileSync(join(tests, 'test_ok.py'), 'def test_ok():\n    assert True\n');
  for (const x of ['a', 'b'])
    writeFileSync(join(tests, `test_slow_${x}.py`), `import time\n\n\ndef test_slow_${x}():\n    time.sleep(3)\n`);
  return dir;
}

describe('a test that fails before its batch runs out of time', () => {
  it.each([
    ['survey mode (default)', []],
    ['batches (--batch-size 4)', ['--batch-size', '4']],
  ])(
    'is reported as failing, confirmed alone in one run: %s',
    async (_mode, extra) => {
      const dir = suite();
      const run = await runLeakhunt(['run', 'selection.txt', '--timeout', '5s', '--memory', '200MB', ...extra], {
        cwd: dir,
        timeoutMs: 180_000,
      });
      const batch = run.report!.runs.find((r) => r.kind === 'batch')!;
      expect(batch.verdict.outcome).toBe('timeout');
      expect(batch.verdict.failingTests).toEqual([]); // pytest, killed, reported nothing
      const failing = run.report!.findings.filter((f) => f.kind === 'failing');
      expect(failing.map((f) => f.culprits)).toEqual([[FAILING]]);
      const alone = run.report!.runs.find((r) => r.runId === failing[0]!.evidenceRunIds[1])!;
      expect(alone.tests).toEqual([FAILING]);
      expect(alone.verdict.outcome).toBe('failed');
      expect(failing[0]!.because).toMatch(/failed in b001 before that run ran out of time .*alone it failed again/);
      expect(run.stdout).toMatch(/failing\s+tests\/test_fails\.py::test_rejects_bad_input/);
      // Named once, as failing. (The timeout itself is the hunt's: halving may name the two slow
      // tests as what outlasts the budget together; that verdict is not this test's subject.)
      expect(run.report!.findings.filter((f) => f.kind !== 'failing').flatMap((f) => f.culprits)).not.toContain(FAILING);
      // The timeout is still explained when no test was named for it (survey: slow, not hung).
      if (!run.report!.findings.some((f) => f.kind !== 'failing')) expect(run.stdout).toMatch(/batch 1 timeout, no test named/);
      expect(run.exitCode).toBe(1);
      expect(survivorsOf(run.pid)).toEqual([]);
    },
    200_000,
  );
});
