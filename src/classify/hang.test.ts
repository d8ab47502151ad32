import { describe, expect, it } from '@jest/globals';
import { hangConfirmationBudget, hangConfirmationTimeoutMs, hangTestTimeoutMs } from './hang.js';

describe('hangConfirmationTimeoutMs (from the process start: no start record)', () => {
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

describe("hangTestTimeoutMs (on the test's own time, from its start record)", () => {
  it('gives a long budget twice as much: a 30 s budget confirms in 60 s of the test, not 90 s of the process', () => {
    expect(hangTestTimeoutMs(30_000)).toBe(60_000);
    expect(hangTestTimeoutMs(300_000)).toBe(600_000);
  });
  it('gives a short budget at least 5 s more, for the pauses of a loaded machine', () => {
    expect(hangTestTimeoutMs(1_000)).toBe(6_000);
    expect(hangTestTimeoutMs(3_000)).toBe(8_000);
    expect(hangTestTimeoutMs(5_000)).toBe(10_000);
  });
  it('is at least twice the budget it confirms: a test that ends within it is slow, not hung', () => {
    for (const ms of [1, 1_000, 8_000, 30_000, 600_000]) expect(hangTestTimeoutMs(ms)).toBeGreaterThanOrEqual(2 * ms);
  });
  it('never exceeds the process-start budget it replaces', () => {
    for (const ms of [1, 1_000, 8_000, 30_000, 600_000]) expect(hangTestTimeoutMs(ms)).toBeLessThan(hangConfirmationTimeoutMs(ms));
  });
});

describe('hangConfirmationBudget', () => {
  it('gives both clocks of a lone confirmation', () => {
    expect(hangConfirmationBudget(30_000)).toEqual({ timeoutMs: 90_000, testTimeoutMs: 60_000 });
  });
});
