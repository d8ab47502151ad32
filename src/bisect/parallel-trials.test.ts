// Trials of one split side by side (--jobs > 1): the same findings whatever run finishes
// first, nothing innocent named under noise, and a hang found in fewer timed-out runs by
// k-way splits than by halving. Simulated outcomes; the runs on real processes are in
// test/e2e/parallel-trials.e2e.test.ts.
import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { PROPERTY_TIMEOUT_MS, propertyRuns } from '../../test/helpers/property-runs.js';
import { makeIds, mulberry32, type SimulatedSuiteSpec, simulatedSuite } from '../../test/helpers/simulated-suite.js';
import type { TestId } from '../plan/types.js';
import { huntBatch } from './hunt.js';
import type { Executor, Finding, TrialResult } from './types.js';

jest.setTimeout(PROPERTY_TIMEOUT_MS);

/**
 * The suite's executor with runs that end in a scrambled order: each result is decided when
 * its run starts (as a real process's would be by what it runs), then held for a random
 * number of event-loop turns, so concurrent runs finish in any order the seed picks.
 */
function scrambled(inner: Executor, seed: number): { executor: Executor; maxAtOnce: () => number } {
  const random = mulberry32(seed);
  let running = 0;
  let maxAtOnce = 0;
  const executor: Executor = {
    run: async (tests, options) => {
      running += 1;
      maxAtOnce = Math.max(maxAtOnce, running);
      const result = inner.run(tests, options);
      const turns = 1 + Math.floor(random() * 6);
      for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return result;
    },
  };
  return { executor, maxAtOnce: () => maxAtOnce };
}

async function hunt(spec: SimulatedSuiteSpec, options: { width: number; order?: number; repeat?: number; maxRuns?: number }) {
  const suite = simulatedSuite(spec);
  const original: TrialResult = { tests: suite.ids, verdict: suite.verdictOf(suite.ids), peakBytes: 0, durationMs: 0, runId: 'batch' };
  const { executor, maxAtOnce } =
    options.order === undefined ? { executor: suite.executor, maxAtOnce: () => 1 } : scrambled(suite.executor, options.order);
  const hunts = await huntBatch(1, suite.ids, original, executor, {
    repeat: options.repeat ?? 1,
    maxRuns: options.maxRuns ?? Infinity,
    width: options.width,
  });
  const findings = hunts.flatMap((h) => h.findings);
  return { suite, hunts, findings, maxAtOnce: maxAtOnce() };
}

/** Everything a user reads of a finding: what, who, why, and from which runs. */
const shown = (findings: readonly Finding[]) =>
  findings.map((f) => ({ kind: f.kind, culprits: f.culprits, victim: f.victim, because: f.because, evidence: f.evidenceRunIds }));
const timedOut = (history: readonly TrialResult[]): number => history.filter((p) => p.verdict.outcome === 'timeout').length;

function plantedSpec(n: number, seed: number, noise: number): SimulatedSuiteSpec {
  const ids = makeIds(n);
  const random = mulberry32(seed);
  const pick = (): TestId => ids[Math.floor(random() * ids.length)] as TestId;
  const hogs = [...new Set([pick(), ...(random() < 0.5 ? [pick()] : [])])];
  const hangs = random() < 0.5 ? [pick()].filter((t) => !hogs.includes(t)) : [];
  return { tests: ids, hogs, hangs, noise, seed };
}

describe('trials of one split side by side', () => {
  it('gives the same findings, evidence and runs whatever order the runs finish in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(0, 0, 0.1, 0.3),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        async (n, seed, noise, width, repeat, order) => {
          const spec = plantedSpec(n, seed, noise);
          const inOrder = await hunt(spec, { width, repeat });
          const anyOrder = await hunt(spec, { width, repeat, order });
          expect(shown(anyOrder.findings)).toEqual(shown(inOrder.findings));
          expect(anyOrder.suite.history.map((p) => p.tests)).toEqual(inOrder.suite.history.map((p) => p.tests));
        },
      ),
      propertyRuns(300, 20261128),
    );
  });

  it('names exactly the planted hogs and hangs without noise, as one at a time does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 300 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 8 }),
        async (n, seed, width) => {
          const spec = plantedSpec(n, seed, 0);
          const sideBySide = await hunt(spec, { width, order: seed });
          const oneAtATime = await hunt(spec, { width: 1 });
          const key = (fs: readonly Finding[]) => fs.map((f) => `${f.kind}:${f.culprits.join('+')}`).sort();
          expect(key(sideBySide.findings)).toEqual(key(oneAtATime.findings));
          expect(key(sideBySide.findings)).toEqual(
            [...(spec.hogs ?? []).map((t) => `hog:${t}`), ...(spec.hangs ?? []).map((t) => `hang:${t}`)].sort(),
          );
        },
      ),
      propertyRuns(300, 17),
    );
  });

  it('never names an innocent test under noise, and never passes --max-runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 200 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.01, max: 0.3, noNaN: true }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 60 }),
        async (n, seed, noise, width, maxRuns) => {
          const spec = plantedSpec(n, seed, noise);
          const { findings, suite } = await hunt(spec, { width, order: seed, maxRuns });
          expect(suite.runs).toBeLessThanOrEqual(maxRuns);
          const planted = new Set([...(spec.hogs ?? []), ...(spec.hangs ?? [])]);
          for (const finding of findings.filter((f) => f.kind === 'hog' || f.kind === 'hang'))
            for (const culprit of finding.culprits) expect(planted).toContain(culprit);
        },
      ),
      propertyRuns(300, 3),
    );
  });

  it('splits a hang in as many parts as may run at once: fewer timed-out runs than halving', async () => {
    const spec: SimulatedSuiteSpec = { tests: 16, hangs: ['t11'] };
    const halving = await hunt(spec, { width: 1 });
    const fourWays = await hunt(spec, { width: 4, order: 1 });
    expect(fourWays.findings.map((f) => [f.kind, f.culprits])).toEqual([['hang', ['t11']]]);
    expect(halving.findings.map((f) => [f.kind, f.culprits])).toEqual([['hang', ['t11']]]);
    // Confirmation, one per level (log4 16 = 2 against log2 16 = 4), the verification; with
    // four at once the confirmation runs beside the first level's parts.
    expect(timedOut(fourWays.suite.history)).toBe(1 + 2 + 1);
    expect(timedOut(halving.suite.history)).toBe(1 + 4 + 1);
    expect(fourWays.maxAtOnce).toBe(5);
  });

  it('tries both halves of a hog batch at once, beside its confirmation, and only halves', async () => {
    const { findings, suite, maxAtOnce } = await hunt({ tests: 16, hogs: ['t02', 't09'] }, { width: 4, order: 2 });
    expect(findings.map((f) => f.culprits)).toEqual([['t02'], ['t09']]);
    // The confirmation of the batch and its two halves (independent), never quarters: memory deaths are halved.
    expect(maxAtOnce).toBe(3);
    expect(suite.history.map((p) => p.tests.length)).toContain(8);
  });
});
