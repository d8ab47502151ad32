import { describe, expect, it } from '@jest/globals';
import { MIB, record, recordsFromSeries } from '../probe/test-records.js';
import { suspectFromRecords } from './suspect.js';

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
