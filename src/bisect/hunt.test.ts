import { describe, expect, it } from '@jest/globals';
import { type SimulatedSuiteSpec, simulatedSuite } from '../../test/helpers/simulated-suite.js';
import type { Verdict } from '../classify/types.js';
import type { TestId } from '../plan/types.js';
import { makeCachingExecutor } from './cache.js';
import { type BisectEvent, estimateRuns, type HuntOptions, huntBatch } from './hunt.js';
import type { Executor, TrialResult } from './types.js';

const ONCE: HuntOptions = { repeat: 1, maxRuns: Infinity };

async function huntSuite(spec: SimulatedSuiteSpec, options: HuntOptions = ONCE, wrap = (executor: Executor) => executor) {
  const suite = simulatedSuite(spec);
  const executor = wrap(suite.executor);
  const original = await suite.executor.run(suite.ids);
  const events: BisectEvent[] = [];
  const hunts = await huntBatch(3, suite.ids, original, executor, options, (event) => events.push(event));
  const findings = hunts.flatMap((hunt) => hunt.findings);
  return { suite, original, hunts, findings, events, runsAfterOriginal: suite.runs - 1 };
}

/** Flaky in a fixed pattern: the 1st, 3rd… run of each list passes, the 2nd, 4th… tell the truth. */
function everyOtherRunPasses(executor: Executor): Executor {
  const seen = new Map<string, number>();
  return {
    run: async (tests) => {
      const trial = await executor.run(tests);
      const count = (seen.get(tests.join()) ?? 0) + 1;
      seen.set(tests.join(), count);
      return count % 2 === 1 ? { ...trial, verdict: passed } : trial;
    },
  };
}

/** `list` shows its failure the first time only: the culprit stops reproducing. */
function failsOnlyOnce(executor: Executor, list: readonly TestId[]): Executor {
  let seen = false;
  return {
    run: async (tests) => {
      const trial = await executor.run(tests);
      if (tests.join() !== list.join()) return trial;
      if (!seen) {
        seen = true;
        return trial;
      }
      return { ...trial, verdict: passed };
    },
  };
}

const passed: Verdict = { outcome: 'passed', because: 'exit 0 and every test passed', failingTests: [], signal: undefined };

