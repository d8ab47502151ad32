import { describe, expect, it } from '@jest/globals';
import { nameOrphansByStartTime } from './orphan-windows.js';

// Four tests back to back, 100 ms each, 2 ms apart, as the probe writes them.
const windows = ['a', 'b', 'c', 'd'].map((test, i) => ({ test, startedAtMs: 1000 + i * 102, endedAtMs: 1100 + i * 102, finished: true }));

describe('nameOrphansByStartTime', () => {
  it('names the test whose window holds the start, one per orphan', () => {
    const named = nameOrphansByStartTime(
      [
        { pid: 7, startedAtMs: 1250, startResolutionMs: 10 },
        { pid: 8, startedAtMs: 1030, startResolutionMs: 10 },
      ],
      windows,
    );
    expect([...named]).toEqual([
      [7, 'c'],
      [8, 'a'],
    ]);
  });

  it("names no test when the start is within the clocks' error of two windows", () => {
    // c starts at 1204: 1203 is inside c by the ms, and within 10 ms ticks of b's end (1202).
    expect(nameOrphansByStartTime([{ pid: 7, startedAtMs: 1206, startResolutionMs: 10 }], windows).size).toBe(0);
  });

  it('names no test for a start before the first test (collection), even a few ms before, or after the last', () => {
    const orphans = [
      { pid: 1, startedAtMs: 900, startResolutionMs: 10 },
      { pid: 2, startedAtMs: 1500, startResolutionMs: 10 },
      { pid: 3, startedAtMs: 997, startResolutionMs: 20 },
      { pid: 4, startedAtMs: 1004, startResolutionMs: 20 },
    ];
    expect(nameOrphansByStartTime(orphans, windows).size).toBe(0);
  });

  it("with ps's whole seconds, names nothing among short tests", () => {
    expect(nameOrphansByStartTime([{ pid: 7, startedAtMs: 1250, startResolutionMs: 1000 }], windows).size).toBe(0);
  });

  it('names no test when windows overlap (parallel workers)', () => {
    const parallel = [...windows, { test: 'w2', startedAtMs: 1200, endedAtMs: 1400, finished: true }];
    expect(nameOrphansByStartTime([{ pid: 7, startedAtMs: 1250, startResolutionMs: 10 }], parallel).size).toBe(0);
  });

  it('keeps an unfinished test open to the end of the run, so a later start is still ambiguous only with it', () => {
    const killed = [...windows.slice(0, 3), { test: 'd', startedAtMs: 1306, finished: false }];
    expect([...nameOrphansByStartTime([{ pid: 7, startedAtMs: 5000, startResolutionMs: 10 }], killed)]).toEqual([[7, 'd']]);
  });

  it('names nothing when a window is unknown (an old probe without times) or the orphan has no start', () => {
    const old = windows.map((w, i) => (i === 1 ? { test: w.test, finished: true } : w));
    expect(nameOrphansByStartTime([{ pid: 7, startedAtMs: 1250, startResolutionMs: 10 }], old).size).toBe(0);
    expect(nameOrphansByStartTime([{ pid: 7 }], windows).size).toBe(0);
  });
});
