import { describe, expect, it } from '@jest/globals';
import { autoJobs, normalizePlanFlags } from './normalize.js';

const GiB = 1024 ** 3;
const noRandom = (): number => 0.5;

describe('--jobs auto', () => {
  it('one batch per core, as many as the memory total holds at one budget each, at least one', () => {
    expect(autoJobs(2, 16 * GiB, 2 * GiB)).toBe(2);
    expect(autoJobs(8, 5 * GiB, 2 * GiB)).toBe(2);
    expect(autoJobs(4, 1 * GiB, 2 * GiB)).toBe(1);
  });
});

describe('batch flags', () => {
  it('survey mode without --batch-size or --batches, and with --batch-size auto', () => {
    expect(normalizePlanFlags({ shuffle: false }, noRandom)).toMatchObject({ survey: true, batchSize: undefined, batches: undefined });
    expect(normalizePlanFlags({ batchSize: 'auto', shuffle: false }, noRandom)).toMatchObject({ survey: true, batchSize: undefined });
  });

  it('an explicit size or count means what the user said', () => {
    expect(normalizePlanFlags({ batchSize: 3, shuffle: false }, noRandom)).toMatchObject({ survey: false, batchSize: 3 });
    expect(normalizePlanFlags({ batches: 4, shuffle: false }, noRandom)).toMatchObject({ survey: false, batches: 4 });
  });
});
