import { describe, expect, it } from '@jest/globals';
import { attributeKill, describeSpawnFailure } from './attribution.js';

const MiB = 1024 ** 2;
const base = { stopCause: undefined, kernelOomKills: 0, peakBytes: 50 * MiB, budgetBytes: 200 * MiB } as const;

describe('attributeKill', () => {
  it('says nothing when the run ended on its own without an OOM kill', () => {
    expect(attributeKill(base)).toBeUndefined();
  });

  it('reports the sampler, the timer and an interruption as they happened', () => {
    expect(attributeKill({ ...base, stopCause: 'memory-budget' })).toBe('memory-budget');
    expect(attributeKill({ ...base, stopCause: 'time-budget' })).toBe('time-budget');
    expect(attributeKill({ ...base, stopCause: 'interrupted', kernelOomKills: 2 })).toBe('interrupted');
  });

  it('counts a kernel OOM kill at our cgroup limit as the memory budget', () => {
    expect(attributeKill({ ...base, stopCause: 'kernel-oom', kernelOomKills: 1, peakBytes: 200 * MiB })).toBe('memory-budget');
  });

  it('counts an OOM kill seen only after the root exited (parent exited 0) as the memory budget', () => {
    expect(attributeKill({ ...base, kernelOomKills: 1, peakBytes: 199 * MiB })).toBe('memory-budget');
  });

  it('leaves a kernel OOM kill far below our budget to an outer limit', () => {
    expect(attributeKill({ ...base, stopCause: 'kernel-oom', kernelOomKills: 1, peakBytes: 120 * MiB })).toBeUndefined();
  });

  it('draws the line at 95 % of the budget', () => {
    expect(attributeKill({ ...base, kernelOomKills: 1, peakBytes: 0.95 * 200 * MiB })).toBe('memory-budget');
    expect(attributeKill({ ...base, kernelOomKills: 1, peakBytes: 0.94 * 200 * MiB })).toBeUndefined();
  });
});

describe('describeSpawnFailure', () => {
  it('names the command that could not be started', () => {
    expect(describeSpawnFailure('ENOENT', 'pytestt', '/p')).toBe('command not found: pytestt');
    expect(describeSpawnFailure('EACCES', './run.sh', '/p')).toBe('permission denied: ./run.sh is not executable');
    expect(describeSpawnFailure('NO_CWD', 'pytest', '/gone')).toBe('working directory not found: /gone');
  });
});
