// One polluter, several victims: found once, tried first on every later victim (one run), and
// reported once with all its victims. A cleaner met by the bisection is named too.
import { describe, expect, it } from '@jest/globals';
import { simulatedSuite } from '../../test/helpers/simulated-suite.js';
import type { Verdict } from '../classify/types.js';
import type { TestId } from '../plan/types.js';
import { huntBatch } from './hunt.js';
import { mergePolluterFindings } from './merge.js';
import type { Executor, Finding, TrialResult } from './types.js';

const ONCE = { repeat: 1, maxRuns: Infinity };

describe('a polluter with two victims', () => {
  it('is bisected once, tried first on the second victim, and merged into one finding', async () => {
    const suite = simulatedSuite({
      tests: 32,
      polluters: [
        { polluter: 't05', victim: 't20' },
        { polluter: 't05', victim: 't27' },
      ],
    });
    const original = await suite.executor.run(suite.ids);
    const hunts = await huntBatch(1, suite.ids, original, suite.executor, ONCE);
    const [first, second] = hunts;
    // First victim: confirmation, alone, one probe per halving level over the 20 tests before
    // it, the inferred answer once, the rest without it, verification.
    expect(first?.findings).toEqual([expect.objectContaining({ kind: 'polluter', culprits: ['t05'], victim: 't20' })]);
    expect(first?.runsUsed).toBeLessThanOrEqual(1 + 1 + Math.ceil(Math.log2(20)) + 1 + 1 + 1);
    // Second victim: the confirmation is reused; alone (1), then the known polluter (1), then
    // alone once more (a victim that fails everywhere may pass alone once by chance). Nothing else.
    expect(second?.findings).toEqual([expect.objectContaining({ kind: 'polluter', culprits: ['t05'], victim: 't27' })]);
    expect(second?.runsUsed).toBe(3);
    const merged = mergePolluterFindings(hunts.flatMap((hunt) => hunt.findings));
    expect(merged).toEqual([expect.objectContaining({ kind: 'polluter', culprits: ['t05'], victim: 't20', victims: ['t20', 't27'] })]);
  });

  it('is one finding across batches too, when the whole report is merged, listing every victim once', () => {
    const polluter = (batchIndex: number, victim: TestId, culprits = ['t05']) =>
      ({
        kind: 'polluter',
        culprits,
        victim,
        batchIndex,
        because: `breaks ${victim}`,
        reproTests: [...culprits, victim],
        evidenceRunIds: [`b00${batchIndex}-p01`],
      }) as unknown as Finding;
    const findings = [polluter(1, 't20'), polluter(1, 't27'), polluter(2, 't40'), polluter(2, 't41', ['t33'])];
    expect(mergePolluterFindings(findings).map((f) => f.victims)).toEqual([['t20', 't27'], ['t40'], ['t41']]);
    const whole = mergePolluterFindings(mergePolluterFindings(findings), { acrossBatches: true });
    expect(whole).toEqual([
      expect.objectContaining({
        culprits: ['t05'],
        batchIndex: 1,
        victims: ['t20', 't27', 't40'],
        evidenceRunIds: ['b001-p01', 'b002-p01'],
      }),
      expect.objectContaining({ culprits: ['t33'], victims: ['t41'] }),
    ]);
    expect(whole[0]!.because).toContain('also breaks t40 in batch 2');
  });

  it('spells out the evidence of its first victims and counts the rest (116 real victims made one 115-clause sentence)', () => {
    const polluter = (batchIndex: number, victim: TestId) =>
      ({
        kind: 'polluter',
        culprits: ['t05'],
        victim,
        batchIndex,
        because: `passes alone; fails after t05 (${victim})`,
        reproTests: ['t05', victim],
        evidenceRunIds: [`b00${batchIndex}-${victim}`],
      }) as unknown as Finding;
    const victims = Array.from({ length: 8 }, (_, i) => `t${20 + i}`);
    const [one, ...rest] = mergePolluterFindings([
      ...victims.slice(0, 6).map((v) => polluter(1, v)),
      ...victims.slice(6).map((v) => polluter(2, v)),
    ]);
    expect(rest.map((f) => f.victims)).toEqual([['t26', 't27']]);
    expect(one!.victims).toEqual(victims.slice(0, 6));
    expect(one!.because).toBe(
      'passes alone; fails after t05 (t20); also breaks t21: passes alone; fails after t05 (t21); also breaks t22: passes alone; fails after t05 (t22); ' +
        '6 victims in all (listed in victims), each passing alone and failing after t05',
    );
    const whole = mergePolluterFindings([one!, ...rest], { acrossBatches: true });
    expect(whole[0]!.victims).toEqual(victims);
    expect(whole[0]!.because).toMatch(/\(t22\); 8 victims in all \(listed in victims\), each passing alone and failing after t05$/);
  });

  it('does not blame the known polluter for a victim it does not break', async () => {
    const suite = simulatedSuite({
      tests: 32,
      polluters: [
        { polluter: 't05', victim: 't20' },
        { polluter: 't12', victim: 't27' },
      ],
    });
    const original = await suite.executor.run(suite.ids);
    const hunts = await huntBatch(1, suite.ids, original, suite.executor, ONCE);
    const named = hunts.flatMap((hunt) => hunt.findings).map((f) => [f.culprits.join(), f.victim]);
    expect(named).toEqual([
      ['t05', 't20'],
      ['t12', 't27'],
    ]);
  });
});

const passed: Verdict = { outcome: 'passed', because: 'exit 0', failingTests: [], signal: undefined };

