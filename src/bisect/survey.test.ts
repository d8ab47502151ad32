import { describe, expect, it } from '@jest/globals';
import type { Verdict } from '../classify/types.js';
import { MIB, record, recordsFromSeries } from '../probe/test-records.js';
import { entriesAfter, entriesFrom, nextSurveyStep } from './survey.js';

const BUDGET = 300 * MIB;

function verdict(outcome: Verdict['outcome'], extra: Partial<Verdict> = {}): Verdict {
  return { outcome, because: outcome, failingTests: [], signal: undefined, ...extra } as Verdict;
}

describe('nextSurveyStep', () => {
  it('ends the segment when the run passed', () => {
    expect(nextSurveyStep(verdict('passed'), recordsFromSeries([30 * MIB]), BUDGET)).toEqual({ kind: 'done' });
  });

  it('names the test running at a memory death when it took the process to the budget', () => {
    const killed = record({ test: 't03', indexInProcess: 3, finished: false, rssBeforeBytes: 32 * MIB });
    const step = nextSurveyStep(verdict('over-memory'), [...recordsFromSeries([30 * MIB, 31 * MIB, 32 * MIB]), killed], BUDGET);
    expect(step).toMatchObject({ kind: 'confirm', suspect: 't03', signature: { outcome: 'over-memory' } });
  });

  it('does not name the innocent test running at the end of a slow accumulation', () => {
    const series = Array.from({ length: 60 }, (_, i) => 30 * MIB + i * 4.5 * MIB);
    const killed = record({ test: 't60', indexInProcess: 60, finished: false, rssBeforeBytes: 295 * MIB });
    expect(nextSurveyStep(verdict('oom-killed'), [...recordsFromSeries(series), killed], BUDGET).kind).toBe('narrow');
  });

  it('names the one test that had started and not ended at a timeout or a crash', () => {
    const hung = [...recordsFromSeries([30 * MIB, 30 * MIB]), record({ test: 't02', indexInProcess: 2, finished: false })];
    expect(nextSurveyStep(verdict('timeout'), hung, BUDGET)).toMatchObject({
      kind: 'confirm',
      suspect: 't02',
      signature: { outcome: 'timeout' },
    });
    expect(nextSurveyStep(verdict('crashed', { signal: 'SIGSEGV' }), hung, BUDGET)).toMatchObject({
      kind: 'confirm',
      suspect: 't02',
      signature: { signal: 'SIGSEGV' },
    });
  });

  it('narrows instead when two tests were running (parallel workers) or none was', () => {
    const two = [record({ test: 'a', finished: false, pid: 1 }), record({ test: 'b', finished: false, pid: 2 })];
    expect(nextSurveyStep(verdict('timeout'), two, BUDGET).kind).toBe('narrow');
    expect(nextSurveyStep(verdict('timeout'), recordsFromSeries([30 * MIB]), BUDGET).kind).toBe('narrow');
  });

  it('narrows when records are missing, and narrows plain failures (polluters need halving)', () => {
    expect(nextSurveyStep(verdict('timeout'), [], BUDGET)).toMatchObject({ kind: 'narrow', why: 'the run wrote no per-test records' });
    expect(nextSurveyStep(verdict('failed', { failingTests: ['t09'] }), recordsFromSeries([30 * MIB]), BUDGET).kind).toBe('narrow');
  });

  it('ends when the user chases another kind of failure', () => {
    const hung = [record({ test: 't00', finished: false })];
    expect(nextSurveyStep(verdict('timeout'), hung, BUDGET, (s) => s.outcome === 'over-memory')).toEqual({ kind: 'done' });
  });
});

describe('entriesAfter', () => {
  const entries = ['tests/a.py', 'tests/b.py::test_x', 'tests/c.py', 'web/d.test.js'];

  it('continues after the entry that holds the culprit: a node id, a test in a file, a jest test', () => {
    expect(entriesAfter(entries, 'tests/b.py::test_x')).toEqual(['tests/c.py', 'web/d.test.js']);
    expect(entriesAfter(entries, 'tests/a.py::TestA::test_y[1]')).toEqual(['tests/b.py::test_x', 'tests/c.py', 'web/d.test.js']);
    expect(entriesAfter(entries, 'web/d.test.js > cart > adds')).toEqual([]);
  });

  it('does not mistake a file for another that starts with its name', () => {
    expect(entriesAfter(['tests/a.py', 'tests/a.pyx'], 'tests/a.pyx::t')).toEqual([]);
  });

  it('answers undefined when no entry holds the culprit', () => {
    expect(entriesAfter(entries, 'elsewhere.py::t')).toBeUndefined();
  });
});

describe('entriesFrom', () => {
  it('resumes at the entry of the test that was running, never at the first (that would repeat the run)', () => {
    expect(entriesFrom(['a.py', 'b.py', 'c.py'], 'b.py::t')).toEqual(['b.py', 'c.py']);
    expect(entriesFrom(['a.py', 'b.py', 'c.py'], 'a.py::t')).toBeUndefined();
    expect(entriesFrom(['a.py'], 'z.py::t')).toBeUndefined();
  });
});
