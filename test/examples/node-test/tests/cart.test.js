import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('cart', () => {
  it('totals the items', () => {
    assert.equal(
      [3, 4].reduce((sum, price) => sum + price, 0),
      7,
    );
  });
  it('starts empty', () => {
    assert.equal([].length, 0);
  });
});
