// The accumulator rule over synthetic series with a known truth: staircases (random files
// and tests keep random amounts), a runner that drifts per test, GC noise on every figure.
// Whatever the draw: exactly the planted contributors are named, never anyone else.
import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../../test/helpers/property-runs.js';
import { judgeAccumulation, type RetainedPoint } from './rule.js';

jest.setTimeout(PROPERTY_TIMEOUT_MS);

const MIB = 1024 ** 2;
// A fixed seed: the same 500 draws every run, so CI never meets a new one by chance (a CI run
// met a one-off keeper named when the seed was left random). To explore new draws:
// FC_SEED=<n> FC_RUNS=<n> (docs/accumulators.md, "How often it errs").
const RUNS = propertyRuns(500, 20261128);

interface Planted {
  readonly points: RetainedPoint[];
  /** Test ids that truly kept memory. */
  readonly leakers: Set<string>;
  /** Files whose every test kept memory. */
  readonly wholeFiles: Set<string>;
}

// Each file: its tests and, per test, the height it keeps (0 = innocent). Levels carry
// noise ±noise; a test's growth is the difference of two noisy levels plus the runner's drift.
const scenario = fc.record({
  files: fc.array(fc.record({ tests: fc.integer({ min: 1, max: 8 }), leaks: fc.constantFrom('none', 'none', 'all', 'some') }), {
    minLength: 4,
    maxLength: 25,
  }),
  noiseBytes: fc.integer({ min: 0, max: MIB / 4 }),
  driftBytesPerTest: fc.integer({ min: 0, max: Math.round(0.2 * MIB) }),
  seed: fc.integer(),
});

