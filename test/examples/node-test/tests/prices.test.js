import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('prices', () => {
  it('rounds to cents', () => {
    assert.equal(Math.round(7.005 * 100) / 100, 7.01);
  });
});
