import { describe, expect, it } from 'vitest';

describe('prices', () => {
  it('rounds to cents', () => {
    expect(Math.round(7.005 * 100) / 100).toBe(7.01);
  });
});