describe('huntBatch', () => {
  it('names one hog among 16 with its evidence in at most 2·log2(n) + 2 runs', async () => {
    const { findings, hunts, runsAfterOriginal } = await huntSuite({ tests: 16, hogs: ['t05'] });
    expect(findings).toEqual([
      expect.objectContaining({
        batchIndex: 3,
        kind: 'hog',
        culprits: ['t05'],
        victim: undefined,
        reproTests: ['t05'],
        because: 'alone it died over-memory after 100 ms: tree peak 300 MiB reached the 300 MiB budget',
        confidence: undefined,
      }),
    ]);
    expect(findings[0]?.evidenceRunIds.length).toBe(2); // the narrowing trial and the verification
    expect(hunts[0]).toMatchObject({ runsUsed: runsAfterOriginal, runsEstimated: estimateRuns(16, 1), stopped: 'done' });
    expect(runsAfterOriginal).toBeLessThanOrEqual(2 * 4 + 2);
  });

  it('says flaky, with both runs as evidence, when the confirmation does not fail again', async () => {
    const suite = simulatedSuite({ tests: 8 });
    const original: TrialResult = {
      ...(await suite.executor.run(suite.ids)),
      runId: 'batch-3',
      verdict: { ...passed, outcome: 'over-memory', because: 'x' },
    };
    const hunts = await huntBatch(3, suite.ids, original, suite.executor, ONCE);
    expect(hunts).toHaveLength(1);
    expect(hunts[0]?.findings).toEqual([
      expect.objectContaining({ kind: 'flaky', culprits: [], reproTests: suite.ids, evidenceRunIds: ['batch-3', 'sim-2'] }),
    ]);
    expect(hunts[0]?.runsUsed).toBe(1);
  });

  it('names both a hog and a hang in a batch of 9, the hang revealed by a trial', async () => {
    const { findings } = await huntSuite({ tests: 9, hogs: ['t02'], hangs: ['t06'] });
    expect(findings.map((finding) => [finding.kind, finding.culprits])).toEqual([
      ['hog', ['t02']],
      ['hang', ['t06']],
    ]);
    expect(findings[1]?.because).toBe('alone it hit the time budget: still running after 10.0 s');
  });

  it('names a crash with its signal and ignores a crash with another signal', async () => {
    const { findings, hunts } = await huntSuite({ tests: 8, crashes: [{ test: 't01', signal: 'SIGABRT' }, { test: 't05' }] });
    expect(hunts.map((hunt) => hunt.signature.signal)).toEqual(['SIGABRT', 'SIGSEGV']);
    expect(findings.map((finding) => [finding.kind, finding.culprits])).toEqual([
      ['crash', ['t01']],
      ['crash', ['t05']],
    ]);
  });

  it('names a test that fails on its own as failing, not as a victim', async () => {
    const { findings } = await huntSuite({ tests: 16, failing: ['t09'] });
    expect(findings).toEqual([expect.objectContaining({ kind: 'failing', culprits: ['t09'], reproTests: ['t09'] })]);
    expect(findings[0]?.because).toBe('fails when run alone (1 test(s) failed: t09)');
  });

  it('names a polluter with its victim and a repro that runs the victim last', async () => {
    const { findings } = await huntSuite({ tests: 16, polluters: [{ polluter: 't02', victim: 't11' }] });
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'polluter',
        culprits: ['t02'],
        victim: 't11',
        reproTests: ['t02', 't11'],
        because: 'passes alone; fails after t02',
      }),
    ]);
    expect(findings[0]?.evidenceRunIds.length).toBeGreaterThanOrEqual(3); // failing trial, verification, victim alone
  });

  it('names two polluters needed together as one finding', async () => {
    const { findings } = await huntSuite({ tests: 16, polluters: [{ polluters: ['t02', 't09'], victim: 't11' }] });
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'polluter', culprits: ['t02', 't09'], victim: 't11', reproTests: ['t02', 't09', 't11'] }),
    ]);
  });

  it('hunts each failing test of a failed batch on its own, sharing the confirmation run', async () => {
    const spec = { tests: 12, failing: ['t03'], polluters: [{ polluter: 't01', victim: 't08' }] };
    const { suite, hunts, runsAfterOriginal } = await huntSuite(spec);
    expect(hunts.map((hunt) => hunt.signature.failingTest)).toEqual(['t03', 't08']);
    expect(hunts.map((hunt) => hunt.findings.map((finding) => finding.kind))).toEqual([['failing'], ['polluter']]);
    const batchReruns = suite.history.slice(1).filter((trial) => trial.tests.length === 12);
    expect(batchReruns).toHaveLength(1);
    expect(hunts.reduce((sum, hunt) => sum + hunt.runsUsed, 0)).toBe(runsAfterOriginal);
  });

  it('reports an interaction as the minimal set, in batch order', async () => {
    const { findings } = await huntSuite({ tests: 16, interactions: [['t12', 't03']] });
    expect(findings).toEqual([expect.objectContaining({ kind: 'interaction', culprits: ['t03', 't12'], reproTests: ['t03', 't12'] })]);
    expect(findings[0]?.because).toMatch(/^fails only together: leaving out any one of these 2 tests makes it pass/);
  });

  it('finds a polluter when the batch lists files and the runner names the failing test inside one', async () => {
    const files = ['tests/a.py', 'tests/b.py', 'tests/c.py', 'tests/d.py'];
    const executor: Executor = {
      run: async (tests) => {
        const polluted = tests.includes('tests/b.py') && tests.indexOf('tests/b.py') < tests.indexOf('tests/d.py');
        const verdict: Verdict = polluted
          ? { outcome: 'failed', because: '1 failed', failingTests: ['tests/d.py::test_v'], signal: undefined }
          : passed;
        return { tests, verdict, peakBytes: 0, durationMs: 1, runId: tests.join('+') };
      },
    };
    const original = await executor.run(files);
    const [hunt] = await huntBatch(1, files, original, executor, ONCE);
    expect(hunt?.findings).toEqual([
      expect.objectContaining({
        kind: 'polluter',
        culprits: ['tests/b.py'],
        victim: 'tests/d.py::test_v',
        reproTests: ['tests/b.py', 'tests/d.py'],
      }),
    ]);
  });

  it('names a file whose several tests fail alone once, from one run alone', async () => {
    const files = ['tests/a.py', 'tests/b.py', 'tests/c.py', 'tests/d.py'];
    const inTool = ['tests/c.py::test_1', 'tests/c.py::test_2', 'tests/c.py::test_3'];
    let runs = 0;
    const executor: Executor = {
      run: async (tests) => {
        runs += 1;
        const verdict: Verdict = tests.includes('tests/c.py')
          ? { outcome: 'failed', because: '3 failed', failingTests: inTool, signal: undefined }
          : passed;
        return { tests, verdict, peakBytes: 0, durationMs: 1, runId: `r${runs}` };
      },
    };
    const original = await executor.run(files);
    const hunts = await huntBatch(1, files, original, executor, ONCE);
    expect(hunts.flatMap((hunt) => hunt.findings)).toEqual([expect.objectContaining({ kind: 'failing', culprits: ['tests/c.py'] })]);
    expect(hunts.map((hunt) => hunt.signature.failingTest)).toEqual(['tests/c.py::test_1']);
  });

  it('refuses to blame anyone when the victim runs first and passes alone', async () => {
    const executor: Executor = {
      run: async (tests) => ({ tests, verdict: passed, peakBytes: 0, durationMs: 1, runId: `r${tests.length}` }),
    };
    const original: TrialResult = {
      tests: ['v', 'x'],
      verdict: { ...passed, outcome: 'failed', failingTests: ['v'] },
      peakBytes: 0,
      durationMs: 1,
      runId: 'batch',
    };
    const flakyConfirmation: Executor = { run: async (tests) => (tests.length === 2 ? original : executor.run(tests)) };
    const [hunt] = await huntBatch(1, ['v', 'x'], original, flakyConfirmation, ONCE);
    expect(hunt?.findings).toEqual([expect.objectContaining({ kind: 'flaky', culprits: [], reproTests: ['v'] })]);
    expect(hunt?.findings[0]?.because).toMatch(/^v failed in \d of \d runs, then stopped reproducing \(it ran first in its process/);
  });

  it('says flaky, not hog, when the culprit stops failing on verification', async () => {
    const { findings } = await huntSuite({ tests: 8, hogs: ['t06'] }, ONCE, (executor) => failsOnlyOnce(executor, ['t06']));
    expect(findings).toEqual([expect.objectContaining({ kind: 'flaky', culprits: [], reproTests: ['t06'] })]);
    expect(findings[0]?.because).toMatch(
      /stopped reproducing \(the smallest list that showed it passed when re-run\): flaky, nobody is blamed$/,
    );
  });

  it('finds a flaky hog with --repeat and states how often it reproduced', async () => {
    const flaky = await huntSuite({ tests: 8, hogs: ['t06'] }, ONCE, everyOtherRunPasses);
    expect(flaky.findings.map((finding) => finding.kind)).toEqual(['flaky']);
    const repeated = await huntSuite({ tests: 8, hogs: ['t06'] }, { repeat: 2, maxRuns: Infinity }, everyOtherRunPasses);
    expect(repeated.findings).toEqual([expect.objectContaining({ kind: 'hog', culprits: ['t06'], confidence: 'reproduced 1 of 2 runs' })]);
  });

  it('says flaky, naming the test and its count, when a test fails alone on some of its --repeat runs only', async () => {
    const intermittent = await huntSuite({ tests: 6, failing: ['t03'] }, { repeat: 3, maxRuns: Infinity }, everyOtherRunPasses);
    expect(intermittent.findings).toEqual([
      expect.objectContaining({ kind: 'flaky', culprits: [], reproTests: ['t03'], confidence: 'reproduced 2 of 5 runs' }),
    ]);
    expect(intermittent.findings[0]?.signature.failingTest).toBe('t03');
    expect(intermittent.findings[0]?.because).toBe(
      't03 failed in 2 of 5 runs alone and passed in the other 3: it fails by chance, not every time (flaky); nobody is blamed',
    );
    // Its runs alone, in order: narrowing's pass and failure, then verification's pass, failure, pass.
    expect(intermittent.findings[0]?.evidenceRunIds).toEqual(['sim-4', 'sim-5', 'sim-6', 'sim-7', 'sim-8']);
    const always = await huntSuite({ tests: 6, failing: ['t03'] }, { repeat: 3, maxRuns: Infinity });
    expect(always.findings).toEqual([
      expect.objectContaining({ kind: 'failing', culprits: ['t03'], confidence: 'reproduced 3 of 3 runs' }),
    ]);
  });

  it('never exceeds --max-runs and reports the smallest failing set found so far', async () => {
    const { findings, hunts, events, runsAfterOriginal } = await huntSuite({ tests: 64, hogs: ['t40'] }, { repeat: 1, maxRuns: 5 });
    expect(runsAfterOriginal).toBe(5);
    expect(hunts[0]).toMatchObject({ stopped: 'max-runs', runsUsed: 5 });
    const smallest = findings[0]?.smallestFailingSet ?? [];
    expect(findings[0]?.culprits).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'unresolved', reproTests: smallest })]);
    expect(smallest).toContain('t40');
    expect(smallest.length).toBeLessThan(64);
    expect(events).toContainEqual({ type: 'hunt-stopped', batchIndex: 3, reason: 'max-runs', smallestFailingSet: smallest });
  });

  it('stops at Ctrl-C before the next run and keeps what it learned', async () => {
    const controller = new AbortController();
    const suite = simulatedSuite({ tests: 64, hogs: ['t40'] });
    const original = await suite.executor.run(suite.ids);
    const emit = (event: BisectEvent) => {
      if (event.type === 'trial-finished' && event.runsUsed === 3) controller.abort();
    };
    const [hunt] = await huntBatch(
      1,
      suite.ids,
      original,
      suite.executor,
      { repeat: 1, maxRuns: Infinity, abort: controller.signal },
      emit,
    );
    expect(hunt).toMatchObject({ stopped: 'interrupted', runsUsed: 3 });
    expect(hunt?.findings).toEqual([expect.objectContaining({ kind: 'unresolved' })]);
    expect(suite.runs).toBe(4);
  });

  it('turns a trial that could not start into an unresolved finding, not a pass', async () => {
    const { findings, hunts } = await huntSuite({ tests: 8, hogs: ['t06'] }, ONCE, (executor) => ({
      run: async (tests) =>
        tests.length === 4
          ? { ...(await executor.run(tests)), verdict: { ...passed, outcome: 'error', because: 'spawn pytest ENOENT' } }
          : executor.run(tests),
    }));
    expect(hunts[0]?.stopped).toBe('done');
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'unresolved', culprits: [], smallestFailingSet: expect.arrayContaining(['t06']) }),
    ]);
    expect(findings[0]?.because).toMatch(/a trial could not start \(spawn pytest ENOENT\)/);
  });

  it('emits hunt-started, one trial-finished per real run, then the finding', async () => {
    const { events, runsAfterOriginal } = await huntSuite({ tests: 8, hogs: ['t01'] });
    expect(events[0]).toEqual({
      type: 'hunt-started',
      batchIndex: 3,
      signature: { outcome: 'over-memory', failingTest: undefined, signal: undefined },
      tests: 8,
      runsEstimated: 8,
    });
    const trials = events.filter((event) => event.type === 'trial-finished');
    expect(trials.map((event) => event.runsUsed)).toEqual(Array.from({ length: runsAfterOriginal }, (_, index) => index + 1));
    expect(events.at(-1)).toMatchObject({ type: 'finding', finding: { kind: 'hog' } });
  });

  it('reuses a cache it is given and never runs a list twice to answer the same question', async () => {
    const suite = simulatedSuite({ tests: 32, interactions: [['t04', 't27']] });
    const original = await suite.executor.run(suite.ids);
    const cache = makeCachingExecutor(suite.executor);
    await huntBatch(1, suite.ids, original, cache, ONCE);
    const narrowing = suite.history.slice(1).map((trial) => trial.tests.join());
    const verification = new Set([['t04', 't27'], ['t04'], ['t27']].map((list) => list.join()));
    const repeats = narrowing.filter((list, index) => narrowing.indexOf(list) !== index && !verification.has(list));
    expect(repeats).toEqual([]);
    expect(cache.executions).toBe(suite.runs - 1);
  });

  it('rejects a repeat count below 1 with the flag named', async () => {
    const suite = simulatedSuite({ tests: 2, hogs: ['t00'] });
    const original = await suite.executor.run(suite.ids);
    await expect(huntBatch(1, suite.ids, original, suite.executor, { repeat: 0, maxRuns: 10 })).rejects.toThrow(
      '--repeat must be a whole number of at least 1, got 0',
    );
  });
});

