// The stderr progress lines: counts read as a person would write them.
import { describe, expect, it } from '@jest/globals';
import { Chalk } from 'chalk';
import type { Plan } from '../plan/types.js';
import { ProgressPrinter } from './progress.js';

/** A printer without colours, and what it wrote so far. */
function plainPrinter(): { printer: ProgressPrinter; output: () => string } {
  let out = '';
  const printer = new ProgressPrinter({ write: (text: string) => (out += text) }, new Chalk({ level: 0 }), () => 0, '.', '/proj');
  return { printer, output: () => out };
}

/** A printer that has announced a hunt over these batches' entries, and what it wrote so far. */
function startedOn(batches: readonly (readonly string[])[]): { printer: ProgressPrinter; output: () => string } {
  const { printer, output } = plainPrinter();
  const plan = { batches: batches.map((tests, i) => ({ index: i + 1, tests })), batchSize: undefined, seed: undefined };
  printer.onEvent({
    type: 'hunt-started',
    plan: plan as unknown as Plan,
    runner: 'pytest',
    projectDir: '/proj',
    backend: 'cgroup-v2',
    warnings: [],
  });
  return { printer, output };
}

function started(batches: number): string {
  const { printer, output } = startedOn(Array.from({ length: batches }, () => ['t.py']));
  printer.close();
  return output();
}

describe('ProgressPrinter: the first line', () => {
  it('says "1 batch" in survey mode (one batch), "3 batches" otherwise', () => {
    expect(started(1)).toBe('pytest in .: 1 batch, memory measured by cgroup-v2\n');
    expect(started(3)).toBe('pytest in .: 3 batches, memory measured by cgroup-v2\n');
  });
});

describe('ProgressPrinter: a bisection counts what the plan lists', () => {
  it('says "2 files" when the batch lists files, as the plan and the summary do', () => {
    const { printer, output } = startedOn([['a.py', 'b.py']]);
    const signature = { outcome: 'failed' as const, failingTest: 'a.py::t', signal: undefined };
    printer.onEvent({ type: 'bisect', event: { type: 'hunt-started', batchIndex: 1, signature, tests: 2, runsEstimated: 4 } });
    const trial = {
      tests: ['a.py', 'b.py', 'c.py'],
      verdict: { outcome: 'failed' as const, because: '', failingTests: [], signal: undefined },
      peakBytes: 0,
      durationMs: 1,
      runId: 'b001-p01',
    };
    printer.onEvent({ type: 'bisect', event: { type: 'trial-finished', batchIndex: 1, trial, matched: true, runsUsed: 1 } });
    printer.close();
    expect(output()).toContain('bisecting batch 1 (2 files, failed: a.py::t): about 4 runs\n');
    expect(output()).toContain('  run 1: 3 files → failed (reproduced)\n');
  });
});

describe('ProgressPrinter: a hang being confirmed', () => {
  it('says the lone run may take up to its longer budget, when it starts', () => {
    const { printer, output } = plainPrinter();
    printer.onEvent({
      type: 'run-started',
      runId: 'b003-p01',
      kind: 'probe',
      batchIndex: 3,
      tests: ['tests/test_sync.py::test_x'],
      timeoutMs: 60_000,
    });
    printer.onEvent({ type: 'run-started', runId: 'b003-p02', kind: 'probe', batchIndex: 3, tests: ['tests/test_a.py'] });
    printer.close();
    expect(output()).toBe('  test_sync.py::test_x runs alone for up to 1 min 00 s: a longer time budget, so a slow run is not cut short\n');
  });

  it("says a lone test's budget counts from its start when a probe times it on its own time", () => {
    const { printer, output } = plainPrinter();
    printer.onEvent({
      type: 'run-started',
      runId: 'b003-p01',
      kind: 'probe',
      batchIndex: 3,
      tests: ['tests/test_sync.py::test_x'],
      timeoutMs: 60_000,
      testTimeoutMs: 40_000,
    });
    printer.close();
    expect(output()).toBe(
      '  test_sync.py::test_x runs alone for up to 40.0 s once it starts: a longer time budget, so a slow run is not cut short\n',
    );
  });
});

describe('ProgressPrinter: trials of one batch run side by side', () => {
  it('numbers each trial by its run id, not by the count when it finished', () => {
    const { printer, output } = plainPrinter();
    const trial = (runId: string, tests: string[]) => ({
      tests,
      verdict: { outcome: 'timeout' as const, because: '', failingTests: [], signal: undefined },
      peakBytes: 0,
      durationMs: 0,
      runId,
    });
    // Two lanes finished while the count stood at 3: both were reported as "run 3".
    for (const [runId, tests] of [
      ['b002-p02', ['tests/test_a.py', 'tests/test_hang.py']],
      ['b002-p03', ['tests/test_b.py']],
    ] as const) {
      printer.onEvent({
        type: 'bisect',
        event: { type: 'trial-finished', batchIndex: 2, trial: trial(runId, [...tests]), matched: false, runsUsed: 3 },
      });
    }
    printer.close();
    expect(output()).toBe('  run 2: test_a.py + test_hang.py → timeout (clean)\n  run 3: test_b.py → timeout (clean)\n');
  });
});
