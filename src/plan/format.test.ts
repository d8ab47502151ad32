import { describe, expect, it } from '@jest/globals';
import { planBatches } from './batches.js';
import { formatPlanText, planToJson } from './format.js';

describe('formatPlanText', () => {
  it('prints a summary, then one line per batch with its position and size, files counted as files', () => {
    const plan = planBatches(['a.py', 'b.py', 'c.py', 'd.py'], { batchSize: 3 });
    expect(formatPlanText(plan)).toBe(
      ['4 files in 2 batches of up to 3, in selection order', 'batch 1/2 (3 files): a.py, b.py, c.py', 'batch 2/2 (1 file): d.py', ''].join(
        '\n',
      ),
    );
  });

  it('counts node ids as tests, and files mixed with node ids or folders as entries, as `run` does', () => {
    const first = (tests: string[]): string | undefined => formatPlanText(planBatches(tests, { batchSize: 10 })).split('\n')[0];
    expect(first(['t.py::test_a', 't.py::test_b'])).toBe('2 tests in 1 batch of up to 10, in selection order');
    expect(first(['t.py::test_a', 'u.py'])).toBe('2 entries in 1 batch of up to 10, in selection order');
    expect(first(['tests/unit', 'u.py'])).toBe('2 entries in 1 batch of up to 10, in selection order');
  });

  it('says "near-equal batches" for --batches K', () => {
    expect(formatPlanText(planBatches(['a.py', 'b.py', 'c.py'], { batches: 2 })).split('\n')[0]).toBe(
      '3 files in 2 near-equal batches, in selection order',
    );
  });

  it('lists one test per indented line when a batch does not fit the width', () => {
    const long = ['tests/test_api.py::TestAuth::test_login[admin]', 'tests/test_api.py::TestAuth::test_logout'];
    const text = formatPlanText(planBatches(long, { batches: 1, seed: 7 }), { widthColumns: 60 });
    expect(text).toBe(
      [
        '2 tests in 1 batch, shuffled with seed 7',
        'batch 1/1 (2 tests):',
        ...planBatches(long, { batches: 1, seed: 7 }).batches[0]!.tests.map((test) => `    ${test}`),
        '',
      ].join('\n'),
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });
});

describe('planToJson', () => {
  it('gives a stable shape with null for what was not asked', () => {
    expect(planToJson(planBatches(['a', 'b', 'c'], { batches: 2 }))).toEqual({
      testCount: 3,
      batchCount: 2,
      batchSize: null,
      seed: null,
      batches: [
        { index: 1, tests: ['a', 'b'] },
        { index: 2, tests: ['c'] },
      ],
    });
  });

  it('survives a JSON round trip unchanged', () => {
    const json = planToJson(planBatches(['a', 'b', 'c', 'd'], { batchSize: 2, seed: 3 }));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.seed).toBe(3);
    expect(json.batchSize).toBe(2);
  });
});
