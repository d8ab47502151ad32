import { describe, expect, it } from '@jest/globals';
import { nodeOptionsForBudget } from './node-heap.js';

const MiB = 1024 * 1024;

describe('nodeOptionsForBudget', () => {
  it('gives V8 the whole budget, before the options the user set', () => {
    expect(nodeOptionsForBudget(undefined, 700 * MiB)).toBe('--max-old-space-size=700');
    expect(nodeOptionsForBudget('', 300 * 1000 * 1000)).toBe('--max-old-space-size=286');
    expect(nodeOptionsForBudget('--expose-gc --report-on-signal', 512 * MiB)).toBe(
      '--max-old-space-size=512 --expose-gc --report-on-signal',
    );
  });

  it("keeps the user's own heap size, however spelled", () => {
    expect(nodeOptionsForBudget('--max-old-space-size=100', 700 * MiB)).toBeUndefined();
    expect(nodeOptionsForBudget('--expose-gc --max_old_space_size=4096', 700 * MiB)).toBeUndefined();
  });
});
