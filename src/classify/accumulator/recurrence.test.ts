// The confirmation's second measurement on simulated series: a batch where 3 files feed a
// registry (8 MiB per test) and, in one scenario, a test that kept 8 MiB once by chance. The
// contributors-alone run decides who is named; a test whose growth does not recur is not.
import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../../test/helpers/property-runs.js';
import type { PerTestRecord } from '../../probe/records.js';
import { checkRecurrence } from './recurrence.js';
import { judgeAccumulation, type RetainedPoint } from './rule.js';

jest.setTimeout(PROPERTY_TIMEOUT_MS);

const MIB = 1024 ** 2;

// 12 files of 4 tests; f2, f5 and f9 keep 8 MiB in every test; f7::t1 keeps `chance` once.
function batch(chance = 0, noise: () => number = () => 0): RetainedPoint[] {
  const points: RetainedPoint[] = [];
  for (let f = 0; f < 12; f += 1) {
    for (let t = 0; t < 4; t += 1) {
      const feeds = f === 2 || f === 5 || f === 9;
      const once = f === 7 && t === 1 ? chance : 0;
      points.push({
        test: `tests/test_f${f}.py::test_${t}`,
        file: `tests/test_f${f}.py`,
        pid: 1,
        growthBytes: (feeds ? 8 * MIB : 0) + once + noise(),
      });
    }
  }
  return points;
}

function aloneRecords(growth: Record<string, number | 'killed'>): PerTestRecord[] {
  return Object.entries(growth).map(
    ([test, bytes], index) =>
      ({
        test,
        file: test.split('::')[0]!,
        pid: 2,
        worker: undefined,
        indexInProcess: index,
        finished: bytes !== 'killed',
        rssBeforeBytes: 0,
        rssAfterBytes: 0,
        peakBytes: 0,
        retainedAfterBytes: 0,
        retainedSource: 'post-gc-rss',
        retainedDeltaBytes: bytes === 'killed' ? 0 : bytes,
        childrenRssBytes: 0,
        durationMs: 1,
        leftovers: [],
        topGrowth: [],
      }) as PerTestRecord,
  );
}

const FEEDERS = ['tests/test_f2.py', 'tests/test_f5.py', 'tests/test_f9.py'];
const feederTests = FEEDERS.flatMap((file) => [0, 1, 2, 3].map((t) => `${file}::test_${t}`));

