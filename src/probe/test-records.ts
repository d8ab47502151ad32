// Builds PerTestRecords for unit tests: a series of retained figures, one process.
import type { PerTestRecord } from './records.js';

export const MIB = 1024 ** 2;

export function recordsFromSeries(retainedBytes: readonly number[], pid = 100, name = 't'): PerTestRecord[] {
  return retainedBytes.map((after, index) => {
    const before = index === 0 ? after : (retainedBytes[index - 1] ?? after);
    return record({
      test: `${name}${String(index).padStart(2, '0')}`,
      pid,
      indexInProcess: index,
      rssBeforeBytes: before,
      rssAfterBytes: after,
      peakBytes: Math.max(before, after),
      retainedAfterBytes: after,
      retainedDeltaBytes: after - before,
    });
  });
}

export function record(fields: Partial<PerTestRecord> & { test: string }): PerTestRecord {
  return {
    file: fields.test.split('::')[0] ?? fields.test,
    pid: 100,
    worker: undefined,
    indexInProcess: 0,
    finished: true,
    rssBeforeBytes: 0,
    rssAfterBytes: 0,
    peakBytes: 0,
    retainedAfterBytes: 0,
    retainedSource: 'rss',
    retainedDeltaBytes: 0,
    childrenRssBytes: 0,
    durationMs: 1,
    leftovers: [],
    topGrowth: [],
    ...fields,
  };
}
