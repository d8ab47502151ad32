// One answer per victim: a polluter candidate that stopped reproducing beside a verified
// polluter of the same victim is a caveat of that polluter, not a `flaky` finding of its own.
// The real-process case is test/e2e/one-answer-per-victim.e2e.test.ts.
import { describe, expect, it } from '@jest/globals';
import { type Candidate, oneAnswerPerVictim, type VerifiedCandidate } from './findings.js';
import type { Finding } from './types.js';

const signature = { outcome: 'failed', failingTest: 'v.py::test_v', signal: undefined } as const;

function finding(kind: Finding['kind'], culprits: string[], runs: string[]): Finding {
  return {
    batchIndex: 1,
    kind,
    culprits,
    victim: kind === 'polluter' ? 'v.py::test_v' : undefined,
    signature,
    because: kind === 'polluter' ? `passes alone; fails after ${culprits.join(' + ')}` : 'v.py::test_v failed in 3 of 5 runs, …',
    reproTests: [...culprits, 'v.py'],
    evidenceRunIds: runs,
    confidence: undefined,
  };
}

function polluterCandidate(culprit: string): Candidate {
  return { kind: 'polluter', culprits: [culprit], victim: 'v.py::test_v', reproTests: [culprit, 'v.py'] };
}

const p: VerifiedCandidate = {
  candidate: polluterCandidate('p.py'),
  finding: finding('polluter', ['p.py'], ['r7', 'r9']),
  failedRunIds: ['r7', 'r9'],
  passedRunIds: [],
};
const q: VerifiedCandidate = {
  candidate: polluterCandidate('q.py'),
  finding: { ...finding('flaky', [], ['r5', 'r8']), reproTests: ['q.py', 'v.py'] },
  failedRunIds: ['r5'],
  passedRunIds: ['r8'],
};

describe('oneAnswerPerVictim', () => {
  it('folds a flaky polluter candidate into the verified polluter, whichever was verified first', () => {
    for (const order of [
      [q, p],
      [p, q],
    ]) {
      const [only, ...rest] = oneAnswerPerVictim(order);
      expect(rest).toEqual([]);
      expect(only?.kind).toBe('polluter');
      expect(only?.culprits).toEqual(['p.py']);
      expect(only?.because).toBe(
        'passes alone; fails after p.py; v.py::test_v also failed after q.py (r5) but passed when that was re-run (r8): q.py is not named (it breaks it only sometimes, or v.py::test_v also fails by chance)',
      );
      expect(only?.evidenceRunIds).toEqual(['r7', 'r9', 'r5', 'r8']);
    }
  });

  it('keeps a flaky finding when no polluter of the victim was verified', () => {
    expect(oneAnswerPerVictim([q]).map((f) => f.kind)).toEqual(['flaky']);
  });
});
