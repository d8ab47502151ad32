import { describe, expect, it } from '@jest/globals';
import { type SimulatedSuiteSpec, simulatedSuite } from '../../test/helpers/simulated-suite.js';
import { reproduces } from '../classify/signature.js';
import type { TestId } from '../plan/types.js';
import { findPolluters, findVictimIndex } from './polluter-search.js';

function victimHunt(spec: SimulatedSuiteSpec, victim: TestId) {
  const suite = simulatedSuite(spec);
  const signature = { outcome: 'failed' as const, failingTest: victim, signal: undefined };
  const fails = async (tests: readonly TestId[]) => reproduces(signature, (await suite.executor.run(tests)).verdict);
  const prefix = suite.ids.slice(0, suite.ids.indexOf(victim));
  return { suite, fails, prefix };
}

describe('findPolluters', () => {
  it('finds the one test that makes the victim fail, always running the victim last', async () => {
    const { suite, fails, prefix } = victimHunt({ tests: 16, polluters: [{ polluter: 't04', victim: 't14' }] }, 't14');
    expect(await findPolluters(prefix, 't14', fails)).toEqual([['t04']]);
    for (const trial of suite.history) expect(trial.tests.at(-1)).toBe('t14');
    // One-sided halving (one trial per level), the answer run if it was inferred, the rest once.
    expect(suite.runs).toBeLessThanOrEqual(Math.ceil(Math.log2(prefix.length)) + 2);
  });

  it('costs one trial per level over a long prefix, about half of halving both sides', async () => {
    for (const polluter of ['t000', 't037', 't100', 't126']) {
      const { suite, fails, prefix } = victimHunt({ tests: 128, polluters: [{ polluter, victim: 't127' }] }, 't127');
      expect(await findPolluters(prefix, 't127', fails)).toEqual([[polluter]]);
      expect(suite.runs).toBeLessThanOrEqual(7 + 2);
    }
  });

  it('falls back to ddmin when two polluters are needed together', async () => {
    const { fails, prefix } = victimHunt({ tests: 16, polluters: [{ polluters: ['t01', 't09'], victim: 't12' }] }, 't12');
    expect(await findPolluters(prefix, 't12', fails)).toEqual([['t01', 't09']]);
  });

  it('names each of two polluters that break the victim on their own', async () => {
    const spec = {
      tests: 16,
      polluters: [
        { polluter: 't02', victim: 't15' },
        { polluter: 't10', victim: 't15' },
      ],
    };
    const { fails, prefix } = victimHunt(spec, 't15');
    expect(await findPolluters(prefix, 't15', fails)).toEqual([['t02'], ['t10']]);
  });
});

describe('findVictimIndex', () => {
  it('finds the victim by its own id', () => {
    expect(findVictimIndex(['a.py', 'b.py::t'], 'b.py::t')).toBe(1);
  });

  it('finds the file entry that holds a failing pytest node or jest test', () => {
    expect(findVictimIndex(['tests/a.py', 'tests/b.py'], 'tests/b.py::TestX::test_y')).toBe(1);
    expect(findVictimIndex(['src/a.test.ts', 'src/b.test.ts'], 'src/a.test.ts › adds')).toBe(0);
  });

  it('says -1 when the batch does not hold the victim', () => {
    expect(findVictimIndex(['tests/a.py'], 'tests/ab.py::test_z')).toBe(-1);
  });
});
