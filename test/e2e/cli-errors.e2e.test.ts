// Exit codes scripts can trust, and one-line errors that name the file, line and fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { makeOutDir, REPO, runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

function selectionFile(lines: string[], name = 'selection.txt'): string {
  const path = join(makeOutDir(), name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('usage and input errors exit 2 with the file, line and fix', () => {
  it('names the selection line of a path that does not exist', async () => {
    const file = selectionFile(['# tests', join(REPO, 'test/examples/pytest/tests/test_api.py'), 'tests/test_nope.py']);
    const run = await runLeakhunt(['run', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/selection\.txt:3: .*tests\/test_nope\.py/);
    expect(run.stderr).toMatch(/hint: /);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a size it cannot read', async () => {
    const run = await runLeakhunt(['run', 'selections/example-pytest.txt', '--memory', 'lots']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--memory "lots" is not a size');
  });

  it('says which flag is unknown', async () => {
    const run = await runLeakhunt(['run', 'selections/example-pytest.txt', '--batchsize', '3']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/batchsize/);
  });
});

describe('environment errors exit 3', () => {
  it('stops when the runner command does not exist', async () => {
    const file = selectionFile(['/etc/hostname']);
    const run = await runLeakhunt(['run', file, '--cmd', 'leakhunt-no-such-command {tests}', '--memory', '100MB', '--timeout', '5s']);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/leakhunt-no-such-command/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('outcomes from real processes', () => {
  it('reports a run that collects no tests as no-tests, and exits 0', async () => {
    const dir = makeOutDir();
    writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
    writeFileSync(join(dir, 'test_empty.py'), 'VALUE = 1\n');
    const file = join(dir, 'selection.txt');
    writeFileSync(file, 'test_empty.py\n');
    const run = await runLeakhunt(['run', file, '--memory', '200MB', '--timeout', '20s']);
    expect(run.report?.batches[0]?.verdict?.outcome).toBe('no-tests');
    expect(run.exitCode).toBe(0);
  }, 60_000);

  it('names the signal of a test that segfaults, and the culprit', async () => {
    const dir = makeOutDir();
    writeFileSync(join(dir, 'pytest.ini'), '[pytest]\n');
    writeFileSync(
      join(dir, 'test_native.py'),
      'import ctypes\n\ndef test_ok():\n    pass\n\ndef test_reads_null():\n    ctypes.string_at(0)\n',
    );
    const file = join(dir, 'selection.txt');
    writeFileSync(file, 'test_native.py::test_ok\ntest_native.py::test_reads_null\n');
    const run = await runLeakhunt(['run', file, '--memory', '200MB', '--timeout', '20s', '--batch-size', '2']);
    expect(run.exitCode).toBe(1);
    expect(run.report?.batches[0]?.verdict?.outcome).toBe('crashed');
    expect(run.report?.batches[0]?.verdict?.signal).toBe('SIGSEGV');
    expect(run.stderr + run.stdout).toMatch(/SIGSEGV/);
    expect(run.report?.findings.map((f) => `${f.kind}: ${f.culprits.join()}`)).toEqual(['crash: test_native.py::test_reads_null']);
  }, 60_000);
});

describe('Ctrl-C', () => {
  it('stops the running batch, writes the partial report, exits 130 and leaves nothing behind', async () => {
    // Batch 3 holds the hang: by 8 s leakhunt is waiting on it.
    const run = await runLeakhunt(
      ['run', 'selections/example-pytest.txt', '--batch-size', '3', '--memory', '300MB', '--timeout', '60s', '--no-bisect'],
      {
        interruptAfterMs: 8000,
      },
    );
    expect(run.exitCode).toBe(130);
    expect(run.report?.status).toBe('interrupted');
    expect(run.report?.exitCode).toBe(130);
    expect(run.report?.runs.length).toBeGreaterThan(0);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 60_000);
});

describe('Ctrl-C during bisection', () => {
  it('prints the smallest failing set so far with a repro command, and exits 130', async () => {
    // Without per-test probes the hog is found by halving; the half holding the hang waits on
    // a 30 s probe, and Ctrl-C lands there, mid-hunt.
    const run = await runLeakhunt(
      [
        'bisect',
        'test/fixtures/selections/cli/example-hog-and-hang.txt',
        '--memory',
        '300MB',
        '--timeout',
        '30s',
        '--grace',
        '1s',
        '--no-probe',
      ],
      {
        interruptAfterMs: 15_000,
      },
    );
    expect(run.exitCode).toBe(130);
    expect(run.report?.status).toBe('interrupted');
    const unresolved = run.report?.findings.filter((f) => f.kind === 'unresolved') ?? [];
    expect(unresolved.length).toBeGreaterThan(0);
    expect(unresolved[0]?.culprits).toEqual([]);
    expect(unresolved[0]?.smallestFailingSet?.length).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/not narrowed: smallest failing set found/);
    expect(run.stdout).toMatch(/repro: .*pytest/);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 90_000);
});

describe('selections and flags a runner cannot honour', () => {
  it('refuses a selection that mixes pytest and jest files, naming a line of each', async () => {
    const file = selectionFile([join(REPO, 'test/examples/pytest/tests/test_api.py'), join(REPO, 'test/examples/jest/tests/cart.test.js')]);
    const run = await runLeakhunt(['run', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/mixes Python tests \(.*selection\.txt:1\) and JavaScript tests \(.*selection\.txt:2\)/);
  });

  it('says so when --project is not a directory', async () => {
    const run = await runLeakhunt(['run', 'selections/example-pytest.txt', '--project', '/nonexistent/leakhunt-project']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--project /nonexistent/leakhunt-project is not a directory');
  });

  it('refuses --out under /proc at once instead of hanging in mkdir', async () => {
    const run = await runLeakhunt(['run', 'selections/example-pytest.txt', '--out', '/proc/leakhunt-out'], { timeoutMs: 20_000 });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--out /proc/leakhunt-out: /proc is a kernel filesystem');
  });

  it('asks for a number when a count is a word', async () => {
    const run = await runLeakhunt(['run', 'selections/example-pytest.txt', '--batch-size', 'abc']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--batch-size must be a positive integer, got something that is not a number');
  });
});
