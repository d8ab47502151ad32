import { describe, expect, it } from '@jest/globals';
import { hangConfirmationTimeoutMs } from './hang.js';

describe('hangConfirmationTimeoutMs', () => {
  it('gives a short budget at least 10 s more, so a runner slow to start on a loaded machine can end', () => {
    expect(hangConfirmationTimeoutMs(2_000)).toBe(12_000);
    expect(hangConfirmationTimeoutMs(5_000)).toBe(15_000);
  });
  it('gives a long budget three times as much', () => {
    expect(hangConfirmationTimeoutMs(60_000)).toBe(180_000);
  });
  it('is always longer than the budget it confirms', () => {
    for (const ms of [1, 1_000, 8_000, 600_000]) expect(hangConfirmationTimeoutMs(ms)).toBeGreaterThan(ms);
  });
});
