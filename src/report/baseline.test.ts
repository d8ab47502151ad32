import { describe, expect, it } from '@jest/globals';
import { fixtureReport } from '../../test/fixtures/reports/fixtures.js';
import { compareWithBaseline } from './baseline.js';

const current = fixtureReport('hunt-pytest');
const baseline = fixtureReport('baseline-pytest');

describe('compareWithBaseline', () => {
  const comparison = compareWithBaseline(current, baseline, { peakRegressionRatio: 1.2 });

  it('marks findings absent from the baseline as new', () => {
    expect(comparison.newFindings.map((f) => f.kind)).toEqual(['hang', 'polluter', 'unresolved']);
    expect(comparison.persistingFindings.map((f) => f.culprits)).toEqual([['tests/test_memory.py::test_big_alloc']]);
  });

  it('calls a finding fixed only when its culprits ran again', () => {
    expect(comparison.fixedFindings.map((f) => f.culprits)).toEqual([['tests/test_basic.py::test_strings']]);
    expect(comparison.unverifiedFindings.map((f) => f.culprits)).toEqual([['tests/test_legacy.py::test_huge_fixture']]);
  });

  it('matches batches by their test lists, not their index, and reports peaks beyond the ratio worst first', () => {
    expect(comparison.matchedBatches).toBe(5);
    expect(comparison.peakRegressions.map((r) => [r.batchIndex, r.baselineBatchIndex])).toEqual([
      [1, 2],
      [4, 1],
      [3, 5],
    ]);
    expect(comparison.peakRegressions[0]?.ratio).toBeCloseTo(47.0 / 30, 1);
  });

  it('reports no regression below the threshold', () => {
    const lenient = compareWithBaseline(current, baseline, { peakRegressionRatio: 2 });
    expect(lenient.peakRegressions).toEqual([]);
  });

  it('counts batches whose tests changed as unmatched', () => {
    const reshuffled = { ...baseline, batches: baseline.batches.map((b) => ({ ...b, tests: [...b.tests].reverse() })) };
    const result = compareWithBaseline(current, reshuffled, { peakRegressionRatio: 1.2 });
    expect(result.matchedBatches).toBe(0);
    expect(result.unmatchedBatches).toBe(5);
    expect(result.peakRegressions).toEqual([]);
  });
});
