import { describe, expect, it } from 'vitest';

describe('cart', () => {
  it('totals the items', () => {
    expect([3, 4].reduce((sum, price) => sum + price, 0)).toBe(7);
  });
  it('starts empty', () => {
    expect([].length).toBe(0);
  });
});
