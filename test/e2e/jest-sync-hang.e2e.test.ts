// A jest test that hangs in a synchronous loop: no diagnostic report can be written (it is
// produced on the busy thread), so leakhunt starts the inspector (SIGUSR1) and pauses it. The
// finding says where it hung, as a pytest hang's does, and nothing outlives the hunt.
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

describe('a jest test stuck in while (!ready) {}', () => {
  it('is a hang whose finding shows the stack line of the loop', async () => {
    const run = await runLeakhunt([
      'run',
      'test/fixtures/selections/probes/jest-sync-hang.txt',
      '--runner',
      'jest',
      '--project',
      'test/fixtures/suites/jest-sync-hang',
      '--memory',
      '300MiB',
      '--timeout',
      '6s',
      '--grace',
      '1s',
    ]);
    expect(run.exitCode).toBe(1);
    const hangs = (run.report?.findings ?? []).filter((f) => f.kind === 'hang');
    expect(hangs).toEqual([
      expect.objectContaining({
        culprits: ['../../suites/jest-sync-hang/tests/spin.test.js > waits for a flag nobody sets'],
        stack: '../../suites/jest-sync-hang/tests/spin.test.js line 4 (waitForFlag)',
      }),
    ]);
    const batchRun = run.report?.runs.find((r) => r.kind === 'batch' && r.verdict.outcome === 'timeout');
    expect(batchRun?.stacks?.text).toMatch(/paused \(inspector\):\n {2}at waitForFlag \(.*tests\/spin\.test\.js:4:\d+\)/);
    expect(run.stdout).toMatch(/hung\s+in\s+\.\.\/\.\.\/suites\/jest-sync-hang\/tests\/spin\.test\.js\s+line\s+4\s+\(waitForFlag\)/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 120_000);
});
