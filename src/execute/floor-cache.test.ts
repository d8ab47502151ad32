import { describe, expect, it } from '@jest/globals';
import { freshFloor, MAX_AGE_MS } from './floor-cache.js';

describe('freshFloor', () => {
  const now = 1_800_000_000_000;

  it('takes a floor measured within the week', () => {
    expect(freshFloor({ floorBytes: 30e6, measuredAt: now - 1000 }, now)).toBe(30e6);
    expect(freshFloor({ floorBytes: 30e6, measuredAt: now - MAX_AGE_MS + 1 }, now)).toBe(30e6);
  });

  it('measures again when the entry is old, from the future (a clock set back), absent or not a floor', () => {
    expect(freshFloor({ floorBytes: 30e6, measuredAt: now - MAX_AGE_MS }, now)).toBeUndefined();
    expect(freshFloor({ floorBytes: 30e6, measuredAt: now + 60_000 }, now)).toBeUndefined();
    expect(freshFloor(undefined, now)).toBeUndefined();
    expect(freshFloor({ floorBytes: 0, measuredAt: now }, now)).toBeUndefined();
    expect(freshFloor(JSON.parse('{"floorBytes":"30MB","measuredAt":1}'), now)).toBeUndefined();
  });
});
