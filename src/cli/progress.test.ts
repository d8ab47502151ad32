// The stderr progress lines: counts read as a person would write them.
import { describe, expect, it } from '@jest/globals';
import { Chalk } from 'chalk';
import type { Plan } from '../plan/types.js';
import { ProgressPrinter } from './progress.js';

function started(batches: number): string {
  let out = '';
  const printer = new ProgressPrinter({ write: (text: string) => (out += text) }, new Chalk({ level: 0 }), () => 0, '.', '/proj');
  const plan = {
    batches: Array.from({ length: batches }, (_, i) => ({ index: i + 1, tests: ['t.py'] })),
    batchSize: undefined,
    seed: undefined,
  };
  printer.onEvent({
    type: 'hunt-started',
    plan: plan as unknown as Plan,
    runner: 'pytest',
    projectDir: '/proj',
    backend: 'cgroup-v2',
    warnings: [],
  });
  printer.close();
  return out;
}

describe('ProgressPrinter: the first line', () => {
  it('says "1 batch" in survey mode (one batch), "3 batches" otherwise', () => {
    expect(started(1)).toBe('pytest in .: 1 batch, memory measured by cgroup-v2\n');
    expect(started(3)).toBe('pytest in .: 3 batches, memory measured by cgroup-v2\n');
  });
});
