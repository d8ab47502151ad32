// Inputs that look odd but are right: they run, and run what was asked.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { makeOutDir, runLeakhunt } from '../helpers/run-leakhunt.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = makeOutDir();
  made.push(dir);
  return dir;
}

describe('inputs that look odd but are right', () => {
  it('runs a pytest id holding " > " as pytest, not as a jest test name', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
    writeFileSync(
      join(dir, 'test_cmp.py'),
      'import pytest\n\n@pytest.mark.parametrize("expr", ["a > b", "a < b"])\ndef test_cmp(expr):\n    assert expr\n',
    );
    writeFileSync(join(dir, 'sel.txt'), 'test_cmp.py::test_cmp[a > b]\n');
    const run = await runLeakhunt(['run', join(dir, 'sel.txt'), '--memory', '200MB', '--timeout', '30s', '--out', join(dir, 'out')], {
      timeoutMs: 60_000,
    });
    expect(run.stderr).not.toContain('testNamePattern');
    expect(run.report?.runs[0]?.results).toMatchObject({ collected: 1, passed: 1, failing: [] });
    expect(run.exitCode).toBe(0);
  }, 90_000);

  it('splits a batch of 100 000 ids into batches one command line can carry, says so, and runs every id', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cases.txt'), 'data\n');
    const ids = Array.from({ length: 100_000 }, (_, i) => `cases.txt::case_${String(i).padStart(6, '0')}`);
    writeFileSync(join(dir, 'sel.txt'), `${ids.join('\n')}\n`);
    // `true` takes any arguments: the run passes when, and only when, the exec succeeded.
    const run = await runLeakhunt(
      [
        'run',
        join(dir, 'sel.txt'),
        '--cmd',
        'true {tests}',
        '--batches',
        '1',
        '--memory',
        '100MB',
        '--timeout',
        '30s',
        '--out',
        join(dir, 'out'),
      ],
      { timeoutMs: 120_000 },
    );
    expect(run.stderr).toMatch(/batch\(es\) 1: their test ids are more than one command line can carry .* split into \d+ batches/);
    expect(run.stderr).not.toMatch(/E2BIG/);
    expect(run.exitCode).toBe(0);
    const batches = run.report?.batches ?? [];
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((batch) => batch.verdict?.outcome === 'passed')).toBe(true);
    expect(batches.flatMap((batch) => batch.tests)).toEqual(ids);
  }, 150_000);
});
