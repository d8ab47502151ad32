import { describe, expect, it } from '@jest/globals';
import type { Verdict } from '../classify/types.js';
import type { PerTestRecord } from '../probe/records.js';
import { failuresBeforeDeath, recordedFailureFinding } from './recorded-failures.js';
import type { TrialResult } from './types.js';

const verdict = (outcome: Verdict['outcome'], failingTests: string[] = []): Verdict =>
  ({ outcome, because: 'x', failingTests, signal: undefined }) as Verdict;
const rec = (test: string, failed?: boolean): PerTestRecord => ({ test, ...(failed && { failed }) }) as PerTestRecord;
const trial = (runId: string, v: Verdict): TrialResult => ({ tests: ['t'], verdict: v, peakBytes: 0, durationMs: 1, runId });

describe('failuresBeforeDeath', () => {
  it('lists the tests recorded failed in a run that died, once each, not those its verdict already names', () => {
    const records = [rec('a', true), rec('b'), rec('c', true), rec('a', true)];
    expect(failuresBeforeDeath(verdict('timeout'), records)).toEqual(['a', 'c']);
    expect(failuresBeforeDeath(verdict('over-memory', ['c']), records)).toEqual(['a']);
  });
  it('lists nothing for a run that ended on its own (its runner report has the failures)', () => {
    expect(failuresBeforeDeath(verdict('failed', ['a']), [rec('a', true)])).toEqual([]);
    expect(failuresBeforeDeath(verdict('passed'), [rec('a', true)])).toEqual([]);
  });
});

describe('recordedFailureFinding', () => {
  const died = { runId: 'b001', verdict: verdict('timeout') };
  it('is failing when it fails again alone, flaky with nobody blamed when it passes, nothing when that run died', () => {
    expect(recordedFailureFinding(1, died, 'tests/t.py::x', trial('b001-p01', verdict('failed', ['tests/t.py::x'])))).toMatchObject({
      kind: 'failing',
      culprits: ['tests/t.py::x'],
      signature: { outcome: 'failed', failingTest: 'tests/t.py::x' },
      evidenceRunIds: ['b001', 'b001-p01'],
    });
    expect(recordedFailureFinding(1, died, 'tests/t.py::x', trial('b001-p01', verdict('passed')))).toMatchObject({
      kind: 'flaky',
      culprits: [],
    });
    expect(recordedFailureFinding(1, died, 'tests/t.py::x', trial('b001-p01', verdict('timeout')))).toBeUndefined();
  });
});