// GC noise of several MiB on every figure: told apart from growth only with many quiet tests.
const noisyScenario = fc.record({
  files: fc.array(fc.record({ tests: fc.integer({ min: 1, max: 8 }), leaks: fc.constantFrom('none', 'none', 'none', 'all', 'some') }), {
    minLength: 12,
    maxLength: 30,
  }),
  noiseBytes: fc.integer({ min: MIB / 4, max: 3 * MIB }),
  driftBytesPerTest: fc.integer({ min: 0, max: Math.round(0.2 * MIB) }),
  seed: fc.integer(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function plant({ files, noiseBytes, driftBytesPerTest, seed }: Scenario): Planted {
  const random = mulberry32(seed);
  const minHeight = 1.5 * MIB + 20 * noiseBytes;
  const points: RetainedPoint[] = [];
  const leakers = new Set<string>();
  const wholeFiles = new Set<string>();
  let level = 0;
  files.forEach((f, fileIndex) => {
    const file = `tests/test_f${fileIndex}.py`;
    const leaking = Array.from({ length: f.tests }, () => f.leaks === 'all' || (f.leaks === 'some' && random() < 0.5));
    if (f.leaks !== 'none' && leaking.every(Boolean)) wholeFiles.add(file);
    // A file loading (coverage, a big import) moves the level between tests: nobody's growth.
    level += random() * 30 * MIB;
    // Each figure the probe reads carries its own noise; a test's "before" is the file's
    // baseline (first test) or the previous test's "after", exactly as the probes read them.
    let measured = level + noise();
    for (let t = 0; t < f.tests; t += 1) {
      const test = `${file}::test_${t}`;
      const height = leaking[t] ? minHeight + random() * 30 * MIB : 0;
      if (height > 0) leakers.add(test);
      level += height + driftBytesPerTest;
      const after = level + noise();
      points.push({ test, file, pid: 1, growthBytes: after - measured });
      measured = after;
    }
  });
  return { points, leakers, wholeFiles };

  function noise(): number {
    return (random() * 2 - 1) * noiseBytes;
  }
}

// Noise is read off the tests that keep nothing: the rule needs a few of them (and, with
// no noise at all, none) to know what an ordinary test's growth looks like.
function enoughQuiet(planted: Planted, quiet = 8): boolean {
  return planted.points.length >= 8 && planted.points.length - planted.leakers.size >= quiet;
}

// A file keeping under 3 % of what all leakers keep is not named by design (minShareOfFile);
// every planted file here keeps 5 % or more, so the exact set is what must be named.
function noBorderlineFile(planted: Planted): boolean {
  const byFile = new Map<string, number>();
  for (const p of planted.points) if (planted.leakers.has(p.test)) byFile.set(p.file, (byFile.get(p.file) ?? 0) + p.growthBytes);
  const total = [...byFile.values()].reduce((a, b) => a + b, 0);
  if (![...byFile.values()].every((kept) => kept >= 0.05 * total)) return false;
  // A file with one leaking test keeping under 1/3 of the others' median test is dropped by
  // design (maxOneOffRatio, a one-off): here every lone leaker keeps half of it or more.
  const perTest = planted.points.filter((p) => planted.leakers.has(p.test));
  const lone = [...byFile.keys()].filter((file) => perTest.filter((p) => p.file === file).length === 1);
  return lone.every((file) => {
    const own = perTest.find((p) => p.file === file)!.growthBytes;
    const others = perTest
      .filter((p) => p.file !== file)
      .map((p) => p.growthBytes)
      .sort((a, b) => a - b);
    return others.length < 2 || own >= others[Math.floor(others.length / 2)]! / 2;
  });
}

function named(points: readonly RetainedPoint[]): { tests: Set<string>; wholeFiles: Set<string> } {
  const verdict = judgeAccumulation(points);
  return {
    tests: new Set(verdict.files.flatMap((f) => f.tests.map((t) => t.test))),
    wholeFiles: new Set(verdict.files.filter((f) => f.wholeFile).map((f) => f.file)),
  };
}

describe('the accumulator rule on planted staircases', () => {
  it('names exactly the tests that keep memory, and never an innocent one', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const planted = plant(s);
        fc.pre(enoughQuiet(planted) && noBorderlineFile(planted));
        const found = named(planted.points);
        expect([...found.tests].sort()).toEqual([...planted.leakers].sort());
        expect([...found.wholeFiles].filter((f) => planted.points.filter((p) => p.file === f).length > 1).sort()).toEqual(
          [...planted.wholeFiles].filter((f) => planted.points.filter((p) => p.file === f).length > 1).sort(),
        );
      }),
      RUNS,
    );
  });

  it('names exactly the tests that keep memory under GC noise of up to ±3 MiB, given 30 quiet tests', () => {
    fc.assert(
      fc.property(noisyScenario, (s) => {
        const planted = plant(s);
        fc.pre(enoughQuiet(planted, 30) && noBorderlineFile(planted));
        expect([...named(planted.points).tests].sort()).toEqual([...planted.leakers].sort());
      }),
      RUNS,
    );
  });

  it('calls it an accumulator exactly when two or more tests keep memory and none keeps half of it', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const planted = plant(s);
        fc.pre(enoughQuiet(planted));
        const verdict = judgeAccumulation(planted.points);
        const kept = verdict.files.flatMap((f) => f.tests.map((t) => t.retainedBytes));
        const expected =
          planted.leakers.size >= 2 && verdict.explainedBytes >= 4 * MIB && Math.max(...kept) <= 0.5 * verdict.explainedBytes;
        expect(verdict.isAccumulating).toBe(expected);
        if (verdict.isAccumulating) expect(verdict.explainedShare).toBeGreaterThan(0.8);
      }),
      RUNS,
    );
  });

  it('names exactly the leakers, whatever their number, when the figures carry no noise (a uniform leak included)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const planted = plant({ ...s, noiseBytes: 0 });
        fc.pre(planted.points.length >= 8 && noBorderlineFile(planted));
        expect([...named(planted.points).tests].sort()).toEqual([...planted.leakers].sort());
      }),
      RUNS,
    );
  });

  it('names nobody in a control whose only movement is GC noise and the runner loading files', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const planted = plant({ ...s, files: s.files.map((f) => ({ ...f, leaks: 'none' as const })) });
        fc.pre(enoughQuiet(planted));
        const verdict = judgeAccumulation(planted.points);
        expect(verdict.files).toEqual([]);
        expect(verdict.isAccumulating).toBe(false);
      }),
      RUNS,
    );
  });
});

// A batch that died early: a few registry feeders keeping 8–12 MiB each (±5 %), real tests keeping
// nothing, and one real test (alone in its file or among quiet tests of its file) that builds
// something once and keeps 1.1–2.4 MiB — a share of the little that ran that passes any fixed
// floor. It must never be named.
const oneOffScenario = fc.record({
  quietFiles: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 3, maxLength: 15 }),
  feeders: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  oneOffMiB: fc.double({ min: 1.1, max: 2.4, noNaN: true }),
  feederMiB: fc.double({ min: 8, max: 12, noNaN: true }),
  noiseBytes: fc.integer({ min: 0, max: MIB / 8 }),
  seed: fc.integer(),
});