describe('estimateRuns', () => {
  it('counts confirmation, one failing and one passing half per level, and verification', () => {
    expect(estimateRuns(1, 1)).toBe(2);
    expect(estimateRuns(16, 1)).toBe(10);
    expect(estimateRuns(1000, 1)).toBe(22);
    expect(estimateRuns(16, 3)).toBe(1 + 4 * 4 + 3);
  });
});

describe('huntBatch: a lone hang is confirmed under a longer time budget', () => {
  const LONGER = { repeat: 1, maxRuns: Infinity, hangTimeoutMs: 15_000 };
  const timedOut: Verdict = { outcome: 'timeout', because: 'still running after the 5 s time budget', failingTests: [], signal: undefined };
  /** `slow` runs past the batch's time budget (a loaded machine), and ends under a longer one. */
  function slowUnlessLonger(executor: Executor, slow: TestId, budgets: (number | undefined)[]): Executor {
    return {
      run: async (tests, options) => {
        budgets.push(options?.timeoutMs);
        const trial = await executor.run(tests);
        return tests.includes(slow) && options?.timeoutMs === undefined ? { ...trial, verdict: timedOut } : trial;
      },
    };
  }

  it('does not name a test that ended under the longer budget: flaky, slow not hung, nobody blamed', async () => {
    const budgets: (number | undefined)[] = [];
    const suite = simulatedSuite({ tests: 8 });
    const executor = slowUnlessLonger(suite.executor, 't06', budgets);
    const original = await executor.run(suite.ids);
    expect(original.verdict.outcome).toBe('timeout');
    const findings = (await huntBatch(3, suite.ids, original, executor, LONGER)).flatMap((hunt) => hunt.findings);
    expect(findings).toEqual([expect.objectContaining({ kind: 'flaky', culprits: [], reproTests: ['t06'] })]);
    expect(findings[0]?.because).toContain('slow, not hung');
    expect(budgets.filter((ms) => ms === 15_000)).toHaveLength(1);
  });

  it('names a real hang, confirmed in one run under the longer budget', async () => {
    const budgets: (number | undefined)[] = [];
    const { findings } = await huntSuite({ tests: 8, hangs: ['t03'] }, LONGER, (executor) => slowUnlessLonger(executor, 'none', budgets));
    expect(findings).toEqual([expect.objectContaining({ kind: 'hang', culprits: ['t03'] })]);
    expect(budgets.filter((ms) => ms === 15_000)).toHaveLength(1);
  });

  it('keeps the batch budget for every run when no longer budget is given', async () => {
    const budgets: (number | undefined)[] = [];
    const { findings } = await huntSuite({ tests: 8, hangs: ['t03'] }, ONCE, (executor) => slowUnlessLonger(executor, 'none', budgets));
    expect(findings).toEqual([expect.objectContaining({ kind: 'hang', culprits: ['t03'] })]);
    expect(budgets.every((ms) => ms === undefined)).toBe(true);
  });
});

