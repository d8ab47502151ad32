import { describe, expect, it } from '@jest/globals';
import type { RunRecord } from '../report/model.js';
import { foldSharedLoadDeaths } from './shared-load.js';
import type { Finding } from './types.js';

const OVER_MEMORY = { outcome: 'over-memory', failingTest: undefined, signal: undefined } as const;

function hog(file: string, runIds: string[]): Finding {
  return {
    batchIndex: 1,
    kind: 'hog',
    culprits: [file],
    victim: undefined,
    signature: OVER_MEMORY,
    because: 'alone it died over-memory',
    reproTests: [file],
    evidenceRunIds: runIds,
    confidence: undefined,
  };
}

// Only what the rule reads: the run id and whether the probe recorded a test.
function run(runId: string, testsStarted: number): RunRecord {
  const perTest = Array.from({ length: testsStarted }, (_, i) => ({ test: `t${i}` }));
  return { runId, ...(testsStarted > 0 && { perTest }) } as unknown as RunRecord;
}

const runs = new Map([run('b001', 0), run('b001-p01', 0), run('b001-p02', 0), run('b001-p03', 1)].map((r) => [r.runId, r]));
const batch = ['tests/test_a.py', 'tests/test_b.py'];

describe('foldSharedLoadDeaths', () => {
  it('folds every entry dying alone before its first test, as the batch did, into one unresolved finding naming nobody', () => {
    const findings = [hog('tests/test_a.py', ['b001-p01']), hog('tests/test_b.py', ['b001-p02'])];
    const [folded, ...rest] = foldSharedLoadDeaths(findings, runs, runs.get('b001')!, batch, true);
    expect(rest).toEqual([]);
    expect(folded).toMatchObject({
      kind: 'unresolved',
      culprits: [],
      smallestFailingSet: batch,
      evidenceRunIds: ['b001', 'b001-p01', 'b001-p02'],
    });
    expect(folded!.because).toMatch(
      /^2 entries each died over-memory alone before their first test started, and so did the batch \(b001\)/,
    );
  });

  it('keeps the hogs when a lone run started a test, when an entry did not die, when the batch ran a test, or without the probe', () => {
    const startedATest = [hog('tests/test_a.py', ['b001-p01']), hog('tests/test_b.py', ['b001-p03'])];
    expect(foldSharedLoadDeaths(startedATest, runs, runs.get('b001')!, batch, true)).toEqual(startedATest);
    const oneOfThree = [hog('tests/test_a.py', ['b001-p01']), hog('tests/test_b.py', ['b001-p02'])];
    expect(foldSharedLoadDeaths(oneOfThree, runs, runs.get('b001')!, [...batch, 'tests/test_c.py'], true)).toEqual(oneOfThree);
    expect(foldSharedLoadDeaths(oneOfThree, runs, run('b001', 3), batch, true)).toEqual(oneOfThree);
    expect(foldSharedLoadDeaths(oneOfThree, runs, runs.get('b001')!, batch, false)).toEqual(oneOfThree);
  });

  it('never folds a lone entry: a single file that dies at import is its own hog', () => {
    const single = [hog('tests/test_a.py', ['b001-p01'])];
    expect(foldSharedLoadDeaths(single, runs, runs.get('b001')!, ['tests/test_a.py'], true)).toEqual(single);
  });
});