describe('the accumulator rule and a one-off keeper', () => {
  it('never names a test that kept a little memory once among registry feeders', () => {
    fc.assert(
      fc.property(oneOffScenario, ({ quietFiles, feeders, oneOffMiB, feederMiB, noiseBytes, seed }) => {
        const random = mulberry32(seed);
        const noise = (): number => (random() * 2 - 1) * noiseBytes;
        const files: { name: string; heights: number[] }[] = quietFiles.map((n, i) => ({
          name: `tests/test_real${i}.py`,
          heights: Array.from({ length: n }, () => 0),
        }));
        const oneOffFile = files[Math.floor(random() * files.length)]!;
        const oneOffAt = Math.floor(random() * oneOffFile.heights.length);
        oneOffFile.heights[oneOffAt] = oneOffMiB * MIB;
        const oneOff = `${oneOffFile.name}::test_${oneOffAt}`;
        feeders.forEach((n, i) => {
          const feeder = {
            name: `tests/test_qa_cache_${i}.py`,
            heights: Array.from({ length: n }, () => feederMiB * MIB * (0.95 + 0.1 * random())),
          };
          files.splice(Math.floor(random() * (files.length + 1)), 0, feeder);
        });
        fc.pre(feeders.reduce((a, b) => a + b, 0) >= 2);
        const points = files.flatMap((f) =>
          f.heights.map((h, t) => ({ test: `${f.name}::test_${t}`, file: f.name, pid: 1, growthBytes: h + noise() })),
        );
        const verdict = judgeAccumulation(points);
        const namedTests = verdict.files.flatMap((f) => f.tests.map((t) => t.test));
        expect(namedTests).not.toContain(oneOff);
        expect(verdict.files.every((f) => f.file.includes('test_qa_cache_'))).toBe(true);
        // Shown at most as "also kept a little" (when it stood out of the noise at all).
        for (const t of verdict.alsoKept ?? []) expect(t.test).toBe(oneOff);
      }),
      RUNS,
    );
  });

  it('drops a one-off keeper whose quiet neighbour makes its file stand out (a CI draw: 1.0 MiB once in a file of 2)', () => {
    const points = [
      ...[0, 1, 2, 3, 4, 5].map((t) => ({
        test: `tests/test_real0.py::test_${t}`,
        file: 'tests/test_real0.py',
        pid: 1,
        growthBytes: 0.05 * MIB,
      })),
      ...[8, 7.7, 8.3].map((mib, t) => ({
        test: `tests/test_qa_cache.py::test_${t}`,
        file: 'tests/test_qa_cache.py',
        pid: 1,
        growthBytes: mib * MIB,
      })),
      ...[0.99, 0.15].map((mib, t) => ({
        test: `tests/test_real1.py::test_${t}`,
        file: 'tests/test_real1.py',
        pid: 1,
        growthBytes: mib * MIB,
      })),
    ];
    const verdict = judgeAccumulation(points);
    expect(verdict.files.map((f) => f.file)).toEqual(['tests/test_qa_cache.py']);
    expect(verdict.alsoKept?.map((t) => t.test)).toEqual(['tests/test_real1.py::test_0']);
  });

  it('drops the shape QA met on simplejson: 6 registry steps of 8 MiB and test_dump.py keeping 1.6 MiB once', () => {
    const series: [string, number][] = [
      ...Array.from({ length: 20 }, (_, t): [string, number] => [`simplejson/tests/test_decode.py::test_${t}`, 0.02]),
      ['simplejson/tests/test_dump.py::TestDump::test_accumulator', 1.6],
      ...Array.from({ length: 12 }, (_, t): [string, number] => [`simplejson/tests/test_dump.py::TestDump::test_${t}`, -0.01]),
      ...[0, 1].map((t): [string, number] => [`simplejson/tests/test_qa_cache_a.py::test_${t}`, 8]),
      ...[0, 1].map((t): [string, number] => [`simplejson/tests/test_qa_cache_b.py::test_${t}`, 8]),
      ...[0, 1].map((t): [string, number] => [`simplejson/tests/test_qa_cache_c.py::test_${t}`, 8]),
    ];
    const points = series.map(([test, mib]) => ({ test, file: test.split('::')[0]!, pid: 1, growthBytes: mib * MIB }));
    const verdict = judgeAccumulation(points);
    expect(verdict.isAccumulating).toBe(true);
    expect(verdict.files.map((f) => f.file).sort()).toEqual(['a', 'b', 'c'].map((x) => `simplejson/tests/test_qa_cache_${x}.py`));
    expect(verdict.alsoKept?.map((t) => t.test)).toEqual(['simplejson/tests/test_dump.py::TestDump::test_accumulator']);
  });
});