describe('checkRecurrence', () => {
  it('keeps every contributor whose growth recurs alone, within the noise, and says by how much', () => {
    const verdict = judgeAccumulation(batch());
    expect(verdict.files.map((f) => f.file).sort()).toEqual(FEEDERS);
    // Alone each test keeps 5–9 MiB (a fresh process reuses pages differently).
    const alone = aloneRecords(Object.fromEntries(feederTests.map((test, i) => [test, (5 + (i % 5)) * MIB])));
    const { verdict: confirmed, checks } = checkRecurrence(verdict, alone, false);
    expect(confirmed).toBe(verdict);
    expect(checks.map((c) => [c.contributor, c.recurred])).toEqual(FEEDERS.map((file) => [file, true]));
    expect(checks[0]!.batchBytes).toBeCloseTo(32 * MIB, -3);
    expect(checks[0]!.aloneBytes).toBeGreaterThan(16 * MIB);
  });

  it('drops a test that kept memory in the batch but nothing alone, and keeps the rest', () => {
    const verdict = judgeAccumulation(batch(8 * MIB));
    expect(verdict.contributingTests).toContain('tests/test_f7.py::test_1'); // the rule alone names it
    const alone = aloneRecords({
      ...Object.fromEntries(feederTests.map((test) => [test, 8 * MIB])),
      'tests/test_f7.py::test_1': 0.1 * MIB,
    });
    const { verdict: confirmed, checks } = checkRecurrence(verdict, alone, false);
    expect(confirmed.isAccumulating).toBe(true);
    expect(confirmed.contributingTests).toEqual(feederTests.sort((a, b) => order(a) - order(b)));
    expect(confirmed.files.map((f) => f.file).sort()).toEqual(FEEDERS);
    expect(confirmed.explainedBytes).toBeCloseTo(96 * MIB, -3);
    expect(confirmed.bytesPerContributingTest).toBeCloseTo(8 * MIB, -3);
    expect(checks.find((c) => c.contributor === 'tests/test_f7.py::test_1')).toMatchObject({ recurred: false, aloneBytes: 0.1 * MIB });
  });

  it('drops a lone test that keeps memory in every fresh process but nothing when run again (a first import)', () => {
    const verdict = judgeAccumulation(batch(8 * MIB));
    const oneOff = 'tests/test_f7.py::test_1';
    // Alone it keeps ~5 MiB (the import happens again in a fresh process): that alone passes.
    const records = aloneRecords({ ...Object.fromEntries(feederTests.map((test) => [test, 8 * MIB])), [oneOff]: 5 * MIB });
    expect(checkRecurrence(verdict, records, false).verdict.contributingTests).toContain(oneOff);
    // Run a second time in the same process it keeps nothing: dropped, the feeders stay.
    const again = [...records, { ...records.find((r) => r.test === oneOff)!, indexInProcess: 99, retainedDeltaBytes: 0.05 * MIB }];
    const { verdict: confirmed, checks } = checkRecurrence(verdict, again, false);
    expect(confirmed.contributingTests).not.toContain(oneOff);
    expect(confirmed.files.map((f) => f.file).sort()).toEqual(FEEDERS);
    expect(checks.find((c) => c.contributor === oneOff)).toMatchObject({ recurred: false, aloneBytes: 5 * MIB, againBytes: 0.05 * MIB });
    // A lone feeder that keeps again is kept.
    const feeds = [
      ...records.filter((r) => r.test !== oneOff),
      { ...records.find((r) => r.test === oneOff)!, retainedDeltaBytes: 8 * MIB },
    ];
    const twice = [...feeds, { ...feeds.at(-1)!, indexInProcess: 99 }];
    expect(checkRecurrence(verdict, twice, false).checks.find((c) => c.contributor === oneOff)).toMatchObject({
      recurred: true,
      againBytes: 8 * MIB,
    });
  });

  it('counts the unit running when the run died the same way; drops those never reached', () => {
    const verdict = judgeAccumulation(batch());
    const reached = feederTests.slice(0, 4); // f2 finished, f5's first test was killed, f9 never ran
    const alone = aloneRecords({ ...Object.fromEntries(reached.map((test) => [test, 8 * MIB])), 'tests/test_f5.py::test_0': 'killed' });
    const { verdict: confirmed, checks } = checkRecurrence(verdict, alone, true);
    expect(checks.map((c) => [c.contributor, c.recurred, c.crossedBudget])).toEqual([
      ['tests/test_f2.py', true, undefined],
      ['tests/test_f5.py', true, true],
      ['tests/test_f9.py', false, undefined],
    ]);
    expect(confirmed.files.map((f) => f.file)).toEqual(['tests/test_f2.py', 'tests/test_f5.py']);
    // Killed but the run did not die the same way (e.g. it timed out): not counted.
    expect(checkRecurrence(verdict, alone, false).verdict.files.map((f) => f.file)).toEqual(['tests/test_f2.py']);
  });

  it('is no accumulator when what recurs is too little', () => {
    const verdict = judgeAccumulation(batch());
    const alone = aloneRecords({ ...Object.fromEntries(feederTests.map((test) => [test, 0])), 'tests/test_f2.py::test_0': 8 * MIB });
    const { verdict: confirmed } = checkRecurrence(verdict, alone, false);
    expect(confirmed.isAccumulating).toBe(false);
    expect(confirmed.why).toMatch(/did not recur/);
    expect(confirmed.contributingTests).toEqual([]);
  });

  it('over noisy batches and noisy alone runs: a planted feeder is kept, a chance keeper is dropped', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: Math.round(0.25 * MIB) }), (seed, noiseBytes) => {
        const random = mulberry32(seed);
        const noise = (): number => (2 * random() - 1) * noiseBytes;
        const verdict = judgeAccumulation(batch(8 * MIB, noise));
        const alone = aloneRecords({
          ...Object.fromEntries(feederTests.map((test) => [test, 8 * MIB * (0.6 + 0.8 * random()) + noise()])),
          'tests/test_f7.py::test_1': noise(),
        });
        const { verdict: confirmed } = checkRecurrence(verdict, alone, false);
        expect(new Set(confirmed.contributingTests)).toEqual(new Set(feederTests));
      }),
      propertyRuns(300, 13),
    );
  });
});

function order(test: string): number {
  const [, f, t] = /test_f(\d+)\.py::test_(\d+)/.exec(test)!;
  return Number(f) * 10 + Number(t);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
