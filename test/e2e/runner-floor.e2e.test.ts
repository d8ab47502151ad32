// A --memory budget below what the runner needs with no test at all is a usage error before
// the first batch: exit 2, one line with the measured floor, no run, no test named.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

describe('the runner floor', () => {
  it.each([
    ['pytest', 'selections/example-pytest.txt'],
    ['jest', 'selections/example-jest.txt'],
  ])(
    '%s: --memory 9MiB is refused with the measured floor, before any batch',
    async (runner, selection) => {
      const run = await runLeakhunt(['run', selection, '--memory', '9MiB', '--timeout', '20s']);
      expect(run.exitCode).toBe(2);
      const [line, hint] = run.stderr.trim().split('\n');
      expect(line).toMatch(
        new RegExp(
          `^leakhunt: --memory 9\\.0 MiB is below what ${runner} needs with no test at all: \\d+(\\.\\d+)? MiB measured, plus a 25% margin = \\d+(\\.\\d+)? MiB$`,
        ),
      );
      expect(hint).toMatch(/raise --memory to at least \d+(\.\d+)? MiB/);
      // No batch ran and no test is named anywhere.
      expect(run.stderr).not.toMatch(/batch \d|test_\w|\.test\.js/);
      expect(run.report).toBeUndefined();
      expect(existsSync(join(run.outDir, 'logs', 'b001.log'))).toBe(false);
      expect(survivorsOf(run.pid)).toEqual([]);
    },
    120_000,
  );

  it('lets a budget above the floor hunt as before', async () => {
    const run = await runLeakhunt(['run', 'selections/example-pytest.txt', '--batch-size', '3', '--memory', '300MB', '--timeout', '8s']);
    expect(run.report?.findings.some((finding) => finding.kind === 'hog')).toBe(true);
  }, 180_000);
});