// The jest probe runs a full GC only when a cheap bound says the retained figure moved by
// more than its step (src/probe/jest/setup.cjs); otherwise it carries the last figure, so a
// test under the step reads 0 and what it kept lands, summed, on the next measured test of
// its file (each file starts with a measured baseline; a file's unmeasured tail is lost).
// The pytest probe samples the same way, across files too (src/probe/pytest/leakhunt_probe.py):
// what was kept since the last measured figure carries on into the next file (pytest imports
// test modules at collection: only its bookkeeping runs between files). Before, a module's
// last test was always measured (LEAKHUNT_GC_MODULE_END=1): no tail at all.
// Simulated at its worst: no garbage, so the bound is the true figure and carrying is maximal.
const GC_STEP = 512 * 1024;
function sampled(points: readonly RetainedPoint[], measureFileEnds: boolean): RetainedPoint[] {
  let pending = 0;
  let file: string | undefined;
  return points.map((p, i) => {
    if (p.file !== file) pending = 0;
    file = p.file;
    pending += p.growthBytes;
    const endsFile = points[i + 1]?.file !== p.file;
    if (Math.abs(pending) <= GC_STEP && !(measureFileEnds && endsFile)) return { ...p, growthBytes: 0, carried: true };
    const growthBytes = pending;
    pending = 0;
    return { ...p, growthBytes };
  });
}

// A carried test's share for the baseline is read off the bound the probe writes (retainedPoints):
// here the true figure plus old garbage (what a young collection does not free) that only
// the next full collection frees. The bound, not the figure, decides whether to collect.
function sampledLikePytest(points: readonly RetainedPoint[]): RetainedPoint[] {
  const random = mulberry32(points.length);
  let pending = 0; // kept since the last measured figure
  let garbage = 0; // old garbage since the last full collection
  let previous: number | undefined; // the figure of the test before, when it was a bound
  return points.map((p) => {
    pending += p.growthBytes;
    garbage += random() < 0.2 ? random() * 0.3 * MIB : 0;
    const bound = pending + garbage;
    if (Math.abs(bound) <= GC_STEP) {
      const shareBytes = bound - (previous ?? 0);
      previous = bound;
      return { ...p, growthBytes: 0, carried: true, shareBytes };
    }
    const growthBytes = pending;
    const own = previous === undefined ? {} : { shareBytes: pending - previous };
    pending = 0;
    garbage = 0;
    previous = undefined;
    return { ...p, growthBytes, ...own };
  });
}

