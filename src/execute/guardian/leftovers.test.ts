import { describe, expect, it } from '@jest/globals';
import { ownerOfGroupName, ownerOfRunKey } from './leftovers.js';

describe('whose leftovers', () => {
  it('reads the leakhunt pid from a run key, whatever dashes the run id holds', () => {
    expect(ownerOfRunKey('b001-4242-7')).toBe(4242);
    expect(ownerOfRunKey('b001-p02-x-4242-17')).toBe(4242);
    expect(ownerOfRunKey('b001')).toBeUndefined();
    expect(ownerOfRunKey('b001-4242')).toBeUndefined();
  });

  it("reads the leakhunt pid from a cgroup name, and ignores groups that are not leakhunt's", () => {
    expect(ownerOfGroupName('lh4242_b001-p01')).toBe(4242);
    expect(ownerOfGroupName('lh4242_b001-p01-1')).toBe(4242);
    expect(ownerOfGroupName('user.slice')).toBeUndefined();
  });
});
