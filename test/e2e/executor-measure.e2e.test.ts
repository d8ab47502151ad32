// Measures (and prints) what the executor costs and how fast it reacts on this machine:
// sampler cost per sample of a 50-process tree, kill latency from budget crossing to a dead
// tree, and the peak recorded for a known allocation. Asserts only that the runs behaved;
// the numbers are reported, not asserted (other work shares these 2 cores).

import { spawn } from 'node:child_process';
import { describe, expect, it, jest } from '@jest/globals';
import { TreeSampler } from '../../src/execute/budget/tree-sampler.js';
import { createProcessExecutor, detectMemoryBackend } from '../../src/execute/executor.js';
import { PROCESS_TABLES } from '../helpers/process-tables.js';
import { livingProcessesWithEnv } from '../helpers/processes.js';
import { eventually, fixture, livingProcessesWith, MiB, makeSpec, uniqueToken } from './executor-support.js';

jest.setTimeout(60_000);

const detected = await detectMemoryBackend();
const report: string[] = [];
const percentile = (values: number[], share: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(share * values.length))] ?? NaN;
const ms = (value: number): string => value.toFixed(2);

describe('executor measurements on this machine', () => {
  it.each(PROCESS_TABLES)('measures the cost of one sample of a 50-process tree read from %s', async (source, table) => {
    const token = uniqueToken();
    const tree = spawn(fixture('sleep-tree.sh'), ['49', token], { detached: true, stdio: 'ignore' });
    tree.unref();
    const costs: number[] = [];
    let processes = 0;
    try {
      // The shell and its 49 sleeps all carry the token in their arguments.
      expect(await eventually(() => livingProcessesWith(token).length === 50, 10_000)).toBe(true);
      const sampler = new TreeSampler(tree.pid as number, performance.now(), { table, intervalMs: 1000, onSample: () => undefined });
      for (let i = 0; i < 200; i += 1) {
        const began = performance.now();
        processes = sampler.sampleNow().pids.length;
        costs.push(performance.now() - began);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      process.kill(-(tree.pid as number), 'SIGKILL');
    }
    const onMachine = livingProcessesWithEnv(/^PATH=/).length;
    report.push(
      `sampler cost (${source}), ${processes}-process tree (${onMachine} processes on the machine), 200 samples: ` +
        `median ${ms(percentile(costs, 0.5))} ms, p95 ${ms(percentile(costs, 0.95))} ms, max ${ms(Math.max(...costs))} ms`,
    );
    expect(processes).toBe(50);
  });

  it.each([
    ['sampler 20 ms', 'sampler', 20],
    ['sampler 50 ms', 'sampler', 50],
    ['ps sampler 50 ms', 'ps', 50],
    ['cgroup (sampler 50 ms beside it)', 'cgroup', 50],
  ] as const)('kills a 400 MiB hog under 200 MiB quickly: %s', async (label, backend, sampleIntervalMs) => {
    if (backend === 'cgroup' && detected.backend === 'proc-sampler') return; // no cgroup here: nothing to measure
    const executor = await createProcessExecutor({ backend, sampleIntervalMs });
    const lines: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const spec = makeSpec(['python3', fixture('hog.py'), '400', '30']);
      const startedAt = performance.now();
      const outcome = await executor.run(spec);
      const resolvedMs = performance.now() - startedAt;
      expect(outcome.killedBy).toBe('memory-budget');
      const crossing = outcome.memorySeries.find((sample) => sample.bytes >= spec.budget.memoryBytes);
      const latency = crossing === undefined ? 'kernel kill, no sample over' : `crossing→resolved ${ms(resolvedMs - crossing.tMs)} ms`;
      lines.push(
        `${latency}, root died at ${outcome.durationMs} ms, resolved at ${ms(resolvedMs)} ms, ` +
          `peak ${(outcome.peakBytes / MiB).toFixed(0)} MiB`,
      );
    }
    report.push(`kill latency, ${label}:\n    ${lines.join('\n    ')}`);
  });

  it.each(['sampler', 'cgroup'] as const)('records a peak close to a 200 MiB allocation: %s', async (backend) => {
    if (backend === 'cgroup' && detected.backend === 'proc-sampler') return;
    const executor = await createProcessExecutor({ backend });
    const peaks: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const spec = makeSpec(['python3', fixture('hog.py'), '200', '0.5'], {
        budget: { memoryBytes: 1024 * MiB, timeoutMs: 20_000, graceMs: 1000 },
      });
      const outcome = await executor.run(spec);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.peakBytes).toBeGreaterThanOrEqual(200 * MiB);
      peaks.push((outcome.peakBytes / MiB).toFixed(1));
    }
    report.push(`peak recorded for a 200 MiB bytearray held 0.5 s, ${backend} (${executor.backend}): ${peaks.join(', ')} MiB`);
  });

  it('prints the report', () => {
    console.log(`executor measurements (backend detected: ${detected.backend})\n  ${report.join('\n  ')}`);
    expect(report.length).toBeGreaterThan(0);
  });
});