describe('huntBatch: a failure of a probed batch is chased without the probe', () => {
  /** `sensitive` fails whenever it runs under the probe (it counts live objects), passes without. */
  function failsUnderProbe(executor: Executor, sensitive: TestId, asked: (boolean | undefined)[]): Executor {
    return {
      run: async (tests, options) => {
        asked.push(options?.withoutProbe);
        const trial = await executor.run(tests);
        if (!tests.includes(sensitive) || options?.withoutProbe === true) return trial;
        const because = `1 test failed: ${sensitive}`;
        return { ...trial, verdict: { outcome: 'failed', because, failingTests: [sensitive], signal: undefined } };
      },
    };
  }

  it('does not name a test that fails only under the probe: flaky, nobody blamed', async () => {
    const asked: (boolean | undefined)[] = [];
    const suite = simulatedSuite({ tests: 8 });
    const executor = failsUnderProbe(suite.executor, 't05', asked);
    const original = await executor.run(suite.ids);
    const hunts = await huntBatch(3, suite.ids, original, executor, { ...ONCE, probed: true });
    const findings = hunts.flatMap((hunt) => hunt.findings);
    expect(findings).toEqual([expect.objectContaining({ kind: 'flaky', culprits: [] })]);
    expect(findings[0]?.because).toContain("the re-runs went without leakhunt's per-test probe");
    expect(asked.slice(1)).toEqual([true]);
  });

  it('names a real failure from runs without the probe; a death is chased with it', async () => {
    for (const [spec, kind, flag] of [
      [{ tests: 8, failing: ['t02'] }, 'failing', true],
      [{ tests: 8, hogs: ['t06'] }, 'hog', undefined],
    ] as const) {
      const asked: (boolean | undefined)[] = [];
      const { findings } = await huntSuite(spec, { ...ONCE, probed: true }, (executor) => ({
        run: (tests, options) => {
          asked.push(options?.withoutProbe);
          return executor.run(tests, options);
        },
      }));
      expect(findings.map((f) => f.kind)).toEqual([kind]);
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((asking) => asking === flag)).toBe(true);
    }
  });

  it('keeps the probe when the batch had none to begin with (--no-probe): nothing changes', async () => {
    const asked: (boolean | undefined)[] = [];
    await huntSuite({ tests: 8, failing: ['t02'] }, ONCE, (executor) => ({
      run: (tests, options) => {
        asked.push(options?.withoutProbe);
        return executor.run(tests, options);
      },
    }));
    expect(asked.every((flag) => flag === undefined)).toBe(true);
  });
});
