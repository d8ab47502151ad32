import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { PerTestRecord } from '../probe/records.js';
import { MIB, record, recordsFromSeries } from '../probe/test-records.js';
import { DEFAULT_ATTRIBUTION_RULE, incrementOf, suspectFromRecords } from './suspect.js';

const BUDGET = 300 * MIB;

describe('suspectFromRecords', () => {
  it('names the test that kept most of the memory', () => {
    const series = Array.from({ length: 20 }, (_, i) => 30 * MIB + i * 64 * 1024 + (i >= 10 ? 150 * MIB : 0));
    expect(suspectFromRecords(recordsFromSeries(series), BUDGET)).toMatchObject({ test: 't10', reason: 'dominant' });
  });

  it('names a test whose spike was freed again: a spike kills a batch too', () => {
    const records = recordsFromSeries(Array.from({ length: 8 }, () => 30 * MIB));
    const spiky = { ...records[4]!, peakBytes: 230 * MIB };
    const suspect = suspectFromRecords([...records.slice(0, 4), spiky, ...records.slice(5)], BUDGET);
    expect(suspect).toMatchObject({ test: 't04', incrementBytes: 200 * MIB });
  });

  it('counts the memory of the child processes a test started', () => {
    const records = recordsFromSeries(Array.from({ length: 5 }, () => 30 * MIB));
    const forker = { ...records[2]!, childrenRssBytes: 180 * MIB };
    expect(suspectFromRecords([...records.slice(0, 2), forker, ...records.slice(3)], BUDGET)?.test).toBe('t02');
  });

  it('names the test that was running at the kill when it took the process most of the way', () => {
    const records = recordsFromSeries([30 * MIB, 31 * MIB, 32 * MIB]);
    const killed = record({ test: 't03', indexInProcess: 3, finished: false, rssBeforeBytes: 32 * MIB });
    expect(suspectFromRecords([...records, killed], BUDGET)).toMatchObject({ test: 't03', reason: 'running-at-kill' });
  });

  it('says what the test running at the kill added and what was in use before it, not a bare share of the budget', () => {
    const records = recordsFromSeries([30 * MIB, 31 * MIB, 32 * MIB]);
    const killed = record({ test: 't03', indexInProcess: 3, finished: false, rssBeforeBytes: 32 * MIB });
    expect(suspectFromRecords([...records, killed], BUDGET)?.because).toBe(
      'it was running when the batch died: it grew the process tree by 268 MiB (89% of the 300 MiB budget) on top of the 32 MiB already in use when it started, reaching the budget',
    );
  });

  it('judges the test running at the kill against what the heavy runner left of the budget (jest + ts-jest)', () => {
    // QA on jest-extended: ~377 MiB in use before the hog of a 668 MiB budget; it took the other 291 MiB (44%).
    const budget = 668 * MIB;
    const records = recordsFromSeries([300 * MIB, 340 * MIB, 377 * MIB]);
    const hog = record({ test: 't03', indexInProcess: 3, finished: false, rssBeforeBytes: 377 * MIB });
    expect(suspectFromRecords([...records, hog], budget)).toMatchObject({
      test: 't03',
      reason: 'running-at-kill',
      incrementBytes: 291 * MIB,
    });
  });

  it('keeps the whole budget as the measure when the tests ran in several processes (workers)', () => {
    const budget = 668 * MIB;
    const records = [...recordsFromSeries([300 * MIB, 340 * MIB], 100), ...recordsFromSeries([330 * MIB], 101, 'w')];
    const running = record({ test: 't03', pid: 100, indexInProcess: 2, finished: false, rssBeforeBytes: 377 * MIB });
    expect(suspectFromRecords([...records, running], budget)).toBeUndefined();
  });

  it('never names a running test that took under a quarter of the budget, nor a finished one the whole budget would not', () => {
    const mib = (max: number) => fc.integer({ min: 0, max }).map((n) => n * MIB);
    const test = fc.record({ finished: fc.boolean(), before: mib(400), peakOver: mib(300), kept: mib(300) });
    fc.assert(
      fc.property(fc.array(test, { minLength: 1, maxLength: 12 }), (drawn) => {
        const records: PerTestRecord[] = drawn.map((t, i) =>
          record({
            test: `t${i}`,
            indexInProcess: i,
            finished: t.finished,
            rssBeforeBytes: t.before,
            peakBytes: t.before + t.peakOver,
            retainedDeltaBytes: t.kept,
          }),
        );
        const suspect = suspectFromRecords(records, BUDGET);
        if (suspect === undefined) return;
        const named = records.find((r) => r.test === suspect.test)!;
        expect(incrementOf(named, BUDGET)).toBe(suspect.incrementBytes);
        if (named.finished) expect(suspect.incrementBytes).toBeGreaterThanOrEqual(DEFAULT_ATTRIBUTION_RULE.minShareOfBudget * BUDGET);
        else expect(suspect.incrementBytes).toBeGreaterThanOrEqual(0.25 * BUDGET);
      }),
      { numRuns: 500, seed: 20261128 },
    );
  });

  it('names nobody for an accumulator: every test kept a little', () => {
    const series = Array.from({ length: 60 }, (_, i) => 30 * MIB + i * 4.5 * MIB);
    const killed = record({ test: 't60', indexInProcess: 60, finished: false, rssBeforeBytes: 295 * MIB });
    expect(suspectFromRecords([...recordsFromSeries(series), killed], BUDGET)).toBeUndefined();
  });

  it('names nobody when the largest increment is small next to the budget', () => {
    const series = Array.from({ length: 10 }, (_, i) => 30 * MIB + (i >= 5 ? 60 * MIB : 0));
    expect(suspectFromRecords(recordsFromSeries(series), BUDGET)).toBeUndefined();
  });

  it('names nobody when two tests share the growth', () => {
    const series = Array.from({ length: 10 }, (_, i) => 30 * MIB + (i >= 3 ? 160 * MIB : 0) + (i >= 7 ? 160 * MIB : 0));
    expect(suspectFromRecords(recordsFromSeries(series), BUDGET)).toBeUndefined();
  });

  it('names nobody without records', () => {
    expect(suspectFromRecords([], BUDGET)).toBeUndefined();
  });
});
