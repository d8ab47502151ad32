// The slow leak: every test registers a 4 MiB collector in a module-level registry and never
// removes it. No single test is big; together they reach any budget.
import { describe, expect, it } from 'vitest';

const REGISTRY = [];
const LEAK_BYTES = 4 * 1024 * 1024;

describe('metrics registry', () => {
  for (let n = 0; n < 60; n += 1) {
    it(`registers collector ${n}`, () => {
      REGISTRY.push(Buffer.alloc(LEAK_BYTES, 1)); // filled: the pages are touched
      expect(REGISTRY.length).toBe(n + 1);
    });
  }
});
