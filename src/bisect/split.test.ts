import { describe, expect, it } from '@jest/globals';
import { type SimulatedSuiteSpec, simulatedSuite } from '../../test/helpers/simulated-suite.js';
import { reproduces, signaturesOf } from '../classify/signature.js';
import type { TestId } from '../plan/types.js';
import { splitFailing } from './split.js';

/** The suite plus a predicate "shows the batch's own failure", as trials.ts builds it. */
async function suiteWithPredicate(spec: SimulatedSuiteSpec) {
  const suite = simulatedSuite(spec);
  const [signature] = signaturesOf(suite.verdictOf(suite.ids));
  if (signature === undefined) throw new Error('the planted suite does not fail');
  const fails = async (tests: readonly TestId[]) => reproduces(signature, (await suite.executor.run(tests)).verdict);
  return { suite, fails };
}

describe('splitFailing', () => {
  it('narrows a batch of 16 to its one hog in two runs per level', async () => {
    const { suite, fails } = await suiteWithPredicate({ tests: 16, hogs: ['t05'] });
    const outcome = await splitFailing(suite.ids, fails);
    expect(outcome).toEqual({ singles: ['t05'], unsplittable: [] });
    expect(suite.runs).toBe(2 * Math.log2(16));
  });

  it('names both hogs when both halves die', async () => {
    const { suite, fails } = await suiteWithPredicate({ tests: 16, hogs: ['t03', 't12'] });
    const outcome = await splitFailing(suite.ids, fails);
    expect(outcome.singles).toEqual(['t03', 't12']);
    expect(suite.runs).toBeLessThanOrEqual(2 * 2 * Math.log2(16));
  });

  it('hands the list over instead of guessing when neither half fails alone', async () => {
    const { suite, fails } = await suiteWithPredicate({ tests: 8, interactions: [['t01', 't06']] });
    const outcome = await splitFailing(suite.ids, fails);
    expect(outcome).toEqual({ singles: [], unsplittable: [suite.ids] });
  });

  it('keeps the batch order inside every half it runs', async () => {
    const { suite, fails } = await suiteWithPredicate({ tests: 7, hogs: ['t06'] });
    await splitFailing(suite.ids, fails);
    for (const trial of suite.history) expect([...trial.tests].sort()).toEqual(trial.tests);
  });

  it('treats a half that fails differently as not reproducing', async () => {
    // The hog's over-memory is chased; the crash in the other half is another failure.
    const { suite, fails } = await suiteWithPredicate({ tests: 8, hogs: ['t01'], crashes: [{ test: 't06' }] });
    const outcome = await splitFailing(suite.ids, fails);
    expect(outcome.singles).toEqual(['t01']);
  });
});
