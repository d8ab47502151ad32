import { describe, expect, it } from '@jest/globals';
import { latestTestStartMs, leftovers, parseProbeLines } from './records.js';
import { record } from './test-records.js';

const line = (fields: Record<string, unknown>): string => JSON.stringify(fields);
const phase = (test: string, name: string, before: number, after: number, extra: Record<string, unknown> = {}): string =>
  line({
    event: 'phase',
    test,
    phase: name,
    pid: 7,
    rssBeforeBytes: before,
    rssAfterBytes: after,
    peakBytes: after,
    childrenRssBytes: 0,
    durationMs: 2,
    ...extra,
  });

describe('parseProbeLines', () => {
  it('joins the start line and three pytest phases into one record per test', () => {
    const text = [
      line({ event: 'start', test: 'tests/test_a.py::test_x', pid: 7 }),
      phase('tests/test_a.py::test_x', 'setup', 100, 100),
      phase('tests/test_a.py::test_x', 'call', 100, 300, { peakBytes: 500 }),
      phase('tests/test_a.py::test_x', 'teardown', 300, 250),
    ].join('\n');
    expect(parseProbeLines(text)).toEqual([
      expect.objectContaining({
        test: 'tests/test_a.py::test_x',
        file: 'tests/test_a.py',
        indexInProcess: 0,
        finished: true,
        rssBeforeBytes: 100,
        rssAfterBytes: 250,
        peakBytes: 500,
        retainedAfterBytes: 250,
        retainedSource: 'rss',
        retainedDeltaBytes: 150,
        durationMs: 6,
      }),
    ]);
  });

  it('keeps the test that was running when the process died, marked unfinished', () => {
    const text = [
      line({ event: 'start', test: 't1', pid: 7 }),
      phase('t1', 'setup', 10, 10),
      phase('t1', 'call', 10, 40),
      phase('t1', 'teardown', 40, 40),
      line({ event: 'start', test: 't2', pid: 7 }),
      '{"event":"phase","test":"t2","phase":"setup","pid":7,"rssBefo', // cut by SIGKILL mid-write
    ].join('\n');
    const records = parseProbeLines(text);
    expect(records.map((r) => [r.test, r.finished, r.indexInProcess, r.rssBeforeBytes])).toEqual([
      ['t1', true, 0, 10],
      ['t2', false, 1, 40],
    ]);
  });

  it("starts a JS test killed before its phase line from its start line's RSS, not from 0", () => {
    // vitest runs each file in a fresh fork: its first test has no earlier test to borrow from.
    const text = [
      line({ event: 'start', test: 'a.test.ts > hog', pid: 9, rssBeforeBytes: 60 }),
      line({ event: 'start', test: 'b', pid: 8 }),
    ];
    expect(parseProbeLines(text.join('\n')).map((r) => [r.test, r.finished, r.rssBeforeBytes])).toEqual([
      ['a.test.ts > hog', false, 60],
      ['b', false, 0],
    ]);
  });

  it('gives a test run twice in a row in one process a record per run, each with its own growth', () => {
    // The probe's module-first start line carries the retained figure before it; the repeat's does not.
    const run = (before: number, after: number): string[] => [
      line({ event: 'start', test: 't1', pid: 7, ...(before === 10 && { retainedRssBeforeBytes: before }) }),
      phase('t1', 'setup', before, before),
      phase('t1', 'call', before, after),
      phase('t1', 'teardown', after, after, { retainedRssBytes: after }),
    ];
    const records = parseProbeLines([...run(10, 50), ...run(50, 51)].join('\n'));
    expect(records.map((r) => [r.test, r.indexInProcess, r.retainedDeltaBytes])).toEqual([
      ['t1', 0, 40],
      ['t1', 1, 1],
    ]);
  });

  it('keeps the pytest probe’s carried mark: a carried test grows 0, the next measured one gets what both kept', () => {
    const test = (id: string, retained: number, carried: boolean, baseline?: number): string[] => [
      line({ event: 'start', test: id, pid: 7, ...(baseline !== undefined && { retainedRssBeforeBytes: baseline }) }),
      phase(id, 'call', 10, 10),
      phase(id, 'teardown', 10, 10, { retainedRssBytes: retained, ...(carried && { retainedCarried: true }) }),
    ];
    const text = [...test('a.py::t1', 100, false, 90), ...test('a.py::t2', 100, true), ...test('a.py::t3', 900, false)].join('\n');
    expect(parseProbeLines(text).map((r) => [r.test, r.retainedSource, r.retainedDeltaBytes, r.retainedCarried])).toEqual([
      ['a.py::t1', 'post-gc-rss', 10, undefined],
      ['a.py::t2', 'post-gc-rss', 0, true],
      ['a.py::t3', 'post-gc-rss', 800, undefined],
    ]);
  });

  it('keeps a carried test’s bound (the figure before any collection) and no bound on a measured one', () => {
    const text = [
      line({ event: 'start', test: 'a.py::t1', pid: 7, retainedRssBeforeBytes: 90 }),
      phase('a.py::t1', 'teardown', 10, 10, { retainedRssBytes: 100, retainedRssBoundBytes: 130 }),
      line({ event: 'start', test: 'a.py::t2', pid: 7 }),
      phase('a.py::t2', 'teardown', 10, 10, { retainedRssBytes: 100, retainedCarried: true, retainedRssBoundBytes: 130 }),
    ].join('\n');
    expect(parseProbeLines(text).map((r) => [r.test, r.retainedDeltaBytes, r.retainedBoundBytes])).toEqual([
      ['a.py::t1', 10, undefined],
      ['a.py::t2', 0, 130],
    ]);
  });

  it('marks a test the probe recorded as failed; a file without outcome lines marks none', () => {
    const text = [
      line({ event: 'start', test: 't1', pid: 7 }),
      phase('t1', 'call', 10, 10),
      line({ event: 'outcome', test: 't1', pid: 7, when: 'call', outcome: 'failed' }),
      phase('t1', 'teardown', 10, 10),
      line({ event: 'start', test: 't2', pid: 7 }),
      phase('t2', 'call', 10, 10),
    ].join('\n');
    expect(parseProbeLines(text).map((r) => [r.test, r.failed])).toEqual([
      ['t1', true],
      ['t2', undefined],
    ]);
  });

  it('numbers tests per process so two workers make two series', () => {
    const text = [
      line({ event: 'start', test: 'a', pid: 1, worker: 'gw0' }),
      line({ event: 'start', test: 'b', pid: 2, worker: 'gw1' }),
      line({ event: 'start', test: 'c', pid: 1, worker: 'gw0' }),
    ].join('\n');
    expect(parseProbeLines(text).map((r) => [r.test, r.pid, r.worker, r.indexInProcess])).toEqual([
      ['a', 1, 'gw0', 0],
      ['b', 2, 'gw1', 0],
      ['c', 1, 'gw0', 1],
    ]);
  });

  it('fits jest tests on the post-GC heap and measures each against the previous test', () => {
    const jest = (test: string, heapBefore: number, afterGc: number): string[] => [
      line({ event: 'start', test, file: 'a.test.js', pid: 7 }),
      phase(test, 'test', 1000, 2000, { heapBeforeBytes: heapBefore, heapAfterGcBytes: afterGc }),
    ];
    const records = parseProbeLines([...jest('a.test.js > one', 50, 40), ...jest('a.test.js > two', 90, 44)].join('\n'));
    expect(records.map((r) => [r.file, r.retainedSource, r.retainedAfterBytes, r.retainedDeltaBytes, r.finished])).toEqual([
      ['a.test.js', 'post-gc-heap', 40, -10, true],
      ['a.test.js', 'post-gc-heap', 44, 4, true],
    ]);
  });

  it('collects leftover processes and ignores lines it does not know', () => {
    const leftover = { pid: 4242, state: 'S', command: 'sleep 1000' };
    const text = [
      'not json',
      '42',
      line({ event: 'other', test: 'x', pid: 7 }),
      line({ event: 'start', test: 'x', pid: 7 }),
      phase('x', 'teardown', 1, 1, { leftovers: [leftover] }),
      '',
    ].join('\r\n');
    expect(parseProbeLines(text)).toEqual([expect.objectContaining({ test: 'x', leftovers: [leftover] })]);
  });

  it("keeps the wall-clock window of a test: its start line and its last phase's end", () => {
    const text = [
      line({ event: 'start', test: 'x', pid: 7, tMs: 1000 }),
      phase('x', 'setup', 1, 1, { tMs: 1010 }),
      phase('x', 'teardown', 1, 1, { tMs: 1090 }),
      line({ event: 'start', test: 'y', pid: 7 }),
    ].join('\n');
    const [x, y] = parseProbeLines(text);
    expect([x?.startedAtMs, x?.endedAtMs]).toEqual([1000, 1090]);
    expect([y?.startedAtMs, y?.endedAtMs]).toEqual([undefined, undefined]);
  });
});

