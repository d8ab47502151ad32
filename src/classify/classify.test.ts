import { describe, expect, it } from '@jest/globals';
import type { Budget, ProcessOutcome } from '../execute/types.js';
import type { TestResults } from '../runners/types.js';
import { classifyRun } from './classify.js';
import { reproduces, signaturesOf } from './signature.js';
import type { Outcome } from './types.js';

const MIB = 1024 ** 2;
const budget: Budget = { memoryBytes: 300 * MIB, timeoutMs: 20_000, graceMs: 5000 };

function run(overrides: Partial<ProcessOutcome>): ProcessOutcome {
  return {
    spawnError: undefined,
    exitCode: 0,
    signal: undefined,
    killedBy: undefined,
    kernelOomKills: 0,
    peakBytes: 40 * MIB,
    durationMs: 1200,
    memorySeries: [],
    backend: 'cgroup-v1',
    orphans: [],
    logPath: 'x.log',
    ...overrides,
  };
}
function results(overrides: Partial<TestResults>): TestResults {
  return { collected: 3, failing: [], passed: 3, skipped: 0, startError: undefined, ...overrides };
}

describe('classifyRun', () => {
  const rows: Array<[string, ProcessOutcome, TestResults | undefined, Outcome, RegExp]> = [
    ['a clean exit with every test passing', run({}), results({}), 'passed', /3 passed/],
    ['a failing test', run({ exitCode: 1 }), results({ failing: ['t.py::test_b'], passed: 2 }), 'failed', /1 test failed: t.py::test_b/],
    [
      'a failing jest/vitest file, with the tests that failed inside it',
      run({ exitCode: 1 }),
      results({ failing: ['a.test.ts', 'b.test.ts'], failingInside: [['quiet by default'], ['x', 'y', 'z']] }),
      'failed',
      /^2 tests failed: a\.test\.ts \(failed inside: quiet by default\), b\.test\.ts \(failed inside: x; y; … \(1 more\)\)$/,
    ],
    ['a non-zero exit with no failing test named', run({ exitCode: 3 }), undefined, 'failed', /exit code 3/],
    [
      'our limiter killing the tree at the budget',
      run({ killedBy: 'memory-budget', signal: 'SIGKILL', peakBytes: 301 * MIB }),
      undefined,
      'over-memory',
      /301 MiB reached the 300 MiB budget/,
    ],
    [
      'the kernel enforcing our own cgroup budget',
      run({ killedBy: 'memory-budget', kernelOomKills: 1, exitCode: 137 }),
      undefined,
      'over-memory',
      /enforced by the kernel/,
    ],
    ['a kernel OOM kill under our budget', run({ kernelOomKills: 1, exitCode: 137 }), undefined, 'oom-killed', /outer memory limit/],
    ['the time budget expiring', run({ killedBy: 'time-budget', signal: 'SIGTERM' }), undefined, 'timeout', /20\.0 s time budget/],
    [
      "a lone test's own-time budget expiring (counted from its start record)",
      run({ killedBy: 'time-budget', signal: 'SIGTERM', markClock: { markedAfterMs: 1_800, timeoutMs: 60_000 } }),
      undefined,
      'timeout',
      /^its test ran 1 min 00 s without ending, after 1\.8 s of start-up \(peak /,
    ],
    ['a segfault', run({ exitCode: undefined, signal: 'SIGSEGV' }), undefined, 'crashed', /SIGSEGV: a segmentation fault/],
    ['a bare exit 143 from a wrapper shell', run({ exitCode: 143 }), undefined, 'crashed', /ambiguous/],
    ['a runner collecting nothing', run({ exitCode: 5 }), results({ collected: 0, passed: 0 }), 'no-tests', /collected no tests/],
    [
      'a runner refusing its arguments',
      run({ exitCode: 4 }),
      results({ startError: 'pytest refused the arguments (exit 4)' }),
      'error',
      /exit 4/,
    ],
    [
      'a command that does not exist',
      run({ spawnError: 'command not found: pytestt' }),
      undefined,
      'error',
      /could not start: command not found/,
    ],
    ['a user interrupt', run({ killedBy: 'interrupted' }), undefined, 'interrupted', /Ctrl-C/],
  ];
  it.each(rows)('classifies %s', (_name, facts, read, outcome, because) => {
    const verdict = classifyRun(facts, read, budget);
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.because).toMatch(because);
  });

  it('prefers its own memory evidence over the exit code the kill produced', () => {
    const verdict = classifyRun(run({ killedBy: 'memory-budget', exitCode: 143 }), undefined, budget);
    expect(verdict.outcome).toBe('over-memory');
  });

  it('is over-memory when a test held more than the budget by its own record, though the tree readings missed it', () => {
    // Seen with --backend ps under load: 400 MB zero-filled and freed between two readings.
    const sampled = run({ backend: 'ps-sampler', peakBytes: 299 * MIB });
    const verdict = classifyRun(sampled, results({}), budget, { test: 't.py::test_hog', bytes: 432 * MIB });
    expect(verdict.outcome).toBe('over-memory');
    expect(verdict.because).toMatch(/t\.py::test_hog reached 432 MiB \(its per-test record\), over the 300 MiB budget/);
    expect(classifyRun(sampled, results({}), budget, { test: 't.py::test_a', bytes: 299 * MIB }).outcome).toBe('passed');
  });

  it('trusts a cgroup that did not kill the tree over a per-test record above the budget (RSS counts pages the cgroup does not)', () => {
    const limited = run({ backend: 'cgroup-v1', peakBytes: 129 * MIB });
    expect(classifyRun(limited, results({}), budget, { test: 'a.test.js > sells out', bytes: 320 * MIB }).outcome).toBe('passed');
  });

  it('names the signal behind a shell-style exit code', () => {
    expect(classifyRun(run({ exitCode: 134 }), undefined, budget).signal).toBe('SIGABRT');
  });
});

describe('signatures', () => {
  const failed = classifyRun(run({ exitCode: 1 }), results({ failing: ['a', 'b'], passed: 1 }), budget);

  it('chases each failing test of a failed batch on its own', () => {
    expect(signaturesOf(failed).map((s) => s.failingTest)).toEqual(['a', 'b']);
  });

  it('does not count a different failing test as the same failure', () => {
    const [chaseA] = signaturesOf(failed);
    const otherFailure = classifyRun(run({ exitCode: 1 }), results({ failing: ['c'] }), budget);
    expect(reproduces(chaseA!, otherFailure)).toBe(false);
    expect(reproduces(chaseA!, failed)).toBe(true);
  });

  it('does not count a crash by another signal as the same crash', () => {
    const segv = classifyRun(run({ signal: 'SIGSEGV', exitCode: undefined }), undefined, budget);
    const abort = classifyRun(run({ signal: 'SIGABRT', exitCode: undefined }), undefined, budget);
    expect(reproduces(signaturesOf(segv)[0]!, abort)).toBe(false);
  });

  it('treats our limiter and the kernel OOM killer as the same memory death', () => {
    const ours = classifyRun(run({ killedBy: 'memory-budget' }), undefined, budget);
    const kernel = classifyRun(run({ kernelOomKills: 1 }), undefined, budget);
    expect(reproduces(signaturesOf(ours)[0]!, kernel)).toBe(true);
  });

  it('has nothing to chase in a passing, empty or unstartable run', () => {
    expect(signaturesOf(classifyRun(run({}), results({}), budget))).toEqual([]);
    expect(signaturesOf(classifyRun(run({ spawnError: 'x' }), undefined, budget))).toEqual([]);
  });
});
