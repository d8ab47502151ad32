// A lone suspect of a timeout is timed on its own time, from its probe's start record
// (classify/hang.ts): real pytest processes through the built CLI. A test that ends within
// that budget alone was slow, not hung, and is never named `hang`; the hang's own e2e (with
// its run durations) is in survey.e2e.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';
import { tempDir } from '../helpers/temp-dir.js';

const SLOW = 'tests/test_slow.py::test_slow';

describe("a timed-out batch's running test that ends alone within its own-time budget", () => {
  it('is not named hang: 4.5 s (1.5 × --timeout 3 s) ends within 8 s of its own time', async () => {
    const dir = tempDir('leakhunt-hang-clock-');
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
    writeFileSync(join(dir, 'tests', 'test_ok.py'), 'def test_ok():\n    assert True\n');
    writeFileSync(join(dir, 'tests', 'test_slow.py'), 'import time\n\n\ndef test_slow():\n    time.sleep(4.5)\n');
    writeFileSync(join(dir, 'selection.txt'), `tests/test_ok.py::test_ok\n${SLOW}\n`);

    const run = await runLeakhunt(
      ['run', 'selection.txt', '--batch-size', '2', '--jobs', '1', '--timeout', '3s', '--grace', '1s', '--memory', '200MiB'],
      { cwd: dir, timeoutMs: 170_000 },
    );

    const batch = run.report!.runs.find((r) => r.kind === 'batch')!;
    expect(batch.verdict.outcome).toBe('timeout');
    // Its records named it; alone, timed from its start record, it ended and passed.
    const alone = run.report!.runs.find((r) => r.tests.length === 1 && r.tests[0] === SLOW && r.evidence.testClock !== undefined)!;
    expect(alone.evidence.testClock?.timeoutMs).toBe(8_000);
    expect(alone.verdict.outcome).toBe('passed');
    expect(run.report!.findings.filter((f) => f.kind === 'hang')).toEqual([]);
    expect(run.report!.findings.flatMap((f) => f.culprits)).not.toContain(SLOW);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 180_000);
});