describe.each([
  ['jest', (points: readonly RetainedPoint[]) => sampled(points, false)],
  ['pytest', sampledLikePytest],
  ['pytest with LEAKHUNT_GC_MODULE_END=1', (points: readonly RetainedPoint[]) => sampled(points, true)],
])('the accumulator rule on a series sampled like the %s probe (full GC only past a step)', (_probe, sample) => {
  it('names exactly the tests that keep memory, and never an innocent one', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const planted = plant(s);
        fc.pre(enoughQuiet(planted) && noBorderlineFile(planted));
        expect([...named(sample(planted.points)).tests].sort()).toEqual([...planted.leakers].sort());
      }),
      RUNS,
    );
  });

  // Carried tests read 0: without spreading each measured step over its interval for the
  // baseline, a runner keeping 0.2 MiB per test had a file of 7 innocent tests named.
  it('names nobody in a control of noise and a drifting runner', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const planted = plant({ ...s, files: s.files.map((f) => ({ ...f, leaks: 'none' as const })) });
        fc.pre(enoughQuiet(planted));
        // Nobody named: no accumulator at all, or one without files. A measured test closing a
        // run of carried ones may read the whole run's drift (6 × 0.14 MiB) and pass 1 MiB,
        // but one test is never an accumulator (rule 4), so it names nobody.
        const verdict = judgeAccumulation(sample(planted.points));
        expect(verdict.isAccumulating ? verdict.files : []).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('the accumulator rule on shapes users meet', () => {
  const point = (file: string, t: number, growthMiB: number): RetainedPoint => ({
    test: `${file}::test_${t}`,
    file,
    pid: 1,
    growthBytes: growthMiB * MIB,
  });

  it('names nobody when a module fixture fills up during a file and is freed at its teardown', () => {
    const points = [
      ...[0, 1, 2, 3, 4].map((t) => point('tests/test_cache.py', t, t === 4 ? -32 : 8)),
      ...[0, 1, 2, 3, 4].map((t) => point('tests/test_other.py', t, 0.01)),
    ];
    expect(judgeAccumulation(points).files).toEqual([]);
  });

  it('names a file whose tests each keep a little, none alone over the threshold, as the file', () => {
    const points = [
      ...Array.from({ length: 10 }, (_, t) => point('tests/test_slow.py', t, 0.6)),
      ...Array.from({ length: 30 }, (_, t) => point('tests/test_clean.py', t, t % 2 === 0 ? 0.05 : -0.05)),
    ];
    const verdict = judgeAccumulation(points);
    expect(verdict.files.map((f) => [f.file, f.wholeFile, f.tests.length])).toEqual([['tests/test_slow.py', true, 10]]);
    expect(verdict.isAccumulating).toBe(true);
  });

  it('is a hog, not an accumulator, when one test keeps most of it', () => {
    const points = [point('a.py', 0, 150), point('a.py', 1, 2), point('a.py', 2, 2), ...[0, 1, 2, 3, 4, 5].map((t) => point('b.py', t, 0))];
    const verdict = judgeAccumulation(points);
    expect(verdict.isAccumulating).toBe(false);
    expect(verdict.why).toMatch(/hog/);
  });

  // The pytest probe measures a module's last test only when it moved past the step: quiet
  // files are carried whole. Their shares come from the bounds; without them the baseline was
  // read off the batch's first test alone (0.57 MiB of pymalloc arenas, capped at 0.5 MiB)
  // and the feeders read 7.5 MiB per test (the e2e staircase, test/e2e/accumulators.e2e.test.ts).
  it('reads a whole carried quiet file as keeping what its bounds say, so feeders read 8 MiB', () => {
    const quiet = (file: string, first = 0): RetainedPoint[] =>
      [0, 1, 2, 3].map((t) => ({ ...point(file, t, t === 0 ? first : 0), ...(t > 0 || first === 0 ? { carried: true } : {}) }));
    const bounded = (points: RetainedPoint[]): RetainedPoint[] =>
      points.map((p) => (p.carried === true ? { ...p, shareBytes: 0.01 * MIB } : p));
    const feeders = (file: string): RetainedPoint[] => [0, 1, 2, 3].map((t) => point(file, t, 8));
    const series = [
      ...quiet('f1.py', 0.57),
      ...feeders('f2.py'),
      ...quiet('f3.py'),
      ...feeders('f4.py'),
      ...quiet('f5.py'),
      ...quiet('f6.py'),
    ];
    const withBounds = judgeAccumulation(bounded(series));
    expect(withBounds.files.map((f) => f.file).sort()).toEqual(['f2.py', 'f4.py']);
    expect(withBounds.bytesPerContributingTest / MIB).toBeCloseTo(8, 1);
    // Without the bounds (a jest-like series), the lone measured quiet test sets the baseline.
    expect(judgeAccumulation(series).bytesPerContributingTest / MIB).toBeCloseTo(7.5, 1);
  });

  it('judges each process apart and puts the contributors of both together', () => {
    const points = [
      ...[0, 1, 2].map((t) => ({ ...point('a.py', t, 8), pid: 1 })),
      ...[0, 1, 2, 3, 4, 5].map((t) => ({ ...point('b.py', t, 0), pid: 1 })),
      ...[0, 1, 2, 3, 4, 5].map((t) => ({ ...point('c.py', t, 0), pid: 2 })),
      ...[0, 1, 2].map((t) => ({ ...point('d.py', t, 8), pid: 2 })),
    ];
    const verdict = judgeAccumulation(points);
    expect(verdict.files.map((f) => f.file).sort()).toEqual(['a.py', 'd.py']);
    expect(verdict.bytesPerContributingTest / MIB).toBeCloseTo(8, 1);
  });
});

// A small seeded generator: fast-check shrinks the seed, the series follows.
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