describe('leftovers', () => {
  it('lists the tests that left processes behind, with those processes', () => {
    const sleeper = { pid: 99, state: 'S', command: 'sleep 1000' };
    const records = [record({ test: 'a' }), record({ test: 'b', leftovers: [sleeper] }), record({ test: 'c' })];
    expect(leftovers(records)).toEqual([{ test: 'b', processes: [sleeper] }]);
  });
});

describe('latestTestStartMs', () => {
  it('is undefined before any test started (start-up, collection)', () => {
    expect(latestTestStartMs('')).toBeUndefined();
    expect(latestTestStartMs(line({ event: 'sites', test: 'a', pid: 7, sites: [] }))).toBeUndefined();
  });
  it("is the latest start line's time, whatever phases followed", () => {
    const text = [
      line({ event: 'start', test: 'tests/test_a.py::test_x', pid: 7, tMs: 1_000 }),
      phase('tests/test_a.py::test_x', 'teardown', 100, 100, { tMs: 1_500 }),
      line({ event: 'start', test: 'tests/test_a.py::test_y', pid: 7, tMs: 2_000 }),
    ].join('\n');
    expect(latestTestStartMs(text)).toBe(2_000);
  });
  it('skips a start line cut by a kill and one without a time (an older probe)', () => {
    const text = [
      line({ event: 'start', test: 'tests/test_a.py::test_x', pid: 7, tMs: 1_000 }),
      line({ event: 'start', test: 'tests/test_a.py::test_y', pid: 7 }),
      '{"event": "start", "test": "tests/test_a.py::test_z", "pid": 7, "tMs": 30',
    ].join('\n');
    expect(latestTestStartMs(text)).toBe(1_000);
  });
});