/** `victim` fails when `polluter` ran before it, unless `cleaner` ran after the polluter and before it. */
function withCleaner(polluter: TestId, cleaner: TestId, victim: TestId): Executor & { runs: number } {
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    run: async (tests): Promise<TrialResult> => {
      runs += 1;
      const p = tests.indexOf(polluter);
      const c = tests.lastIndexOf(cleaner);
      const v = tests.indexOf(victim);
      const fails = v >= 0 && p >= 0 && p < v && !(c > p && c < v);
      const verdict: Verdict = fails ? { outcome: 'failed', because: 'x', failingTests: [victim], signal: undefined } : passed;
      return { tests, verdict, peakBytes: 0, durationMs: 1, runId: `r${runs}` };
    },
  };
}

describe('a cleaner between polluter and victim', () => {
  it('is named when the bisection meets one, and the polluter still is', async () => {
    // The polluter t02, the cleaner t05, the victim t15: in batch order t15 passes, but the
    // batch run failed (as if the cleaner had not cleaned that time) and so did its confirmation.
    const ids = Array.from({ length: 16 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const executor = withCleaner('t02', 't05', 't15');
    // The batch failed (say, the cleaner was skipped that time): the hunt starts from it.
    const original: TrialResult = {
      tests: ids,
      verdict: { outcome: 'failed', because: 'x', failingTests: ['t15'], signal: undefined },
      peakBytes: 0,
      durationMs: 1,
      runId: 'batch',
    };
    const confirming: Executor = {
      run: async (tests) => (tests.length === ids.length ? { ...original, runId: 'confirm' } : executor.run(tests)),
    };
    const [hunt] = await huntBatch(1, ids, original, confirming, ONCE);
    expect(hunt?.findings).toEqual([expect.objectContaining({ kind: 'polluter', culprits: ['t02'], victim: 't15', cleaners: ['t05'] })]);
    expect(hunt?.findings[0]?.because).toMatch(/passes when t05 runs between them \(a cleaner\)/);
  });
});

/**
 * `victim` fails in every run, except its first `luckyAlone` runs alone (a test that fails
 * everywhere and passed alone by chance); `polluter`, when given, only matters to the name.
 */
function failsEverywhere(victim: TestId, luckyAlone: number): Executor & { runs: number } {
  let runs = 0;
  let aloneRuns = 0;
  return {
    get runs() {
      return runs;
    },
    run: async (tests): Promise<TrialResult> => {
      runs += 1;
      const alone = tests.length === 1 && tests[0] === victim;
      if (alone) aloneRuns += 1;
      const lucky = alone && aloneRuns <= luckyAlone;
      const verdict: Verdict = lucky ? passed : { outcome: 'failed', because: 'x', failingTests: [victim], signal: undefined };
      return { tests, verdict, peakBytes: 0, durationMs: 1, runId: `r${runs}` };
    },
  };
}

describe('a victim with one test before it', () => {
  const batchOf = (executor: Executor, tests: TestId[]) =>
    executor.run(tests).then((original) => huntBatch(1, tests, original, executor, { repeat: 3, maxRuns: Infinity }));

  // A property draw (4 tests, t01 failing with noise 0.17 per run, --repeat 3) passed alone 3
  // times by chance, then failed after t00 every time: t00 was named its polluter.
  it('does not name that test when the victim, passing its runs alone by chance, fails everywhere', async () => {
    const executor = failsEverywhere('t01', 3);
    const [hunt] = await batchOf(executor, ['t00', 't01', 't02', 't03']);
    expect(hunt?.findings.filter((f) => f.kind === 'polluter')).toEqual([]);
    expect(hunt?.findings.flatMap((f) => f.culprits)).toEqual([]);
  });

  it('does not pin it on a polluter already named, when the later victim fails everywhere', async () => {
    // t00 breaks t01; t03 fails everywhere but passed its first run alone by chance.
    const polluted = withCleaner('t00', 'none', 't01');
    const failing = failsEverywhere('t03', 1);
    const executor: Executor = {
      run: async (tests) => {
        const [a, b] = [await polluted.run(tests), await failing.run(tests)];
        const failingTests = [...a.verdict.failingTests, ...b.verdict.failingTests];
        const verdict: Verdict = failingTests.length === 0 ? passed : { ...b.verdict, outcome: 'failed', failingTests };
        return { ...a, verdict, runId: `r${polluted.runs}` };
      },
    };
    const original = await executor.run(['t00', 't01', 't02', 't03']);
    const hunts = await huntBatch(1, ['t00', 't01', 't02', 't03'], original, executor, ONCE);
    const named = hunts.flatMap((hunt) => hunt.findings).filter((f) => f.culprits.length > 0);
    expect(named.map((f) => [f.kind, f.culprits.join(), f.victim])).toEqual([['polluter', 't00', 't01']]);
  });

  it('names a true polluter, once the victim has passed alone `repeat` runs more (the one case that pays extra runs)', async () => {
    const executor = withCleaner('t00', 'none', 't01');
    const [hunt] = await batchOf(executor, ['t00', 't01', 't02', 't03']);
    expect(hunt?.findings).toEqual([expect.objectContaining({ kind: 'polluter', culprits: ['t00'], victim: 't01' })]);
    // The batch, its confirmation, t01 alone 3 times, [t00, t01] 3 times, t01 alone 3 times more.
    expect(executor.runs).toBe(1 + 1 + 3 + 3 + 3);
  });
});
