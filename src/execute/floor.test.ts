import { describe, expect, it } from '@jest/globals';
import { floorProblem, minimumBudget } from './floor.js';

const MIB = 1024 * 1024;

describe('floorProblem', () => {
  it('refuses a budget below the floor plus the margin, naming the measured floor, the minimum and the flag', () => {
    const problem = floorProblem('pytest', 8 * MIB, 32 * MIB);
    expect(problem?.message).toBe(
      '--memory 8.0 MiB is below what pytest needs with no test at all: 32.0 MiB measured, plus a 25% margin = 40.0 MiB',
    );
    expect(problem?.hint).toMatch(/^raise --memory to at least 40\.0 MiB/);
    expect(problem?.exitCode).toBe(2);
  });

  it('accepts a budget at the floor plus the margin and above', () => {
    expect(minimumBudget(32 * MIB)).toBe(40 * MIB);
    expect(floorProblem('jest', 40 * MIB, 32 * MIB)).toBeUndefined();
    expect(floorProblem('jest', 39 * MIB, 32 * MIB)).toBeDefined();
  });
});
