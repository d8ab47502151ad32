// A hog under a heavy runner, through the built CLI on real jest (QA on jest-extended: jest +
// ts-jest held ~377 MiB of a 668 MiB budget before the hog, whose 44% was under the records
// rule's half of the budget, so the batch was halved). Here jest itself holds 160 MiB
// (globalSetup, in its one process) before any test: the hog running at the kill took less
// than half the budget but all the runner left, and is named from the records in one run alone.
import { describe, expect, it } from '@jest/globals';
import { runLeakhunt, survivorsOf } from '../helpers/run-leakhunt.js';

const SUITE = 'test/fixtures/suites/jest-heavy-runner';
const HOG = 'tests/c.test.js > loads the whole catalogue into memory';

describe('a jest hog under a runner that holds much of the budget', () => {
  it('is named from the per-test records, confirmed by one run alone, without halving', async () => {
    const run = await runLeakhunt(
      ['run', `${SUITE}/selection.txt`, '--runner', 'jest', '--project', SUITE, '--memory', '400MiB', '--timeout', '60s'],
      { timeoutMs: 120_000 },
    );
    expect(run.exitCode).toBe(1);
    const findings = run.report!.findings;
    expect(findings.map((f) => [f.kind, f.culprits])).toEqual([['hog', [HOG]]]);
    expect(findings[0]!.because).toMatch(/^named from the per-test records of b001: it was running when the batch died/);
    // Less than half the budget (the rule's bar before the runner's floor was taken off it).
    const share = Number(/\((\d+)% of the 400 MiB budget\)/.exec(findings[0]!.because)?.[1]);
    expect(share).toBeLessThan(50);
    // The batch's run, then the hog alone: nothing halved.
    expect(run.report!.runs.map((r) => [r.tests, r.verdict.outcome])).toEqual([
      [['tests/a.test.js', 'tests/b.test.js', 'tests/c.test.js'], 'over-memory'],
      [[HOG], 'over-memory'],
    ]);
    const records = run.report!.runs[0]!.perTest ?? [];
    expect(records.filter((r) => !r.finished).map((r) => r.test)).toEqual([HOG]);
    expect(survivorsOf(run.pid)).toEqual([]);
  }, 150_000);
});
