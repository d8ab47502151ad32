import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../bisect/types.js';
import { type BudgetReproSettings, budgetRepro } from './budget-repro.js';

const settings: BudgetReproSettings = {
  cwd: '/home/u/shop',
  userRoot: '/home/u/shop',
  runner: 'pytest',
  projectDir: undefined,
  cmd: undefined,
  python: undefined,
  runnerArgs: [],
  memoryBytes: 300 * 1024 ** 2,
  backend: 'auto',
  outDir: '.leakhunt',
};

function finding(kind: Finding['kind'], reproTests: string[], outcome: Finding['signature']['outcome'] = 'over-memory'): Finding {
  return {
    kind,
    culprits: kind === 'flaky' ? [] : reproTests.slice(-1),
    victim: undefined,
    signature: { outcome, failingTest: undefined, signal: undefined },
    because: '',
    reproTests,
    evidenceRunIds: [],
    batchIndex: 1,
  } as unknown as Finding;
}

describe('budgetRepro', () => {
  it('runs a hog under the same budget from the selection on stdin, hunted again, into its own --out', () => {
    expect(budgetRepro(finding('hog', ['tests/test_a.py::test_big[x y]']), settings)).toBe(
      "printf '%s\\n' 'tests/test_a.py::test_big[x y]' | npx leakhunt run /dev/stdin --root . --runner pytest --memory 300MiB --out .leakhunt/repro",
    );
  });

  it("runs an accumulator's prefix once, in order, unbisected, with the user's runner settings and a budget that reads back exactly", () => {
    const line = budgetRepro(finding('accumulator', ['a.test.js', 'b.test.js'], 'oom-killed'), {
      ...settings,
      cwd: '/home/u',
      userRoot: '/home/u/shop/tests',
      runner: 'jest',
      projectDir: '/home/u/shop',
      runnerArgs: ['--silent'],
      memoryBytes: 250_000_000,
      backend: 'ps',
      outDir: '/home/u/out',
    });
    expect(line).toBe(
      "printf '%s\\n' a.test.js b.test.js | npx leakhunt run /dev/stdin --root shop/tests --runner jest --project shop " +
        '--runner-arg=--silent --memory 250MB --backend ps --no-bisect --out out/repro',
    );
  });

  it('is absent where no memory limit is needed to see the failure, or nothing was narrowed', () => {
    expect(budgetRepro(finding('polluter', ['a', 'v'], 'failed'), settings)).toBeUndefined();
    expect(budgetRepro(finding('hang', ['a'], 'timeout'), settings)).toBeUndefined();
    expect(budgetRepro(finding('flaky', ['a']), settings)).toBeUndefined();
    expect(budgetRepro(finding('unresolved', ['a', 'b']), settings)).toBeUndefined();
  });
});
